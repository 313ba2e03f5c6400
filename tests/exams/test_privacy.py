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


def test_candidate_exports_own_data_only(make_session, candidate, other_candidate, api_for):
    booking_create(candidate=candidate, requests=[SeatRequest(make_session().pk)])
    response = api_for(candidate.user).get("/api/v1/me/export")
    data, names = unzip(response.content)
    assert data["profile"]["last_name"] == "Kovalenko" and len(data["bookings"]) == 1
    assert "Demir" not in json.dumps(data)
    assert AuditEvent.objects.filter(action="personal_data_export").exists()


def test_officers_may_export_for_a_candidate_and_candidates_may_not(candidate, other_candidate, planner, api_for):
    assert api_for(candidate.user).get(f"/api/v1/candidates/{other_candidate.pk}/export").status_code == 403
    data, _ = unzip(api_for(planner).get(f"/api/v1/candidates/{other_candidate.pk}/export").content)
    assert data["profile"]["last_name"] == "Demir"
