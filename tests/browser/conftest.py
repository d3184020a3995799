"""Fixtures for the pages: Debian's chromium driven by Playwright against a live server on PostgreSQL.

Playwright's sync API keeps an event loop running in the test thread, where Django's ORM would otherwise
refuse to run (SynchronousOnlyOperation); DJANGO_ALLOW_ASYNC_UNSAFE lets the tests seed and check the
database there. The live server answers from its own thread. The variable is set only while Playwright runs
(one browser per test module) and removed afterwards, so that it never reaches the rest of the suite or the
processes it starts (`manage.py check --deploy` rightly refuses it).
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from agencies.demo import DEMO_PASSWORD, seed_agencies_and_users
from agencies.models import User
from tests.conftest import _unavailable

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Screenshots of each role's pages are written here when set (e.g. SCREENSHOT_DIR=/tmp/shots).
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR", "")


@pytest.fixture(scope="module")
def playwright():
    """pytest-playwright's fixture, per module instead of per session (see the module docstring)."""
    before = os.environ.get(ASYNC_UNSAFE)
    os.environ.setdefault(ASYNC_UNSAFE, "true")
    pw = sync_playwright().start()
    yield pw
    pw.stop()
    if before is None:
        os.environ.pop(ASYNC_UNSAFE, None)


@pytest.fixture(scope="module")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="module")
def browser(browser_type, browser_type_launch_args):
    browser = browser_type.launch(**browser_type_launch_args)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        _unavailable(f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A laptop screen and a Chinese browser: the default users of the system.
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}, "locale": "zh-CN"}


@pytest.fixture
def site(require_postgres, live_server, settings):
    """The live server with the demo agencies and users; returns helpers to log in and take screenshots."""
    # Plain http on localhost: secure-only cookies would not come back from the browser.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    seed_agencies_and_users()
    site = Site(live_server.url)
    yield site
    # Close the browser's connections before the database is flushed: a kept-alive connection would hold a
    # server thread, and with it a database session.
    for context in site.contexts:
        context.close()
    # The pages run under a strict Content-Security-Policy: nothing may have been refused by it.
    refused = [m for m in site.console_errors if "Content Security Policy" in m or "Refused to" in m]
    assert not refused, refused


class Site:
    def __init__(self, url: str):
        self.url = url
        self.users = {u.username: u for u in User.objects.select_related("agency")}
        self.contexts = []
        self.console_errors: list[str] = []

    def login(self, page, username: str, *, password: str = DEMO_PASSWORD):
        page.goto(f"{self.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{self.url}/")
        return page

    def as_user(self, browser, username: str, **context_args):
        """A fresh browser context (own cookies) logged in as `username`; returns its page."""
        context = browser.new_context(**{"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN", **context_args})
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        return self.login(page, username)


def shot(page, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot when SCREENSHOT_DIR is set; the tests never depend on it."""
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / f"{name}.png"), full_page=full_page)
