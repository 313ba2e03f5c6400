"""Logging in through OpenID Connect (e.g. the national eID): the account is matched by e-mail address."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from exams.models import Candidate, User


class CandidateOIDCBackend(OIDCAuthenticationBackend):
    """Find the account by its e-mail address; create a candidate's account on the first login."""

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip().lower()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email=email)

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def create_user(self, claims) -> User:
        email = claims["email"].strip().lower()
        with transaction.atomic():
            user = User.objects.create_user(email, None, role=User.Role.CANDIDATE, email_verified=True,
                                            language=(claims.get("locale") or "nl")[:2] if claims.get("locale") in
                                            ("nl", "en", "nl-NL", "en-GB", "en-US") else "nl")
            birth = _birthdate(claims.get("birthdate"))
            if birth and claims.get("family_name"):
                Candidate.objects.create(user=user, email=email, first_name=claims.get("given_name", "")[:100],
                                         last_name=claims["family_name"][:100], birth_date=birth,
                                         language=user.language)
        return user

    def update_user(self, user, claims):
        if not user.email_verified:
            user.email_verified = True
            user.save(update_fields=["email_verified"])
        return user


def _birthdate(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
