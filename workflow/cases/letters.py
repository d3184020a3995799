"""What a document says, fixed when it is issued.

`snapshot()` runs inside the transition's transaction and copies into `Document.context` everything the
letter prints: the parties, amounts, agencies, the transition's reasons, the deadline the addressee must meet,
the evidence list and the sub-procedure record. A later change of the case therefore never changes a
re-rendering, and the stored SHA-256 can always be reproduced from the row. `render_context()` turns the
stored JSON back into the dates and amounts `documents.render` formats.
"""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from procedure.letters import (
    ADDRESSEE,
    CONFIDENTIAL_KINDS,
    DEADLINE_OF_KIND,
    EVIDENCE_KINDS,
    RECORD_KINDS,
    DocumentKind,
)
from procedure.states import CaseState, DeadlineStatus, Origin

# The transition's free-text fields the letters quote (api.md "Transition bodies").
PAYLOAD_FIELDS = ("reason", "note", "explanation")
# The sub-procedure record fields the letters print (workflow.records.LocateRequest, ObstructionReferral).
RECORD_FIELDS = (
    "record_id", "defendant", "last_known_address", "note", "official_name", "official_position", "conduct",
)
# What a correction may change: the letter's content, never its identity (number, issuer, version).
CORRECTABLE = ("addressee", "case", "payload", "deadline", "evidence", "record")


def agency_data(agency) -> dict | None:
    if agency is None:
        return None
    return {"name": agency.name, "kind": agency.kind, "region_code": agency.region_code,
            "region_name": agency.region_name}


def transferring_agency(case):
    """The organ that transferred the case: the procuratorate (Art. 8 ¶3) or the executing court (Art. 3)."""
    return case.procuratorate if case.origin == Origin.PROCURATORATE else case.executing_court


def addressee_agency_for(case, kind: str, *, from_state: str = ""):
    """The agency a document is addressed to, by the table of documents.kinds.ADDRESSEE; None for the
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


def _party(case, who: str, *, with_id_number: bool = True) -> dict:
    party = {
        "name": getattr(case, f"{who}_name"),
        "kind": getattr(case, f"{who}_kind"),
        "id_number": getattr(case, f"{who}_id_number") if with_id_number else "",
        "address": getattr(case, f"{who}_address"),
    }
    if who == "applicant":
        party["phone"] = case.applicant_phone
    return party


def _case_data(case, *, for_creditor: bool) -> dict:
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
        "applicant": _party(case, "applicant"),
        # A creditor is never shown the other party's identity number (api.md "A case"), on paper neither.
        "debtor": _party(case, "debtor", with_id_number=not for_creditor),
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


def snapshot(*, case, kind: str, issuer, addressee, number: str, version: int, issued_at: datetime.datetime,
             verification_code: str, verify_url: str, data: dict | None = None, record: dict | None = None,
             transition: str = "", from_state: str = "") -> dict:
    """The whole text of one document as JSON, taken in the issuing transaction.

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
        "kind": kind,
        "number": number,
        "version": version,
        "issued_at": timezone.localtime(issued_at).date().isoformat(),
        "verification_code": verification_code,
        "verify_url": verify_url,
        "issuer": agency_data(issuer),
        "addressee": addressee_data,
        "cc": [agency_data(agency) for agency in copies_to(case, kind, addressee)],
        "transition": {"name": transition, "from_state": from_state},
        "related": _related(case),
        "case": _case_data(case, for_creditor=for_creditor),
        "payload": payload,
        "deadline": _deadline_data(case, kind),
        "evidence": _evidence_data(case, kind),
        "record": record_data,
    }


def merge_changes(context: dict, changes: dict) -> dict:
    """The context of a corrected version: `changes` laid over a copy, dict by dict (lists are replaced)."""

    def merge(base, update):
        if isinstance(base, dict) and isinstance(update, dict):
            result = dict(base)
            for key, value in update.items():
                result[key] = merge(base.get(key), value)
            return result
        return copy.deepcopy(update)

    return merge(copy.deepcopy(context), changes)


def _date(value):
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


def _datetime(value):
    if isinstance(value, str) and value:
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def render_context(context: dict) -> dict:
    """The stored JSON with dates and amounts as the values `documents.render` formats."""
    data = copy.deepcopy(context)
    data["issued_at"] = _date(data.get("issued_at"))
    if data.get("deadline"):
        data["deadline"]["due_date"] = _date(data["deadline"].get("due_date"))
        data["deadline"]["start_date"] = _date(data["deadline"].get("start_date"))
    for item in data.get("evidence") or []:
        item["added_at"] = _datetime(item.get("added_at"))
    case = data.get("case") or {}
    for key in ("amount_owed", "amount_recovered"):
        if case.get(key) not in (None, ""):
            try:
                case[key] = Decimal(str(case[key]))
            except InvalidOperation:
                case[key] = None
    return data
