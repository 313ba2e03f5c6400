"""Sign-up, e-mail verification and password reset (Django's own views, with our templates)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from exams.errors import DomainError
from exams.services import accounts

from .forms import SignupForm


class LoginView(auth_views.LoginView):
    """Django's login; without a ``next`` an exam staff member who is not also a candidate lands on their
    assignments instead of the candidates' home page (planners go on through their second factor)."""

    template_name = "portal/login.html"

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if user.role == user.Role.EXAMINER and not hasattr(user, "candidate"):
            return reverse("portal:examiner")
        return super().get_default_redirect_url()


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:my_exams")
    form = SignupForm(request.POST or None, initial={"language": (get_language() or "nl")[:2]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = accounts.candidate_signup(
            email=data["email"], password=data["password1"], first_name=data["first_name"],
            last_name=data["last_name"], birth_date=data["birth_date"], language=data["language"],
            verify_url=_verify_url(request),
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your account is ready. We sent a link to %(email)s: open it to confirm your "
                                    "e-mail address before you book.") % {"email": user.email})
        return redirect("portal:my_exams")
    return render(request, "portal/signup.html", {"form": form})


def _verify_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("portal:verify_email", args=["TOKEN"])).replace("TOKEN", "{token}")


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        accounts.email_verify(token)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:home")
    messages.success(request, _("Thank you: your e-mail address is confirmed. You can book exams now."))
    return redirect("portal:sessions")


@require_POST
@login_required
def verification_resend(request: HttpRequest) -> HttpResponse:
    if not request.user.email_verified:
        attempt = request.session.get("verification_attempt", 0) + 1
        if attempt > 5:
            messages.error(request, _("Too many e-mails sent; try again tomorrow or contact us."))
            return redirect("portal:my_exams")
        request.session["verification_attempt"] = attempt
        accounts.verification_send(user=request.user, verify_url=_verify_url(request), attempt=attempt)
        messages.success(request, _("We sent a new link to %(email)s.") % {"email": request.user.email})
    return redirect("portal:my_exams")
