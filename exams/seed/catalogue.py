"""The exam catalogue with the figures the agency publishes (see the domain notes).

Values marked *assumed* had no published source; they are sensible defaults that planners edit in the admin.
Every write is an update-or-create on a natural key, so seeding twice changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..models import ExamFamily, ExamPart, FixedExamDate, PEPeriod, Programme, Subject, WftQualification

AMS = ZoneInfo("Europe/Amsterdam")

FAMILIES = {
    "nt2": dict(
        name_nl="Staatsexamen NT2", name_en="State exam Dutch as a second language (NT2)",
        max_attempts_per_part_per_year=3, one_part_per_day=True, registration_closes_days=21,
        refund_until_days=42,  # assumed
        invoice_until_days=42, payment_due_days=21, summons_days=14, results_release_days=35, objection_days=21,
        arrival_minutes_before=30, provision_requires_evidence=True,
    ),
    "inburgering": dict(
        name_nl="Inburgeringsexamen", name_en="Civic integration exam",
        max_attempts_per_part_per_year=None, one_part_per_day=False, registration_closes_days=42,
        refund_until_days=14, invoice_until_days=None, payment_due_days=0, summons_days=14,
        results_release_days=42,  # assumed
        objection_days=42,  # assumed
        arrival_minutes_before=45, requires_confidentiality_statement=True, provision_requires_evidence=True,
    ),
    "vo": dict(
        name_nl="Staatsexamens VO", name_en="State exams secondary education (VO)",
        max_attempts_per_part_per_year=None, one_part_per_day=False, registration_closes_days=0,
        refund_until_days=None, invoice_until_days=None, payment_due_days=0, summons_days=7,
        results_release_days=42,  # assumed
        objection_days=14,  # assumed
        arrival_minutes_before=30, provision_requires_evidence=True,
    ),
    "wft": dict(
        name_nl="Wft-examens", name_en="Wft exams (financial services)",
        max_attempts_per_part_per_year=None, one_part_per_day=False,
        registration_closes_days=1,  # assumed
        refund_until_days=14,  # assumed
        invoice_until_days=None, payment_due_days=0, summons_days=None, results_release_days=2,
        objection_days=14,  # assumed
        arrival_minutes_before=15,  # assumed
        provision_requires_evidence=True,
    ),
}

NT2_PARTS = [  # code suffix, Dutch, English, minutes, raters
    ("LZ", "Lezen", "Reading", 100, 0),
    ("LU", "Luisteren", "Listening", 90, 0),
    ("SC", "Schrijven", "Writing", 110, 2),
    ("SP", "Spreken", "Speaking", 30, 2),
]

INBURGERING_PARTS = [  # code suffix, Dutch, English, mode, minutes
    ("LZ", "Lezen", "Reading", "computer", 65),
    ("LU", "Luisteren", "Listening", "computer", 35),
    ("SC", "Schrijven", "Writing", "paper", 40),
    ("SP", "Spreken", "Speaking", "computer", 35),
    ("KNM", "Kennis van de Nederlandse Maatschappij", "Knowledge of Dutch society", "computer", 45),
]

VO_SUBJECTS = [
    ("NE", "Nederlands", "Dutch"), ("EN", "Engels", "English"), ("DU", "Duits", "German"),
    ("FA", "Frans", "French"), ("WA", "Wiskunde A", "Mathematics A"), ("WB", "Wiskunde B", "Mathematics B"),
    ("GS", "Geschiedenis", "History"), ("AK", "Aardrijkskunde", "Geography"), ("EC", "Economie", "Economics"),
    ("BI", "Biologie", "Biology"), ("SK", "Scheikunde", "Chemistry"), ("NA", "Natuurkunde", "Physics"),
]
VO_LEVELS = [  # code, Dutch, English, oral minutes, written minutes (assumed), subjects offered
    ("VMBO", "vmbo-gl/tl", "vmbo-gl/tl", 25, 120, ["NE", "EN", "DU", "FA", "WA", "GS", "AK", "EC", "BI", "NA"]),
    ("HAVO", "havo", "havo", 40, 150, ["NE", "EN", "DU", "FA", "WA", "WB", "GS", "AK", "EC", "BI", "SK", "NA"]),
    ("VWO", "vwo", "vwo", 40, 180, ["NE", "EN", "DU", "FA", "WA", "WB", "GS", "AK", "EC", "BI", "SK", "NA"]),
]
#: Central written exams sharing a morning on purpose: nobody may take both subjects of a pair.
VO_CLASHING_SUBJECTS = [("GS", "SK"), ("AK", "NA")]

WFT_MODULES = [  # code, Dutch, English, minutes (Basis and Vermogen published, others assumed)
    ("BASIS", "Basis", "Basic", 120),
    ("SCHADE-P", "Schade particulier", "Non-life insurance (private)", 120),
    ("SCHADE-Z", "Schade zakelijk", "Non-life insurance (business)", 120),
    ("INKOMEN", "Inkomen", "Income insurance", 120),
    ("KREDIET", "Consumptief krediet", "Consumer credit", 105),
    ("VERMOGEN", "Vermogen", "Investment", 135),
    ("HYPOTHEEK", "Hypothecair krediet", "Mortgage credit", 120),
    ("PENSIOEN", "Pensioen", "Pensions", 120),
    ("ZORG", "Zorgverzekeringen", "Health insurance", 90),
]
WFT_QUALIFICATIONS = [  # code, Dutch, English, modules, rank
    ("ZORG", "Adviseur zorgverzekeringen", "Health insurance adviser", ["BASIS", "ZORG"], 1),
    ("KREDIET", "Adviseur consumptief krediet", "Consumer credit adviser", ["BASIS", "KREDIET"], 1),
    ("SCHADE-P", "Adviseur schade particulier", "Private non-life adviser", ["BASIS", "SCHADE-P"], 2),
    ("INKOMEN", "Adviseur inkomen", "Income insurance adviser", ["BASIS", "INKOMEN"], 2),
    ("SCHADE-Z", "Adviseur schade zakelijk", "Business non-life adviser", ["BASIS", "SCHADE-P", "SCHADE-Z"], 3),
    ("VERMOGEN", "Adviseur vermogen", "Investment adviser", ["BASIS", "VERMOGEN"], 3),
    ("HYPOTHEEK", "Adviseur hypothecair krediet", "Mortgage adviser", ["BASIS", "HYPOTHEEK"], 3),
    ("PENSIOEN", "Adviseur pensioen", "Pension adviser", ["BASIS", "VERMOGEN", "PENSIOEN"], 4),
]
#: Module order (assumed): a module to pass before booking another.
WFT_REQUIRES = {"SCHADE-Z": ["SCHADE-P"], "PENSIOEN": ["VERMOGEN"]}


def seed_catalogue(*, season_year: int) -> None:
    """Families, programmes, parts, subjects, VO written-exam dates for ``season_year``, Wft set-up."""
    families = {code: _upsert(ExamFamily, {"code": code}, values) for code, values in FAMILIES.items()}
    _seed_nt2(families["nt2"])
    _seed_inburgering(families["inburgering"])
    _seed_vo(families["vo"], season_year)
    _seed_wft(families["wft"])


def _upsert(model, keys: dict, values: dict):
    obj, _ = model.objects.update_or_create(**keys, defaults=values)
    return obj


def _part(programme: Programme, code: str, **values) -> ExamPart:
    return _upsert(ExamPart, {"code": code}, {"programme": programme, **values})


def _seed_nt2(family: ExamFamily) -> None:
    for number, level in (("I", "B1"), ("II", "B2")):
        programme = _upsert(
            Programme, {"code": f"NT2-{number}"},
            dict(family=family, name_nl=f"Staatsexamen NT2 programma {number}",
                 name_en=f"NT2 state exam programme {number}", level=level, fee_cap=Decimal("200")),
        )
        for suffix, nl, en, minutes, raters in NT2_PARTS:
            _part(programme, f"NT2-{number}-{suffix}", name_nl=nl, name_en=en, mode=ExamPart.Mode.COMPUTER,
                  duration_minutes=minutes, fee=Decimal("50"), score_scale=ExamPart.Scale.SCALED,
                  pass_mark=Decimal("500"), seats_per_invigilator=20, raters_required=raters,
                  provision_extra_minutes=30, sittings_per_year=8, validity=ExamPart.Validity.FOREVER)


def _seed_inburgering(family: ExamFamily) -> None:
    regimes = [("WI2021", "Wi2021", "B1", INBURGERING_PARTS), ("WI2013", "Wi2013", "A2", INBURGERING_PARTS)]
    for code, regime, level, parts in regimes:
        programme = _upsert(
            Programme, {"code": f"INB-{code}"},
            dict(family=family, name_nl=f"Inburgering ({regime})", name_en=f"Civic integration ({regime})",
                 level=level, regime=regime, fee_cap=None),
        )
        for suffix, nl, en, mode, minutes in parts:
            _part(programme, f"INB-{code}-{suffix}", name_nl=nl, name_en=en, mode=mode, duration_minutes=minutes,
                  fee=Decimal("50"), score_scale=ExamPart.Scale.PASS_FAIL, pass_mark=Decimal("1"),
                  seats_per_invigilator=20, provision_extra_minutes=30)
        if code == "WI2013":
            _part(programme, "INB-WI2013-ONA", name_nl="Oriëntatie op de Nederlandse Arbeidsmarkt",
                  name_en="Orientation on the Dutch labour market", mode=ExamPart.Mode.PORTFOLIO,
                  duration_minutes=30, fee=Decimal("50"), score_scale=ExamPart.Scale.PASS_FAIL,
                  pass_mark=Decimal("1"), examiners_required=1)


def _seed_vo(family: ExamFamily, season_year: int) -> None:
    subjects = {code: _upsert(Subject, {"code": code}, {"name_nl": nl, "name_en": en}) for code, nl, en in VO_SUBJECTS}
    for level, nl, en, oral_minutes, written_minutes, offered in VO_LEVELS:
        programme = _upsert(
            Programme, {"code": f"VO-{level}"},
            dict(family=family, name_nl=f"Staatsexamen {nl}", name_en=f"State exam {en}", level=level.lower(),
                 fee_cap=Decimal("720"), diploma_within_years=10),
        )
        for index, code in enumerate(offered):
            subject = subjects[code]
            written = _part(
                programme, f"VO-{level}-{code}-CE", subject=subject, name_nl=f"{subject.name_nl} centraal examen",
                name_en=f"{subject.name_en} central written exam", mode=ExamPart.Mode.PAPER,
                duration_minutes=written_minutes, fee=Decimal("73"), score_scale=ExamPart.Scale.GRADE,
                pass_mark=Decimal("5.5"), seats_per_invigilator=25, provision_extra_minutes=30,
            )
            _part(
                programme, f"VO-{level}-{code}-MO", subject=subject, name_nl=f"{subject.name_nl} mondeling",
                name_en=f"{subject.name_en} oral exam", mode=ExamPart.Mode.ORAL, duration_minutes=oral_minutes,
                preparation_minutes=20, provision_extra_minutes=10, fee=Decimal("71"), examiners_required=2,
                score_scale=ExamPart.Scale.GRADE, pass_mark=Decimal("5.5"),
            )
            _seed_fixed_dates(written, level, index, code, season_year)


def _seed_fixed_dates(part: ExamPart, level: str, index: int, subject: str, year: int) -> None:
    """Central written exams: one morning or afternoon each in May, re-sits in June and August."""
    clash_partner = {b: a for a, b in VO_CLASHING_SUBJECTS}
    slot_index = VO_SUBJECTS.index(next(s for s in VO_SUBJECTS if s[0] == clash_partner.get(subject, subject)))
    level_offset = {"VMBO": 0, "HAVO": 1, "VWO": 2}[level]
    first_day = date(year, 5, 10)
    day = _add_weekdays(first_day, (slot_index // 2) * 3 + level_offset)
    start = time(9, 0) if slot_index % 2 == 0 else time(13, 30)
    periods = {"first": day, "resit-june": _add_weekdays(date(year, 6, 14), slot_index // 2),
               "resit-august": _add_weekdays(date(year, 8, 16), slot_index // 2)}
    for period, when in periods.items():
        starts_at = datetime.combine(when, start, tzinfo=AMS)
        FixedExamDate.objects.update_or_create(
            part=part, period=period,
            defaults={"starts_at": starts_at, "ends_at": starts_at + timedelta(minutes=part.duration_minutes)},
        )


def _add_weekdays(start: date, count: int) -> date:
    day = start
    while day.weekday() >= 5:
        day += timedelta(days=1)
    for _ in range(count):
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    return day


def _seed_wft(family: ExamFamily) -> None:
    programme = _upsert(
        Programme, {"code": "WFT"},
        dict(family=family, name_nl="Wft-examens", name_en="Wft exams", level="", fee_cap=None),
    )
    modules = {}
    for code, nl, en, minutes in WFT_MODULES:
        modules[code] = _part(
            programme, f"WFT-{code}", name_nl=nl, name_en=en, mode=ExamPart.Mode.COMPUTER, duration_minutes=minutes,
            fee=Decimal("159"), score_scale=ExamPart.Scale.PERCENT, pass_mark=Decimal("68"),
            seats_per_invigilator=25, provision_extra_minutes=30,
        )
    for code, required in WFT_REQUIRES.items():
        modules[code].requires.set([modules[r] for r in required])
    for code, nl, en, module_codes, rank in WFT_QUALIFICATIONS:
        qualification = _upsert(WftQualification, {"code": code}, {"name_nl": nl, "name_en": en, "rank": rank})
        qualification.modules.set([modules[m] for m in module_codes])
        _part(programme, f"WFT-PE-{code}", name_nl=f"PE {nl}", name_en=f"PE {en}", mode=ExamPart.Mode.COMPUTER,
              duration_minutes=75, fee=Decimal("149"), score_scale=ExamPart.Scale.PERCENT, pass_mark=Decimal("68"),
              seats_per_invigilator=25, provision_extra_minutes=30, is_pe=True,
              validity=ExamPart.Validity.PE_PERIOD)
    for start_year in range(2019, 2035, 3):
        PEPeriod.objects.update_or_create(
            starts_on=date(start_year, 4, 1), defaults={"ends_on": date(start_year + 3, 3, 31)}
        )
