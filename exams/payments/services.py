"""Payments for bookings: start, sync from the provider, refund, and reconcile.

Everything that changes money locks rows in one fixed order, booking → payment → refund, and re-checks the
state under the lock, so a webhook delivered five times, out of order or in parallel changes things once.
Provider calls happen outside those locks where they can (fetching a status, sending a queued refund),
and each carries an idempotency key, so a retry after a crash never pays or refunds twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from exams.errors import RuleViolation
from exams.jobs.outbox import enqueue
from exams.models import Booking, User
from exams.services.bookings import (
    PAYABLE,
    BookingNotConfirmable,
    booking_confirm,
    booking_mark_pending_payment,
)

from .errors import (
    BookingNotPayable,
    IdempotencyKeyReused,
    InvoiceNotAllowed,
    PaymentProviderError,
    UnknownPayment,
    UnknownProviderError,
)
from .models import Payment, PaymentEvent, Refund, WebhookEvent, next_status
from .providers import (
    PaymentProvider,
    ProviderError,
    ProviderRejected,
    RemotePayment,
    UnknownProvider,
    get_provider,
    provider_config,
    provider_names,
)

logger = logging.getLogger(__name__)
security = logging.getLogger("exams.security")

Source = PaymentEvent.Source


# --- Starting a payment ------------------------------------------------------------------------------


def payment_start(
    *,
    booking: Booking,
    provider: str,
    return_url: str,
    idempotency_key: str | None = None,
    actor: User | None = None,
) -> Payment:
    """Start paying for ``booking`` with ``provider`` and return the payment (with its checkout URL).

    Online providers: the booking becomes ``pending_payment`` and the candidate goes to the checkout URL.
    Invoice: allowed when the family allows it and every session is far enough away; the booking is
    confirmed at once with an open invoice payment. Replaying the same ``idempotency_key`` for the same
    booking returns the payment the first call made and creates nothing.

    A booking has at most one open online payment per provider: paying again while one is open (a second
    tap, a second tab) sends the payer to that payment's checkout again instead of opening another one.
    The open payment is first checked at the provider, so one the payer cancelled or let expire there is
    closed here and a new one is started."""
    backend = _provider(provider)
    if backend.online:
        _refresh_open_payments(booking, provider)
    with transaction.atomic():
        locked = _lock_booking(booking.pk)
        payment = _earlier_payment(locked, provider, idempotency_key)
        if payment is None and backend.online:
            payment = _open_payment(locked, provider)
        replay = payment is not None
        if not replay:
            _check_payable(locked)
            if not backend.online:
                return _invoice_start(locked, backend, idempotency_key, actor)
            booking_mark_pending_payment(locked=locked, actor=actor)
            payment = Payment.objects.create(
                booking=locked,
                provider=provider,
                amount=locked.amount,
                currency=locked.currency,
                return_url=return_url,
                idempotency_key=idempotency_key or "",
            )
            _log(payment, "", Payment.Status.OPEN, Source.START)
    if replay and (payment.provider_payment_id or payment.status != Payment.Status.OPEN):
        return payment
    # A replay that finds no provider id yet came while the first call is still on its way to the provider:
    # it asks the provider as well, under the same idempotency key there, so both get one checkout URL.
    return _open_at_provider(payment, backend, replay=replay)


def _earlier_payment(booking: Booking, provider: str, idempotency_key: str | None) -> Payment | None:
    if not idempotency_key:
        return None
    existing = Payment.objects.filter(booking=booking, idempotency_key=idempotency_key).first()
    if existing is not None and existing.provider != provider:
        raise IdempotencyKeyReused(_("This Idempotency-Key was used for another payment."))
    return existing


def _open_payment(booking: Booking, provider: str) -> Payment | None:
    """The booking's open payment at ``provider`` (read under the booking's lock), if there is one."""
    return (
        Payment.objects.filter(booking=booking, provider=provider, status=Payment.Status.OPEN)
        .order_by("-created_at", "-pk")
        .first()
    )


def _refresh_open_payments(booking: Booking, provider: str) -> None:
    """Ask the provider where the booking's open payments stand before one is reused. A provider that does
    not answer changes nothing: the open payment is reused as it is."""
    for payment in Payment.objects.filter(
        booking=booking, provider=provider, status=Payment.Status.OPEN
    ).exclude(provider_payment_id=None):
        try:
            payment_sync(
                provider=provider, provider_payment_id=payment.provider_payment_id, source=Source.START
            )
        except (ProviderError, UnknownPayment) as exc:
            logger.warning("payment %s: status check before reuse failed: %s", payment.pk, exc)


def _provider(name: str) -> PaymentProvider:
    try:
        return get_provider(name)
    except UnknownProvider:
        raise UnknownProviderError(
            _("Unknown payment provider %(name)s.") % {"name": name}, details={"providers": provider_names()}
        ) from None


def _lock_booking(booking_id: int) -> Booking:
    return Booking.objects.select_for_update().get(pk=booking_id)


def _check_payable(booking: Booking) -> None:
    if booking.status not in PAYABLE:
        raise BookingNotPayable(
            _("This booking is %(status)s; there is nothing to pay.") % {"status": booking.get_status_display()},
            details={"status": booking.status},
        )
    if booking.expires_at is not None and booking.expires_at <= timezone.now():
        raise BookingNotPayable(
            _("The seats were held too long ago; book again."), details={"status": "expired"}
        )
    if booking.amount <= 0:
        raise BookingNotPayable(_("This booking costs nothing."), details={"amount": str(booking.amount)})


def _open_at_provider(payment: Payment, backend: PaymentProvider, *, replay: bool = False) -> Payment:
    """Second step, outside the booking's lock: create the payment at the provider. Its idempotency key is
    the payment's reference, so a retry never creates a second payment there. A failure fails the payment,
    unless this is a ``replay``: then the first call decides."""
    try:
        provider_payment_id, checkout_url = backend.start_payment(payment)
    except ProviderError as exc:
        logger.warning("payment %s: %s could not start it: %s", payment.pk, payment.provider, exc)
        if not replay:
            with transaction.atomic():
                _lock_booking(payment.booking_id)
                locked = Payment.objects.select_for_update().get(pk=payment.pk)
                _move(locked, Payment.Status.FAILED, Source.START, note=str(exc))
        raise PaymentProviderError(_("The payment provider is not available; try again in a moment.")) from exc
    Payment.objects.filter(pk=payment.pk).update(
        provider_payment_id=provider_payment_id, checkout_url=checkout_url
    )
    payment.refresh_from_db()
    return payment


def _invoice_start(
    booking: Booking, backend: PaymentProvider, idempotency_key: str | None, actor: User | None
) -> Payment:
    _check_invoice_allowed(booking)
    payment = Payment(
        booking=booking,
        provider=backend.name,
        amount=booking.amount,
        currency=booking.currency,
        idempotency_key=idempotency_key or "",
    )
    payment.provider_payment_id, _checkout = backend.start_payment(payment)
    payment.save()
    _log(payment, "", Payment.Status.OPEN, Source.START, note="invoice")
    booking_confirm(booking=booking, actor=actor, reason="invoice payment")
    return payment


def invoice_allowed(booking: Booking, *, now=None) -> bool:
    """Every session in the booking belongs to a family with invoice payment and is at least its
    ``invoice_until_days`` away."""
    now = now or timezone.now()
    registrations = booking.registrations.select_related("session", "part__programme__family")
    for registration in registrations:
        days = registration.part.programme.family.invoice_until_days
        if days is None or registration.session.starts_at - now < timedelta(days=days):
            return False
    return registrations.exists()


def _check_invoice_allowed(booking: Booking) -> None:
    if not invoice_allowed(booking):
        raise InvoiceNotAllowed(_("Paying by invoice is not possible for this booking: pay online."))


def invoice_mark_paid(*, payment: Payment, actor: User | None = None) -> Payment:
    """Finance saw the money of an invoice arrive. Like a webhook's paid: recorded once; refunded when the
    booking was cancelled meanwhile."""
    with transaction.atomic():
        _lock_booking(payment.booking_id)
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if get_provider(locked.provider).online:
            raise RuleViolation(_("Only invoices are marked paid by hand."), code="not_an_invoice")
        if next_status(locked.status, Payment.Status.PAID) is not None:
            _move(locked, Payment.Status.PAID, Source.STAFF, note=f"by {actor}" if actor else "")
            _settle(locked)
    return locked


def payments_cancel_open(*, booking: Booking, reason: str = "booking cancelled") -> int:
    """A booking was cancelled: its open invoices are void. Open online payments stay open at the provider
    (most cannot be cancelled); if one is paid after all, ``payment_sync`` refunds it. Returns the number
    of invoices cancelled."""
    offline = [name for name in provider_config() if not _is_online(name)]
    cancelled = 0
    with transaction.atomic():
        _lock_booking(booking.pk)
        for payment in Payment.objects.select_for_update().filter(
            booking_id=booking.pk, status=Payment.Status.OPEN, provider__in=offline
        ):
            _move(payment, Payment.Status.CANCELLED, Source.STAFF, note=reason)
            cancelled += 1
    return cancelled


def invoice_unpaid(booking: Booking) -> bool:
    """The booking's money is an invoice that is not paid yet: nothing came in, so nothing is refunded."""
    offline = [name for name in provider_config() if not _is_online(name)]
    payments = Payment.objects.filter(booking_id=booking.pk)
    return (payments.filter(status=Payment.Status.OPEN, provider__in=offline).exists()
            and not payments.filter(status=Payment.Status.PAID).exists())


