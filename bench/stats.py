"""Benchmark: `GET /api/stats/` over 100,000 cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/refusal_cases .venv/bin/python bench/stats.py \
        [--cases 100000] [--check] [--keep]

Works in a throwaway database (`bench_<name>`, created and dropped like the test suite's), never in the
database DATABASE_URL names. For the benchmark only, the rows are bulk-inserted directly, which the application
never does: 112 county-level regions of one province, each with a court, police agency and procuratorate, and per
case the events of a path through the procedure drawn like `simulate_year` draws them, with realistic days between
steps over 2025, the deadlines those transitions open and close (met on time, late, overdue or cancelled) and the
debtor's performances. The event chain's hashes are placeholders: the statistics do not read them.

The rows are inserted without the application's services, so the cases' statistics rows are then built from
their events by the code of `manage.py rebuild_stats` (timed). Then, for a provincial officer (every case), a
provincial officer filtered to one prefecture and to a quarter, and a district officer (one region's cases), it
times side by side, alternating, the figures recounted from the events (the reference, and the only way before the
statistics rows) and the figures read from the statistics rows, then `GET /api/stats/` itself; median and p95 of
`--repeat` calls each, beside the size of the data, the interpreter and a fixed reference loop.

With `--check`, every figure of every view read from the rows is compared with the recount, and the run exits
non-zero naming the first differences if even one differs.
"""

import argparse
import math
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from generate import PERFORMED, STEP_DAYS  # noqa: E402 - the same paths and pace as the generator's
from reference import reference_loop_ms  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from agencies.models import Agency, User  # noqa: E402
from agencies.roles import AgencyKind, Role  # noqa: E402
from procedure.states import DeadlineStatus  # noqa: E402
from procedure.transitions import TRANSITIONS  # noqa: E402
from refusal_cases.replica import wait_until_replayed  # noqa: E402
from workflow.cases.figures import rebuild_figures  # noqa: E402
from workflow.management.commands.simulate_year import _private_filing, public_path  # noqa: E402
from workflow.models import Case, CaseEvent, Deadline  # noqa: E402
from workflow.models.records import Performance  # noqa: E402
from workflow.supervision.stats import parse_filters, stats_compute  # noqa: E402

PREFECTURES = range(1, 15)
DISTRICTS = range(2, 10)
START = datetime(2025, 1, 1, 1, 0, tzinfo=UTC)
TRANSFER_WINDOW_DAYS = 333  # transfers from January to November
PERIOD_DAYS = {"written_response": 30, "filing_review": 7, "police_explanation": 7, "filing_after_order": 15,
               "prosecution_review": 31, "supplementary_investigation": 31, "private_filing_review": 15, "trial": 61}
OWED_BY = {"written_response": "police", "filing_review": "police", "police_explanation": "police",
           "filing_after_order": "police", "supplementary_investigation": "police",
           "prosecution_review": "procuratorate", "private_filing_review": "court", "trial": "court"}


def build_agencies():
    agencies, regions = [], []
    for p in PREFECTURES:
        for d in DISTRICTS:
            code = f"45{p:02d}{d:02d}"
            regions.append(code)
            for kind, suffix in ((AgencyKind.COURT, "人民法院"), (AgencyKind.POLICE, "公安分局"),
                                 (AgencyKind.PROCURATORATE, "人民检察院")):
                agencies.append(Agency(kind=kind, name=f"基准{code}{suffix}", region_code=code,
                                       region_name=f"基准区{code}", abbreviation="基"))
    agencies.append(Agency(kind=AgencyKind.COURT, name="基准高级人民法院", region_code="450000", region_name="基准省",
                           abbreviation="基高"))
    Agency.objects.bulk_create(agencies)
    by_region = {}
    for agency in Agency.objects.filter(name__startswith="基准"):
        by_region.setdefault(agency.region_code, {})[agency.kind] = agency
    users = []
    for code in [*regions, "450000"]:
        user = User(username=f"bench_judge_{code}", role=Role.ENFORCEMENT_JUDGE, agency=by_region[code]["court"])
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    judges = {u.agency.region_code: u for u in User.objects.filter(username__startswith="bench_judge_")
              .select_related("agency")}
    return regions, by_region, judges


