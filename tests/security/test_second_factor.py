"""Two-step login for planners and administrators: forced enrolment, codes at login, recovery codes, throttling,
audit events, the API's session and token paths. Candidates and examiners are not affected."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from exams.models import AuditEvent, User
from portal.twofactor.models import RecoveryCode, TotpDevice
from portal.twofactor.services import FAILURE_LIMIT, STEP_SECONDS

pytestmark = pytest.mark.django_db(transaction=True)  # audit entries are written when a transaction commits

PASSWORD = "a-long-test-password"


def password_login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def code_for(user, step_offset: int = 0) -> str:
    device = TotpDevice.objects.get(user=user)
    return pyotp.TOTP(device.secret).generate_otp(int(time.time()) // STEP_SECONDS + step_offset)


def enrolled(client: Client, user) -> list[str]:
    """Enrols through the pages; returns the recovery codes shown."""
    client.get("/account/two-factor/setup/")
    page = client.post("/account/two-factor/setup/", {"code": code_for(user), "next": "/planner/"})
    assert page.status_code == 200
    return re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", page.content.decode())


def events(action: str, user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, actor_id=user.pk))


@pytest.fixture
def admin(db):
    return User.objects.create_superuser("root@example.org", PASSWORD)


@pytest.mark.parametrize("who", ["planner", "admin"])
def test_after_the_password_nothing_is_reachable_until_a_second_factor_is_set_up(request, who):
    user = request.getfixturevalue(who)
    client = password_login(user)
    for path in ("/planner/", "/admin/", "/staff/provisions/", "/my/profile/", "/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/account/two-factor/setup/"), path
    assert client.get("/api/v1/me").status_code == 401  # the API's session auth refuses as well
    assert client.get("/account/two-factor/").url.startswith("/account/two-factor/setup/")


def test_enrolment_shows_a_qr_code_and_confirms_with_a_code_then_gives_ten_recovery_codes(planner):
    client = password_login(planner)
    page = client.get("/account/two-factor/setup/").content.decode()
    secret = TotpDevice.objects.get(user=planner).secret
    assert 'src="data:image/svg+xml;base64,' in page
    assert f"otpauth://totp/Examenplanning:planner.one%40example.org?secret={secret}" in page
    assert "<script" not in page
    wrong = client.post("/account/two-factor/setup/", {"code": "000000"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    assert client.get("/planner/").status_code == 302
    codes = enrolled(client, planner)
    assert len(codes) == len(set(codes)) == 10
    assert TotpDevice.objects.get(user=planner).confirmed_at is not None
    assert client.get("/planner/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    assert len(events("second_factor_enrolled", planner)) == 1
    assert len(events("second_factor_failed", planner)) == 1


def test_recovery_codes_are_stored_hashed():
    from portal.twofactor.services import recovery_codes_issue

    user = User.objects.create_user("p2@example.org", PASSWORD, role="planner")
    codes = recovery_codes_issue(user=user)
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert stored == {RecoveryCode.hash_code(c) for c in codes}
    assert not stored & set(codes)


def test_next_login_asks_for_a_code_and_a_code_works_once(planner):
    client = password_login(planner)
    enrolled(client, planner)
    client.post("/logout/")
    client = password_login(planner)
    response = client.get("/planner/runs/")
    assert response.url == "/account/two-factor/?next=/planner/runs/"
    assert client.get("/admin/").url.startswith("/account/two-factor/?next=")
    used = code_for(planner)  # the code of the enrolment step: already used once
    assert client.post("/account/two-factor/", {"code": used, "next": "/planner/runs/"}).status_code == 400
    fresh = client.post("/account/two-factor/", {"code": code_for(planner, +1), "next": "/planner/runs/"})
    assert fresh.status_code == 302 and fresh.url == "/planner/runs/"
    assert client.get("/planner/runs/").status_code == 200
    logins = events("login_second_factor", planner)
    assert [e.details for e in logins] == [{"method": "totp", "channel": "web"}]


def test_a_recovery_code_works_once(planner):
    client = password_login(planner)
    codes = enrolled(client, planner)
    client.post("/logout/")
    client = password_login(planner)
    page = client.post("/account/two-factor/", {"code": codes[3].upper().replace("-", " ")})
    assert page.status_code == 200 and "9 codes are left" in page.content.decode()
    assert client.get("/planner/").status_code == 200
    client.post("/logout/")
    client = password_login(planner)
    assert client.post("/account/two-factor/", {"code": codes[3]}).status_code == 400
    assert client.get("/planner/").status_code == 302
    assert [e.details["method"] for e in events("login_second_factor", planner)] == ["recovery"]


def test_wrong_codes_lock_the_second_factor_for_a_while(planner):
    client = password_login(planner)
    codes = enrolled(client, planner)
    client.post("/logout/")
    client = password_login(planner)
    for _ in range(FAILURE_LIMIT):
        client.post("/account/two-factor/", {"code": "123456"})
    locked = client.post("/account/two-factor/", {"code": codes[0]})  # even a right code, while locked
    assert locked.status_code == 400 and "Too many wrong codes" in locked.content.decode()
    assert client.get("/planner/").status_code == 302
    failures = events("second_factor_failed", planner)
    assert [e.details["locked"] for e in failures] == [False] * (FAILURE_LIMIT - 1) + [True, True]
    TotpDevice.objects.filter(user=planner).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert client.post("/account/two-factor/", {"code": codes[0]}).status_code == 200
    assert client.get("/planner/").status_code == 200


def test_the_next_page_after_the_code_stays_on_this_site(planner):
    client = password_login(planner)
    enrolled(client, planner)
    client.post("/logout/")
    client = password_login(planner)
    response = client.post("/account/two-factor/", {"code": code_for(planner, +1),
                                                    "next": "https://evil.example.org/planner/"})
    assert response.url == "/planner/"


def test_candidates_and_examiners_log_in_with_their_password_alone(candidate, examiner):
    assert password_login(candidate.user).get("/my/").status_code == 200
    assert password_login(examiner.user).get("/examiner/").status_code == 200
    assert password_login(candidate.user).get("/account/two-factor/setup/").url == "/"


def test_tokens_for_planners_need_a_code_and_for_candidates_do_not(planner, candidate):
    api = Client()

    def token(email: str, **extra):
        body = {"email": email, "password": PASSWORD, **extra}
        return api.post("/api/v1/auth/token", body, content_type="application/json")

    assert token(candidate.user.email).status_code == 200
    not_set_up = token(planner.email, one_time_code="123456")
    assert not_set_up.status_code == 401 and not_set_up.json()["code"] == "second_factor_required"
    enrolled(password_login(planner), planner)
    missing = token(planner.email)
    assert missing.status_code == 401 and missing.json()["code"] == "second_factor_required"
    wrong = token(planner.email, one_time_code="000000")
    assert wrong.status_code == 401 and wrong.json()["code"] == "second_factor_wrong"
    ok = token(planner.email, one_time_code=code_for(planner, +1))
    assert ok.status_code == 200
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {ok.json()['token']}")
    assert me.status_code == 200 and me.json()["role"] == "planner"
    assert [e.details for e in events("login_second_factor", planner)] == [{"method": "totp", "channel": "api"}]


@pytest.mark.second_factor_pending
def test_force_login_without_the_marker_helper_leaves_the_second_factor_pending(planner):
    """The shared test helper marks the second factor; without it a session has the password step only."""
    client = Client()
    client.force_login(planner)
    assert client.get("/planner/").status_code == 302
    assert client.get("/api/v1/scheduling/runs/1").status_code == 401


def test_the_reset_command_makes_the_next_login_enrol_again(planner):
    from django.core.management import call_command

    enrolled(password_login(planner), planner)
    call_command("second_factor_reset", planner.email, stdout=open("/dev/null", "w"))
    assert not TotpDevice.objects.filter(user=planner).exists()
    assert not RecoveryCode.objects.filter(user=planner).exists()
    assert password_login(planner).get("/planner/").url.startswith("/account/two-factor/setup/")
    assert AuditEvent.objects.filter(action="second_factor_reset", object_id=str(planner.pk)).count() == 1


def test_the_pages_speak_dutch(planner):
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.post("/login/", {"username": planner.email, "password": PASSWORD})
    page = client.get("/account/two-factor/setup/").content.decode()
    assert "Inloggen in twee stappen instellen" in page and "Code uit de app" in page
    wrong = client.post("/account/two-factor/setup/", {"code": "000000"}).content.decode()
    assert "Die code klopt niet" in wrong
