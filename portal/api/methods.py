"""HEAD and OPTIONS for every address of the API, wrapped around django-ninja's views once (``ExamsApi``), not
per endpoint. django-ninja answers only the methods an operation declares: HEAD on a GET would be 405.

- HEAD is the GET without its body: the same status and headers, ``Content-Length`` that of the GET's body.
  The view runs as GET (``request.method``) while ``request.META["REQUEST_METHOD"]`` stays HEAD, so a GET
  with effects can answer a HEAD from its headers only (``exams.privacy.export_response``).
- OPTIONS answers 204 with ``Allow``: the methods the address takes.
- A method the address does not take is 405 with ``Allow`` (the error body is added by
  ``portal.middleware.ApiErrorBodyMiddleware``, like every error produced outside the API's handlers).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

#: The order ``Allow`` lists methods in.
ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allow(declared: str) -> str:
    """``Allow`` as django-ninja writes it ("GET, POST" in any order) with HEAD (where GET is) and OPTIONS."""
    methods = {m.strip().upper() for m in declared.split(",") if m.strip()}
    if "GET" in methods:
        methods.add("HEAD")
    methods.add("OPTIONS")
    return ", ".join(sorted(methods, key=lambda m: ORDER.index(m) if m in ORDER else len(ORDER)))


def _without_body(response: HttpResponseBase) -> HttpResponseBase:
    if getattr(response, "streaming", False):
        response.streaming_content = []  # a file stays among the response's closers and is closed with it
    else:
        response.headers.setdefault("Content-Length", str(len(response.content)))
        response.content = b""
    return response


def head_and_options(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def answering(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        method = request.method
        if method == "HEAD":
            request.method = "GET"  # GET is a safe method: no CSRF check either way
            try:
                response = view(request, *args, **kwargs)
            finally:
                request.method = method
            if response.status_code != 405:
                return _without_body(response)
        else:
            response = view(request, *args, **kwargs)
        if response.status_code == 405 and "Allow" in response.headers:
            allow = _allow(response.headers["Allow"])
            if method == "OPTIONS":
                answer = HttpResponse(status=204)
                del answer["Content-Type"]  # no body, so no type
                answer["Allow"] = allow
                return answer
            response["Allow"] = allow
        return response

    return answering
