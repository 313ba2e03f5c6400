"""Document numbers: unique, unguessable and safe to type over the phone.

A number is 12 random Crockford base32 symbols (60 bits from :mod:`secrets`) followed by two check
symbols, shown in groups: ``NT2D-7K3M-Q9XW-2P``.

Why this shape:

* Crockford base32 has no I, L, O or U, so the symbols people confuse are folded on input
  (O -> 0, I/L -> 1) instead of rejected, and case does not matter.
* 60 random bits make numbers unguessable; they are not a secret (they are printed), but nobody can
  enumerate the register by counting.
* The two check symbols make the whole 14-symbol value, read as a base-32 integer, divisible by the
  prime 1021. A single wrong symbol changes that value by ``d * 32**k`` and swapping two neighbours
  changes it by ``(a - b) * 31 * 32**k``; with ``0 < |d|, |a - b| <= 31`` neither is a multiple of a
  prime above 31, so every single typo and every adjacent swap is caught (anywhere, check symbols
  included). Random garbage passes with probability 1/1021.

Uniqueness is ultimately the database's job (a unique constraint); :func:`new_document_number`
accepts an ``exists`` callback so the caller can retry the (astronomically rare) collision.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_LENGTH = 12
CHECK_LENGTH = 2
LENGTH = DATA_LENGTH + CHECK_LENGTH
CHECK_MODULUS = 1021  # largest prime below 32**2
GROUPS = (4, 4, 4, 2)

_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_FOLDS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_.\t")


class InvalidDocumentNumber(ValueError):
    """Typed input is not a well-formed document number (bad symbol, wrong length or check)."""


def _to_int(symbols: str) -> int:
    value = 0
    for symbol in symbols:
        value = value * 32 + _VALUES[symbol]
    return value


def _to_symbols(value: int, length: int) -> str:
    out = []
    for _ in range(length):
        value, digit = divmod(value, 32)
        out.append(ALPHABET[digit])
    return "".join(reversed(out))


def check_symbols(data: str) -> str:
    """The two check symbols that make ``data + check`` divisible by :data:`CHECK_MODULUS`."""
    check = (-_to_int(data) * 32**CHECK_LENGTH) % CHECK_MODULUS
    return _to_symbols(check, CHECK_LENGTH)


def format_number(compact: str) -> str:
    """Insert the dashes people see: ``NT2D7K3MQ9XW2P`` -> ``NT2D-7K3M-Q9XW-2P``."""
    parts, start = [], 0
    for size in GROUPS:
        parts.append(compact[start : start + size])
        start += size
    return "-".join(parts)


def new_document_number(exists: Callable[[str], bool] | None = None, *, attempts: int = 5) -> str:
    """A fresh formatted number; ``exists`` lets the caller reject numbers already issued."""
    for _ in range(attempts):
        data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LENGTH))
        number = format_number(data + check_symbols(data))
        if exists is None or not exists(number):
            return number
    raise RuntimeError("could not draw an unused document number; is the random source broken?")


def normalise(typed: str) -> str:
    """Parse what a person typed into the canonical formatted number, or raise.

    Accepts any case, spaces, dashes, dots and underscores, and O/I/L for 0/1/1.
    """
    compact = typed.upper().translate(_SEPARATORS).translate(_FOLDS)
    if len(compact) != LENGTH:
        raise InvalidDocumentNumber(f"a document number has {LENGTH} characters, got {len(compact)}")
    bad = sorted({symbol for symbol in compact if symbol not in _VALUES})
    if bad:
        raise InvalidDocumentNumber(f"not allowed in a document number: {''.join(bad)}")
    if _to_int(compact) % CHECK_MODULUS:
        raise InvalidDocumentNumber("check characters do not match: probably a typo")
    return format_number(compact)


def is_valid(typed: str) -> bool:
    """True when ``typed`` normalises to a well-formed number."""
    try:
        normalise(typed)
    except InvalidDocumentNumber:
        return False
    return True


def to_int(number: str) -> int:
    """The 60 random bits of a (normalised or typed) number, for compact binary encodings."""
    return _to_int(normalise(number).replace("-", "")[:DATA_LENGTH])


def from_int(value: int) -> str:
    """Inverse of :func:`to_int`: rebuild the formatted number, check symbols included."""
    if not 0 <= value < 32**DATA_LENGTH:
        raise InvalidDocumentNumber("value out of range for a document number")
    data = _to_symbols(value, DATA_LENGTH)
    return format_number(data + check_symbols(data))
