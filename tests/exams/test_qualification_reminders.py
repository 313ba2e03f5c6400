"""Examiners hear in time that a qualification ends: once per qualification and end date, in their language,
with the duties after that day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from exams.models import Examiner, Notification, Qualification, StaffAssignment, Subject
from exams.services.notifications import qualification_reminders_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def lapsing(examiner, catalogue, make_session):
    """The examiner's NT2 invigilation ends in 20 days; they have duties on days 10 and 30."""
    today = timezone.localdate()
    qualification = Qualification.objects.create(examiner=examiner, role="invigilator", family=catalogue["nt2"],
                                                 valid_until=today + timedelta(days=20))
    for days in (10, 30):
        StaffAssignment.objects.create(session=make_session(days=days), examiner=examiner, role="invigilator")
    return qualification


def test_one_reminder_lists_the_duties_after_the_last_day(lapsing, examiner):
    assert qualification_reminders_send() == 1
    assert qualification_reminders_send() == 0  # a daily job: the next day says nothing new
    [message] = mail.outbox
    day = f"{lapsing.valid_until:%d-%m-%Y}"
    assert message.to == [examiner.email]
    assert message.subject == f"Je bevoegdheid geldt tot en met {day}"
    duties = [line for line in message.body.splitlines() if line.startswith("- ")]
    after = (timezone.localdate() + timedelta(days=30)).strftime("%d-%m-%Y")
    assert len(duties) == 1 and duties[0].startswith(f"- {after} 09:00, Examencentrum Amsterdam")
    assert "anders geven de planners die diensten aan iemand anders" in message.body
    assert Notification.objects.get().kind == "qualification_lapsing"


def test_the_reminder_is_in_the_examiners_language(lapsing, examiner):
    examiner.user.language = "en"
    examiner.user.save()
    qualification_reminders_send()
    assert mail.outbox[0].subject.startswith("Your qualification holds until")
    assert "Your qualification as invigilator (State exam Dutch as a second language (NT2))" in mail.outbox[0].body


def test_an_extended_qualification_reminds_again_when_its_new_end_comes_near(lapsing):
    qualification_reminders_send()
    Qualification.objects.filter(pk=lapsing.pk).update(valid_until=lapsing.valid_until + timedelta(days=365))
    assert qualification_reminders_send() == 0  # a year away now
    later = lapsing.valid_until + timedelta(days=365 - 30)
    assert qualification_reminders_send(today=later) == 1
    assert len(mail.outbox) == 2


def test_only_qualifications_ending_soon_of_active_examiners_are_reminded(lapsing, catalogue):
    today = timezone.localdate()
    far = Examiner.objects.create(first_name="Ver", last_name="Weg", email="far@example.org")
    Qualification.objects.create(examiner=far, role="invigilator", family=catalogue["nt2"],
                                 valid_until=today + timedelta(days=61))
    gone = Examiner.objects.create(first_name="Was", last_name="Er", email="gone@example.org", active=False)
    Qualification.objects.create(examiner=gone, role="invigilator", family=catalogue["nt2"],
                                 valid_until=today + timedelta(days=5))
    past = Examiner.objects.create(first_name="Al", last_name="Voorbij", email="past@example.org")
    Qualification.objects.create(examiner=past, role="examinator", family=catalogue["vo"], level="havo",
                                 subject=Subject.objects.get(code="EN"), valid_until=today - timedelta(days=1))
    assert qualification_reminders_send() == 1
    assert [m.to for m in mail.outbox] == [[lapsing.examiner.email]]
