"""A fast QR encoder for the one shape we print: byte mode, error correction M, mask pattern 0.

Why not just call the ``qrcode`` library per document: it encodes bit by bit through generic
polynomial objects and rebuilds the module grid each time, about 2 ms per code, a fifth of the whole
render. Everything that depends only on the QR version (finder, timing and alignment patterns, format
and version information, the zig-zag order of data modules and the mask) is the same for every
document, so it is computed once per version, here with the ``qrcode`` library itself; per document only
the Reed-Solomon codewords are computed and dropped into the precomputed positions.

``tests/certificates/test_render.py`` checks the output module for module against ``qrcode``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import qrcode
import qrcode.base
import qrcode.constants
import qrcode.util

ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
MAX_VERSION = 20
_PAD = (0xEC, 0x11)
_BITS = tuple(tuple(bool(byte >> shift & 1) for shift in range(7, -1, -1)) for byte in range(256))

_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _power in range(255):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _power in range(255, 512):
    _EXP[_power] = _EXP[_power - 255]


@dataclass(frozen=True)
class _Layout:
    """Everything about one QR version that does not depend on the data."""

    version: int
    blocks: tuple[tuple[int, int], ...]  # (total codewords, data codewords) per block
    base: tuple[tuple[bool, ...], ...]  # function patterns; data cells hold their mask value
    data_cells: tuple[tuple[int, int, bool], ...]  # (row, col, mask) in placement order

    @property
    def data_capacity(self) -> int:
        return sum(data for _, data in self.blocks)


@functools.cache
def _layout(version: int) -> _Layout:
    size = version * 4 + 17
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECTION, border=0, mask_pattern=0)
    code.modules_count = size
    code.modules = [[None] * size for _ in range(size)]
    code.setup_position_probe_pattern(0, 0)
    code.setup_position_probe_pattern(size - 7, 0)
    code.setup_position_probe_pattern(0, size - 7)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(False, 0)
    if version >= 7:
        code.setup_type_number(False)
    cells = _placement_order(code.modules)
    base = [list(row) for row in code.modules]
    for row, col, mask in cells:
        base[row][col] = mask
    blocks = tuple((block.total_count, block.data_count) for block in qrcode.base.rs_blocks(version, ERROR_CORRECTION))
    return _Layout(version, blocks, tuple(tuple(bool(cell) for cell in row) for row in base), tuple(cells))


def _placement_order(modules: list[list[bool | None]]) -> list[tuple[int, int, bool]]:
    """Data module positions in the standard two-column zig-zag, with mask 0 ((row + col) even)."""
    size = len(modules)
    cells = []
    row, step = size - 1, -1
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1  # skip the vertical timing pattern
        while 0 <= row < size:
            for col in (right, right - 1):
                if modules[row][col] is None:
                    cells.append((row, col, (row + col) % 2 == 0))
            row += step
        row -= step
        step = -step
    return cells


@functools.cache
def _generator(degree: int) -> tuple[int, ...]:
    """Reed-Solomon generator polynomial coefficients (without the leading 1) for ``degree`` EC bytes."""
    poly = [1]
    for power in range(degree):
        poly = [
            (poly[i] if i < len(poly) else 0) ^ (_gf_mul(poly[i - 1], _EXP[power]) if i > 0 else 0)
            for i in range(len(poly) + 1)
        ]
    return tuple(poly[1:])


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


def _ec_codewords(data: bytes, degree: int) -> list[int]:
    generator_logs = [_LOG[c] for c in _generator(degree)]
    remainder = [0] * degree
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = remainder[1:] + [0]
        if factor:
            factor_log = _LOG[factor]
            for index, coefficient_log in enumerate(generator_logs):
                remainder[index] ^= _EXP[factor_log + coefficient_log]
    return remainder


def _count_bits(version: int) -> int:
    return 8 if version < 10 else 16


def _choose_version(length: int) -> int:
    for version in range(1, MAX_VERSION + 1):
        needed_bits = 4 + _count_bits(version) + 8 * length
        if needed_bits <= _layout(version).data_capacity * 8:
            return version
    raise ValueError(f"{length} bytes do not fit a version {MAX_VERSION} QR code")


def _data_codewords(payload: bytes, layout: _Layout) -> bytes:
    capacity = layout.data_capacity
    count_bits = _count_bits(layout.version)
    value = (0b0100 << count_bits | len(payload)) << 8 * len(payload) | int.from_bytes(payload, "big")
    bits = 4 + count_bits + 8 * len(payload)
    terminator = min(4, capacity * 8 - bits)
    value <<= terminator
    bits += terminator
    value <<= -bits % 8
    bits += -bits % 8
    data = value.to_bytes(bits // 8, "big")
    padding = bytes(_PAD[i % 2] for i in range(capacity - len(data)))
    return data + padding


def _interleaved_codewords(payload: bytes, layout: _Layout) -> bytes:
    data = _data_codewords(payload, layout)
    data_blocks, ec_blocks, offset = [], [], 0
    for total, count in layout.blocks:
        block = data[offset : offset + count]
        offset += count
        data_blocks.append(block)
        ec_blocks.append(_ec_codewords(block, total - count))
    out = bytearray()
    for index in range(max(len(block) for block in data_blocks)):
        out.extend(block[index] for block in data_blocks if index < len(block))
    for index in range(max(len(block) for block in ec_blocks)):
        out.extend(block[index] for block in ec_blocks if index < len(block))
    return bytes(out)


def qr_matrix(data: str | bytes) -> list[list[bool]]:
    """The module grid (True = dark, no quiet zone) for ``data`` in byte mode, EC level M, mask 0."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    layout = _layout(_choose_version(len(payload)))
    bits = [bit for byte in _interleaved_codewords(payload, layout) for bit in _BITS[byte]]
    matrix = [list(row) for row in layout.base]
    for (row, col, mask), bit in zip(layout.data_cells, bits):
        matrix[row][col] = bit != mask
    return matrix
