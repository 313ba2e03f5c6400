"""A requests transport that hands HTTP calls to Django's test client, in-process.

Mounted on the Mollie client's session, it lets the real ``mollie-api-python`` code build, send and parse
every request against the test PSP inside the test's own transaction (fast, and on SQLite too). The test
PSP's webhook deliveries use it as well. One test in ``test_mollie_provider`` uses real HTTP instead."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
from django.test import Client
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

HOST = "testserver"
BASE = f"http://{HOST}"
SKIP_HEADERS = {"content-length", "content-type", "host"}


class DjangoClientAdapter(BaseAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.client = Client()
        self.calls: list[tuple[str, str]] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        url = urlsplit(request.url)
        self.calls.append((request.method, url.path))
        body = request.body or b""
        headers = {k: v for k, v in request.headers.items() if k.lower() not in SKIP_HEADERS}
        answer = self.client.generic(
            request.method,
            url.path + (f"?{url.query}" if url.query else ""),
            data=body,
            content_type=request.headers.get("Content-Type", "application/octet-stream"),
            headers=headers,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.content
        response.url = request.url
        response.request = request
        response.reason = answer.reason_phrase
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


def in_process_session(adapter: DjangoClientAdapter | None = None) -> requests.Session:
    session = requests.Session()
    session.mount(BASE, adapter or DjangoClientAdapter())
    return session
