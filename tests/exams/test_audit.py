"""The audit log: security-relevant actions recorded, append-only, and a hash chain that reveals tampering."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from exams.audit import verify_chain
from exams.models import AuditEvent
from exams.services.bookings import SeatRequest, booking_create

pytestmark = pytest.mark.django_db


def test_logins_bookings_and_denials_are_recorded_without_secrets(make_session, candidate, other_candidate, api_for,
                                                                  django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):  # entries are written when their transaction commits
        client.post("/login/", {"username": "cand.one@example.org", "password": "wrong-password"})
        client.post("/login/", {"username": "cand.one@example.org", "password": "a-long-test-password"})
        theirs = booking_create(candidate=other_candidate, requests=[SeatRequest(make_session().pk)])
        api_for(candidate.user).get(f"/api/v1/bookings/{theirs.pk}")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert {"login_failed", "login", "booking_created", "permission_denied"} <= set(actions)
    dump = str(list(AuditEvent.objects.values()))
    for secret in ("wrong-password", "a-long-test-password", "123456782", "cand.one@example.org"):
        assert secret not in dump


def test_the_chain_verifies_and_detects_tampering(make_session, candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for day in (30, 32, 34):
            booking_create(candidate=candidate, requests=[SeatRequest(make_session(capacity=5, days=day).pk)])
    assert verify_chain() == (3, None)
    call_command("audit_verify")
    event = AuditEvent.objects.order_by("pk")[1]
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE exams_auditevent SET action = 'nothing' WHERE id = %s", [event.pk])
    assert verify_chain() == (2, event.pk)
    with pytest.raises(CommandError, match="broken"):
        call_command("audit_verify")


def test_nothing_is_logged_for_a_transaction_that_rolls_back(make_session, candidate,
                                                              django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            booking_create(candidate=candidate, requests=[SeatRequest(make_session().pk)])
            raise RuntimeError("the request failed after booking")
    assert not AuditEvent.objects.filter(action="booking_created").exists()


def test_entries_are_sealed_in_the_order_written_and_sealing_twice_changes_nothing(
        django_capture_on_commit_callbacks):
    from exams import audit
    from exams.tasks import audit_seal

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            audit.record("sealing_test", object_type="Test", object_id=str(n))
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 3  # written at once, chained later
    assert audit_seal() == 3 and audit_seal() == 0
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.object_id for r in rows] == ["0", "1", "2"] and rows[1].prev_hash == rows[0].hash
    assert verify_chain() == (3, None)
