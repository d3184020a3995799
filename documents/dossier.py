"""The electronic dossier (卷宗) of a case: one PDF with a cover, a catalogue, every material and letter in order.

This module assembles what it is handed (a `DossierSpec`: the cover's facts and the catalogue's entries, already
filtered by what the reader may see) and caches the result by the hash of its contents; which entries a reader
gets, and in which order, is decided by the caller. Materials keep their PDF pages as they are; images are placed
on A4 pages; other formats, and any material that cannot be read (damaged or encrypted PDF, oversized image, a
stored file that no longer matches its hash), get a page naming the file and its hash and saying why. Each
catalogue entry has one bookmark; every page is stamped with the case number and "page n of N".
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from dataclasses import asdict, dataclass, field
from io import BytesIO
from pathlib import Path

import pikepdf
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from documents.render import document_font_stacks, render_pages

logger = logging.getLogger(__name__)

#: Changes whenever the layout changes, so that a cached dossier of the old layout is not served.
FORMAT_VERSION = 1
#: Images larger than this are not decoded (a decompression bomb, or a scan at a resolution no page needs).
MAX_IMAGE_PIXELS = 60_000_000
#: Images are placed on A4 at no more than this size (300 dpi over the page's text area).
IMAGE_BOX = (2480, 3508)
#: Height of the stamp strip on an A4 page, in points (the strip is scaled to the width of other pages).
STAMP_HEIGHT_PT = 28.35
A4_WIDTH_PT = 595.28
CACHE_FOLDER = "dossiers"


@dataclass(frozen=True)
class DossierEntry:
    """One catalogue entry: a material or a letter, with its stored file (`path`, '' for none)."""

    section: str  # "material" or "letter"
    category: str
    title: str
    added_by: str
    date: str
    sha256: str
    file_name: str
    path: str
    content_type: str


@dataclass(frozen=True)
class DossierSpec:
    """What one reader's dossier contains: the cover's facts (label, value) and the entries in order."""

    case_number: str
    language: str
    reader: str
    cover: tuple[tuple[str, str], ...]
    entries: tuple[DossierEntry, ...]

    def digest(self) -> str:
        """The SHA-256 of the contents: the same materials, letters and facts give the same dossier."""
        data = {"format": FORMAT_VERSION, **asdict(self)}
        return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@dataclass
class _Part:
    """An entry's pages: from its own PDF, or one inserted page (image, other format, or not included)."""

    entry: DossierEntry
    pdf: pikepdf.Pdf | None = None
    insert: dict | None = None
    problem: str = ""
    first_page: int = 0
    page_count: int = 0
    pages: list = field(default_factory=list)


