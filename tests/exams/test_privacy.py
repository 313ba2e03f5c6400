"""A candidate (or an authorised officer) exports all of the candidate's personal data, and nobody else's."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from exams.models import AuditEvent
from exams.services.bookings import SeatRequest, booking_create

pytestmark = pytest.mark.django_db


def unzip(content: bytes) -> tuple[dict, list[str]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return json.loads(archive.read("data.json")), archive.namelist()


def test_candidate_exports_own_data_only(make_session, candidate, other_candidate, api_for,
                                        django_capture_on_commit_callbacks):
    booking_create(candidate=candidate, requests=[SeatRequest(make_session().pk)])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(candidate.user).get("/api/v1/me/export")
    data, names = unzip(response.content)
    assert data["profile"]["last_name"] == "Kovalenko" and len(data["bookings"]) == 1
    assert "Demir" not in json.dumps(data)
    assert AuditEvent.objects.filter(action="personal_data_export").exists()



def test_a_head_request_makes_no_export_and_records_none(candidate, other_candidate, planner, api_for,
                                                         django_capture_on_commit_callbacks):
    """HEAD asks what a GET would give; the export is only made, and recorded as given, for the GET."""
    from django.test import Client

    mine, officer = api_for(candidate.user), api_for(planner)
    page = Client()
    page.force_login(candidate.user)
    with django_capture_on_commit_callbacks(execute=True):
        heads = [mine.client.head("/api/v1/me/export", **mine._headers()),
                 officer.client.head(f"/api/v1/candidates/{other_candidate.pk}/export", **officer._headers()),
                 page.head("/my/data.zip")]
    for head in heads:
        body = b"".join(head.streaming_content) if head.streaming else head.content
        assert (head.status_code, head["Content-Type"], body) == (200, "application/zip", b"")
        assert head["Content-Disposition"].startswith("attachment; filename=")
        assert "Content-Length" not in head
    assert not AuditEvent.objects.filter(action="personal_data_export").exists()
    with django_capture_on_commit_callbacks(execute=True):
        got = mine.get("/api/v1/me/export")
    assert unzip(got.content)[0]["profile"]["last_name"] == "Kovalenko"
    assert AuditEvent.objects.filter(action="personal_data_export").count() == 1

def test_officers_may_export_for_a_candidate_and_candidates_may_not(candidate, other_candidate, planner, api_for):
    assert api_for(candidate.user).get(f"/api/v1/candidates/{other_candidate.pk}/export").status_code == 403
    data, _ = unzip(api_for(planner).get(f"/api/v1/candidates/{other_candidate.pk}/export").content)
    assert data["profile"]["last_name"] == "Demir"


def test_erasure_removes_personal_data_but_certificates_still_verify(candidate, catalogue, settings, tmp_path, api_for):
    from datetime import date, timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from certificates.issuance import issue_for_candidate
    from certificates.models import Document
    from certificates.results import results_import
    from exams.models import Provision
    from exams.privacy import candidate_erase

    settings.MEDIA_ROOT = tmp_path
    Provision.objects.create(candidate=candidate, family=catalogue["nt2"], kind="large_print", motivation="eyes",
                             evidence=SimpleUploadedFile("e.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20))
    results_import(rows=[{"candidate_id": candidate.pk, "part": "NT2-II-LZ", "score": 520,
                          "taken_on": (date.today() - timedelta(days=50)).isoformat()}], source="partner")
    issue_for_candidate(candidate)
    code = Document.objects.get().verification_code
    assert candidate_erase(candidate=candidate) is True
    assert candidate_erase(candidate=candidate) is False  # twice is fine
    secrets = ["Olena", "Kovalenko", "cand.one@example.org", "123456782"]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith(("certificates_document", "django_session", "axes_")):
                continue  # the issued diploma is a legally retained record
            cursor.execute(f'SELECT * FROM "{table}"')
            dump = str(cursor.fetchall())
            for secret in secrets:
                assert secret not in dump, f"{secret} still in {table}"
    assert not list(tmp_path.rglob("*.png"))
    assert api_for().get(f"/api/v1/certificates/verify/{code}").json()["status"] == "valid"
