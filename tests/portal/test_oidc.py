"""The optional OpenID Connect login: accounts are found by e-mail; first logins create a candidate."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from exams.models import Candidate, User

pytestmark = pytest.mark.django_db

OIDC = dict(OIDC_RP_CLIENT_ID="exams", OIDC_RP_CLIENT_SECRET="s", OIDC_OP_TOKEN_ENDPOINT="https://id.example/token",
            OIDC_OP_USER_ENDPOINT="https://id.example/userinfo", OIDC_OP_AUTHORIZATION_ENDPOINT="https://id.example/auth",
            OIDC_RP_SIGN_ALGO="HS256", OIDC_PROVIDER_NAME="DigiD")


@override_settings(**OIDC)
def test_first_login_creates_a_candidate_and_later_logins_find_the_account():
    from portal.oidc import CandidateOIDCBackend

    backend = CandidateOIDCBackend()
    claims = {"email": "Eid.User@Example.org", "email_verified": True, "given_name": "Sanne", "family_name": "Bos",
              "birthdate": "1988-07-09", "locale": "en"}
    assert backend.verify_claims(claims)
    user = backend.create_user(claims)
    assert user.email == "eid.user@example.org" and user.email_verified and user.language == "en"
    assert Candidate.objects.get(user=user).last_name == "Bos"
    assert list(backend.filter_users_by_claims({"email": "EID.user@example.org"})) == [user]
    assert not backend.verify_claims({"email": "x@example.org", "email_verified": False})


@override_settings(**OIDC)
def test_login_page_offers_the_eid_when_configured(db):
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/login/").content.decode()
    assert "Log in with DigiD" in html and "also works from abroad" in html


def test_without_configuration_only_password_login_is_offered(db):
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/login/").content.decode()
    assert "Log in with" not in html
    assert User.objects.count() == 0
