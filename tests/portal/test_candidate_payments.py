"""Paying from the candidate's booking page: one open payment per method, what stale and refunded payments
say, and paying by invoice end to end (page, e-mail, invoice, cancelling)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from exams.models import Booking
from exams.payments.models import Payment, Refund
from exams.payments.services import payment_sync
from exams.payments.testpsp.services import DeliveryOptions, psp_payment_act
from exams.services.bookings import SeatRequest, booking_create

pytestmark = pytest.mark.django_db


def logged_in(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def act(payment: Payment, action: str, callbacks) -> None:
    """The payer's choice at the test PSP, and the provider's word on it synced (as its webhook would)."""
    with callbacks(execute=True):
        psp_payment_act(
            payment_id=payment.provider_payment_id, action=action, delivery=DeliveryOptions(drop=True)
        )
        payment_sync(provider=payment.provider, provider_payment_id=payment.provider_payment_id)


def test_tapping_pay_online_again_goes_back_to_the_same_checkout(make_session, candidate):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ").pk)])
    client = logged_in(candidate.user)
    targets = {
        client.post(f"/my/bookings/{booking.pk}/pay/", {"provider": "test"})["Location"] for _ in range(5)
    }
    assert len(targets) == 1 and "/checkout/" in targets.pop()
    assert Payment.objects.filter(booking=booking).count() == 1
    page = client.get(f"/my/bookings/{booking.pk}/").content.decode()
    assert page.count("€&nbsp;50.00 – open") == 1


def test_a_payment_cancelled_at_the_provider_says_so_and_offers_paying_again(
    make_session, candidate, django_capture_on_commit_callbacks
):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ").pk)])
    client = logged_in(candidate.user)
    client.post(f"/my/bookings/{booking.pk}/pay/", {"provider": "test"})
    payment = Payment.objects.get(booking=booking)
    act(payment, "cancel", django_capture_on_commit_callbacks)
    client.get(f"/payments/return/{payment.reference}/")
    page = client.get(f"/my/bookings/{booking.pk}/").content.decode()
    assert "Your payment was cancelled or not completed" in page and "refreshes itself" not in page
    assert 'http-equiv="refresh"' not in page
    assert "Pay online" in page and "(Europe/Amsterdam)" in page
    assert "– cancelled" not in page and "– not completed" in page
    assert (
        client.post(f"/my/bookings/{booking.pk}/pay/", {"provider": "test"})["Location"]
        != payment.checkout_url
    )
    assert Payment.objects.filter(booking=booking, status="open").count() == 1


def test_open_payments_of_an_expired_booking_are_shown_as_not_completed(make_session, candidate):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ").pk)])
    Payment.objects.create(
        booking=booking, provider="test", provider_payment_id="tr_stale", amount=Decimal("50")
    )
    Booking.objects.filter(pk=booking.pk).update(status="expired")
    page = logged_in(candidate.user).get(f"/my/bookings/{booking.pk}/").content.decode()
    assert "– open" not in page and "– not completed" in page


def test_a_second_payment_paid_in_another_tab_is_refunded_and_the_page_says_so(
    make_session, candidate, settings, django_capture_on_commit_callbacks
):
    from exams.payments.services import payment_start

    settings.PAYMENT_PROVIDERS = {
        "test": {"class": "exams.payments.providers.testpsp.TestPspProvider"},
        "other": {"class": "exams.payments.providers.testpsp.TestPspProvider"},
    }
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ").pk)])
    first = payment_start(booking=booking, provider="test", return_url="http://testserver/")
    second = payment_start(booking=booking, provider="other", return_url="http://testserver/")
    act(first, "pay", django_capture_on_commit_callbacks)
    act(second, "pay", django_capture_on_commit_callbacks)
    assert list(Refund.objects.values_list("payment_id", flat=True)) == [second.pk]
    page = logged_in(candidate.user).get(f"/my/bookings/{booking.pk}/").content.decode()
    assert "came in after your booking was already paid: it is refunded to you automatically" in page


@pytest.fixture
def invoiced(make_session, candidate, django_capture_on_commit_callbacks):
    """An NT2 booking of two parts 60 days ahead, paid by invoice from the booking page (in English)."""
    candidate.language = "en"
    candidate.save()
    first, second = make_session("NT2-II-LZ", days=60), make_session("NT2-II-LU", days=61)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(first.pk), SeatRequest(second.pk)])
    client = logged_in(candidate.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/my/bookings/{booking.pk}/pay/", {"provider": "invoice"})
    assert response["Location"] == f"/my/bookings/{booking.pk}/"
    booking.refresh_from_db()
    return booking, client, first


def test_paying_by_invoice_shows_the_invoice_with_due_date_and_bank_details(invoiced, settings):
    booking, client, first = invoiced
    invoice = Payment.objects.get(booking=booking)
    assert (invoice.provider, invoice.status) == ("invoice", "open")
    assert re.fullmatch(rf"F{booking.pk:07d}-[0-9A-F]{{6}}", invoice.provider_payment_id)
    due = first.local_starts_at.date() - timedelta(days=21)  # NT2: paid three weeks before the exam
    page = client.get(f"/my/bookings/{booking.pk}/").content.decode()
    assert "confirmed, awaiting payment" in page
    assert invoice.provider_payment_id in page and f"before {due:%-d %B %Y}" in page
    assert settings.EXAMS["INVOICE_ACCOUNT"]["IBAN"] in page and "€ 100.00" in page
    assert "/receipt/" not in page and f"/my/bookings/{booking.pk}/invoice/" in page
    assert client.get(f"/my/bookings/{booking.pk}/receipt/").status_code == 404
    printable = client.get(f"/my/bookings/{booking.pk}/invoice/").content.decode()
    assert invoice.provider_payment_id in printable and "awaiting payment" in printable


def test_the_confirmation_mail_of_an_invoice_says_how_to_pay_not_paid(invoiced):
    booking, _client, _first = invoiced
    body = mail.outbox[-1].body
    number = Payment.objects.get(booking=booking).provider_payment_id
    assert "Paid:" not in body
    assert "You pay by invoice. Please transfer € 100.00 before" in body and number in body


def test_cancelling_an_unpaid_invoice_booking_refunds_nothing_and_says_so(
    invoiced, django_capture_on_commit_callbacks
):
    booking, client, first = invoiced
    one = booking.registrations.get(session=first)
    page = client.get(f"/my/bookings/{booking.pk}/cancel/", {"registration": one.pk}).content.decode()
    assert "You have not paid the invoice" in page and "back." not in page
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/my/bookings/{booking.pk}/cancel/", {"registration": one.pk}, follow=True)
    assert "nothing is refunded" in page.content.decode()
    one.refresh_from_db()
    assert one.status == "cancelled" and not Refund.objects.exists()
    assert Payment.objects.get(booking=booking).amount == Decimal("50.00")  # what is still booked
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my/bookings/{booking.pk}/cancel/")
    assert Payment.objects.get(booking=booking).status == "cancelled"
    assert set(booking.registrations.values_list("status", flat=True)) == {"cancelled"}
    assert not Refund.objects.exists()


def test_the_confirmation_mail_formats_money_in_dutch(
    make_session, candidate, django_capture_on_commit_callbacks
):
    from exams.services.bookings import booking_confirm

    candidate.language = "nl"
    candidate.save()
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ").pk)])
    with django_capture_on_commit_callbacks(execute=True):
        booking_confirm(booking=booking)
    assert "€ 50,00" in mail.outbox[-1].body and "50.00" not in mail.outbox[-1].body


def test_the_refund_rule_shows_before_paying(make_session, candidate):
    early = make_session("INB-WI2021-LZ", days=30)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(early.pk)])
    page = logged_in(candidate.user).get(f"/my/bookings/{booking.pk}/").content.decode()
    refund_until = early.local_starts_at.date() - timedelta(days=14)
    assert "Pay online" in page and f"Once paid: refund if you cancel by {refund_until:%-d %B %Y}" in page
    late = booking_create(candidate=candidate, requests=[SeatRequest(make_session("INB-WI2021-KNM", days=5).pk)])
    page = logged_in(candidate.user).get(f"/my/bookings/{late.pk}/").content.decode()
    assert "Once paid: no refund if you cancel" in page  # nothing paid yet, so nothing to say "no refund" of
