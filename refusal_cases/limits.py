"""Limits on what a request may send, applied before its body is read.

A body longer than the limit is refused from its ``Content-Length`` alone: ``413`` with api.md's JSON under /api/,
a page of the site's own elsewhere. Inside an accepted multipart body, a file longer than EVIDENCE_MAX_BYTES is not
stored: its bytes past the limit are counted and dropped, and the upload's checks then refuse it with the field's
name (workflow.cases.uploads).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

# Room for a multipart body's own fields (category, title, note) beside the file.
FORM_FIELDS_BYTES = 64 * 1024


def body_limit(request) -> int:
    """The longest body this request may carry: a file and its form when multipart, else the form or JSON limit."""
    if request.content_type == "multipart/form-data":
        return settings.EVIDENCE_MAX_BYTES + FORM_FIELDS_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large(request, limit: int | None = None):
    """413: JSON under /api/, the site's page elsewhere; the limit is said in megabytes."""
    limit = limit if limit is not None else body_limit(request)
    megabytes = max(1, round(limit / (1024 * 1024)))
    detail = _("The request is larger than the limit of %(mb)s MB.") % {"mb": megabytes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "limit_bytes": limit}, status=413)
    return render(request, "413.html", {"detail": detail}, status=413)


class BodySizeLimitMiddleware:
    """Refuses a body longer than its limit before anything reads it (the CSRF check, the session, a view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return bad_request(request, SuspiciousOperation("Content-Length is not a number."))
        limit = body_limit(request)
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)


def bad_request(request, exception=None):
    """Django's handler400: a body over a limit is 413; other bad requests 400; JSON under /api/."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("The request could not be read.")}, status=400)
    return defaults.bad_request(request, exception)


class OversizedFile(UploadedFile):
    """What is kept of a file longer than the limit: its name and length, none of its bytes."""

    def __init__(self, name, content_type, size, charset, content_type_extra=None):
        super().__init__(None, name, content_type, size, charset, content_type_extra)

    def open(self, mode=None):
        return self

    def read(self, *args, **kwargs):
        return b""

    def seek(self, *args, **kwargs):
        return 0

    def close(self):
        return None


class EvidenceLimitUploadHandler(FileUploadHandler):
    """First of the upload handlers: passes a file's chunks on until it exceeds EVIDENCE_MAX_BYTES, then keeps only
    the count, so that no oversized file is written to memory or disk."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.EVIDENCE_MAX_BYTES:
            self.oversized = True
        return None if self.oversized else raw_data

    def file_complete(self, file_size):
        if self.oversized:
            return OversizedFile(self.file_name, self.content_type, self.received, self.charset,
                                 self.content_type_extra)
        return None
