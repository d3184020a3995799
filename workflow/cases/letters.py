"""The letters a case issues (procedure.md §5): what each says about the case, fixed when it is issued.

`letter_text()` runs inside the transition's transaction and copies everything the letter prints about the
case: the parties, amounts, agencies, the transition's reasons, the deadline the addressee must meet, the
evidence list and the sub-procedure record. `documents` numbers the letter, stores that text under the
letter's heading and renders it after the commit. A correction locks the case, is recorded in its audit trail
and is stored by `documents` as a new version of the same number.
"""

from __future__ import annotations

import copy

from django.db import transaction

from documents.content import agency_data
from documents.models import Document
from documents.services import correction_prepare, correction_save, document_issue
from documents.tasks import render_after_commit
from procedure.deadlines import period_for
from procedure.disclosure import TO_AGENCY, TO_CREDITOR
from procedure.letters import (
    ACCEPTANCE_BASIS,
    ADDRESSEE,
    CONFIDENTIAL_KINDS,
    DEADLINE_OF_KIND,
    EVIDENCE_KINDS,
    EXTENDED_PERIODS,
    LETTER_PERIODS,
    PERIOD_ORIGINS,
    POLICE_DECISION_NOTICE_BASIS,
    PRIVATE_ADVICE_BASIS,
    RECORD_KINDS,
    TRANSFER_BASIS,
    DocumentKind,
    filing_basis,
    opinions_named_in_opening,
)
from procedure.states import CaseState, DeadlineStatus, Origin
from procedure.transitions import TRANSITIONS
from workflow.cases.content_jobs import after_content_change
from workflow.cases.events import record_event
from workflow.models import Case

# The transition's free-text fields the letters quote (api.md "Transition bodies").
PAYLOAD_FIELDS = ("reason", "note", "explanation", "terms")
# The sub-procedure record fields the letters print (workflow.records.LocateRequest, ObstructionReferral).
RECORD_FIELDS = (
    "record_id", "defendant", "last_known_address", "note", "official_name", "official_position", "conduct",
    "missed", "missed_due",
)


def transferring_agency(case):
    """The organ that transferred the case: the procuratorate (Art. 8 ¶3) or the executing court (Art. 3)."""
    return case.procuratorate if case.origin == Origin.PROCURATORATE else case.executing_court


def addressee_agency_for(case, kind: str, *, from_state: str = ""):
    """The agency a document is addressed to, by the table of procedure.letters.ADDRESSEE; None for the
    creditor and for a record the issuer keeps.

    Art. 8 ¶2: a filing decision taken on the procuratorate's notice to file goes to that procuratorate,
    which waits for it; the transferring organ receives a copy (see `copies_to`).
    """
    if kind == DocumentKind.FILING_DECISION and from_state == CaseState.FILING_ORDERED and case.procuratorate:
        return case.procuratorate
    position = ADDRESSEE.get(kind)
    if position == "transferring":
        return transferring_agency(case)
    if position in ("police_agency", "procuratorate", "executing_court", "trial_court"):
        return getattr(case, position)
    return None


def copies_to(case, kind: str, addressee) -> list:
    """Agencies that receive a copy (抄送) besides the addressee."""
    if kind == DocumentKind.FILING_DECISION:
        transferring = transferring_agency(case)
        if transferring is not None and addressee is not None and transferring.pk != addressee.pk:
            return [transferring]
    return []


def _case_data(case, *, for_creditor: bool) -> dict:
    # A creditor is never shown the other party's identity number (api.md "A case"), on paper neither.
    reader = TO_CREDITOR if for_creditor else TO_AGENCY
    return {
        "number": case.number,
        "origin": case.origin,
        "enforcement_case_number": case.enforcement_case_number,
        "basis_document": case.basis_document,
        "amount_owed": str(case.amount_owed),
        "amount_recovered": str(case.amount_recovered),
        "summary": case.summary,
        "jurisdiction_reason": case.jurisdiction_reason,
        "custody": case.custody,
        "applicant": reader.party(case, "applicant"),
        "debtor": reader.party(case, "debtor"),
        "executing_court": agency_data(case.executing_court),
        "police_agency": agency_data(case.police_agency),
        "procuratorate": agency_data(case.procuratorate),
        "trial_court": agency_data(case.trial_court),
    }


