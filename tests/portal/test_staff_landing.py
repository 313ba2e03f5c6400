"""Where exam staff land: an exam staff member who is not also a candidate goes to their duties from the login,
My exams and the profile; one who also sits exams, a candidate and a planner stay where they are."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from exams.models import Candidate

pytestmark = pytest.mark.django_db

LOGIN = {"password": "a-long-test-password"}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def landings(user) -> tuple[str, str, str]:
    """Where the login (without ``next``), My exams and the profile send ``user``; "" where the page shows."""
    login = Client().post("/login/", {"username": user.email, **LOGIN})
    client = logged_in(user)
    pages = [client.get("/my/"), client.get("/my/profile/")]
    return (login["Location"], *(page["Location"] if page.status_code == 302 else "" for page in pages))


def test_exam_staff_who_are_not_candidates_land_on_their_duties_from_all_three(examiner):
    assert landings(examiner.user) == ("/examiner/", "/examiner/", "/examiner/")


def test_exam_staff_who_also_sit_exams_and_candidates_see_the_candidate_pages(examiner, candidate):
    Candidate.objects.create(user=examiner.user, first_name="Jan", last_name="Bakker", email=examiner.user.email,
                             birth_date=date(1980, 1, 1))
    assert landings(examiner.user) == ("/", "", "")
    assert landings(candidate.user) == ("/", "", "")


def test_a_planner_without_a_candidate_profile_is_not_sent_to_the_examiners_page(planner):
    client = logged_in(planner)
    assert client.get("/my/").status_code == 200
    assert client.get("/my/profile/")["Location"] == "/"


def test_the_three_entry_points_follow_one_rule(examiner, monkeypatch):
    """Change the rule once and the login, My exams and the profile all follow it."""
    from portal import landing

    monkeypatch.setattr(landing, "staff_page", lambda user: "/elsewhere/")
    assert landings(examiner.user) == ("/elsewhere/", "/elsewhere/", "/elsewhere/")
