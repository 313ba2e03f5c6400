"""The whole candidate journey on a phone, in a real browser: sign up, book two NT2 parts, pay on the test
provider's checkout page, see the confirmation, cancel one part and see the refund."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from exams.models import Booking, ExamSession

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_book_pay_confirm_cancel_refund(live_server, phone, axe_violations, make_session, settings):
    settings.PAYMENTS_PUBLIC_URL = live_server.url
    reading = make_session("NT2-II-LZ", days=50, capacity=10)
    listening = make_session("NT2-II-LU", days=51, capacity=10, room="Computerzaal 2")
    url = live_server.url

    # Sign up, then confirm the e-mail address with the link we were sent.
    phone.goto(url + "/signup/")
    phone.get_by_label("E-mailadres").fill("nieuw@example.org")
    phone.get_by_label("Voornaam of voornamen").fill("Dilnoza")
    phone.get_by_label("Achternaam").fill("Karimova")
    phone.get_by_label("Geboortedatum").fill("1993-04-21")
    phone.locator("#id_password1").fill("een-sterk-wachtwoord")
    phone.locator("#id_password2").fill("een-sterk-wachtwoord")
    phone.get_by_role("button", name="Account aanmaken").click()
    phone.wait_for_url(url + "/signup/sent/")  # the same page whether or not the address had an account
    link = re.search(r"https?://[^/\s]+(/account/verify-email/\S+)", mail.outbox[-1].body).group(1)
    phone.goto(url + link)  # confirms the address; the account logs in with its password
    phone.wait_for_url(url + "/login/?next=/sessions/")
    phone.get_by_label("E-mailadres").fill("nieuw@example.org")
    phone.get_by_label("Wachtwoord").fill("een-sterk-wachtwoord")
    phone.get_by_role("button", name="Inloggen").click()
    phone.wait_for_url(url + "/sessions/")

    # Book two NT2 parts in one go.
    phone.goto(url + "/sessions/?family=nt2")
    # On a phone the table is one block per sitting: the box, fee and number of seats say what they are.
    box = phone.locator(f'input[value="{reading.pk}:NT2-II-LZ"]')
    assert phone.locator(f'label[for="{box.get_attribute("id")}"]').bounding_box()["width"] > 50
    labelled = phone.locator("tr:first-child > td[data-label]")
    assert [labelled.nth(i).evaluate("td => getComputedStyle(td, '::before').content") for i in range(2)] == [
        '"Prijs: "', '"Plaatsen vrij: "']
    box.check()
    phone.locator(f'input[value="{listening.pk}:NT2-II-LU"]').check()
    phone.get_by_role("button", name="Gekozen examenmomenten boeken").click()
    phone.wait_for_url(re.compile(r".*/my/bookings/\d+/$"))
    assert phone.get_by_text("Totaal:").is_visible()
    assert axe_violations(phone) == []

    # Pay on the test provider's checkout page and come back to a confirmed booking.
    phone.get_by_role("button", name="Online betalen (iDEAL, kaart)").click()
    phone.wait_for_url(re.compile(r".*/payments/test-psp/checkout/.*"))
    phone.get_by_label("Vertraging in seconden").fill("0")  # the webhook comes at once
    phone.get_by_role("button", name="Betalen", exact=True).click()
    phone.wait_for_url(re.compile(r".*/my/bookings/\d+/$"), timeout=30000)
    booking = Booking.objects.get(candidate__email="nieuw@example.org")
    for _ in range(20):
        booking.refresh_from_db()
        if booking.status == "confirmed":
            break
        phone.wait_for_timeout(500)
    phone.reload()
    assert booking.status == "confirmed"
    assert "bevestigd" in phone.content()
    assert any(m.subject == "Je examenboeking is bevestigd" for m in mail.outbox)

    # Cancel one part (in time for a refund) and see the refund on the booking page.
    phone.get_by_role("link", name="Annuleren Lezen").click()
    assert "Je krijgt € 50,00 terug." in phone.content()
    phone.get_by_role("button", name="Ja, annuleren").click()
    phone.wait_for_url(re.compile(r".*/my/bookings/\d+/$"))
    assert "Je krijgt € 50,00 terug." in phone.content()
    for _ in range(20):
        phone.reload()
        if "terugbetaald" in phone.content():
            break
        phone.wait_for_timeout(500)
    assert "terugbetaald" in phone.content()
    assert ExamSession.objects.get(pk=reading.pk).seats_booked == 0
    assert ExamSession.objects.get(pk=listening.pk).seats_booked == 1
    assert axe_violations(phone) == []


def test_the_pay_button_leads_to_a_checkout_page_on_another_site_and_back(live_server, phone, sign_in, candidate,
                                                                          make_session, settings):
    """A real provider's checkout lives on another site (Mollie's). The browser checks the redirect after
    the pay form against the page's Content-Security-Policy (form-action), so the policy must name it:
    here the test provider's checkout is served under another name of the test server."""
    from exams.services.bookings import SeatRequest, booking_create

    settings.SITE_URL = live_server.url
    other_name = {"localhost": "127.0.0.1", "127.0.0.1": "localhost"}
    host = re.match(r"http://([^:/]+)", live_server.url).group(1)
    settings.PAYMENTS_PUBLIC_URL = live_server.url.replace(host, other_name[host])
    session = make_session("NT2-II-LZ", days=50, capacity=10)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    sign_in(phone, candidate.user)
    phone.goto(f"{live_server.url}/my/bookings/{booking.pk}/")
    phone.get_by_role("button", name="Online betalen (iDEAL, kaart)").click()
    phone.wait_for_url(settings.PAYMENTS_PUBLIC_URL + "/payments/test-psp/checkout/**")
    phone.get_by_label("Vertraging in seconden").fill("0")
    phone.get_by_role("button", name="Betalen", exact=True).click()
    phone.wait_for_url(f"{live_server.url}/my/bookings/{booking.pk}/", timeout=30000)
    for _ in range(20):
        booking.refresh_from_db()
        if booking.status == "confirmed":
            break
        phone.wait_for_timeout(500)
    assert booking.status == "confirmed"
