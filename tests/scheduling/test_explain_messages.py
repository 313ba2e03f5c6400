"""Every sentence the library writes carries its wording: the English template (``%(name)s`` placeholders,
also the translation key) with its values, so a portal can say it in the reader's language. The English
sentence is that wording rendered; every template names only documented values and has a Dutch translation."""

from __future__ import annotations

import ast
import pkgutil
import re
from dataclasses import replace
from pathlib import Path

import pytest

import scheduling.constraints
from scheduling import explain, scenario_io, validator, written
from scheduling.context import Index
from scheduling.model import (
    COMPUTER,
    COUNTED,
    EXAMINATOR,
    INBURGERING,
    INVIGILATOR,
    LOCATION_CLOSED,
    ORAL,
    PAPER,
    PARAMS,
    SECOND,
    TEMPLATES,
    VO,
    Disruption,
    Examiner,
    Expiry,
    Location,
    Message,
    Pin,
    Placement,
    Provisions,
    Result,
    Room,
    Settings,
    Slot,
    Solution,
    StaffAssignment,
    say,
)
from tests.scheduling.factories import AMSTERDAM, SLOTS, ZWOLLE, candidate, scenario

PO = Path(__file__).resolve().parents[2] / "portal" / "locale" / "nl" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdf]")

FAR = Location("BON", "Kralendijk", 12.15, -68.27, utc_offset_min=-240, open_min=10 * 60,
               closed_dates=("2026-06-02",))


def broken_world():
    """A scenario and a roster that break every rule the validator knows, and pay every penalty."""
    needy = candidate("A", "NT2-I-R", "NT2-I-S", window_end="2026-06-01", unavailable_dates=("2026-06-02",),
                      provisions=Provisions(extra_min=200, separate_room=True, accessible=True, large_print=True),
                      max_travel_km=0.1, deadline="2026-06-10", preferred_location_ids=("ZWO",),
                      preferred_dates=("2026-06-05",))
    busy = candidate("B", "INB-R", "INB-W", family="INB", same_day=True, window_end="2026-06-01",
                     unavailable_dates=("2026-06-02",), deadline="2026-06-01")
    orals = [candidate("V0", "VO-NL-H", family=VO, deadline="2026-06-10", provisions=Provisions(accessible=True))]
    orals += [candidate(f"V{i}", "VO-NL-H", family=VO, school_id="SCH1") for i in range(1, 8)]
    rooms = (
        Room("AMS-C1", "AMS", COMPUTER, 1),
        Room("AMS-SEP", "AMS", COMPUTER, 1, separate=True),
        Room("AMS-O1", "AMS", ORAL, 1, separate=True),
        Room("BON-C1", "BON", COMPUTER, 4),
    )
    staff = (
        Examiner("E1", "Examiner One", 12.2, -68.2, (EXAMINATOR, SECOND), qualifications=("EN:vwo",),
                 unavailable_dates=("2026-06-01",), conflicts=("SCH1",), max_per_day=1, max_per_week=1,
                 max_travel_km=1.0),
        Examiner("E2", "Examiner Two", 52.3, 4.9, (INVIGILATOR,)),
        Examiner("E3", "Examiner Three", 52.3, 4.9, (EXAMINATOR, SECOND), qualifications=("NL:havo",),
                 expires=(Expiry(EXAMINATOR, "2026-06-01"),)),
    )
    r_in_paper = "NT2-I-R@AMS-O1@d1-am"
    s_sep = "NT2-I-S@AMS-SEP@d1-am"
    oral = "VO-NL-H@AMS-O1@d1-am"
    far = "INB-R@BON-C1@d2-am"
    evening = "INB-W@AMS-C1@d1-eve"
    sc = scenario(
        needy, busy, *orals, rooms=rooms, examiners=staff, locations=(AMSTERDAM, replace(FAR, families=("NT2",))),
        slots=(*SLOTS, Slot("d1-eve", "2026-06-01", 17 * 60, 17 * 60 + 30, families=("NT2",))),
        pins=(Pin(oral, request_id="A/NT2-I-R"), Pin(far, examiner_id="E2", role=INVIGILATOR)),
        published=Solution((oral,), (Placement("V0/VO-NL-H", "VO-NL-H@AMS-O1@d2-am"),),
                           (StaffAssignment("E2", oral, SECOND),)),
        disruptions=(Disruption(LOCATION_CLOSED, "BON", ("2026-06-02",)),),
        settings=Settings(max_exams_per_day=1, require_all_placed=True, require_all_covered=True,
                          max_pair_days=0),
    )
    solution = Solution(
        (r_in_paper, s_sep, oral, far, evening, "INB-R@BON-C1@d1-pm", "not-a-session", "NT2-I-R@nowhere@d1-am"),
        (Placement("A/NT2-I-R", r_in_paper), Placement("A/NT2-I-S", s_sep), Placement("A/NT2-I-S", s_sep),
         Placement("nobody", oral), Placement("B/INB-R", far), Placement("B/INB-W", evening),
         Placement("V1/VO-NL-H", "closed-session"), Placement("V2/VO-NL-H", s_sep),
         *[Placement(f"V{i}/VO-NL-H", oral) for i in range(3, 8)]),
        (StaffAssignment("E1", oral, EXAMINATOR), StaffAssignment("E1", oral, SECOND),
         StaffAssignment("E3", oral, SECOND), StaffAssignment("E1", evening, INVIGILATOR),
         StaffAssignment("E2", evening, SECOND), StaffAssignment("E3", "INB-R@BON-C1@d1-pm", INVIGILATOR),
         StaffAssignment("E1", r_in_paper, INVIGILATOR), StaffAssignment("E3", far, EXAMINATOR),
         StaffAssignment("E3", s_sep, INVIGILATOR), StaffAssignment("ghost", oral, SECOND)),
    )
    return sc, solution


