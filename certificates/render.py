"""Render diplomas, certificates, grade lists and PE certificates to PDF (ReportLab).

:func:`render_document` is a pure function of :class:`DocumentData` and a language: no database, no
settings; the only varying bytes are ReportLab's creation date and file id. The service layer builds
the data; the signer (:mod:`certificates.signing`) signs the bytes.

Documents are rendered tens of thousands at a time, so whatever does not depend on the document is
prepared once per process (``functools.cache``): the fonts (read, and their 15 KB licence-text name
tables trimmed), the guilloche border (computed and deflated once, embedded as a ready-made Form
XObject), and the QR layout per version (:mod:`certificates.qr`).

Fonts are embedded TrueType (DejaVu, falling back to ReportLab's bundled Vera) rather than the PDF base-14
fonts, because the base-14 encoding has no Ş, ğ, ł, ő and friends, and holders' names must print exactly.
"""

from __future__ import annotations

import functools
import io
import math
import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import reportlab
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile, TTFontMaker
from reportlab.pdfgen.canvas import Canvas

from certificates.documents import DocumentData, DocumentKind, ExamFamily, Holder, Localised
from certificates.qr import qr_matrix

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 22 * mm
QR_SIZE = 30 * mm
ISSUER = Localised("Nationaal Examenbureau", "National Examination Agency")

FONT_SEARCH_PATHS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path(reportlab.__file__).parent / "fonts",
)
FONT_FILES = {
    "Doc-Regular": ("DejaVuSans.ttf", "Vera.ttf"),
    "Doc-Bold": ("DejaVuSans-Bold.ttf", "VeraBd.ttf"),
    "Doc-Serif": ("DejaVuSerif.ttf", "Vera.ttf"),
}
# Three faces on purpose: every embedded face costs a subset and a deflate per document. The number
# and code are set in the sans face; Crockford numbers have no O/0 or I/1 to confuse anyway.

_MONTHS = {
    "nl": (
        "januari februari maart april mei juni juli augustus september oktober november december"
    ).split(),
    "en": "January February March April May June July August September October November December".split(),
}

_TEXT = {
    "certify": Localised("Hierbij wordt verklaard dat", "This is to certify that"),
    "born": Localised("geboren op {date}", "born on {date}"),
    "born_in": Localised("geboren op {date} te {place}", "born on {date} in {place}"),
    "passed": Localised("met goed gevolg heeft afgelegd:", "has passed:"),
    "results": Localised("de volgende cijfers heeft behaald:", "has obtained the following grades:"),
    "part": Localised("Onderdeel", "Part"),
    "subject": Localised("Vak", "Subject"),
    "module": Localised("Module", "Module"),
    "level": Localised("Niveau", "Level"),
    "date": Localised("Datum", "Date"),
    "grade": Localised("Cijfer", "Grade"),
    "pe_period": Localised("PE-periode: {start} t/m {end}", "PE period: {start} to {end}"),
    "valid_until": Localised("Geldig tot en met {date}", "Valid until {date}"),
    "issued": Localised("{place}, {date}", "{place}, {date}"),
    "number": Localised("Documentnummer", "Document number"),
    "verify": Localised(
        "Echtheid controleren: scan de QR-code, of ga naar dit adres en vul de verificatiecode in:",
        "Check authenticity: scan the QR code, or go to this address and enter the verification code:",
    ),
    "code": Localised("Verificatiecode", "Verification code"),
    "digital": Localised(
        "Dit document is digitaal ondertekend; de handtekening dekt het hele bestand.",
        "This document is digitally signed; the signature covers the whole file.",
    ),
    "cover_reference": Localised("Kenmerk", "Reference"),
    "cover_enclosed": Localised("Bijgevoegd", "Enclosed"),
}

_TITLES = {
    (DocumentKind.DIPLOMA, None): Localised("Diploma", "Diploma"),
    (DocumentKind.DIPLOMA, ExamFamily.WFT): Localised("Vakbekwaamheidsdiploma", "Professional competence diploma"),
    (DocumentKind.CERTIFICATE, None): Localised("Certificaat", "Certificate"),
    (DocumentKind.CERTIFICATE, ExamFamily.WFT): Localised("Modulecertificaat", "Module certificate"),
    (DocumentKind.GRADE_LIST, None): Localised("Cijferlijst", "Grade list"),
    (DocumentKind.PE_CERTIFICATE, None): Localised("PE-certificaat", "PE certificate"),
}

