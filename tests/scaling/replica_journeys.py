"""Reads from a real streaming replica. Run by test_replica.py in a process of its own, whose DATABASE_URL is a
primary and DATABASE_REPLICA_URL its standby (tests/scaling/pgcluster.py): the test database made on the primary
reaches the standby by replication, as everything written to it does."""

import contextlib
import os
import time
from pathlib import Path

import pytest
from django.db import connections

from refusal_cases.replica import REPLICA_READS
from tests.casebuilder import CASE_BODY, new_case
from tests.scaling.pgcluster import Node

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def reads(database: str, reason: str) -> float:
    return REPLICA_READS.labels(database, reason)._value.get()


def primary_position() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def on_replica(sql: str, params=()):
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] if cursor.description else None


def wait_replayed(timeout: float = 20):
    position = primary_position()
    deadline = time.monotonic() + timeout
    while not on_replica("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position]):
        assert time.monotonic() < deadline, "the standby did not catch up"
        time.sleep(0.05)


@pytest.fixture
def replay():
    """pause()/resume() the standby's replay; resumed (and caught up) whatever the test does."""

    class Replay:
        def pause(self):
            on_replica("SELECT pg_wal_replay_pause()")
            while on_replica("SELECT pg_get_wal_replay_pause_state()") != "paused":
                time.sleep(0.02)

        def resume(self):
            on_replica("SELECT pg_wal_replay_resume()")
            wait_replayed()

    control = Replay()
    wait_replayed()
    yield control
    with contextlib.suppress(Exception):  # unless the test stopped the standby
        control.resume()


def counted(client) -> int:
    response = client.get("/api/stats/")
    assert response.status_code == 200, response.content
    return response.json()["cases"]


def test_statistics_come_from_the_replica_but_the_writer_reads_their_own_write(demo, as_user, client, replay):
    judge, colleague = as_user(demo["enforcement_judge"]), as_user(demo["filing_clerk"])
    new_case(demo)
    replay.resume()
    before = counted(colleague)
    assert before == counted(judge) >= 1

    replay.pause()
    served, own = reads("replica", "ok"), reads("primary", "own_write")
    body = {**CASE_BODY, "enforcement_case_number": "（2025）桂0102执9876号", "police_agency": demo["police_clerk"].agency_id,
            "procuratorate": demo["procurator"].agency_id}
    assert judge.post("/api/cases/", body).status_code == 201
    # The colleague did nothing: their figures come from the paused replica, a moment old.
    assert counted(colleague) == before
    assert reads("replica", "ok") == served + 1
    # The judge just made a case: their own figures (and ledger) come from the primary and count it.
    assert counted(judge) == before + 1
    assert reads("primary", "own_write") == own + 1
    assert as_user(demo["enforcement_judge"]).get("/api/supervision-ledger/csv/").status_code == 200

    replay.resume()  # the replica has replayed past the judge's change: both read it there again
    assert counted(judge) == counted(colleague) == before + 1
    assert reads("replica", "ok") == served + 3
    replica = client.get("/health/").json()["checks"]["replica"]
    assert (replica["ok"], replica["standby"], replica["warning"]) == (True, True, False)


def test_a_replica_too_far_behind_is_not_read(demo, as_user, replay, settings):
    colleague = as_user(demo["filing_clerk"])
    before = counted(colleague)
    replay.pause()
    new_case(demo)  # written by someone else: the colleague has no change of their own to wait for
    time.sleep(1.2)
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 60
    assert counted(colleague) == before  # within the bound: the replica's figures
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 1
    lagging = reads("primary", "lagging")
    assert counted(colleague) == before + 1  # beyond it: the primary's
    assert reads("primary", "lagging") == lagging + 1


def test_a_stopped_replica_leaves_pages_and_statistics_to_the_primary(demo, as_user, client, replay, settings):
    colleague = as_user(demo["filing_clerk"])
    before = counted(colleague)
    Node(Path(os.environ["STANDBY_DATA"]), int(os.environ["STANDBY_PORT"]), Path(os.environ["STANDBY_LOG"])).stop(
        "immediate")
    new_case(demo)
    down = reads("primary", "down")
    started = time.monotonic()
    assert counted(colleague) == before + 1
    assert reads("primary", "down") == down + 1
    client.force_login(demo["filing_clerk"])
    for path in ("/stats/", "/search/?q=张伟", "/api/supervision-ledger/", "/"):
        assert client.get(path).status_code == 200, path
    assert time.monotonic() - started < 10  # refused at once, then not asked again for a while
    # Readiness holds (the primary serves); the replica is a warning, and the metrics say it is down.
    health = client.get("/health/")
    assert health.status_code == 200 and health.json()["checks"]["replica"]["warning"] is True
    settings.METRICS_TOKEN = "scrape"
    text = client.get("/metrics/", HTTP_AUTHORIZATION="Bearer scrape").content.decode()
    assert "refusal_cases_replica_up 0.0" in text
    assert 'refusal_cases_replica_reads_total{database="primary",reason="down"}' in text
