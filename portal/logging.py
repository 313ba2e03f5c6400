"""Logging filters."""

from __future__ import annotations

import logging

#: Answers that are a normal outcome, not a fault: a seat that has just gone (409) or a booking rule the
#: candidate's choice breaks (422). In a booking rush thousands of them a minute would bury the warnings
#: that matter; the access log still counts them.
EXPECTED_STATUSES = frozenset({409, 422})


class ExpectedAnswers(logging.Filter):
    """Keeps ``django.request`` from logging the client errors that are part of normal use."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) not in EXPECTED_STATUSES
