"""HEAD and OPTIONS on every API address, and 405 with the error body and Allow for a method it does not take."""

from __future__ import annotations

import pytest
from django.http import StreamingHttpResponse
from django.test import Client, RequestFactory

from portal.api.methods import head_and_options

from .test_api import assert_error

pytestmark = pytest.mark.django_db

SAME = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "X-Total-Count", "WWW-Authenticate")


def assert_head_is_get(client: Client, path: str, **headers) -> None:
    get, head = client.get(path, **headers), client.head(path, **headers)
    assert head.status_code == get.status_code
    assert head.content == b""
    assert int(head["Content-Length"]) == len(get.content) > 0
    for name in SAME:
        assert head.headers.get(name) == get.headers.get(name), name


def test_every_get_answers_head_with_the_same_status_and_headers(catalogue, examiner, api_for):
    from exams.models import ApiToken

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert_head_is_get(client, "/api/v1/families")
    assert_head_is_get(client, "/api/v1/families/nt2")
    assert_head_is_get(client, "/api/v1/families/nope")  # 404 with its error body's length
    assert_head_is_get(client, "/api/v1/openapi.json")
    assert_head_is_get(client, "/api/v1/me")  # 401, with WWW-Authenticate
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(examiner.user)}"}
    assert_head_is_get(client, "/api/v1/me", **bearer)
    assert_head_is_get(client, "/api/v1/me/assignments", **bearer)  # X-Total-Count
    assert client.head("/api/v1/me/schedule.pdf", **bearer)["Content-Type"] == "application/pdf"


def test_head_where_there_is_no_get_is_405_with_allow(planner):
    response = Client().head("/api/v1/scheduling/runs")
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"


def test_options_says_which_methods_an_address_takes(catalogue):
    client = Client()
    for path, allow in [("/api/v1/families", "GET, HEAD, OPTIONS"),
                        ("/api/v1/auth/token", "POST, DELETE, OPTIONS"),
                        ("/api/v1/me", "GET, HEAD, PATCH, OPTIONS"),
                        ("/api/v1/openapi.json", "GET, HEAD, OPTIONS")]:
        response = client.options(path)
        assert response.status_code == 204, path
        assert (response["Allow"], response.content) == (allow, b""), path


@pytest.mark.parametrize("method", ["PUT", "TRACE", "PROPFIND"])
def test_a_method_an_address_does_not_take_is_405_with_the_error_body_and_allow(catalogue, method):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").generic(method, "/api/v1/families")
    body = assert_error(response, 405, "method_not_allowed")
    assert body["message"] == "This address does not accept that method."
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_the_schema_and_its_docs_take_only_get(db):
    for path in ("/api/v1/openapi.json", "/api/v1/docs"):
        response = Client().post(path, "{}", content_type="application/json")
        assert_error(response, 405, "method_not_allowed")
        assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_head_sends_no_body_also_for_a_streamed_answer():
    """The test client drops a HEAD's body by itself; the view must too, for servers that do not."""
    def view(request):
        return StreamingHttpResponse(iter([b"a", b"b"]), content_type="text/plain")

    def plain(request):
        from django.http import HttpResponse

        return HttpResponse(b"twelve bytes")

    streamed = head_and_options(view)(RequestFactory().head("/"))
    assert b"".join(streamed.streaming_content) == b""
    answered = head_and_options(plain)(RequestFactory().head("/"))
    assert (answered.content, answered["Content-Length"]) == (b"", "12")