def _deadline_data(case, kind: str) -> dict | None:
    """The deadline the addressee must meet, opened by the same transition (the newest still running)."""
    deadline_kind = DEADLINE_OF_KIND.get(kind)
    if deadline_kind is None:
        return None
    deadline = (case.deadlines.filter(kind=deadline_kind, met_at__isnull=True,
                                      status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE])
                .order_by("-id").first())
    if deadline is None:
        return None
    return {
        "kind": deadline.kind,
        "start_date": deadline.start_date.isoformat(),
        "due_date": deadline.due_date.isoformat(),
        "legal_basis": deadline.legal_basis,
        "explanation": deadline.explanation,
        "explanation_en": deadline.explanation_en,
        "provisional": deadline.provisional,
    }


def _law_data(case, kind: str, from_state: str = "") -> dict:
    """The articles and periods the letter states, from procedure/ (procedure.md §5): how the case came to the
    police (Art. 3 or Art. 8 ¶3), what a filing decision cites (with Art. 8 ¶2 on a notice to file), which paragraph
    of Art. 12 a notice of the right to a private prosecution is given under, whether the letter's opening already
    named the Opinions in full, and each period the letter names, with its length and basis."""
    periods = {}
    for deadline_kind in LETTER_PERIODS.get(kind, ()):
        if case.origin not in PERIOD_ORIGINS.get(deadline_kind, (case.origin,)):
            continue
        period = period_for(case, deadline_kind)
        periods[deadline_kind] = {"days": period.days, "months": period.months, "basis": period.basis}
        if deadline_kind in EXTENDED_PERIODS:
            periods[deadline_kind]["extended_days"] = EXTENDED_PERIODS[deadline_kind].days
    return {
        "transfer": TRANSFER_BASIS.get(case.origin, ""),
        "acceptance": ACCEPTANCE_BASIS.get(case.origin, ""),
        "filing": filing_basis(case.origin, from_state),
        "decision_notice": POLICE_DECISION_NOTICE_BASIS.get(case.origin, ""),
        "private_advice": PRIVATE_ADVICE_BASIS.get(case.origin, ""),
        "opinions_named": opinions_named_in_opening(kind, case.origin),
        "periods": periods,
    }


#: The law's entries that depend only on the case's origin, the letter's kind and the step that issued it.
REPLACED_ON_CORRECTION = ("filing", "private_advice", "opinions_named")


def _evidence_data(case, kind: str) -> list[dict]:
    """The materials the transfer carried. The police's registration form and acknowledgment count what the
    transfer's evidence list named, not what may have been added to the file since."""
    if kind not in EVIDENCE_KINDS:
        return []
    if kind in (DocumentKind.REGISTRATION_FORM, DocumentKind.ACKNOWLEDGMENT):
        listed = (case.documents.filter(kind=DocumentKind.EVIDENCE_LIST).order_by("-issued_at", "-id")
                  .values_list("context", flat=True).first())
        if listed and listed.get("evidence"):
            return copy.deepcopy(listed["evidence"])
    return [
        {"category": item.category, "title": item.title, "sha256": item.sha256,
         "added_at": item.added_at.isoformat()}
        for item in case.evidence.order_by("added_at", "id")
    ]


def _related(case) -> dict:
    """The numbers of the documents the case already has, newest version per kind, so that a letter can cite
    the one it answers (an acknowledgment cites the transfer letter, a notice to file the police's
    explanation). `police_decision` is the latest refusal by the police: non-filing or withdrawal."""
    related: dict = {}
    rows = (case.documents.exclude(kind__in=CONFIDENTIAL_KINDS).order_by("issued_at", "id")
            .values_list("kind", "number"))
    for kind, number in rows:
        related[kind] = {"number": number}
        if kind in (DocumentKind.NON_FILING_NOTICE, DocumentKind.WITHDRAWAL_NOTICE):
            related["police_decision"] = {"kind": kind, "number": number}
    return related


