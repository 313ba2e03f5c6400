"""The test PSP's HTTP edges: a Mollie-shaped REST API (``/payments/test-psp/v2/…``) and the checkout page.

Bodies, ids, links and error bodies follow Mollie's API v2, so ``mollie-api-python`` talks to it unchanged.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services, testpsp_enabled
from .models import PspPayment, PspRefund

HAL = "application/hal+json"
DEFAULT_API_KEY = "test_examlogisticspsp0000000000000000"
TITLES = {
    400: "Bad Request",
    401: "Unauthorized Request",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    422: "Unprocessable Entity",
}


def api_key() -> str:
    return getattr(settings, "TEST_PSP", {}).get("API_KEY", DEFAULT_API_KEY)


def _money(value: Decimal, currency: str) -> dict[str, str]:
    return {"value": f"{value:.2f}", "currency": currency}


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _api_url(request: HttpRequest, name: str, *args: str) -> str:
    return request.build_absolute_uri(reverse(f"payments:{name}", args=args))


def payment_json(request: HttpRequest, payment: PspPayment) -> dict[str, Any]:
    """A payment the way Mollie's API v2 returns it (the fields our client reads, and then some)."""
    links: dict[str, Any] = {
        "self": {"href": _api_url(request, "testpsp_payment", payment.id), "type": HAL},
        "dashboard": {
            "href": request.build_absolute_uri(f"/admin/payments/psppayment/{payment.id}/change/"),
            "type": "text/html",
        },
    }
    if payment.status == PspPayment.Status.OPEN:
        links["checkout"] = {"href": _api_url(request, "testpsp_checkout", payment.id), "type": "text/html"}
    if payment.amount_refunded:
        links["refunds"] = {"href": _api_url(request, "testpsp_refunds", payment.id), "type": HAL}
    data = {
        "resource": "payment",
        "id": payment.id,
        "mode": "test",
        "createdAt": _iso(payment.created_at),
        "amount": _money(payment.amount, payment.currency),
        "description": payment.description,
        "method": "ideal" if payment.paid_at else None,
        "metadata": payment.metadata,
        "status": payment.status,
        "isCancelable": payment.status == PspPayment.Status.OPEN,
        "expiresAt": _iso(payment.expires_at),
        "profileId": "pfl_testpsp0000",
        "sequenceType": "oneoff",
        "redirectUrl": payment.redirect_url,
        "webhookUrl": payment.webhook_url or None,
        "_links": links,
    }
    if payment.status == PspPayment.Status.PAID:
        data["paidAt"] = _iso(payment.paid_at)
        data["amountRefunded"] = _money(payment.amount_refunded, payment.currency)
        data["amountRemaining"] = _money(payment.amount - payment.amount_refunded, payment.currency)
    elif payment.closed_at:
        data[{"failed": "failedAt", "canceled": "canceledAt", "expired": "expiredAt"}[payment.status]] = _iso(
            payment.closed_at
        )
    return data


def refund_json(request: HttpRequest, refund: PspRefund) -> dict[str, Any]:
    return {
        "resource": "refund",
        "id": refund.id,
        "amount": _money(refund.amount, refund.payment.currency),
        "status": refund.status,
        "createdAt": _iso(refund.created_at),
        "description": refund.description,
        "paymentId": refund.payment_id,
        "_links": {
            "self": {
                "href": _api_url(request, "testpsp_refunds", refund.payment_id) + "/" + refund.id,
                "type": HAL,
            },
            "payment": {"href": _api_url(request, "testpsp_payment", refund.payment_id), "type": HAL},
        },
    }


def _error(status: int, detail: str, field: str | None = None) -> JsonResponse:
    body: dict[str, Any] = {
        "status": status,
        "title": TITLES.get(status, "Error"),
        "detail": detail,
        "_links": {
            "documentation": {"href": "https://docs.mollie.com/overview/handling-errors", "type": "text/html"}
        },
    }
    if field:
        body["field"] = field
    return JsonResponse(body, status=status, content_type=HAL)


def _ok(data: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, content_type=HAL)