def diagnosis_world():
    """Candidates and staff each kept out of most sessions by one rule, in a roster that fills some."""
    rooms = (
        Room("AMS-C1", "AMS", COMPUTER, 1),
        Room("AMS-C2", "AMS", COMPUTER, 4, closed_dates=("2026-06-02",)),
        Room("AMS-P1", "AMS", PAPER, 4),
        Room("ZWO-P1", "ZWO", PAPER, 4),
    )
    cands = (
        candidate("F", "NT2-I-R"),
        candidate("G", "NT2-I-R", window_end="2026-06-01", provisions=Provisions(extra_min=100)),
        candidate("H", "NT2-I-R", "NT2-I-S"),
        candidate("K", "NT2-I-S", provisions=Provisions(accessible=True)),
        candidate("L", "NT2-I-S", provisions=Provisions(large_print=True)),
        candidate("M", "INB-R", "INB-W", family=INBURGERING, same_day=True),
        candidate("N", "INB-R", "INB-W", family=INBURGERING),
        candidate("S", "NT2-I-S"),
        candidate("T", "NT2-I-R"),
        candidate("P", "NT2-I-R"),
        # Held back by their notice: on the first day; on both days (the run ends before it); and before
        # their own last day.
        candidate("V", "NT2-I-R", unavailable_dates=("2026-06-01",), notice_start="2026-06-02", notice_days=14),
        candidate("X", "NT2-I-R", unavailable_dates=("2026-06-01", "2026-06-02"), notice_start="2026-06-15",
                  notice_days=14),
        candidate("J", "NT2-I-R", unavailable_dates=("2026-06-01",), window_end="2026-06-01",
                  notice_start="2026-06-02", notice_days=1),
    )
    staff = (
        Examiner("Q", "Oral Only", 52.3, 4.9, (EXAMINATOR,)),
        Examiner("U", "Away", 52.3, 4.9, (INVIGILATOR,), unavailable_dates=("2026-06-01", "2026-06-02")),
        Examiner("W", "Far", 12.1, -68.2, (INVIGILATOR,)),
        Examiner("Y", "Teacher", 52.3, 4.9, (INVIGILATOR,), conflicts=("F", "H", "M", "N")),
        Examiner("Z", "Busy", 52.3, 4.9, (INVIGILATOR,), max_per_day=1, max_per_week=1),
        Examiner("O", "Elsewhere", 52.3, 4.9, (INVIGILATOR,)),
        Examiner("I", "Free", 52.3, 4.9, (INVIGILATOR,)),
    )
    sc = scenario(*cands, rooms=rooms, examiners=staff, locations=(AMSTERDAM, replace(ZWOLLE, open_min=10 * 60)),
                  pins=(Pin("NT2-I-R@AMS-C2@d2-pm", request_id="P/NT2-I-R"),),
                  settings=Settings(max_exams_per_day=1))
    sessions = ("NT2-I-R@AMS-C1@d1-am", "NT2-I-R@AMS-C2@d1-pm", "INB-R@AMS-C2@d1-am", "INB-R@AMS-C1@d2-am",
                "INB-W@ZWO-P1@d1-pm")
    solution = Solution(
        sessions,
        (Placement("F/NT2-I-R", sessions[0]), Placement("H/NT2-I-R", sessions[1]),
         Placement("N/INB-R", sessions[2]), Placement("M/INB-R", sessions[3])),
        (StaffAssignment("Z", sessions[2], INVIGILATOR), StaffAssignment("O", sessions[4], INVIGILATOR)),
    )
    return sc, solution


