"""Mollie, through its official client (``mollie-api-python``). Webhook-driven: Mollie posts only the
payment id; the status is always fetched with the API key, never read from the request.

Options: ``api_key`` (``test_…`` or ``live_…``), ``api_endpoint`` (default Mollie's; the tests point it at
the built-in test PSP), ``timeout`` and ``http_session`` (a factory of the ``requests.Session`` the client
should use: the client creates one lazily as ``_client``, and an injected one lets tests route its calls
in-process)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from mollie.api.client import Client
from mollie.api.error import Error as MollieError
from mollie.api.error import RequestError, RequestSetupError, ResponseError, ResponseHandlingError
from mollie.api.objects.payment import Payment as MolliePayment
from mollie.api.resources.refunds import PaymentRefunds

from .base import (
    PaymentProvider,
    ProviderRejected,
    ProviderUnavailable,
    RemotePayment,
    RemoteRefund,
    origin,
    public_url,
)
from .testpsp import description_of

if TYPE_CHECKING:
    from ..models import Payment


class MollieProvider(PaymentProvider):
    #: Mollie's hosted checkout (``checkout_url`` of a payment).
    CHECKOUT_ORIGIN = "https://www.mollie.com"

    def checkout_origins(self) -> tuple[str, ...]:
        if self.options.get("api_endpoint"):  # Mollie's API shape served elsewhere (the test PSP over HTTP)
            return (self.CHECKOUT_ORIGIN, origin(public_url("/")))
        return (self.CHECKOUT_ORIGIN,)

    def client(self) -> Client:
        client = Client(
            api_endpoint=self.options.get("api_endpoint") or "", timeout=self.options.get("timeout", (2, 10))
        )
        client.set_api_key(self.options["api_key"])
        client.set_user_agent_component("ExamLogistics", "1")
        session_factory = self.options.get("http_session")
        if session_factory is not None:
            client._client = session_factory()
        return client

    def start_payment(self, payment: Payment) -> tuple[str, str]:
        data = {
            "amount": money(payment.amount, payment.currency),
            "description": description_of(payment),
            "redirectUrl": self.redirect_url(payment),
            "webhookUrl": self.webhook_url(),
            "metadata": {"reference": str(payment.reference), "booking": payment.booking_id},
        }
        created = self._call(lambda c: c.payments.create(data, idempotency_key=str(payment.reference)))
        return created.id, created.checkout_url or ""

    def fetch_status(self, provider_payment_id: str) -> RemotePayment:
        found = self._call(lambda c: c.payments.get(provider_payment_id))
        amount = found.amount or {}
        refunded = found.amount_refunded or {}
        return RemotePayment(
            id=found.id,
            status=found.status,
            amount=Decimal(amount.get("value", "0")),
            currency=amount.get("currency", "EUR"),
            amount_refunded=Decimal(refunded.get("value", "0")),
            paid_at=datetime.fromisoformat(found.paid_at) if found.paid_at else None,
        )

    def refund(
        self,
        *,
        provider_payment_id: str,
        amount: Decimal,
        currency: str,
        description: str,
        idempotency_key: str,
    ) -> RemoteRefund:
        data = {"amount": money(amount, currency), "description": description[:140]}

        def create(client: Client) -> Any:
            # A refund hangs off its payment; a stub payment object saves fetching the payment first.
            refunds = PaymentRefunds(client, MolliePayment({"id": provider_payment_id}, client))
            return refunds.create(data, idempotency_key=idempotency_key)

        created = self._call(create)
        return RemoteRefund(id=created.id, status=created.status)

    def _call(self, request):
        """Run one API call, turning the client's errors into ours: a 4xx is a rejection, anything else
        (network trouble, 5xx, an unreadable answer) means try again later."""
        client = None
        try:
            client = self.client()
            return request(client)
        except ResponseError as exc:
            if exc.status is not None and 400 <= int(exc.status) < 500:
                raise ProviderRejected(str(exc)) from exc
            raise ProviderUnavailable(str(exc)) from exc
        except RequestSetupError as exc:  # a malformed id or key: no request was sent
            raise ProviderRejected(str(exc)) from exc
        except (RequestError, ResponseHandlingError) as exc:
            raise ProviderUnavailable(str(exc)) from exc
        except MollieError as exc:
            raise ProviderRejected(str(exc)) from exc
        finally:
            _close(client)


def _close(client: Client | None) -> None:
    """One client per call: close its connections rather than leave sockets to the garbage collector."""
    session = getattr(client, "_client", None)
    if session is not None:
        session.close()


def money(amount: Decimal, currency: str) -> dict[str, str]:
    """Mollie's amount: a string with exactly two decimals."""
    return {"currency": currency, "value": f"{amount:.2f}"}
