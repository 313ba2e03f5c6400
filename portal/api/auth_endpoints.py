"""POST /api/v1/auth/token: trade an e-mail and password for a bearer token."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from exams.errors import DomainError
from exams.models import ApiToken

from .errors import ErrorBody

router = Router(tags=["auth"])


class TokenRequest(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)


class TokenResponse(Schema):
    token: str
    expires_at: datetime


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


@router.post("/token", auth=None, response={200: TokenResponse, 401: ErrorBody, 422: ErrorBody})
def token_create(request: HttpRequest, payload: TokenRequest) -> dict:
    """Returns a bearer token for the account. The same answer for an unknown e-mail and a wrong password."""
    user = authenticate(request, username=payload.email.strip().lower(), password=payload.password)
    if user is None or not user.is_active:
        raise InvalidCredentials("The e-mail address or password is wrong.")
    key = ApiToken.issue(user)
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    return {"token": key, "expires_at": token.expires_at}
