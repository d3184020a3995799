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
