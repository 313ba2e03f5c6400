"""Management commands: clear errors and exit codes, and the load-test set-up."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from exams.models import ApiToken, ExamSession

pytestmark = pytest.mark.django_db


def test_loadtest_setup_makes_a_session_and_working_tokens(tmp_path, api_for):
    out = tmp_path / "load.json"
    call_command("loadtest_setup", "--seats", "5", "--candidates", "7", "--out", str(out))
    data = json.loads(out.read_text())
    assert ExamSession.objects.get(pk=data["session_id"]).capacity == 5
    assert len(data["tokens"]) == 7 == ApiToken.objects.count()
    client = api_for()
    client.token = data["tokens"][0]
    assert client.post("/api/v1/bookings", {"session_ids": [data["session_id"]]}).status_code == 201


def test_loadtest_setup_refuses_production(settings, tmp_path):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run"):
        call_command("loadtest_setup", "--seats", "5", "--candidates", "7", "--out", str(tmp_path / "x.json"))


def test_loadtest_setup_checks_its_numbers(tmp_path):
    with pytest.raises(CommandError, match="--seats must be"):
        call_command("loadtest_setup", "--seats", "0", "--candidates", "7", "--out", str(tmp_path / "x.json"))
