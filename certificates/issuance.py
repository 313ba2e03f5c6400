"""Which documents a candidate's results earn, and issuing each exactly once.

The rules per family come from the catalogue: NT2 (all four parts → diploma, otherwise a certificate per
part), inburgering (all required parts, NT2 language parts count as exemptions), state exams VO (subject
certificates; diploma and grade list from six subjects), Wft (module certificates, the highest complete
qualification's diploma, PE certificates per period). A document rests on results; when a result no longer
holds (a corrected score), the documents resting on it are revoked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from exams import audit
from exams.jobs.outbox import enqueue
from exams.models import Candidate, ExamPart, PEPeriod, Result, WftQualification

from .codes import make_code, payload_for
from .documents import DocumentData, DocumentKind, ExamFamily, Holder, Localised, PartResult
from .keys import current_pki
from .models import Document
from .numbers import new_document_number

logger = logging.getLogger("exams.certificates")

#: Subjects a state-exam (VO) candidate needs for a diploma (*assumed*: a setting in a later version).
VO_DIPLOMA_SUBJECTS = 6
KIND_CODES = {"diploma": DocumentKind.DIPLOMA, "certificate": DocumentKind.CERTIFICATE,
              "grade_list": DocumentKind.GRADE_LIST, "pe_certificate": DocumentKind.PE_CERTIFICATE}


@dataclass
class Wanted:
    key: str
    kind: str
    family: str
    exam: Localised
    results: list[Result]
    grades: dict[int, str] = field(default_factory=dict)
    pe_period: tuple[date, date] | None = None


def wanted_documents(candidate: Candidate) -> list[Wanted]:
    passed = list(Result.objects.filter(candidate=candidate, passed=True)
                  .select_related("part__programme__family", "part__subject").order_by("taken_on"))
    latest: dict[str, Result] = {}
    for result in passed:
        latest[result.part.code] = result
    return (_nt2(candidate, latest) + _inburgering(candidate, latest) + _vo(candidate, latest)
            + _wft(candidate, latest))


def _nt2(candidate: Candidate, passed: dict[str, Result]) -> list[Wanted]:
    wanted = []
    for programme in ("I", "II"):
        codes = [f"NT2-{programme}-{s}" for s in ("LZ", "LU", "SC", "SP")]
        have = [passed[c] for c in codes if c in passed]
        exam = Localised(f"Staatsexamen NT2 programma {programme}", f"State exam NT2 programme {programme}")
        if len(have) == 4:
            wanted.append(Wanted(f"nt2-diploma-{candidate.pk}-{programme}", "diploma", "nt2", exam, have))
        else:
            wanted += [Wanted(f"nt2-cert-{candidate.pk}-{r.part.code}", "certificate", "nt2", exam, [r])
                       for r in have]
    return wanted


def _inburgering(candidate: Candidate, passed: dict[str, Result]) -> list[Wanted]:
    wanted = []
    for regime in ("WI2021", "WI2013"):
        required = ExamPart.objects.filter(programme__code=f"INB-{regime}", is_required=True)
        basis = []
        for part in required:
            suffix = part.code.rsplit("-", 1)[-1]
            result = passed.get(part.code) or (
                regime == "WI2021" and (passed.get(f"NT2-I-{suffix}") or passed.get(f"NT2-II-{suffix}")))
            if not result:
                break
            basis.append(result)
        else:
            if basis:
                exam = Localised(f"Inburgeringsexamen ({regime.title()})", f"Civic integration exam ({regime.title()})")
                wanted.append(Wanted(f"inb-diploma-{candidate.pk}-{regime}", "diploma", "inburgering", exam, basis))
    return wanted


def _vo(candidate: Candidate, passed: dict[str, Result]) -> list[Wanted]:
    wanted = []
    for level in ("VMBO", "HAVO", "VWO"):
        subjects: dict[str, list[Result]] = {}
        for code, result in passed.items():
            if code.startswith(f"VO-{level}-"):
                subjects.setdefault(code.split("-")[2], []).append(result)
        complete = {s: rs for s, rs in subjects.items() if len(rs) == 2}
        exam = Localised(f"Staatsexamen {level.lower()}", f"State exam {level.lower()}")
        grades = {}
        for subject, results in sorted(complete.items()):
            grade = str((sum(r.score for r in results) / 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
            grades.update({r.pk: grade for r in results})
            wanted.append(Wanted(f"vo-subject-{candidate.pk}-{level}-{subject}", "certificate", "vo", exam, results,
                                 grades={results[0].pk: grade}))
        if len(complete) >= VO_DIPLOMA_SUBJECTS:
            basis = [r for rs in complete.values() for r in rs]
            wanted.append(Wanted(f"vo-diploma-{candidate.pk}-{level}", "diploma", "vo", exam, basis))
            wanted.append(Wanted(f"vo-grades-{candidate.pk}-{level}", "grade_list", "vo", exam, basis, grades=grades))
    return wanted


def _wft(candidate: Candidate, passed: dict[str, Result]) -> list[Wanted]:
    modules = {code[4:]: r for code, r in passed.items() if code.startswith("WFT-") and not code.startswith("WFT-PE-")}
    wanted, covered = [], set()
    complete = [q for q in WftQualification.objects.prefetch_related("modules").order_by("-rank", "code")
                if all(m.code[4:] in modules for m in q.modules.all())]
    if complete:
        top_rank = complete[0].rank
        for qualification in (q for q in complete if q.rank == top_rank):
            results = [modules[m.code[4:]] for m in qualification.modules.all()]
            exam = Localised(qualification.name_nl, qualification.name_en)
            wanted.append(Wanted(f"wft-diploma-{candidate.pk}-{qualification.code}", "diploma", "wft", exam, results))
        covered = {m.code[4:] for q in complete for m in q.modules.all()}
    for code, result in modules.items():
        if code not in covered:
            exam = Localised(f"Wft-module {result.part.name_nl}", f"Wft module {result.part.name_en}")
            wanted.append(Wanted(f"wft-module-{candidate.pk}-{code}", "certificate", "wft", exam, [result]))
    for code, result in passed.items():
        if code.startswith("WFT-PE-"):
            start, end = PEPeriod.bounds_for(result.taken_on)
            exam = Localised(result.part.name_nl, result.part.name_en)
            wanted.append(Wanted(f"wft-pe-{candidate.pk}-{code}-{start:%Y}", "pe_certificate", "wft", exam, [result],
                                 pe_period=(start, end)))
    return wanted


def issue_for_candidate(candidate: Candidate) -> list[Document]:
    """Issue what the results earn and revoke what no longer holds. Safe to run twice, or in parallel."""
    revoke_unsupported(candidate)
    issued = []
    for wanted in wanted_documents(candidate):
        document = document_issue(candidate, wanted)
        if document is not None:
            issued.append(document)
    return issued


def revoke_unsupported(candidate: Candidate) -> int:
    passed_ids = set(Result.objects.filter(candidate=candidate, passed=True).values_list("pk", flat=True))
    count = 0
    for document in Document.objects.filter(candidate=candidate, status=Document.Status.VALID):
        if not set(document.basis) <= passed_ids:
            document_revoke(document=document, reason="a result it rested on was changed")
            count += 1
    return count


def document_issue(candidate: Candidate, wanted: Wanted) -> Document | None:
    """Create the document for ``wanted`` unless a valid one exists; returns it only when newly made."""
    if Document.objects.filter(issuance_key=wanted.key, status=Document.Status.VALID).exists():
        return None
    issued_on = timezone.localdate()
    number = new_document_number(exists=lambda n: Document.objects.filter(number=n).exists())
    parts = [{"nl": r.part.name_nl, "en": r.part.name_en, "date": r.taken_on.isoformat(),
              "grade": wanted.grades.get(r.pk), "level": r.part.programme.level or None} for r in wanted.results]
    document = Document(candidate=candidate, family=wanted.family, kind=wanted.kind, issuance_key=wanted.key,
                        number=number, exam_nl=wanted.exam.nl, exam_en=wanted.exam.en, parts=parts,
                        basis=sorted(r.pk for r in wanted.results), issued_on=issued_on)
    if wanted.pe_period:
        document.pe_period_start, document.pe_period_end = wanted.pe_period
        document.valid_until = wanted.pe_period[1]
    pki = current_pki()
    document.verification_code = make_code(payload_for(document_data(document, code="")), pki.code_key)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        return None  # a parallel run issued it first: exactly one valid document per key
    logger.info("issued %s %s for candidate %s", document.kind, document.number, candidate.pk)
    audit.record("certificate_issued", obj=document, number=document.number, kind=document.kind)
    _render_later(document.pk)
    return document


def _render_later(document_id: int) -> None:
    from . import tasks

    enqueue(tasks.render_document_pdfs, document_id)


def document_revoke(*, document: Document, reason: str) -> Document:
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status == Document.Status.REVOKED:
            return locked
        locked.status, locked.revoked_reason, locked.revoked_at = Document.Status.REVOKED, reason[:200], timezone.now()
        locked.save(update_fields=["status", "revoked_reason", "revoked_at"])
    logger.warning("revoked document %s: %s", locked.number, reason)
    audit.record("certificate_revoked", obj=locked, number=locked.number, reason=reason)
    return locked


def document_data(document: Document, *, code: str | None = None) -> DocumentData:
    """The plain data the renderer draws, from a document row."""
    from django.conf import settings

    candidate = document.candidate
    address = tuple(x for x in (candidate.street, f"{candidate.postcode} {candidate.city}".strip(),
                                candidate.country if candidate.country != "NL" else "") if x)
    verification_code = document.verification_code if code is None else code
    return DocumentData(
        kind=KIND_CODES[document.kind], family=ExamFamily(document.family), number=document.number,
        holder=Holder(name=candidate.full_name, birth_date=candidate.birth_date, postal_address=address),
        exam=Localised(document.exam_nl, document.exam_en),
        parts=tuple(PartResult(name=Localised(p["nl"], p["en"]), exam_date=date.fromisoformat(p["date"]),
                               grade=p.get("grade"), level=p.get("level")) for p in document.parts),
        issued_on=document.issued_on, verification_code=verification_code,
        verification_url=settings.CERTIFICATES["VERIFY_URL"] + verification_code,
        pe_period=(document.pe_period_start, document.pe_period_end) if document.pe_period_start else None,
        valid_until=document.valid_until,
    )
