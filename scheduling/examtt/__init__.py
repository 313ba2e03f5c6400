"""Generic exam-timetabling core: problem model and solver (no Django, no file formats)."""

from scheduling.examtt.problem import (
    Exam,
    Period,
    PeriodConstraint,
    PeriodRelation,
    Problem,
    Result,
    Room,
    Weights,
)
from scheduling.examtt.solver import solve

__all__ = ["Exam", "Period", "PeriodConstraint", "PeriodRelation", "Problem", "Result", "Room",
           "Weights", "solve"]