def invoices_reduce(*, booking: Booking, amount: Decimal, reason: str) -> None:
    """Part of a booking on an unpaid invoice was cancelled: its open invoices now ask for ``amount``
    (what is still booked). Runs in the caller's transaction, which holds the booking's lock."""
    offline = [name for name in provider_config() if not _is_online(name)]
    for payment in Payment.objects.select_for_update().filter(
        booking_id=booking.pk, status=Payment.Status.OPEN, provider__in=offline
    ).exclude(amount=amount):
        _log(payment, payment.status, payment.status, Source.STAFF,
             note=f"{reason}: amount {payment.amount} -> {amount}")
        payment.amount = amount
        payment.save(update_fields=["amount", "updated_at"])


# --- Syncing from the provider -------------------------------------------------------------------------


def payment_sync(
    *,
    provider: str,
    provider_payment_id: str,
    source: str = Source.WEBHOOK,
    webhook_event_id: int | None = None,
) -> Payment:
    """Fetch the payment's status from the provider and apply it once.

    On paid the booking is confirmed; when it can no longer be (the hold expired, the seat went to someone
    else, it was cancelled) or it was already paid by another payment, the money is recorded and exactly one
    refund is queued. Unknown ids and ids of another provider change nothing and are security events."""
    payment = _known_payment(provider, provider_payment_id)
    remote = get_provider(provider).fetch_status(provider_payment_id)
    return _apply(payment.pk, remote, source, webhook_event_id)


