"""The solver's stored sentences said again in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from exams.planning.wording import Wording
from scheduling.model import say
from scheduling.validator import LAPSED

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("what", "english", "dutch"), [
    ("invigilator@NT2", "w: invigilator (NT2) held only until",
     "w: surveillant (Staatsexamen NT2) gold maar tot en met"),
    ("second", "w: second held only until", "w: tweede examinator / verslaglegger gold maar tot en met"),
    ("EN:havo", "w: EN:havo held only until", "w: EN:havo gold maar tot en met"),
])
def test_a_lapsed_role_is_named_as_the_pages_name_it(what, english, dutch):
    message = say(LAPSED, who="w", what=what, date="2027-06-01")
    assert message.text.startswith(english)
    with translation.override("nl"):
        assert Wording().say(message, "").startswith(dutch)


@pytest.mark.parametrize(("template", "values", "english", "dutch"), [
    ("NO_ROOM", {"candidate": "C1", "part": "x", "mode": "computer"},
     "no computer room exists at any site for Wft exams (financial services).",
     "geen enkele locatie voor Wft-examens heeft een lokaal voor"),
    ("NOT_HOSTED", {"location": "Utrecht"}, "Utrecht is not a site for Wft exams (financial services).",
     "Utrecht is geen locatie voor Wft-examens."),
    ("NOT_INVIGILATOR", {"who": "w"}, "w: not an invigilator for Wft exams (financial services).",
     "w: geen surveillant voor Wft-examens."),
    ("LAPSED", {"who": "w", "what": "invigilator@WFT", "date": "2027-06-01"},
     "w: invigilator (Wft exams (financial services)) held only until", "w: surveillant (Wft-examens) gold"),
])
def test_a_family_is_named_in_the_readers_language_never_by_its_code(catalogue, template, values, english,
                                                                     dutch):
    from scheduling import explain, validator

    text = getattr(explain, template, None) or getattr(validator, template)
    message = say(text, **({"family": "WFT"} | values))
    for language, expected in (("en", english), ("nl", dutch)):
        with translation.override(language):
            said = Wording().say(message, "")
        assert expected in said and "WFT" not in said and "exams exams" not in said, said


@pytest.mark.parametrize(("retired", "now"), [
    ("%(location)s does not host %(family)s exams.", "Utrecht is not a site for Wft exams (financial services)."),
    ("%(slot)s is not a %(family)s sitting.", "is not a sitting for Wft exams (financial services)."),
    ("Candidate %(candidate)s could not be placed for %(part)s: no %(mode)s room exists at a site that hosts "
     "%(family)s exams.", "no computer room exists at any site for Wft exams (financial services)."),
])
def test_a_run_stored_before_a_sentence_was_reworded_reads_as_a_new_one(catalogue, retired, now):
    stored = {"template": retired, "params": [["family", "WFT"], ["location", "Utrecht"], ["slot", "2027-06-14"],
                                               ["candidate", "C1"], ["part", "x"], ["mode", "computer"]]}
    with translation.override("en"):
        said = Wording().say(stored, "")
    assert said.endswith(now), said
