"""API authentication: bearer tokens for clients, the session cookie for the portal's own pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from exams.models import ApiToken, User
from portal.twofactor.services import is_verified, requires_second_factor


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token or len(token) > 200:
            return None
        try:
            # The candidate profile comes along: nearly every call a candidate makes needs it.
            found = ApiToken.objects.select_related("user__candidate").get(
                key_hash=ApiToken.hash_key(token), expires_at__gt=timezone.now(), user__is_active=True
            )
        except ApiToken.DoesNotExist:
            return None
        request.user = found.user
        request.api_token = found  # the token this request came with (DELETE /auth/token revokes it)
        return found.user


class SessionCookieAuth(SessionAuth):
    """Django's session, with the CSRF check on unsafe methods. A planner's or administrator's session counts
    only once their second factor is verified (portal.twofactor)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a logged-in session there is nothing a forged request could use: no CSRF check, and the
        # answer is 401 (log in), not 403.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)
        if user is not None and requires_second_factor(user) and not is_verified(request):
            return None
        return user
