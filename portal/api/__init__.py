"""The REST API under /api/v1/: one NinjaAPI, its routers, and one error body for every failure."""

import json

from django.urls import URLPattern
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from ninja import NinjaAPI
from ninja.parser import Parser

from .auth import BearerTokenAuth, SessionCookieAuth
from .errors import UnreadableBody, install_error_handlers
from .methods import head_and_options


class JsonObjectParser(Parser):
    """Request bodies are JSON objects sent as application/json; anything else (an array, a bare string, a form)
    is refused as unparsable (400) before any view, or django-axes reading the form, sees it. The reason
    (``UnreadableBody``, in the request's language) reaches the error body's message."""

    def parse_body(self, request):
        if request.content_type != "application/json":
            raise UnreadableBody(_("it must be sent as application/json"))
        if b"\\u0000" in request.body:  # the NUL character, which no text stored in PostgreSQL may hold
            raise UnreadableBody(_("it must not contain the NUL character"))
        try:
            data = json.loads(request.body)
        except ValueError:
            raise UnreadableBody(_("it is not valid JSON")) from None
        if not isinstance(data, dict):
            raise UnreadableBody(_("it must be a JSON object"))
        return data


class ExamsApi(NinjaAPI):
    """The schema also lists the errors every operation can give before its own code runs: 400 for a body that
    is not a JSON object, 413 for one too large, 422 for invalid parameters or fields, 401 without login, 403 for a failed CSRF check.
    Every address also answers HEAD (where it has GET) and OPTIONS (``methods.head_and_options``); the schema
    and its docs page are GET only."""

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                if pattern.name in ("openapi-json", "openapi-view"):
                    pattern.callback = require_GET(pattern.callback)
                pattern.callback = head_and_options(pattern.callback)
        return urls

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                _document_common_errors(method, operation)
        schema["tags"] = [{"name": name, "description": text} for name, text in TAGS.items()]
        for name, text in SECURITY.items():
            schema["components"]["securitySchemes"][name]["description"] = text
        return schema


#: The groups of operations, in the order the docs show them.
TAGS = {
    "auth": "Bearer tokens: get one with e-mail and password, list them, revoke them (log out).",
    "catalogue": "Exam families, parts, locations and sittings with their seats left. No login needed.",
    "me": "The caller's own account, profile, registrations, qualifications and personal data.",
    "duties": "Exam staff: their duties with everything the day needs, answers to proposed duties, their "
              "schedule as a PDF.",
    "bookings": "Booking exam parts, paying, cancelling and changing a registration.",
    "payments": "Payments of a booking and the payment providers' webhooks.",
    "documents": "Results, diplomas and certificates: the holder's own, verification for anyone, "
                    "revocation and result import for the agency.",
    "scheduling": "Planners: planning runs (start, poll, cancel, explain, compare, publish) and roster versions.",
}

SECURITY = {
    "BearerTokenAuth": "`Authorization: Bearer <token>` with a token from `POST /api/v1/auth/token`.",
    "SessionCookieAuth": "The portal's own session (logged in on the website); unsafe methods also need the "
                         "`X-CSRFToken` header. Planners and administrators count only after their second step.",
}


def _document_common_errors(method: str, operation: dict) -> None:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
    responses = operation["responses"]
    if "requestBody" in operation:
        responses.setdefault(400, {"description": "The body is not a JSON object.", **error})
        responses.setdefault(413, {"description": "The body is larger than the server accepts "
                                                  "(`details.max_bytes`).", **error})
    if "requestBody" in operation or operation.get("parameters"):
        responses.setdefault(422, {"description": "Invalid parameters or fields (listed in details).", **error})
    if operation.get("security"):
        responses.setdefault(401, {"description": "Not logged in: no valid bearer token or session.", **error})
        if method in ("post", "put", "patch", "delete") and any("SessionCookieAuth" in way
                                                                for way in operation["security"]):
            responses.setdefault(403, {"description": "Forbidden; with the session cookie also a failed CSRF "
                                                      "check.", **error})


api = ExamsApi(
    parser=JsonObjectParser(),
    title="Exam logistics API",
    version="1",
    description=(
        "Catalogue, sessions, bookings, rosters and documents of the national exam agency. "
        "Authenticate with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`; "
        "pages in the portal use the session cookie. Every error has the body "
        '`{"code": ..., "message": ..., "details": ...}`: act on `code`, which never changes; `message` is '
        "for people, in the language of the `Accept-Language` header (`nl` or `en`; Dutch without it)."
    ),
    auth=[BearerTokenAuth(), SessionCookieAuth()],
    urls_namespace="api",
)
install_error_handlers(api)

from certificates import api as certificates_api  # noqa: E402
from exams.payments import api as payments_api  # noqa: E402

from . import auth_endpoints, bookings, catalogue, duties, me, scheduling  # noqa: E402  (routers register themselves on ``api``)

api.add_router("/auth", auth_endpoints.router)
api.add_router("/", catalogue.router)
api.add_router("/", me.router)
api.add_router("/", duties.router)
api.add_router("/", bookings.router)
api.add_router("/", scheduling.router)
api.add_router("/", payments_api.router)
api.add_router("/", certificates_api.router)
