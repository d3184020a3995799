import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from rest_framework.test import APIClient

from agencies.demo import seed_agencies_and_users
from agencies.models import User
from refusal_cases.celery import app as celery_app

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _unavailable(reason: str):
    """Skip where a service is absent on a developer's machine; fail in CI, where it must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture
def require_postgres():
    if connection.vendor != "postgresql":
        _unavailable("needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def require_redis():
    if not os.environ.get("REDIS_URL"):
        _unavailable("needs Redis: set REDIS_URL=redis://...")


@pytest.fixture
def demo(db):
    """The demo agencies and users of api.md; returns a username -> User lookup."""
    seed_agencies_and_users()
    return {u.username: u for u in User.objects.select_related("agency")}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user(api):
    """as_user(user) -> an API client authenticated by token as that user."""
    from agencies.tokens import issue

    def make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue(user, 'tests')[1]}")
        return client

    return make


def _celery_eager(eager: bool):
    # Celery reads its settings once; a settings override made afterwards never reaches it.
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield celery_app
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def eager_celery():
    """Run tasks in-process, as the settings do when no REDIS_URL is given, even where the test run has one."""
    yield from _celery_eager(True)


@pytest.fixture
def queued_celery():
    """Send tasks to the broker (a worker runs them), whatever the test run's settings."""
    yield from _celery_eager(False)


SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> datetime:
    """A moment of a day in Asia/Shanghai, the zone deadlines are counted in."""
    return datetime.combine(date.fromisoformat(day), time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def travel():
    """travel("2026-03-02") moves the clock to 10:00 that day in Shanghai (and back after the test)."""
    traveller = None

    def go(day: str, hour: int = 10):
        nonlocal traveller
        if traveller is not None:
            traveller.stop()
        traveller = time_machine.travel(at(day, hour), tick=False)
        traveller.start()

    yield go
    if traveller is not None:
        traveller.stop()


def pytest_collection_modifyitems(items):
    """The tests that start a Celery worker inside the test process run last: the worker leaves Celery's
    process-wide state (its logging set-up, its Django fix-ups) changed for whatever runs after it."""
    items.sort(key=lambda item: "require_redis" in getattr(item, "fixturenames", ()))
