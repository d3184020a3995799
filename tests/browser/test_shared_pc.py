"""A court PC is shared: a session left idle ends by itself, on the login page, which leads back where it was."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def lifetimes(settings):
    settings.SESSION_IDLE_MINUTES, settings.SESSION_MAX_HOURS = 30, 12


def test_a_session_left_idle_ends_on_the_login_page_and_comes_back_where_it_was(site, browser, lifetimes):
    page = site.as_user(browser, "police_clerk")
    page.goto(f"{site.url}/notifications/")
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=True):
        page.reload()
        page.wait_for_url(f"{site.url}/accounts/login/?next=/notifications/")
        expect(page.locator(".messages")).to_contain_text("30 分钟没有操作")
        page.fill("#id_username", "police_clerk")
        page.fill("#id_password", "demo")
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{site.url}/notifications/")

