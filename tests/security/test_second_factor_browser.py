"""A planner's first and second login in Chromium: password, QR code and key, code, recovery codes, the planner's
pages; the two-step pages pass axe-core's WCAG 2.1 A/AA rules, in Dutch and English."""

from __future__ import annotations

import time

import pyotp
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def current_code(user, offset: int = 0) -> str:
    from portal.twofactor.models import TotpDevice
    from portal.twofactor.services import STEP_SECONDS

    secret = TotpDevice.objects.get(user=user).secret
    return pyotp.TOTP(secret).generate_otp(int(time.time()) // STEP_SECONDS + offset)


def password_step(page, base: str, user) -> None:
    page.goto(base + "/planner/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", "a-long-test-password")
    page.click("main form.stacked button[type=submit]")


def test_a_planner_enrols_then_logs_in_with_a_code(live_server, phone, axe_violations, planner):
    from exams.models import AuditEvent

    password_step(phone, live_server.url, planner)
    assert "/account/two-factor/setup/" in phone.url
    assert phone.locator("img[src^='data:image/svg+xml']").is_visible()
    assert axe_violations(phone) == []
    phone.fill("#id_code", current_code(planner))
    phone.click("main form.stacked button[type=submit]")
    codes = phone.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert axe_violations(phone) == []
    phone.click("text=Verder")
    assert phone.url.endswith("/planner/")
    phone.context.clear_cookies()

    password_step(phone, live_server.url, planner)
    assert "/account/two-factor/?next=/planner/" in phone.url
    assert axe_violations(phone) == []
    phone.fill("#id_code", "000000")
    phone.click("main form.stacked button[type=submit]")
    assert phone.locator("[role=alert]").inner_text().startswith("Die code klopt niet")
    phone.fill("#id_code", current_code(planner, +1))
    phone.click("main form.stacked button[type=submit]")
    assert phone.url.endswith("/planner/")
    actions = AuditEvent.objects.filter(actor_id=planner.pk, action__contains="second_factor").order_by("pk")
    assert list(actions.values_list("action", flat=True)) == [
        "second_factor_enrolled", "second_factor_failed", "login_second_factor"]
