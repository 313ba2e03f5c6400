"""An adviser's Wft status: a diploma qualifies; each PE period needs its PE certificate or the right lapses."""

from __future__ import annotations

from datetime import date

import pytest

from certificates.models import Document
from certificates.wft import wft_status

pytestmark = pytest.mark.django_db


def make(candidate, key: str, kind: str, issued: date, period_start: date | None = None) -> None:
    Document.objects.create(candidate=candidate, family="wft", kind=kind, issuance_key=key, number=key[-14:],
                            verification_code=key, exam_nl="x", exam_en="x", issued_on=issued,
                            pe_period_start=period_start)


def status_on(candidate, day: date) -> str:
    return {s.qualification: s.status for s in wft_status(candidate, today=day)}["HYPOTHEEK"]


def test_status_follows_the_pe_periods(catalogue, candidate):
    make(candidate, f"wft-diploma-{candidate.pk}-HYPOTHEEK", "diploma", date(2020, 5, 1))
    assert status_on(candidate, date(2021, 6, 1)) == "qualified"  # the diploma counts for its own period
    assert status_on(candidate, date(2023, 1, 1)) == "pe_due"  # period 2022-2025: a PE exam is due
    make(candidate, f"wft-pe-{candidate.pk}-WFT-PE-HYPOTHEEK-2022", "pe_certificate", date(2024, 9, 1),
         date(2022, 4, 1))
    assert status_on(candidate, date(2024, 10, 1)) == "qualified"
    assert status_on(candidate, date(2026, 11, 23)) == "pe_due"  # period 2025-2028, previous one done
    Document.objects.filter(kind="pe_certificate").delete()
    assert status_on(candidate, date(2026, 11, 23)) == "lapsed"  # 2022-2025 passed without a PE exam


def test_api_lists_the_callers_qualifications(catalogue, candidate, api_for):
    make(candidate, f"wft-diploma-{candidate.pk}-HYPOTHEEK", "diploma", date(2026, 5, 1))
    body = api_for(candidate.user).get("/api/v1/me/wft-status").json()
    assert body[0]["qualification"] == "HYPOTHEEK" and body[0]["status"] == "qualified"
