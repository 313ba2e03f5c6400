"""The exam domain: catalogue, places, people, sittings, registrations and staff."""

from .audit import AuditEvent
from .catalogue import (
    ExamFamily,
    ExamPart,
    FixedExamDate,
    PEPeriod,
    Programme,
    Subject,
    WftQualification,
)
from .locations import Closure, Location, OpeningHours, Room
from .people import ApiToken, Candidate, CandidateDeadline, Provision, User
from .notifications import Notification
from .planning import Disruption, PlanningRun, RosterVersion, WrittenPlanRun
from .sessions import ExamSession
from .registrations import Booking, PlacementRequest, Registration, RegistrationEvent, Result
from .staff import (
    Availability,
    ConflictOfInterest,
    Examiner,
    Qualification,
    StaffAssignment,
)

__all__ = [
    "AuditEvent",
    "ApiToken",
    "Availability",
    "Booking",
    "Candidate",
    "CandidateDeadline",
    "Closure",
    "ConflictOfInterest",
    "ExamFamily",
    "ExamPart",
    "ExamSession",
    "Examiner",
    "FixedExamDate",
    "Location",
    "Notification",
    "OpeningHours",
    "PEPeriod",
    "PlacementRequest",
    "Disruption",
    "PlanningRun",
    "RosterVersion",
    "Programme",
    "Provision",
    "Qualification",
    "Registration",
    "RegistrationEvent",
    "Result",
    "Room",
    "StaffAssignment",
    "Subject",
    "User",
    "WftQualification",
    "WrittenPlanRun",
]
