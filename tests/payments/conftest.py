"""Fixtures for the payments tests: providers pointed at the built-in test PSP, a held booking, and helpers
that act as the payer and run what would run after the commit."""

from __future__ import annotations

from decimal import Decimal

import pytest


from .transport import BASE, DjangoClientAdapter, in_process_session

MOLLIE_TEST_KEY = "test_examlogisticspsp0000000000000000"


@pytest.fixture
def transport() -> DjangoClientAdapter:
    """The in-process HTTP transport; ``transport.calls`` lists every request made through it."""
    return DjangoClientAdapter()


@pytest.fixture(autouse=True)
def payment_settings(settings, monkeypatch, transport):
    """ "test", "invoice" and "mollie" — the last one the real Mollie client, pointed at the test PSP."""
    from exams.payments.testpsp import services as psp

    settings.PAYMENTS_PUBLIC_URL = BASE
    settings.PAYMENTS_RECONCILE_AFTER_MINUTES = 10
    settings.TEST_PSP = {"API_KEY": MOLLIE_TEST_KEY, "WEBHOOK_DELAY_SECONDS": 0}
    settings.PAYMENT_PROVIDERS = {
        "test": {"class": "exams.payments.providers.testpsp.TestPspProvider"},
        "invoice": {"class": "exams.payments.providers.invoice.InvoiceProvider"},
        "mollie": {
            "class": "exams.payments.providers.mollie.MollieProvider",
            "api_key": MOLLIE_TEST_KEY,
            "api_endpoint": f"{BASE}/payments/test-psp",
            "http_session": lambda: in_process_session(transport),
        },
    }
    monkeypatch.setattr(psp, "http_session", lambda: in_process_session(transport))
    return settings


@pytest.fixture
def booking(candidate, make_session):
    """A held booking for one NT2 part (€50), 30 days ahead."""
    from exams.services.bookings import SeatRequest, booking_create

    session = make_session("NT2-II-LZ", days=30, capacity=1)
    return booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """``with after_commit(): …`` runs what would run after the commit (webhooks, tasks), also nested."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def start(after_commit):
    """``start(booking, "test")`` starts a payment the way the API does."""
    from exams.payments.services import payment_start

    def run(booking, provider: str = "test", **kw):
        with after_commit():
            return payment_start(booking=booking, provider=provider, return_url=f"{BASE}/done", **kw)

    return run


@pytest.fixture
def payer(after_commit):
    """``payer(payment, "pay", copies=5, hold=True)``: the candidate's choice on the PSP's checkout page."""
    from exams.payments.testpsp.services import DeliveryOptions, psp_payment_act

    def act(payment, action: str = "pay", **delivery):
        with after_commit():
            psp_payment_act(
                payment_id=payment.provider_payment_id, action=action, delivery=DeliveryOptions(**delivery)
            )
        payment.refresh_from_db()
        return payment

    return act


@pytest.fixture
def release(after_commit):
    """Send the held webhooks of a payment, in ``order``."""
    from exams.payments.testpsp.services import psp_deliveries_release

    def run(payment, order: str = "reverse") -> int:
        with after_commit():
            sent = psp_deliveries_release(payment_id=payment.provider_payment_id, order=order)
        payment.refresh_from_db()
        return sent

    return run


def confirmations(booking) -> int:
    """How many times the booking's registrations were confirmed (the audit log counts every change)."""
    from exams.models import RegistrationEvent

    return RegistrationEvent.objects.filter(registration__booking=booking, to_status="confirmed").count()


def euros(value: str) -> Decimal:
    return Decimal(value)
