"""One JSON error body for every error: ``{"code": ..., "message": ..., "details": ...}``."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError
from pydantic import Field

from exams.errors import DomainError

logger = logging.getLogger("exams.api")


class ErrorBody(Schema):
    model_config = {"json_schema_extra": {"examples": [
        {"code": "not_found", "message": "No such object, or not yours to see.", "details": None},
        {"code": "invalid", "message": "The request has invalid fields: reason.",
         "details": [{"field": "reason", "message": "This field is required.", "type": "missing"}]},
    ]}}

    code: str = Field(description="What went wrong, for programs: it never changes.")
    message: str = Field(description="What went wrong, for people, in the request's language.")
    details: Any = Field(description="More about it (the fields, ids or limits concerned); null when there "
                                     "is nothing more to say. Always present.")


HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
              409: "conflict", 413: "too_large", 422: "invalid", 429: "throttled"}


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str,
                   details: Any = None) -> HttpResponse:
    body = {"code": code, "message": message, "details": details}
    response = api.create_response(request, body, status=status)
    if status == 401:  # RFC 9110: a 401 names the scheme to authenticate with
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


class UnreadableBody(ValueError):
    """The request body is not a JSON object; the text (in the request's language) says why."""


#: Pydantic's error types in the reader's language; the placeholders come from the error's ``ctx``.
FIELD_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Give a text."),
    "string_too_short": gettext_lazy("Give at least %(min_length)s characters."),
    "string_too_long": gettext_lazy("Give at most %(max_length)s characters."),
    "string_pattern_mismatch": gettext_lazy("This text is not in the expected form."),
    "int_type": gettext_lazy("Give a whole number."),
    "int_parsing": gettext_lazy("Give a whole number."),
    "int_from_float": gettext_lazy("Give a whole number."),
    "float_type": gettext_lazy("Give a number."),
    "float_parsing": gettext_lazy("Give a number."),
    "decimal_type": gettext_lazy("Give a number."),
    "decimal_parsing": gettext_lazy("Give a number."),
    "bool_type": gettext_lazy("Give true or false."),
    "bool_parsing": gettext_lazy("Give true or false."),
    "greater_than": gettext_lazy("Give a number greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Give a number of at least %(ge)s."),
    "less_than": gettext_lazy("Give a number less than %(lt)s."),
    "less_than_equal": gettext_lazy("Give a number of at most %(le)s."),
    "too_short": gettext_lazy("Give at least %(min_length)s items."),
    "too_long": gettext_lazy("Give at most %(max_length)s items."),
    "list_type": gettext_lazy("Give a list."),
    "dict_type": gettext_lazy("Give an object."),
    "model_type": gettext_lazy("Give an object."),
    "model_attributes_type": gettext_lazy("Give an object."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "date_type": gettext_lazy("A date is written as YYYY-MM-DD."),
    "date_parsing": gettext_lazy("A date is written as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("A date is written as YYYY-MM-DD."),
    "date_from_datetime_inexact": gettext_lazy("A date is written as YYYY-MM-DD."),
    "datetime_type": gettext_lazy("Give a date and time in ISO 8601."),
    "datetime_parsing": gettext_lazy("Give a date and time in ISO 8601."),
    "datetime_from_date_parsing": gettext_lazy("Give a date and time in ISO 8601."),
    "extra_forbidden": gettext_lazy("This field is not known."),
    "json_invalid": gettext_lazy("This is not valid JSON."),
}


def _field_message(error: dict[str, Any]) -> str:
    """The error in the request's language: our own validators raise translated texts, Pydantic's own are
    looked up by type; a type without an entry gets a general sentence rather than English."""
    ctx = error.get("ctx") or {}
    if error.get("type") in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])
    template = FIELD_MESSAGES.get(error.get("type", ""))
    if template is None:
        return _("This value is not valid.")
    if "expected" in ctx:  # Pydantic writes "'nl' or 'en'"
        ctx = {**ctx, "expected": str(ctx["expected"]).replace(" or ", ", ")}
    try:
        return str(template) % ctx
    except (KeyError, TypeError, ValueError):
        return _("This value is not valid.")


def _field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's error list, without the request section prefix and without echoing the input back."""
    shaped = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        shaped.append({"field": ".".join(location), "message": _field_message(error),
                       "type": error.get("type", "")})
    return shaped


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        if exc.status in (403, 404):
            _denied(request, exc.status)
        return error_response(api, request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = _field_errors(exc.errors)
        names = ", ".join(sorted({f["field"] for f in fields if f["field"]})) or "request"
        message = _("The request has invalid fields: %(names)s.") % {"names": names}
        return error_response(api, request, 422, "invalid", message, fields)

    @api.exception_handler(DjangoValidationError)
    def model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        details = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return error_response(api, request, 422, "invalid", _("The request breaks a validation rule."), details)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, 401, "unauthorized", _("Log in or send a valid bearer token."))

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return error_response(api, request, 429, "throttled", _("Too many requests; try again later."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        from portal.middleware import status_message

        status = exc.status_code
        if isinstance(exc.__cause__, UnreadableBody):  # django-ninja wraps the parser's error in English
            message = _("The request body cannot be read: %(reason)s.") % {"reason": exc.__cause__}
        else:
            message = status_message(status)
        return error_response(api, request, status, HTTP_CODES.get(status, "error"), message)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        _denied(request, 404)
        return error_response(api, request, 404, "not_found", _("No such object, or not yours to see."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        _denied(request, 403)
        return error_response(api, request, 403, "forbidden", _("You may not do this."))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_response(api, request, 413, "too_large",
                              _("The request body is larger than %(kib)d KiB; send it in smaller parts.")
                              % {"kib": limit // 1024},
                              details={"max_bytes": limit})

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled error in %s %s", request.method, request.path)
        return error_response(api, request, 500, "server_error",
                              _("Something went wrong on our side; nothing was saved."))

    # Keep AuthorizationError (a subclass of HttpError) on the 403 path with our body.
    api.add_exception_handler(AuthorizationError, forbidden)  # type: ignore[arg-type]


def _denied(request: HttpRequest, status: int) -> None:
    """Refused and not-found answers to a logged-in caller are security events: someone may be probing ids."""
    from exams import audit

    actor = getattr(request, "auth", None)
    if actor is None or not getattr(actor, "pk", None):
        return
    audit.record("permission_denied", actor=actor, request=request, path=request.path[:200], status=status)
