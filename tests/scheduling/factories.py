"""Tiny hand-made scenarios for the scheduling tests: one or two locations, a few rooms and slots."""

from __future__ import annotations

from dataclasses import replace

from scheduling.model import (
    COMPUTER,
    EXAMINATOR,
    INBURGERING,
    INVIGILATOR,
    NT2,
    ORAL,
    PAPER,
    SECOND,
    VO,
    Candidate,
    Examiner,
    Location,
    Part,
    Provisions,
    Request,
    Room,
    Scenario,
    Settings,
    Slot,
)

AMSTERDAM = Location("AMS", "Amsterdam", 52.37, 4.90)
ZWOLLE = Location("ZWO", "Zwolle", 52.52, 6.09)

PARTS = (
    Part("NT2-I-R", NT2, "NT2 Reading B1", COMPUTER, 100),
    Part("NT2-I-S", NT2, "NT2 Speaking B1", COMPUTER, 30),
    Part("INB-R", INBURGERING, "Inburgering Reading", COMPUTER, 65),
    Part("INB-W", INBURGERING, "Inburgering Writing", PAPER, 40),
    Part("VO-NL-H", VO, "VO oral Dutch havo", ORAL, 40, prep_min=20, subject="NL", level="havo"),
)

SLOTS = (
    Slot("d1-am", "2026-06-01", 9 * 60, 12 * 60),
    Slot("d1-pm", "2026-06-01", 13 * 60, 16 * 60),
    Slot("d2-am", "2026-06-02", 9 * 60, 12 * 60),
    Slot("d2-pm", "2026-06-02", 13 * 60, 16 * 60),
)


def rooms(seats: int = 4) -> tuple[Room, ...]:
    return (
        Room("AMS-C1", "AMS", COMPUTER, seats, accessible=True),
        Room("AMS-C2", "AMS", COMPUTER, seats, large_print=True),
        Room("AMS-SEP", "AMS", COMPUTER, 1, separate=True),
        Room("AMS-P1", "AMS", PAPER, seats),
        Room("AMS-O1", "AMS", ORAL, 1, accessible=True),
    )


def candidate(cid: str, *part_ids: str, family: str = NT2, **kw) -> Candidate:
    reqs = tuple(Request(f"{cid}/{p}", p) for p in part_ids)
    return Candidate(cid, family, 52.36, 4.88, reqs, **kw)


def staff(n_invigilators: int = 3, n_examiners: int = 2) -> tuple[Examiner, ...]:
    inv = tuple(
        Examiner(f"I{i}", f"Invigilator {i}", 52.35, 4.9, (INVIGILATOR,)) for i in range(n_invigilators)
    )
    exm = tuple(
        Examiner(f"E{i}", f"Examiner {i}", 52.30, 4.95, (EXAMINATOR, SECOND), qualifications=("NL:havo",))
        for i in range(n_examiners)
    )
    return inv + exm


def scenario(*candidates: Candidate, seats: int = 4, examiners=None, **kw) -> Scenario:
    settings = kw.pop("settings", Settings())
    return Scenario(
        name="tiny",
        locations=kw.pop("locations", (AMSTERDAM, ZWOLLE)),
        rooms=kw.pop("rooms", rooms(seats)),
        slots=kw.pop("slots", SLOTS),
        parts=PARTS,
        examiners=staff() if examiners is None else examiners,
        candidates=tuple(candidates),
        settings=settings,
        **kw,
    )


def strict(sc: Scenario, **settings) -> Scenario:
    """The same scenario with every request required (a rule that cannot hold makes it INFEASIBLE)."""
    return replace(sc, settings=replace(sc.settings, require_all_placed=True, **settings))


__all__ = ["Provisions", "candidate", "scenario", "staff", "strict", "rooms", "SLOTS", "AMSTERDAM", "ZWOLLE"]
