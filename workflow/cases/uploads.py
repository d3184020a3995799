"""Checks on uploaded files: the content decides what a file is, never its name or the browser's word."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Evidence arrives as scans, photos and office documents.
ALLOWED_MIME = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/tiff": "tif",
    "image/bmp": "bmp",
    "image/heic": "heic",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/rtf": "rtf",
}
# OLE2 compound files (old .doc/.xls/.ppt) start with this signature; filetype names them by guesswork.
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(file) -> str | None:
    """The MIME type read from the file's first bytes, or None when it is not an allowed kind."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ALLOWED_MIME:
        return kind.mime
    if head.startswith(OLE2_SIGNATURE):
        return "application/msword"
    return None


def validate_upload(file, *, field: str = "file") -> str:
    """Size and content checks; returns the sniffed MIME type or raises a 400 naming the field."""
    if file is None:
        raise ValidationError({field: [_("No file was submitted.")]})
    if file.size == 0:
        raise ValidationError({field: [_("The file is empty.")]})
    if file.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError({field: [_("The file is larger than the limit of %(mb)s MB.")
                                       % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}]})
    mime = sniff(file)
    if mime is None:
        raise ValidationError({field: [_("Only PDF, image and office documents are accepted; this file's content "
                                         "is none of them.")]})
    return mime
