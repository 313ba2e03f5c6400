import base64
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates import codes, numbers
from certificates.codes import ForgedCode, InvalidCode, MalformedCode, UnknownKey, VerificationPayload
from certificates.documents import DocumentKind


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def payload():
    return VerificationPayload(
        number=numbers.new_document_number(),
        kind=DocumentKind.PE_CERTIFICATE,
        issued_on=date(2026, 11, 23),
        initials="ŞÖ",
        birth_year=1984,
    )


def test_valid_code_verifies_offline_with_public_key(key, payload):
    code = codes.make_code(payload, key)
    assert codes.verify_code(code, key.public_key()) == payload


def test_code_is_url_safe_and_short(key, payload):
    code = codes.make_code(payload, key)
    assert set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len(code) <= 120


def test_payload_for_document(pki, diploma):
    payload = codes.verify_code(diploma.verification_code, pki.code_public_key)
    assert payload.number == diploma.number
    assert payload.kind is diploma.kind
    assert payload.birth_year == diploma.holder.birth_date.year
    assert payload.initials == "ŞÖ"


def test_every_single_character_change_is_rejected(key, payload):
    code = codes.make_code(payload, key)
    alphabet = "AbZ09-_q"
    for position in range(len(code)):
        for replacement in alphabet:
            if replacement == code[position]:
                continue
            altered = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(InvalidCode):
                codes.verify_code(altered, key.public_key())


@pytest.mark.parametrize("keep", [0, 1, 10, 40, 100, -1])
def test_truncated_codes_are_rejected(key, payload, keep):
    code = codes.make_code(payload, key)
    with pytest.raises(MalformedCode):
        codes.verify_code(code[:keep], key.public_key())


def test_code_from_another_key_is_forged(key, payload):
    forged = codes.make_code(payload, Ed25519PrivateKey.generate())
    with pytest.raises(ForgedCode):
        codes.verify_code(forged, key.public_key())


def test_altered_field_with_old_signature_is_forged(key, payload):
    raw = base64.urlsafe_b64decode(codes.make_code(payload, key) + "==")
    altered = bytearray(raw)
    altered[13] += 1  # birth year
    code = base64.urlsafe_b64encode(bytes(altered)).rstrip(b"=").decode()
    with pytest.raises(ForgedCode):
        codes.verify_code(code, key.public_key())


def test_garbage_is_malformed(key):
    for garbage in ["", "!!!!", "hello world", "A" * 200, "A" * 100_000]:
        with pytest.raises(MalformedCode):
            codes.verify_code(garbage, key.public_key())


def test_key_rotation_by_key_id(key, payload):
    new_key = Ed25519PrivateKey.generate()
    rotated = VerificationPayload(**{**payload.__dict__, "key_id": 2})
    keys = {0: key.public_key(), 2: new_key.public_key()}
    assert codes.verify_code(codes.make_code(payload, key), keys) == payload
    assert codes.verify_code(codes.make_code(rotated, new_key), keys) == rotated
    with pytest.raises(UnknownKey):
        codes.verify_code(codes.make_code(rotated, new_key), {0: key.public_key()})
