"""API conventions shared by every app: pagination and the error shapes of api.md."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from procedure.errors import Duplicate, TransitionConflict


class Pagination(PageNumberPagination):
    page_size = 50


class DeferredJoinPaginator(DjangoPaginator):
    """Chooses a page's rows by their ids first (filtered, sorted and skipped on the narrow rows), then loads and
    joins only those: a deep page of a long list otherwise sorts every row with all its joined columns.

    A view may know cheaper ways (from indexes alone) to count its rows and to choose a page's ids: its
    ``list_count()`` and ``list_page_ids(bottom, top)``, each returning None where they do not apply.
    """

    def __init__(self, *args, view=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.view = view
        counter = getattr(view, "list_count", None)
        count = counter() if counter is not None else None
        if count is not None:
            self.count = count  # in place of the paginator's own count of the queryset

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        chooser = getattr(self.view, "list_page_ids", None)
        ids = chooser(bottom, top) if chooser is not None else None
        if ids is None:
            ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class DeferredJoinPagination(Pagination):
    """For long lists ordered by their own columns (cases, deadlines)."""

    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = lambda object_list, per_page: DeferredJoinPaginator(
            object_list, per_page, view=view)
        return super().paginate_queryset(queryset, request, view=view)


def validation_error_body(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            (field if field != "__all__" else "non_field_errors"): [str(m) for e in errors for m in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {"detail": " ".join(str(m) for m in error.messages)}


def duplicate_body(exc: Duplicate) -> dict:
    """409 for a repeat: the message under the field that repeats, what is already on file, and the input that
    files it anyway (when there is one)."""
    body = {"detail": str(exc.detail), exc.field: [str(exc.detail)], "existing": exc.existing}
    if exc.override:
        body["override_field"] = exc.override
    return body


def exception_handler(exc, context):
    """Map domain exceptions to api.md's shapes: 400 with fields, 403, 404, 409 with state."""
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, Duplicate):
        return Response(duplicate_body(exc), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, TransitionConflict):
        return Response(
            {"detail": str(exc.detail), "state": exc.state, "allowed_transitions": exc.allowed},
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if isinstance(exc, exceptions.AuthenticationFailed) and response is not None and isinstance(response.data, dict):
        response.data["code"] = exc.detail.code  # which: an unknown, revoked or expired token, or a bad header
    return response


def not_found(request, exception=None):
    """A URL that matches no route (``/api/cases/abc/``): api.md's JSON 404 under /api/, the plain page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)
