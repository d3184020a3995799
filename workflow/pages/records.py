"""The pages of the sub-procedure records: add one to a case, or answer one addressed to the user's agency.

The form asks exactly the fields of the record's input serializer (workflow.records.inputs), which then checks what
the form parsed, as it checks the API's body; the records' services and the rules of procedure.records decide, as
for the API.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from procedure.records import check_record_action
from workflow.cases import selectors
from workflow.pages.common import FAILED, attempt, go_to, is_htmx, refusal_of
from workflow.pages.forms import record_form_class
from workflow.pages.labels import ANSWER_LABELS, RECORD_LABELS
from workflow.records import selectors as record_selectors
from workflow.records import services as record_services
from workflow.records.inputs import ANSWER_INPUTS, RECORD_INPUTS


def _validated(form, serializer_class):
    """Run the record's input serializer on what the form parsed; its errors go next to the fields."""
    serializer = serializer_class(data=form.data_for_service())
    if serializer.is_valid():
        return serializer.validated_data
    form.add_service_errors({key: [str(m) for m in msgs] for key, msgs in serializer.errors.items()})
    return None


def _record_response(request, context, status=200):
    template = "workflow/_record_form.html" if is_htmx(request) else "workflow/record.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def record_page(request, pk, record):
    """`/cases/{id}/records/{record}/`: add one sub-procedure record (workflow.records.services)."""
    if record not in RECORD_LABELS:
        raise Http404
    case = selectors.case_get(user=request.user, case_id=pk)
    if refusal := refusal_of(request, partial(check_record_action, case=case, user=request.user, name=record),
                             case=case):
        return refusal
    serializer_class = RECORD_INPUTS[record]
    form_class = record_form_class(record, serializer_class)
    action = reverse("case-record-page", args=[case.pk, record])
    context = {"case": case, "label": RECORD_LABELS[record], "action": action, "record": None}
    if request.method == "GET":
        return _record_response(request, {**context, "form": form_class(case=case)})
    form = form_class(request.POST, case=case)
    if form.is_valid() and (data := _validated(form, serializer_class)) is not None:
        done, refusal = attempt(request, form, lambda: record_services.record_create(
            record=record, case_id=case.pk, actor=request.user, data=data), case=case)
        if refusal:
            return refusal
        if done is not FAILED:
            messages.success(request, _("Recorded: %(what)s.") % {"what": RECORD_LABELS[record]})
            return go_to(request, reverse("case-page", args=[case.pk]) + "#records")
    return _record_response(request, {**context, "form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def record_answer_page(request, answer, record_id):
    """`/records/{answer}/{id}/`: answer a record addressed to the user's agency (decide an arrest, acknowledge
    a referral...). The agency asked may hold no position in the case (a discipline commission)."""
    if answer not in ANSWER_LABELS:
        raise Http404
    user = request.user
    record = record_selectors.answered_record_get(user=user, answer=answer, record_id=record_id)
    case_visible = selectors.case_list(user=user).filter(pk=record.case_id).exists()
    case = record.case if case_visible else None
    check = partial(record_selectors.check_may_answer, user=user, answer=answer, record=record)
    if refusal := refusal_of(request, check, case=case):
        return refusal
    serializer_class = ANSWER_INPUTS[answer]
    form_class = record_form_class(answer, serializer_class)
    context = {"case": case, "label": ANSWER_LABELS[answer], "record": record, "answer": answer,
               "action": reverse("record-answer-page", args=[answer, record.pk])}
    if request.method == "GET":
        return _record_response(request, {**context, "form": form_class(case=case)})
    form = form_class(request.POST, case=case)
    if form.is_valid() and (data := _validated(form, serializer_class)) is not None:
        done, refusal = attempt(request, form, lambda: record_services.record_answer(
            answer=answer, record_id=record.pk, actor=user, data=data), case=case)
        if refusal:
            return refusal
        if done is not FAILED:
            messages.success(request, _("Done: %(what)s.") % {"what": ANSWER_LABELS[answer]})
            url = reverse("case-page", args=[record.case_id]) + "#records" if case_visible else reverse("home")
            return go_to(request, url)
    return _record_response(request, {**context, "form": form}, status=400)
