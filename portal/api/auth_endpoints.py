"""Bearer tokens: POST /api/v1/auth/token trades an e-mail and password (and, for planners and administrators,
a code from their authenticator) for one; DELETE /api/v1/auth/token revokes the one the request carries (log
out); /api/v1/auth/tokens lists the account's tokens and revokes any of them (a lost phone, an old client)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from exams import audit
from exams.errors import DomainError
from exams.models import ApiToken
from portal.twofactor import services as second_factor

from .auth import BearerTokenAuth
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


@router.post("/token", summary="Get a bearer token",
             auth=None, response={200: TokenResponse, 401: ErrorBody, 422: ErrorBody, 429: ErrorBody})
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


class TokenOut(Schema):
    id: int
    created_at: datetime
    expires_at: datetime
    current: bool = Field(description="True for the token this request was sent with.")


def _revoke(request: HttpRequest, token: ApiToken) -> None:
    token.delete()
    audit.record("api_token_revoked", actor=request.auth, object_type="ApiToken", object_id=str(token.pk),
                 request=request)


@router.delete("/token", summary="Log out: revoke this token",
               auth=BearerTokenAuth(), response={204: None, 401: ErrorBody})
def token_revoke(request: HttpRequest):
    """Log out: the bearer token this request is sent with stops working at once (afterwards it gets 401
    `unauthorized`). Only for bearer tokens; a portal session logs out on the website."""
    _revoke(request, request.api_token)
    return Status(204, None)


@router.get("/tokens", summary="List your tokens", response=list[TokenOut])
def token_list(request: HttpRequest) -> list[dict]:
    """The account's bearer tokens that still work, newest first. The tokens themselves are never shown
    again; `current` marks the one this request carries."""
    current = getattr(getattr(request, "api_token", None), "pk", None)
    tokens = ApiToken.objects.filter(user=request.auth, expires_at__gt=timezone.now()).order_by("-created_at", "-pk")
    return [{"id": t.pk, "created_at": t.created_at, "expires_at": t.expires_at, "current": t.pk == current}
            for t in tokens]


@router.delete("/tokens/{token_id}", summary="Revoke one of your tokens",
               response={204: None, 404: ErrorBody})
def token_revoke_one(request: HttpRequest, token_id: int):
    """Revoke one of the account's own tokens (e.g. of a lost phone); another account's token is not found."""
    _revoke(request, get_object_or_404(ApiToken, pk=token_id, user=request.auth))
    return Status(204, None)