_PART_HEADING = {
    ExamFamily.VO: "subject",
    ExamFamily.WFT: "module",
}


# --- process-wide resources -------------------------------------------------------------------------


@functools.cache
def register_fonts() -> tuple[str, ...]:
    """Register the document fonts with ReportLab once per process; return their names.

    Also switches off ReportLab's ASCII85 stream wrapping (process-wide): it only makes streams 25%
    larger and, without the C accelerator, was the single most expensive step of rendering.
    """
    rl_config.useA85 = 0
    for name, candidates in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(_lean_font(_find_font(candidates), name))))
    return tuple(FONT_FILES)


def _lean_font(path: Path, name: str) -> bytes:
    """The font file with its 'name' table cut down to the four names a PDF viewer may look at.

    ReportLab copies the name table into every embedded subset; DejaVu's (mostly licence text) is
    15 KB, more than the glyphs a certificate uses, and it was compressed again for every document.
    The licence allows modification; the family name stays, so viewers still report the font.
    """
    original = TTFontFile(str(path))
    maker = TTFontMaker()
    for tag in original.table:
        data = _name_table(name) if tag == "name" else original.get_table(tag)
        maker.add(tag, data)
    return maker.makeStream()


def _name_table(name: str) -> bytes:
    """A format-0 'name' table with family, subfamily, full and PostScript names (Windows, en-US)."""
    records = [(1, name), (2, "Regular"), (4, name), (6, name)]
    strings = [text.encode("utf-16-be") for _, text in records]
    header = struct.pack(">HHH", 0, len(records), 6 + 12 * len(records))
    entries, offset = b"", 0
    for (name_id, _), encoded in zip(records, strings):
        entries += struct.pack(">HHHHHH", 3, 1, 0x409, name_id, len(encoded), offset)
        offset += len(encoded)
    return header + entries + b"".join(strings)


def _find_font(candidates: Sequence[str]) -> Path:
    for filename in candidates:
        for directory in FONT_SEARCH_PATHS:
            if (directory / filename).is_file():
                return directory / filename
    raise FileNotFoundError(f"none of the fonts {candidates} found in {FONT_SEARCH_PATHS}")


@functools.cache
def border_artwork() -> str:
    """The guilloche-style border as raw PDF drawing operators, computed once per process.

    Interleaved sine ribbons make a photocopied or redrawn border easy to spot; as vector operators
    they stay sharp on security paper and cost one string append per page.
    """
    inset, steps = 12 * mm, 720
    x0, y0, x1, y1 = inset, inset, PAGE_WIDTH - inset, PAGE_HEIGHT - inset
    perimeter = 2 * ((x1 - x0) + (y1 - y0))
    ops = ["q 0.35 w"]
    for phase, colour in ((0.0, "0.16 0.33 0.55"), (math.pi, "0.55 0.42 0.16")):
        ops.append(f"{colour} RG")
        for step in range(steps + 1):
            t = perimeter * step / steps
            x, y, nx, ny = _perimeter_point(t, x0, y0, x1, y1)
            offset = 2.2 * mm * math.sin(2 * math.pi * t / (6 * mm) + phase)
            ops.append(f"{x + nx * offset:.2f} {y + ny * offset:.2f} {'m' if step == 0 else 'l'}")
        ops.append("S")
    ops.append(f"0.16 0.33 0.55 RG 0.8 w {x0 + 5 * mm:.2f} {y0 + 5 * mm:.2f} "
               f"{x1 - x0 - 10 * mm:.2f} {y1 - y0 - 10 * mm:.2f} re S Q")
    return "\n".join(ops)


@functools.cache
def _border_stream() -> bytes:
    """The border artwork deflated once per process; every document embeds these same bytes."""
    return zlib.compress(border_artwork().encode("ascii"), 9)


