"""Reading the text of an evidence material: a PDF's own text layer, and text recognition (OCR) of its scanned pages
and of images, with Tesseract's Simplified Chinese and English models (Debian: tesseract-ocr-chi-sim; PDF pages
are read and rasterised with poppler-utils). The file is only read, never altered: the text is kept beside it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from PIL import Image, UnidentifiedImageError

#: Images above this many pixels are not read (a decompression bomb, or a scan larger than any page).
MAX_IMAGE_PIXELS = 60_000_000
#: A page whose own text layer has fewer characters than this is treated as a scan and read by OCR.
MIN_TEXT_CHARS = 8
OCR_DPI = 300
TIMEOUT_SECONDS = 180
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])")


class TextUnreadable(Exception):
    """The material's text cannot be read (damaged or encrypted file, OCR missing or failing)."""


class NoTextFormat(Exception):
    """A format that carries no text this module reads (office files are searched by their title only)."""


@dataclass(frozen=True)
class MaterialTextResult:
    text: str
    pages: int
    ocr_pages: int


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, capture_output=True, timeout=TIMEOUT_SECONDS, check=True, **kwargs)  # noqa: S603
    except FileNotFoundError:
        raise TextUnreadable(f"{args[0]} is not installed.") from None
    except subprocess.TimeoutExpired:
        raise TextUnreadable(f"{args[0]} took longer than {TIMEOUT_SECONDS} s.") from None
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.decode(errors="replace").strip().splitlines()
        raise TextUnreadable(f"{args[0]} failed: {message[-1] if message else exc.returncode}") from None


def _tidy(text: str) -> str:
    """Tesseract spaces Chinese characters apart; join them again, keep line breaks."""
    return "\n".join(_CJK_GAP.sub("", line).strip() for line in text.splitlines() if line.strip())


def recognise_image(path: Path) -> str:
    languages = getattr(settings, "OCR_LANGUAGES", "chi_sim+eng")
    return _tidy(_run(["tesseract", str(path), "stdout", "-l", languages, "--psm", "3"]).stdout.decode())


def _pdf_text(data: bytes, folder: Path) -> MaterialTextResult:
    source = folder / "material.pdf"
    source.write_bytes(data)
    layer = _run(["pdftotext", "-enc", "UTF-8", str(source), "-"]).stdout.decode(errors="replace")
    pages = layer.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    texts, ocr_pages = [], 0
    for number, page_text in enumerate(pages, start=1):
        if len(page_text.strip()) >= MIN_TEXT_CHARS:
            texts.append(page_text.strip())
            continue
        prefix = folder / f"page-{number}"
        _run(["pdftoppm", "-r", str(OCR_DPI), "-gray", "-png", "-singlefile", "-f", str(number), "-l", str(number),
              str(source), str(prefix)])
        texts.append(recognise_image(prefix.with_suffix(".png")))
        ocr_pages += 1
    return MaterialTextResult(text="\n\n".join(t for t in texts if t), pages=len(pages), ocr_pages=ocr_pages)


def _image_text(data: bytes, folder: Path) -> MaterialTextResult:
    try:
        image = Image.open(BytesIO(data))
        if image.size[0] * image.size[1] > MAX_IMAGE_PIXELS:
            raise TextUnreadable(f"The image is too large to read ({image.size[0]} × {image.size[1]} pixels).")
        path = folder / "image.png"
        image.convert("L").save(path, "PNG")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise TextUnreadable("The image is damaged or of a format that cannot be read.") from None
    return MaterialTextResult(text=recognise_image(path), pages=1, ocr_pages=1)


def read_material_text(data: bytes, content_type: str) -> MaterialTextResult:
    """The text of a material's bytes; TextUnreadable or NoTextFormat when there is none to read."""
    with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        folder = Path(tmp)
        if content_type == "application/pdf":
            return _pdf_text(data, folder)
        if content_type.startswith("image/"):
            return _image_text(data, folder)
    raise NoTextFormat(content_type)


def ocr_available() -> bool:
    return all(shutil.which(tool) for tool in ("tesseract", "pdftotext", "pdftoppm"))