def written_wordings():
    """(sentence, wording) of the written timetable's penalty per rule (one slot the agency would rather
    not use) and of every reason a written period has no timetable that is found without the solver."""
    from datetime import date, time

    morning, afternoon = (written.Slot(date(2027, 8, 16), start, 180) for start in (time(9), time(13, 30)))
    late = written.Slot(date(2027, 8, 17), time(9), 180, penalty=5)
    parts = (written.WrittenPart("A", "Alpha", 120, (1, 2)), written.WrittenPart("B", "Beta", 120, (1,)),
             written.WrittenPart("C", "Gamma", 120, (1,)))
    period = written.WrittenPeriod(parts, (morning, afternoon, late), seats=2)
    timetable = {"A": morning, "B": afternoon, "C": late}
    pairs = [(rule.words, rule.wording)
             for rule in written._breakdown(period, written.encode(period), timetable, {})]
    impossible = [
        replace(period, slots=()),
        replace(period, parts=(written.WrittenPart("L", "Long", 240, ()),)),
        replace(period, seats=1),
        replace(period, fixed={"A": written.Slot(date(2027, 8, 18), time(9), 180)}),
        replace(period, fixed={"A": morning}, forbidden={"A": (morning,)}),
        replace(period, slots=(morning, afternoon)),
    ]
    for case in impossible:
        reason = written.why_infeasible(case)
        pairs.append((reason.text, reason))
    return pairs


def wordings():
    """(sentence, wording) for every violation, penalty and explanation of the broken world, of the
    diagnosis world and of an empty roster (everyone unplaced), and of the written timetable."""
    sc, solution = broken_world()
    report = validator.validate(sc, solution)
    pairs = [(v.message, v.wording) for v in report.violations]
    pairs += [(p.sentence, p.wording) for p in report.penalties]
    sc2, solution2 = diagnosis_world()
    index2 = Index(sc2)
    for item in explain.explain_all_unplaced(index2, solution2) + explain.explain_all_uncovered(index2, solution2):
        pairs += zip(item.reasons, item.wording, strict=True)
    nobody = Index(replace(sc2, examiners=()))
    for item in explain.explain_all_uncovered(nobody, solution2):
        pairs += zip(item.reasons, item.wording, strict=True)
    index = Index(sc)
    for sol in (solution, Solution()):
        kept = Solution(tuple(s for s in sol.sessions if "@" in s and s.split("@")[1] in index.room),
                        tuple(p for p in sol.placements if p.request_id in index.request
                              and p.session_id.count("@") == 2 and p.session_id.split("@")[1] in index.room),
                        tuple(a for a in sol.staff if a.examiner_id in index.examiner))
        kept = replace(kept, placements=tuple({p.request_id: p for p in kept.placements}.values()))
        for item in explain.explain_all_unplaced(index, kept) + explain.explain_all_unplaced(
                index, kept, only=set(), limit=0) + explain.explain_all_unplaced(index, kept, limit=0):
            pairs += zip(item.reasons, item.wording, strict=True)
        for item in explain.explain_all_uncovered(index, kept) + explain.explain_all_uncovered(index, kept, set()):
            pairs += zip(item.reasons, item.wording, strict=True)
    return pairs + written_wordings()


def _templates(message: Message):
    yield message.template
    for _name, inner in message.inner:
        yield from _templates(inner)
    for item in message.items:
        yield from _templates(item)


def test_every_sentence_is_its_wording_rendered():
    pairs = wordings()
    assert len(pairs) > 60
    for sentence, wording in pairs:
        assert isinstance(wording, Message), sentence
        assert wording.text == sentence


def test_every_template_formats_with_the_values_it_is_given():
    for _sentence, wording in wordings():
        for message in [wording, *(m for _n, m in wording.inner), *wording.items]:
            given = {name for name, _v in message.params} | {name for name, _m in message.inner}
            given |= {"items"} if message.items else set()
            assert set(PLACEHOLDER.findall(message.template)) <= given, message.template


def test_the_tour_speaks_almost_every_template():
    seen = {t for _s, wording in wordings() for t in _templates(wording)}
    unseen = TEMPLATES - seen
    assert len(unseen) <= 5, sorted(unseen)


def test_every_template_names_only_documented_values():
    for text in TEMPLATES:
        names = set(PLACEHOLDER.findall(text))
        assert names <= set(PARAMS), (text, names - set(PARAMS))
        assert text.count("%") == len(PLACEHOLDER.findall(text)), text  # no stray or unnamed placeholder


