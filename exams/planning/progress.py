"""Solver jobs in a worker: claiming a queued job's row once, and its live progress: a thread that carries the solver's latest progress to the job's row and a
stop request back, twice a second.

The solvers call back from their own threads, often; this thread alone talks to the database (with its own
connection, closed when it ends), so a solver never waits on a query and a page polling the row sees the
progress at most half a second late.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from scheduling.solve import FIRST_ROSTER, LOWER_BOUND, STAFF_STAGE

from ..errors import RuleViolation

logger = logging.getLogger(__name__)
PROGRESS_EVERY_S = 0.5
#: The longest a solver job may be given.
MAX_TIME_LIMIT_S = 3600


def check_time_limit(time_limit: float) -> None:
    """Refuse (``bad_time_limit``) a solver job's time limit outside 1 to :data:`MAX_TIME_LIMIT_S` seconds."""
    if not 1 <= time_limit <= MAX_TIME_LIMIT_S:
        raise RuleViolation("The time limit must be between 1 and 3600 seconds.", code="bad_time_limit")


def claim(model: type[models.Model], pk: int) -> tuple[Any, bool]:
    """The job row and whether this worker claimed it (queued -> running, with its start time): a
    re-delivered job finds it claimed already and leaves it alone."""
    claimed = model.objects.filter(pk=pk, status="queued").update(status="running", started_at=timezone.now())
    return model.objects.get(pk=pk), bool(claimed)


class Reporter(threading.Thread):
    """Keeps the latest progress the solver reported (``on_progress(*values)``) and, every
    :data:`PROGRESS_EVERY_S`, hands it to ``write(*values)`` and asks ``stop_requested()``; the solver
    polls ``should_stop``."""

    def __init__(self, name: str, write: Callable[..., None],
                 stop_requested: Callable[[], bool] | None = None) -> None:
        super().__init__(name=name, daemon=True)
        self.write = write
        self.stop_requested = stop_requested
        self.latest: tuple[Any, ...] | None = None
        self.cancel = False
        self.finished = threading.Event()

    def on_progress(self, *values: Any) -> None:
        self.latest = values

    def should_stop(self) -> bool:
        return self.cancel

    def run(self) -> None:
        try:
            while not self.finished.wait(PROGRESS_EVERY_S):
                self.sync()
        finally:
            connection.close()

    def sync(self) -> None:
        try:
            latest = self.latest
            if latest is not None:
                self.write(*latest)
            if self.stop_requested is not None:
                self.cancel = self.stop_requested()
        except Exception:  # progress is best effort; the final state is written after solving
            logger.debug("progress of %s not written", self.name, exc_info=True)


@contextmanager
def reporting(name: str, write: Callable[..., None],
              stop_requested: Callable[[], bool] | None = None) -> Iterator[Reporter]:
    """A started :class:`Reporter` for the duration of a solve; stopped (and done writing) after it."""
    reporter = Reporter(name, write, stop_requested)
    reporter.start()
    try:
        yield reporter
    finally:
        reporter.finished.set()
        reporter.join(timeout=5)


STAGE_NAMES = {FIRST_ROSTER: gettext_lazy("first roster"), LOWER_BOUND: gettext_lazy("lower bound")}


def stage_label(stage: str) -> str:
    """A solver's progress stage (``scheduling.solve``) in the reader's language: the named stages, staffing
    a day, or placing a block of requests (named by its site and week)."""
    if stage in STAGE_NAMES:
        return str(STAGE_NAMES[stage])
    if stage.startswith(STAFF_STAGE):
        return gettext("staffing %(day)s") % {"day": stage[len(STAFF_STAGE):]}
    return gettext("placing candidates (%(block)s)") % {"block": stage} if stage else ""
