"""The demo started on another port sends payers and e-mail links back to that port."""

from __future__ import annotations

from unittest import mock

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from exams.management.commands import rundemo
from exams.payments.providers.base import public_url


@override_settings(ENVIRONMENT="demo")
def test_a_demo_on_another_port_links_back_to_that_port(monkeypatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("PAYMENTS_PUBLIC_URL", raising=False)
    with override_settings(SITE_URL=settings.SITE_URL, CERTIFICATES=settings.CERTIFICATES), \
            mock.patch.object(rundemo, "call_command"), mock.patch.object(rundemo, "run_in_background"), \
            mock.patch.object(rundemo.Command, "_start_periodic_jobs"):
        call_command("rundemo", addrport="127.0.0.1:8031")
        assert public_url("/payments/test/") == "http://127.0.0.1:8031/payments/test/"
        assert settings.CERTIFICATES["VERIFY_URL"] == "http://127.0.0.1:8031/verify/"


@override_settings(ENVIRONMENT="demo", SITE_URL="https://demo.example.org")
def test_a_site_url_given_stays(monkeypatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://demo.example.org")
    with mock.patch.object(rundemo, "call_command"), mock.patch.object(rundemo, "run_in_background"), \
            mock.patch.object(rundemo.Command, "_start_periodic_jobs"):
        call_command("rundemo", addrport="127.0.0.1:8031")
    assert settings.SITE_URL == "https://demo.example.org"
