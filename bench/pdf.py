"""Benchmark of document rendering (not a test): warm time per PDF and its size.

    .venv/bin/python bench/pdf.py [--rounds 30] [--warmup 3] [--out /tmp/transfer_letter.pdf]

Renders a two-page transfer letter (procedure.md §5 `transfer_letter`: parties, amounts, the account of the
refusal, five evidence materials, deadline, QR code) through `documents.render.render_document_pdf`, the call
the rendering task makes. The first renders prepare the cut-down CJK fonts and parse the stylesheet; they are
reported apart, then the warm renders are timed one by one. Prints the median, mean, 95th percentile and worst
time and the size of the file, against the targets: under 150 ms per document and under 300 KB per file.
Last, the interpreter and the CPU time of a fixed pure-Python loop, to compare figures taken on different
machines (a source build of CPython without profile-guided optimisation, such as pyenv's, is about 1.7 times
slower than Debian's or the Docker image's, which scripts/setup.sh picks).
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refusal_cases.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("weasyprint").setLevel(logging.WARNING)

from reference import reference_loop_ms  # noqa: E402

from documents.render import render_document_pdf  # noqa: E402

TARGET_MS = 150
TARGET_KB = 300

PARAGRAPH = (
    "被执行人在收到执行通知书后，未按期履行生效判决确定的付款义务，并于判决生效后将其名下位于南宁市兴宁区的"
    "商铺一套以明显不合理的低价转让给其亲属，又通过他人银行账户收取经营款项，拒不向本院如实申报财产。"
)


def transfer_letter_context() -> dict:
    agency = {"region_code": "450102", "region_name": "南宁市兴宁区"}
    return {
        "kind": "transfer_letter",
        "number": "兴法移〔2026〕128号",
        "version": 1,
        "issued_at": datetime.date(2026, 11, 23),
        "verification_code": "K7Q2M-9XD4R-TBH6N-WP3YZ",
        "verify_url": "https://cases.example.gov.cn/verify/K7Q2M-9XD4R-TBH6N-WP3YZ/",
        "issuer": {"name": "南宁市兴宁区人民法院", "kind": "court", **agency},
        "addressee": {"name": "南宁市公安局兴宁分局", "kind": "police", **agency},
        "cc": [],
        "transition": {"name": "submit_transfer", "from_state": "draft"},
        "related": {},
        "case": {
            "number": "JZ-2026-000128",
            "origin": "court",
            "enforcement_case_number": "（2025）桂0102执1234号",
            "basis_document": "（2024）桂0102民初567号民事判决书",
            "amount_owed": Decimal("1250000.00"),
            "amount_recovered": Decimal("35000.00"),
            "summary": PARAGRAPH,
            "jurisdiction_reason": "",
            "applicant": {"name": "广西南宁宏达建材有限公司", "kind": "entity", "id_number": "91450100MA5KXXXX13",
                          "address": "南宁市兴宁区民族大道1号", "phone": "0771-5550100"},
            "debtor": {"name": "张伟", "kind": "person", "id_number": "450102198001011237",
                       "address": "南宁市兴宁区朝阳路8号"},
            "executing_court": {"name": "南宁市兴宁区人民法院", "kind": "court"},
            "police_agency": {"name": "南宁市公安局兴宁分局", "kind": "police"},
            "procuratorate": {"name": "南宁市兴宁区人民检察院", "kind": "procuratorate"},
            "trial_court": None,
        },
        "payload": {"note": "被执行人曾于执行中被司法拘留十五日，仍拒不履行。"},
        "deadline": {"kind": "written_response", "due_date": datetime.date(2026, 12, 23),
                     "legal_basis": "Opinions Art. 12 ¶1", "provisional": False},
        # What workflow.cases.letters hands a court's transfer letter about its law (procedure.md §5).
        "law": {"transfer": "Opinions Art. 3", "acceptance": "Opinions Art. 5 ¶1", "filing": "Opinions Art. 5 ¶2",
                "decision_notice": "Opinions Art. 7", "periods": {
                    "filing_review": {"days": 7, "months": None, "basis": "Opinions Art. 5 ¶2", "extended_days": 30},
                    "written_response": {"days": 30, "months": None, "basis": "Opinions Art. 12 ¶1"}}},
        "evidence": [
            {"category": category, "title": title, "sha256": f"{i:02d}" * 32,
             "added_at": datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC)}
            for i, (category, title) in enumerate([
                ("identity", "被执行人身份证复印件"), ("obligation", "（2024）桂0102民初567号民事判决书及生效证明"),
                ("ability", "不动产登记查询结果及转让合同"), ("refusal", "执行通知书送达回证及谈话笔录"),
                ("circumstances", "申请执行人经营损失说明"),
            ])
        ],
        "record": None,
    }



def page_count(pdf: bytes) -> int | None:
    try:
        import pypdf  # noqa: PLC0415 - the test extra
    except ImportError:
        return None
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30, help="warm renders to time (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="renders before timing (default 3)")
    parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])
    parser.add_argument("--out", help="write the PDF here to look at it")
    args = parser.parse_args()

    context = transfer_letter_context()
    cold = []
    for _ in range(max(args.warmup, 1)):
        start = time.perf_counter()
        pdf = render_document_pdf("transfer_letter", context, language=args.language)
        cold.append((time.perf_counter() - start) * 1000)
    warm, cpu = [], []
    for _ in range(args.rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        pdf = render_document_pdf("transfer_letter", context, language=args.language)
        warm.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    if args.out:
        Path(args.out).write_bytes(pdf)

    warm.sort()
    p95 = warm[min(len(warm) - 1, int(round(0.95 * (len(warm) - 1))))]
    median = statistics.median(warm)
    size_kb = len(pdf) / 1024
    pages = page_count(pdf)
    print(f"transfer_letter ({args.language}), {pages if pages is not None else '?'} pages")
    print(f"  first render (fonts, stylesheet): {cold[0]:.0f} ms; other warm-up renders: "
          + (", ".join(f"{t:.0f} ms" for t in cold[1:]) or "none"))
    print(f"  warm, {len(warm)} renders: median {median:.1f} ms, mean {statistics.mean(warm):.1f} ms, "
          f"p95 {p95:.1f} ms, worst {warm[-1]:.1f} ms  (target < {TARGET_MS} ms)")
    print(f"  CPU time per render: median {statistics.median(cpu):.1f} ms  "
          f"(wall time above this means the machine was busy; load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs)")
    print(f"  size: {len(pdf):,} bytes = {size_kb:.1f} KB  (target < {TARGET_KB} KB)")
    print(f"  interpreter: Python {sys.version.split()[0]} ({os.path.realpath(sys._base_executable)}); "
          f"reference loop (2 million additions): {reference_loop_ms():.0f} ms")
    ok = median < TARGET_MS and size_kb < TARGET_KB
    print("  within target" if ok else "  OUTSIDE TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
