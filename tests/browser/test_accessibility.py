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


def check_here(pages, path: str, axe_violations, status: int = 200) -> dict[str, list[str]]:
    """Each page (a name and a Playwright page) is already at ``path`` (a form sent, say): its violations."""
    found = {}
    for name, page in pages.items():
        assert page.evaluate("document.readyState") == "complete"
        violations = axe_violations(page)
        if violations:
            found[f"{path} ({name})"] = violations
    return found


def check_sizes(pages, base: str, paths: list[str], axe_violations) -> dict[str, list[str]]:
    """Every path on every page (a phone, a desktop, English ...)."""
    found = {}
    for name, page in pages.items():
        found.update({f"{path} ({name})": v for path, v in check_pages(page, base, paths, axe_violations).items()})
    return found


@pytest.fixture
def signed_in(sign_in, phone, desktop, english):
    """``signed_in(user)``: the phone, the desktop and the English phone, each logged in as ``user``."""
    def apply(user) -> dict:
        pages = {"phone": phone, "desktop": desktop, "English": english}
        for page in pages.values():
            sign_in(page, user)
        return pages

    return apply


def test_candidate_pages_of_today_pass_axe(live_server, signed_in, axe_violations, world, candidate,
                                           other_candidate, make_session):
    """The change page with both groups of sittings, the booking page with "before you pay" and the mail
    language, "my exams" with a "book again" card, the provisions page and the account pages."""
    from datetime import datetime

    from django.utils import timezone

    from exams.models import Booking
    from exams.services.bookings import SeatRequest, booking_create, expire_holds

    full = make_session("NT2-II-LU", days=44, capacity=1)
    booking_create(candidate=other_candidate, requests=[SeatRequest(full.pk)])
    second = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LU", days=51).pk)])
    lapsed = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-SC", days=35).pk)])
    Booking.objects.filter(pk=lapsed.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert expire_holds(now=datetime.now(tz=timezone.get_current_timezone())) == 1
    pages = signed_in(candidate.user)
    phone, english = pages["phone"], pages["English"]
    base = live_server.url
    change = f"/my/registrations/{world['registration'].pk}/change/"
    phone.goto(base + change)
    assert phone.locator("ul.choices li").count() and phone.locator("ul.refused li").count()
    phone.goto(base + f"/my/bookings/{second.pk}/")
    assert phone.get_by_role("heading", name="Voordat je betaalt").is_visible()
    english.goto(base + f"/my/bookings/{second.pk}/")
    assert english.locator("#mail-language").is_visible()
    phone.goto(base + "/my/")
    assert phone.get_by_role("button", name="Opnieuw boeken").count() == 1
    phone.goto(base + "/my/provisions/")
    assert phone.locator("input[type=file]").count() and phone.locator("form[action$='/withdraw/']").count()
    paths = ["/my/", f"/my/bookings/{second.pk}/", change, "/my/provisions/", "/account/password/",
             "/account/email/"]
    found = check_sizes(pages, base, paths, axe_violations)
    # A password change that does not match, and an e-mail change sent.
    for name, page in pages.items():
        page.goto(base + "/account/password/")
        page.locator("input[type=password]").first.fill("wrong-old-password")
        page.locator("form.stacked button[type=submit], main form button[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator(".errorlist, .error").first.is_visible()
        found.update(check_here({name: page}, "/account/password/ (errors)", axe_violations))
        page.goto(base + "/account/email/")
        page.locator("input[type=email]").fill(f"new.{name.lower()}@example.org")
        page.locator("input[type=password]").fill("a-long-test-password")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        assert f"new.{name.lower()}@example.org" in page.locator("main").inner_text()
        found.update(check_here({name: page}, "/account/email/ (sent)", axe_violations))
    assert found == {}


def test_verification_pages_pass_axe(live_server, phone, desktop, english, axe_violations, world):
    """Both forms, every verdict (by code and by number), and the form with errors (422)."""
    document, candidate = world["document"], world["document"].candidate
    pages = {"phone": phone, "desktop": desktop, "English": english}
    base = live_server.url
    found = check_sizes(pages, base, ["/verify/", f"/verify/{document.verification_code}", "/signup/sent/"],
                        axe_violations)
    for name, page in pages.items():
        page.goto(base + "/verify/forged-code")
        found.update(check_here({name: page}, "/verify/forged-code", axe_violations))
        for number, born, what in [("", "", "422"), (document.number, candidate.birth_date.isoformat(), "valid"),
                                   (document.number, "1970-01-01", "unknown")]:
            page.goto(base + "/verify/")
            page.fill("#id_number", number)
            page.fill("#id_birth_date", born)
            page.locator("section[aria-labelledby=by-number] button[type=submit]").click()
            page.wait_for_load_state()
            assert page.locator(".verdict" if what != "422" else ".errorlist").first.is_visible(), what
            found.update(check_here({name: page}, f"/verify/ by number ({what})", axe_violations))
        page.goto(base + "/verify/?code=")
        found.update(check_here({name: page}, "/verify/?code=", axe_violations))
    type(document).objects.filter(pk=document.pk).update(status="revoked", revoked_reason="Issued in error")
    found.update(check_sizes(pages, base, [f"/verify/{document.verification_code}"], axe_violations))
    assert phone.locator(".verdict.revoked").is_visible()
    assert found == {}


def test_examiner_pages_of_today_pass_axe(live_server, signed_in, axe_violations, examiner, make_session):
    """The dashboard with its folds, availability with location tick boxes, the sick confirmation with and
    without an error in the last sick day."""
    from exams.models import StaffAssignment

    for days, status in ((3, "published"), (3, "accepted"), (12, "published")):
        StaffAssignment.objects.create(session=make_session("NT2-II-LZ", days=days, hour=9 if status == "published"
                                                            else 13), examiner=examiner, role="invigilator",
                                       status=status)
    pages = signed_in(examiner.user)
    base = live_server.url
    found = check_sizes(pages, base, ["/examiner/", "/examiner/availability/"], axe_violations)
    assert pages["phone"].locator("#locations input[type=checkbox]").count()
    for name, page in pages.items():
        page.goto(base + "/examiner/")
        page.locator("details.answer summary").first.click()
        found.update(check_here({name: page}, "/examiner/ (a fold open)", axe_violations))
        page.locator("details.answer button[value=sick]").first.click()
        page.wait_for_load_state()
        assert page.locator("#until").is_visible()
        found.update(check_here({name: page}, "sick confirmation", axe_violations))
        page.fill("#until", (date.today() + timedelta(days=400)).isoformat())  # too long a period
        page.locator("main button[value=sick]").click()
        page.wait_for_load_state()
        assert page.locator("#until-error").is_visible()
        found.update(check_here({name: page}, "sick confirmation (error)", axe_violations))
    assert found == {}


def test_planner_pages_of_today_pass_axe(live_server, signed_in, axe_violations, planner, world, examiner,
                                         location):
    """The disruptions page (the room closure form and a list of disruptions) and the run form."""
    from exams.models import Disruption

    today = date.today()
    Disruption.objects.create(kind="room", location=location, room=location.rooms.first(), starts_on=today,
                              ends_on=today + timedelta(days=2), reason="Water damage", reported_by=planner)
    Disruption.objects.create(kind="examiner", examiner=examiner, starts_on=today, ends_on=today,
                              reason="Ill", reported_by=planner)
    pages = signed_in(planner)
    found = check_sizes(pages, live_server.url, ["/planner/repair/", "/planner/runs/"], axe_violations)
    assert pages["phone"].locator("input[name=locations]").count()
    pages["phone"].goto(live_server.url + "/planner/repair/")
    assert pages["phone"].get_by_text("Water damage").is_visible()
    assert found == {}
