"""Key material for signing documents and verification codes.

Production loads its key and certificate chain from paths given by configuration (:func:`load_pki`);
the demo and the tests use :func:`ensure_test_pki`, which creates a throw-away root CA, a
document-signing certificate and an Ed25519 code key in a directory on first use and reuses them after.

Why ECDSA P-256 for the document-signing key: it signs in tens of microseconds where RSA-3072 needs
milliseconds, is accepted by PAdES, Adobe and poppler, and keeps the CMS blob (and so every PDF) small.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import NameOID

ROOT_CERT = "root-ca.pem"
ROOT_KEY = "root-ca.key.pem"
SIGNER_CERT = "document-signer.pem"
SIGNER_KEY = "document-signer.key.pem"
CODE_KEY = "codes-ed25519.key.pem"
_ALL_FILES = (ROOT_CERT, ROOT_KEY, SIGNER_CERT, SIGNER_KEY, CODE_KEY)


@dataclass(frozen=True)
class PKI:
    """The key material one process needs: build once, pass around, never log."""

    signer_key: ec.EllipticCurvePrivateKey | CertificateIssuerPrivateKeyTypes
    signer_cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]  # issuers of signer_cert, up to and including the root
    code_key: Ed25519PrivateKey
    code_key_id: int = 0

    @property
    def root_cert(self) -> x509.Certificate:
        return self.chain[-1] if self.chain else self.signer_cert

    @property
    def code_public_key(self) -> Ed25519PublicKey:
        return self.code_key.public_key()


def load_pki(
    *,
    signer_key_path: Path | str,
    signer_cert_path: Path | str,
    chain_paths: Sequence[Path | str] = (),
    code_key_path: Path | str,
    passphrase: bytes | None = None,
    code_key_id: int = 0,
) -> PKI:
    """Load production key material (PEM files) named by settings."""
    chain: list[x509.Certificate] = []
    for path in chain_paths:
        chain.extend(x509.load_pem_x509_certificates(Path(path).read_bytes()))
    code_key = _load_private_key(code_key_path, passphrase)
    if not isinstance(code_key, Ed25519PrivateKey):
        raise TypeError(f"{code_key_path} does not hold an Ed25519 private key")
    signer_key = _load_private_key(signer_key_path, passphrase)
    return PKI(
        signer_key=signer_key,  # type: ignore[arg-type]
        signer_cert=x509.load_pem_x509_certificate(Path(signer_cert_path).read_bytes()),
        chain=tuple(chain),
        code_key=code_key,
        code_key_id=code_key_id,
    )


def _load_private_key(path: Path | str, passphrase: bytes | None):
    """Load a PEM key; the passphrase applies to encrypted keys only, so keys can be mixed."""
    pem = Path(path).read_bytes()
    return serialization.load_pem_private_key(pem, passphrase if b"ENCRYPTED" in pem else None)


def ensure_test_pki(directory: Path | str) -> PKI:
    """Create the test PKI in ``directory`` unless it is already there, then load it.

    Safe to call from several processes at once: creation happens under a file lock, and every file
    is written 0600 to a temporary name and renamed into place.
    """
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _locked(directory / ".lock"):
        if not all((directory / name).exists() for name in _ALL_FILES):
            _create_test_pki(directory)
    return load_pki(
        signer_key_path=directory / SIGNER_KEY,
        signer_cert_path=directory / SIGNER_CERT,
        chain_paths=[directory / ROOT_CERT],
        code_key_path=directory / CODE_KEY,
    )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _pem_key(key: ec.EllipticCurvePrivateKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Exam agency TEST PKI - not for production"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _create_test_pki(directory: Path) -> None:
    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_cert = _root_certificate(root_key, now)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_cert = _signer_certificate(signer_key.public_key(), root_key, root_cert, now)
    _write_private(directory / ROOT_KEY, _pem_key(root_key))
    _write_private(directory / ROOT_CERT, root_cert.public_bytes(serialization.Encoding.PEM))
    _write_private(directory / SIGNER_KEY, _pem_key(signer_key))
    _write_private(directory / SIGNER_CERT, signer_cert.public_bytes(serialization.Encoding.PEM))
    _write_private(directory / CODE_KEY, _pem_key(Ed25519PrivateKey.generate()))


def _root_certificate(key: ec.EllipticCurvePrivateKey, now: dt.datetime) -> x509.Certificate:
    name = _name("Exam agency Test Root CA")
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )


def _signer_certificate(
    public_key: ec.EllipticCurvePublicKey,
    issuer_key: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate,
    now: dt.datetime,
) -> x509.Certificate:
    issuer_ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(_name("Exam agency Test Document Signing"))
        .issuer_name(issuer.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski), critical=False
        )
        .sign(issuer_key, hashes.SHA256())
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    """CA: keyCertSign + cRLSign. Signer: digitalSignature + nonRepudiation (what PAdES validators want)."""
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )
