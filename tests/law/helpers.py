"""Helpers of the law tests: a clock set to a day in Asia/Shanghai, and the API calls they make."""

import datetime
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def on(day: str, hour: int = 10):
    """The clock at `hour` o'clock of `day` in Shanghai, the zone deadlines are counted in."""
    moment = datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        yield


def post(client, url, body=None):
    return client.post(url, body or {}, format="json")


def transition(client, case, name, body=None):
    return post(client, f"/api/cases/{case.pk}/transitions/{name}/", body)


def deadline(case, kind):
    return case.deadlines.filter(kind=kind).latest("id")
