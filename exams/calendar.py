"""iCalendar (RFC 5545) files for bookings and assignments, so exams land in people's calendars."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str = ""
    sequence: int = 0
    cancelled: bool = False
    #: Who sends the event and who it is for: calendar programs apply an update (``METHOD:REQUEST``) or a
    #: cancellation (``METHOD:CANCEL``) only to an event whose organizer and attendee they know.
    organizer: str = ""
    attendee: str = ""


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded, as the standard asks."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def calendar_file(events: Iterable[CalendarEvent], *, name: str, now: datetime | None = None,
                  method: str = "PUBLISH") -> str:
    """A calendar file. ``PUBLISH`` (a download, a feed) just shows the events; in an e-mail ``REQUEST``
    adds or updates them and ``CANCEL`` removes them, matched by UID, when their SEQUENCE is higher than
    the one the calendar holds."""
    stamp = _utc(now or datetime.now(UTC))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//examlogistics//exams//NL", "CALSCALE:GREGORIAN",
             f"METHOD:{method}", f"X-WR-CALNAME:{_escape(name)}"]
    for event in events:
        people = ([f"ORGANIZER:mailto:{event.organizer}"] if event.organizer else []) + (
            [f"ATTENDEE;ROLE=REQ-PARTICIPANT:mailto:{event.attendee}"] if event.attendee else [])
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(event.starts_at)}",
            f"DTEND:{_utc(event.ends_at)}",
            f"SUMMARY:{_escape(event.summary)}",
            f"LOCATION:{_escape(event.location)}",
            f"DESCRIPTION:{_escape(event.description)}",
            f"SEQUENCE:{event.sequence}",
            f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
            *people,
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
