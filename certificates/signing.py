"""PAdES signing and validation of rendered documents (pyHanko).

Every document is signed with a PAdES baseline B-B *certification* signature (DocMDP "no changes"):
the signature's byte range covers the whole file, and any later incremental update, even a harmless
looking one, makes validators report the document as modified.

Speed matters: issuance runs in batches of tens of thousands. What this module does about it:

* the signer (key, certificate, chain, signature metadata) is built once per process and cached;
* :class:`FastSigner` keeps the parsed private key, and builds the CMS container from DER pieces
  prepared once (by pyHanko itself) instead of rebuilding it with asn1crypto per document: this was
  over 85% of signing time;
* the key is ECDSA P-256, which signs in microseconds (RSA-3072 takes milliseconds);
* :func:`sign_batch` renders and signs in a process pool, one long-lived worker per core, so fonts,
  artwork and the signer are set up once per worker, not once per document;
* the size reserved for the CMS blob is fixed from the certificate chain once, so pyHanko does not
  need a dry-run signature to estimate it.

:func:`validate_pdf` runs pyHanko's validator and then checks what no PDF validator checks: that the
unsigned parts of the signature container (padding, versions, certificate bag) are exactly as issued,
so that changing any single byte of a signed document makes it fail.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import functools
import io
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from certificates.documents import DocumentData
from certificates.pki import PKI, ensure_test_pki, load_pki
from certificates.render import render_document

FIELD_NAME = "AgencySignature"
DIGEST = "sha256"


class FastSigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner with the per-signature work cut to what actually varies.

    Two things make the stock signer slow for batches (profiled: over 85% of signing time):

    * it re-parses the private key from DER for every signature;
    * it rebuilds the whole CMS structure with asn1crypto, re-serialising the certificate chain each
      time, although for a PAdES B-B signature without a timestamp only the message digest and the
      signature value change from one document to the next.

    So the first signature for a given set of options is made by pyHanko itself with a sentinel
    digest; its DER is cut into constant pieces, and later signatures splice the real digest into the
    signed attributes, sign them, and reassemble the DER. Anything unusual (dry runs, timestamps,
    encapsulated content) goes through pyHanko unchanged. ``tests/certificates/test_signing.py``
    checks that both paths produce identical signed attributes.
    """

    _SENTINEL_BYTE = 0xA5

    def __init__(self, *, private_key, signing_cert: x509.Certificate, chain: Sequence[x509.Certificate]):
        self._private_key = private_key
        self._templates: dict[tuple, _CmsTemplate] = {}
        store = SimpleCertificateStore.from_certs([_to_asn1(cert) for cert in chain])
        key_info = asn1_keys.PrivateKeyInfo.load(
            private_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        super().__init__(signing_cert=_to_asn1(signing_cert), signing_key=key_info, cert_registry=store)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        key = self._private_key
        hash_algorithm = _HASHES[digest_algorithm]()
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hash_algorithm))
        if isinstance(key, rsa.RSAPrivateKey) and not self.prefer_pss:
            return key.sign(data, padding.PKCS1v15(), hash_algorithm)
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return key.sign(data)
        return super().sign_raw(data, digest_algorithm)

    async def async_sign(
        self,
        data_digest: bytes,
        digest_algorithm: str,
        dry_run=False,
        use_pades=False,
        timestamper=None,
        signed_attr_settings=None,
        is_pdf_sig=True,
        encap_content_info=None,
    ) -> cms.ContentInfo:
        reference_call = dict(
            digest_algorithm=digest_algorithm,
            use_pades=use_pades,
            signed_attr_settings=signed_attr_settings,
            is_pdf_sig=is_pdf_sig,
        )
        if dry_run or timestamper is not None or encap_content_info is not None or not _plain(signed_attr_settings):
            return await super().async_sign(
                data_digest, dry_run=dry_run, timestamper=timestamper, encap_content_info=encap_content_info,
                **reference_call,
            )
        key = (digest_algorithm, use_pades, is_pdf_sig)
        template = self._templates.get(key)
        if template is None:
            sentinel = bytes([self._SENTINEL_BYTE]) * len(data_digest)
            reference = await super().async_sign(sentinel, **reference_call)
            template = self._templates[key] = _CmsTemplate.from_reference(reference, sentinel)
        attrs = template.signed_attrs(data_digest)
        return template.assemble(attrs, self.sign_raw(attrs, digest_algorithm))


_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def _plain(settings) -> bool:
    """True when the signed attributes do not depend on per-call settings (no CAdES extras, no revinfo)."""
    if settings is None:
        return True
    return settings.adobe_revinfo_attr is None and settings.cades_signed_attrs is None


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _der_length(len(content)) + content


