"""A planner manages the exam domain in the admin, accounts included, but never grants power: no role,
staff flag, superuser flag, group or permission, and no change to a staff account or its password."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from exams.models import User
from exams.seed.demo import ensure_staff_groups

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner_client(planner) -> Client:
    ensure_staff_groups()
    planner.groups.add(Group.objects.get(name="Planners"))
    client = Client()
    client.force_login(planner)
    return client


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root@example.org", "a-long-test-password")


def _change(client: Client, user: User, **fields):
    data = {"email": user.email, "role": user.role, "language": user.language, "is_active": "on",
            "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00", "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "09:00:00", **fields}
    return client.post(f"/admin/exams/user/{user.pk}/change/", data)


def test_a_planner_changes_a_candidates_account_but_not_its_privileges(planner_client, candidate):
    user = candidate.user
    response = _change(planner_client, user, language="en", role="admin", is_staff="on", is_superuser="on")
    assert response.status_code == 302, response.content[:2000]
    user.refresh_from_db()
    assert user.language == "en"  # the ordinary change went through
    assert (user.role, user.is_staff, user.is_superuser) == ("candidate", False, False)

    page = planner_client.get(f"/admin/exams/user/{user.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="role"' not in page and 'name="groups"' not in page


def test_a_planner_cannot_change_a_staff_account_nor_set_its_password(planner_client, superuser, planner):
    for target in (superuser, planner):
        response = _change(planner_client, target, language="en")
        assert response.status_code == 403
        response = planner_client.post(f"/admin/exams/user/{target.pk}/password/",
                                       {"password1": "taken-over-now-123", "password2": "taken-over-now-123",
                                        "usable_password": "true"})
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.check_password("a-long-test-password") and target.language == "nl"
    assert planner_client.post(f"/admin/exams/user/{superuser.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=superuser.pk).exists()


def test_a_planner_makes_only_candidate_and_examiner_accounts(planner_client):
    form = planner_client.get("/admin/exams/user/add/").content.decode()
    assert 'value="examiner"' in form and 'value="planner"' not in form and 'value="admin"' not in form
    response = planner_client.post("/admin/exams/user/add/", {
        "email": "new.planner@example.org", "role": "admin", "password1": "a-long-new-password-1",
        "password2": "a-long-new-password-1", "usable_password": "true"})
    assert response.status_code == 200  # the form refuses the role
    assert not User.objects.filter(email="new.planner@example.org").exists()


def test_a_superuser_still_grants_roles(superuser, candidate):
    client = Client()
    client.force_login(superuser)
    response = _change(client, candidate.user, role="planner", is_staff="on")
    assert response.status_code == 302, response.content[:2000]
    candidate.user.refresh_from_db()
    assert (candidate.user.role, candidate.user.is_staff) == ("planner", True)
