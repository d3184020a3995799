"""Materials made in the test the way users bring them (PDFs with text, scans, office files, broken files), and
a reader of the dossier a user downloads: its pages' text, bookmarks and stamps."""

import io
import re
from dataclasses import dataclass

import pikepdf
import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from tests.documents.helpers import response_bytes, squeeze


def text_pdf(label: str, pages: int = 1, rotate: int = 0) -> bytes:
    """A PDF whose every page says `label pN` (Helvetica, extractable), turned by `rotate` degrees when shown."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    for n in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(f"BT /F1 20 Tf 72 600 Td ({label} p{n}) Tj ET".encode())
        if rotate:
            page.Rotate = rotate
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    pdf = pikepdf.open(io.BytesIO(text_pdf("SECRET")))
    buffer = io.BytesIO()
    pdf.save(buffer, encryption=pikepdf.Encryption(user="open-sesame", owner="owner", R=4))
    return buffer.getvalue()


def photo(size=(1200, 1600)) -> bytes:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle((100, 100, size[0] - 100, size[1] - 100), outline="black", width=8)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def huge_image() -> bytes:
    """81 million pixels: a scan no page needs, small on disk (one bit per pixel, one colour)."""
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000), 1).save(buffer, "PNG")
    return buffer.getvalue()


def office_file() -> bytes:
    """An old Word file, as the upload check recognises it by its OLE2 signature."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@dataclass
class Dossier:
    pages: list[str]  # each page's text, whitespace removed
    bookmarks: list[tuple[str, int]]  # (title, page index)

    @property
    def total(self) -> int:
        return len(self.pages)


def read_dossier(response) -> Dossier:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    data = response_bytes(response)
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [squeeze(page.extract_text()) for page in reader.pages]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        index = {page.objgen: i for i, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            bookmarks = [(item.title, index[item.destination[0].objgen]) for item in outline.root]
    return Dossier(pages=pages, bookmarks=bookmarks)


def stamp_of(page_text: str) -> tuple[int, int] | None:
    found = re.search(r"第(\d+)页/共(\d+)页", page_text)
    return (int(found.group(1)), int(found.group(2))) if found else None
