"""The change page on a 375 px phone: nothing scrolls sideways and every control is at least 44 px to tap."""

from __future__ import annotations

import pytest

from exams.services.bookings import SeatRequest, booking_confirm, booking_create

from ..browser_support import fits_screen

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_PHONE = {"width": 375, "height": 667}
#: Every control a finger needs: links, buttons, radio rows (by their label) in the page's main part.
TOO_SMALL = """() => [...document.querySelectorAll(
    'main a, main button, main label, main input[type=radio], main input[type=checkbox]')]
  .filter(el => el.offsetParent !== null && !el.closest('.visually-hidden'))
  .map(el => {
    const target = el.matches('input') && el.labels.length ? el.labels[0].closest('li') || el.labels[0] : el;
    const box = target.getBoundingClientRect();
    return {text: (el.innerText || el.value || el.id).trim().slice(0, 40), w: box.width, h: box.height};
  })
  .filter(b => b.w < 44 || b.h < 44)"""


def test_the_change_page_fits_a_small_phone_with_big_tap_targets(live_server, browser, sign_in, make_session,
                                                                 candidate, axe_violations):
    first = make_session("NT2-II-LZ", days=30)
    for days in (33, 37, 41):
        make_session("NT2-II-LZ", days=days, room="Computerzaal 2")
    booking = booking_create(candidate=candidate, requests=[SeatRequest(first.pk)])
    booking_confirm(booking=booking)
    registration = booking.registrations.get()
    context = browser.new_context(viewport=SMALL_PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        sign_in(page, candidate.user)
        page.goto(f"{live_server.url}/my/registrations/{registration.pk}/change/")
        assert fits_screen(page)
        assert page.evaluate(TOO_SMALL) == []
        assert axe_violations(page) == []
        page.locator("ul.choices li").nth(1).click()  # a tap anywhere on the row picks it
        assert page.locator("ul.choices input[type=radio]").nth(1).is_checked()
    finally:
        context.close()
