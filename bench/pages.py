"""Benchmark: the time the server takes for each browser page and the size of what it sends, per role.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/refusal_cases .venv/bin/python bench/pages.py [--rounds 20]

Works in a throwaway database (`bench_<name>` on PostgreSQL, in memory on SQLite), never in the database
DATABASE_URL names. Seeds the demo agencies and users and a few cases along the procedure's main routes (their
events, deadlines, letters and evidence made by the real services), then, logged in as each role, GETs each page it
uses `--rounds` times through Django's test client (the whole middleware stack, no network): median and worst
wall time, median CPU time, the size of the HTML and its size gzipped. Last, the interpreter and the CPU time of a
fixed pure-Python loop, to compare figures taken on different machines.
"""

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from reference import reference_loop_ms  # noqa: E402 - the same loop as the other benchmarks

from agencies.demo import seed_agencies_and_users  # noqa: E402
from agencies.models import User  # noqa: E402
from tests.casebuilder import case_in_state  # noqa: E402

STATES = ("prosecution_review", "filing_review", "not_filed", "trial", "draft")
ROLES = ("enforcement_judge", "police_clerk", "police_investigator", "police_head", "procurator",
         "procurator_general", "trial_judge", "creditor")


def pages_of(role: str, case_id: int) -> list[tuple[str, str]]:
    pages = [("inbox", "/"), ("case", f"/cases/{case_id}/"), ("notifications", "/notifications/"),
             ("search", "/search/?q=%E5%BC%A0%E4%BC%9F")]
    if role != "creditor":
        pages.append(("statistics", "/stats/"))
    if role in ("enforcement_judge", "procurator", "creditor"):
        pages.append(("new case", "/cases/new/"))
    return pages


def measure(client: Client, path: str, rounds: int) -> dict:
    walls, cpus, body = [], [], b""
    for _ in range(rounds + 1):  # the first is a warm-up (templates, translations, the diagram's layout)
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        body = response.content
    walls, cpus = walls[1:], cpus[1:]
    return {"median": statistics.median(walls), "worst": max(walls), "cpu": statistics.median(cpus),
            "bytes": len(body), "gzip": len(gzip.compress(body))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    setup_test_environment()
    if connection.vendor == "postgresql":  # a name of its own: the test suite's database is not touched
        connection.settings_dict["TEST"]["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    config = setup_databases(verbosity=0, interactive=False)
    try:
        seed_agencies_and_users()
        users = {u.username: u for u in User.objects.select_related("agency")}
        cases = {state: case_in_state(users, state) for state in STATES}
        case_id = cases["prosecution_review"].pk
        print(f"Database: {connection.vendor}; {len(cases)} cases ({', '.join(STATES)}); "
              f"{args.rounds} GETs per page after one warm-up; the case page is that of the case in "
              f"prosecution_review (the trial judge's: the case at trial)")
        print(f"{'role':<22}{'page':<15}{'median ms':>10}{'worst ms':>10}{'CPU ms':>8}{'bytes':>9}{'gzip':>8}")
        for role in ROLES:
            client = Client()
            client.force_login(users[role])
            shown = cases["trial"].pk if role == "trial_judge" else case_id
            for name, path in pages_of(role, shown):
                figures = measure(client, path, args.rounds)
                print(f"{role:<22}{name:<15}{figures['median']:>10.1f}{figures['worst']:>10.1f}{figures['cpu']:>8.1f}"
                      f"{figures['bytes']:>9,}{figures['gzip']:>8,}")
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; interpreter: Python "
              f"{sys.version.split()[0]} ({os.path.realpath(sys._base_executable)}); "
              f"reference loop (2 million additions): {reference_loop_ms():.0f} ms")
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
