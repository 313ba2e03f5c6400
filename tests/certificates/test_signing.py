import io
import os
import re
import stat
import subprocess
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from certificates import pki as pki_module
from certificates import render, samples, signing
from certificates.documents import DocumentKind


def _pdfsig(pdfsig: str, pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    # -nocert: the test root is not in poppler's NSS store; trust is checked by pyHanko below.
    return subprocess.run([pdfsig, "-nocert", str(path)], capture_output=True, text=True).stdout


def _flip(pdf: bytes, position: int) -> bytes:
    altered = bytearray(pdf)
    altered[position] = ord("1") if altered[position] == ord("0") else altered[position] ^ 0x01
    return bytes(altered)


def test_signed_pdf_validates_with_pyhanko(signed_diploma, pki):
    report = signing.validate_pdf(signed_diploma, [pki.root_cert])
    assert report.ok, report.summary
    assert report.intact and report.valid and report.trusted and report.covers_whole_file


def test_signed_pdf_validates_with_pdfsig(signed_diploma, pdfsig, tmp_path):
    out = _pdfsig(pdfsig, signed_diploma, tmp_path)
    assert "Signature is Valid." in out
    assert "Total document signed" in out and "Not total document signed" not in out
    assert "ETSI.CAdES.detached" in out


def test_signature_is_untrusted_under_another_root(signed_diploma, tmp_path):
    other = pki_module.ensure_test_pki(tmp_path / "other")
    report = signing.validate_pdf(signed_diploma, [other.root_cert])
    assert report.intact and not report.trusted and not report.ok


def test_flipping_any_byte_breaks_validation(signed_diploma, pki):
    contents = re.search(rb"/Contents <([0-9a-fA-F]+)>", signed_diploma)
    der_hex_end = contents.start(1) + len(contents.group(1).rstrip(b"0"))
    positions = set(range(0, len(signed_diploma), len(signed_diploma) // 40))
    positions |= {contents.start(1) + 8, der_hex_end - 4, der_hex_end + 10, contents.end(1) - 2, len(signed_diploma) - 2}
    for position in sorted(positions):
        report = signing.validate_pdf(_flip(signed_diploma, position), [pki.root_cert])
        assert not report.ok, f"flipping byte {position} went unnoticed: {report.summary}"


def test_flipping_bytes_in_the_unsigned_signature_container_breaks_validation(signed_diploma, pki):
    """/Contents is outside the signed byte range; its unsigned parts must still not be changeable."""
    contents = re.search(rb"/Contents <([0-9a-fA-F]+)>", signed_diploma)
    der_hex_end = contents.start(1) + len(contents.group(1).rstrip(b"0"))
    for position in range(contents.start(1), der_hex_end, 41):
        report = signing.validate_pdf(_flip(signed_diploma, position), [pki.root_cert])
        assert not report.ok, f"flipping /Contents byte {position} went unnoticed: {report.summary}"


def test_pdfsig_notices_a_flipped_byte(signed_diploma, pdfsig, tmp_path):
    out = _pdfsig(pdfsig, _flip(signed_diploma, 600), tmp_path)
    assert "Signature is Valid." not in out


def _incremental_update(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root["/Lang"] = generic.TextStringObject("de")
    writer.update_root()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_incremental_update_breaks_validation(signed_diploma, pki, pdfsig, tmp_path):
    updated = _incremental_update(signed_diploma)
    report = signing.validate_pdf(updated, [pki.root_cert])
    assert not report.ok and not report.covers_whole_file and report.modified_after_signing
    assert "Not total document signed" in _pdfsig(pdfsig, updated, tmp_path)


def test_appended_bytes_break_validation(signed_diploma, pki):
    assert not signing.validate_pdf(signed_diploma + b"\n%%EOF\n", [pki.root_cert]).ok


def test_fast_cms_matches_pyhanko_signed_attributes(signer):
    """The template path must sign exactly the attributes pyHanko itself would."""
    import asyncio

    from pyhanko.sign.signers.pdf_cms import SimpleSigner

    fast = signer.pdf_signer.signer
    digest = bytes(range(32))
    run = lambda coroutine: signing.outside_event_loop(asyncio.run, coroutine)  # noqa: E731 (a test browser's loop)
    fast_cms = run(fast.async_sign(digest, "sha256", use_pades=True))
    stock = SimpleSigner(signing_cert=fast.signing_cert, signing_key=fast.signing_key, cert_registry=fast.cert_registry)
    stock_cms = run(stock.async_sign(digest, "sha256", use_pades=True))
    fast_info = fast_cms["content"]["signer_infos"][0]
    stock_info = stock_cms["content"]["signer_infos"][0]
    assert fast_info["signed_attrs"].dump() == stock_info["signed_attrs"].dump()
    assert fast_cms["content"]["certificates"].dump() == stock_cms["content"]["certificates"].dump()
    assert fast_info["signature_algorithm"].dump() == stock_info["signature_algorithm"].dump()


def test_sign_batch_across_two_processes(pki, pki_source):
    docs = [samples.sample_document(pki.code_key, kind=kind, index=i) for i, kind in enumerate(DocumentKind)]
    results = list(signing.sign_batch(docs, pki_source, languages=("nl", "en"), processes=2, chunk_size=1))
    assert [(doc.number, language) for doc, language, _ in results] == [
        (doc.number, language) for doc in docs for language in ("nl", "en")
    ]
    for _, _, pdf in results:
        assert signing.validate_pdf(pdf, [pki.root_cert]).ok


def test_sign_chunk_in_process(pki, pki_source):
    doc = samples.sample_document(pki.code_key)
    [(same, language, pdf)] = signing.sign_chunk([doc], pki_source, languages=("en",))
    assert same is doc and language == "en"
    assert signing.validate_pdf(pdf, [pki.root_cert]).ok


def test_test_pki_is_idempotent_and_private(tmp_path):
    first = pki_module.ensure_test_pki(tmp_path)
    files = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.suffix == ".pem"}
    second = pki_module.ensure_test_pki(tmp_path)
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.suffix == ".pem"} == files
    assert first.signer_cert == second.signer_cert
    for path in tmp_path.iterdir():
        if path.suffix == ".pem":
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def test_signer_certificate_key_usage(pki):
    from cryptography import x509

    usage = pki.signer_cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert pki.signer_cert.issuer == pki.root_cert.subject


def test_signer_is_built_once_per_process(pki_source):
    assert signing.process_signer(pki_source) is signing.process_signer(pki_source)


def test_render_then_sign_every_kind(pki, signer):
    for kind in DocumentKind:
        doc = samples.sample_document(pki.code_key, kind=kind)
        pdf = signing.sign_pdf(render.render_document(doc, language="en"), signer)
        assert signing.validate_pdf(pdf, [pki.root_cert]).ok


def test_production_pki_loads_from_configured_paths_with_a_passphrase(pki, pki_dir, tmp_path, monkeypatch):
    """Production names PEM files in settings; the signing key may be encrypted (passphrase in env)."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key((pki_dir / pki_module.SIGNER_KEY).read_bytes(), None)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"s3cret"),
    )
    (tmp_path / "signer.key.pem").write_bytes(encrypted)
    monkeypatch.setenv("CERT_KEY_PASSPHRASE", "s3cret")
    source = signing.PKISource(
        signer_key_path=str(tmp_path / "signer.key.pem"),
        signer_cert_path=str(pki_dir / pki_module.SIGNER_CERT),
        chain_paths=(str(pki_dir / pki_module.ROOT_CERT),),
        code_key_path=str(pki_dir / pki_module.CODE_KEY),
        passphrase_env="CERT_KEY_PASSPHRASE",
    )
    loaded = source.load()
    doc = samples.sample_document(loaded.code_key)
    pdf = signing.sign_pdf(render.render_document(doc, language="nl"), signing.build_signer(loaded))
    assert signing.validate_pdf(pdf, [loaded.root_cert]).ok
