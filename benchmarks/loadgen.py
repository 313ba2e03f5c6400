"""An open-loop HTTP load generator: requests are sent on a fixed schedule, whatever the server does.

Latency is measured from the moment a request was *due*, not from when a free connection happened to send
it, so a slow server cannot hide its queueing (no coordinated omission). Standard library only.
"""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse


@dataclass
class Sample:
    name: str
    due: float
    latency: float
    status: int
    body: dict | None = None
    text: str = ""
    cookies: dict = field(default_factory=dict)


@dataclass
class Call:
    """One HTTP request of a scenario step. ``then`` may return the next calls (a user's journey)."""

    name: str
    method: str
    path: str
    body: dict | None = None
    headers: dict = field(default_factory=dict)
    then: Callable[[Sample], list[Call]] | None = None
    form: dict | None = None
    keep_text: bool = False


class Pool:
    """Worker threads, each with its own keep-alive connection, executing due calls from a queue."""

    def __init__(self, base_url: str, workers: int) -> None:
        self.host = urlparse(base_url)
        self.queue: queue.Queue = queue.Queue()
        self.samples: list[Sample] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._work, daemon=True) for _ in range(workers)]
        for thread in self.threads:
            thread.start()

    def submit(self, call: Call, due: float) -> None:
        self.queue.put((due, call))

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host.hostname, self.host.port or 80, timeout=30)

    def _work(self) -> None:
        conn = self._connection()
        while True:
            item = self.queue.get()
            if item is None:
                return
            due, call = item
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            sample = self._send(conn, call, due)
            if sample.status == 0:
                conn.close()
                conn = self._connection()
            with self.lock:
                self.samples.append(sample)
            if call.then is not None and sample.status:
                for follow in call.then(sample):
                    self.submit(follow, time.monotonic())
            self.queue.task_done()

    def _send(self, conn: http.client.HTTPConnection, call: Call, due: float) -> Sample:
        if call.form is not None:
            from urllib.parse import urlencode

            payload = urlencode(call.form).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded", **call.headers}
        else:
            payload = json.dumps(call.body).encode() if call.body is not None else None
            headers = {"Content-Type": "application/json", **call.headers} if payload else dict(call.headers)
        try:
            conn.request(call.method, call.path, body=payload, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            status = response.status
            cookies = _cookies(response.headers.get_all("Set-Cookie") or [])
        except (OSError, http.client.HTTPException):
            return Sample(call.name, due, time.monotonic() - due, 0)
        latency = time.monotonic() - due
        try:
            body = json.loads(raw) if raw[:1] in (b"{", b"[") else None
        except ValueError:
            body = None
        text = raw.decode(errors="replace") if call.keep_text else ""
        return Sample(call.name, due, latency, status, body if isinstance(body, dict) else None, text, cookies)

    def drain(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.1)
        for _ in self.threads:
            self.queue.put(None)


def run_open_loop(pool: Pool, make_call: Callable[[int], Call], *, rate: Callable[[float], float],
                  duration: float) -> None:
    """Submit calls at ``rate(t)`` per second for ``duration`` seconds (``t`` from 0). Each arrival is handed
    to the pool when it is due (latency still counts from then): queued in advance, the follow-up requests
    of earlier journeys would wait behind arrivals that are not due yet."""
    start = time.monotonic()
    sent, t = 0, 0.0
    while t < duration:
        current = max(rate(t), 0.1)
        time.sleep(max(0.0, start + t - time.monotonic()))
        pool.submit(make_call(sent), start + t)
        sent += 1
        t += 1.0 / current
    time.sleep(max(0.0, start + duration - time.monotonic()))


def _cookies(headers: list[str]) -> dict:
    jar = {}
    for header in headers:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def wait_for(url: str, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout} s")
