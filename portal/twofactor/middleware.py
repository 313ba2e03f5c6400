"""Keeps every page out of reach of a planner or administrator until the second factor is verified."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from . import services

# The API answers 401 itself (portal.api.auth); logging out and switching language always work.
OPEN_PREFIXES = ("/api/", "/logout/", "/i18n/", "/static/", "/healthz")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and services.requires_second_factor(user)
            and not services.is_verified(request)
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            prefix = reverse("twofactor:verify")
            if not request.path.startswith(prefix):
                page = "twofactor:verify" if services.device_confirmed(user) else "twofactor:setup"
                return HttpResponseRedirect(f"{reverse(page)}?next={quote(request.get_full_path())}")
        return self.get_response(request)
