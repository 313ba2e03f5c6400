"""The audit chain stays one unbroken chain when many requests record at the same moment."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from exams import audit
from exams.models import AuditEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_records_form_one_chain():
    def work(n: int) -> None:
        try:
            for i in range(25):
                audit.record("parallel_test", object_type="Test", object_id=f"{n}-{i}")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(8)))
    assert AuditEvent.objects.filter(action="parallel_test").count() == 200
    checked, broken = audit.verify_chain()
    assert broken is None and checked == AuditEvent.objects.count()
