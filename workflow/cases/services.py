"""Writes other than transitions: creating a case, adding evidence, allocating numbers."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, User
from agencies.roles import AgencyKind, Role
from procedure.duplicates import (
    DUPLICATE_CASE_BASIS,
    DUPLICATE_MATERIAL_BASIS,
    REMOVAL_BASIS,
    blocks_new_case,
    duplicate_case_key,
    material_removable,
)
from procedure.errors import Duplicate, TransitionConflict
from procedure.identifiers import (
    normalize_case_number,
    normalize_identifier,
    party_identifier_problem,
    party_kind_for,
    same_name,
)
from procedure.states import PRIVATE_CATEGORIES, TERMINAL_STATES, CaseState, EvidenceCategory, Origin
from workflow.cases.content_jobs import after_content_change
from workflow.cases.events import record_event
from workflow.cases.selectors import visibility_q
from workflow.cases.uploads import validate_upload
from workflow.models import Case, Evidence, Sequence

CREATOR_ORIGIN = {Role.ENFORCEMENT_JUDGE: Origin.COURT, Role.PROCURATOR: Origin.PROCURATORATE,
                  Role.CREDITOR: Origin.CREDITOR}


def next_in_sequence(scope: str) -> int:
    """The next number of a named sequence; the row lock makes concurrent callers queue, never collide."""
    Sequence.objects.get_or_create(scope=scope)
    Sequence.objects.filter(scope=scope).update(value=F("value") + 1)
    return Sequence.objects.select_for_update().get(scope=scope).value


def _agency(value, kind: str, field: str) -> Agency | None:
    if value in (None, ""):
        return None
    agency = value if isinstance(value, Agency) else Agency.objects.filter(pk=value).first()
    if agency is None:
        raise ValidationError({field: [_("No such agency.")]})
    if agency.kind != kind:
        raise ValidationError({field: [_("This must be an agency of kind %(kind)s.") % {"kind": kind}]})
    return agency


IDENTIFIER_MESSAGES = {
    "identity_length": gettext_lazy(
        "%(standard)s: a citizen identity number has 18 characters, 17 digits and a final digit or X."),
    "identity_date": gettext_lazy(
        "%(standard)s: characters 7 to 14 of a citizen identity number are a date of birth; this one is not a date."),
    "identity_check": gettext_lazy(
        "%(standard)s: the last character of this citizen identity number does not match the others; check for a "
        "mistyped digit."),
    "uscc_length": gettext_lazy("%(standard)s: a unified social credit code has 18 characters."),
    "uscc_symbol": gettext_lazy(
        "%(standard)s: a unified social credit code uses digits and capital letters other than I, O, Z, S and V."),
    "uscc_check": gettext_lazy(
        "%(standard)s: the last character of this unified social credit code does not match the others; check for "
        "a mistyped character."),
    "uscc_for_person": gettext_lazy(
        "%(standard)s: this is a unified social credit code; for an entity choose \"entity\"."),
    "identity_for_entity": gettext_lazy(
        "%(standard)s: this is a citizen identity number; for a natural person choose \"natural person\"."),
}


def party_clean(data: dict) -> tuple[dict, str | None]:
    """A party's fields as stored (the kind from the name when not given, the number in its written form) and
    why its number is refused by its standard, or None (procedure.identifiers)."""
    party = dict(data)
    party["name"] = (party.get("name") or "").strip()
    party["kind"] = party_kind_for(party["name"], party.get("kind") or None)
    party["id_number"] = normalize_identifier(party.get("id_number") or "")
    problem = party_identifier_problem(party["id_number"], party["kind"])
    if problem is None:
        return party, None
    return party, IDENTIFIER_MESSAGES[problem.code] % {"standard": problem.standard}


def _parties(applicant: dict, debtor: dict) -> tuple[dict, dict]:
    (applicant, applicant_problem), (debtor, debtor_problem) = party_clean(applicant), party_clean(debtor)
    problems = {f"{who}.id_number": [problem] for who, problem in (("applicant", applicant_problem),
                                                                     ("debtor", debtor_problem)) if problem}
    if problems:
        raise ValidationError(problems)
    return applicant, debtor


def open_duplicate(*, court: Agency, enforcement_case_number: str) -> Case | None:
    """The open case of this court with the same enforcement case number (procedure.duplicates), if any."""
    court_id, number = duplicate_case_key(court.pk, enforcement_case_number)
    same = Case.objects.filter(executing_court_id=court_id, enforcement_case_number=number).order_by("id")
    return next((case for case in same if blocks_new_case(case.state)), None)


def _duplicate_case(existing: Case, *, visible: bool, enforcement_case_number: str) -> Duplicate:
    """The 409 naming the open case; one the actor may not see is only said to exist (procedure.md §1)."""
    if visible:
        return Duplicate(
            _("%(basis)s: case %(number)s of this court, for the same enforcement case number %(enforcement)s, is "
              "still open (%(state)s). Give a reason to file another case anyway.")
            % {"basis": DUPLICATE_CASE_BASIS, "number": existing.number, "enforcement": enforcement_case_number,
               "state": CaseState(existing.state).label},
            field="enforcement_case_number", override="duplicate_reason",
            existing={"id": existing.pk, "number": existing.number, "state": existing.state,
                      "created_at": timezone.localtime(existing.created_at).isoformat()},
        )
    return Duplicate(
        _("%(basis)s: a case of this court for the same enforcement case number %(enforcement)s is still open. "
          "Give a reason to file another case anyway.")
        % {"basis": DUPLICATE_CASE_BASIS, "enforcement": enforcement_case_number},
        field="enforcement_case_number", override="duplicate_reason", existing={},
    )


@transaction.atomic
def case_create(*, actor: User, executing_court=None, police_agency=None, procuratorate=None,
                applicant: dict, debtor: dict, enforcement_case_number: str, basis_document: str,
                amount_owed, summary: str = "", jurisdiction_reason: str = "", internal_note: str = "",
                duplicate_reason: str = "") -> Case:
    """Create a case in draft (procedure.md §3 "create"): by an enforcement judge, a procurator or a creditor.

    The enforcement case number is stored in its official form and the parties' numbers checked by their
    standards (procedure.identifiers); a second open case of the same court and enforcement case number is
    refused with 409 (procedure.duplicates) unless `duplicate_reason` says why it is filed anyway.
    """
    origin = CREATOR_ORIGIN.get(actor.role)
    if origin is None:
        raise PermissionDenied(_("Only an enforcement judge, a procurator or a creditor may start a case."))
    if executing_court in (None, "") and actor.role == Role.ENFORCEMENT_JUDGE:
        executing_court = actor.agency
    court = _agency(executing_court, AgencyKind.COURT, "executing_court")
    if court is None:
        raise ValidationError({"executing_court": [_("This field is required.")]})
    police = _agency(police_agency, AgencyKind.POLICE, "police_agency")
    procuratorate_agency = _agency(procuratorate, AgencyKind.PROCURATORATE, "procuratorate")
    if origin == Origin.COURT and court.pk != actor.agency_id:
        raise PermissionDenied(_("An enforcement judge transfers only cases of their own court."))
    if origin == Origin.PROCURATORATE:
        procuratorate_agency = procuratorate_agency or actor.agency
        if procuratorate_agency.pk != actor.agency_id:
            raise PermissionDenied(_("A procurator transfers only cases of their own procuratorate."))
    if origin == Origin.CREDITOR:
        # Art. 11: a private prosecution goes straight to the executing court.
        police, procuratorate_agency = None, None
    else:
        if police is None:
            raise ValidationError({"police_agency": [_("This field is required.")]})
        if procuratorate_agency is None:
            raise ValidationError({"procuratorate": [_("This field is required.")]})
    other_region = [a for a in (police, procuratorate_agency) if a and a.region_code != court.region_code]
    if other_region and not jurisdiction_reason.strip():
        raise ValidationError({"jurisdiction_reason": [
            _("Art. 2: %(agency)s is not of the executing court's region; give the reason.") % {"agency": other_region[0].name}
        ]})

    enforcement_case_number = normalize_case_number(enforcement_case_number)
    if not enforcement_case_number:
        raise ValidationError({"enforcement_case_number": [_("This field is required.")]})
    applicant, debtor = _parties(applicant, debtor)
    duplicate_reason = (duplicate_reason or "").strip()
    # Creations at one court queue here, so that two clerks filing the same number at once make one case.
    Agency.objects.select_for_update().filter(pk=court.pk).first()
    existing = open_duplicate(court=court, enforcement_case_number=enforcement_case_number)
    existing_visible = existing is not None and Case.objects.filter(visibility_q(actor), pk=existing.pk).exists()
    if existing is not None and not duplicate_reason:
        raise _duplicate_case(existing, visible=existing_visible, enforcement_case_number=enforcement_case_number)

    applicant_user = None
    if origin == Origin.CREDITOR:
        applicant_user = actor
    elif applicant.get("user"):
        applicant_user = User.objects.filter(username=applicant["user"], role=Role.CREDITOR).first()
        if applicant_user is None:
            raise ValidationError({"applicant": [_("No creditor account with that username.")]})

    year = timezone.localdate().year
    seq = next_in_sequence(f"case:{court.region_code}:{year}")
    case = Case(
        number=f"RE{year}-{court.region_code}-{seq:04d}",
        origin=origin,
        executing_court=court,
        police_agency=police,
        procuratorate=procuratorate_agency,
        created_by=actor,
        applicant_name=applicant.get("name", ""),
        applicant_kind=applicant["kind"],
        applicant_id_number=applicant.get("id_number", ""),
        applicant_phone=applicant.get("phone", ""),
        applicant_address=applicant.get("address", ""),
        applicant_user=applicant_user,
        debtor_name=debtor.get("name", ""),
        debtor_kind=debtor["kind"],
        debtor_id_number=debtor.get("id_number", ""),
        debtor_address=debtor.get("address", ""),
        enforcement_case_number=enforcement_case_number,
        basis_document=basis_document,
        amount_owed=amount_owed,
        summary=summary,
        internal_note=internal_note,
        jurisdiction_reason=jurisdiction_reason.strip(),
        cross_region=bool(other_region),
    )
    case.full_clean(exclude=["state"])
    case.save()
    payload = {"origin": origin, "cross_region": case.cross_region, "amount_owed": case.amount_owed,
               "jurisdiction_reason": case.jurisdiction_reason}
    if existing is not None:
        payload["duplicate_reason"] = duplicate_reason
        if existing_visible:
            payload["duplicate_of"] = existing.number
    if creditor_name_differs(case):
        payload["creditor_name_differs"] = True
    record_event(case=case, actor=actor, transition="create", to_state=case.state, payload=payload)
    after_content_change(case.pk)  # indexed for search from the start
    return case


def creditor_name_differs(case: Case) -> bool:
    """Is the linked creditor account someone else than the applicant named (a warning, not a refusal)?"""
    account = case.applicant_user
    if account is None:
        return False
    names = {account.get_full_name(), getattr(account, "display_name", ""), account.username}
    return not any(same_name(name, case.applicant_name) for name in names if name)


def case_warnings(case: Case) -> list[dict]:
    """What the person who created the case should look at again: `{"field", "message"}` for each."""
    warnings = []
    if creditor_name_differs(case):
        account = case.applicant_user
        warnings.append({"field": "applicant.user", "message": _(
            "The creditor account %(user)s (%(account_name)s) is not in the name of the applicant %(applicant)s: "
            "check that this account belongs to the applicant.") % {
                "user": account.username, "account_name": getattr(account, "display_name", "") or account.username,
                "applicant": case.applicant_name}})
    return warnings


def may_add_evidence(*, case: Case, user) -> bool:
    if case.state in TERMINAL_STATES:
        return False
    if user.role == Role.CREDITOR:
        return case.applicant_user_id == user.pk
    if user.role == Role.ENFORCEMENT_JUDGE:
        return user.agency_id == case.executing_court_id
    if user.role == Role.PROCURATOR:
        return user.agency_id == case.procuratorate_id and case.origin == Origin.PROCURATORATE
    if user.role == Role.POLICE_INVESTIGATOR:
        return user.agency_id == case.police_agency_id
    return False


@transaction.atomic
def evidence_add(*, case_id: int, actor: User, category: str, title: str, file) -> Evidence:
    """Add one material with its SHA-256; nothing is ever replaced (Art. 4, 13)."""
    case = Case.objects.select_for_update().get(pk=case_id)
    if not may_add_evidence(case=case, user=actor):
        raise PermissionDenied(_("You may not add evidence to this case now."))
    if category not in EvidenceCategory.values:
        raise ValidationError({"category": [_("Unknown category.")]})
    if actor.role == Role.CREDITOR and category not in PRIVATE_CATEGORIES:
        raise ValidationError({"category": [_("A creditor adds private prosecution materials (Art. 13).")]})
    if not (title or "").strip():
        raise ValidationError({"title": [_("This field is required.")]})
    content_type = validate_upload(file)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    same = case.evidence.filter(sha256=digest.hexdigest()).order_by("id").first()
    if same is not None:
        raise Duplicate(
            _("%(basis)s: this file is already on the case as “%(title)s” (%(category)s), added on %(added)s.")
            % {"basis": DUPLICATE_MATERIAL_BASIS, "title": same.title,
               "category": EvidenceCategory(same.category).label,
               "added": timezone.localtime(same.added_at).strftime("%Y-%m-%d %H:%M")},
            field="file",
            existing={"id": same.pk, "title": same.title, "category": same.category, "sha256": same.sha256,
                      "added_at": timezone.localtime(same.added_at).isoformat()},
        )
    evidence = Evidence(
        case=case, category=category, title=title.strip()[:200], file=file,
        original_name=(getattr(file, "name", "") or "")[:255],
        content_type=content_type,
        size=file.size, sha256=digest.hexdigest(), added_by=actor,
    )
    evidence.save()
    record_event(case=case, actor=actor, transition="add_evidence", from_state=case.state, to_state=case.state,
                 payload={"evidence": evidence.pk, "category": category, "title": evidence.title,
                          "sha256": evidence.sha256})
    after_content_change(case.pk)
    return evidence


def may_remove_evidence(*, case: Case, evidence: Evidence, user) -> bool:
    """Who may take back a material: whoever may add materials to the case now, for a material of their own side
    (the creditor their own, an agency's user its agency's)."""
    if not may_add_evidence(case=case, user=user):
        return False
    if evidence.added_by_id == user.pk:
        return True
    return user.role != Role.CREDITOR and bool(user.agency_id) and evidence.added_by.agency_id == user.agency_id


@transaction.atomic
def evidence_remove(*, case_id: int, evidence_id: int, actor: User, reason: str = "") -> None:
    """Take back a material added by mistake, while the case is a draft (procedure.duplicates); the removal, with
    the material's title and SHA-256, stays in the case's trail. Refused (409) once the case was submitted."""
    case = Case.objects.select_for_update().get(pk=case_id)
    evidence = Evidence.objects.select_related("added_by").filter(case=case, pk=evidence_id).first()
    if evidence is None:
        raise Http404
    if not material_removable(case.state):
        raise TransitionConflict(
            _("%(basis)s: the materials were fixed when the case was submitted; a material is removed only while "
              "the case is a draft.") % {"basis": REMOVAL_BASIS},
            state=case.state, allowed=[])
    if not may_remove_evidence(case=case, evidence=evidence, user=actor):
        raise PermissionDenied(_("You may not remove this material."))
    record_event(case=case, actor=actor, transition="remove_evidence", from_state=case.state, to_state=case.state,
                 payload={"evidence": evidence.pk, "category": evidence.category, "title": evidence.title,
                          "sha256": evidence.sha256, "added_by": evidence.added_by_id, "reason": reason.strip()})
    stored = evidence.file
    evidence.delete(allow=True)
    transaction.on_commit(lambda: stored.storage.delete(stored.name))
    after_content_change(case.pk)


def state_is(case: Case, *states: str) -> bool:
    return case.state in states


__all__ = ["case_create", "evidence_add", "evidence_remove", "next_in_sequence", "CaseState"]
