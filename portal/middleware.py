"""Headers every response carries, whatever view produced it."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action {form_action}",
        "frame-ancestors 'none'",
    ]
)


@lru_cache(maxsize=1)
def content_security_policy() -> str:
    """The policy, its ``form-action`` naming where this site's forms may lead: the site itself (also at
    its configured public addresses) and the checkout pages of the payment providers, as the browser
    follows the pay button's redirect there under this rule. Built once per settings state: every
    response carries it."""
    from exams.payments.providers import get_provider, provider_names
    from exams.payments.providers.base import origin, public_url

    sources = ["'self'", origin(settings.SITE_URL), origin(public_url("/"))]
    for name in provider_names():
        sources += get_provider(name).checkout_origins()
    return CONTENT_SECURITY_POLICY.format(form_action=" ".join(dict.fromkeys(s for s in sources if s)))


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    content_security_policy.cache_clear()


class SecurityHeadersMiddleware:
    """Adds a Content-Security-Policy and keeps personal pages out of caches."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.headers.get("Authorization"):
            response.headers["Cache-Control"] = "no-store"
        return response


class ApiErrorBodyMiddleware:
    """Gives every API error the JSON error body, also those produced outside the API's own handlers
    (an unknown path under /api/, a method a route does not allow)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.headers.get("Content-Type", "").startswith("application/json")
        ):
            error = _json_error(response.status_code)
            if "Allow" in response.headers:  # a 405 says which methods the address does accept
                error["Allow"] = response.headers["Allow"]
            return error
        return response


_MESSAGES = {
    400: ("bad_request", gettext_lazy("The request could not be understood.")),
    403: ("forbidden", gettext_lazy("You may not do this.")),
    404: ("not_found", gettext_lazy("There is no such address in the API.")),
    405: ("method_not_allowed", gettext_lazy("This address does not accept that method.")),
    413: ("too_large", gettext_lazy("The request is too large.")),
    429: ("locked", gettext_lazy("Too many attempts for this account; try again in an hour.")),
}


def status_message(status: int) -> str:
    """A general sentence for an HTTP status, in the request's language."""
    return str(_MESSAGES.get(status, ("", gettext_lazy("The request failed.")))[1])


def _json_error(status: int) -> HttpResponse:
    import json

    code, message = _MESSAGES.get(status, ("error", gettext_lazy("The request failed.")))
    body = json.dumps({"code": code, "message": str(message), "details": None})
    return HttpResponse(body, status=status, content_type="application/json")
