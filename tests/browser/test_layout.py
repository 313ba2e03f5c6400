"""The base layout on a phone: readable, switchable to English, and free of WCAG 2.1 AA violations."""

from __future__ import annotations

import pytest

from ..browser_support import fits_screen

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_and_search_pages_on_a_phone_pass_axe(live_server, phone, axe_violations, make_session):
    make_session("NT2-II-LZ", capacity=3)
    phone.goto(live_server.url + "/")
    assert phone.locator("html").get_attribute("lang") == "nl"
    assert phone.get_by_role("heading", level=1).is_visible()
    assert axe_violations(phone) == []
    phone.get_by_role("link", name="Zoek een examenmoment").click()
    phone.wait_for_url("**/sessions/")
    assert phone.locator("table.sessions").get_by_text("Examencentrum Amsterdam").first.is_visible()
    assert axe_violations(phone) == []
    # Nothing sticks out sideways on a narrow screen.
    assert fits_screen(phone)


def test_language_switch_turns_the_page_english(live_server, phone, catalogue):
    phone.goto(live_server.url + "/")
    phone.get_by_role("button", name="English").click()
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.get_by_role("heading", name="Book, sit and pass your state exam").is_visible()


def test_login_page_passes_axe_and_logs_in(live_server, phone, axe_violations, candidate):
    phone.goto(live_server.url + "/login/")
    assert axe_violations(phone) == []
    phone.get_by_label("E-mailadres").fill("cand.one@example.org")
    phone.get_by_label("Wachtwoord").fill("a-long-test-password")
    phone.get_by_role("button", name="Inloggen").click()
    phone.wait_for_url(live_server.url + "/")
    assert phone.get_by_role("button", name="Uitloggen").is_visible()


#: The header's links and buttons (the menu, the brand, log out, the language switch) smaller than 44 px.
SMALL_HEADER_TARGETS = """() => [...document.querySelectorAll('header a, header button')]
  .filter(el => el.offsetParent !== null)
  .map(el => { const box = el.getBoundingClientRect();
               return {text: el.innerText.trim(), w: Math.round(box.width), h: Math.round(box.height)}; })
  .filter(b => b.w < 44 || b.h < 44)"""


def test_the_header_menu_is_44_px_to_tap_on_a_small_phone(live_server, browser, sign_in, candidate):
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="nl-NL", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        assert page.evaluate(SMALL_HEADER_TARGETS) == []
        sign_in(page, candidate.user)
        page.goto(live_server.url + "/my/")
        assert page.get_by_role("button", name="Uitloggen").is_visible()
        assert page.evaluate(SMALL_HEADER_TARGETS) == []
        assert fits_screen(page)
    finally:
        context.close()
