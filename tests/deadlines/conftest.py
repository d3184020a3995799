from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

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


@pytest.fixture
def eager_celery():
    """Run tasks in-process, as the settings do when no REDIS_URL is given, even where the test run has one."""
    from refusal_cases.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous
