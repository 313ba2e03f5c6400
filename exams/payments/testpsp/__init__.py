"""A built-in payment service provider for the demo and the tests.

From the outside it behaves like Mollie: the same REST shape under ``/payments/test-psp/v2/``
(payments, payment by id, refunds), the same JSON, ids starting with ``tr_`` and ``re_``, a checkout page,
and webhooks that carry only the payment id, sent asynchronously. Its state lives in its own tables
(``PspPayment``, ``PspRefund``, ``PspWebhookDelivery``), never in the app's ``Payment``. Because of that,
the Mollie provider pointed at this endpoint runs its real client code end to end.
"""


def testpsp_enabled() -> bool:
    """The test PSP pays with made-up money, so it is off in production unless ``TEST_PSP["ENABLED"]`` says
    otherwise: then its pages answer 404 and the "test" provider is not offered."""
    from django.conf import settings

    return bool(getattr(settings, "TEST_PSP", {}).get("ENABLED", settings.ENVIRONMENT != "production"))
