"""Browser fixtures shared by every test folder: Debian's Chromium through Playwright, axe-core checks.

Defined once (imported by the top-level conftest), so a whole test session runs one browser."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"],
              # Structure the WCAG tags leave to "best practice": one main landmark, everything in a landmark,
              # headings in order, unique landmarks and ids.
              "rules": {rule: {"enabled": True} for rule in (
                  "landmark-one-main", "landmark-no-duplicate-main", "landmark-unique", "region", "heading-order",
                  "page-has-heading-one", "empty-heading", "duplicate-id", "duplicate-id-aria",
                  "duplicate-id-active")}}


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Debian's chromium is not installed (make test installs it where it can)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are fine.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield instance
        instance.close()


def _page(browser, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A page the size of a phone, in Dutch unless a test switches."""
    yield from _page(browser, viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)


@pytest.fixture
def desktop(browser):
    """A page the size of a laptop screen, in Dutch."""
    yield from _page(browser, viewport=DESKTOP, locale="nl-NL")


@pytest.fixture
def english(browser):
    """A phone-sized page in English (the portal follows the browser's language)."""
    yield from _page(browser, viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)


def fits_screen(page) -> bool:
    """Nothing reaches past the screen's width.  A mobile browser widens its layout viewport (and so
    ``window.innerWidth``) to whatever sticks out, so the page is measured against the screen size the
    context was opened with, not against the window."""
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.fixture
def axe_violations():
    """``axe_violations(page)`` lists WCAG 2.1 A/AA violations on the page as readable strings."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> list[str]:
        results = axe.run(page, options=WCAG_21_AA)
        return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
                for v in results.response["violations"]]

    return check


@pytest.fixture
def sign_in(live_server):
    """``sign_in(page, user)`` puts a logged-in session cookie for ``user`` into the page's context."""
    from django.conf import settings as django_settings
    from django.test import Client

    def apply(page, user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value,
                                   "url": live_server.url}])

    return apply


def reload_until(page, text: str, seconds: int = 30) -> None:
    """Reload the page (as a page that refreshes itself would) until ``text`` is on it or ``seconds``
    have passed: a planning job that runs in a worker."""
    for _ in range(seconds):
        if text in page.content():
            return
        page.wait_for_timeout(1000)
        page.reload()