def _draw_border(canvas: Canvas) -> None:
    """Place the border as a Form XObject whose stream is already compressed.

    ReportLab would otherwise deflate the ~20 KB of curve operators again for every page. The
    stream carries its own /Filter, which tells ReportLab not to filter it again.
    """
    if not canvas._doc.hasForm(_BORDER_FORM):  # noqa: SLF001 - ReportLab exposes no public document handle
        form = pdfdoc.PDFStream(
            dictionary=pdfdoc.PDFDictionary(
                {
                    "Type": pdfdoc.PDFName("XObject"),
                    "Subtype": pdfdoc.PDFName("Form"),
                    "BBox": pdfdoc.PDFArray([0, 0, PAGE_WIDTH, PAGE_HEIGHT]),
                    "Filter": pdfdoc.PDFName("FlateDecode"),
                }
            ),
            content=_border_stream(),
        )
        canvas._doc.addForm(_BORDER_FORM, form)  # noqa: SLF001
    canvas.doForm(_BORDER_FORM)


_BORDER_FORM = "Border"
_DARK_RUN = re.compile("1+")


def _perimeter_point(t: float, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    """Point at arc length ``t`` along the rectangle, with its inward normal."""
    width, height = x1 - x0, y1 - y0
    if t <= width:
        return x0 + t, y0, 0.0, 1.0
    t -= width
    if t <= height:
        return x1, y0 + t, -1.0, 0.0
    t -= height
    if t <= width:
        return x1 - t, y1, 0.0, -1.0
    t -= width
    return x0, y1 - min(t, height), 1.0, 0.0


def qr_operators(data: str, size: float) -> str:
    """PDF operators filling a ``size``-point square with the QR code for ``data`` (origin bottom-left).

    Dark modules are merged into horizontal runs and drawn as one filled path: a few hundred
    rectangles instead of thousands of canvas calls. The code itself comes from
    :mod:`certificates.qr` (byte mode, level M, fixed mask), about three times faster than ``qrcode``.
    """
    matrix = qr_matrix(data)
    steps = _qr_steps(len(matrix), size)
    ops = ["q 0 0 0 rg"]
    for row_index, row in enumerate(matrix):
        y = steps[len(matrix) - 1 - row_index]
        line = "".join(["1" if dark else "0" for dark in row])
        for run in _DARK_RUN.finditer(line):
            start, end = run.span()
            ops.append(f"{steps[start]} {y} {steps[end - start]} {steps[1]} re")
    ops.append("f Q")
    return "\n".join(ops)


@functools.lru_cache(maxsize=8)
def _qr_steps(modules: int, size: float) -> tuple[str, ...]:
    """Module multiples formatted once: positions and widths are always whole numbers of modules."""
    cell = size / modules
    return tuple(f"{index * cell:.3f}" for index in range(modules + 1))


# --- public API -------------------------------------------------------------------------------------


def render_document(doc: DocumentData, *, language: str) -> bytes:
    """The document as a one-page (rarely longer) PDF in ``language`` ("nl" or "en")."""
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, title=f"{title_for(doc).get(language)} {doc.number}", language=language)
    _draw_document(canvas, doc, language)
    canvas.save()
    return buffer.getvalue()


def render_address_sheet(doc: DocumentData, *, language: str, reference: str = "") -> bytes:
    """A cover page with the holder's postal address placed for a window envelope."""
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, title=f"{doc.number} address", language=language)
    _draw_address_sheet(canvas, doc, language, reference)
    canvas.save()
    return buffer.getvalue()


def render_print_batch(docs: Iterable[DocumentData], *, language: str = "nl") -> bytes:
    """One PDF for the security-paper printer: for each document its address sheet, then the document.

    Paper copies are not digitally signed (the signature cannot survive printing); they carry the
    same QR code and verification code as the PDF, which is what a reader of paper checks.
    """
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, title="Print batch", language=language)
    for doc in docs:
        _draw_address_sheet(canvas, doc, language, reference=doc.number)
        canvas.showPage()
        _draw_document(canvas, doc, language)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def title_for(doc: DocumentData) -> Localised:
    return _TITLES.get((doc.kind, doc.family)) or _TITLES[(doc.kind, None)]


def format_date(value: date, language: str) -> str:
    """``12 maart 1990`` / ``12 March 1990``: spelled-out months, independent of the process locale."""
    return f"{value.day} {_MONTHS[language][value.month - 1]} {value.year}"


# --- drawing ----------------------------------------------------------------------------------------


