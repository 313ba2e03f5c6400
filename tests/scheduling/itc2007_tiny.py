"""A hand-made ITC2007 instance whose penalties are computed by hand in the tests (shared data)."""

TINY_EXAM = (
    "[Exams:4]\r\n"
    "60, 1, 2, 3\r\n"
    "60,1,2\r\n"
    "90, 3\r\n"
    "120 , 4\r\n"
    "[Periods:4]\r\n"
    "01:01:2020, 09:00:00, 120, 0\r\n"
    "01:01:2020, 11:00:00, 120, 5\r\n"
    "01:01:2020, 14:00:00, 90, 0\r\n"
    "02:01:2020, 09:00:00, 120, 10\r\n"
    "[Rooms:2]\r\n"
    "3, 0\r\n"
    "5,7\r\n"
    "[PeriodHardConstraints]\r\n"
    "1, AFTER, 0\r\n"
    "2, EXCLUSION, 3\r\n"
    "3, EXAM_COINCIDENCE, 3\r\n"
    "[RoomHardConstraints]\r\n"
    "3, ROOM_EXCLUSIVE\r\n"
    "[InstitutionalWeightings]\r\n"
    "TWOINAROW, 7\r\n"
    "TWOINADAY, 3\r\n"
    "PERIODSPREAD, 3\r\n"
    "NONMIXEDDURATIONS,11\r\n"
    "FRONTLOAD,1,1,13\r\n"
)

# Feasible: C2R 2 (students 1, 2: periods 0-1), C2D 1 (student 3: 0-2), CPS 3, CNMD 0, CFL 0,
# CP 0+5+0+10 = 15, CR 0+0+7+7 = 14 -> 7*2 + 3*1 + 3 + 15 + 14 = 49.
FEASIBLE = [(0, 0), (1, 0), (2, 1), (3, 1)]

# One violation of every hard kind, two period-related ones (AFTER and EXCLUSION):
# soft C2D 1, CPS 1, CNMD 1 ((2,1) holds 90 and 120 min), CR 14 -> 3 + 1 + 11 + 14 = 29.
BROKEN = [(0, 0), (0, 0), (2, 1), (2, 1)]

# Front load and mixed durations: C2R 0, C2D 0, CPS 3, CNMD 1, CFL 1, CP 15, CR 21 -> 63.
LATE = [(3, 0), (0, 1), (0, 1), (1, 1)]


def itc2007_dir():
    """The competition sets: $ITC2007_DIR or shared/benchmarks/itc2007 beside the repository."""
    import os
    from pathlib import Path

    import pytest

    path = Path(os.environ.get("ITC2007_DIR",
                               Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "itc2007"))
    if not (path / "exam_comp_set1.exam").is_file():
        pytest.skip(f"ITC2007 sets not found in {path}")
    return path
