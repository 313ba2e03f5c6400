import subprocess
import sys
from pathlib import Path

import pytest

from certificates import render, samples
from certificates.documents import DocumentKind


def _text(pdf: bytes, pdftotext: str, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("kind", list(DocumentKind))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_document_shows_holder_number_and_exam(pki, kind, language, pdftotext, tmp_path):
    doc = samples.sample_document(pki.code_key, kind=kind, name="Małgorzata Wiśniewska")
    pdf = render.render_document(doc, language=language)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf, pdftotext, tmp_path)
    assert "Małgorzata Wiśniewska" in text
    assert doc.number in text
    assert render.title_for(doc).get(language) in text
    assert render.format_date(doc.holder.birth_date, language) in text
    for part in doc.parts:
        assert part.name.get(language) in text
    lines = render.code_lines(doc.verification_code)
    assert "".join(lines) == doc.verification_code
    assert all(line in text for line in lines[:-1])
    # a hyphen ending the code's last line is read as a broken word and dropped by pdftotext
    assert lines[-1] in text or lines[-1].endswith("-") and lines[-1][:-1] in text


def test_no_code_line_but_the_last_ends_on_a_hyphen():
    code = "A" * 59 + "-" + "B" * 58 + "--" + "C" * 10 + "-"
    lines = render.code_lines(code)
    assert "".join(lines) == code
    assert all(len(line) <= 60 and not line.endswith("-") for line in lines[:-1])
    assert lines[0] == "A" * 59


def test_language_changes_the_texts(pki, pdftotext, tmp_path):
    doc = samples.sample_document(pki.code_key, kind=DocumentKind.DIPLOMA)
    dutch = _text(render.render_document(doc, language="nl"), pdftotext, tmp_path)
    english = _text(render.render_document(doc, language="en"), pdftotext, tmp_path)
    assert "Hierbij wordt verklaard dat" in dutch and "This is to certify that" in english
    assert "This is to certify that" not in dutch


def test_grade_list_prints_grades(pki, pdftotext, tmp_path):
    doc = samples.sample_document(pki.code_key, kind=DocumentKind.GRADE_LIST)
    text = _text(render.render_document(doc, language="nl"), pdftotext, tmp_path)
    assert "Cijfer" in text
    assert all(part.grade in text for part in doc.parts)


def test_pe_certificate_prints_period_and_expiry(pki, pdftotext, tmp_path):
    doc = samples.sample_document(pki.code_key, kind=DocumentKind.PE_CERTIFICATE)
    text = _text(render.render_document(doc, language="en"), pdftotext, tmp_path)
    assert "PE period: 1 April 2025 to 31 March 2028" in text
    assert "Valid until 31 March 2028" in text


def test_rendering_is_pure(pki, pdftotext, tmp_path):
    doc = samples.sample_document(pki.code_key)
    first = _text(render.render_document(doc, language="en"), pdftotext, tmp_path)
    second = _text(render.render_document(doc, language="en"), pdftotext, tmp_path)
    assert first == second


def test_unknown_language_is_refused(pki):
    with pytest.raises(ValueError):
        render.render_document(samples.sample_document(pki.code_key), language="de")


def test_long_grade_list_continues_on_a_second_page(pki, pdftotext, tmp_path):
    import dataclasses

    doc = samples.sample_document(pki.code_key, kind=DocumentKind.GRADE_LIST)
    many = dataclasses.replace(doc, parts=doc.parts * 5)
    pdf = render.render_document(many, language="nl")
    text = _text(pdf, pdftotext, tmp_path)
    assert text.count("\f") == 2  # two pages
    assert text.count(doc.number) == 2  # footer with number and QR on both


def test_address_sheet_and_print_batch(pki, pdftotext, tmp_path):
    doc = samples.sample_document(pki.code_key, name="Şükrü Öztürk")
    sheet = _text(render.render_address_sheet(doc, language="nl", reference="B-42"), pdftotext, tmp_path)
    assert "Şükrü Öztürk" in sheet and "3511 ED Utrecht" in sheet and "B-42" in sheet
    batch = _text(render.render_print_batch([doc, doc], language="en"), pdftotext, tmp_path)
    assert batch.count("\f") == 4
    assert batch.count("Stationsplein 12 B") == 2


def test_fonts_and_artwork_are_prepared_once(pki):
    doc = samples.sample_document(pki.code_key)
    render.render_document(doc, language="nl")
    before = render.register_fonts.cache_info().misses, render.border_artwork.cache_info().misses
    render.render_document(doc, language="en")
    after = render.register_fonts.cache_info().misses, render.border_artwork.cache_info().misses
    assert before == after == (1, 1)


def test_document_core_does_not_import_django():
    code = (
        "import sys; import certificates.render, certificates.signing, certificates.codes, "
        "certificates.numbers, certificates.pki, certificates.samples; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


@pytest.mark.parametrize("length", [0, 1, 17, 60, 139, 140, 200, 300])
def test_fast_qr_matches_the_qrcode_library(length):
    import random

    import qrcode
    import qrcode.util

    from certificates.qr import qr_matrix

    data = "".join(random.Random(length).choice("https:/verify.example.nl-_AZaz09") for _ in range(length))
    reference = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=0)
    reference.add_data(qrcode.util.QRData(data.encode(), mode=qrcode.util.MODE_8BIT_BYTE))
    reference.make(fit=True)
    assert qr_matrix(data) == reference.get_matrix()


def test_printed_qr_code_scans_to_the_verification_url(pki, tmp_path):
    import shutil

    zbarimg, pdftoppm = shutil.which("zbarimg"), shutil.which("pdftoppm")
    if not (zbarimg and pdftoppm):
        pytest.skip("zbarimg (zbar-tools) or pdftoppm (poppler-utils) not installed")
    doc = samples.sample_document(pki.code_key)
    (tmp_path / "doc.pdf").write_bytes(render.render_document(doc, language="nl"))
    subprocess.run([pdftoppm, "-r", "200", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True)
    scanned = subprocess.run(
        [zbarimg, "-q", "--raw", str(next(tmp_path.glob("page*.png")))], capture_output=True, text=True
    ).stdout.strip()
    assert scanned == doc.verification_url
