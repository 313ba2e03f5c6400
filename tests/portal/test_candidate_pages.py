"""The candidate's pages, through Django's test client: sign up, search, book, cancel, change, provisions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from exams.models import Booking, Candidate, ExamFamily, ExamSession, Provision, User
from exams.services.bookings import SeatRequest, booking_cancel, booking_confirm, booking_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_sign_up_sends_a_verification_link_that_works(catalogue, django_capture_on_commit_callbacks):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/signup/", {
            "email": "New.Person@Example.org", "first_name": "Mariam", "last_name": "Osei",
            "birth_date": "1991-02-03", "language": "en", "password1": "a-sturdy-passphrase",
            "password2": "a-sturdy-passphrase",
        })
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert not user.email_verified
    assert Candidate.objects.get(user=user).last_name == "Osei"
    assert mail.outbox[-1].subject == "Confirm your e-mail address"
    link = re.search(r"http://testserver(/account/verify-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    client.get(link)
    user.refresh_from_db()
    assert user.email_verified


def test_sign_up_refuses_weak_or_mismatched_passwords(candidate):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    base = {"first_name": "A", "last_name": "B", "birth_date": "1990-01-01", "language": "nl"}
    page = client.post("/signup/", {**base, "email": "x@example.org", "password1": "123", "password2": "123"})
    assert page.status_code == 200 and "too short" in page.content.decode()
    page = client.post("/signup/", {**base, "email": "y@example.org", "password1": "a-sturdy-passphrase",
                                    "password2": "another-passphrase"})
    assert "The two passwords differ." in page.content.decode()
    assert not User.objects.filter(email__in=["x@example.org", "y@example.org"]).exists()


def test_a_forged_verification_link_is_refused(candidate):
    candidate.user.email_verified = False
    candidate.user.save()
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/account/verify-email/not-a-real-token/", follow=True)
    assert "This link is not valid." in page.content.decode()
    candidate.user.refresh_from_db()
    assert not candidate.user.email_verified


def test_password_reset_mails_a_link(candidate):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/account/password-reset/", {"email": "cand.one@example.org"})
    assert response.status_code == 302
    assert "/account/reset/" in mail.outbox[-1].body


def test_search_filters_by_distance_and_time_of_day(make_session, candidate):
    morning, afternoon = make_session("NT2-II-LZ", hour=9), make_session("NT2-II-LU", hour=14, days=31)
    client = logged_in(candidate.user)
    html = client.get("/sessions/", {"near": "1011 AB", "max_km": 10, "time_of_day": "afternoon"}).content.decode()
    assert f'value="{afternoon.pk}:NT2-II-LU"' in html and f'value="{morning.pk}:' not in html
    far = client.get("/sessions/", {"near": "9711 AB", "max_km": 25}).content.decode()  # Groningen
    assert "No sittings match your search." in far
    unknown = client.get("/sessions/", {"near": "Atlantis"}).content.decode()
    assert "We do not know this postcode or town." in unknown


def test_search_shows_full_sessions_with_alternatives_and_says_why_others_are_not_offered(
        make_session, candidate, other_candidate):
    full = make_session("NT2-II-LZ", capacity=1, days=30)
    booking_create(candidate=other_candidate, requests=[SeatRequest(full.pk)])
    later = make_session("NT2-II-LZ", days=40)
    booked = make_session("NT2-II-LU", hour=9, days=50)
    booking_create(candidate=candidate, requests=[SeatRequest(booked.pk)])
    same_day = make_session("NT2-II-SC", hour=14, days=50, room="Computerzaal 2")
    html = logged_in(candidate.user).get("/sessions/", {"family": "nt2"}).content.decode()
    assert "Full" in html and "Next with seats:" in html
    assert f'value="{later.pk}:NT2-II-LZ"' in html
    assert f'value="{same_day.pk}:' not in html
    assert "You can sit only one" in html


def test_book_two_parts_from_the_search_page(make_session, candidate):
    first, second = make_session("NT2-II-LZ", days=30), make_session("NT2-II-LU", days=31)
    client = logged_in(candidate.user)
    response = client.post("/book/", {"choice": [f"{first.pk}:NT2-II-LZ", f"{second.pk}:NT2-II-LU"],
                                      "next": "/sessions/"})
    booking = Booking.objects.get(candidate=candidate)
    assert response.url == f"/my/bookings/{booking.pk}/"
    page = client.get(response.url).content.decode()
    assert "Your seats are held until" in page and "Pay online" in page
    assert booking.amount == 100


def test_inburgering_needs_the_confidentiality_statement(make_session, candidate):
    session = make_session("INB-WI2021-LZ")
    client = logged_in(candidate.user)
    page = client.post("/book/", {"choice": [f"{session.pk}:INB-WI2021-LZ"], "next": "/sessions/"}, follow=True)
    assert "Accept the confidentiality statement" in page.content.decode()
    assert not Booking.objects.exists()
    client.post("/book/", {"choice": [f"{session.pk}:INB-WI2021-LZ"], "accept_statement": "1"})
    assert Booking.objects.filter(candidate=candidate).exists()


def test_booking_a_full_session_shows_a_readable_message(make_session, candidate, other_candidate):
    full = make_session(capacity=1)
    booking_create(candidate=other_candidate, requests=[SeatRequest(full.pk)])
    page = logged_in(candidate.user).post("/book/", {"choice": [f"{full.pk}:NT2-II-LZ"], "next": "/sessions/"},
                                          follow=True)
    assert "A seat you chose has just been taken." in page.content.decode()


def test_unverified_accounts_cannot_book(make_session, candidate):
    candidate.user.email_verified = False
    candidate.user.save()
    page = logged_in(candidate.user).post("/book/", {"choice": [f"{make_session().pk}:NT2-II-LZ"]}, follow=True)
    assert "Confirm your e-mail address first" in page.content.decode()


def test_other_peoples_bookings_are_not_shown(make_session, candidate, other_candidate):
    theirs = booking_create(candidate=other_candidate, requests=[SeatRequest(make_session().pk)])
    client = logged_in(candidate.user)
    for path in (f"/my/bookings/{theirs.pk}/", f"/my/bookings/{theirs.pk}/cancel/", f"/my/bookings/{theirs.pk}/exams.ics"):
        assert client.get(path).status_code == 404
    assert client.post(f"/my/bookings/{theirs.pk}/cancel/").status_code == 404


def test_cancel_a_paid_part_in_time_is_refunded_and_late_is_not(make_session, candidate, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr("exams.services.bookings._queue_refund", queued.append)
    early, late = make_session("INB-WI2021-LZ", days=30), make_session("INB-WI2021-KNM", days=5, room="Computerzaal 2")
    booking = booking_create(candidate=candidate, requests=[SeatRequest(early.pk), SeatRequest(late.pk)])
    booking_confirm(booking=booking)
    client = logged_in(candidate.user)
    regs = {r.session_id: r for r in booking.registrations.all()}
    confirm_page = client.get(f"/my/bookings/{booking.pk}/cancel/", {"registration": regs[late.pk].pk}).content.decode()
    assert "too late for a refund" in confirm_page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my/bookings/{booking.pk}/cancel/", {"registration": regs[early.pk].pk})
        client.post(f"/my/bookings/{booking.pk}/cancel/", {"registration": regs[late.pk].pk})
    assert queued == [regs[early.pk].pk]
    assert ExamSession.objects.get(pk=early.pk).seats_booked == 0


def test_change_to_another_sitting_from_the_page(make_session, candidate):
    first, later = make_session("NT2-II-LZ", days=30), make_session("NT2-II-LZ", days=37)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(first.pk)])
    booking_confirm(booking=booking)
    registration = booking.registrations.get()
    client = logged_in(candidate.user)
    assert f'value="{later.pk}"' in client.get(f"/my/registrations/{registration.pk}/change/").content.decode()
    page = client.post(f"/my/registrations/{registration.pk}/change/", {"session": later.pk}, follow=True)
    assert "Your payment stays valid." in page.content.decode()
    assert booking.registrations.get(status="confirmed").session_id == later.pk


def test_profile_keeps_the_national_id_masked(candidate):
    client = logged_in(candidate.user)
    page = client.get("/my/profile/").content.decode()
    assert "123456782" not in page and "782" in page
    response = client.post("/my/profile/", {"first_name": "Olena", "last_name": "Kovalenko", "birth_date": "1990-05-01",
                                            "phone": "", "language": "en", "street": "", "postcode": "3511 AB",
                                            "city": "Utrecht", "country": "NL", "national_id": ""})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.national_id == "123456782" and candidate.city == "Utrecht"


@pytest.mark.parametrize("name, content, message", [
    ("big.pdf", PDF + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
    ("notes.txt", b"plain text", "Only PDF, JPEG and PNG"),
    ("photo.png", PDF, "does not match its content"),
    ("script.pdf", b"<?php echo 1; ?>", "Only PDF, JPEG and PNG"),
])
def test_bad_evidence_uploads_are_refused(candidate, catalogue, name, content, message, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = logged_in(candidate.user).post("/my/provisions/", {
        "family": catalogue["nt2"].pk, "kind": "extra_time", "extra_minutes": 30, "motivation": "Dyslexia",
        "evidence": SimpleUploadedFile(name, content)})
    assert message in page.content.decode()
    assert not Provision.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_evidence_is_stored_under_a_generated_name_and_reviewed_by_staff(candidate, planner, catalogue, settings,
                                                                         tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = logged_in(candidate.user).post("/my/provisions/", {
        "family": catalogue["nt2"].pk, "kind": "large_print", "motivation": "Low vision",
        "evidence": SimpleUploadedFile("../../etc/passwd.png", PNG)})
    assert response.status_code == 302
    provision = Provision.objects.get()
    stored = provision.evidence.name
    assert stored.startswith("evidence/") and "passwd" not in stored and ".." not in stored
    assert (tmp_path / stored).is_file()
    staff = logged_in(planner)
    assert "Low vision" in staff.get(f"/staff/provisions/{provision.pk}/").content.decode()
    assert staff.get(f"/my/provisions/{provision.pk}/evidence/").status_code == 200
    assert logged_in(candidate.user).get("/staff/provisions/").status_code == 302  # to the login page
    staff.post(f"/staff/provisions/{provision.pk}/", {"decision": "approved", "note": "Granted"})
    provision.refresh_from_db()
    assert provision.status == "approved" and provision.reviewed_by == planner


def test_staff_books_on_behalf_of_a_candidate(make_session, candidate, planner):
    session = make_session()
    client = logged_in(planner)
    assert "You are booking on behalf of Olena Kovalenko" in client.get(
        "/sessions/", {"for": candidate.pk}).content.decode()
    client.post("/book/", {"choice": [f"{session.pk}:NT2-II-LZ"], "for": candidate.pk})
    booking = Booking.objects.get()
    assert booking.candidate == candidate and booking.created_by == planner


def test_receipt_of_a_paid_booking(make_session, candidate, other_candidate):
    from decimal import Decimal

    from exams.payments.models import Payment

    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session().pk)])
    booking_confirm(booking=booking)
    client = logged_in(candidate.user)
    assert client.get(f"/my/bookings/{booking.pk}/receipt/").status_code == 404  # nothing paid yet
    Payment.objects.create(booking=booking, provider="test", provider_payment_id="tr_receipt1", amount=Decimal("50"),
                           status="paid")
    page = client.get(f"/my/bookings/{booking.pk}/receipt/").content.decode()
    assert "Olena Kovalenko" in page and "50.00" in page
    assert "Online payment" in page and ">test<" not in page  # the method in words, not the provider's code
    assert logged_in(other_candidate.user).get(f"/my/bookings/{booking.pk}/receipt/").status_code == 404


def test_change_without_choosing_a_sitting_says_so(make_session, candidate):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ", days=30).pk)])
    booking_confirm(booking=booking)
    registration = booking.registrations.get()
    page = logged_in(candidate.user).post(f"/my/registrations/{registration.pk}/change/", {}, follow=True)
    assert page.status_code == 200
    assert "Choose one of the sittings shown." in page.content.decode()


def test_the_refund_after_cancelling_is_in_dutch_number_format(make_session, candidate, monkeypatch):
    monkeypatch.setattr("exams.services.bookings._queue_refund", lambda registration_id: None)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ", days=60).pk)])
    booking_confirm(booking=booking)
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(candidate.user)
    page = client.post(f"/my/bookings/{booking.pk}/cancel/", follow=True).content.decode()
    assert "€ 50,00" in page and "€ 50.00" not in page


def test_booking_page_says_when_to_arrive_what_to_bring_and_until_when_cancelling_is_refunded(make_session,
                                                                                             candidate):
    early, late = make_session("INB-WI2021-LZ", days=30, hour=9), make_session("INB-WI2021-KNM", days=5, hour=13)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(early.pk), SeatRequest(late.pk)])
    booking_confirm(booking=booking)
    page = logged_in(candidate.user).get(f"/my/bookings/{booking.pk}/").content.decode()
    assert "Be there by 08:15" in page and "Be there by 12:15" in page  # inburgering: 45 minutes early
    refund_until = early.local_starts_at.date() - timedelta(days=14)
    assert f"Refund if you cancel by {refund_until:%-d %B %Y}" in page
    assert "No refund if you cancel" in page  # the late one: less than 14 days to go
    assert "Bring a valid identity document" in page
    assert "€&nbsp;50.00" in page and "€ 50.00" not in page  # an amount never wraps away from its sign


def test_a_family_that_allows_no_change_offers_no_change_link(make_session, candidate):
    session = make_session("INB-WI2021-KNM", days=30)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    booking_confirm(booking=booking)
    url = f"/my/bookings/{booking.pk}/"
    page = logged_in(candidate.user).get(url).content.decode()
    assert "/change/" in page and "Changing the date or location is free" in page
    ExamFamily.objects.filter(pk=session.parts.get().programme.family_id).update(change_allowed=False)
    page = logged_in(candidate.user).get(url).content.decode()
    assert "/change/" not in page and "Changing the date or location is free" not in page
    assert "Bring a valid identity document" in page


def test_my_exams_names_bookings_by_the_reference_the_booking_page_shows(make_session, candidate):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session().pk)])
    page = logged_in(candidate.user).get("/my/").content.decode()
    assert f"Booking B{booking.pk:07d} of" in page


def dutch(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(user)
    return client


def test_results_name_their_exam_and_show_a_score_with_only_the_decimals_it_has(catalogue, candidate):
    from decimal import Decimal

    from django.utils import timezone

    from exams.models import ExamPart, Result

    released, taken = timezone.now() - timedelta(days=1), timezone.localdate() - timedelta(days=40)
    writing_one, writing_two = ExamPart.objects.get(code="NT2-I-SC"), ExamPart.objects.get(code="NT2-II-SC")
    grade_part = ExamPart.objects.filter(score_scale="grade", mode="paper").first()
    for part, score in ((writing_one, "512"), (writing_two, "470"), (grade_part, "6.5")):
        Result.objects.create(candidate=candidate, part=part, score=Decimal(score), passed=score != "470",
                              taken_on=taken, released_at=released, source="partner")
    page = dutch(candidate.user).get("/my/").content.decode()
    # two Writing results in two programmes: each says which exam it belongs to
    assert f"{writing_one.programme.name_nl} – {writing_one.name_nl}" in page
    assert f"{writing_two.programme.name_nl} – {writing_two.name_nl}" in page
    assert ">512<" in page and ">470<" in page and ">6,5<" in page  # a Dutch decimal comma where there is one
    assert "512,00" not in page and "470,00" not in page and "6,50" not in page
    failed = Result.objects.get(part=writing_two)
    request_page = dutch(candidate.user).get(f"/my/results/{failed.pk}/request/").content.decode()
    assert f"voor {writing_two.programme.name_nl} – {writing_two.name_nl} van " in request_page
    assert ": 470." in request_page and "470,00" not in request_page
    english = logged_in(candidate.user).get(f"/my/results/{failed.pk}/request/").content.decode()
    assert f"for {writing_two.programme.name_en} – {writing_two.name_en} of " in english and ": 470." in english
    inspection = {"kind": "inspection", "reason": "Ik wil mijn antwoorden zien"}
    for _ in range(2):  # the second one is refused, in Dutch
        again = dutch(candidate.user).post(f"/my/results/{failed.pk}/request/", inspection, follow=True)
    assert "Je hebt al een openstaand verzoek van deze soort." in again.content.decode()


def test_a_pass_or_fail_result_says_passed_instead_of_a_score_of_one(catalogue, candidate, make_session):
    from decimal import Decimal

    from django.utils import timezone

    from exams.models import ExamPart, Result

    knm = ExamPart.objects.get(code="INB-WI2021-KNM")
    result = Result.objects.create(candidate=candidate, part=knm, score=Decimal(1), passed=True,
                                   taken_on=timezone.localdate() - timedelta(days=40),
                                   released_at=timezone.now() - timedelta(days=1), source="partner")
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("INB-WI2021-KNM", days=5).pk)])
    booking_cancel(booking=booking)
    page = dutch(candidate.user).get("/my/").content.decode()
    assert ">1<" not in page and ">1,00<" not in page
    assert f"{knm.programme.name_nl} – {knm.name_nl}, " in page  # the cancelled one, in the past list
    request_page = dutch(candidate.user).get(f"/my/results/{result.pk}/request/").content.decode()
    assert f"{knm.name_nl} van " in request_page and ": geslaagd." in request_page


DUTCH_MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def test_dates_abbreviate_the_month_in_lower_case_in_dutch_and_capitalised_in_english(make_session,
                                                                                     candidate):
    session = make_session("NT2-II-LZ", days=30)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    start = session.local_starts_at
    month = DUTCH_MONTHS[start.month - 1]
    page = dutch(candidate.user).get(f"/my/bookings/{booking.pk}/").content.decode()
    assert f"{start.day} {month} {start.year}, {start:%H:%M}" in page
    assert f"{start.day} {month.capitalize()} {start.year}" not in page
    english = logged_in(candidate.user).get(f"/my/bookings/{booking.pk}/").content.decode()
    assert f"{start.day} {start:%b} {start.year}, {start:%H:%M}" in english  # "Jan", as English writes it


def test_every_template_date_format_with_a_month_abbreviation_is_translated():
    """Django's "M" capitalises the month ("Jan") in every language; such formats go through _() so that
    Dutch can use "b" ("jan")."""
    from pathlib import Path

    from django.conf import settings
    from django.utils import translation

    templates = Path(settings.BASE_DIR) / "portal" / "templates"
    untranslated, formats = [], set()
    for template in templates.rglob("*.html"):
        text = template.read_text()
        untranslated += [f"{template.name}: {f}" for f in re.findall(r"""date:(["'][^"']*M[^"']*["'])""", text)]
        formats |= set(re.findall(r"""date:_\("([^"]*)"\)""", text))
    assert untranslated == []
    assert formats
    with translation.override("nl"):
        assert {f: translation.gettext(f) for f in formats if "M" in translation.gettext(f)} == {}


def test_refusals_from_the_booking_services_are_in_the_candidates_language(make_session, candidate,
                                                                          other_candidate):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ", days=30).pk)])
    booking_confirm(booking=booking)
    registration = booking.registrations.get()
    other_part = make_session("NT2-II-LU", days=37)
    url = f"/my/registrations/{registration.pk}/change/"
    page = dutch(candidate.user).post(url, {"session": other_part.pk}, follow=True).content.decode()
    assert "Dat examenmoment is voor een ander examenonderdeel." in page
    assert "That sitting is for another exam part." not in page
    page = logged_in(candidate.user).post(url, {"session": other_part.pk}, follow=True).content.decode()
    assert "That sitting is for another exam part." in page
    full = make_session("NT2-II-SC", days=45, capacity=1)
    booking_create(candidate=other_candidate, requests=[SeatRequest(full.pk)])
    page = dutch(candidate.user).post("/book/", {"choice": [f"{full.pk}:NT2-II-SC"], "next": "/sessions/"},
                                      follow=True).content.decode()
    assert "Een plaats die je koos is net bezet." in page