def _known_payment(provider: str, provider_payment_id: str) -> Payment:
    payment = Payment.objects.filter(provider_payment_id=provider_payment_id).first()
    if payment is None or payment.provider != provider:
        security.warning(
            "payment sync for unknown id %r of provider %r refused", provider_payment_id[:100], provider
        )
        raise UnknownPayment(_("No such payment."))
    return payment


def _apply(payment_id: int, remote: RemotePayment, source: str, webhook_event_id: int | None) -> Payment:
    with transaction.atomic():
        _lock_booking(Payment.objects.values_list("booking_id", flat=True).get(pk=payment_id))
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        new = next_status(payment.status, remote.status)
        if new is not None:
            _check_amount(payment, remote)
            _move(payment, new, source, paid_at=remote.paid_at)
            if new == Payment.Status.PAID:
                _settle(payment)
        if remote.amount_refunded > payment.amount_refunded:
            logger.warning(
                "payment %s: %s refunded at the provider, %s here",
                payment.pk,
                remote.amount_refunded,
                payment.amount_refunded,
            )
        if webhook_event_id is not None:
            outcome = WebhookEvent.Outcome.APPLIED if new else WebhookEvent.Outcome.NO_CHANGE
            WebhookEvent.objects.filter(pk=webhook_event_id).update(outcome=outcome)
            if remote.status == "open":
                # Providers call when a payment leaves open, never while it is open: this call was made up.
                security.warning(
                    "webhook %s for payment %s, which %s reports still open: nothing changed",
                    webhook_event_id,
                    payment.pk,
                    payment.provider,
                )
    return payment


