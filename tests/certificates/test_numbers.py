import itertools
import re

import pytest

from certificates import numbers
from certificates.numbers import ALPHABET, InvalidDocumentNumber


def _compact(number: str) -> str:
    return number.replace("-", "")


def test_new_numbers_are_well_formed_and_distinct():
    drawn = {numbers.new_document_number() for _ in range(2000)}
    assert len(drawn) == 2000
    for number in drawn:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}", number)
        assert numbers.normalise(number) == number


def test_exists_callback_forces_a_redraw():
    taken = []

    def exists(number):
        taken.append(number)
        return len(taken) == 1

    number = numbers.new_document_number(exists)
    assert len(taken) == 2 and number == taken[1]


def test_gives_up_when_everything_is_taken():
    with pytest.raises(RuntimeError):
        numbers.new_document_number(lambda number: True, attempts=3)


@pytest.mark.parametrize(
    "typed",
    ["{n}", "{lower}", "  {compact} ", "{spaced}", "{folded}"],
)
def test_normalise_accepts_what_people_type(typed):
    number = "NT2D-7K3M-Q9XW-" + numbers.check_symbols("NT2D7K3MQ9XW")
    compact = _compact(number)
    variants = {
        "n": number,
        "lower": number.lower(),
        "compact": compact,
        "spaced": " ".join(compact[i : i + 4] for i in range(0, len(compact), 4)),
        "folded": number.replace("0", "O").replace("1", "l"),
    }
    assert numbers.normalise(typed.format(**variants)) == number


def test_every_single_substitution_is_caught():
    number = _compact(numbers.new_document_number())
    for position, symbol in itertools.product(range(len(number)), ALPHABET):
        if symbol == number[position]:
            continue
        typo = number[:position] + symbol + number[position + 1 :]
        assert not numbers.is_valid(typo), (number, typo)


def test_every_adjacent_swap_is_caught():
    for _ in range(200):
        number = _compact(numbers.new_document_number())
        for position in range(len(number) - 1):
            a, b = number[position], number[position + 1]
            if a == b:
                continue
            swapped = number[:position] + b + a + number[position + 2 :]
            assert not numbers.is_valid(swapped), (number, swapped)


@pytest.mark.parametrize("typed", ["", "NT2D-7K3M", "NT2D-7K3M-Q9XW-2P-XX", "NT2D-7K3M-Q9XW-2U", "NT2D-7K3M-Q9XW-2!"])
def test_rejects_malformed_input(typed):
    with pytest.raises(InvalidDocumentNumber):
        numbers.normalise(typed)


def test_int_round_trip():
    number = numbers.new_document_number()
    assert numbers.from_int(numbers.to_int(number)) == number