def _read(entry: DossierEntry) -> bytes:
    with default_storage.open(entry.path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != entry.sha256:
        raise ValueError(_("The stored file does not match its recorded SHA-256."))
    return data


def _open_pdf(data: bytes) -> pikepdf.Pdf:
    try:
        pdf = pikepdf.open(BytesIO(data))
    except pikepdf.PasswordError:
        raise ValueError(_("The PDF is encrypted with a password.")) from None
    except pikepdf.PdfError:
        raise ValueError(_("The PDF is damaged and cannot be read.")) from None
    if len(pdf.pages) == 0:
        raise ValueError(_("The PDF has no pages."))
    return pdf


def _image_file(data: bytes, folder: Path, index: int) -> Path:
    """The image made ready for an A4 page (at most 300 dpi, JPEG), written into `folder`."""
    try:
        image = Image.open(BytesIO(data))
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise ValueError(_("The image is too large to place on a page (%(w)s × %(h)s pixels).")
                             % {"w": width, "h": height})
        image.draft("RGB", IMAGE_BOX)
        image = image.convert("RGB")
        image.thumbnail(IMAGE_BOX)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValueError(_("The image is damaged or of a format that cannot be read.")) from None
    path = folder / f"image-{index}.jpg"
    image.save(path, "JPEG", quality=85)
    return path


def _prepare(entry: DossierEntry, folder: Path, index: int) -> _Part:
    part = _Part(entry=entry)
    try:
        if not entry.path:
            raise ValueError(_("The file has not been stored yet."))
        data = _read(entry)
        if entry.content_type == "application/pdf":
            part.pdf = _open_pdf(data)
        elif entry.content_type.startswith("image/"):
            part.insert = {"kind": "image", "src": _image_file(data, folder, index).as_uri()}
        else:
            part.insert = {"kind": "other"}
    except (OSError, ValueError) as exc:
        part.problem = str(exc) if isinstance(exc, ValueError) else _("The stored file cannot be read.")
        part.insert = {"kind": "missing"}
        logger.warning("Dossier entry %r not included: %s", entry.title, part.problem)
    return part


def _css(name: str) -> str:
    return render_to_string(f"documents/dossier/{name}.css", {"fonts": document_font_stacks()})


def _render_front(spec: DossierSpec, parts: list[_Part], generated: str) -> tuple[bytes, int]:
    """Cover and catalogue, laid out until the page ranges they print agree with their own length."""
    front_pages = 1
    for _attempt in range(4):
        page = front_pages
        rows = []
        for number, part in enumerate(parts, start=1):
            first, last = page + 1, page + part.page_count
            rows.append({"number": number, "entry": part.entry, "problem": part.problem,
                         "pages": str(first) if first == last else f"{first}–{last}"})
            page = last
        html = render_to_string("documents/dossier/front.html", {
            "spec": spec, "rows": rows, "generated": generated, "total": page,
            "materials": sum(1 for p in parts if p.entry.section == "material"),
            "letters": sum(1 for p in parts if p.entry.section == "letter"),
            "not_included": [r for r in rows if r["problem"]],
        })
        pdf, _marks = render_pages(html, _css("pages"))
        count = len(pikepdf.open(BytesIO(pdf)).pages)
        if count == front_pages:
            return pdf, count
        front_pages = count
    return pdf, count


def _render_inserts(spec: DossierSpec, parts: list[_Part]) -> pikepdf.Pdf | None:
    """One rendering for every inserted page; each part learns its pages from its bookmark."""
    inserts = [(i, p) for i, p in enumerate(parts) if p.insert is not None]
    if not inserts:
        return None
    html = render_to_string("documents/dossier/inserts.html", {
        "spec": spec, "inserts": [{"mark": f"i{i}", "part": p, "insert": p.insert} for i, p in inserts],
    })
    data, marks = render_pages(html, _css("pages"))
    pdf = pikepdf.open(BytesIO(data))
    starts = [marks[f"i{i}"] for i, _p in inserts] + [len(pdf.pages)]
    for (_i, part), start, end in zip(inserts, starts, starts[1:], strict=False):
        part.pages = list(pdf.pages[start:end])
    return pdf


def _stamp(out: pikepdf.Pdf, spec: DossierSpec) -> pikepdf.Pdf:
    """The case number and "page n of N" at the head of every page; returns the strips' PDF, which must stay
    open until `out` is saved (its streams are copied then)."""
    total = len(out.pages)
    html = render_to_string("documents/dossier/stamps.html", {"spec": spec, "numbers": range(1, total + 1),
                                                              "total": total})
    data, _marks = render_pages(html, _css("stamps"))
    strips = pikepdf.open(BytesIO(data))
    for page, strip in zip(out.pages, strips.pages, strict=False):
        page.add_overlay(out.copy_foreign(strip.as_form_xobject()), _head_of(page))
    return strips


def _head_of(page: pikepdf.Page) -> pikepdf.Rectangle:
    """The strip at the head of the page as it is shown: for a page turned by /Rotate, along the edge that is shown
    on top (the overlay is turned with the page, so that the stamp reads upright)."""
    left, bottom, right, top = (float(v) for v in page.mediabox)
    rotation = int(page.obj.get("/Rotate", 0)) % 360
    shown_width = (top - bottom) if rotation in (90, 270) else (right - left)
    height = STAMP_HEIGHT_PT * shown_width / A4_WIDTH_PT
    return {
        90: pikepdf.Rectangle(left, bottom, left + height, top),
        180: pikepdf.Rectangle(left, bottom, right, bottom + height),
        270: pikepdf.Rectangle(right - height, bottom, right, top),
    }.get(rotation, pikepdf.Rectangle(left, top - height, right, top))


def assemble_dossier(spec: DossierSpec) -> bytes:
    """The dossier of `spec` as PDF bytes."""
    with translation.override(spec.language), tempfile.TemporaryDirectory(prefix="dossier-") as tmp:
        parts = [_prepare(entry, Path(tmp), i) for i, entry in enumerate(spec.entries)]
        inserts = _render_inserts(spec, parts)
        for part in parts:
            part.page_count = len(part.pdf.pages) if part.pdf is not None else len(part.pages)
        generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        front, _front_count = _render_front(spec, parts, generated)
        out = pikepdf.new()
        front_pdf = pikepdf.open(BytesIO(front))
        out.pages.extend(front_pdf.pages)
        for part in parts:
            part.first_page = len(out.pages)
            out.pages.extend(part.pdf.pages if part.pdf is not None else part.pages)
        strips = _stamp(out, spec)
        with out.open_outline() as outline:
            outline.root.extend(
                pikepdf.OutlineItem(f"{n}. {part.entry.title}", part.first_page)
                for n, part in enumerate(parts, start=1)
            )
        out.docinfo["/Title"] = f"{spec.case_number} {_('Electronic dossier')}"
        buffer = BytesIO()
        out.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        # The sources stay open until here: their streams are copied when `out` is saved.
        del inserts, front_pdf, strips, parts
        return buffer.getvalue()


def cached_dossier(spec: DossierSpec) -> tuple[str, bytes]:
    """The dossier of `spec` from the cache (by the hash of its contents), assembled and stored when missing;
    returns (digest, PDF bytes)."""
    digest = spec.digest()
    name = f"{CACHE_FOLDER}/{digest}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return digest, handle.read()
    pdf = assemble_dossier(spec)
    stored = default_storage.save(name, ContentFile(pdf))
    if stored != name:  # another worker stored the same dossier meanwhile: keep one copy
        default_storage.delete(stored)
    return digest, pdf


def dossier_is_cached(spec: DossierSpec) -> bool:
    return default_storage.exists(f"{CACHE_FOLDER}/{spec.digest()}.pdf")
