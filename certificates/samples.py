"""Realistic example documents for the demo, the tests and the benchmark (one per exam family).

Kept next to the code rather than in ``tests/`` because the benchmark and the demo seed use them too.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates import codes, numbers
from certificates.documents import DocumentData, DocumentKind, ExamFamily, Holder, Localised, PartResult

VERIFY_BASE_URL = "https://verify.example.nl/v/"

_NAMES = (
    "Anna Maria de Vries",
    "Şükrü Öztürk",
    "Małgorzata Wiśniewska",
    "Nguyễn Thị Thu Hằng",
    "José Álvarez García",
    "Oluwaseun Adébáyọ̀",
)

_ADDRESS = ("Stationsplein 12 B", "3511 ED Utrecht", "NEDERLAND")


def _nt2_diploma() -> dict:
    skills = [("Lezen", "Reading"), ("Luisteren", "Listening"), ("Schrijven", "Writing"), ("Spreken", "Speaking")]
    return dict(
        kind=DocumentKind.DIPLOMA,
        family=ExamFamily.NT2,
        exam=Localised("Staatsexamen Nederlands als tweede taal, programma II",
                       "State Examination Dutch as a Second Language, Programme II"),
        parts=tuple(
            PartResult(Localised(nl, en), date(2026, 3 + i, 10 + i), level="B2")
            for i, (nl, en) in enumerate(skills)
        ),
    )


def _wft_module() -> dict:
    return dict(
        kind=DocumentKind.CERTIFICATE,
        family=ExamFamily.WFT,
        exam=Localised("Wft-examen", "Wft examination"),
        parts=(PartResult(Localised("Wft Basis", "Wft Basic"), date(2026, 9, 14)),),
    )


def _vo_grade_list() -> dict:
    subjects = [("Nederlands", "Dutch", "7,2"), ("Engels", "English", "8,0"), ("Wiskunde A", "Mathematics A", "6,4"),
                ("Geschiedenis", "History", "6,9"), ("Economie", "Economics", "7,5"), ("Biologie", "Biology", "6,1")]
    return dict(
        kind=DocumentKind.GRADE_LIST,
        family=ExamFamily.VO,
        exam=Localised("Staatsexamen havo", "State Examination havo (senior general secondary education)"),
        parts=tuple(
            PartResult(Localised(nl, en), date(2026, 6, 2 + i), grade=grade, level="havo")
            for i, (nl, en, grade) in enumerate(subjects)
        ),
    )


def _wft_pe() -> dict:
    return dict(
        kind=DocumentKind.PE_CERTIFICATE,
        family=ExamFamily.WFT,
        exam=Localised("Wft PE-examen Schade particulier", "Wft PE examination Non-life insurance, private"),
        parts=(PartResult(Localised("PE Schade particulier", "PE Non-life insurance, private"), date(2026, 10, 6)),),
        pe_period=(date(2025, 4, 1), date(2028, 3, 31)),
        valid_until=date(2028, 3, 31),
    )


TEMPLATES = {
    DocumentKind.DIPLOMA: _nt2_diploma,
    DocumentKind.CERTIFICATE: _wft_module,
    DocumentKind.GRADE_LIST: _vo_grade_list,
    DocumentKind.PE_CERTIFICATE: _wft_pe,
}


def sample_document(
    code_key: Ed25519PrivateKey,
    *,
    kind: DocumentKind = DocumentKind.DIPLOMA,
    index: int = 0,
    name: str | None = None,
    number: str | None = None,
    key_id: int = 0,
) -> DocumentData:
    """A complete, correctly signed example document; ``index`` varies the holder."""
    holder = Holder(
        name=name or _NAMES[index % len(_NAMES)],
        birth_date=date(1970 + index % 35, 1 + index % 12, 1 + index % 28),
        birthplace="Utrecht",
        postal_address=_ADDRESS,
    )
    draft = DocumentData(
        number=number or numbers.new_document_number(),
        holder=holder,
        issued_on=date(2026, 11, 23),
        verification_code="",
        verification_url="",
        **TEMPLATES[kind](),
    )
    code = codes.make_code(codes.payload_for(draft, key_id=key_id), code_key)
    return dataclasses.replace(draft, verification_code=code, verification_url=VERIFY_BASE_URL + code)
