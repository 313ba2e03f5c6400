"""The sick confirmation and the change page are done with the keyboard alone, and focus is always visible."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

#: The focused element's outline: a visible ring is solid and at least 2 px wide (a browser's own ring is "auto").
FOCUS_RING = """() => { const s = getComputedStyle(document.activeElement);
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), tag: document.activeElement.tagName}; }"""


def tab_to(page, selector: str, presses: int = 80) -> None:
    """Press Tab until the focused element matches ``selector``, checking every stop shows its focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring["tag"] != "BODY":
            assert ring["style"] == "solid" and ring["width"] >= 2, ring
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_reporting_sick_until_a_last_day_by_keyboard(live_server, desktop, sign_in, examiner, make_session):
    from exams.models import StaffAssignment

    duty = StaffAssignment.objects.create(session=make_session("NT2-II-LZ", days=3), examiner=examiner,
                                          role="invigilator", status="published")
    later = StaffAssignment.objects.create(session=make_session("NT2-II-LZ", days=5), examiner=examiner,
                                           role="invigilator", status="accepted")
    sign_in(desktop, examiner.user)
    desktop.goto(live_server.url + "/examiner/")
    tab_to(desktop, "details.answer summary")
    desktop.keyboard.press("Enter")
    tab_to(desktop, "details.answer input[name=reason]")
    desktop.keyboard.type("griep")
    tab_to(desktop, "details.answer button[value=sick]")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url("**/answer/")
    tab_to(desktop, "#until")
    desktop.keyboard.type((date.today() + timedelta(days=6)).strftime("%d%m%Y"), delay=80)
    # Chromium's date field takes the digits; the exact day it lands on is not the point here, only that
    # it is past the second duty, so both are given up at once.
    assert date.fromisoformat(desktop.input_value("#until")) >= date.today() + timedelta(days=5)
    tab_to(desktop, "main button[value=sick]")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(live_server.url + "/examiner/")
    duty.refresh_from_db()
    later.refresh_from_db()
    assert duty.status == later.status == "declined"  # both days given up at once


def test_changing_a_sitting_by_keyboard(live_server, desktop, sign_in, make_session, candidate):
    from exams.services.bookings import SeatRequest, booking_confirm, booking_create

    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ", days=30).pk)])
    booking_confirm(booking=booking)
    registration = booking.registrations.get()
    target = make_session("NT2-II-LZ", days=36, room="Computerzaal 2")
    sign_in(desktop, candidate.user)
    desktop.goto(f"{live_server.url}/my/registrations/{registration.pk}/change/")
    tab_to(desktop, "ul.choices input[type=radio]")
    desktop.keyboard.press("Space")
    assert desktop.is_checked(f"#s{target.pk}")
    tab_to(desktop, "main button[type=submit]")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(f"**/my/bookings/{booking.pk}/")
    registration.refresh_from_db()
    assert registration.status == "changed" and registration.replaced_by.session_id == target.pk
