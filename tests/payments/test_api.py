"""The payment endpoints: status codes, error bodies, ownership, idempotency keys and the OpenAPI schema."""

from __future__ import annotations

import pytest

from exams.payments.models import Payment, PspPayment
from exams.services.bookings import SeatRequest, booking_create

pytestmark = pytest.mark.django_db


def url(booking) -> str:
    return f"/api/v1/bookings/{booking.pk}/payments"


@pytest.fixture
def api(api_for, candidate):
    return api_for(candidate.user)


def test_start_a_test_payment(api, booking):
    response = api.post(url(booking), {"provider": "test", "return_url": "/bookings/done"})
    assert response.status_code == 201
    body = response.json()
    payment = Payment.objects.get()
    assert body["id"] == payment.pk and body["provider"] == "test" and body["status"] == "open"
    assert body["amount"] == "50.00" or float(body["amount"]) == 50.0
    assert (
        body["checkout_url"] == f"http://testserver/payments/test-psp/checkout/{payment.provider_payment_id}/"
    )
    assert payment.return_url == "http://testserver/bookings/done"
    booking.refresh_from_db()
    assert booking.status == "pending_payment"


def test_another_candidates_booking_is_404(api_for, other_candidate, booking):
    intruder = api_for(other_candidate.user)
    for response in (intruder.post(url(booking), {"provider": "test"}), intruder.get(url(booking))):
        assert response.status_code == 404
        assert set(response.json()) == {"code", "message", "details"}
    assert not Payment.objects.exists()


def test_a_confirmed_or_expired_booking_is_409(api, booking, candidate, make_session):
    from datetime import timedelta

    from django.utils import timezone

    from exams.services.bookings import expire_holds

    expire_holds(now=timezone.now() + timedelta(hours=1))
    response = api.post(url(booking), {"provider": "test"})
    assert (response.status_code, response.json()["code"]) == (409, "booking_not_payable")
    placed = booking_create(
        candidate=candidate, requests=[SeatRequest(make_session(days=40).pk)], placed_by_agency=True
    )
    response = api.post(url(placed), {"provider": "test"})
    assert (response.status_code, response.json()["code"]) == (409, "booking_not_payable")
    assert response.json()["details"] == {"status": "confirmed"}


def test_an_unknown_provider_is_422(api, booking):
    response = api.post(url(booking), {"provider": "paypal"})
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_provider"
    assert response.json()["details"] == {"providers": ["invoice", "mollie", "test"]}
    assert api.post(url(booking), {}).json()["code"] == "invalid"


def test_a_foreign_return_url_is_refused(api, booking):
    response = api.post(url(booking), {"provider": "test", "return_url": "https://evil.example.com/"})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_return_url")


def test_an_idempotency_key_replay_returns_the_same_payment(api, booking):
    headers = {"HTTP_IDEMPOTENCY_KEY": "3f0c9a"}
    api.client.defaults.update(headers)
    first = api.post(url(booking), {"provider": "test"})
    second = api.post(url(booking), {"provider": "test"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert Payment.objects.count() == PspPayment.objects.count() == 1
    clash = api.post(url(booking), {"provider": "mollie"})
    assert (clash.status_code, clash.json()["code"]) == (409, "idempotency_key_reused")
    api.client.defaults.pop("HTTP_IDEMPOTENCY_KEY")
    again = api.post(url(booking), {"provider": "test"})  # no key: the open payment's checkout again
    assert (again.status_code, again.json()["checkout_url"]) == (201, first.json()["checkout_url"])
    assert Payment.objects.count() == 1


def test_invoice_confirms_the_booking_with_an_open_invoice(api, candidate, make_session):
    far = booking_create(candidate=candidate, requests=[SeatRequest(make_session(days=60).pk)])
    response = api.post(url(far), {"provider": "invoice"})
    assert response.status_code == 201
    body = response.json()
    assert (body["provider"], body["status"], body["checkout_url"]) == ("invoice", "open", None)
    far.refresh_from_db()
    assert far.status == "confirmed"


def test_invoice_is_refused_close_to_the_exam_and_for_families_without_it(
    api, booking, candidate, make_session
):
    response = api.post(url(booking), {"provider": "invoice"})  # 30 days ahead, NT2 allows 42
    assert (response.status_code, response.json()["code"]) == (422, "invoice_not_allowed")
    knm = booking_create(
        candidate=candidate, requests=[SeatRequest(make_session("INB-WI2021-KNM", days=90).pk)]
    )
    assert api.post(url(knm), {"provider": "invoice"}).json()["code"] == "invoice_not_allowed"
    booking.refresh_from_db()
    assert booking.status == "held"


def test_list_shows_own_payments_newest_first(api, booking):
    api.post(url(booking), {"provider": "test"})
    api.post(url(booking), {"provider": "mollie"})
    response = api.get(url(booking))
    assert response.status_code == 200
    assert [p["provider"] for p in response.json()] == ["mollie", "test"]


def test_payment_endpoints_need_a_login(api_for, booking):
    anonymous = api_for(None)
    assert anonymous.post(url(booking), {"provider": "test"}).status_code == 401
    assert anonymous.get(url(booking)).status_code == 401


def test_the_endpoints_are_in_the_openapi_schema(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/bookings/{booking_id}/payments"])
    webhook = paths["/api/v1/payments/webhooks/{provider}"]["post"]
    assert "application/x-www-form-urlencoded" in webhook["requestBody"]["content"]
    assert not webhook.get("security")
    create = paths["/api/v1/bookings/{booking_id}/payments"]["post"]
    assert {"201", "404", "409", "422"} <= set(create["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])


def test_a_provider_that_is_down_is_502_and_the_payment_is_marked_failed(api, booking, settings):
    unreachable = {"api_endpoint": "http://127.0.0.1:9", "http_session": None, "timeout": 1}
    settings.PAYMENT_PROVIDERS["mollie"].update(unreachable)
    response = api.post(url(booking), {"provider": "mollie"})
    assert (response.status_code, response.json()["code"]) == (502, "payment_provider_error")
    payment = Payment.objects.get()
    assert (payment.status, payment.provider_payment_id) == ("failed", None)
    assert api.post(url(booking), {"provider": "test"}).status_code == 201  # the candidate can try again
