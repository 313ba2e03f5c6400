"""Sign-up, e-mail verification and password reset (Django's own views, with our templates)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from exams.errors import DomainError
from exams.models import ApiToken
from exams.services import accounts

from . import landing
from .forms import CurrentPasswordChangeForm, EmailChangeForm, SignupForm


class LoginView(auth_views.LoginView):
    """Django's login; without a ``next`` an exam staff member who is not also a candidate lands on their
    assignments instead of the candidates' home page (planners go on through their second factor)."""

    template_name = "portal/login.html"

    def get_default_redirect_url(self) -> str:
        return landing.staff_page(self.request.user) or super().get_default_redirect_url()


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (current password, the new one twice, the password validators); the
    session stays logged in and the page says it worked."""

    template_name = "portal/password_change.html"
    success_url = reverse_lazy("portal:profile")
    form_class = CurrentPasswordChangeForm

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            _end_api_tokens(form.user)
        messages.success(self.request, _("Your password is changed."))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new password from a reset link; like a change, it ends the account's API tokens."""

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            _end_api_tokens(form.user)
        return response


def _end_api_tokens(user) -> None:
    """A new password locks out whoever knew the old one: Django ends the other sessions, this the bearer
    tokens made with it."""
    ApiToken.objects.filter(user=user).delete()


@require_http_methods(["GET", "POST"])
@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["email"]
        confirm_url = request.build_absolute_uri(reverse("portal:email_change_confirm", args=["TOKEN"]))
        accounts.email_change_request(user=request.user, new_email=new_email,
                                      confirm_url=confirm_url.replace("TOKEN", "{token}"))
        messages.success(request, _("We sent a link to %(email)s: open it to use that address. Until then you "
                                    "log in with %(old)s.") % {"email": new_email, "old": request.user.email})
        return redirect("portal:profile")
    return render(request, "portal/email_change.html", {"form": form})


def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = accounts.email_change_confirm(token)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:home")
    messages.success(request, _("Your e-mail address is now %(email)s. Log in with it from now on.")
                     % {"email": user.email})
    return redirect("portal:profile" if request.user.is_authenticated else "portal:login")


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:my_exams")
    form = SignupForm(request.POST or None, initial={"language": (get_language() or "nl")[:2]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accounts.candidate_signup_neutral(
            email=data["email"], password=data["password1"], first_name=data["first_name"],
            last_name=data["last_name"], birth_date=data["birth_date"], language=data["language"],
            verify_url=_verify_url(request),
            reset_url=request.build_absolute_uri(reverse("portal:password_reset")),
        )
        request.session["signup_email"] = data["email"]
        return redirect("portal:signup_sent")
    return render(request, "portal/signup.html", {"form": form})


def signup_sent(request: HttpRequest) -> HttpResponse:
    """The same page whether the address was new or had an account: check your mail."""
    return render(request, "portal/signup_sent.html", {"email": request.session.get("signup_email", "")})


def _verify_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("portal:verify_email", args=["TOKEN"])).replace("TOKEN", "{token}")


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the sign-up mail confirms the address; the new account then logs in with its password.
    The link logs nobody in: whoever opens it holds the mailbox, not necessarily the account (someone may have
    signed up with another person's address and chosen its password)."""
    try:
        user = accounts.email_verify(token)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:home")
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(request, _("Thank you: your e-mail address is confirmed. You can book exams now."))
        return redirect("portal:sessions")
    messages.success(request, _("Thank you: your e-mail address is confirmed. Log in with the password you "
                                "chose to book exams."))
    return redirect(f"{reverse('portal:login')}?next={reverse('portal:sessions')}")


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
