"""Benchmark of the full-text search (not a test): `GET /api/search/?q=`'s query at N cases on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/search.py [--cases 100000]

Writes into `<NAME>_search_bench` (created, migrated and filled when it has fewer cases than asked): 20 regions'
agencies, N cases and, per case, its own entry and two materials' texts of 80 to 400 characters made of sentences
of the kind enforcement records and scanned statements hold, segmented once per sentence by the same jieba search
mode as the index. Then times `workflow.cases.search.search_entries` for one region's officer (the cases of
one region of twenty are visible) with rare, common and two-word queries, and reports the table and GIN index sizes.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refusal_cases.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")

import dj_database_url  # noqa: E402
import psycopg  # noqa: E402

SENTENCES = [
    "被执行人名下有房产一处，执行期间擅自转让给其亲属。", "经查询，被执行人在多家银行开设账户，账户余额共计十二万元。",
    "申请执行人多次催告，被执行人拒不履行生效判决确定的义务。", "执行法院依法向被执行人送达执行通知书和报告财产令。",
    "被执行人未按要求申报财产，亦未说明理由。", "被执行人驾驶的小型轿车登记在其配偶名下。",
    "询问笔录记载，被执行人承认收到判决书后转移了存款。", "被执行人隐匿房产至外省，致使判决无法执行。",
    "执行人员现场查看，厂房内设备已被搬离。", "被执行人经营的公司仍在正常营业，每月营业收入约三万元。",
    "公安机关对被执行人采取拘留措施，期间其亲属代为履行部分款项。", "被执行人以虚假诉讼方式转移财产，情节严重。",
    "证人证实被执行人将收到的工程款转入他人账户。", "法院对被执行人处以罚款并予以司法拘留十五日。",
    "被执行人有能力履行而拒不履行，致使申请执行人的生产经营陷入困境。", "不动产登记中心出具的查询结果显示房屋已被抵押。",
    "被执行人在判决生效后购买高档轿车并出境旅游。", "扫描件第三页为银行转账凭证，金额五万元。",
    "申请执行人提供的线索显示被执行人在青秀区经营一家餐馆。", "执行和解协议签订后，被执行人仍未按期支付第一期款项。",
]
NAMES = ["张伟", "王芳", "李娜", "刘强", "陈静", "杨洋", "黄磊", "赵敏", "周杰", "吴刚", "覃海", "韦建华", "农丽", "蒙涛"]
COMPANIES = ["南宁宏达建材有限公司", "广西顺通物流有限公司", "南宁市金桂餐饮管理有限公司", "广西华邦建设工程有限公司"]


def _target_database(cases: int) -> str:
    base = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"{base['NAME']}_search_bench"
    with psycopg.connect(host=base["HOST"], port=base["PORT"] or 5432, user=base["USER"],
                         password=base["PASSWORD"] or None, dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    return name


def _fill(cases: int, seed: int) -> None:
    from agencies.models import Agency, User
    from documents.models import SearchEntry
    from documents.textsearch import segment
    from workflow.models import Case

    rng = random.Random(seed)
    segmented = {s: segment(s) for s in [*SENTENCES, *NAMES, *COMPANIES]}
    agencies = []
    for r in range(20):
        code = f"4501{r + 2:02d}"
        for kind in ("court", "police", "procuratorate"):
            agencies.append(Agency.objects.get_or_create(
                name=f"区{r}{kind}", defaults={"kind": kind, "region_code": code, "region_name": f"区{r}"})[0])
    judge = User.objects.get_or_create(username="bench_judge", defaults={"role": "enforcement_judge",
                                                                         "agency": agencies[0]})[0]
    have = Case.objects.count()
    batch_size = 5000
    for start in range(have, cases, batch_size):
        rows, texts = [], []
        for i in range(start, min(cases, start + batch_size)):
            region = rng.randrange(20)
            court, police, procuratorate = agencies[region * 3: region * 3 + 3]
            debtor, applicant = rng.choice(NAMES + COMPANIES), rng.choice(COMPANIES)
            summary = [rng.choice(SENTENCES) for _ in range(rng.randint(1, 3))]
            rows.append(Case(number=f"BENCH{i:07d}", origin="court", state="filing_review", executing_court=court,
                             police_agency=police, procuratorate=procuratorate, created_by=judge,
                             applicant_name=applicant, debtor_name=debtor, enforcement_case_number=f"（2025）桂执{i}号",
                             basis_document=f"（2024）桂民初{i}号民事判决书", amount_owed=Decimal("100000.00"),
                             summary="".join(summary)))
            texts.append((debtor, applicant, summary, [[rng.choice(SENTENCES) for _ in range(rng.randint(2, 10))]
                                                       for _ in range(2)]))
        created = Case.objects.bulk_create(rows)
        entries = []
        for case, (debtor, applicant, summary, materials) in zip(created, texts, strict=True):
            head = [case.number, case.enforcement_case_number, applicant, debtor, case.basis_document]
            entries.append(SearchEntry(case=case, source="case", source_id=case.pk, title=case.number,
                                       text="\n".join(head) + "\n" + "".join(summary),
                                       terms=" ".join([segment(" ".join(head[:2] + head[4:])), segmented[applicant],
                                                       segmented[debtor], *(segmented[s] for s in summary)])))
            for n, sentences in enumerate(materials):
                entries.append(SearchEntry(case=case, source="material", source_id=case.pk * 10 + n,
                                           title="扫描件", text="".join(sentences),
                                           terms=" ".join(segmented[s] for s in sentences)))
        SearchEntry.objects.bulk_create(entries)
        print(f"  {start + len(rows)} cases", flush=True)


def _time(label: str, judge, query: str, rounds: int) -> None:
    from refusal_cases.replica import reading_from_replica
    from workflow.cases.search import search_entries

    times, count = [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        with reading_from_replica(judge) as database:  # the replica when DATABASE_REPLICA_URL is set and fit
            page = list(search_entries(user=judge, q=query)[:50])
            count = search_entries(user=judge, q=query).count()
        times.append(time.perf_counter() - start)
        assert page or not count
    print(f"  {label:<34} {query:<12} {count:>6} hits  first page + count: median "
          f"{statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms ({database})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    name = _target_database(args.cases)

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    _fill(args.cases, seed=2025)
    print(f"database {name}: filled in {time.perf_counter() - start:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE documents_searchentry")
        cursor.execute("SELECT count(*), pg_size_pretty(pg_total_relation_size('documents_searchentry')), "
                       "pg_size_pretty(pg_relation_size('search_entry_vector_gin')) FROM documents_searchentry")
        entries, table, gin = cursor.fetchone()
    print(f"{entries} entries for {args.cases} cases; table with indexes {table}, GIN index {gin}")
    from agencies.models import User
    from refusal_cases.replica import wait_until_replayed

    if wait_until_replayed():
        print("reads from the replica (DATABASE_REPLICA_URL), which has replayed the data")
    judge = User.objects.get(username="bench_judge")
    _time("rare word", judge, "隐匿房产", args.rounds)
    _time("common word", judge, "被执行人", args.rounds)
    _time("two words", judge, "银行 转账", args.rounds)
    _time("a debtor's name", judge, "韦建华", args.rounds)
    _time("no hit", judge, "走私", args.rounds)


if __name__ == "__main__":
    main()
