"""Issuing documents from results: the family rules, exactly once, and revocation when a result changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import translation

from certificates.issuance import issue_for_candidate
from certificates.models import Document
from certificates.results import ImportRejected, results_import

pytestmark = pytest.mark.django_db

DAY = (date.today() - timedelta(days=60)).isoformat()


def rows(candidate, scores: dict[str, float], day: str = DAY) -> list[dict]:
    return [{"candidate_id": candidate.pk, "part": code, "taken_on": day, "score": score}
            for code, score in scores.items()]


def kinds(candidate) -> list[tuple[str, str]]:
    return sorted(Document.objects.filter(candidate=candidate, status="valid").values_list("kind", "issuance_key"))


def test_nt2_part_certificates_then_one_diploma(catalogue, candidate):
    results_import(rows=rows(candidate, {"NT2-II-LZ": 512, "NT2-II-LU": 480}), source="partner")
    issue_for_candidate(candidate)
    assert [k for k, _ in kinds(candidate)] == ["certificate"]
    results_import(rows=rows(candidate, {"NT2-II-LU": 530, "NT2-II-SC": 505, "NT2-II-SP": 600},
                             day=(date.today() - timedelta(days=30)).isoformat()), source="partner")
    issue_for_candidate(candidate)
    assert sorted(k for k, _ in kinds(candidate)) == ["certificate", "diploma"]
    assert issue_for_candidate(candidate) == []  # a second run issues nothing


def test_a_corrected_result_revokes_what_no_longer_holds(catalogue, candidate):
    results_import(rows=rows(candidate, {"NT2-II-LZ": 512}), source="partner")
    issue_for_candidate(candidate)
    certificate = Document.objects.get(candidate=candidate)
    results_import(rows=rows(candidate, {"NT2-II-LZ": 470}), source="partner (corrected)")
    issue_for_candidate(candidate)
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and "changed" in certificate.revoked_reason
    assert not Document.objects.filter(candidate=candidate, status="valid").exists()


def test_wft_only_the_highest_qualification_and_module_certificates_for_the_rest(catalogue, candidate):
    results_import(rows=rows(candidate, {"WFT-BASIS": 80, "WFT-SCHADE-P": 70, "WFT-SCHADE-Z": 75,
                                         "WFT-HYPOTHEEK": 90, "WFT-PE-SCHADE-Z": 72}), source="exam server")
    issue_for_candidate(candidate)
    keys = [key for _, key in kinds(candidate)]
    diplomas = [k for k in keys if "diploma" in k]
    assert len(diplomas) == 2 and all(("SCHADE-Z" in k) or ("HYPOTHEEK" in k) for k in diplomas)  # both rank 3
    assert not any("SCHADE-P" in k and "diploma" in k for k in keys)  # lower rank, included in Schade zakelijk
    pe = Document.objects.get(candidate=candidate, kind="pe_certificate")
    assert pe.pe_period_end == date(pe.pe_period_start.year + 3, 3, 31) == pe.valid_until


def test_inburgering_counts_nt2_parts_as_exemptions(catalogue, candidate):
    results_import(rows=rows(candidate, {"NT2-I-LZ": 510, "NT2-I-LU": 520, "NT2-I-SC": 505, "NT2-I-SP": 540,
                                         "INB-WI2021-KNM": 1}), source="partner")
    issue_for_candidate(candidate)
    assert "inb-diploma-%d-WI2021" % candidate.pk in [k for _, k in kinds(candidate)]


def test_a_bad_batch_names_every_bad_line_and_imports_nothing(catalogue, candidate):
    batch = rows(candidate, {"NT2-II-LZ": 512}) + [
        {"candidate_id": 999999, "part": "NT2-II-LZ", "taken_on": DAY, "score": 500},
        {"candidate_id": candidate.pk, "part": "NOPE", "taken_on": DAY, "score": 500},
        {"candidate_id": candidate.pk, "part": "NT2-II-LU", "taken_on": "2099-01-01", "score": 500},
        {"candidate_id": candidate.pk, "part": "WFT-BASIS", "taken_on": DAY, "score": 140},
        {"candidate_id": candidate.pk, "part": "NT2-II-SC", "taken_on": DAY, "score": "abc"},
    ]
    with pytest.raises(ImportRejected) as rejected, translation.override("en"):
        results_import(rows=batch, source="partner")
    assert [d["line"] for d in rejected.value.details] == [3, 4, 5, 6, 7]
    assert "unknown candidate_id" in rejected.value.details[0]["reason"]
    from exams.models import Result

    assert not Result.objects.exists()


def test_the_same_batch_twice_changes_nothing(catalogue, candidate):
    batch = rows(candidate, {"NT2-II-LZ": 512, "NT2-II-LU": 530})
    first = results_import(rows=batch, source="partner")
    again = results_import(rows=batch, source="partner")
    assert (first.created, again.already_imported) == (2, True)


def test_issuing_twice_in_parallel_makes_one_document(catalogue, candidate, is_postgres):
    """Without the database's unique constraint on valid documents this would make two."""
    results_import(rows=rows(candidate, {"NT2-II-LZ": 512}), source="partner")
    issue_for_candidate(candidate)
    issue_for_candidate(candidate)
    assert Document.objects.filter(candidate=candidate).count() == 1
    names = [c.name for c in Document._meta.constraints]
    assert "document_one_valid_per_key" in names


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_issuance_on_postgres_issues_once(catalogue, candidate):
    import threading

    from django.db import connections

    from certificates import issuance

    results_import(rows=rows(candidate, {"NT2-II-LZ": 512}), source="partner")
    original = issuance.Document.objects.filter
    barrier = threading.Barrier(4)

    def racing_filter(*args, **kwargs):  # every thread passes the "already issued?" check together
        queryset = original(*args, **kwargs)
        if kwargs.get("status") == "valid" and "issuance_key" in kwargs:
            try:
                barrier.wait(timeout=5)
            except threading.BrokenBarrierError:
                pass
        return queryset

    issuance.Document.objects.filter = racing_filter
    try:
        def run():
            try:
                issue_for_candidate(candidate)
            finally:
                connections.close_all()
        threads = [threading.Thread(target=run) for _ in range(4)]
        [t.start() for t in threads]
        [t.join() for t in threads]
    finally:
        issuance.Document.objects.filter = original
    assert Document.objects.filter(candidate=candidate, status="valid").count() == 1
    assert connection.vendor == "postgresql"
