"""Released results: one notification each, inspection and objection requests, print batches for staff."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from certificates.issuance import issue_for_candidate
from certificates.models import PrintBatch, ResultRequest
from certificates.requests import results_release_notify
from certificates.results import results_import
from exams.models import Result

pytestmark = pytest.mark.django_db


def import_one(candidate, code="NT2-II-LZ", score=470, days_ago=40):
    results_import(rows=[{"candidate_id": candidate.pk, "part": code,
                          "taken_on": (date.today() - timedelta(days=days_ago)).isoformat(), "score": score}],
                   source="partner")
    return Result.objects.get(candidate=candidate, part__code=code)


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_results_are_released_after_five_weeks_and_announced_once(catalogue, candidate):
    early = import_one(candidate, days_ago=10)
    assert timezone.localtime(early.released_at).date() == early.taken_on + timedelta(days=35)
    assert "No results yet." in logged_in(candidate.user).get("/my/").content.decode()
    Result.objects.filter(pk=early.pk).update(released_at=timezone.now() - timedelta(hours=1))
    assert results_release_notify() == 1
    assert results_release_notify() == 0
    assert mail.outbox[-1].to == [candidate.email]
    with translation.override(candidate.language):  # the e-mail is in the candidate's language
        exam = f"{early.part.programme.name} – {early.part.name}"
    assert exam in mail.outbox[-1].subject  # which exam, not only which part
    assert "470" in logged_in(candidate.user).get("/my/").content.decode()


def test_inspection_of_a_failed_exam_once_and_within_the_deadline(catalogue, candidate):
    result = import_one(candidate)
    client = logged_in(candidate.user)
    client.post(f"/my/results/{result.pk}/request/", {"kind": "inspection", "reason": "I want to see my answers"})
    assert ResultRequest.objects.filter(result=result, kind="inspection").count() == 1
    again = client.post(f"/my/results/{result.pk}/request/", {"kind": "inspection", "reason": "again"}, follow=True)
    assert "already have an open request" in again.content.decode()
    Result.objects.filter(pk=result.pk).update(released_at=timezone.now() - timedelta(days=60))
    late = client.post(f"/my/results/{result.pk}/request/", {"kind": "objection", "reason": "too late"}, follow=True)
    assert "The period for questions about this result ended on" in late.content.decode()


def test_staff_make_a_print_batch_and_see_its_progress(catalogue, candidate, planner, settings, tmp_path,
                                                       django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    import_one(candidate, score=520)
    issue_for_candidate(candidate)
    client = logged_in(planner)
    assert "1 valid document has not been printed yet." in client.get("/staff/print/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/staff/print/", {"family": ""})
    batch = PrintBatch.objects.get()
    assert batch.status == "done" and batch.total == batch.done == 1
    page = client.get("/staff/print/").content.decode()
    assert "0 valid documents have not been printed yet." in page and "<progress" in page
    assert client.get(f"/staff/print/{batch.pk}.pdf").status_code == 200
    assert logged_in(candidate.user).get("/staff/print/").status_code == 302
