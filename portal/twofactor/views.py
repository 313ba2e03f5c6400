"""The pages of two-step login: set up an authenticator (QR code, recovery codes) and enter a code."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from exams import audit
from exams.errors import DomainError

from . import services


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return "/planner/" if request.user.is_planner else "/admin/"


@require_http_methods(["GET", "POST"])
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Forced on the first login of an account that needs a second factor."""
    if not services.requires_second_factor(request.user):
        return redirect("portal:home")
    if services.device_confirmed(request.user) is not None:
        return redirect(f"{reverse('twofactor:verify')}?next={quote(_next(request))}")
    device = services.enrolment_start(user=request.user)
    error = ""
    if request.method == "POST":
        try:
            codes = services.enrolment_confirm(user=request.user, code=request.POST.get("code", ""), request=request)
        except DomainError as refused:
            error = _message(refused)
        else:
            services.session_mark_verified(request)
            return render(request, "twofactor/recovery_codes.html", {"codes": codes, "next": _next(request)})
    uri = services.provisioning_uri(device)
    return render(request, "twofactor/setup.html", {
        "uri": uri, "qr": services.qr_data_uri(uri), "secret": " ".join(_groups(device.secret)),
        "error": error, "next": _next(request),
    }, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator, or one recovery code."""
    if not services.requires_second_factor(request.user) or services.is_verified(request):
        return redirect(_next(request))
    if services.device_confirmed(request.user) is None:
        return redirect(f"{reverse('twofactor:setup')}?next={quote(_next(request))}")
    error = ""
    if request.method == "POST":
        try:
            method = services.second_factor_verify(user=request.user, code=request.POST.get("code", ""),
                                                   request=request)
        except DomainError as refused:
            error = _message(refused)
        else:
            services.session_mark_verified(request)
            if method == "recovery":
                left = services.recovery_codes_left(request.user)
                return render(request, "twofactor/recovery_used.html", {"left": left, "next": _next(request)})
            return redirect(_next(request))
    return render(request, "twofactor/verify.html", {"error": error, "next": _next(request)},
                  status=400 if error else 200)


@require_http_methods(["POST"])
@login_required
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    """New recovery codes for a verified session; the old ones stop working."""
    if not (services.requires_second_factor(request.user) and services.is_verified(request)):
        return redirect("twofactor:verify")
    codes = services.recovery_codes_issue(user=request.user)
    audit.record("recovery_codes_issued", actor=request.user, obj=request.user, request=request)
    return render(request, "twofactor/recovery_codes.html", {"codes": codes, "next": _next(request)})


def _message(refused: DomainError) -> str:
    if isinstance(refused, services.SecondFactorLocked):
        return _("Too many wrong codes: try again in %(minutes)s minutes.") % {"minutes": services.LOCK_MINUTES}
    return _("That code is not right. Check the time on your phone and try the newest code.")


def _groups(secret: str) -> list[str]:
    return [secret[i:i + 4] for i in range(0, len(secret), 4)]

