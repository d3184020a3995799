"""Turn an issued document into PDF bytes.

This module only renders: it receives a plain context dict (built by the caller from the case,
the transition payload, the deadline and the verification record) and returns HTML or PDF.
Numbering, storage, hashing and verification live elsewhere (`numbering.py`, `verification.py`).

The wording of every document lives in the templates `documents/{language}/{kind}.html`;
this module adds only language-neutral display values (dates, amounts, the QR code) under
the `display` key, so that the templates stay free of arithmetic.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import datetime
import hashlib
import logging
import os
import subprocess
import tempfile
import threading
import zlib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from documents.amounts import yuan
from documents.wording import law_words, quoted_reason
from procedure.basis import WRITTEN_CHARACTERS
from procedure.letters import DocumentKind

#: The document kinds of procedure.md §5, letter for letter, in the order of the procedure.
DOCUMENT_KINDS: tuple[str, ...] = tuple(DocumentKind.values)

#: Template folders that exist; any other requested language falls back to the first.
LANGUAGES: tuple[str, ...] = ("zh-hans", "en")

logger = logging.getLogger(__name__)

_ZH_DIGITS = "〇一二三四五六七八九"
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Building the font configuration scans fontconfig once; reusing it changes nothing in the output.
_font_config = None
_fonts_lock = threading.Lock()
#: (the @font-face rules, the CSS font-family lists) of the cut-down fonts, once prepared.
_document_fonts: tuple[str, dict[str, str]] | None = None
_render_lock = threading.Lock()
_stylesheet_cache: dict[str, tuple[str, Any, Any]] = {}


def _get_font_config():
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


@atexit.register
def _drop_font_config() -> None:
    """Let the font configuration remove its temporary folder while the interpreter is still whole."""
    global _font_config
    _stylesheet_cache.clear()
    _font_config = None


# --- Document fonts -------------------------------------------------------------------------
#
# The Noto CJK fonts come as collections of 20-27 MB. WeasyPrint reads the whole collection and
# subsets it for every face it embeds (about 100 ms and 115 KB per face, whatever the text).
# So, once per machine, each face the documents use is cut down with HarfBuzz into three small
# fonts, offered to WeasyPrint through @font-face under family names of their own:
#   1. "... Doc": the characters of the documents' fixed wording (read from the templates and the
#      code that writes dates and legal citations), Latin and punctuation, about 1,100 glyphs;
#   2. "... Doc Common": the rest of GB 2312 level 1 (the 3,755 common characters);
#   3. "... Doc Rare": GB 2312 level 2.
# WeasyPrint keeps glyph ids when it embeds a subset, so an embedded font costs time and bytes in
# proportion to the glyph count of the font it was cut from, not to the glyphs used: a typical
# letter embeds about 1,100 + 3,500 slots per face instead of 13,700 (bench/pdf.py: -17 ms, -80 KB;
# level 2 is embedded only when a character of it is used). The CSS names
# the three in that order and then the installed family, so a character outside all of them (a
# rare character in a name) is still drawn by the full installed font. If anything here fails,
# the documents simply use the installed fonts.

#: (family installed on the system, weight, the cut-down fonts made of it)
_DOC_FACES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Noto Serif CJK SC", "normal", ("core", "common", "rare")),
    ("Noto Serif CJK SC", "bold", ("core", "common", "rare")),
    ("Noto Sans CJK SC", "normal", ("core", "common", "rare")),
    ("Noto Sans Mono CJK SC", "normal", ("ascii",)),
)
#: The family name under which each cut-down font is offered to the CSS.
#: (No name may end in a number: Pango would write it with a comma into the PDF's font name.)
_TIER_SUFFIX = {"core": " Doc", "ascii": " Doc", "common": " Doc Common", "rare": " Doc Rare"}
#: Generic CSS family after each installed family.
_GENERIC = {"Noto Serif CJK SC": "serif", "Noto Sans CJK SC": "sans-serif", "Noto Sans Mono CJK SC": "monospace"}
_CHARSET_VERSION = "tiers-1"


def _gb2312(first_bytes: range) -> set[int]:
    codes = set()
    for first in first_bytes:
        for second in range(0xA1, 0xFF):
            try:
                codes.add(ord(bytes((first, second)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return codes


def _fixed_wording() -> set[int]:
    """Every non-ASCII character the documents write whatever the case: the templates' wording, the dates
    (二〇二六年十一月二十三日) and the legal citations (《意见》第5条第2款)."""
    folder = Path(settings.BASE_DIR) / "templates" / "documents"
    codes = {ord(c) for c in _ZH_DIGITS + "十年月日" + WRITTEN_CHARACTERS}
    for path in sorted(folder.rglob("*")):
        if path.suffix in {".html", ".css"}:
            codes.update(ord(c) for c in path.read_text(encoding="utf-8") if ord(c) >= 0x80)
    return codes


def _charset(name: str) -> list[int]:
    ascii_codes = set(range(0x20, 0x7F))
    if name == "ascii":
        return sorted(ascii_codes)
    core = ascii_codes | set(range(0xA0, 0x180))  # Latin-1 and Latin Extended-A
    for start, end in (
        (0x2000, 0x206F),  # general punctuation
        (0x2100, 0x218F),  # letterlike symbols, number forms
        (0x2460, 0x24FF),  # circled numbers
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0xFF00, 0xFFEF),  # full-width forms
    ):
        core.update(range(start, end + 1))
    core |= _fixed_wording()
    if name == "core":
        return sorted(core)
    # Every font keeps ASCII and the spaces: Pango draws a space (and a digit between two characters) in the
    # font of the text around it, which would otherwise show an empty box.
    shared = ascii_codes | {0xA0, 0x3000}
    if name == "common":
        return sorted((_gb2312(range(0xB0, 0xD8)) - core) | shared)  # level 1: rows 16-55
    if name == "rare":
        return sorted((_gb2312(range(0xD8, 0xF8)) - core) | shared)  # level 2: rows 56-87
    raise ValueError(f"Unknown character set: {name!r}")


def _font_cache_dirs() -> list[Path]:
    """Where the cut-down fonts may be kept, best first (settings.DOCUMENT_FONT_CACHE_DIR wins)."""
    configured = getattr(settings, "DOCUMENT_FONT_CACHE_DIR", None)
    if configured:
        return [Path(configured)]
    home_cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return [
        Path(home_cache) / "refusal_cases" / "fonts",
        Path(tempfile.gettempdir()) / f"refusal_cases-fonts-{uid}",
    ]


def _usable_dir(path: Path) -> bool:
    """Create the folder if needed; only ever use one that belongs to us (fonts get parsed)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return not hasattr(os, "getuid") or path.stat().st_uid == os.getuid()
    except OSError:
        return False


