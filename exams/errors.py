"""Domain errors. Services raise these; the API and the pages map them to responses in one place each."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the domain refuses, with a machine-readable code and a message for people."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The request clashes with the current state, e.g. the last seat has just gone."""

    status = 409
    code = "conflict"


class RuleViolation(DomainError):
    """The request breaks an exam rule (one NT2 part a day, attempts per year, a passed deadline)."""

    status = 422
    code = "rule_violation"


class InvalidTransition(Conflict):
    code = "invalid_transition"