@dataclass(frozen=True)
class _CmsTemplate:
    """The constant DER pieces of one pyHanko-made CMS SignedData (RFC 5652), ready for splicing."""

    attrs_before_digest: bytes  # content of the signed-attributes SET up to the digest value
    attrs_after_digest: bytes
    signer_info_head: bytes  # version, sid, digestAlgorithm
    signature_algorithm: bytes
    signed_data_head: bytes  # version, digestAlgorithms, encapContentInfo, certificates
    content_type: bytes

    @classmethod
    def from_reference(cls, reference: cms.ContentInfo, sentinel: bytes) -> _CmsTemplate:
        signed_data = reference["content"]
        signer_info = signed_data["signer_infos"][0]
        if len(signed_data["signer_infos"]) != 1 or signer_info["unsigned_attrs"].native:
            raise ValueError("unexpected CMS shape: cannot use it as a template")
        attrs = signer_info["signed_attrs"].contents
        if attrs.count(sentinel) != 1:
            raise ValueError("sentinel digest not found exactly once in the signed attributes")
        before, after = attrs.split(sentinel)
        head = b"".join(
            signed_data[name].dump()
            for name in ("version", "digest_algorithms", "encap_content_info", "certificates", "crls")
            if signed_data[name].contents is not None
        )
        return cls(
            attrs_before_digest=before,
            attrs_after_digest=after,
            signer_info_head=b"".join(signer_info[name].dump() for name in ("version", "sid", "digest_algorithm")),
            signature_algorithm=signer_info["signature_algorithm"].dump(),
            signed_data_head=head,
            content_type=reference["content_type"].dump(),
        )

    def signed_attrs(self, digest: bytes) -> bytes:
        """DER of the signed attributes as a SET OF (tag 0x31): the bytes the signature is made over."""
        return _tlv(0x31, self.attrs_before_digest + digest + self.attrs_after_digest)

    def assemble(self, signed_attrs: bytes, signature: bytes) -> cms.ContentInfo:
        attrs_implicit = b"\xa0" + signed_attrs[1:]  # [0] IMPLICIT SET OF Attribute
        signer_info = _tlv(
            0x30, self.signer_info_head + attrs_implicit + self.signature_algorithm + _tlv(0x04, signature)
        )
        signed_data = _tlv(0x30, self.signed_data_head + _tlv(0x31, signer_info))
        return _EncodedContentInfo.from_der(_tlv(0x30, self.content_type + _tlv(0xA0, signed_data)))


class _EncodedContentInfo(cms.ContentInfo):
    """A ContentInfo that dumps the exact DER it was made from.

    asn1crypto takes a header whose last byte is 0x80 for an indefinite length and then re-encodes the
    whole structure, certificates included (~250 ms); one length in 256 triggers it. Our DER is already
    canonical, so hand it back as is.
    """

    _der: bytes = b""

    @classmethod
    def from_der(cls, der: bytes) -> _EncodedContentInfo:
        info = cls.load(der)
        info._der = der
        return info

    def dump(self, force: bool = False) -> bytes:
        return self._der if self._der and not force else super().dump(force)


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@dataclass(frozen=True)
class DocumentSigner:
    """A ready-to-use pyHanko signer plus the settings every signature gets."""

    pdf_signer: signers.PdfSigner
    bytes_reserved: int


def build_signer(pki: PKI, *, reason: str = "Issued by the exam agency", location: str = "NL") -> DocumentSigner:
    """Build the pyHanko objects for ``pki`` (do it once per process; see :func:`process_signer`)."""
    signer = FastSigner(private_key=pki.signer_key, signing_cert=pki.signer_cert, chain=pki.chain)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm=DIGEST,
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=reason,
        location=location,
    )
    return DocumentSigner(pdf_signer=signers.PdfSigner(meta, signer), bytes_reserved=_reserve_for(pki))


def _reserve_for(pki: PKI) -> int:
    """Room for the CMS blob: the certificates it embeds plus a generous margin for attributes.

    Fixing it up front spares pyHanko a dry-run signature per document to measure the size.
    """
    certs = sum(len(cert.public_bytes(serialization.Encoding.DER)) for cert in (pki.signer_cert, *pki.chain))
    return 2 * (certs + 1536)  # pyHanko counts the hex digits of /Contents, two per DER byte


def sign_pdf(pdf_bytes: bytes, signer: DocumentSigner) -> bytes:
    """Return ``pdf_bytes`` with a PAdES certification signature covering the whole file."""
    return outside_event_loop(_sign_pdf, pdf_bytes, signer)


def _sign_pdf(pdf_bytes: bytes, signer: DocumentSigner) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    output = signer.pdf_signer.sign_pdf(writer, bytes_reserved=signer.bytes_reserved)
    return output.getvalue()


