"""The Dutch pages, e-mails and letters address people one way: informally ("je", "jouw"), never "u" or "uw"."""

from __future__ import annotations

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "portal" / "locale" / "nl" / "LC_MESSAGES" / "django.po"
FORMAL = re.compile(r"\b(?:[Uu]w?|[Uu]zelf)\b")


def dutch_texts() -> list[tuple[int, str]]:
    """Every translated text of the catalogue (msgstr and its plural forms) with its line number."""
    found, in_msgstr = [], False
    for number, line in enumerate(PO.read_text(encoding="utf-8").splitlines(), 1):
        match = re.match(r'msgstr(?:\[\d+\])? "(.*)"$', line)
        if match:
            in_msgstr = True
        elif in_msgstr and line.startswith('"'):  # a long text goes on over the next lines
            match = re.match(r'"(.*)"$', line)
        else:
            in_msgstr = False
        if match and match.group(1):
            found.append((number, match.group(1)))
    return found


def test_the_catalogue_has_texts_to_check():
    assert len(dutch_texts()) > 500


def test_no_dutch_text_addresses_people_formally():
    formal = [f"line {number}: {text}" for number, text in dutch_texts() if FORMAL.search(text)]
    assert formal == [], "write 'je'/'jouw' as the rest of the site does:\n" + "\n".join(formal)


# The planning engine's own English words, which a Dutch planner should not have to read: the Dutch pages
# speak of "berekening" (a run), "planningsprogramma" (the solver) and "variant" (a seed).
DEVELOPER_WORDS = re.compile(r"(?i)solver|\bseed\b|\w*runs?\b")


def test_no_dutch_text_uses_the_planning_engines_english_words():
    english = [f"line {number}: {text}" for number, text in dutch_texts() if DEVELOPER_WORDS.search(text)]
    assert english == [], "say it in Dutch:\n" + "\n".join(english)


def document_texts() -> list[tuple[str, str]]:
    """The Dutch side of every bilingual text the documents and e-mails are built from (summons letter,
    certificates, what to bring), found in the modules that write them."""
    import importlib

    from certificates.documents import Localised

    found = []

    def walk(where: str, value) -> None:
        if isinstance(value, Localised):
            found.append((where, value.nl))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(f"{where}[{key!r}]", item)
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                walk(f"{where}[{i}]", item)

    for name in ("certificates.exam_day", "certificates.render", "certificates.issuance", "certificates.samples",
                 "exams.services.notifications"):
        for attribute, value in vars(importlib.import_module(name)).items():
            walk(f"{name}.{attribute}", value)
    return found


def test_no_dutch_letter_text_addresses_people_formally():
    texts = document_texts()
    assert any(where.startswith("certificates.exam_day") for where, _text in texts)
    formal = [f"{where}: {text}" for where, text in texts if FORMAL.search(text)]
    assert formal == [], "write 'je'/'jouw' as the rest of the site does:\n" + "\n".join(formal)
