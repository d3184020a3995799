"""Benchmark of the supervision ledger (Art. 19) and its exports (not a test).

    createdb -h 127.0.0.1 -U postgres refusal_cases_bench_ledger
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/refusal_cases_bench_ledger .venv/bin/python bench/ledger.py

Builds (once; --rebuild to start over) --cases supervised cases (default 5,000) in one region, each with the
events of a supervision route (request_supervision, request_explanation, submit_explanation and for a third
order_filing and file_case) and one open deadline, plus as many cases never supervised. Then, as the region's
procurator, through the API: the first JSON page, the CSV export and the XLSX export of the whole ledger,
several rounds each; prints the median time, the number of SQL queries and the size of each answer.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refusal_cases.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the API is called through the test client
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from agencies.demo import seed_agencies_and_users  # noqa: E402
from agencies.models import User  # noqa: E402
from procedure.deadlines import DeadlineKind  # noqa: E402
from procedure.states import CaseState, Origin  # noqa: E402
from refusal_cases.replica import wait_until_replayed  # noqa: E402
from workflow.models import Case, CaseEvent, Deadline  # noqa: E402

MARK = "BENCH-LEDGER"


def build(n: int) -> None:
    users = {u.username: u for u in User.objects.select_related("agency")}
    judge, procurator, police = users["enforcement_judge"], users["procurator"], users["police_investigator"]
    now = timezone.now()
    with transaction.atomic():
        cases = []
        for i in range(2 * n):
            supervised = i < n
            state = (CaseState.INVESTIGATING if i % 3 == 0 else CaseState.EXPLANATION_REVIEW) if supervised \
                else CaseState.FILING_REVIEW
            cases.append(Case(
                number=f"{MARK}-{i:07d}", origin=Origin.COURT, state=state, executing_court=judge.agency,
                police_agency=police.agency, procuratorate=procurator.agency, created_by=judge,
                applicant_name="申请人", debtor_name=f"被执行人{i}", enforcement_case_number=f"（2025）桂0102执{i}号",
                basis_document="判决书", amount_owed="100000.00", summary=MARK,
            ))
        Case.objects.bulk_create(cases, batch_size=2000)
        supervised = Case.objects.filter(summary=MARK, state__in=[CaseState.INVESTIGATING,
                                                                  CaseState.EXPLANATION_REVIEW])
        events, deadlines = [], []
        for case in supervised.iterator():
            steps = [("request_supervision", judge, {"reason": "应当立案"}), ("request_explanation", procurator, {}),
                     ("submit_explanation", police, {"explanation": "理由"})]
            if case.state == CaseState.INVESTIGATING:
                steps += [("order_filing", procurator, {"reason": "不成立"}), ("file_case", police, {})]
            for seq, (name, actor, payload) in enumerate(steps, start=1):
                events.append(CaseEvent(case=case, seq=seq, actor=actor, agency_id=actor.agency_id, transition=name,
                                        payload=payload, at=now - timedelta(days=10 - seq), hash=f"{seq:064d}"))
            deadlines.append(Deadline(case=case, kind=DeadlineKind.PROSECUTION_REVIEW if case.state ==
                                      CaseState.INVESTIGATING else DeadlineKind.POLICE_EXPLANATION,
                                      legal_basis="bench", owed_by=procurator.agency, start_date=now.date(),
                                      due_date=now.date() + timedelta(days=7)))
        CaseEvent.objects.bulk_create(events, batch_size=5000)
        Deadline.objects.bulk_create(deadlines, batch_size=5000)


def measure(client, url: str, rounds: int):
    times, queries, size = [], 0, 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries, size = len(captured), len(response.content)
    return statistics.median(times), queries, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    seed_agencies_and_users()
    if args.rebuild:
        with transaction.atomic():
            CaseEvent.objects.filter(case__summary=MARK)._raw_delete(CaseEvent.objects.db)
            Deadline.objects.filter(case__summary=MARK)._raw_delete(Deadline.objects.db)
            Case.objects.filter(summary=MARK)._raw_delete(Case.objects.db)
    if not Case.objects.filter(summary=MARK).exists():
        started = time.perf_counter()
        build(args.cases)
        print(f"built {2 * args.cases} cases ({args.cases} supervised) in {time.perf_counter() - started:.1f} s")
    if wait_until_replayed():
        print("the ledger reads from the replica (DATABASE_REPLICA_URL), which has replayed the data; queries "
              "counted below are the primary's")
    client = APIClient()
    client.force_authenticate(User.objects.get(username="procurator"))
    print(f"database: {connection.vendor}; supervised cases: "
          f"{CaseEvent.objects.filter(transition='request_supervision').count()}")
    for label, url in (("JSON, first page of 50", "/api/supervision-ledger/"),
                       ("CSV, whole ledger", "/api/supervision-ledger/csv/"),
                       ("XLSX, whole ledger", "/api/supervision-ledger/xlsx/")):
        seconds, queries, size = measure(client, url, args.rounds)
        print(f"{label:26s} median {seconds * 1000:8.1f} ms  {queries:3d} queries  {size / 1024:8.1f} KiB")


if __name__ == "__main__":
    main()
