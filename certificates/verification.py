"""Checking a document by its code: what an employer sees, and nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from exams.errors import DomainError
from exams.guesses import GuessLimit

from .codes import InvalidCode, verify_code
from .keys import current_pki
from .models import Document
from .numbers import normalise


@dataclass(frozen=True)
class Verdict:
    status: str  # "valid", "revoked" or "unknown"
    kind: str | None = None
    exam_nl: str | None = None
    exam_en: str | None = None
    issued_on: date | None = None
    initials: str | None = None
    birth_year: int | None = None
    number: str | None = None
    revoked_reason: str | None = None
    valid_until: date | None = None

    @property
    def kind_display(self) -> str:
        """The document's kind in the reader's language ("diploma", "certificaat"), not its code."""
        return Document.Kind(self.kind).label if self.kind in Document.Kind.values else (self.kind or "")


UNKNOWN = Verdict(status="unknown")

#: Said when a typed document number fails its own check, before anything is looked up.
NUMBER_MISTYPED = _("This is not a document number: a character is missing, extra or probably mistyped. "
                    "Compare it with the document once more.")


def without_spaces(code: str) -> str:
    """The code as issued: it is printed on two lines, so a copied or typed code can hold a line break or
    spaces, which no code has."""
    return "".join(code.split())


def verify(code: str) -> Verdict:
    """A forged, altered or unknown code is 'unknown'. A genuine code shows the document's state and only
    the holder's initials and birth year. Spaces and line breaks do not count (:func:`without_spaces`)."""
    code = without_spaces((code or "")[:400])
    if not code or len(code) > 300:
        return UNKNOWN
    try:
        payload = verify_code(code, current_pki().code_public_key)
    except InvalidCode:
        return UNKNOWN
    document = Document.objects.filter(number=payload.number, verification_code=code).first()
    if document is None:
        return UNKNOWN
    return Verdict(
        status=document.status, kind=document.kind, exam_nl=document.exam_nl, exam_en=document.exam_en,
        issued_on=document.issued_on, initials=payload.initials, birth_year=payload.birth_year,
        number=document.number, revoked_reason=document.revoked_reason or None, valid_until=document.valid_until,
    )


#: Checks by number that may miss per number in an hour. A birth date is one of some 30,000: whoever holds a
#: copy must not find the holder's by trying dates (the answer for the right one shows the initials).
NUMBER_MISSES_PER_HOUR = 10
NUMBER_GUESSES = GuessLimit("verify-number-misses", NUMBER_MISSES_PER_HOUR, window=3600)


class TooManyChecks(DomainError):
    status = 429
    code = "too_many_checks"


def verify_number(typed_number: str, birth_date: date) -> Verdict:
    """The check for someone holding a paper copy: the document number (as typed, with any case, spacing
    and dashes) and the holder's birth date, which the holder gives. Both must match; what is shown is what
    the document's own code shows. A malformed number raises ``InvalidDocumentNumber``, so a typo is told
    apart from a document that does not exist. After :data:`NUMBER_MISSES_PER_HOUR` misses for a number its
    checks raise ``TooManyChecks`` for the rest of the hour, whatever the date."""
    number = normalise(typed_number)
    if NUMBER_GUESSES.exhausted(number):
        raise TooManyChecks(str(_("Too many checks of this document number: try again in an hour, or use the "
                                  "verification code printed under the QR code.")))
    document = Document.objects.filter(number=number, candidate__birth_date=birth_date).first()
    if document is None:
        NUMBER_GUESSES.missed(number)
        return UNKNOWN
    return verify(document.verification_code)
