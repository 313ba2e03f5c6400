"""The solver's stored sentences said again in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from exams.planning.wording import Wording
from scheduling.model import say
from scheduling.validator import LAPSED

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("what", "english", "dutch"), [
    ("invigilator@NT2", "w: invigilator (NT2) held only until", "w: surveillant (NT2) gold maar tot en met"),
    ("second", "w: second held only until", "w: tweede examinator / verslaglegger gold maar tot en met"),
    ("EN:havo", "w: EN:havo held only until", "w: EN:havo gold maar tot en met"),
])
def test_a_lapsed_role_is_named_as_the_pages_name_it(what, english, dutch):
    message = say(LAPSED, who="w", what=what, date="2027-06-01")
    assert message.text.startswith(english)
    with translation.override("nl"):
        assert Wording().say(message, "").startswith(dutch)
