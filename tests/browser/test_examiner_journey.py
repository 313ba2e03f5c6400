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
    phone.get_by_text("Afzeggen of ziek melden").click()
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


SMALL_PHONE = {"width": 375, "height": 667}


def test_the_dashboard_on_a_small_phone_puts_the_next_duties_first(live_server, phone, axe_violations, sign_in,
                                                                   examiner, catalogue, make_session):
    """At 375px: the coming fortnight's duties (and those awaiting an answer) come first, the rest of the page
    folds away; nothing sticks out sideways and everything to tap is at least 44px high."""
    from datetime import timedelta

    from django.utils import timezone

    from exams.models import Examiner, Qualification

    phone.set_viewport_size(SMALL_PHONE)
    colleague = Examiner.objects.create(first_name="Petra", last_name="Smit", email="p@example.org")
    first = make_session("NT2-II-LZ", days=2)
    StaffAssignment.objects.create(session=first, examiner=examiner, role="invigilator", status="published")
    StaffAssignment.objects.create(session=first, examiner=colleague, role="invigilator", status="accepted")
    StaffAssignment.objects.create(session=make_session("NT2-II-LU", days=9), examiner=examiner,
                                   role="invigilator", status="accepted")
    for days in range(20, 80, 6):  # ten later duties, already accepted
        StaffAssignment.objects.create(session=make_session("NT2-II-LZ", days=days, hour=13), examiner=examiner,
                                       role="invigilator", status="accepted")
    StaffAssignment.objects.create(session=make_session("NT2-II-LZ", days=40, hour=9), examiner=examiner,
                                   role="invigilator", status="proposed")  # later, but it awaits an answer
    for family in ("nt2", "inburgering", "wft"):
        Qualification.objects.create(examiner=examiner, role="invigilator", family=catalogue[family],
                                     valid_until=timezone.localdate() + timedelta(days=400))
    sign_in(phone, examiner.user)
    phone.goto(live_server.url + "/examiner/")

    soon = phone.locator("#next-duties > table.duties > tbody > tr")
    assert soon.count() == 3  # the two in the coming fortnight and the proposal
    assert soon.first.locator("td").first.bounding_box()["y"] < 400, "the next duty is not at the top"
    later = phone.locator("details#later-duties")
    assert phone.locator("details#later-duties > summary").inner_text().endswith("(10)")
    assert not later.locator("table").is_visible()
    for folded in ("#calendar-and-downloads", "#my-qualifications"):
        assert phone.locator(f"details{folded}").get_attribute("open") is None, folded
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height < 4 * SMALL_PHONE["height"], f"the page is {height}px long"
    assert fits(phone)
    small = phone.evaluate("""[...document.querySelectorAll('main a, main button, main summary, main input')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
        .map(e => e.outerHTML.slice(0, 80))""")
    assert small == [], small
    phone.locator("details#later-duties > summary").click()
    assert later.locator("table.duties tbody tr").count() == 10 and fits(phone)
    assert axe_violations(phone) == []