def _check_amount(payment: Payment, remote: RemotePayment) -> None:
    if remote.amount != payment.amount or remote.currency != payment.currency:
        security.error(
            "payment %s: provider reports %s %s, we asked %s %s",
            payment.pk,
            remote.currency,
            remote.amount,
            payment.currency,
            payment.amount,
        )


def _settle(payment: Payment) -> None:
    """The money is in: confirm the booking, or give the money back when that is no longer possible."""
    try:
        confirmed = booking_confirm(booking=payment.booking, reason=f"paid via {payment.provider}")
    except BookingNotConfirmable:
        logger.info(
            "payment %s arrived after booking %s could no longer be confirmed: refunding",
            payment.pk,
            payment.booking_id,
        )
        _queue_refund(
            payment,
            payment.refundable,
            "paid after the booking expired or was cancelled",
            f"late-payment-{payment.reference}",
        )
        return
    if not confirmed and _paid_before(payment):
        _queue_refund(
            payment, payment.refundable, "the booking was already paid", f"double-payment-{payment.reference}"
        )


def _paid_before(payment: Payment) -> bool:
    return (
        Payment.objects.filter(booking_id=payment.booking_id, status=Payment.Status.PAID)
        .exclude(pk=payment.pk)
        .exists()
    )


def _move(payment: Payment, to: str, source: str, *, note: str = "", paid_at=None) -> None:
    """Change a locked payment's status and log it."""
    _log(payment, payment.status, to, source, note=note)
    payment.status = to
    if to == Payment.Status.PAID:
        payment.paid_at = paid_at or timezone.now()
    payment.save(update_fields=["status", "paid_at", "updated_at"])


def _log(payment: Payment, from_status: str, to: str, source: str, *, note: str = "") -> None:
    PaymentEvent.objects.create(
        payment=payment, from_status=from_status, to_status=to, source=source, note=note[:200]
    )
    logger.info(
        "payment %s (%s) %s -> %s by %s", payment.pk, payment.provider, from_status or "-", to, source
    )


# --- Refunds -------------------------------------------------------------------------------------------


def payment_refund(*, booking: Booking, amount: Decimal, reason: str, idempotency_key: str) -> Refund | None:
    """Pay back up to ``amount`` of what was paid for ``booking`` (never more than was paid and not yet
    refunded), through the provider that took the money. Returns the refund, or None when nothing was paid.

    Idempotent per key: calling again with the same key returns the first refund and pays nothing more.
    The provider is called after the commit (a Celery task), so a rolled-back caller refunds nothing."""
    amount = Decimal(amount)
    if amount <= 0:
        raise RuleViolation(_("A refund must be more than zero."), code="invalid_refund_amount")
    with transaction.atomic():
        _lock_booking(booking.pk)
        existing = Refund.objects.select_related("payment").filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.payment.booking_id != booking.pk:
                raise IdempotencyKeyReused(_("This idempotency key was used for another booking's refund."))
            return existing
        paid = list(
            Payment.objects.select_for_update()
            .filter(booking_id=booking.pk, status=Payment.Status.PAID)
            .order_by("paid_at", "pk")
        )
        return _spread_refund(paid, amount, reason, idempotency_key)


def _spread_refund(paid: list[Payment], amount: Decimal, reason: str, key: str) -> Refund | None:
    """Take the refund from the booking's paid payments, oldest first; the first refund carries ``key``."""
    left, first = amount, None
    for payment in paid:
        part = min(left, payment.refundable)
        if part <= 0:
            continue
        refund = _queue_refund(payment, part, reason, key if first is None else f"{key}#{payment.pk}")
        first = first or refund
        left -= part
        if left <= 0:
            break
    return first


def _queue_refund(payment: Payment, amount: Decimal, reason: str, key: str) -> Refund | None:
    """Write the refund and reserve its amount on the locked payment; send it after the commit."""
    if amount <= 0:
        return None
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    refund = Refund.objects.create(payment=payment, amount=amount, reason=reason[:200], idempotency_key=key)
    payment.amount_refunded += amount
    payment.save(update_fields=["amount_refunded", "updated_at"])
    _send_refund(refund.pk)
    return refund


def _send_refund(refund_id: int) -> None:
    from .tasks import refund_submit

    enqueue(refund_submit, refund_id)


REFUND_STATUSES = {
    "refunded": Refund.Status.REFUNDED,
    "failed": Refund.Status.FAILED,
    "canceled": Refund.Status.FAILED,
}


def refund_submit(*, refund_id: int) -> Refund:
    """Send a queued refund to the provider. Safe to run twice or in parallel: the provider gets the same
    idempotency key each time, and only a queued refund is updated."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status != Refund.Status.QUEUED:
        return refund
    payment = refund.payment
    try:
        remote = get_provider(payment.provider).refund(
            provider_payment_id=payment.provider_payment_id,
            amount=refund.amount,
            currency=payment.currency,
            description=refund.reason,
            idempotency_key=f"refund-{payment.reference}-{refund.pk}",
        )
    except ProviderRejected as exc:
        return _refund_failed(refund, str(exc))
    except (ProviderError, UnknownProvider) as exc:
        logger.warning("refund %s stays queued: %s", refund.pk, exc)
        return refund
    with transaction.atomic():
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        if locked.status == Refund.Status.QUEUED:
            locked.status = REFUND_STATUSES.get(remote.status, Refund.Status.PENDING)
            locked.provider_refund_id = remote.id
            locked.submitted_at = timezone.now()
            locked.save(update_fields=["status", "provider_refund_id", "submitted_at"])
    return locked


def _refund_failed(refund: Refund, error: str) -> Refund:
    """The provider refused: release the reserved amount and leave it for a person to look at."""
    logger.error("refund %s of payment %s refused by the provider: %s", refund.pk, refund.payment_id, error)
    with transaction.atomic():
        _lock_booking(refund.payment.booking_id)
        payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        if locked.status in (Refund.Status.QUEUED, Refund.Status.PENDING):
            locked.status, locked.error = Refund.Status.FAILED, error[:300]
            locked.save(update_fields=["status", "error"])
            payment.amount_refunded -= locked.amount
            payment.save(update_fields=["amount_refunded", "updated_at"])
    return locked


# --- Webhooks ------------------------------------------------------------------------------------------


def webhook_provider(name: str) -> PaymentProvider:
    """The provider a webhook URL names; only online providers take webhooks."""
    backend = get_provider(name)
    if not backend.online:
        raise UnknownProvider(name)
    return backend


def webhook_receive(
    *, provider: str, provider_payment_id: str | None, remote_addr: str | None = None
) -> WebhookEvent:
    """Log a webhook call and queue a sync for it. The call is a hint, not a fact: nothing in it is trusted
    but the id, and ids we did not hand to this provider are refused (and logged as security events)."""
    event = WebhookEvent.objects.create(
        provider=provider, provider_payment_id=(provider_payment_id or "")[:100], remote_addr=remote_addr
    )
    payment = (
        Payment.objects.filter(provider_payment_id=provider_payment_id).first()
        if provider_payment_id
        else None
    )
    outcome = _webhook_refusal(provider, provider_payment_id, payment)
    if outcome is not None:
        security.warning(
            "forged or misdirected webhook %s: provider %r, id %r, from %s: %s",
            event.pk,
            provider,
            (provider_payment_id or "")[:100],
            remote_addr,
            outcome,
        )
        WebhookEvent.objects.filter(pk=event.pk).update(outcome=outcome)
        event.outcome = outcome
        return event
    WebhookEvent.objects.filter(pk=event.pk).update(payment=payment)
    _queue_sync(provider, provider_payment_id, event.pk)
    return event


def _webhook_refusal(provider: str, provider_payment_id: str | None, payment: Payment | None) -> str | None:
    if not provider_payment_id:
        return WebhookEvent.Outcome.INVALID
    if payment is None:
        return WebhookEvent.Outcome.UNKNOWN_ID
    if payment.provider != provider:
        return WebhookEvent.Outcome.WRONG_PROVIDER
    return None


def _queue_sync(provider: str, provider_payment_id: str, webhook_event_id: int) -> None:
    from .tasks import payment_sync as payment_sync_task

    enqueue(payment_sync_task, provider, provider_payment_id, webhook_event_id)


# --- Reconciliation ------------------------------------------------------------------------------------


@dataclass
class ReconcileReport:
    checked: int = 0
    changed: int = 0
    errors: int = 0
    abandoned: int = 0
    refunds_resent: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def payments_reconcile(*, now=None) -> ReconcileReport:
    """Settle what webhooks missed: sync open online payments older than
    ``PAYMENTS_RECONCILE_AFTER_MINUTES`` (oldest first, at most ``PAYMENTS_RECONCILE_BATCH`` a run), fail
    the ones that never reached their provider, and resend refunds still queued. Safe to run often and in
    parallel (each sync locks and re-checks)."""
    now = now or timezone.now()
    due = now - timedelta(minutes=getattr(settings, "PAYMENTS_RECONCILE_AFTER_MINUTES", 10))
    report = ReconcileReport()
    online = [name for name in provider_config() if _is_online(name)]
    open_payments = Payment.objects.filter(
        status=Payment.Status.OPEN, provider__in=online, created_at__lte=due
    )
    batch = getattr(settings, "PAYMENTS_RECONCILE_BATCH", 200)
    for payment in open_payments.order_by("created_at", "pk")[:batch]:
        _reconcile_one(payment, report)
    for refund_id in Refund.objects.filter(
        status=Refund.Status.QUEUED, created_at__lte=now - timedelta(minutes=1)
    ).values_list("pk", flat=True):
        refund_submit(refund_id=refund_id)
        report.refunds_resent += 1
    if report.changed or report.errors or report.abandoned:
        logger.info("payments reconciled: %s", report.as_dict())
    return report


def _is_online(name: str) -> bool:
    try:
        return get_provider(name).online
    except Exception:  # a misconfigured provider must not stop reconciling the others
        logger.exception("payment provider %s cannot be built", name)
        return False


def _reconcile_one(payment: Payment, report: ReconcileReport) -> None:
    report.checked += 1
    if not payment.provider_payment_id:
        with transaction.atomic():
            _lock_booking(payment.booking_id)
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            if locked.status == Payment.Status.OPEN and not locked.provider_payment_id:
                _move(locked, Payment.Status.FAILED, Source.RECONCILE, note="never reached the provider")
                report.abandoned += 1
        return
    before = payment.status
    try:
        synced = payment_sync(
            provider=payment.provider,
            provider_payment_id=payment.provider_payment_id,
            source=Source.RECONCILE,
        )
    except ProviderError as exc:
        logger.warning("reconcile: payment %s not synced: %s", payment.pk, exc)
        report.errors += 1
        return
    if synced.status != before:
        report.changed += 1


def payments_paid_total(booking: Booking) -> Decimal:
    """Money received for a booking minus what was refunded (for display and checks)."""
    paid = Payment.objects.filter(booking=booking, status=Payment.Status.PAID).aggregate(
        paid=Sum("amount"), refunded=Sum("amount_refunded")
    )
    return (paid["paid"] or Decimal("0")) - (paid["refunded"] or Decimal("0"))
