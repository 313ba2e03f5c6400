"""Celery tasks of the exam domain. Tasks take ids, call one service, and return something small."""

from __future__ import annotations

from celery import shared_task

from .services import bookings


@shared_task(name="exams.tasks.expire_holds", acks_late=True)
def expire_holds() -> int:
    """Periodic: return the seats of unpaid bookings whose hold has run out."""
    return bookings.expire_holds()


@shared_task(name="exams.tasks.ping")
def ping(value: str) -> dict:
    """Round trip through the broker for the health check and the worker test; touches the database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"echo": value, "database": connection.vendor}


@shared_task(name="exams.tasks.booking_confirmed", acks_late=True)
def booking_confirmed(booking_id: int) -> None:
    """Send the confirmation for a booking that has just been paid (once: see notifications)."""
    from .services import notifications

    notifications.booking_confirmation_send(booking_id=booking_id)


@shared_task(name="exams.tasks.registration_refund", acks_late=True, autoretry_for=(ConnectionError,),
             retry_backoff=True, max_retries=8)
def registration_refund(registration_id: int) -> str:
    """Refund a cancelled registration's fee through its payment provider, once (keyed per registration)."""
    from .services import refunds

    return refunds.registration_refund(registration_id=registration_id)


@shared_task(name="exams.tasks.planning_run", acks_late=True)
def planning_run(run_id: int) -> str:
    """Solve a planning run; progress and the result are written to its row."""
    from .planning.runs import run_execute

    return run_execute(run_id=run_id).status


@shared_task(name="exams.tasks.retention_erase")
def retention_erase() -> int:
    """Periodic: pseudonymise candidates past the retention period."""
    from .privacy import retention_erase as erase

    return erase()


@shared_task(name="exams.tasks.roster_notify", acks_late=True)
def roster_notify(version_id: int) -> int:
    """Tell every candidate and staff member a published roster version changed, once each."""
    from .services import notifications

    return notifications.roster_version_send(version_id=version_id)


@shared_task(name="exams.tasks.registration_moved", acks_late=True)
def registration_moved(registration_id: int) -> bool:
    """Tell a candidate a planner moved their exam (once)."""
    from .services import notifications

    return notifications.registration_moved_send(registration_id=registration_id)


@shared_task(name="exams.tasks.registration_changed", acks_late=True)
def registration_changed(registration_id: int) -> bool:
    """Tell a candidate the change of sitting they made, with a calendar update (once)."""
    from .services import notifications

    return notifications.registration_changed_send(registration_id=registration_id)


@shared_task(name="exams.tasks.registrations_cancelled", acks_late=True)
def registrations_cancelled(registration_ids: list[int], refunded_ids: list[int], unpaid_invoice: bool) -> bool:
    """Tell a candidate what they cancelled and what is refunded, with a calendar cancellation (once)."""
    from .services import notifications

    return notifications.registrations_cancelled_send(registration_ids=registration_ids, refunded_ids=refunded_ids,
                                                      unpaid_invoice=unpaid_invoice)


@shared_task(name="exams.tasks.duty_replaced", acks_late=True)
def duty_replaced(assignment_id: int, before_examiner_id: int, version: int) -> int:
    """Tell both examiners a planner handed a duty from one to the other (once per edit)."""
    from .services import notifications

    return notifications.duty_replaced_send(assignment_id=assignment_id,
                                            before_examiner_id=before_examiner_id, version=version)


@shared_task(name="exams.tasks.audit_seal")
def audit_seal() -> int:
    """Periodic: chain the audit entries written since the last run."""
    from . import audit

    return audit.seal()


@shared_task(name="exams.tasks.written_plan", acks_late=True)
def written_plan(plan_id: int) -> str:
    """Plan a VO written period's national dates as a preview; progress and the timetable go to its row."""
    from .planning.written_runs import plan_execute

    return plan_execute(plan_id=plan_id).status


@shared_task(name="exams.tasks.qualification_reminders", acks_late=True)
def qualification_reminders() -> int:
    """Daily: remind examiners whose qualification ends within 60 days (once per qualification and date)."""
    from .services import notifications

    return notifications.qualification_reminders_send()
