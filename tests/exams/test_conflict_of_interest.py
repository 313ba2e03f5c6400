"""A declared school reaches the planning however candidates capitalise or space its name."""

from __future__ import annotations

import pytest

from exams.models import Candidate, ConflictOfInterest, Examiner, ExamSession
from exams.planning.adapter import scenario_from_db
from exams.planning.workspace import _conflicts
from exams.services.bookings import SeatRequest, booking_create
from tests.exams.test_planning import vo_world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_a_declared_school_matches_every_spelling_candidates_give_of_it(vo_world):  # noqa: F811
    first, second = Candidate.objects.order_by("last_name")[:2]
    Candidate.objects.filter(pk=first.pk).update(school="Amstel Lyceum")
    Candidate.objects.filter(pk=second.pk).update(school="amstel  lyceum ")
    examiner = Examiner.objects.order_by("last_name").first()
    conflict = ConflictOfInterest.objects.create(examiner=examiner, school="AMSTEL lyceum", reason="I teach there")
    examiners = {e.id: e for e in scenario_from_db(vo_world).examiners}
    assert set(examiners[f"E{examiner.pk}"].conflicts) == {"Amstel Lyceum", "amstel  lyceum "}
    candidates = {c.id: c for c in scenario_from_db(vo_world).candidates}
    assert candidates[f"C{second.pk}"].school_id in examiners[f"E{examiner.pk}"].conflicts
    conflict.delete()  # withdrawn: the planning may use the examiner for that school again
    assert scenario_from_db(vo_world).examiners[0].conflicts == ()


def test_a_hand_edit_warns_of_a_school_spelled_otherwise(vo_world, make_session):  # noqa: F811
    person = Candidate.objects.order_by("last_name").first()
    Candidate.objects.filter(pk=person.pk).update(school="Amstel Lyceum")
    session = make_session()
    booking_create(candidate=person, requests=[SeatRequest(session.pk)], placed_by_agency=True)
    examiner = Examiner.objects.order_by("last_name").first()
    ConflictOfInterest.objects.create(examiner=examiner, school=" amstel LYCEUM", reason="I teach there")
    assert [pk for pk, _candidate in _conflicts({examiner.pk}, ExamSession.objects.get(pk=session.pk))] == [examiner.pk]
