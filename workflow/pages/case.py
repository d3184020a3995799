"""The case page: everything about one case the user may see and the steps the user may take; the evidence
upload and download; the creditor's requests for copies of evidence and the court's answers (Art. 15).

Thin: they read through the selectors, write through the services, the same calls as the API, so a page never
allows what the API refuses. A refusal is shown in words.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from procedure.disclosure import disclosure
from procedure.duplicates import material_removable
from procedure.guidance import ORIGIN_EXPLAINED, next_step
from procedure.positions import waiting_for
from procedure.states import TERMINAL_STATES, CaseState, EvidenceCategory
from procedure.transitions import TRANSITIONS, matching_actor
from workflow.cases import selectors, services
from workflow.cases.documents import document_list_for_case
from workflow.cases.transitions import allowed_transitions, unmet
from workflow.models import Case, CaseEvent, Deadline
from workflow.pages.approvals import pending_rows
from workflow.pages.common import FAILED, attempt, english, go_to
from workflow.pages.forms import UPLOAD_ACCEPT, CopyAnswerForm, CopyRequestForm, EvidenceForm
from workflow.pages.labels import TRANSITION_LABELS
from workflow.pages.presenters import (
    case_timeline,
    copy_requests,
    due_info,
    evidence_checklist,
    position_name,
    procedure_drawing,
    subprocedure_records,
)
from workflow.records import services as record_services


@login_required
@require_GET
def case_page(request, pk):
    """`/cases/{id}/`: everything about one case the user may see, and the steps the user may take."""
    case = selectors.case_get(user=request.user, case_id=pk)
    return render(request, "workflow/case.html", _case_context(request, case))


def _load(case: Case) -> Case:
    return (
        Case.objects.select_related("executing_court", "police_agency", "procuratorate", "trial_court",
                                    "applicant_user", "created_by")
        .prefetch_related(
            Prefetch("deadlines", queryset=Deadline.objects.select_related("owed_by").order_by("due_date", "id")),
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor", "agency").order_by("seq")),
        )
        .get(pk=case.pk)
    )


def _case_context(request, case: Case, *, upload_form=None, upload_slot: str = "", copy_form=None,
                  answer_form=None, answer_for=None) -> dict:
    user = request.user
    case = _load(case)
    today = timezone.localdate()
    reader = disclosure(user)
    is_creditor = reader.creditor
    evidence = list(selectors.evidence_list(case=case, user=user))

    deadlines = []
    for d in case.deadlines.all():
        open_ = d.is_open
        deadlines.append({
            "deadline": d,
            "due": due_info(d.due_date, today, status=d.status) if open_ else None,
            "explanation": (d.explanation_en or d.explanation) if english() else d.explanation,
            "open": open_,
        })
    deadlines.sort(key=lambda row: not row["open"])  # running ones first, each group by due date (stable)
    next_deadline = next((row for row in deadlines if row["open"]), None)

    allowed = allowed_transitions(case=case, user=user)
    actions, blocked = [], []
    for name, rule in TRANSITIONS.items():
        if case.state not in rule.sources or matching_actor(case, user, name) is None:
            continue
        entry = {"name": name, "label": TRANSITION_LABELS[name], "refusing": TRANSITIONS[name].refusing}
        if name in allowed:
            actions.append(entry)
        else:
            blocked.append({**entry, "reasons": unmet(case, name)})

    may_add = services.may_add_evidence(case=case, user=user)
    checklist = evidence_checklist(case, evidence, user, may_add)
    visible_evidence = {e.pk for e in evidence}
    timeline = case_timeline(case.events.all(), reader, visible_evidence)

    return {
        "case": case,
        "state_label": CaseState(case.state).label,
        "closed": case.state in TERMINAL_STATES,
        "next_step": next_step(case),
        "waiting_for": position_name(case, waiting_for(case=case), user),
        "next_deadline": next_deadline,
        "deadlines": deadlines,
        "documents": _documents(case, user),
        "evidence": evidence,
        "checklist": checklist,
        "may_add_evidence": may_add,
        "removable_evidence": {e.pk for e in evidence if material_removable(case.state)
                               and services.may_remove_evidence(case=case, evidence=e, user=user)},
        "upload_accept": UPLOAD_ACCEPT,
        "upload_form": upload_form if upload_slot == "general" else EvidenceForm(user=user, case=case),
        "slot_form": upload_form if upload_slot and upload_slot != "general" else None,
        "upload_slot": upload_slot,
        "actions": actions,
        "blocked": blocked,
        "approval_rows": pending_rows(user, case=case),
        "timeline": timeline,
        "drawing": procedure_drawing(current=case.state, timeline=timeline),
        "is_creditor": is_creditor,
        "show_digests": reader.digests,
        # The legal term of the case's origin in plain words, for the creditor (procedure.guidance).
        "origin_explained": ORIGIN_EXPLAINED[case.origin] if is_creditor else "",
        "parties": {who: reader.party(case, who) for who in ("applicant", "debtor")},
        "internal_note": reader.internal(case.internal_note),
        "records": subprocedure_records(case, user),
        "copies": copy_requests(case, user, copy_form=copy_form, answer_form=answer_form, answer_for=answer_for,
                                evidence=evidence),
    }


def _documents(case: Case, user):
    return list(document_list_for_case(case=case, user=user))


# ---------------------------------------------------------------------------------------------------------
# Evidence


@login_required
@require_POST
def evidence_upload(request, pk):
    """Add one material through services.evidence_add (Art. 4, 13); errors land next to the field."""
    case = selectors.case_get(user=request.user, case_id=pk)
    slot = request.POST.get("slot", "general")
    form = EvidenceForm(request.POST, request.FILES, user=request.user, case=case)
    if form.is_valid():
        evidence, refusal = attempt(
            request, form, lambda: services.evidence_add(case_id=case.pk, actor=request.user, **form.cleaned_data),
            case=case)
        if refusal:
            return refusal
        if evidence is not FAILED:
            messages.success(request, _("Added “%(title)s” (%(category)s).") % {
                "title": evidence.title, "category": EvidenceCategory(evidence.category).label})
            anchor = "#checklist" if slot != "general" else "#evidence"
            return redirect(reverse("case-page", args=[case.pk]) + anchor)
    context = _case_context(request, case, upload_form=form, upload_slot=slot if slot else "general")
    return render(request, "workflow/case.html", context, status=400)


def _visible_material(request, pk, evidence_id):
    """The case and one of its materials that the user may see; 404 for anything else."""
    case = selectors.case_get(user=request.user, case_id=pk)
    evidence = selectors.evidence_list(case=case, user=request.user).filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    return case, evidence


@login_required
@require_POST
def evidence_remove(request, pk, evidence_id):
    """Take back a material from a draft (services.evidence_remove); refused in words once submitted."""
    case, evidence = _visible_material(request, pk, evidence_id)
    _done, refusal = attempt(request, None, lambda: services.evidence_remove(
        case_id=case.pk, evidence_id=evidence.pk, actor=request.user, reason=request.POST.get("reason", "")[:2000]),
        case=case)
    if refusal:
        return refusal
    messages.success(request, _("Removed “%(title)s” from the draft.") % {"title": evidence.title})
    return go_to(request, reverse("case-page", args=[case.pk]) + "#evidence")


@login_required
@require_GET
def evidence_file(request, pk, evidence_id):
    """Download one material, only for a user who may see it (a creditor: its own or shared copies)."""
    _case, evidence = _visible_material(request, pk, evidence_id)
    return FileResponse(evidence.file.open("rb"), as_attachment=True,
                        filename=evidence.original_name or evidence.title,
                        content_type=evidence.content_type or "application/octet-stream")


# ---------------------------------------------------------------------------------------------------------
# Evidence copies (Art. 15)


@login_required
@require_POST
def copy_request_create(request, pk):
    """The private prosecutor asks the executing court for copies (record_services.evidence_copy_request_create)."""
    case = selectors.case_get(user=request.user, case_id=pk)
    form = CopyRequestForm(request.POST)
    if form.is_valid():
        done, refusal = attempt(request, form, lambda: record_services.evidence_copy_request_create(
            case_id=case.pk, actor=request.user, **form.cleaned_data), case=case)
        if refusal:
            return refusal
        if done is not FAILED:
            messages.success(request, _("Your request for copies was sent to the executing court."))
            return redirect(reverse("case-page", args=[case.pk]) + "#copies")
    return render(request, "workflow/case.html", _case_context(request, case, copy_form=form), status=400)


@login_required
@require_POST
def copy_request_answer(request, pk, request_id):
    """The executing court shares materials with the creditor (record_services.evidence_copy_request_answer)."""
    case = selectors.case_get(user=request.user, case_id=pk)
    materials = list(selectors.evidence_list(case=case, user=request.user))
    form = CopyAnswerForm(request.POST, materials=materials)
    if form.is_valid():
        done, refusal = attempt(request, form, lambda: record_services.evidence_copy_request_answer(
            request_id=request_id, actor=request.user, evidence=[int(i) for i in form.cleaned_data["evidence"]],
            note=form.cleaned_data["note"]), case=case)
        if refusal:
            return refusal
        if done is not FAILED:
            messages.success(request, _("The copies were shared with the creditor."))
            return redirect(reverse("case-page", args=[case.pk]) + "#copies")
    context = _case_context(request, case, answer_form=form, answer_for=int(request_id))
    return render(request, "workflow/case.html", context, status=400)
