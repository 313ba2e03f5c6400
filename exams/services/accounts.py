"""Accounts: sign-up with e-mail and password, and e-mail verification.

An account works without the national eID (which works badly abroad); an OpenID Connect login can be
added by configuration.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import DomainError
from ..models import Candidate, User
from .notifications import send_once

VERIFY_SALT = "exams.email-verification"
VERIFY_MAX_AGE = 3 * 24 * 3600


class VerificationFailed(DomainError):
    code = "verification_failed"


def candidate_signup(*, email: str, password: str, first_name: str, last_name: str, birth_date: date,
                     language: str, verify_url: str) -> User:
    """Create a candidate's account and profile, and send the verification e-mail after the commit.
    ``verify_url`` holds ``{token}`` where the token goes."""
    with transaction.atomic():
        user = User.objects.create_user(email, password, role=User.Role.CANDIDATE, language=language)
        Candidate.objects.create(user=user, first_name=first_name, last_name=last_name, birth_date=birth_date,
                                 email=user.email, language=language)
        transaction.on_commit(lambda: verification_send(user=user, verify_url=verify_url))
    return user


def verification_token(user: User) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=VERIFY_SALT)


def verification_send(*, user: User, verify_url: str, attempt: int = 0) -> bool:
    url = verify_url.format(token=verification_token(user))

    def build():
        body = "\n".join([
            _("Welcome! Confirm your e-mail address to book exams:"), "", url, "",
            _("The link works for three days. Did you not sign up? Then ignore this e-mail."),
        ])
        return _("Confirm your e-mail address"), body, []

    return send_once(key=f"user-{user.pk}-verify-{attempt}", kind="email_verification", email=user.email,
                     language=user.language, build=build)


def email_verify(token: str) -> User:
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise VerificationFailed(_("This link has expired. Log in to get a new one.")) from exc
    except signing.BadSignature as exc:
        raise VerificationFailed(_("This link is not valid.")) from exc
    user = User.objects.filter(pk=data.get("user"), email=data.get("email")).first()
    if user is None:
        raise VerificationFailed(_("This link is not valid."))
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))
