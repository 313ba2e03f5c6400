"""Helpers for the payment tests at scale (``test_at_scale``): many candidates with held bookings made through
the booking service, payments started through the payment service, webhooks sent by the test PSP to the real
webhook view from parallel threads, and counters for what a confirmation causes."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from functools import partial

from django.core import mail
from django.db import connection

from .transport import DjangoClientAdapter, in_process_session

THREADS = 8


def in_parallel(jobs: list[Callable], threads: int = THREADS) -> list:
    """Run ``jobs`` on ``threads`` threads that start together, each taking the next job as soon as it is
    free; every thread uses its own database connection. Returns the results in the order of ``jobs``."""
    barrier = threading.Barrier(threads)
    results: list = [None] * len(jobs)
    lock = threading.Lock()
    queue = iter(range(len(jobs)))

    def worker(_) -> None:
        try:
            barrier.wait(timeout=30)
            while True:
                with lock:
                    index = next(queue, None)
                if index is None:
                    return
                results[index] = jobs[index]()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(worker, range(threads)))  # list(): re-raises the first exception of a thread
    return results


def thread_local_http(monkeypatch) -> None:
    """The test PSP's webhooks and the Mollie client's calls go through a Django test client of the calling
    thread's own (one shared test client is not safe to use from several threads at once)."""
    from django.conf import settings

    from exams.payments.testpsp import services as psp

    local = threading.local()

    def session():
        if not hasattr(local, "adapter"):
            local.adapter = DjangoClientAdapter()
        return in_process_session(local.adapter)

    monkeypatch.setattr(psp, "http_session", session)
    monkeypatch.setitem(settings.PAYMENT_PROVIDERS["mollie"], "http_session", session)


def make_candidates(count: int, prefix: str = "scale") -> list:
    """``count`` candidates with verified accounts, written in bulk (no password: they never log in)."""
    from exams.models import Candidate, User

    users = User.objects.bulk_create(
        User(email=f"{prefix}.{i}@example.org", role="candidate", email_verified=True, password="!")
        for i in range(count)
    )
    return Candidate.objects.bulk_create(
        Candidate(
            user=user, first_name="Kandidaat", last_name=f"{prefix} {i}", birth_date=date(1990, 5, 1),
            email=user.email, national_id="123456782", latitude=Decimal("52.37"), longitude=Decimal("4.90"),
        )
        for i, user in enumerate(users)
    )


def held_bookings(candidates: list, make_session, *, per_session: int = 50, first_day: int = 30) -> list:
    """One held booking per candidate through ``booking_create`` (in parallel, as in a rush), ``per_session``
    candidates per session."""
    from exams.services.bookings import SeatRequest, booking_create

    sessions = [
        make_session("NT2-II-LZ", days=first_day + i, capacity=per_session)
        for i in range(math.ceil(len(candidates) / per_session))
    ]
    return in_parallel([
        partial(booking_create, candidate=c, requests=[SeatRequest(sessions[i // per_session].pk)])
        for i, c in enumerate(candidates)
    ])


def start_payments(bookings: list, provider: str = "test") -> list:
    """Start a payment for each booking through ``payment_start``, in parallel."""
    from exams.payments.services import payment_start

    return in_parallel([
        partial(payment_start, booking=b, provider=provider, return_url="http://testserver/done")
        for b in bookings
    ])


def act_at_psp(payments: list, choices: list[str], delivery) -> None:
    """The payers' choices on the PSP's checkout page (``choices[i]`` for ``payments[i]``), in parallel."""
    from exams.payments.testpsp.services import psp_payment_act

    in_parallel([
        partial(psp_payment_act, payment_id=p.provider_payment_id, action=choice, delivery=delivery)
        for p, choice in zip(payments, choices, strict=True)
    ])


class Effects:
    """What confirmations caused, per booking: registration confirmations in the audit trail, confirmation
    e-mails sent (the outbox and the send-once rows) and summons letters rendered (the document the
    confirmation job makes and attaches)."""

    def __init__(self, monkeypatch) -> None:
        from exams.services import notifications

        self.summons: Counter = Counter()
        render = notifications.render_summons
        lock = threading.Lock()

        def counting_render(data, *, language):
            with lock:
                self.summons[data.booking_reference] += 1
            return render(data, language=language)

        monkeypatch.setattr(notifications, "render_summons", counting_render)

    @staticmethod
    def confirmations() -> Counter:
        from exams.models import RegistrationEvent

        return Counter(
            RegistrationEvent.objects.filter(to_status="confirmed").values_list(
                "registration__booking_id", flat=True
            )
        )

    @staticmethod
    def emails() -> Counter:
        """Confirmation e-mails in the outbox (the ones with the exams' calendar file), per recipient."""
        return Counter(
            address
            for message in mail.outbox
            if any(name == "exams.ics" for name, *_rest in message.attachments)
            for address in message.to
        )

    @staticmethod
    def notifications() -> Counter:
        from exams.models import Notification

        return Counter(
            Notification.objects.filter(kind="booking_confirmed", sent_at__isnull=False).values_list(
                "key", flat=True
            )
        )

    def documents(self) -> Counter:
        return self.summons


def illegal_transitions() -> list[str]:
    """Every logged status change of every payment and registration that the state machines do not allow,
    or that does not start where the previous change ended."""
    from exams.models import RegistrationEvent
    from exams.models.registrations import TRANSITIONS
    from exams.payments.models import PaymentEvent, next_status

    wrong: list[str] = []
    last: dict[tuple[str, int], str] = {}
    changes = PaymentEvent.objects.order_by("pk").values_list("payment_id", "from_status", "to_status")
    for pk, src, dst in changes:
        allowed = dst == "open" if ("p", pk) not in last else next_status(src, dst) == dst
        if last.get(("p", pk), "") != src or not allowed:
            wrong.append(f"payment {pk}: {src or '-'} -> {dst}")
        last[("p", pk)] = dst
    changes = RegistrationEvent.objects.order_by("pk").values_list("registration_id", "from_status", "to_status")
    for pk, src, dst in changes:
        if ("r", pk) not in last:
            allowed = not src
        else:
            allowed = src == last[("r", pk)] and dst in TRANSITIONS[src]
        if not allowed:
            wrong.append(f"registration {pk}: {src or '-'} -> {dst}")
        last[("r", pk)] = dst
    return wrong
