"""ITC2007 examination track file formats: ``.exam`` instances and ``.sln`` solutions.

Parsing is tolerant of ``,`` with or without surrounding spaces (the official files mix both)
and of CRLF line ends.  Malformed input raises :class:`FormatError` with the line number.
"""

from __future__ import annotations

import re
from pathlib import Path

from scheduling.examtt.problem import (
    Exam,
    Period,
    PeriodConstraint,
    PeriodRelation,
    Problem,
    Room,
    Weights,
)

_HEADER = re.compile(r"^\[(\w+)(?::(\d+))?\]$")


class FormatError(ValueError):
    """The file does not follow the ITC2007 format."""


def _fields(line: str) -> list[str]:
    return [f for f in re.split(r"[,\s]+", line.strip()) if f]


def _ints(fields: list[str], lineno: int) -> list[int]:
    try:
        return [int(f) for f in fields]
    except ValueError as exc:
        raise FormatError(f"line {lineno}: expected integers, got {' '.join(fields)!r}") from exc


def _sections(text: str) -> dict[str, tuple[int | None, list[tuple[int, str]]]]:
    """Split the file into ``name -> (declared count, [(lineno, line), ...])``."""
    sections: dict[str, tuple[int | None, list[tuple[int, str]]]] = {}
    current: list[tuple[int, str]] | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _HEADER.match(line)
        if match:
            count = int(match.group(2)) if match.group(2) is not None else None
            current = []
            sections[match.group(1)] = (count, current)
        elif current is None:
            raise FormatError(f"line {lineno}: data before the first [section] header")
        else:
            current.append((lineno, line))
    return sections


def _counted(sections: dict, name: str) -> list[tuple[int, str]]:
    if name not in sections:
        raise FormatError(f"missing section [{name}]")
    count, lines = sections[name]
    if count is not None and count != len(lines):
        raise FormatError(f"[{name}:{count}] declares {count} lines but has {len(lines)}")
    return lines


def _parse_exams(lines: list[tuple[int, str]]) -> tuple[Exam, ...]:
    exams = []
    for lineno, line in lines:
        values = _ints(_fields(line), lineno)
        if not values:
            raise FormatError(f"line {lineno}: empty exam line")
        exams.append(Exam(duration=values[0], students=tuple(values[1:])))
    return tuple(exams)


def _parse_periods(lines: list[tuple[int, str]]) -> tuple[Period, ...]:
    """Periods are on the same day iff their date strings are equal (Müller's reading)."""
    periods = []
    day_of: dict[str, int] = {}
    for lineno, line in lines:
        fields = _fields(line)
        if len(fields) != 4:
            raise FormatError(f"line {lineno}: period needs date, time, duration, penalty")
        date = fields[0]
        day = day_of.setdefault(date, len(day_of))
        duration, penalty = _ints(fields[2:], lineno)
        periods.append(Period(day=day, duration=duration, penalty=penalty))
    return tuple(periods)


def _parse_rooms(lines: list[tuple[int, str]]) -> tuple[Room, ...]:
    rooms = []
    for lineno, line in lines:
        values = _ints(_fields(line), lineno)
        if len(values) != 2:
            raise FormatError(f"line {lineno}: room needs capacity, penalty")
        rooms.append(Room(capacity=values[0], penalty=values[1]))
    return tuple(rooms)


def _parse_period_constraints(lines: list[tuple[int, str]]) -> tuple[PeriodConstraint, ...]:
    constraints = []
    for lineno, line in lines:
        fields = _fields(line)
        if len(fields) != 3:
            raise FormatError(f"line {lineno}: expected '<e1>, KIND, <e2>'")
        try:
            kind = PeriodRelation(fields[1].upper())
        except ValueError as exc:
            raise FormatError(f"line {lineno}: unknown period constraint {fields[1]!r}") from exc
        first, second = _ints([fields[0], fields[2]], lineno)
        constraints.append(PeriodConstraint(first=first, kind=kind, second=second))
    return tuple(constraints)


