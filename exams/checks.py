"""Deployment checks of the exam domain's own settings (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def invoice_account_set(app_configs, **kwargs) -> list[Warning]:
    """Invoices tell candidates which account to pay into: production must name the agency's own."""
    if settings.ENVIRONMENT == "production" and not settings.EXAMS["INVOICE_ACCOUNT"]["IBAN"]:
        return [Warning("INVOICE_IBAN is not set: invoices would name no account to pay into.",
                        hint="Set INVOICE_IBAN, INVOICE_BIC and INVOICE_ACCOUNT_NAME.", id="exams.W001")]
    return []
