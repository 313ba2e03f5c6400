"""The solver's sentences in the reader's language.

The solver library writes English sentences and keeps each one's wording (``scheduling.model.Message``):
an English template, which is also the translation key in ``portal/locale``, with its values. Here a stored
wording is said again through gettext in the active language, with the names the portal has in both
languages: a candidate and a room by their name, a part by its full name, a count with the language's
plural (``scheduling.model.counted``), a rule, role or room kind as the pages call it, and
dates as the pages write them. A sentence stored without wording (a run from before wordings) is shown as
it was stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

# The explanations and the validator declare their counted and renamed templates where they use them: a
# page says a stored wording without running the solver, so it loads them here.
from scheduling import explain, validator  # noqa: F401
from scheduling.model import Message, split_role

from ..models import Candidate, ExamFamily, ExamPart, Room
from ..models.staff import StaffRole
from .adapter import DB_FAMILY, ROLE_TO_DB


def part_names() -> dict[str, str]:
    """Every exam part's full name in the active language, by its code (the solver's part id)."""
    return {p.code: p.full_name for p in ExamPart.objects.select_related("programme")}


def part_name(names: dict[str, str], code: str) -> str | None:
    """A part's full name by its code (``names``: :func:`part_names`); a sitting of several parts, coded
    ``WFT-BASIS+WFT-VERMOGEN``, by its parts' names ('Wft Basis + Wft Vermogen'); None for an unknown code."""
    if code in names:
        return names[code]
    members = code.split("+")
    if len(members) > 1 and all(m in names for m in members):
        return " + ".join(names[m] for m in members)
    return None


class Wording:
    """Says stored wordings in the active language; one per request (it caches part and room names)."""

    def __init__(self) -> None:
        self._parts: dict[str, str] | None = None
        self._rooms: dict[str, str] | None = None
        self._candidates: dict[str, str] | None = None
        self._families: dict[str, str] | None = None

    def say(self, wording: Message | dict[str, Any] | None, fallback: str) -> str:
        """The wording (a message or its JSON form) in the active language, or ``fallback`` (the stored
        sentence) without one."""
        if not wording:
            return fallback
        message = wording if isinstance(wording, Message) else Message.from_data(wording)
        return message.render(gettext, self.value, ngettext)

    def sentences(self, item: dict[str, Any]) -> str:
        """An unplaced request's or uncovered session's reasons, each in the active language."""
        reasons, wordings = item.get("reasons", []), item.get("wording", [])
        if len(wordings) != len(reasons):
            return " ".join(reasons)
        return " ".join(self.say(w, r) for w, r in zip(wordings, reasons, strict=True))

    def value(self, name: str, value: Any, params: dict[str, Any]) -> Any:
        if name == "candidate":
            return self.candidates().get(value, value)
        if name == "part":
            return part_name(self.parts(), params.get("part_id", "")) or value
        if name == "room":
            return self.rooms().get(value, value)
        if name in ("exams", "family"):  # a family code, said as the family's name
            return self.family_name(value)
        if name == "rule":
            return gettext(value)
        if name == "role" and value in ROLE_TO_DB:
            return StaffRole(ROLE_TO_DB[value]).label
        if name == "what":  # a role token, else subject:level
            role, family = split_role(value)
            if role not in ROLE_TO_DB:
                return value
            label = StaffRole(ROLE_TO_DB[role]).label
            return f"{label} ({self.family_name(family)})" if family else label
        if name in ("mode", "kind") and value in ExamPart.Mode.values:
            return ExamPart.Mode(value).label
        if name in ("day", "date", "deadline"):
            try:
                day = date.fromisoformat(value)
            except (TypeError, ValueError):
                return value
            return date_format(day, "j F" if name == "day" else "j F Y")
        return value

    def family_name(self, code: str) -> str:
        """A family by its name in the active language, from the solver's code ('WFT') or the portal's."""
        if self._families is None:
            self._families = {f.code: f.name for f in ExamFamily.objects.all()}
        return self._families.get(DB_FAMILY.get(code, code), code)

    def parts(self) -> dict[str, str]:
        if self._parts is None:
            self._parts = part_names()
        return self._parts

    def candidates(self) -> dict[str, str]:
        """The solver calls a candidate ``C<pk>`` (see the adapter); the pages name them."""
        if self._candidates is None:
            self._candidates = {f"C{pk}": f"{first} {last}" for pk, first, last
                                in Candidate.objects.values_list("pk", "first_name", "last_name")}
        return self._candidates

    def rooms(self) -> dict[str, str]:
        """The solver calls a room ``room<pk>`` (see the adapter)."""
        if self._rooms is None:
            self._rooms = {f"room{pk}": name for pk, name in Room.objects.values_list("pk", "name")}
        return self._rooms