def _installed_face(family: str, weight: str) -> tuple[str, int] | None:
    """The file and collection index fontconfig picks for an installed family, if it is that family."""
    pattern = f"{family}:weight={'bold' if weight == 'bold' else 'regular'}"
    try:
        result = subprocess.run(  # noqa: S603
            ["fc-match", "--format=%{file}\\n%{index}\\n%{family}\\n%{weight}", pattern],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = result.stdout.split("\n")
    if len(lines) < 4 or family not in lines[2].split(","):
        return None
    # fontconfig weights: 80 regular, 200 bold; a missing bold face must not stand in as regular or vice versa.
    try:
        is_bold = float(lines[3]) >= 180
        index = int(lines[1] or 0)
    except ValueError:
        return None
    if is_bold != (weight == "bold"):
        return None
    return lines[0], index


#: hb_subset_sets_t values (hb-subset.h).
_HB_SUBSET_SETS_UNICODE = 1
_HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6

#: The OpenType features kept in the cut-down fonts: those that shape horizontal Simplified Chinese and Latin
#: text. Leaving out vertical forms and other languages' local forms (vert, vrt2, locl) keeps the glyphs those
#: would reach out of the font: about 8,000 glyphs instead of 13,700, which halves the work and the size of
#: every embedded subset (WeasyPrint keeps glyph ids, so an embedded subset has as many slots as the font).
_LAYOUT_FEATURES = ("ccmp", "liga", "calt", "kern", "mark", "mkmk")


def _subset_with_harfbuzz(source: str, index: int, codes: list[int]) -> bytes | None:
    """Cut one face of a font file down to `codes` with libharfbuzz-subset (keeps layout tables)."""
    try:
        hb = ctypes.CDLL(ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0")
        hbs = ctypes.CDLL(ctypes.util.find_library("harfbuzz-subset") or "libharfbuzz-subset.so.0")
    except OSError:
        return None
    ptr = ctypes.c_void_p
    hb.hb_blob_create_from_file.restype = ptr
    hb.hb_blob_create_from_file.argtypes = [ctypes.c_char_p]
    hb.hb_face_create.restype = ptr
    hb.hb_face_create.argtypes = [ptr, ctypes.c_uint]
    hb.hb_set_add.argtypes = [ptr, ctypes.c_uint32]
    hb.hb_face_reference_blob.restype = ptr
    hb.hb_face_reference_blob.argtypes = [ptr]
    hb.hb_blob_get_data.restype = ctypes.POINTER(ctypes.c_char)
    hb.hb_blob_get_data.argtypes = [ptr, ctypes.POINTER(ctypes.c_uint)]
    hb.hb_blob_destroy.argtypes = [ptr]
    hb.hb_face_destroy.argtypes = [ptr]
    hbs.hb_subset_input_create_or_fail.restype = ptr
    hb.hb_set_clear.argtypes = [ptr]
    hb.hb_tag_from_string.restype = ctypes.c_uint32
    hb.hb_tag_from_string.argtypes = [ctypes.c_char_p, ctypes.c_int]
    hbs.hb_subset_input_set.restype = ptr
    hbs.hb_subset_input_set.argtypes = [ptr, ctypes.c_int]
    hbs.hb_subset_input_set_flags.argtypes = [ptr, ctypes.c_uint]
    hbs.hb_subset_input_destroy.argtypes = [ptr]
    hbs.hb_subset_or_fail.restype = ptr
    hbs.hb_subset_or_fail.argtypes = [ptr, ptr]

    blob = hb.hb_blob_create_from_file(source.encode())
    face = hb.hb_face_create(blob, index)
    subset_input = hbs.hb_subset_input_create_or_fail()
    if not subset_input:
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
        return None
    unicodes = hbs.hb_subset_input_set(subset_input, _HB_SUBSET_SETS_UNICODE)
    for code in codes:
        hb.hb_set_add(unicodes, code)
    features = hbs.hb_subset_input_set(subset_input, _HB_SUBSET_SETS_LAYOUT_FEATURE_TAG)
    hb.hb_set_clear(features)
    for tag in _LAYOUT_FEATURES:
        hb.hb_set_add(features, hb.hb_tag_from_string(tag.encode(), -1))
    hbs.hb_subset_input_set_flags(subset_input, 0x1)  # HB_SUBSET_FLAGS_NO_HINTING
    subset = hbs.hb_subset_or_fail(face, subset_input)
    data = None
    if subset:
        out_blob = hb.hb_face_reference_blob(subset)
        length = ctypes.c_uint()
        start = hb.hb_blob_get_data(out_blob, ctypes.byref(length))
        if length.value:
            data = ctypes.string_at(start, length.value)
        hb.hb_blob_destroy(out_blob)
        hb.hb_face_destroy(subset)
    hbs.hb_subset_input_destroy(subset_input)
    hb.hb_face_destroy(face)
    hb.hb_blob_destroy(blob)
    return data


def _prepared_face(source: str, index: int, codes: list[int], cache_dirs: list[Path]) -> Path | None:
    stat = os.stat(source)
    digest = hashlib.sha256(",".join(map(str, codes)).encode()).hexdigest()
    key = f"{source}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{digest}|{_CHARSET_VERSION}"
    name = f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.otf"
    data = None
    for cache_dir in cache_dirs:
        target = cache_dir / name
        if target.is_file() and target.stat().st_size > 0:
            return target
        if not _usable_dir(cache_dir):
            continue
        if data is None:
            data = _subset_with_harfbuzz(source, index, codes)
            if not data:
                return None
        partial = cache_dir / f"{name}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            partial.write_bytes(data)
            os.replace(partial, target)  # atomic: a concurrent renderer sees the whole file or none
        except OSError:
            partial.unlink(missing_ok=True)
            continue
        return target
    return None


def _prepare_document_fonts() -> tuple[list[str], dict[str, list[str]]]:
    """The @font-face rules of the cut-down fonts, and the CSS families prepared for each installed family."""
    cache_dirs = _font_cache_dirs()
    charsets = {tier: _charset(tier) for _, _, tiers in _DOC_FACES for tier in tiers}
    # (installed family, CSS family) -> weight -> prepared file, or None
    faces: dict[tuple[str, str], dict[str, Path | None]] = {}
    for installed_family, weight, tiers in _DOC_FACES:
        found = _installed_face(installed_family, weight)
        for tier in tiers:
            path = None
            if found is not None:
                path = _prepared_face(found[0], found[1], charsets[tier], cache_dirs)
            if path is None:
                logger.warning(
                    "Document font %s (%s, %s) not prepared; using the installed font.", installed_family, weight, tier
                )
            faces.setdefault((installed_family, installed_family + _TIER_SUFFIX[tier]), {})[weight] = path
    rules: list[str] = []
    prepared: dict[str, list[str]] = {}
    for (installed_family, css_family), paths in faces.items():
        if None in paths.values():
            continue  # offered in some weights only, bold text would be drawn from the regular face
        prepared.setdefault(installed_family, []).append(css_family)
        rules += [
            f'@font-face {{ font-family: "{css_family}"; font-weight: {weight}; src: url("{path.resolve().as_uri()}"); }}'
            for weight, path in paths.items()
        ]
    return rules, prepared


#: The CSS font-family lists the stylesheet uses, by name, and the installed family each starts from.
_STACKS = {"serif": "Noto Serif CJK SC", "sans": "Noto Sans CJK SC", "mono": "Noto Sans Mono CJK SC"}


def _ensure_document_fonts() -> tuple[str, dict[str, str]]:
    global _document_fonts
    with _fonts_lock:
        if _document_fonts is None:
            try:
                rules, prepared = _prepare_document_fonts()
            except Exception:  # a font cache problem must never stop a document from being issued
                logger.exception("Preparing document fonts failed; using the installed fonts.")
                rules, prepared = [], {}
            stacks = {}
            for key, installed_family in _STACKS.items():
                names = [*prepared.get(installed_family, []), installed_family]
                stack = ", ".join(f'"{name}"' for name in names) + f", {_GENERIC[installed_family]}"
                stacks[key] = mark_safe(stack)  # noqa: S308 - our own family names, never user text
            _document_fonts = ("\n".join(rules), stacks)
        return _document_fonts


def document_font_faces_css() -> str:
    """The @font-face rules for the cut-down document fonts ('' when they cannot be prepared)."""
    return _ensure_document_fonts()[0]


def document_font_stacks() -> dict[str, str]:
    """The CSS font-family lists (`serif`, `sans`, `mono`): the cut-down fonts first, then the installed family."""
    return _ensure_document_fonts()[1]


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
    """An amount as the pages write it too: ¥1,250,000.00 (documents.amounts). Empty when unknown."""
    return yuan(value)


def _is_positive(value: Any) -> bool:
    try:
        return value is not None and value != "" and Decimal(str(value)) > 0
    except (InvalidOperation, ValueError):
        return False


def _paragraphs(text: Any) -> list[str]:
    """Free text as paragraphs: one per non-blank line, so each gets its own first-line indent."""
    if not text:
        return []
    return [line.strip() for line in str(text).splitlines() if line.strip()]


def _display_values(context: dict, language: str) -> dict:
    case = context.get("case") or {}
    payload = context.get("payload") or {}
    record = context.get("record") or {}
    deadline = context.get("deadline") or {}
    evidence = context.get("evidence") or []
    verify_url = context.get("verify_url") or ""
    return {
        "paras": {
            "summary": _paragraphs(case.get("summary")),
            "jurisdiction_reason": _paragraphs(case.get("jurisdiction_reason")),
            "reason": _paragraphs(quoted_reason(payload.get("reason"))),
            "note": _paragraphs(payload.get("note")),
            "explanation": _paragraphs(payload.get("explanation")),
            "terms": _paragraphs(payload.get("terms")),
            "conduct": _paragraphs(record.get("conduct")),
            "record_note": _paragraphs(record.get("note")),
        },
        "reason": quoted_reason(payload.get("reason")),
        "law": law_words(context.get("law"), language),
        "issued_at": format_date(context.get("issued_at"), language),
        "due_date": format_date(deadline.get("due_date"), language) if deadline else "",
        "amount_owed": format_amount(case.get("amount_owed")),
        "amount_recovered": format_amount(case.get("amount_recovered")),
        "has_recovered": _is_positive(case.get("amount_recovered")),
        "evidence_added_at": [format_datetime(item.get("added_at")) for item in evidence],
        # segno's output carries only the encoded modules, no user text: safe to inline.
        "qr": mark_safe(qr_svg(verify_url)) if verify_url else "",  # noqa: S308
        # Our own file URLs, never user text.
        "font_css": mark_safe(document_font_faces_css()),  # noqa: S308
    }


def _render_html(kind: str, context: dict, language: str, *, inline_css: bool) -> str:
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"Unknown document kind: {kind!r}")
    lang = template_language(language)
    data = dict(context)
    data["kind"] = kind
    data["language"] = lang
    data["inline_css"] = inline_css
    data["display"] = _display_values(context, lang)
    data["fonts"] = document_font_stacks()
    # Each evidence item paired with its display timestamp, for the evidence list table.
    data["evidence_rows"] = list(zip(context.get("evidence") or [], data["display"]["evidence_added_at"], strict=True))
    return render_to_string(f"documents/{lang}/{kind}.html", data)


def render_document_html(kind: str, context: dict, *, language: str = "zh-hans") -> str:
    """The document as a self-contained HTML page (inline CSS and QR code).

    All values from `context` are autoescaped by the template engine. Unknown kind: ValueError.
    """
    return _render_html(kind, context, language, inline_css=True)


def _stylesheet(font_config):
    """The shared stylesheet, parsed once per content and font configuration (parsing costs ~30 ms)."""
    from weasyprint import CSS

    text = document_font_faces_css() + "\n" + render_to_string("documents/base.css", {"fonts": document_font_stacks()})
    cached = _stylesheet_cache.get("sheet")
    if cached is None or cached[0] != text or cached[1] is not font_config:
        cached = (text, font_config, CSS(string=text, font_config=font_config))
        _stylesheet_cache["sheet"] = cached
    return cached[2]


#: zlib level for the PDF's streams. WeasyPrint's PDF writer uses level 9, which spends about 25 ms of a two-page
#: letter's render compressing the embedded fonts; level 1 takes a fifth of that for 4 KB more (bench/pdf.py).
STREAM_COMPRESSION_LEVEL = 1


def _compress_streams(_document, pdf) -> None:
    """WeasyPrint finisher: deflate every stream meant to be compressed at STREAM_COMPRESSION_LEVEL.

    The stream then carries its bytes already deflated with the /FlateDecode filter, and the writer leaves it as is.
    """
    import pydyf

    to_bytes = getattr(pydyf, "_to_bytes", None)
    if to_bytes is None:  # another pydyf: keep its own compression
        return
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress and "Filter" not in obj.extra:
            raw = b"\n".join(to_bytes(item) for item in obj.stream)
            compressor = zlib.compressobj(level=STREAM_COMPRESSION_LEVEL)
            obj.stream = [compressor.compress(raw) + compressor.flush()]
            obj.extra["Filter"] = "/FlateDecode"
            obj.compress = False


def render_document_pdf(kind: str, context: dict, *, language: str = "zh-hans", base_url: str | None = None) -> bytes:
    """The document as A4 PDF bytes, with the Noto CJK fonts subset and embedded.

    The same page as `render_document_html`, with the stylesheet supplied pre-parsed.
    """
    from weasyprint import HTML

    html = _render_html(kind, context, language, inline_css=False)
    # The font configuration and the parsed stylesheet are shared, and Pango's font map is not
    # meant for concurrent use: one document at a time per process.
    with _render_lock:
        font_config = _get_font_config()
        return HTML(string=html, base_url=base_url).write_pdf(
            font_config=font_config, stylesheets=[_stylesheet(font_config)], finisher=_compress_streams
        )


def render_pages(html: str, css: str) -> tuple[bytes, dict[str, int]]:
    """Pages of our own other than letters (the dossier's cover, catalogue, inserted pages and page stamps) as PDF
    bytes with the document fonts, and the page index at which each bookmark label (CSS `bookmark-label`) stands."""
    from weasyprint import CSS, HTML

    marks: dict[str, int] = {}

    def walk(tree) -> None:
        for label, (page, _x, _y), children, _state in tree:
            marks.setdefault(label, page)
            walk(children)

    with _render_lock:
        font_config = _get_font_config()
        sheet = CSS(string=document_font_faces_css() + "\n" + css, font_config=font_config)
        document = HTML(string=html).render(font_config=font_config, stylesheets=[sheet])
        walk(document.make_bookmark_tree())
        return document.write_pdf(finisher=_compress_streams), marks


def warm_up() -> None:
    """Do in advance what a process's first document otherwise pays for (about a second): the font configuration,
    the faces of the cut-down fonts opened by Pango, the stylesheet parsed. A rendering worker calls it when its
    process starts (documents.tasks), so that no issued letter waits for it."""
    with _render_lock:
        _stylesheet(_get_font_config())
    render_pages("<p>文书 Document 〔2026〕1号</p><p><b>文书 Document</b></p>", "")