def _new_canvas(buffer: io.BytesIO, *, title: str, language: str) -> Canvas:
    register_fonts()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, lang=language)
    canvas.setTitle(title)
    canvas.setAuthor(ISSUER.get(language))
    canvas.setCreator("examlogistics certificates")
    return canvas


def _draw_document(canvas: Canvas, doc: DocumentData, language: str) -> None:
    _draw_border(canvas)
    y = _draw_heading(canvas, doc, language)
    y = _draw_holder(canvas, doc.holder, language, y)
    y = _draw_parts(canvas, doc, language, y)
    _draw_pe_period(canvas, doc, language, y)
    _draw_footer(canvas, doc, language)


def _draw_heading(canvas: Canvas, doc: DocumentData, language: str) -> float:
    centre = PAGE_WIDTH / 2
    y = PAGE_HEIGHT - MARGIN - 14 * mm
    canvas.setFillColorRGB(0.16, 0.33, 0.55)
    canvas.setFont("Doc-Bold", 11)
    canvas.drawCentredString(centre, y, ISSUER.get(language).upper())
    canvas.setFillColorRGB(0, 0, 0)
    y -= 20 * mm
    _draw_fitted(canvas, "Doc-Serif", 30, title_for(doc).get(language), centre, y)
    y -= 10 * mm
    _draw_fitted(canvas, "Doc-Regular", 13, doc.exam.get(language), centre, y)
    return y - 16 * mm


def _draw_holder(canvas: Canvas, holder: Holder, language: str, y: float) -> float:
    centre = PAGE_WIDTH / 2
    canvas.setFont("Doc-Regular", 11)
    canvas.drawCentredString(centre, y, _TEXT["certify"].get(language))
    y -= 12 * mm
    _draw_fitted(canvas, "Doc-Serif", 22, holder.name, centre, y)
    y -= 8 * mm
    born_on = format_date(holder.birth_date, language)
    key = "born_in" if holder.birthplace else "born"
    canvas.setFont("Doc-Regular", 11)
    canvas.drawCentredString(
        centre, y, _TEXT[key].get(language).format(date=born_on, place=holder.birthplace)
    )
    return y - 12 * mm


def _draw_parts(canvas: Canvas, doc: DocumentData, language: str, y: float) -> float:
    with_grades = doc.kind is DocumentKind.GRADE_LIST
    canvas.setFont("Doc-Regular", 11)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, _TEXT["results" if with_grades else "passed"].get(language))
    y -= 10 * mm
    columns = _part_columns(with_grades)
    heading = _TEXT[_PART_HEADING.get(doc.family, "part")].get(language)
    headings = [heading, _TEXT["level"].get(language), _TEXT["date"].get(language)]
    if with_grades:
        headings.append(_TEXT["grade"].get(language))
    y = _draw_row(canvas, columns, headings, y, font="Doc-Bold")
    canvas.setLineWidth(0.5)
    canvas.line(columns[0], y + 3.5 * mm, PAGE_WIDTH - MARGIN - 8 * mm, y + 3.5 * mm)
    for part in doc.parts:
        if y < 75 * mm:  # leave room for the footer; continue on a fresh page
            _draw_footer(canvas, doc, language)
            canvas.showPage()
            _draw_border(canvas)
            y = PAGE_HEIGHT - MARGIN - 20 * mm
        cells = [part.name.get(language), part.level or "", format_date(part.exam_date, language)]
        if with_grades:
            cells.append(part.grade or "")
        y = _draw_row(canvas, columns, cells, y, font="Doc-Regular")
    return y - 4 * mm


def _part_columns(with_grades: bool) -> list[float]:
    left = MARGIN + 8 * mm
    return [left, left + 75 * mm, left + 100 * mm, left + 135 * mm][: 4 if with_grades else 3]


def _draw_row(canvas: Canvas, columns: list[float], cells: list[str], y: float, *, font: str) -> float:
    canvas.setFont(font, 10)
    for x, text in zip(columns, cells):
        canvas.drawString(x, y, text)
    return y - 6.5 * mm


