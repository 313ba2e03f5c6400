"""Exam-day documents from plain data: the summons letter (oproepbrief) a candidate brings to the exam.

Pure functions of frozen dataclasses, like the diplomas: the service layer gathers the data, these draw it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from certificates.documents import Localised
from certificates.render import ISSUER, format_date, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 22 * mm


@dataclass(frozen=True)
class SummonsItem:
    part_name: Localised
    starts_at: datetime  # aware, in the location's own time zone
    ends_at: datetime
    location_name: str
    room_name: str
    street: str
    postcode: str
    city: str
    route: str
    arrival_minutes_before: int


@dataclass(frozen=True)
class SummonsData:
    holder_name: str
    holder_address: tuple[str, ...]
    booking_reference: str
    family_name: Localised
    items: tuple[SummonsItem, ...]
    bring: tuple[Localised, ...]
    provisions: tuple[Localised, ...] = ()


TEXT = {
    "title": Localised("Oproep voor je examen", "Invitation to your exam"),
    "dear": Localised("Beste {name},", "Dear {name},"),
    "intro": Localised("Je bent ingeschreven voor het volgende examen. Neem deze brief mee.",
                       "You are registered for the exam below. Please bring this letter."),
    "when": Localised("Datum en tijd", "Date and time"),
    "arrive": Localised("Wees er om {time} (uiterlijk {minutes} minuten voor de start).",
                        "Be there at {time} ({minutes} minutes before the start at the latest)."),
    "where": Localised("Adres", "Address"),
    "route": Localised("Route", "Route"),
    "bring": Localised("Neem mee", "Bring"),
    "provisions": Localised("Je aanpassingen", "Your provisions"),
    "reference": Localised("Kenmerk", "Reference"),
    "late": Localised("Te laat? Dan mag je niet meer meedoen. Afmelden of wijzigen doe je in Mijn examens.",
                      "Late? Then you cannot take part. Cancel or change in My exams."),
}


def render_summons(data: SummonsData, *, language: str) -> bytes:
    """The summons letter as PDF bytes: one page per exam part, each complete on its own."""
    fonts = register_fonts()
    regular, bold = fonts[0], fonts[1]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, lang=language)
    canvas.setTitle(TEXT["title"].get(language))
    canvas.setAuthor(ISSUER.get(language))
    for item in data.items:
        _draw_page(canvas, data, item, language, regular, bold)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_page(canvas: Canvas, data: SummonsData, item: SummonsItem, language: str, regular: str, bold: str) -> None:
    t = lambda key, **kw: TEXT[key].get(language).format(**kw)  # noqa: E731
    y = PAGE_HEIGHT - MARGIN
    canvas.setFont(bold, 11)
    canvas.drawString(MARGIN, y, ISSUER.get(language))
    y -= 14 * mm
    canvas.setFont(regular, 10)
    for line in (data.holder_name, *data.holder_address):
        canvas.drawString(MARGIN, y, line)
        y -= 5 * mm
    y -= 8 * mm
    canvas.setFont(bold, 18)
    canvas.drawString(MARGIN, y, t("title"))
    y -= 8 * mm
    canvas.setFont(regular, 11)
    canvas.drawString(MARGIN, y, f"{data.family_name.get(language)} – {item.part_name.get(language)}")
    y -= 10 * mm
    canvas.drawString(MARGIN, y, t("dear", name=data.holder_name))
    y -= 6 * mm
    canvas.drawString(MARGIN, y, t("intro"))
    y -= 12 * mm
    arrive = item.starts_at.timestamp() - item.arrival_minutes_before * 60
    arrive_at = datetime.fromtimestamp(arrive, tz=item.starts_at.tzinfo)
    offset = item.starts_at.strftime("%z")
    zone = f" (UTC{offset[:3]}:{offset[3:]})" if offset not in ("+0100", "+0200") else ""
    rows = [
        (t("when"), f"{format_date(item.starts_at.date(), language)}, "
                    f"{item.starts_at:%H:%M}–{item.ends_at:%H:%M}{zone}"),
        ("", t("arrive", time=f"{arrive_at:%H:%M}", minutes=item.arrival_minutes_before)),
        (t("where"), f"{item.location_name}, {item.room_name}"),
        ("", f"{item.street}, {item.postcode} {item.city}".strip(", ")),
    ]
    if item.route:
        rows.append((t("route"), item.route))
    for label, value in rows:
        canvas.setFont(bold, 10)
        canvas.drawString(MARGIN, y, label)
        canvas.setFont(regular, 10)
        canvas.drawString(MARGIN + 35 * mm, y, value[:95])
        y -= 6 * mm
    y -= 6 * mm
    y = _draw_list(canvas, t("bring"), [b.get(language) for b in data.bring], y, regular, bold)
    if data.provisions:
        y = _draw_list(canvas, t("provisions"), [p.get(language) for p in data.provisions], y, regular, bold)
    canvas.setFont(regular, 9)
    canvas.drawString(MARGIN, MARGIN + 8 * mm, t("late"))
    canvas.drawString(MARGIN, MARGIN, f"{t('reference')}: {data.booking_reference}")


def _draw_list(canvas: Canvas, heading: str, lines: list[str], y: float, regular: str, bold: str) -> float:
    canvas.setFont(bold, 11)
    canvas.drawString(MARGIN, y, heading)
    y -= 6 * mm
    canvas.setFont(regular, 10)
    for line in lines:
        canvas.drawString(MARGIN + 4 * mm, y, f"• {line}")
        y -= 5.5 * mm
    return y - 6 * mm


@dataclass(frozen=True)
class AttendanceRow:
    seat: int
    name: str
    birth_date: str
    part: str
    provisions: str


@dataclass(frozen=True)
class AttendanceData:
    """One sitting's list; names and parts already in the reader's language, the start in the location's own
    time zone."""

    location: str
    room: str
    starts_at: datetime
    staff: tuple[str, ...]
    rows: tuple[AttendanceRow, ...]


ATTENDANCE_TEXT = {
    "title": Localised("Presentielijst", "Attendance list"),
    "staff": Localised("Staf", "Staff"),
    "seat": Localised("Plaats", "Seat"),
    "name": Localised("Naam", "Name"),
    "born": Localised("Geboren", "Born"),
    "part": Localised("Onderdeel", "Exam part"),
    "provisions": Localised("Aanpassing", "Provisions"),
    "check": Localised("ID / paraaf", "ID / initials"),
    "footer": Localised("Aanwezig: ____ van {n}    Handtekening surveillant: ______________",
                        "Present: ____ of {n}    Invigilator's signature: ______________"),
}


def render_attendance_list(data: AttendanceData, *, language: str = "nl") -> bytes:
    """The invigilator's list: seat, name, birth date, part, provisions, and a box for ID check and initials;
    long names and parts wrap inside their column."""
    t = lambda key, **kw: ATTENDANCE_TEXT[key].get(language).format(**kw)  # noqa: E731
    styles = _table_styles()
    para = _para
    when = f"{format_date(data.starts_at.date(), language)} {data.starts_at:%H:%M}"
    story = [para(t("title"), styles.title), para(f"{data.location} – {data.room} – {when}", styles.text),
             para(f"{t('staff')}: " + (", ".join(data.staff) or "–"), styles.text), Spacer(1, 5 * mm)]
    table = [[para(t(key), styles.head) for key in ("seat", "name", "born", "part", "provisions", "check")]]
    # The last cell is left empty to sign in; its spacer keeps a row tall enough for that, and a row with
    # long names grows beyond it.
    table += [[para(str(row.seat), styles.cell), para(row.name, styles.cell), para(row.birth_date, styles.cell),
               para(row.part, styles.cell), para(row.provisions, styles.cell), Spacer(1, 7 * mm)]
              for row in data.rows]
    # together the 166 mm between the margins
    story += [_grid(table, [13 * mm, 44 * mm, 25 * mm, 34 * mm, 28 * mm, 22 * mm]),
              Spacer(1, 6 * mm), para(t("footer", n=len(data.rows)), styles.text)]
    return _build(story, title=t("title"), language=language)


@dataclass(frozen=True)
class _Styles:
    cell: ParagraphStyle
    small: ParagraphStyle
    head: ParagraphStyle
    title: ParagraphStyle
    text: ParagraphStyle


def _table_styles() -> _Styles:
    """The paragraph styles of the tabled exam-day lists (attendance list, staff schedule)."""
    regular, bold = register_fonts()[:2]
    cell = ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=10.5)
    return _Styles(cell=cell, small=ParagraphStyle("small", parent=cell, fontSize=7.5, leading=9.5,
                                                   textColor=colors.HexColor("#444444")),
                   head=ParagraphStyle("head", parent=cell, fontName=bold),
                   title=ParagraphStyle("title", fontName=bold, fontSize=14, leading=18),
                   text=ParagraphStyle("text", fontName=regular, fontSize=10, leading=13))


def _para(value: str, style: ParagraphStyle) -> Paragraph:
    """A text that wraps in its column; a newline starts a new line."""
    return Paragraph(escape(value).replace("\n", "<br/>"), style)


def _grid(table: list, widths: list) -> Table:
    """A table with a header row repeated on every page, cells aligned at the top, a line under each row;
    each row as tall as its longest cell."""
    grid = Table(table, colWidths=widths, repeatRows=1)
    grid.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return grid


def _build(story: list, *, title: str, language: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=MARGIN, bottomMargin=MARGIN, title=title,
                                 author=ISSUER.get(language), lang=language, pageCompression=1)
    document.build(story)
    return buffer.getvalue()


@dataclass(frozen=True)
class ScheduleRow:
    """One duty, its texts already in the reader's language; times in the location's own time zone."""

    starts_at: datetime
    ends_at: datetime
    location: str
    room: str
    role: str
    parts: str
    status: str
    arrive_at: datetime | None = None  # when the staff member is to be there
    address: str = ""
    colleagues: tuple[str, ...] = ()
    candidates_arrive_at: datetime | None = None


SCHEDULE_TEXT = {
    "title": Localised("Rooster", "Schedule"),
    "when": Localised("Datum en tijd", "Date and time"),
    "where": Localised("Locatie en lokaal", "Location and room"),
    "role": Localised("Rol", "Role"),
    "parts": Localised("Examenonderdelen", "Exam parts"),
    "with": Localised("Met", "With"),
    "arrive": Localised("aanwezig om {time}", "arrive by {time}"),
    "candidates": Localised("kandidaten om {time}", "candidates at {time}"),
    "none": Localised("Geen diensten in deze periode.", "No duties in this period."),
}


def render_staff_schedule(*, name: str, period: str, rows: tuple[ScheduleRow, ...],
                          language: str = "nl") -> bytes:
    """One examiner's duties in a period, a table row each (text wraps inside its column), for the pocket
    or the notice board."""
    t = lambda key, **kw: SCHEDULE_TEXT[key].get(language).format(**kw)  # noqa: E731
    styles = _table_styles()
    cell, small, head, title, text = styles.cell, styles.small, styles.head, styles.title, styles.text

    def para(value: str, style: ParagraphStyle = cell) -> Paragraph:
        return _para(value, style)

    story = [para(f"{t('title')}: {name}", title), para(period, text), Spacer(1, 5 * mm)]
    if not rows:
        story.append(para(t("none"), text))
    else:
        table = [[para(t(key), head) for key in ("when", "where", "role", "parts", "with")]]
        for row in rows:
            when = f"{format_date(row.starts_at.date(), language)}\n{row.starts_at:%H:%M}–{row.ends_at:%H:%M}"
            arrive = [para(t("arrive", time=f"{row.arrive_at:%H:%M}"), small)] if row.arrive_at else []
            if row.candidates_arrive_at:
                arrive.append(para(t("candidates", time=f"{row.candidates_arrive_at:%H:%M}"), small))
            table.append([
                [para(when), *arrive],
                [para(row.location), para(row.address, small), para(row.room)],
                [para(row.role), para(row.status, small)],
                para(row.parts),
                para("\n".join(row.colleagues) or "–"),
            ])
        widths = [33 * mm, 45 * mm, 26 * mm, 36 * mm, 26 * mm]  # together the 166 mm between the margins
        story.append(_grid(table, widths))
    return _build(story, title=f"{t('title')} {name}", language=language)