def test_wording_survives_the_solution_json():
    sc, _ = broken_world()
    index = Index(sc)
    unplaced = explain.explain_all_unplaced(index, Solution())
    penalties = tuple(validator.validate(sc, Solution()).penalties)
    result = Result("FEASIBLE", Solution(), 0, 0, 0, 0, unplaced=unplaced, penalties=penalties)
    again = scenario_io.result_from_json(scenario_io.solution_to_json(Solution(), result))
    assert again.unplaced == unplaced and again.penalties == penalties
    assert again.unplaced[0].wording[0].text == unplaced[0].reasons[0]


def test_a_template_with_a_misspelt_placeholder_fails():
    good = Message("Candidate %(candidate)s", (("candidate", "C1"),))
    assert good.text == "Candidate C1"
    with pytest.raises(KeyError):
        Message("Candidate %(candiate)s", (("candidate", "C1"),)).render()


# Dutch ---------------------------------------------------------------------------------------------


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def po_entries(path: Path = PO) -> dict[tuple[str, str], str]:
    """(msgctxt, msgid) -> msgstr of a .po file; obsolete (#~) entries are left out. An entry with plural
    forms gives its msgid the singular ``msgstr[0]`` and its ``msgid_plural`` the plural ``msgstr[1]``."""
    entries: dict[tuple[str, str], str] = {}
    current: dict[str, str] = {}
    key = None

    def close() -> None:
        if "msgid" in current:
            context = current.get("msgctxt", "")
            entries[(context, current["msgid"])] = current.get("msgstr", current.get("msgstr[0]", ""))
            if "msgid_plural" in current:
                entries[(context, current["msgid_plural"])] = current.get("msgstr[1]", "")
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line:
                close()
                key = None
            continue
        word, _space, rest = line.partition(" ")
        if word in ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[0]", "msgstr[1]"):
            if word in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in current):
                close()
            key = word
            current[key] = _unquote(rest)
        elif line.startswith('"') and key:
            current[key] += _unquote(line)
    close()
    return entries


def rule_names() -> set[str]:
    names = {explain.NOT_CHOSEN, explain.IN_USE, validator.STRUCTURE}
    for info in pkgutil.iter_modules(scheduling.constraints.__path__):
        module = __import__(f"scheduling.constraints.{info.name}", fromlist=["NAME"])
        names |= {getattr(module, attr) for attr in ("NAME", "CHANGE_NAME") if hasattr(module, attr)}
    return names


def test_the_po_parser_reads_what_the_portal_already_translates():
    entries = po_entries()
    assert entries[("", "Staff cost")] == "Personeelskosten"
    assert entries[("a roster change", "Change")] == "Wijziging"


def test_every_template_and_rule_name_has_a_dutch_translation():
    entries = po_entries()
    missing = sorted(t for t in TEMPLATES | rule_names() if not entries.get(("", t)))
    assert not missing, f"add these to {PO.name}: {missing}"
    for text in TEMPLATES:
        dutch = entries[("", text)]
        assert sorted(PLACEHOLDER.findall(dutch)) == sorted(PLACEHOLDER.findall(text)), (text, dutch)


def test_a_counted_template_says_one_in_the_singular_in_both_languages():
    """'1 zijn die dag niet beschikbaar' was the plural said of one: a template that says a count has its
    singular, in English and in the catalogue's plural entry, with the same placeholders."""
    from django.utils import translation

    entries = po_entries()
    assert COUNTED, "the explanations declare their counted templates"
    for plural, (singular, count) in COUNTED.items():
        assert f"%({count})s" in singular and sorted(PLACEHOLDER.findall(singular)) == sorted(
            PLACEHOLDER.findall(plural)), plural
        dutch = entries.get(("", singular))
        assert dutch and sorted(PLACEHOLDER.findall(dutch)) == sorted(PLACEHOLDER.findall(plural)), singular
    one = say(explain._STAFF_PHRASES[explain.staff_availability.NAME], n=1)
    two = say(explain._STAFF_PHRASES[explain.staff_availability.NAME], n=2)
    assert one.text == "1 is unavailable that day" and two.text == "2 are unavailable that day"
    with translation.override("nl"):
        from exams.planning.wording import Wording

        assert Wording().say(one, "") == "1 is die dag niet beschikbaar"
        assert Wording().say(two, "") == "2 zijn die dag niet beschikbaar"


def test_a_stored_summary_of_busy_sessions_names_no_function_of_the_library():
    """Runs stored before said 'explain.explain_unplaced gives the full diagnosis' to planners; said again,
    that summary speaks of the planner's situation."""
    old = ("%(n)s were full, in use by another exam, or clashed with the candidate's other exams "
           "(summary; explain.explain_unplaced gives the full diagnosis)")
    again = Message.from_data({"template": old, "params": [["n", 3]]}).text
    assert again.startswith("3 were full") and "explain_unplaced" not in again
    assert "explain_unplaced" not in say(explain._PHRASES[explain.IN_USE], n=1).text
