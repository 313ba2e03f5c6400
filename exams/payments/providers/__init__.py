"""Payment providers behind one small interface (``base.PaymentProvider``), picked by name from settings.

``settings.PAYMENT_PROVIDERS`` maps a name to ``{"class": "dotted.path", **options}``. Without it the
defaults are the built-in test PSP ("test", not in production), invoice payment ("invoice") and, when
``MOLLIE_API_KEY`` is set, Mollie ("mollie"; ``MOLLIE_API_ENDPOINT`` may point it elsewhere, e.g. at the
test PSP).
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from .base import (
    PaymentProvider,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    RemotePayment,
    RemoteRefund,
)

__all__ = [
    "PaymentProvider",
    "ProviderError",
    "ProviderRejected",
    "ProviderUnavailable",
    "RemotePayment",
    "RemoteRefund",
    "UnknownProvider",
    "get_provider",
    "provider_names",
]


class UnknownProvider(LookupError):
    """No provider of that name is configured."""


def default_providers() -> dict[str, dict[str, Any]]:
    from ..testpsp import testpsp_enabled

    providers: dict[str, dict[str, Any]] = {
        "invoice": {"class": "exams.payments.providers.invoice.InvoiceProvider"}
    }
    if testpsp_enabled():
        providers["test"] = {"class": "exams.payments.providers.testpsp.TestPspProvider"}
    if os.environ.get("MOLLIE_API_KEY"):
        providers["mollie"] = {
            "class": "exams.payments.providers.mollie.MollieProvider",
            "api_key": os.environ["MOLLIE_API_KEY"],
            "api_endpoint": os.environ.get("MOLLIE_API_ENDPOINT", ""),
        }
    return providers


def provider_config() -> dict[str, dict[str, Any]]:
    return getattr(settings, "PAYMENT_PROVIDERS", None) or default_providers()


def provider_names() -> list[str]:
    return sorted(provider_config())


def get_provider(name: str) -> PaymentProvider:
    """The provider configured under ``name``; raises ``UnknownProvider``."""
    config = provider_config().get(name)
    if config is None:
        raise UnknownProvider(name)
    options = dict(config)
    cls = options.pop("class")
    return (import_string(cls) if isinstance(cls, str) else cls)(name, **options)
