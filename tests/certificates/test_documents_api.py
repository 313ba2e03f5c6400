"""Verification by code, the holder's signed PDFs, revocation, and batch printing that resumes."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.test import Client

from certificates.issuance import issue_for_candidate
from certificates.models import Document, PrintBatch
from certificates.printing import print_batch_create, print_batch_run
from certificates.results import results_import

pytestmark = pytest.mark.django_db
DAY = (date.today() - timedelta(days=60)).isoformat()


@pytest.fixture
def certificate(catalogue, candidate, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    results_import(rows=[{"candidate_id": candidate.pk, "part": "NT2-II-LZ", "taken_on": DAY, "score": 540}],
                   source="partner")
    issue_for_candidate(candidate)
    return Document.objects.get(candidate=candidate)


def test_a_genuine_code_verifies_with_only_initials_and_birth_year(certificate, api_for):
    body = api_for().get(f"/api/v1/certificates/verify/{certificate.verification_code}").json()
    assert body["status"] == "valid"
    assert body["kind"] == "certificate" and body["number"] == certificate.number
    assert body["holder_initials"] == "OK" and body["holder_birth_year"] == 1990
    assert "Kovalenko" not in str(body) and "1990-05-01" not in str(body)


def test_the_api_takes_a_code_copied_from_its_two_printed_lines(certificate, api_for):
    code = certificate.verification_code
    copied = f"{code[:54]}%0A {code[54:]}"  # a line break and a space, as copied from the paper
    assert api_for().get(f"/api/v1/certificates/verify/{copied}").json()["status"] == "valid"


def test_altered_forged_and_unknown_codes_are_unknown(certificate, api_for):
    code = certificate.verification_code
    flipped = code[:-5] + ("A" if code[-5] != "A" else "B") + code[-4:]
    for bad in (flipped, code[:20], "made-up-code", "x" * 250):
        assert api_for().get(f"/api/v1/certificates/verify/{bad}").json()["status"] == "unknown"


def test_the_verification_page_shows_valid_and_revoked(certificate, planner, api_for):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/verify/{certificate.verification_code}")
    assert page.status_code == 200 and "Genuine and valid" in page.content.decode()
    response = api_for(planner).post(f"/api/v1/certificates/{certificate.pk}/revoke", {"reason": "fraud at the exam"})
    assert response.status_code == 200
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/verify/{certificate.verification_code}").content.decode()
    assert "Revoked" in page and "fraud at the exam" in page
    assert Client().get("/verify/not-a-code").status_code == 404


def test_a_copy_verifies_by_its_number_and_the_holders_birth_date(certificate, api_for):
    """Typed as people type it (lower case, no dashes); both must match, and a mismatch does not say which."""
    typed = certificate.number.replace("-", " ").lower()
    body = api_for().post("/api/v1/certificates/verify", {"number": typed, "birth_date": "1990-05-01"}).json()
    assert (body["status"], body["number"], body["holder_initials"]) == ("valid", certificate.number, "OK")
    for birth_date in ("1990-05-02", "1991-05-01"):
        body = api_for().post("/api/v1/certificates/verify", {"number": typed, "birth_date": birth_date}).json()
        assert body == {**body, "status": "unknown", "number": None, "holder_initials": None}


def test_a_code_copied_from_its_two_printed_lines_verifies_in_dutch_and_english(certificate):
    from certificates.render import code_lines

    copied = "\n".join(code_lines(certificate.verification_code))
    assert "\n" in copied  # the document prints it on two lines
    for language, verdict in (("nl", "Echt en geldig"), ("en", "Genuine and valid")):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        page = client.get("/verify/", {"code": f" {copied.replace(chr(10), ' ')} "}, follow=True)
        assert page.status_code == 200 and verdict in page.content.decode()
        assert page.redirect_chain[-1][0] == f"/verify/{certificate.verification_code}"
        page = client.get("/verify/", {"code": copied}, follow=True)
        assert page.status_code == 200 and verdict in page.content.decode()


def test_a_mistyped_number_is_told_apart_from_an_unknown_document(certificate, api_for):
    number = certificate.number
    swapped = number[:5] + number[6] + number[5] + number[7:]  # two neighbours swapped: the check digits see it
    response = api_for().post("/api/v1/certificates/verify", {"number": swapped, "birth_date": "1990-05-01"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_document_number"
    page = Client(HTTP_ACCEPT_LANGUAGE="en").post("/verify/", {"number": swapped, "birth_date": "1990-05-01"})
    assert page.status_code == 422 and "probably mistyped" in page.content.decode()


def test_the_verification_page_checks_a_number_and_birth_date_sent_in_the_body(certificate):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.post("/verify/", {"number": certificate.number, "birth_date": "1990-05-01"})
    assert page.status_code == 200 and "Genuine and valid" in page.content.decode()
    page = client.post("/verify/", {"number": certificate.number, "birth_date": "1990-06-01"})
    assert page.status_code == 404 and "born on this date" in page.content.decode()
    page = client.post("/verify/", {"number": certificate.number, "birth_date": "2999-01-01"})
    assert page.status_code == 422 and "passport" in page.content.decode()


def test_candidates_cannot_revoke(certificate, candidate, api_for):
    assert api_for(candidate.user).post(f"/api/v1/certificates/{certificate.pk}/revoke",
                                        {"reason": "nope"}).status_code == 403


def test_my_documents_lists_and_serves_a_signed_pdf_to_the_holder_only(certificate, candidate, other_candidate,
                                                                       api_for, tmp_path):
    client = api_for(candidate.user)
    documents = client.get("/api/v1/me/documents").json()
    assert [d["number"] for d in documents] == [certificate.number]
    assert set(documents[0]) >= {"id", "kind", "number", "verification_code", "download_url"}
    url = documents[0]["download_url"].replace("http://testserver", "")
    pdf = client.get(url).content
    assert pdf.startswith(b"%PDF") and b"/ByteRange" in pdf
    assert api_for(other_candidate.user).get(url).status_code == 404
    assert api_for().get(url).status_code == 401
    if shutil.which("pdfsig"):
        path = tmp_path / "document.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
        assert "Signature is Valid" in out.stdout
        assert "Total document signed" in out.stdout


def test_results_api_is_for_staff_and_reports_lines(catalogue, candidate, planner, api_for):
    batch = {"source": "partner", "rows": [
        {"candidate_id": candidate.pk, "part": "NT2-II-LZ", "taken_on": DAY, "score": 512},
        {"candidate_id": candidate.pk, "part": "NT2-II-LU", "taken_on": DAY, "score": "high"}]}
    assert api_for(candidate.user).post("/api/v1/results", batch).status_code == 403
    rejected = api_for(planner).post("/api/v1/results", batch)
    assert rejected.status_code == 422
    assert rejected.json()["details"] == [{"line": 2, "reason": "score is geen getal"}]  # Dutch by default
    batch["rows"][1]["score"] = 499
    assert api_for(planner).post("/api/v1/results", batch).status_code == 201
    again = api_for(planner).post("/api/v1/results", batch)
    assert again.status_code == 200 and again.json()["already_imported"] is True


def test_print_batch_resumes_after_a_crash_without_duplicates(catalogue, candidate, other_candidate, settings,
                                                              tmp_path, monkeypatch):
    from pypdf import PdfReader

    from certificates import printing

    settings.MEDIA_ROOT = tmp_path
    for person, postcode in ((candidate, "9711 AB"), (other_candidate, "1011 AB")):
        person.postcode = postcode
        person.save()
        results_import(rows=[{"candidate_id": person.pk, "part": "NT2-II-LZ", "taken_on": DAY, "score": 520},
                             {"candidate_id": person.pk, "part": "NT2-II-LU", "taken_on": DAY, "score": 530}],
                       source=f"partner {person.pk}")
        issue_for_candidate(person)
    batch = print_batch_create(documents=Document.objects.all(), created_by=None)
    calls = {"n": 0}
    real = printing.render_print_batch

    def crash_on_third(docs, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker died")
        return real(docs, **kwargs)

    monkeypatch.setattr(printing, "render_print_batch", crash_on_third)
    with pytest.raises(RuntimeError):
        print_batch_run(batch_id=batch.pk)
    assert PrintBatch.objects.get(pk=batch.pk).status == "running"
    assert print_batch_run(batch_id=batch.pk) == "done"
    batch.refresh_from_db()
    reader = PdfReader(batch.output.path)
    assert len(reader.pages) == 2 * batch.total == 8
    text = [page.extract_text() for page in reader.pages]
    numbers = [d.number for d in Document.objects.all()]
    assert all(sum(number in t for t in text[1::2]) == 1 for number in numbers)  # each document printed once
    assert "1011" in text[0]  # sorted by postcode: Amsterdam before Groningen


def test_the_verification_page_names_the_kind_of_document_in_the_readers_language(certificate):
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl").get(f"/verify/{certificate.verification_code}").content.decode()
    assert f"certificaat {certificate.number}" in dutch and f"certificate {certificate.number}" not in dutch
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/verify/{certificate.verification_code}")
    assert f"certificate {certificate.number}" in english.content.decode()


def test_a_holders_birth_date_cannot_be_guessed_by_number(certificate, api_for):
    """A birth date is one of some 30,000: whoever holds a copy must not find the holder's by trying them.
    After a few misses for a number, its checks are refused for a while, the right date too."""
    from django.core.cache import cache

    from certificates.verification import NUMBER_MISSES_PER_HOUR

    cache.clear()
    for day in range(1, NUMBER_MISSES_PER_HOUR + 1):
        body = api_for().post("/api/v1/certificates/verify",
                              {"number": certificate.number, "birth_date": f"1980-01-{day:02d}"}).json()
        assert body["status"] == "unknown"
    right = {"number": certificate.number.lower(), "birth_date": "1990-05-01"}
    response = api_for().post("/api/v1/certificates/verify", right)
    assert response.status_code == 429 and response.json()["code"] == "too_many_checks"
    page = Client(HTTP_ACCEPT_LANGUAGE="en").post("/verify/", right)
    assert page.status_code == 429 and "Genuine" not in page.content.decode()
    assert "Too many checks" in page.content.decode()
    cache.clear()
