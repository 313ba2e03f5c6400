"""Changing a confirmed exam to another sitting, and the booking page after the change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from exams.models import Booking, ExamSession
from exams.payments.models import Payment
from exams.services.bookings import SeatRequest, booking_confirm, booking_create

pytestmark = pytest.mark.django_db


def logged_in(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def confirmed(candidate, session):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    booking_confirm(booking=booking)
    return booking.registrations.get()


def test_the_change_page_offers_the_sittings_one_can_move_to_first_and_the_others_greyed_with_why(
        make_session, candidate):
    registration = confirmed(candidate, make_session("NT2-II-LZ", days=30))
    closed = make_session("NT2-II-LZ", days=32, room="Computerzaal 2")
    ExamSession.objects.filter(pk=closed.pk).update(registration_closes_at=timezone.now() - timedelta(hours=1))
    clashing = make_session("NT2-II-LZ", days=34, room="Computerzaal 2")
    confirmed(candidate, make_session("NT2-II-LU", days=34))  # another exam of theirs at the same hour
    full = make_session("NT2-II-LZ", days=36, room="Computerzaal 2", capacity=0)
    free = make_session("NT2-II-LZ", days=41, room="Computerzaal 2")

    page = logged_in(candidate.user).get(f"/my/registrations/{registration.pk}/change/").content.decode()

    assert f'value="{closed.pk}"' not in page and "closed on" not in page  # never choosable: left out
    assert f'value="{free.pk}"' in page
    assert f'value="{clashing.pk}"' not in page and f'value="{full.pk}"' not in page  # nothing to click
    offered, _sep, others = page.partition("Other sittings, not possible for you")
    assert "Sittings you can move to" in offered and f's{free.pk}' in offered
    assert "clashes with" in others and "only one" in others  # every reason, not just the first
    assert ": <span class=\"reason\">full</span>" in others
    assert others.index(clashing.local_starts_at.strftime("%-d %b")) < others.index(
        full.local_starts_at.strftime("%-d %b"))  # each group by date


def test_the_change_page_says_so_when_no_sitting_can_be_chosen(make_session, candidate):
    registration = confirmed(candidate, make_session("NT2-II-LZ", days=30))
    make_session("NT2-II-LZ", days=36, room="Computerzaal 2", capacity=0)
    page = logged_in(candidate.user, "nl").get(f"/my/registrations/{registration.pk}/change/").content.decode()
    assert "Er is nu geen ander examenmoment waar je naartoe kunt." in page
    assert 'type="radio"' not in page and "Naar dit examenmoment" not in page
    assert "Andere examenmomenten, niet mogelijk voor jou" in page


def test_after_two_changes_the_booking_page_shows_one_exam_with_its_fee_once_and_where_it_moved_from(
        make_session, candidate):
    first = make_session("NT2-II-LZ", days=30)
    second, third = (make_session("NT2-II-LZ", days=d, room="Computerzaal 2") for d in (37, 44))
    registration = confirmed(candidate, first)
    client = logged_in(candidate.user)
    client.post(f"/my/registrations/{registration.pk}/change/", {"session": second.pk})
    booking = Booking.objects.get(pk=registration.booking_id)
    moved = booking.registrations.get(status="confirmed")
    client.post(f"/my/registrations/{moved.pk}/change/", {"session": third.pk})
    assert booking.registrations.count() == 3

    page = client.get(f"/my/bookings/{booking.pk}/").content.decode()
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    assert table.count("<tr") == 1 and table.count(f"€&nbsp;{registration.fee}") == 1
    when = [s.local_starts_at.strftime("%a %-d %b %Y, %H:%M") for s in (first, second)]
    assert f"Moved here from {when[0]}" in table and f"Moved here from {when[1]}" in table
    assert table.index(when[0]) < table.index(when[1])

    dutch = logged_in(candidate.user, "nl").get(f"/my/bookings/{booking.pk}/").content.decode()
    assert "Hierheen verplaatst van" in dutch and "één keer betaald, geen extra kosten" in dutch

    Payment.objects.create(booking=booking, provider="test", provider_payment_id="tr_moved", amount=registration.fee,
                           status="paid")
    receipt = client.get(f"/my/bookings/{booking.pk}/receipt/").content.decode()
    parts = receipt.split("<tbody>")[1].split("</tbody>")[0]
    assert parts.count("<tr>") == 1 and parts.count("moved here from") == 2


def test_a_changed_registration_without_its_replacement_shows_no_fee(make_session, candidate):
    registration = confirmed(candidate, make_session("NT2-II-LZ", days=30))
    type(registration).objects.filter(pk=registration.pk).update(status="changed")  # replacement unknown
    page = logged_in(candidate.user).get(f"/my/bookings/{registration.booking_id}/").content.decode()
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "moved, no fee" in table and "€&nbsp;" not in table
