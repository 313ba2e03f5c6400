"""A planner in Chromium on a 375-pixel phone plans the VO written re-sit in August, watches the plan finish,
reads the calendar of the window, and applies its dates; every page fits the phone, labels its cells and
passes axe."""

from __future__ import annotations

import re

import pytest

from exams.models import WrittenPlanRun
from exams.planning import written, written_runs

from ..browser_support import fits_screen, reload_until
from ..exams.test_written_timetable import (  # noqa: F401  (fixtures: the kernels, January 2027, the world)
    compiled_kernels,
    fixed_today,
    period_rows,
    vo_written_world,
)
from .test_planner_tour import UNLABELLED_CELLS

pytestmark = pytest.mark.django_db(transaction=True)


def looks_right(page, axe_violations, where: str) -> None:
    assert fits_screen(page), where
    assert page.locator(UNLABELLED_CELLS).count() == 0, where
    assert axe_violations(page) == [], where


def test_a_planner_plans_previews_and_applies_the_written_timetable(live_server, phone, axe_violations, sign_in,
                                                                    vo_written_world, planner):
    phone.set_viewport_size({"width": 375, "height": 812})
    sign_in(phone, planner)
    phone.goto(live_server.url + "/planner/written/")
    looks_right(phone, axe_violations, "the form")
    phone.select_option("#period", "resit-august")
    phone.fill("#from", "2027-08-16")
    phone.fill("#to", "2027-08-27")
    phone.fill("#time_limit", "3")
    phone.get_by_role("button", name="Plannen", exact=True).click()
    phone.wait_for_url(re.compile(r".*/planner/written/\d+/$"))
    reload_until(phone, "Datums toepassen")  # the page reloads itself until the plan is done
    plan = WrittenPlanRun.objects.get()
    assert plan.status == "done" and phone.locator("progress").get_attribute("value") == "100"
    grid = phone.locator("table.written-grid")
    assert grid.is_visible() and "maandag 16 augustus" in grid.inner_text()
    code = next(iter(plan.timetable))
    assert written.written_parts()[code].name in grid.inner_text()
    assert "keer heeft een kandidaat twee examens" in phone.content()
    looks_right(phone, axe_violations, "the preview")
    before = period_rows("resit-august")

    phone.get_by_label("Ik heb de datums gecontroleerd", exact=False).check()  # a big step is confirmed first
    phone.get_by_role("button", name="Datums toepassen").click()
    phone.wait_for_load_state()
    assert "De landelijke datums zijn vastgelegd" in phone.content()
    rows = period_rows("resit-august")
    assert rows != before
    assert {code: start for code, (start, _end) in rows.items()} == {
        code: written.starts_at(slot) for code, slot in written_runs.stored_timetable(plan).items()}
    assert phone.get_by_role("button", name="Datums toepassen").count() == 0
    looks_right(phone, axe_violations, "after applying")