def _authorized(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "") == f"Bearer {api_key()}"


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise services.PspError(400, "The request body is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise services.PspError(400, "The request body must be a JSON object.")
    return data


def _amount(data: dict[str, Any]) -> tuple[Decimal, str]:
    amount = data.get("amount") or {}
    try:
        return Decimal(str(amount["value"])), str(amount.get("currency") or "EUR")
    except (KeyError, TypeError, InvalidOperation) as exc:
        raise services.PspError(422, "The amount is invalid or missing.", "amount") from exc


def psp_api(view):
    """Bearer API key, Mollie's error body for every refusal, no CSRF (a server-to-server API)."""

    @csrf_exempt
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not testpsp_enabled():
            raise Http404
        if not _authorized(request):
            return _error(401, "Missing authentication, or failed to authenticate.")
        try:
            return view(request, *args, **kwargs)
        except services.PspError as exc:
            return _error(exc.status, exc.detail, exc.field)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@psp_api
def payments(request: HttpRequest) -> HttpResponse:
    """POST: create a payment. GET: list the latest payments."""
    if request.method == "GET":
        items = [payment_json(request, p) for p in PspPayment.objects.all()[:50]]
        return _ok({"count": len(items), "_embedded": {"payments": items}, "_links": {}})
    if request.method != "POST":
        return _error(405, "Method not allowed.")
    data = _body(request)
    value, currency = _amount(data)
    payment = services.psp_payment_create(
        amount=value,
        currency=currency,
        description=str(data.get("description") or ""),
        redirect_url=str(data.get("redirectUrl") or ""),
        webhook_url=str(data.get("webhookUrl") or ""),
        metadata=data.get("metadata") or {},
        idempotency_key=request.headers.get("Idempotency-Key") or None,
    )
    return _ok(payment_json(request, payment), status=201)


@psp_api
def payment(request: HttpRequest, payment_id: str) -> HttpResponse:
    """GET a payment; DELETE cancels it while it is open, as Mollie allows."""
    if request.method == "DELETE":
        found = services.psp_payment_act(payment_id=payment_id, action="cancel")
        return _ok(payment_json(request, found))
    if request.method != "GET":
        return _error(405, "Method not allowed.")
    return _ok(payment_json(request, services.psp_payment_get(payment_id=payment_id)))


@psp_api
def refunds(request: HttpRequest, payment_id: str) -> HttpResponse:
    """POST: refund (part of) a paid payment. GET: its refunds."""
    if request.method == "GET":
        items = [
            refund_json(request, r) for r in services.psp_payment_get(payment_id=payment_id).refunds.all()
        ]
        return _ok({"count": len(items), "_embedded": {"refunds": items}, "_links": {}})
    if request.method != "POST":
        return _error(405, "Method not allowed.")
    data = _body(request)
    value, _currency = _amount(data)
    refund = services.psp_refund_create(
        payment_id=payment_id,
        amount=value,
        description=str(data.get("description") or ""),
        idempotency_key=request.headers.get("Idempotency-Key") or None,
    )
    return _ok(refund_json(request, refund), status=201)


class CheckoutForm(forms.Form):
    """The payer's choice, plus the test options for the webhooks this choice sends."""

    action = forms.ChoiceField(choices=[(a, a) for a in services.ACTIONS])
    delay_seconds = forms.IntegerField(
        label=_("Delay in seconds"), min_value=0, max_value=600, initial=0, required=False
    )
    copies = forms.IntegerField(
        label=_("Number of deliveries"), min_value=1, max_value=10, initial=1, required=False
    )
    mode = forms.ChoiceField(
        label=_("Delivery"),
        choices=[
            ("send", _("Send")),
            ("hold", _("Hold back (release later, in reverse order)")),
            ("drop", _("Drop (never send)")),
        ],
        initial="send",
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delay_seconds"].initial = services.DeliveryOptions.from_settings().delay_seconds

    def delivery(self) -> services.DeliveryOptions:
        data = self.cleaned_data
        mode = data.get("mode") or "send"
        return services.DeliveryOptions(
            delay_seconds=data.get("delay_seconds") or 0,
            copies=data.get("copies") or 1,
            hold=mode == "hold",
            drop=mode == "drop",
        )


@never_cache
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, payment_id: str) -> HttpResponse:
    """The payer's page: pay, fail, cancel or let it expire; then back to the shop's redirect URL."""
    if not testpsp_enabled():
        raise Http404
    try:
        found = services.psp_payment_get(payment_id=payment_id)
    except services.PspError:
        return render(request, "payments/checkout_missing.html", status=404)
    form = CheckoutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.psp_payment_act(
                payment_id=found.id, action=form.cleaned_data["action"], delivery=form.delivery()
            )
        except services.PspError:
            pass  # already closed: show where it stands
        return HttpResponseRedirect(found.redirect_url)
    return render(
        request,
        "payments/checkout.html",
        {"payment": found, "form": form},
        status=400 if form.is_bound else 200,
    )


@psp_api
def deliveries_release(request: HttpRequest, payment_id: str) -> HttpResponse:
    """Test-only: send the held webhooks of a payment now, in reverse (or ``?order=forward|shuffle``)."""
    if request.method != "POST":
        return _error(405, "Method not allowed.")
    order = request.GET.get("order", "reverse")
    sent = services.psp_deliveries_release(
        payment_id=services.psp_payment_get(payment_id=payment_id).id, order=order
    )
    return _ok({"released": sent})
