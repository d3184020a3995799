"""What every page does alike: run the service behind a submitted form and show its refusal in words (403, 409),
its errors next to the fields (400), or go on to the next page (a plain redirect, or HX-Redirect for htmx)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation

from procedure.errors import Duplicate, TransitionConflict
from workflow.pages.labels import TRANSITION_LABELS

PAGE_SIZE = 50


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def english() -> bool:
    return (translation.get_language() or "").startswith("en")


def error_dict(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {key: [m for e in errors for m in e.messages] for key, errors in exc.error_dict.items()}
    return {"__all__": exc.messages}


FAILED = object()


def attempt(request, form, call, *, case=None, name: str = ""):
    """Run the service behind a submitted form: (its result, None) when it succeeded; (FAILED, None) when it
    refused the input, whose errors now stand next to the form's fields (a repeat of what is on file too, kept as
    `form.duplicate`); (FAILED, page) for a refusal (403, 409)."""
    try:
        return call(), None
    except ValidationError as exc:
        if form is None:
            raise
        form.add_service_errors(error_dict(exc))
        return FAILED, None
    except Duplicate as exc:
        if form is None:
            return FAILED, refused(request, str(exc.detail), 409, case=case, name=name)
        # A repeat of what is on file: said next to the field that repeats it, with what the form offers to file
        # it anyway (procedure.duplicates).
        form.duplicate = exc
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.detail))
        return FAILED, None
    except PermissionDenied as exc:
        return FAILED, refused(request, str(exc), 403, case=case, name=name)
    except TransitionConflict as exc:
        return FAILED, refused(request, str(exc.detail), 409, case=case, name=name)


def refusal_of(request, check, *, case=None):
    """The refusal page (403, 409) when `check()` refuses the user, else None."""
    _result, refusal = attempt(request, None, check, case=case)
    return refusal


def refused(request, message: str, status: int, *, case=None, name: str = ""):
    context = {"message": message, "case": case, "label": TRANSITION_LABELS.get(name, "")}
    template = "workflow/_refused.html" if is_htmx(request) else "workflow/refused.html"
    return render(request, template, context, status=status)


def go_to(request, url: str):
    """After a step is done: the next page (htmx follows HX-Redirect)."""
    if is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
