"""Playwright fixtures driving Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.

    @pytest.mark.browser
    @pytest.mark.django_db(transaction=True)
    def test_secretary_records_a_meeting(phone_page, live_server, people):
        login(phone_page, live_server, "sue")
        phone_page.goto(live_server.url + "/...")

Browser tests skip when Chromium is missing on a developer's machine, and fail in CI
(CHIBO_REQUIRE_BROWSER=1), where bin/setup-system --for-tests installs it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHIBO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TEST_PASSWORD = "pw-for-tests"  # the password tests.factories.UserFactory gives every user


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CHIBO_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required here but {CHROMIUM} does not exist")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _page(chromium, viewport: dict, is_mobile: bool, locale: str = "vi-VN"):
    context = chromium.new_context(
        viewport=viewport, is_mobile=is_mobile, has_touch=is_mobile, locale=locale, timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    return context, page


@pytest.fixture
def phone_page(chromium, live_server):
    """A phone-sized page (390×844, touch), as most cell secretaries use the product."""
    context, page = _page(chromium, PHONE, True)
    yield page
    context.close()


@pytest.fixture
def desktop_page(chromium, live_server):
    context, page = _page(chromium, DESKTOP, False)
    yield page
    context.close()


@pytest.fixture
def new_page(chromium, live_server):
    """Factory for extra pages (another role in the same test): new_page(phone=False); ``locale`` is the
    browser's language (what it sends as Accept-Language and what native widgets use)."""
    contexts = []

    def make(phone: bool = False, locale: str = "vi-VN"):
        context, page = _page(chromium, PHONE if phone else DESKTOP, phone, locale)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


def login(page, live_server, username: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the real Vietnamese login page."""
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def logout(page, live_server) -> None:
    page.context.clear_cookies()


def wait_for_script(page, function: str, timeout_ms: int = 15_000) -> None:
    """Wait until the JavaScript ``function`` (e.g. ``"() => window.Chart"``) returns a truthy value.

    Playwright's own ``wait_for_function`` re-checks its predicate with ``eval`` inside the page, which
    the product's Content Security Policy (script-src 'self', no 'unsafe-eval') forbids: it passed only
    when the first check, made from outside the page, was already true, and failed at random otherwise.
    ``page.evaluate`` runs from outside the page each time, so polling it from here obeys the policy."""
    import time

    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(function):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_ms} ms: {function}")
        page.wait_for_timeout(100)
