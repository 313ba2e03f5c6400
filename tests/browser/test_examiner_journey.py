"""An examiner on a phone, in Dutch: every page fits the screen, each duty's cells say what they are and its
less common answers fold away, the weekly availability says which box is which, and a refused save keeps
what was typed; every page passes axe."""

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
    # Stacked cells keep their column's name; the reason box and the rarer answers fold away per duty.
    assert phone.locator("table.duties tbody td").count() == 6
    assert phone.evaluate("[...document.querySelectorAll('table.duties tbody td')]"
                          ".every(td => td.dataset.label && getComputedStyle(td, '::before').content.length > 2)")
    reason = phone.get_by_label("Reden")
    assert not reason.is_visible() and phone.locator("button[value=decline]").count() == 1
    phone.get_by_text("Weigeren of ziek melden").click()
    assert reason.is_visible() and phone.get_by_role("button", name="Ziek melden").is_visible()
    assert fits(phone) and axe_violations(phone) == []

    # The weekly table becomes one block per day on a phone: each box says which half-day it is.
    phone.goto(url + "/examiner/availability/")
    assert phone.get_by_text("maandag ochtend (08:00–12:30)", exact=True).bounding_box()["width"] > 50
    phone.get_by_label("dinsdag middag").check()
    box = phone.locator("input[name=day_off]").first.bounding_box()
    text = phone.locator("label", has=phone.locator("input[name=day_off]")).bounding_box()
    assert text["y"] <= box["y"] + box["height"] / 2 <= text["y"] + text["height"], (
        "the box sits above its date"
    )
    phone.fill("#max_per_day", "40")
    phone.get_by_role("button", name="Opslaan").click()
    phone.wait_for_load_state()
    assert "Geef een heel getal van 1 tot en met 12." in phone.content()
    assert phone.input_value("#max_per_day") == "40" and phone.get_by_label("dinsdag middag").is_checked()
    assert fits(phone) and axe_violations(phone) == []

    phone.goto(url + "/examiner/conflicts/")
    assert fits(phone), "Belangenverstrengeling pushes the page sideways"
    assert axe_violations(phone) == []
