"""Every page a candidate, an employer or a staff member sees passes axe-core's WCAG 2.1 A/AA rules, on a phone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(make_session, candidate, planner, settings, tmp_path):
    """A candidate with a held booking, a confirmed one, a released result, a document and a provision."""
    from django.utils import timezone

    from certificates.issuance import issue_for_candidate
    from certificates.results import results_import
    from exams.models import Provision, Result
    from exams.services.bookings import SeatRequest, booking_confirm, booking_create

    settings.MEDIA_ROOT = tmp_path
    held = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ", days=30).pk)])
    paid = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LU", days=40).pk)])
    booking_confirm(booking=paid)
    make_session("NT2-II-LU", days=47)
    day = (date.today() - timedelta(days=60)).isoformat()
    results_import(rows=[{"candidate_id": candidate.pk, "part": "NT2-II-SC", "taken_on": day, "score": 520},
                         {"candidate_id": candidate.pk, "part": "NT2-II-SP", "taken_on": day, "score": 470}],
                   source="partner")
    Result.objects.update(released_at=timezone.now() - timedelta(days=1))
    issue_for_candidate(candidate)
    provision = Provision.objects.create(candidate=candidate, family_id=held.registrations.get().part.programme.family_id,
                                         kind="large_print", status="requested", motivation="Low vision")
    from certificates.models import Document

    return {"held": held, "paid": paid, "registration": paid.registrations.get(), "provision": provision,
            "document": Document.objects.get(), "failed": Result.objects.get(passed=False)}


def check_pages(page, base: str, paths: list[str], axe_violations) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status < 400, f"{path} answered {response.status}"
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    return found


def test_candidate_pages_pass_axe(live_server, phone, axe_violations, sign_in, world, candidate):
    sign_in(phone, candidate.user)
    paths = ["/", "/sessions/", "/sessions/?family=nt2&near=1011+AB&max_km=25", "/my/", "/my/profile/",
             "/my/provisions/", f"/my/bookings/{world['held'].pk}/", f"/my/bookings/{world['paid'].pk}/",
             f"/my/bookings/{world['paid'].pk}/cancel/", f"/my/registrations/{world['registration'].pk}/change/",
             f"/my/results/{world['failed'].pk}/request/"]
    assert check_pages(phone, live_server.url, paths, axe_violations) == {}


def test_public_pages_pass_axe(live_server, phone, axe_violations, world):
    code = world["document"].verification_code
    paths = ["/login/", "/signup/", "/account/password-reset/", "/account/password-reset/sent/", "/verify/",
             f"/verify/{code}"]
    assert check_pages(phone, live_server.url, paths, axe_violations) == {}
    phone.goto(live_server.url + "/verify/forged-code")  # a 404 page that must still be accessible
    assert axe_violations(phone) == []


def test_staff_pages_pass_axe(live_server, phone, axe_violations, sign_in, world, planner):
    sign_in(phone, planner)
    paths = ["/staff/provisions/", f"/staff/provisions/{world['provision'].pk}/", "/staff/print/", "/planner/",
             "/planner/runs/", "/planner/roster/", "/planner/repair/", "/planner/versions/", "/planner/people/?q=an",
             f"/planner/candidates/{world['held'].candidate_id}/",
             f"/sessions/?for={world['held'].candidate_id}"]
    assert check_pages(phone, live_server.url, paths, axe_violations) == {}


def test_form_errors_are_announced_and_pass_axe(live_server, phone, axe_violations):
    phone.goto(live_server.url + "/signup/")
    phone.get_by_role("button", name="Account aanmaken").click()
    phone.wait_for_load_state()
    assert phone.locator(".errorlist").first.is_visible()
    assert axe_violations(phone) == []


def test_examiner_enters_availability_and_pages_pass_axe(live_server, phone, axe_violations, sign_in, examiner,
                                                        location):
    from datetime import date, timedelta

    sign_in(phone, examiner.user)
    assert check_pages(phone, live_server.url, ["/examiner/", "/examiner/availability/", "/examiner/conflicts/"],
                       axe_violations) == {}
    phone.goto(live_server.url + "/examiner/availability/")
    phone.check("#w1-am")
    phone.check("#w1-pm")
    phone.check("#w3-am")
    next_month = (date.today().replace(day=1) + timedelta(days=40)).replace(day=10)
    phone.fill("#off_from", next_month.isoformat())
    phone.fill("#max_per_day", "4")
    phone.get_by_role("button", name="Opslaan").click()
    phone.wait_for_load_state()
    assert "opgeslagen" in phone.content()
    examiner.refresh_from_db()
    assert examiner.availability.filter(weekday=1).count() == 2
    assert examiner.availability.get(on_date=next_month).available is False
    assert axe_violations(phone) == []