def case_rows(rng: random.Random, index: int, code: str, agencies: dict, judge: User, now: datetime):
    """One case with its events, deadlines and performances (unsaved)."""
    path = public_path(rng) if rng.random() > 0.03 else _private_filing(rng)
    creditor_origin = path[0][0] != "submit_transfer"
    created = START + timedelta(days=rng.uniform(0, TRANSFER_WINDOW_DAYS))
    at, state, steps = created, "draft", [("create", "", "draft", created)]
    for name, _who, _data in path:
        low, high = STEP_DAYS[name]
        at = at + timedelta(days=rng.uniform(low, high), minutes=rng.uniform(0, 600))
        if at >= now:
            break
        target = TRANSITIONS[name].target
        steps.append((name, state, target, at))
        state = target
    amount = Decimal(rng.randrange(20_000, 3_000_000))
    judged = any(name == "render_judgment" for name, *_ in steps)
    case = Case(
        number=f"BENCH-{index:07d}", origin="creditor" if creditor_origin else "court", state=state,
        executing_court=agencies["court"], police_agency=None if creditor_origin else agencies["police"],
        procuratorate=None if creditor_origin else agencies["procuratorate"],
        trial_court=agencies["court"] if any(n in ("indict", "accept_private_prosecution") for n, *_ in steps) else None,
        created_by=judge, applicant_name="基准申请人", debtor_name=f"基准被执行人{index}",
        enforcement_case_number=f"（2025）桂{code[2:]}执{index}号", basis_document="基准判决书", amount_owed=amount,
        outcome=rng.choice(["convicted"] * 16 + ["exempted"] * 3 + ["acquitted"]) if judged else "",
    )
    events = [CaseEvent(seq=seq, transition=name, from_state=src, to_state=dst, payload={}, at=when,
                        prev_hash="", hash=f"{index:032x}{seq:032x}", agency=None)
              for seq, (name, src, dst, when) in enumerate(steps, start=1)]
    deadlines, open_by_kind = [], {}
    for name, _src, _dst, when in steps[1:]:
        for kind in TRANSITIONS[name].closes:
            deadline = open_by_kind.pop(kind, None)
            if deadline is not None:
                deadline.met_at = when
                deadline.status = DeadlineStatus.MET if when.date() <= deadline.due_date else DeadlineStatus.OVERDUE
        for kind in TRANSITIONS[name].cancels:
            deadline = open_by_kind.pop(kind, None)
            if deadline is not None:
                deadline.status = DeadlineStatus.CANCELLED
        for kind in TRANSITIONS[name].opens:
            days = PERIOD_DAYS[kind] + (23 if name == "extend_review" else 0)
            deadline = Deadline(kind=kind, legal_basis="bench", owed_by=agencies[OWED_BY[kind]],
                                start_date=when.date(), due_date=when.date() + timedelta(days=days),
                                period_days=days, created_at=when)
            open_by_kind[kind] = deadline
            deadlines.append(deadline)
    for deadline in open_by_kind.values():
        if deadline.due_date < now.date():
            deadline.status, deadline.overdue_at = DeadlineStatus.OVERDUE, now
    performances = []
    transferred = [s for s in steps if s[0] == "submit_transfer"]
    if transferred and rng.random() < PERFORMED:
        after = rng.randrange(1, len(steps))
        name, _src, state_then, when = steps[max(after, 1)]
        when = when + timedelta(days=rng.uniform(0, 5))
        paid = (amount * Decimal(str(rng.choice([1, 1, 0.5, 0.3])))).quantize(Decimal("0.01"))
        performances.append(Performance(
            kind="payment", amount=paid, performed_on=when.date(), extent="full" if paid == amount else "partial",
            after_warning=rng.random() < 0.85, case_state=state_then, recorded_by=judge, agency=agencies["court"],
            created_at=when))
        events.append(CaseEvent(seq=len(events) + 1, transition="performance", from_state=state_then,
                                to_state=state_then, payload={}, at=when, prev_hash="", hash="0" * 64))
        case.amount_recovered = paid
    return case, events, deadlines, performances


def populate(n: int, seed: int) -> None:
    rng = random.Random(seed)
    regions, by_region, judges = build_agencies()
    now = datetime.now(tz=UTC)
    chunk = 5000
    for start in range(0, n, chunk):
        batch = []
        for index in range(start, min(start + chunk, n)):
            code = rng.choice(regions)
            batch.append(case_rows(rng, index, code, by_region[code], judges[code], now))
        with transaction.atomic():
            Case.objects.bulk_create([b[0] for b in batch], batch_size=2000)
            events, deadlines, performances = [], [], []
            for case, case_events, case_deadlines, case_performances in batch:
                for row in (*case_events, *case_deadlines, *case_performances):
                    row.case_id = case.pk
                events += case_events
                deadlines += case_deadlines
                performances += case_performances
            CaseEvent.objects.bulk_create(events, batch_size=5000)
            Deadline.objects.bulk_create(deadlines, batch_size=5000)
            Performance.objects.bulk_create(performances, batch_size=5000)
        print(f"  inserted {min(start + chunk, n):>7} cases", flush=True)
    # created_at is stamped on insert (auto_now_add): set it to the day the case began, as the events say.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workflow_case SET created_at = e.at FROM workflow_caseevent e "
            "WHERE e.case_id = workflow_case.id AND e.seq = 1"
            if connection.vendor == "postgresql" else
            "UPDATE workflow_case SET created_at = (SELECT at FROM workflow_caseevent e "
            "WHERE e.case_id = workflow_case.id AND e.seq = 1)"
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def data_size() -> str:
    counts = {m._meta.db_table: m.objects.count() for m in (Case, CaseEvent, Deadline, Performance)}
    text = ", ".join(f"{table.split('_', 1)[1]} {count:,}" for table, count in counts.items())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            text += f"; database {cursor.fetchone()[0] / 2**20:,.0f} MiB"
    return text



