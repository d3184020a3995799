"""Checks on uploaded files: the content decides what a file is, never its name or the browser's word."""

import io

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
    if mime == "application/pdf" and (active := pdf_active_content(file)):
        raise ValidationError({field: [_("This PDF carries active content (%(kinds)s), which a reader may run or "
                                         "open by itself; it was refused, not changed. Upload a plain copy: print "
                                         "it to PDF or save it as PDF/A.") % {"kinds": ", ".join(active)}]})
    return mime



# Active content a PDF reader may run or open by itself: refused, never stripped. Evidence is kept exactly as it was
# submitted (its SHA-256 goes into the transfer letter and the audit trail), so the submitter is told what was found
# and asked for a plain copy (printed to PDF, or saved as PDF/A).
RUNNING_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToE", "/GoToR"}
ACTIVE_NAMES = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/Launch": "Launch",
    "/OpenAction": "OpenAction",
    "/AA": "AA",
    "/EmbeddedFile": "EmbeddedFile",
    "/EmbeddedFiles": "EmbeddedFile",
    "/XFA": "XFA",
    "/RichMedia": "RichMedia",
    "/SubmitForm": "SubmitForm",
    "/ImportData": "ImportData",
}


def _action_runs(action) -> bool:
    """An action dictionary (or chain of them) that runs code, opens another file or sends data somewhere."""
    import pikepdf

    seen = 0
    while isinstance(action, pikepdf.Dictionary) and seen < 64:
        if str(action.get("/S", "")) in RUNNING_ACTIONS or "/JS" in action:
            return True
        action, seen = action.get("/Next"), seen + 1
        if isinstance(action, pikepdf.Array):
            return any(_action_runs(a) for a in action)
    return False


def _active_in_document(pdf) -> set[str]:
    import pikepdf

    found = set()
    root = pdf.Root
    if "/OpenAction" in root and _action_runs(root.OpenAction):
        found.add("OpenAction")
    if "/AA" in root:
        found.add("AA")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            found.add("JavaScript")
        if "/EmbeddedFiles" in names:
            found.add("EmbeddedFile")
    acroform = root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary) and "/XFA" in acroform:
        found.add("XFA")
    for obj in pdf.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        keys = set(obj.keys())
        if "/JS" in keys or str(obj.get("/S", "")) in RUNNING_ACTIONS:
            found.add(ACTIVE_NAMES.get(str(obj.get("/S", "")), "JavaScript"))
        if "/AA" in keys:
            found.add("AA")
        if str(obj.get("/Type", "")) == "/EmbeddedFile" or "/EF" in keys:
            found.add("EmbeddedFile")
        if str(obj.get("/Subtype", "")) == "/RichMedia":
            found.add("RichMedia")
    return found


def _active_in_bytes(data: bytes) -> set[str]:
    """For a file no PDF library can open: the names of active content among its tokens (#xx escapes decoded)."""
    import re

    found = set()
    for token in re.findall(rb"/[^\s/<>\[\]()%{}]+", data):
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), token).decode("latin-1")
        if name in ACTIVE_NAMES:
            found.add(ACTIVE_NAMES[name])
    return found


def pdf_active_content(file) -> list[str]:
    """The kinds of active content in a PDF (JavaScript, OpenAction, Launch, AA, EmbeddedFile, XFA, RichMedia, ...),
    sorted; empty for a plain document."""
    import pikepdf

    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            found = _active_in_document(pdf)
    except Exception:  # damaged or not a PDF after all: read its tokens as they stand
        found = _active_in_bytes(data)
    return sorted(found)