def _plain(value) -> str | bool | int | None:
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def letter_text(*, case, kind: str, addressee, data: dict | None = None, record: dict | None = None,
                transition: str = "", from_state: str = "") -> dict:
    """What one letter says about the case, as JSON, taken in the issuing transaction.

    `addressee` is an Agency, or None for the creditor's notices and the registration form (whose
    "transferring unit" is the court or procuratorate that sent the case, Art. 5 ¶1).
    """
    data = data or {}
    for_creditor = ADDRESSEE.get(kind) == "creditor"
    if for_creditor:
        addressee_data = {"name": case.applicant_name, "kind": "creditor"}
    elif kind == DocumentKind.REGISTRATION_FORM and addressee is None:
        addressee_data = agency_data(transferring_agency(case))
    else:
        addressee_data = agency_data(addressee)
    if kind in RECORD_KINDS:
        source = record if record is not None else data
        record_data = {key: _plain(source.get(key)) for key in RECORD_FIELDS if source.get(key) not in (None, "")}
        payload = {}
    else:
        record_data = None
        payload = {key: str(data[key]) for key in PAYLOAD_FIELDS if data.get(key) not in (None, "")}
    return {
        "addressee": addressee_data,
        "cc": [agency_data(agency) for agency in copies_to(case, kind, addressee)],
        "transition": {"name": transition, "from_state": from_state},
        "related": _related(case),
        "case": _case_data(case, for_creditor=for_creditor),
        "payload": payload,
        "deadline": _deadline_data(case, kind),
        "law": _law_data(case, kind, from_state),
        "evidence": _evidence_data(case, kind),
        "record": record_data,
    }


def issue_letter(*, case, kind: str, actor, event=None, data: dict | None = None, addressee=None,
                 record: dict | None = None) -> Document:
    """Issue one letter of the case in the caller's transaction; its PDF is rendered after the commit.

    `addressee` overrides the table of procedure.letters.ADDRESSEE (the sub-procedures name the police agency
    asked or the commission referred to); `record` is the sub-procedure record the letter describes
    (defaults to `data` for those kinds).
    """
    from_state = event.from_state if event is not None else case.state
    if addressee is None:
        addressee = addressee_agency_for(case, kind, from_state=from_state)
    text = letter_text(case=case, kind=kind, addressee=addressee, data=data, record=record,
                       transition=event.transition if event is not None else "", from_state=from_state)
    document = document_issue(case=case, kind=kind, actor=actor, event=event, addressee=addressee, text=text)
    render_after_commit(document)
    after_content_change(case.pk)
    return document


def issue_for_transition(*, case, name: str, actor, event, data: dict) -> None:
    """The letters of procedure.md §5 that this transition issues."""
    for kind in TRANSITIONS[name].letters:
        issue_letter(case=case, kind=kind, actor=actor, event=event, data=data)


@transaction.atomic
def issue_correction(*, document: Document, actor, changes: dict, reason: str = "") -> Document:
    """Correct an issued letter: a new version with the same number that supersedes it, in the case's trail.

    The old version, its stored file and its hash stay as they were; the verification page of the old code
    says that it was corrected. Only the issuing agency corrects its own letters, and only the latest version
    (documents.services.correction_prepare says what a correction may change).
    """
    case = Case.objects.select_for_update().get(pk=document.case_id)
    corrected = correction_prepare(document=document, actor=actor, changes=changes)
    # A letter issued before letters carried their law, or only part of it, takes the case's (its origin's
    # articles, the periods); the articles that follow from the origin and the step alone are stated afresh.
    from_state = (corrected.context.get("transition") or {}).get("from_state", "")
    fresh = _law_data(case, corrected.kind, from_state)
    law = corrected.context.setdefault("law", fresh)
    for key, value in fresh.items():
        if key in REPLACED_ON_CORRECTION:
            law[key] = value
        else:
            law.setdefault(key, value)
    event = record_event(
        case=case, actor=actor, transition="correct_document", from_state=case.state, to_state=case.state,
        payload={"document": corrected.supersedes_id, "kind": corrected.kind, "number": corrected.number,
                 "version": corrected.version, "reason": reason.strip()},
    )
    corrected = correction_save(corrected=corrected, event=event)
    render_after_commit(corrected)
    return corrected