def _draw_pe_period(canvas: Canvas, doc: DocumentData, language: str, y: float) -> float:
    canvas.setFont("Doc-Bold", 11)
    if doc.pe_period:
        start, end = (format_date(d, language) for d in doc.pe_period)
        canvas.drawString(MARGIN + 8 * mm, y, _TEXT["pe_period"].get(language).format(start=start, end=end))
        y -= 6.5 * mm
    if doc.valid_until:
        text = _TEXT["valid_until"].get(language).format(date=format_date(doc.valid_until, language))
        canvas.drawString(MARGIN + 8 * mm, y, text)
        y -= 6.5 * mm
    return y


def _draw_footer(canvas: Canvas, doc: DocumentData, language: str) -> None:
    left, bottom = MARGIN + 8 * mm, MARGIN + 6 * mm
    qr_x = PAGE_WIDTH - MARGIN - 8 * mm - QR_SIZE
    canvas.addLiteral(f"q 1 0 0 1 {qr_x:.2f} {bottom:.2f} cm\n{qr_operators(doc.verification_url, QR_SIZE)}\nQ")
    issued = _TEXT["issued"].get(language).format(
        place=doc.issued_at_place, date=format_date(doc.issued_on, language)
    )
    canvas.setFont("Doc-Regular", 10)
    canvas.drawString(left, bottom + 48 * mm, issued)
    canvas.setFont("Doc-Regular", 8)
    canvas.drawString(left, bottom + 30 * mm, _TEXT["number"].get(language))
    canvas.setFont("Doc-Bold", 13)
    canvas.drawString(left, bottom + 24 * mm, doc.number)
    canvas.setFont("Doc-Regular", 7)
    canvas.drawString(left, bottom + 16 * mm, _TEXT["verify"].get(language))
    canvas.drawString(left, bottom + 12.5 * mm, _verification_base(doc))
    canvas.drawString(left, bottom + 6 * mm, f"{_TEXT['code'].get(language)}:")
    canvas.setFont("Doc-Regular", 6.5)
    for line_index, line in enumerate(code_lines(doc.verification_code)):
        canvas.drawString(left, bottom + 3 * mm - line_index * 3 * mm, line)
    canvas.setFont("Doc-Regular", 6)
    canvas.drawString(left, MARGIN - 4 * mm, _TEXT["digital"].get(language))


def code_lines(code: str, width: int = 60) -> list[str]:
    """The verification code cut into printed lines of at most ``width`` characters. No line but the
    last ends on a hyphen: text extraction and copy-paste take a hyphen at the end of a line for a
    word broken in two and drop it, which would make the copied code wrong."""
    lines: list[str] = []
    start = 0
    while start < len(code):
        end = min(len(code), start + width)
        while end < len(code) and end - 1 > start and code[end - 1] == "-":
            end -= 1
        lines.append(code[start:end])
        start = end
    return lines


def _verification_base(doc: DocumentData) -> str:
    """The verification page's address without the code (printed separately, below it)."""
    return doc.verification_url.removesuffix(doc.verification_code) or doc.verification_url


def _draw_fitted(canvas: Canvas, font: str, size: float, text: str, centre: float, y: float) -> None:
    """Centred text shrunk to fit between the margins: long names must never run off the page."""
    available = PAGE_WIDTH - 2 * MARGIN - 16 * mm
    width = pdfmetrics.stringWidth(text, font, size)
    if width > available:
        size = size * available / width
    canvas.setFont(font, size)
    canvas.drawCentredString(centre, y, text)


def _draw_address_sheet(canvas: Canvas, doc: DocumentData, language: str, reference: str) -> None:
    """Address block where a Dutch/European left window envelope shows it (about 20 mm in, 50 mm down)."""
    x, y = 22 * mm, PAGE_HEIGHT - 52 * mm
    canvas.setFont("Doc-Regular", 7)
    canvas.drawString(x, y + 6 * mm, ISSUER.get(language))
    canvas.setFont("Doc-Regular", 11)
    for line in (doc.holder.name, *doc.holder.postal_address):
        canvas.drawString(x, y, line)
        y -= 5 * mm
    canvas.setFont("Doc-Regular", 9)
    y = PAGE_HEIGHT - 120 * mm
    if reference:
        canvas.drawString(x, y, f"{_TEXT['cover_reference'].get(language)}: {reference}")
        y -= 5 * mm
    canvas.drawString(x, y, f"{_TEXT['cover_enclosed'].get(language)}: {title_for(doc).get(language)} {doc.number}")
