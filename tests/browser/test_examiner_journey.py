"""An examiner on a phone, in Dutch: every page fits the screen, the weekly availability says which box is which,
and a refused save keeps what was typed; every page passes axe."""

from __future__ import annotations

from datetime import time

import pytest

from exams.models import Availability, StaffAssignment

from ..browser_support import fits_screen

pytestmark = pytest.mark.django_db(transaction=True)


def fits(page) -> bool:
    """Nothing sticks out sideways: not the page, not a heading."""
    return fits_screen(page) and page.evaluate(
        "[...document.querySelectorAll('h1, h2')].every(h => h.scrollWidth <= h.clientWidth)")


def test_examiner_pages_on_a_phone(live_server, phone, axe_violations, sign_in, examiner, make_session):
    StaffAssignment.objects.create(
        session=make_session("NT2-II-LZ", days=20), examiner=examiner, role="invigilator", status="published"
    )
    Availability.objects.create(
        examiner=examiner, on_date="2027-01-05", starts=time(0), ends=time(23, 59), available=False
    )
    sign_in(phone, examiner.user)
    url = live_server.url

    phone.goto(url + "/examiner/")
    reason = phone.get_by_placeholder("Reden (bij afzeggen)")
    assert reason.evaluate(
        "e => { const c = document.createElement('canvas').getContext('2d');"
        " c.font = getComputedStyle(e).font; return c.measureText(e.placeholder).width"
        " <= e.clientWidth; }"
    ), "the placeholder is cut off"
    assert fits(phone) and axe_violations(phone) == []

    # The weekly table becomes one block per day on a phone: each box says which half-day it is.
    phone.goto(url + "/examiner/availability/")
    assert phone.get_by_text("maandag ochtend", exact=True).bounding_box()["width"] > 50  # not hidden away
    phone.get_by_label("dinsdag middag").check()
    box = phone.locator("input[name=day_off]").first.bounding_box()
    text = phone.locator("label", has=phone.locator("input[name=day_off]")).bounding_box()
    assert text["y"] <= box["y"] + box["height"] / 2 <= text["y"] + text["height"], (
        "the box sits above its date"
    )
    phone.fill("#max_per_day", "40")
    phone.get_by_role("button", name="Opslaan").click()
    phone.wait_for_load_state()
    assert "Geef hoogstens 12 sessies per dag" in phone.content()
    assert phone.input_value("#max_per_day") == "40" and phone.get_by_label("dinsdag middag").is_checked()
    assert fits(phone) and axe_violations(phone) == []

    phone.goto(url + "/examiner/conflicts/")
    assert fits(phone), "Belangenverstrengeling pushes the page sideways"
    assert axe_violations(phone) == []
