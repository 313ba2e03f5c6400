"""Plain data describing one issued document; shared by the renderer, the codes and the signer.

Everything here is frozen, picklable plain data (no Django, no ReportLab), so a Celery task can build
it from database rows and ship it to a worker process, and a test can build it by hand.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field
from datetime import date

LANGUAGES = ("nl", "en")


class DocumentKind(enum.IntEnum):
    """What the paper says it is. Integer values are part of the verification-code format: never renumber."""

    DIPLOMA = 1
    CERTIFICATE = 2  # part certificate (NT2, inburgering, VO subject) or Wft module certificate
    GRADE_LIST = 3  # VO cijferlijst
    PE_CERTIFICATE = 4  # Wft permanent education


class ExamFamily(enum.Enum):
    NT2 = "nt2"
    INBURGERING = "inburgering"
    VO = "vo"
    WFT = "wft"


@dataclass(frozen=True)
class Localised:
    """A text in Dutch and English; documents are issued in both languages."""

    nl: str
    en: str

    def get(self, language: str) -> str:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
        return self.nl if language == "nl" else self.en


@dataclass(frozen=True)
class Holder:
    name: str
    birth_date: date
    birthplace: str = ""
    postal_address: tuple[str, ...] = ()  # lines as printed on the envelope window, country last

    @property
    def initials(self) -> str:
        """Upper-case initials of the given names and surname (``Anna Maria de Vries`` -> ``AMV``).

        Lower-case particles (de, van, ...) are skipped, as on Dutch documents.
        """
        words = [word for word in self.name.replace("-", " ").split() if word[:1].isupper()]
        letters = [unicodedata.normalize("NFC", word[0]).upper() for word in words]
        return "".join(letters)[:4]


@dataclass(frozen=True)
class PartResult:
    """One passed part, module or subject; ``grade`` is printed on grade lists only."""

    name: Localised
    exam_date: date
    grade: str | None = None
    level: str | None = None  # e.g. "B2", "havo"


@dataclass(frozen=True)
class DocumentData:
    """Everything printed on one document, as plain values. Build it in the service layer."""

    kind: DocumentKind
    family: ExamFamily
    number: str
    holder: Holder
    exam: Localised  # e.g. "Staatsexamen NT2, programma II" / "State Examination Dutch as a Second Language ..."
    parts: tuple[PartResult, ...]
    issued_on: date
    verification_code: str
    verification_url: str
    issued_at_place: str = "Utrecht"
    pe_period: tuple[date, date] | None = None  # Wft PE: the 3-year period the certificate counts for
    valid_until: date | None = None  # Wft PE: expiry
    notes: tuple[Localised, ...] = field(default_factory=tuple)
