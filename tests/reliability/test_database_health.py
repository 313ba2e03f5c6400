"""The PostgreSQL backend's health check: no round trip for a healthy connection, a reconnect after the
server closed it."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _open() -> None:
    connection.ensure_connection()
    assert connection.is_usable()


def test_a_healthy_idle_connection_is_usable_without_a_query(monkeypatch):
    _open()

    def no_queries(*args, **kwargs):
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(connection.connection, "cursor", no_queries)
    assert connection.is_usable()


def test_a_connection_the_server_closed_is_found_unusable_and_replaced():
    _open()
    backend = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    other = psycopg.connect(**{k: v for k, v in params.items() if k not in ("cursor_factory", "context")},
                            autocommit=True)
    try:
        other.execute("SELECT pg_terminate_backend(%s)", [backend])
    finally:
        other.close()
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not connection.is_usable()
    # What Django does at the start of a request: the dead connection is closed and the next query reconnects.
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != backend
