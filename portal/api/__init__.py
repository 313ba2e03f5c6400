"""The REST API under /api/v1/: one NinjaAPI, its routers, and one error body for every failure."""

import json

from ninja import NinjaAPI
from ninja.parser import Parser

from .auth import BearerTokenAuth, SessionCookieAuth
from .errors import install_error_handlers



class JsonObjectParser(Parser):
    """Request bodies are JSON objects; anything else (an array, a bare string) is refused as unparsable."""

    def parse_body(self, request):
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data


api = NinjaAPI(
    parser=JsonObjectParser(),
    title="Exam logistics API",
    version="1",
    description=(
        "Catalogue, sessions, bookings, rosters and documents of the national exam agency. "
        "Authenticate with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`; "
        "pages in the portal use the session cookie. Every error has the body "
        '`{"code": ..., "message": ..., "details": ...}`.'
    ),
    auth=[BearerTokenAuth(), SessionCookieAuth()],
    urls_namespace="api",
)
install_error_handlers(api)

from certificates import api as certificates_api  # noqa: E402
from exams.payments import api as payments_api  # noqa: E402

from . import auth_endpoints, bookings, catalogue, me, scheduling  # noqa: E402  (routers register themselves on ``api``)

api.add_router("/auth", auth_endpoints.router)
api.add_router("/", catalogue.router)
api.add_router("/", me.router)
api.add_router("/", bookings.router)
api.add_router("/", scheduling.router)
api.add_router("/", payments_api.router)
api.add_router("/", certificates_api.router)
