"""POST /api/v1/auth/token: trade an e-mail and password (and, for planners and administrators, a code from
their authenticator) for a bearer token."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from exams.errors import DomainError
from exams.models import ApiToken
from portal.twofactor import services as second_factor

from .errors import ErrorBody

router = Router(tags=["auth"])


class TokenRequest(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)
    one_time_code: str | None = Field(
        None, max_length=20,
        description="Planners and administrators: the six-digit code from their authenticator app, or a "
                    "recovery code. Their tokens are only issued with it.",
    )


class TokenResponse(Schema):
    token: str
    expires_at: datetime


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


@router.post("/token", auth=None, response={200: TokenResponse, 401: ErrorBody, 422: ErrorBody, 429: ErrorBody})
def token_create(request: HttpRequest, payload: TokenRequest) -> dict:
    """Returns a bearer token for the account. The same answer for an unknown e-mail and a wrong password.
    Accounts that need two-step login get 401 `second_factor_required` without `one_time_code`, 401
    `second_factor_wrong` for a wrong code and 429 `second_factor_locked` after five wrong codes in a row."""
    user = authenticate(request, username=payload.email.strip().lower(), password=payload.password)
    if user is None or not user.is_active:
        raise InvalidCredentials(_("The e-mail address or password is wrong."))
    if second_factor.requires_second_factor(user):
        if second_factor.device_confirmed(user) is None:
            raise second_factor.SecondFactorMissing(
                _("Set up two-step login on the website first, then ask again with one_time_code."))
        if not payload.one_time_code:
            raise second_factor.SecondFactorMissing(
                _("Send one_time_code: the code from your authenticator app."))
        second_factor.second_factor_verify(user=user, code=payload.one_time_code, request=request, channel="api")
    key = ApiToken.issue(user)
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    return {"token": key, "expires_at": token.expires_at}
