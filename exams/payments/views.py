"""Pages of the payments app (the test PSP has its own, in ``testpsp.views``)."""

from __future__ import annotations

import logging
from uuid import UUID

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import services
from .errors import UnknownPayment
from .models import Payment, PaymentEvent
from .providers import ProviderError
from .providers.base import public_url

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def payment_return(request: HttpRequest, reference: UUID) -> HttpResponse:
    """The payer is back from the provider. Ask the provider where the payment stands now (the webhook may
    still be on its way), then send them on to the page they started from. The unguessable reference is
    the only key; a sync changes nothing a webhook would not."""
    payment = get_object_or_404(Payment.objects.exclude(provider_payment_id=None), reference=reference)
    try:
        services.payment_sync(
            provider=payment.provider,
            provider_payment_id=payment.provider_payment_id,
            source=PaymentEvent.Source.RETURN,
        )
    except (ProviderError, UnknownPayment) as exc:
        logger.warning("payment %s: status check on return failed: %s", payment.pk, exc)
    return HttpResponseRedirect(payment.return_url or public_url("/"))
