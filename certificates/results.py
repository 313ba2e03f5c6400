"""Results from outside (scoring partners, the Wft exam server, examiner committees), validated row by row.

A batch is applied whole or not at all; every bad row is reported with its line number and reason. The
same batch twice changes nothing: its digest is remembered. A row that changes an existing result is a
correction, and re-runs issuance for that candidate (revoking documents that no longer hold).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exams.errors import DomainError
from exams.jobs.outbox import enqueue
from exams.models import Candidate, ExamPart, Result, User

from .models import ResultImport

COLUMNS = ("candidate_id", "part", "taken_on", "score")
SCORE_RANGES = {"scaled": (Decimal(0), Decimal(1000)), "percent": (Decimal(0), Decimal(100)),
                "grade": (Decimal(1), Decimal(10)), "pass_fail": (Decimal(0), Decimal(1))}


class ImportRejected(DomainError):
    status = 422
    code = "import_rejected"


@dataclass(frozen=True)
class Row:
    line: int
    candidate: Candidate
    part: ExamPart
    taken_on: date
    score: Decimal


@dataclass
class ImportOutcome:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    already_imported: bool = False
    candidates: set[int] = field(default_factory=set)


def parse_csv(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRejected(_("The CSV lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)},
                             details=[{"line": 1, "reason": _("missing column %(column)s") % {"column": c}}
                                      for c in missing])
    return list(reader)


def digest(rows: list[dict]) -> str:
    canonical = json.dumps([{c: str(row.get(c, "")).strip() for c in COLUMNS} for row in rows], sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def validate(rows: list[dict], *, first_line: int = 2) -> list[Row]:
    """Every row checked; all problems reported at once (line numbers as in the CSV file)."""
    if not rows:
        raise ImportRejected(_("The batch has no rows."))
    if len(rows) > 10000:
        raise ImportRejected(_("A batch holds at most 10,000 rows."))
    candidate_ids = {str(r.get("candidate_id", "")).strip() for r in rows}
    ids = [i for i in candidate_ids if i.isascii() and i.isdigit() and len(i) <= 18]  # fits a database integer
    candidates = {str(c.pk): c for c in Candidate.objects.filter(pk__in=ids)}
    parts = {p.code: p for p in ExamPart.objects.select_related("programme__family")}
    good, errors, seen = [], [], set()
    for offset, raw in enumerate(rows):
        line = first_line + offset
        problem, row = _check(raw, line, candidates, parts)
        if problem is None and (row.candidate.pk, row.part.pk, row.taken_on) in seen:
            problem = _("the same candidate, part and date appear twice in this batch")
        if problem:
            errors.append({"line": line, "reason": problem})
        else:
            seen.add((row.candidate.pk, row.part.pk, row.taken_on))
            good.append(row)
    if errors:
        raise ImportRejected(_("%(wrong)d of %(rows)d rows are wrong; nothing was imported.")
                             % {"wrong": len(errors), "rows": len(rows)}, details=errors)
    return good


def _check(raw: dict, line: int, candidates: dict, parts: dict) -> tuple[str | None, Row | None]:
    candidate = candidates.get(str(raw.get("candidate_id", "")).strip())
    if candidate is None:
        return _("unknown candidate_id"), None
    part = parts.get(str(raw.get("part", "")).strip())
    if part is None:
        return _("unknown part code"), None
    try:
        taken_on = date.fromisoformat(str(raw.get("taken_on", "")).strip())
    except ValueError:
        return _("taken_on is not a date (YYYY-MM-DD)"), None
    if taken_on > timezone.localdate():
        return _("taken_on lies in the future"), None
    try:
        score = Decimal(str(raw.get("score", "")).strip())
    except InvalidOperation:
        return _("score is not a number"), None
    low, high = SCORE_RANGES[part.score_scale]
    if not (low <= score <= high) or not score.is_finite():
        problem = _("score must lie between %(low)s and %(high)s for this part") % {"low": low, "high": high}
        return problem, None
    return None, Row(line, candidate, part, taken_on, score)


def results_import(*, rows: list[dict], source: str, imported_by: User | None = None,
                   first_line: int = 2) -> ImportOutcome:
    """Validate then apply a batch in one transaction; a repeated batch is recognised and changes nothing."""
    key = digest(rows)
    if ResultImport.objects.filter(digest=key).exists():
        return ImportOutcome(already_imported=True)
    checked = validate(rows, first_line=first_line)
    outcome = ImportOutcome()
    try:
        with transaction.atomic():
            record = ResultImport.objects.create(source=source[:60], digest=key, rows=len(rows),
                                                 imported_by=imported_by)
            for row in checked:
                _apply(row, source, outcome)
            record.created, record.changed = outcome.created, outcome.changed
            record.save(update_fields=["created", "changed"])
            for candidate_id in outcome.candidates:
                _reissue(candidate_id)
    except IntegrityError:
        if ResultImport.objects.filter(digest=key).exists():  # the same batch, imported in parallel
            return ImportOutcome(already_imported=True)
        raise
    return outcome


def _apply(row: Row, source: str, outcome: ImportOutcome) -> None:
    passed = row.part.is_pass(row.score)
    release = row.taken_on + timedelta(days=row.part.programme.family.results_release_days)
    existing = Result.objects.select_for_update().filter(candidate=row.candidate, part=row.part,
                                                         taken_on=row.taken_on).first()
    if existing is None:
        Result.objects.create(candidate=row.candidate, part=row.part, taken_on=row.taken_on, score=row.score,
                              passed=passed, source=source[:40], released_at=_release_moment(release))
        outcome.created += 1
    elif existing.score != row.score:
        existing.score, existing.passed, existing.source = row.score, passed, source[:40]
        existing.save(update_fields=["score", "passed", "source"])
        outcome.changed += 1
    else:
        outcome.unchanged += 1
        return
    outcome.candidates.add(row.candidate.pk)


def _release_moment(day: date):
    return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))


def _reissue(candidate_id: int) -> None:
    from . import tasks

    enqueue(tasks.issue_documents, candidate_id)