def _parse_room_constraints(lines: list[tuple[int, str]]) -> frozenset[int]:
    exclusive = set()
    for lineno, line in lines:
        fields = _fields(line)
        if len(fields) != 2 or fields[1].upper() != "ROOM_EXCLUSIVE":
            raise FormatError(f"line {lineno}: expected '<e>, ROOM_EXCLUSIVE'")
        exclusive.add(_ints(fields[:1], lineno)[0])
    return frozenset(exclusive)


def _parse_weights(lines: list[tuple[int, str]]) -> Weights:
    values: dict[str, list[int]] = {}
    for lineno, line in lines:
        fields = _fields(line)
        values[fields[0].upper()] = _ints(fields[1:], lineno)
    front = values.get("FRONTLOAD", [0, 0, 0]) + [0, 0, 0]
    return Weights(
        two_in_a_row=values.get("TWOINAROW", [0])[0],
        two_in_a_day=values.get("TWOINADAY", [0])[0],
        period_spread=values.get("PERIODSPREAD", [0])[0],
        non_mixed_durations=values.get("NONMIXEDDURATIONS", [0])[0],
        front_load_exams=front[0],
        front_load_periods=front[1],
        front_load_weight=front[2],
    )


def parse_exam(text: str) -> Problem:
    """Parse the text of an ``.exam`` file into a :class:`Problem`."""
    sections = _sections(text)
    optional = {name: sections.get(name, (None, []))[1] for name in
                ("PeriodHardConstraints", "RoomHardConstraints", "InstitutionalWeightings")}
    try:
        return Problem(
            exams=_parse_exams(_counted(sections, "Exams")),
            periods=_parse_periods(_counted(sections, "Periods")),
            rooms=_parse_rooms(_counted(sections, "Rooms")),
            period_constraints=_parse_period_constraints(optional["PeriodHardConstraints"]),
            room_exclusive=_parse_room_constraints(optional["RoomHardConstraints"]),
            weights=_parse_weights(optional["InstitutionalWeightings"]),
        )
    except ValueError as exc:
        if isinstance(exc, FormatError):
            raise
        raise FormatError(str(exc)) from exc


def read_exam(path: str | Path) -> Problem:
    """Read an ``.exam`` file."""
    return parse_exam(Path(path).read_text(encoding="utf-8"))


def format_solution(assignment: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> str:
    """Solution text: one ``<period>, <room>`` line per exam, CRLF line ends (official format)."""
    return "".join(f"{period}, {room}\r\n" for period, room in assignment)


def write_solution(path: str | Path, assignment) -> None:
    """Write an ``.sln`` file (bytes exact: CRLF line ends)."""
    Path(path).write_bytes(format_solution(assignment).encode("ascii"))


def parse_solution(text: str, problem: Problem | None = None) -> list[tuple[int, int]]:
    """Parse ``.sln`` text; with ``problem`` also check the line count and index ranges."""
    assignment = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        fields = _fields(raw)
        if not fields:
            continue
        values = _ints(fields, lineno)
        if len(values) != 2:
            raise FormatError(f"solution line {lineno}: expected '<period>, <room>'")
        assignment.append((values[0], values[1]))
    if problem is not None:
        _validate_solution(assignment, problem)
    return assignment


def _validate_solution(assignment: list[tuple[int, int]], problem: Problem) -> None:
    if len(assignment) != len(problem.exams):
        raise FormatError(f"solution has {len(assignment)} lines, the instance has "
                          f"{len(problem.exams)} exams")
    for exam, (period, room) in enumerate(assignment):
        if not 0 <= period < len(problem.periods):
            raise FormatError(f"exam {exam}: period {period} out of range 0..{len(problem.periods) - 1}")
        if not 0 <= room < len(problem.rooms):
            raise FormatError(f"exam {exam}: room {room} out of range 0..{len(problem.rooms) - 1}")


def read_solution(path: str | Path, problem: Problem | None = None) -> list[tuple[int, int]]:
    """Read an ``.sln`` file."""
    return parse_solution(Path(path).read_text(encoding="utf-8"), problem)