def outside_event_loop(function, *args):
    """pyHanko runs its signer and validator with ``asyncio.run``, which cannot run inside a running event
    loop (an async view, a browser-driving test): there, run ``function`` in a helper thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


# --- validation -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationReport:
    """What a verifier needs to know about a signed document, in plain booleans."""

    signature_count: int
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    modified_after_signing: bool
    summary: str

    @property
    def ok(self) -> bool:
        return (
            self.signature_count == 1
            and self.intact
            and self.valid
            and self.trusted
            and self.covers_whole_file
            and not self.modified_after_signing
        )


def validate_pdf(pdf_bytes: bytes, trust_roots: Iterable[x509.Certificate]) -> ValidationReport:
    """Validate the document's signature with pyHanko against ``trust_roots`` (no network access)."""
    return outside_event_loop(_validate_pdf, pdf_bytes, list(trust_roots))


def _validate_pdf(pdf_bytes: bytes, trust_roots: list[x509.Certificate]) -> ValidationReport:
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # a damaged file is a failed validation, not a crash
        return _failed(0, f"unreadable PDF: {exc}")
    if len(signatures) != 1:
        return _failed(len(signatures), f"expected exactly one signature, found {len(signatures)}")
    context = ValidationContext(
        trust_roots=[_to_asn1(root) for root in trust_roots], allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = validate_pdf_signature(signatures[0], context)
    except Exception as exc:
        return _failed(1, f"validation error: {exc}")
    try:
        problem = _unsigned_parts_problem(signatures[0], status)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        problem = f"malformed signature container: {exc}"
    if problem:
        return _failed(1, problem)
    return ValidationReport(
        signature_count=1,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modified_after_signing=status.modification_level not in (None, ModificationLevel.NONE)
        or not status.bottom_line,
        summary=status.summary(),
    )


def _unsigned_parts_problem(signature, status) -> str | None:
    """Check the parts of the signature container that no signature covers; None when all is well.

    The PDF signature covers the file minus ``/Contents``, and the CMS signature covers only the
    signed attributes. The rest of the container (version numbers, the algorithm list, the
    certificate bag, the padding after the blob) can change without any validator noticing, pyHanko
    and poppler included. Our documents always have one exact shape, so anything else means the file
    was touched after signing.
    """
    contents = bytes(signature.sig_object["/Contents"])
    if not _padding_is_clean(contents):
        return "bytes after the CMS blob in /Contents are not zero padding"
    blob = contents[: _der_end(contents)]
    info = cms.ContentInfo.load(blob)
    signed_data = info["content"]
    if len(signed_data["signer_infos"]) != 1:
        return "more than one signer info"
    path = status.validation_path
    allowed = {cert.dump() for cert in path.iter_certs(include_root=True)} if path else set()
    allowed.add(status.signing_cert.dump())
    embedded = [cert.chosen.dump() for cert in signed_data["certificates"]]
    if any(cert not in allowed for cert in embedded):
        return "embedded certificate that is not part of the validated chain"
    if blob != _expected_container(signed_data["signer_infos"][0], embedded):
        return "signature container differs from the shape we issue"
    return None


def _expected_container(signer_info: cms.SignerInfo, certificates: list[bytes]) -> bytes:
    """Rebuild the container from fixed values, the chain's certificates and the signer info's fields.

    Comparing the result with the original byte for byte leaves no unsigned byte unexplained: the
    signer info's fields are covered by the signature (or change which certificate it names), and the
    rest is fixed or the validated chain.
    """
    signer = _tlv(
        0x30,
        _VERSION_1
        + b"".join(
            signer_info[name].dump()
            for name in ("sid", "digest_algorithm", "signed_attrs", "signature_algorithm", "signature")
        ),
    )
    body = (
        _VERSION_1
        + _tlv(0x31, signer_info["digest_algorithm"].dump())
        + _DETACHED_DATA
        + _tlv(0xA0, b"".join(certificates))
        + _tlv(0x31, signer)
    )
    return _tlv(0x30, _SIGNED_DATA_OID + _tlv(0xA0, _tlv(0x30, body)))


_VERSION_1 = b"\x02\x01\x01"
_SIGNED_DATA_OID = cms.ContentType("signed_data").dump()
_DETACHED_DATA = cms.EncapsulatedContentInfo({"content_type": "data"}).dump()


def _der_end(blob: bytes) -> int:
    first = blob[1]
    if first < 0x80:
        return 2 + first
    size = first & 0x7F
    return 2 + size + int.from_bytes(blob[2 : 2 + size], "big")


def _padding_is_clean(contents: bytes) -> bool:
    """True when ``/Contents`` is the DER blob followed by zero bytes only.

    The ``/Contents`` placeholder is (by design of PDF signatures) outside the signed byte range, and
    validators ignore whatever follows the DER blob, so a changed padding byte goes unnoticed by
    pyHanko and poppler alike. We issue documents ourselves and always pad with zeros; anything else
    means the file was touched after signing.
    """
    if len(contents) < 2 or contents[0] != 0x30:
        return False
    end = _der_end(contents)
    return end <= len(contents) and not any(contents[end:])


def _failed(count: int, summary: str) -> ValidationReport:
    return ValidationReport(count, False, False, False, False, True, summary)


# --- one signer per process, and batches -------------------------------------------------------------


@dataclass(frozen=True)
class PKISource:
    """Where a worker process finds its key material: picklable, unlike the keys themselves."""

    test_pki_dir: str | None = None
    signer_key_path: str | None = None
    signer_cert_path: str | None = None
    chain_paths: tuple[str, ...] = ()
    code_key_path: str | None = None
    passphrase_env: str | None = None  # name of the environment variable holding the key passphrase

    def load(self) -> PKI:
        if self.test_pki_dir:
            return ensure_test_pki(self.test_pki_dir)
        passphrase = os.environ.get(self.passphrase_env, "") if self.passphrase_env else ""
        return load_pki(
            signer_key_path=self.signer_key_path or "",
            signer_cert_path=self.signer_cert_path or "",
            chain_paths=self.chain_paths,
            code_key_path=self.code_key_path or "",
            passphrase=passphrase.encode() or None,
        )


@functools.cache
def process_signer(source: PKISource) -> DocumentSigner:
    """The signer for ``source``, built on first use in this process and reused afterwards."""
    return build_signer(source.load())


def render_and_sign(doc: DocumentData, source: PKISource, language: str) -> bytes:
    return sign_pdf(render_document(doc, language=language), process_signer(source))


def _sign_chunk(docs: Sequence[DocumentData], source: PKISource, languages: tuple[str, ...]) -> list[bytes]:
    return [render_and_sign(doc, source, language) for doc in docs for language in languages]


def sign_chunk(
    docs: Sequence[DocumentData], source: PKISource, *, languages: tuple[str, ...] = ("nl", "en")
) -> list[tuple[DocumentData, str, bytes]]:
    """Render and sign ``docs`` in this process: the unit of work for one Celery task."""
    pdfs = _sign_chunk(docs, source, languages)
    labels = [(doc, language) for doc in docs for language in languages]
    return [(doc, language, pdf) for (doc, language), pdf in zip(labels, pdfs)]


def sign_batch(
    docs: Iterable[DocumentData],
    source: PKISource,
    *,
    languages: tuple[str, ...] = ("nl",),
    processes: int = 2,
    chunk_size: int = 64,
) -> Iterator[tuple[DocumentData, str, bytes]]:
    """Render and sign ``docs`` across ``processes`` worker processes, yielding results in order.

    Workers are forked once and live for the whole batch, so each sets up fonts, artwork and the
    signer a single time. Documents travel in chunks to keep pickling overhead small.

    For scripts and management commands. Inside a Celery prefork worker (a daemon process, which may
    not fork children) call :func:`sign_chunk` per task instead and let Celery's concurrency provide
    the parallelism; the per-process caches work the same way there.
    """
    chunks = _chunks(docs, chunk_size)
    if processes <= 1:
        for chunk in chunks:
            yield from sign_chunk(chunk, source, languages=languages)
        return
    # Not "fork": forking a process that runs other threads (a test browser, a web server) can deadlock.
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_warm_up, initargs=(source,)) as pool:
        pending = []
        for chunk in chunks:
            pending.append((chunk, pool.submit(_sign_chunk, chunk, source, languages)))
            if len(pending) >= processes * 4:  # bounded look-ahead keeps memory flat on huge batches
                yield from _drain(pending.pop(0), languages)
        for item in pending:
            yield from _drain(item, languages)


def _warm_up(source: PKISource) -> None:
    """Pay the per-process setup (fonts, artwork, signer) before the first chunk arrives."""
    from certificates.render import border_artwork, register_fonts

    register_fonts()
    border_artwork()
    process_signer(source)


def _drain(item, languages: tuple[str, ...]) -> Iterator[tuple[DocumentData, str, bytes]]:
    chunk, future = item
    pdfs = iter(future.result())
    for doc in chunk:
        for language in languages:
            yield doc, language, next(pdfs)


def _chunks(docs: Iterable[DocumentData], size: int) -> Iterator[list[DocumentData]]:
    chunk: list[DocumentData] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def trust_roots_for(source: PKISource | Path | str) -> list[x509.Certificate]:
    """The root certificate(s) a verifier should trust for documents signed with ``source``."""
    pki = source.load() if isinstance(source, PKISource) else ensure_test_pki(source)
    return [pki.root_cert]
