"""An adviser's current Wft status per qualification: qualified, PE due, or lapsed for a missed PE period.

A vakbekwaamheidsdiploma qualifies; every three-year permanent-education period (from 1 April 2019, 2022,
2025, …) then needs a passed PE exam for that qualification, or the right to advise lapses at its end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from exams.models import Candidate, PEPeriod, WftQualification

from .models import Document


@dataclass(frozen=True)
class WftStatus:
    qualification: str
    name_nl: str
    name_en: str
    status: str  # "qualified", "pe_due", "lapsed"
    since: date
    period_start: date
    period_end: date


def wft_status(candidate: Candidate, *, today: date | None = None) -> list[WftStatus]:
    today = today or timezone.localdate()
    start, end = PEPeriod.bounds_for(today)
    previous_start, previous_end = PEPeriod.bounds_for(start - timedelta(days=1))
    documents = Document.objects.filter(candidate=candidate, family="wft", status=Document.Status.VALID)
    statuses = []
    for qualification in WftQualification.objects.all():
        diploma = documents.filter(kind="diploma", issuance_key=f"wft-diploma-{candidate.pk}-{qualification.code}").first()
        if diploma is None:
            continue
        pe = documents.filter(kind="pe_certificate",
                              issuance_key__startswith=f"wft-pe-{candidate.pk}-WFT-PE-{qualification.code}-")
        if pe.filter(pe_period_start=start).exists() or diploma.issued_on >= start:
            status = "qualified"
        elif diploma.issued_on <= previous_end and not pe.filter(pe_period_start=previous_start).exists() \
                and diploma.issued_on < previous_start:
            status = "lapsed"
        else:
            status = "pe_due"
        statuses.append(WftStatus(qualification.code, qualification.name_nl, qualification.name_en, status,
                                  diploma.issued_on, start, end))
    return statuses
