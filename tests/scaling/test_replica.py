"""`DATABASE_REPLICA_URL` against a real streaming replica: a PostgreSQL primary and a pg_basebackup standby started
here, the journeys of replica_journeys.py run against them in a process of their own (its databases are these two,
not the suite's)."""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import _unavailable
from tests.scaling import pgcluster

BASE = Path(__file__).resolve().parents[2]


def test_heavy_reads_go_to_a_real_replica_and_fall_back_to_the_primary():
    reason = pgcluster.missing()
    if reason:
        _unavailable(reason)
    pair = pgcluster.start_pair()
    try:
        env = {**os.environ, "DATABASE_URL": pair.url(pair.primary, "refusal"),
               "DATABASE_REPLICA_URL": pair.url(pair.standby, "refusal"), "REDIS_URL": "",
               "STANDBY_DATA": str(pair.standby.data), "STANDBY_PORT": str(pair.standby.port),
               "STANDBY_LOG": str(pair.standby.log), "LOG_FORMAT": "text"}
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/scaling/replica_journeys.py", "-q", "-p", "no:cacheprovider"],
            cwd=BASE, env=env, capture_output=True, text=True, timeout=300)
    finally:
        pair.close()
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-4000:]
    assert "3 passed" in run.stdout, run.stdout[-2000:]