def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def figures(user, query: dict, recount: bool) -> dict:
    return stats_compute(user=user, filters=parse_filters(query), recount=recount).as_dict()


def differences(fast, slow, path="") -> list[str]:
    """Where two API bodies differ, as paths to the figures."""
    if isinstance(fast, dict) and isinstance(slow, dict):
        found = []
        for key in sorted(set(fast) | set(slow)):
            found += differences(fast.get(key), slow.get(key), f"{path}.{key}")
        return found
    if isinstance(fast, list) and isinstance(slow, list) and len(fast) == len(slow):
        return [d for i, (a, b) in enumerate(zip(fast, slow, strict=True)) for d in differences(a, b, f"{path}[{i}]")]
    return [] if fast == slow else [f"{path}: rows {fast!r}, recount {slow!r}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--check", action="store_true",
                        help="Compare every figure read from the statistics rows with the recount; exit 1 if any "
                             "differs.")
    parser.add_argument("--keep", action="store_true",
                        help="Keep the benchmark database afterwards, and reuse it if it holds cases already.")
    args = parser.parse_args()

    setup_test_environment()
    if connection.vendor == "postgresql":  # a name of its own: the test suite's database is not touched
        connection.settings_dict["TEST"]["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    config = setup_databases(verbosity=0, interactive=False, keepdb=args.keep, serialized_aliases=set())
    failed = False
    try:
        if Case.objects.exists():
            print(f"Database: {connection.vendor}, kept from an earlier run: {data_size()}")
        else:
            print(f"Database: {connection.vendor}. Inserting {args.cases:,} cases ...", flush=True)
            started = time.perf_counter()
            populate(args.cases, args.seed)
            print(f"Inserted in {time.perf_counter() - started:.0f} s: {data_size()}")
        started = time.perf_counter()
        rebuilt = rebuild_figures()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # As autovacuum leaves the freshly written table at rest.
                cursor.execute("VACUUM ANALYZE workflow_casefigures")
        print(f"Statistics rows of {rebuilt:,} cases rebuilt from their events in {time.perf_counter() - started:.1f} s "
              "(manage.py rebuild_stats)")
        if wait_until_replayed():
            print("Statistics read from the replica (DATABASE_REPLICA_URL), which has replayed the data.")
        judges = {u.agency.region_code: u for u in User.objects.filter(username__startswith="bench_judge_")
                  .select_related("agency")}
        runs = [
            ("provincial officer, every case", judges["450000"], {}),
            ("provincial officer, one prefecture", judges["450000"], {"region_code": "450100"}),
            ("provincial officer, one quarter", judges["450000"], {"from": "2025-04-01", "to": "2025-06-30"}),
            ("district officer, own cases", judges["450102"], {}),
        ]
        print()
        print(f"{'seconds; median / p95 of ' + str(args.repeat):<37} {'cases':>7}  {'recount':>13}  "
              f"{'rows':>13}  {'GET /api/stats/':>15}")
        for label, user, query in runs:
            slow, fast = [], []
            for _ in range(args.repeat):  # alternating, so that both see the same load
                for recount, times in ((True, slow), (False, fast)):
                    started = time.perf_counter()
                    body = figures(user, query, recount)
                    times.append(time.perf_counter() - started)
            client = APIClient()
            client.force_authenticate(user)
            api = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get("/api/stats/", query)
                api.append(time.perf_counter() - started)
                assert response.status_code == 200, response.content[:500]
            print(f"{label:<37} {body['cases']:>7,}  {statistics.median(slow):>5.2f} / {percentile(slow, .95):>5.2f}"
                  f"  {statistics.median(fast):>5.2f} / {percentile(fast, .95):>5.2f}"
                  f"  {statistics.median(api):>6.2f} / {percentile(api, .95):>5.2f}", flush=True)
            if args.check:
                found = differences(figures(user, query, False), figures(user, query, True))
                if found:
                    failed = True
                    print(f"  DIFFERS from the recount in {len(found)} figure(s):", *found[:20], sep="\n    ")
        print(f"\nPython {sys.version.split()[0]} ({os.path.realpath(sys._base_executable)}); "
              f"reference loop (2 million additions): {reference_loop_ms():.0f} ms")
        if args.check:
            print("Check: " + ("FAILED, figures differ from the recount" if failed
                               else "every figure of every view equals the recount"))
    finally:
        if not args.keep:
            teardown_databases(config, verbosity=0)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
