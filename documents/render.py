"""Turn an issued document into PDF bytes.

This module only renders: it receives a plain context dict (built by the caller from the case,
the transition payload, the deadline and the verification record) and returns HTML or PDF.
Numbering, storage, hashing and verification live elsewhere (`numbering.py`, `verification.py`).

The wording of every document lives in the templates `documents/{language}/{kind}.html`;
this module adds only language-neutral display values (dates, amounts, the QR code) under
the `display` key, so that the templates stay free of arithmetic.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

#: The document kinds of procedure.md §5, letter for letter, in the order of the procedure.
DOCUMENT_KINDS: tuple[str, ...] = (
    "transfer_letter",
    "execution_explanation",
    "evidence_list",
    "registration_form",
    "acknowledgment",
    "filing_decision",
    "non_filing_notice",
    "withdrawal_notice",
    "supervision_request",
    "explanation_request",
    "police_explanation",
    "filing_order",
    "private_prosecution_notice",
    "private_acceptance_notice",
    "locate_request_letter",
    "obstruction_referral_letter",
)

#: Template folders that exist; any other requested language falls back to the first.
LANGUAGES: tuple[str, ...] = ("zh-hans", "en")

_ZH_DIGITS = "〇一二三四五六七八九"
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Building the font configuration scans fontconfig once; reusing it changes nothing in the output.
_font_config = None


def _get_font_config():
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def template_language(language: str | None) -> str:
    """Map a user's language code to a template folder: English or (by default) Simplified Chinese."""
    code = (language or "").strip().lower().replace("_", "-")
    if code == "en" or code.startswith("en-"):
        return "en"
    return "zh-hans"


def qr_svg(url: str) -> str:
    """The verification URL as an inline SVG QR code (no file, no XML declaration).

    The size is left to CSS (`omitsize`), so the footer decides how large it prints.
    """
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff")


def _as_date(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _zh_number(n: int) -> str:
    """1..31 in Chinese numerals as written in dates: 十, 十一, 二十三, 三十一."""
    tens, units = divmod(n, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else _ZH_DIGITS[tens]) + "十"
    if units or not tens:
        text += _ZH_DIGITS[units]
    return text


def format_date(value: Any, language: str) -> str:
    """A date as an official document writes it: 二〇二六年十一月二十三日 / 23 November 2026."""
    day = _as_date(value)
    if day is None:
        return ""
    if language == "en":
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    year = "".join(_ZH_DIGITS[int(c)] for c in f"{day.year:04d}")
    return f"{year}年{_zh_number(day.month)}月{_zh_number(day.day)}日"


def format_datetime(value: Any) -> str:
    """A timestamp for tables (evidence added at): 2026-11-20 10:31, local time."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    day = _as_date(value)
    return day.isoformat() if day else ""


def format_amount(value: Any) -> str:
    """Yuan with thousands separators and two decimals: 1,250,000.00. Empty when unknown."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return ""
    return f"{amount:,.2f}"


def _is_positive(value: Any) -> bool:
    try:
        return value is not None and value != "" and Decimal(str(value)) > 0
    except (InvalidOperation, ValueError):
        return False


def _display_values(context: dict, language: str) -> dict:
    case = context.get("case") or {}
    deadline = context.get("deadline") or {}
    evidence = context.get("evidence") or []
    verify_url = context.get("verify_url") or ""
    return {
        "issued_at": format_date(context.get("issued_at"), language),
        "due_date": format_date(deadline.get("due_date"), language) if deadline else "",
        "amount_owed": format_amount(case.get("amount_owed")),
        "amount_recovered": format_amount(case.get("amount_recovered")),
        "has_recovered": _is_positive(case.get("amount_recovered")),
        "evidence_added_at": [format_datetime(item.get("added_at")) for item in evidence],
        # segno's output carries only the encoded modules, no user text: safe to inline.
        "qr": mark_safe(qr_svg(verify_url)) if verify_url else "",  # noqa: S308
    }


def render_document_html(kind: str, context: dict, *, language: str = "zh-hans") -> str:
    """The document as a self-contained HTML page (inline CSS and QR code).

    All values from `context` are autoescaped by the template engine.
    """
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"Unknown document kind: {kind!r}")
    lang = template_language(language)
    data = dict(context)
    data["kind"] = kind
    data["language"] = lang
    data["display"] = _display_values(context, lang)
    # Pair each evidence item with its display timestamp for the evidence list table.
    data["evidence_rows"] = list(zip(context.get("evidence") or [], data["display"]["evidence_added_at"], strict=True))
    return render_to_string(f"documents/{lang}/{kind}.html", data)


def render_document_pdf(
    kind: str, context: dict, *, language: str = "zh-hans", base_url: str | None = None
) -> bytes:
    """The document as A4 PDF bytes, with the Noto CJK fonts subset and embedded."""
    from weasyprint import HTML

    html = render_document_html(kind, context, language=language)
    return HTML(string=html, base_url=base_url).write_pdf(font_config=_get_font_config())
