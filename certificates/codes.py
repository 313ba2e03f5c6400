"""Verification codes: a short signed token printed (and put in the QR code) on every document.

Anyone holding the agency's Ed25519 public key can check a code offline: it carries the document
number, kind, issue date, holder's initials and birth year, signed by the agency. The verification
page shows those fields next to "genuine", so a forger cannot move a valid code onto another person's
paper without the mismatch showing. (Revocation is an online check on top: an offline verifier can only
say the code was issued, not that it still stands.)

Layout (version 1), big-endian, then base64url without padding::

    version:1  key_id:1  number:8 (60 random bits)  kind:1  issued:2 (days since 2000-01-01)
    birth_year:1 (minus 1900)  initials_len:1  initials:n (UTF-8)  signature:64 (Ed25519)

About 110 characters for usual initials: fits a version-7 QR code with a URL in front. The Ed25519
signature is 64 of those bytes and cannot shrink without weakening the scheme. The signed message is
prefixed with a domain label so a signature made for something else can never pass as a code.
"""

from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from certificates import numbers
from certificates.documents import DocumentData, DocumentKind

VERSION = 1
DOMAIN = b"examlogistics/verification-code/v1\x00"
EPOCH = date(2000, 1, 1)
SIGNATURE_LENGTH = 64
MAX_CODE_LENGTH = 200  # far above any real code; refuse megabytes of input before decoding them
MAX_INITIALS_BYTES = 16
_HEADER = struct.Struct(">BBQBHBB")


class InvalidCode(ValueError):
    """The code cannot be trusted. Subclasses say why; show users one message for all of them."""


class MalformedCode(InvalidCode):
    """Not a code at all: wrong characters, truncated, or fields out of range."""


class ForgedCode(InvalidCode):
    """Well-formed, but the signature does not match: altered or forged."""


class UnknownKey(InvalidCode):
    """Signed with a key id this verifier does not know (retired, or not ours)."""


@dataclass(frozen=True)
class VerificationPayload:
    number: str
    kind: DocumentKind
    issued_on: date
    initials: str
    birth_year: int
    key_id: int = 0


def payload_for(doc: DocumentData, *, key_id: int = 0) -> VerificationPayload:
    """The fields of ``doc`` a code carries (the caller signs it before building the final document)."""
    return VerificationPayload(
        number=doc.number,
        kind=doc.kind,
        issued_on=doc.issued_on,
        initials=doc.holder.initials,
        birth_year=doc.holder.birth_date.year,
        key_id=key_id,
    )


def _pack(payload: VerificationPayload) -> bytes:
    initials = payload.initials.encode("utf-8")
    days = (payload.issued_on - EPOCH).days
    if not 0 <= days < 2**16:
        raise ValueError(f"issue date {payload.issued_on} outside the encodable range")
    if not 1900 <= payload.birth_year < 1900 + 256:
        raise ValueError(f"birth year {payload.birth_year} outside the encodable range")
    if len(initials) > MAX_INITIALS_BYTES:
        raise ValueError("initials too long for a verification code")
    header = _HEADER.pack(
        VERSION,
        payload.key_id,
        numbers.to_int(payload.number),
        int(payload.kind),
        days,
        payload.birth_year - 1900,
        len(initials),
    )
    return header + initials


def _unpack(body: bytes) -> VerificationPayload:
    if len(body) < _HEADER.size:
        raise MalformedCode("verification code is truncated")
    version, key_id, number, kind, days, year, initials_len = _HEADER.unpack_from(body)
    if version != VERSION:
        raise MalformedCode(f"unsupported verification code version {version}")
    if len(body) != _HEADER.size + initials_len:
        raise MalformedCode("verification code has the wrong length")
    try:
        return VerificationPayload(
            number=numbers.from_int(number),
            kind=DocumentKind(kind),
            issued_on=EPOCH + timedelta(days=days),
            initials=body[_HEADER.size :].decode("utf-8"),
            birth_year=1900 + year,
            key_id=key_id,
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedCode(f"verification code holds an impossible value: {exc}") from exc


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(code: str) -> bytes:
    """Strict base64url: rejects stray characters and non-canonical spellings of the same bytes."""
    try:
        raw = base64.b64decode(code + "=" * (-len(code) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedCode("verification code contains invalid characters or is truncated") from exc
    if _b64encode(raw) != code:
        raise MalformedCode("verification code is not in canonical form")
    return raw


def make_code(payload: VerificationPayload, private_key: Ed25519PrivateKey) -> str:
    """Sign ``payload`` into a URL-safe code (base64url alphabet: A-Z a-z 0-9 - _)."""
    body = _pack(payload)
    return _b64encode(body + private_key.sign(DOMAIN + body))


def verify_code(
    code: str, public_key: Ed25519PublicKey | Mapping[int, Ed25519PublicKey]
) -> VerificationPayload:
    """Check ``code`` offline and return what it vouches for; raise :class:`InvalidCode` otherwise.

    ``public_key`` is one key, or a mapping of key id to key while old keys are still honoured.
    """
    code = code.strip()
    if len(code) > MAX_CODE_LENGTH:
        raise MalformedCode("verification code is too long")
    raw = _b64decode(code)
    if len(raw) < SIGNATURE_LENGTH + _HEADER.size:
        raise MalformedCode("verification code is truncated")
    body, signature = raw[:-SIGNATURE_LENGTH], raw[-SIGNATURE_LENGTH:]
    payload = _unpack(body)
    key = _key_for(public_key, payload.key_id)
    try:
        key.verify(signature, DOMAIN + body)
    except InvalidSignature as exc:
        raise ForgedCode("verification code signature does not match: altered or forged") from exc
    return payload


def _key_for(public_key: Ed25519PublicKey | Mapping[int, Ed25519PublicKey], key_id: int) -> Ed25519PublicKey:
    if isinstance(public_key, Mapping):
        try:
            return public_key[key_id]
        except KeyError as exc:
            raise UnknownKey(f"no public key for key id {key_id}") from exc
    return public_key
