"""Benchmark of signing letters and assembling dossiers (not a test).

    .venv/bin/python bench/dossier.py [--materials 40] [--rounds 10]

Signing: renders one transfer letter, then times the PAdES signature with an agency key made by the same code as
`manage.py make_signing_keys`, and the offline check of that signature (what the verification page does).
Dossier: stores `--materials` materials in a scratch media folder (half multi-page PDFs, a third scanned photos,
the rest office files) and five letters, then times `documents.dossier.assemble_dossier` and reports the size.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refusal_cases.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-dossier-"))

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("weasyprint").setLevel(logging.WARNING)

import pikepdf  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
from pyhanko.keys import load_cert_from_pemder  # noqa: E402

from bench.pdf import transfer_letter_context  # noqa: E402
from documents.dossier import DossierEntry, DossierSpec, assemble_dossier  # noqa: E402
from documents.management.commands.make_signing_keys import _agency_p12, _load_or_make_ca  # noqa: E402
from documents.render import render_document_pdf  # noqa: E402
from documents.signing import Pkcs12Signer, check_signature  # noqa: E402


class _Agency:
    pk, name, region_name = 1, "南宁市兴宁区人民法院", "南宁市兴宁区"


def _ms(values):
    return f"median {statistics.median(values) * 1000:.1f} ms, worst {max(values) * 1000:.1f} ms"


def bench_signing(rounds: int) -> None:
    letter = render_document_pdf("transfer_letter", transfer_letter_context())
    folder = Path(tempfile.mkdtemp(prefix="bench-keys-"))
    ca_cert, ca_key = _load_or_make_ca(folder)
    (folder / "agency.p12").write_bytes(_agency_p12(_Agency, ca_cert, ca_key, "bench"))
    settings.DOCUMENT_SIGNING_KEYS = {str(_Agency.pk): {"pkcs12": str(folder / "agency.p12"), "password": "bench"}}
    signer = Pkcs12Signer()
    signer.sign(letter, agency=_Agency, reason="bench", location=_Agency.region_name)  # warm: the key is loaded
    root = load_cert_from_pemder(str(folder / "ca.pem"))
    sign_times, check_times = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        signed = signer.sign(letter, agency=_Agency, reason="bench", location=_Agency.region_name)
        sign_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        assert check_signature(signed, trust_roots=[root]).valid
        check_times.append(time.perf_counter() - start)
    print(f"letter {len(letter) / 1024:.0f} KB, signed {len(signed) / 1024:.0f} KB (RSA-2048, SHA-256, PAdES B-B)")
    print(f"signing: {_ms(sign_times)}; checking offline: {_ms(check_times)}")


def _store(name: str, data: bytes) -> tuple[str, str]:
    return default_storage.save(f"bench/{name}", ContentFile(data)), hashlib.sha256(data).hexdigest()


def _pdf(pages: int) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def _photo(n: int) -> bytes:
    image = Image.new("RGB", (2480, 3508), (250, 250, 245))
    draw = ImageDraw.Draw(image)
    for y in range(200, 3300, 60):  # lines of "text" and noise, as a scan has
        draw.line((200, y, 2280 - (y * n) % 700, y), fill=(30, 30, 30), width=6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def bench_dossier(materials: int) -> None:
    entries = []
    letter = render_document_pdf("transfer_letter", transfer_letter_context())
    for i in range(materials):
        if i % 6 in (0, 2, 4):
            data, name, kind = _pdf(1 + i % 4), f"m{i}.pdf", "application/pdf"
        elif i % 6 in (1, 3):
            data, name, kind = _photo(i), f"m{i}.jpg", "image/jpeg"
        else:
            data, name, kind = b"\xd0\xcf\x11\xe0" + os.urandom(2048), f"m{i}.doc", "application/msword"
        path, digest = _store(name, data)
        entries.append(DossierEntry("material", "拒不履行的行为", f"材料{i}", "韦建华", "2026-11-20", digest, name,
                                    path, kind))
    for i in range(5):
        path, digest = _store(f"l{i}.pdf", letter)
        entries.append(DossierEntry("letter", "文书", f"移送案件函 兴法移〔2026〕{i}号", "南宁市兴宁区人民法院",
                                    "2026-11-20", digest, "l.pdf", path, "application/pdf"))
    spec = DossierSpec("RE2026-450102-0001", "zh-hans", "南宁市兴宁区人民法院",
                       (("案件编号", "RE2026-450102-0001"),), tuple(entries))
    assemble_dossier(spec)  # warm: fonts prepared
    start = time.perf_counter()
    pdf = assemble_dossier(spec)
    elapsed = time.perf_counter() - start
    pages = len(pikepdf.open(io.BytesIO(pdf)).pages)
    print(f"dossier of {materials} materials and 5 letters: {pages} pages, {len(pdf) / 1024 / 1024:.1f} MB, "
          f"{elapsed:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--materials", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    bench_signing(args.rounds)
    bench_dossier(args.materials)


if __name__ == "__main__":
    main()
