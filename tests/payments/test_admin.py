"""The admin shows payments, refunds and the webhook log, and changes no money by hand."""

from __future__ import annotations

import pytest

from exams.models import User
from exams.payments.models import Payment

pytestmark = pytest.mark.django_db

PAGES = ["payment", "refund", "webhookevent", "psppayment", "psprefund", "pspwebhookdelivery"]


@pytest.fixture
def admin_client(client, db):
    user = User.objects.create_superuser("root@example.org", "a-long-test-password")
    client.force_login(user)
    return client


def test_payment_pages_are_read_only(admin_client, booking, start, payer):
    payment = payer(start(booking), "pay")
    for name in PAGES:
        assert admin_client.get(f"/admin/payments/{name}/").status_code == 200, name
        assert admin_client.get(f"/admin/payments/{name}/add/").status_code == 403, name
    page = admin_client.get(f"/admin/payments/payment/{payment.pk}/change/")
    assert page.status_code == 200 and b'name="status"' not in page.content
    assert (
        admin_client.post(f"/admin/payments/payment/{payment.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Payment.objects.filter(pk=payment.pk).exists()


def test_the_invoice_action_records_money_through_the_service(
    admin_client, catalogue, candidate, make_session, start
):
    from exams.services.bookings import SeatRequest, booking_create

    invoice = start(
        booking_create(candidate=candidate, requests=[SeatRequest(make_session(days=60).pk)]), "invoice"
    )
    response = admin_client.post(
        "/admin/payments/payment/", {"action": "mark_invoices_paid", "_selected_action": [invoice.pk]}
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert invoice.events.last().source == "staff"
