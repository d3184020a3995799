"""Writes other than transitions: creating a case, adding evidence, allocating numbers."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, User
from agencies.roles import AgencyKind, Role
from procedure.states import PRIVATE_CATEGORIES, TERMINAL_STATES, CaseState, EvidenceCategory, Origin
from workflow.cases.content_jobs import after_content_change
from workflow.cases.events import record_event
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


@transaction.atomic
def case_create(*, actor: User, executing_court=None, police_agency=None, procuratorate=None,
                applicant: dict, debtor: dict, enforcement_case_number: str, basis_document: str,
                amount_owed, summary: str = "", jurisdiction_reason: str = "", internal_note: str = "") -> Case:
    """Create a case in draft (procedure.md §3 "create"): by an enforcement judge, a procurator or a creditor."""
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
        applicant_kind=applicant.get("kind") or "person",
        applicant_id_number=applicant.get("id_number", ""),
        applicant_phone=applicant.get("phone", ""),
        applicant_address=applicant.get("address", ""),
        applicant_user=applicant_user,
        debtor_name=debtor.get("name", ""),
        debtor_kind=debtor.get("kind") or "person",
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
    record_event(case=case, actor=actor, transition="create", to_state=case.state,
                 payload={"origin": origin, "cross_region": case.cross_region, "amount_owed": case.amount_owed,
                          "jurisdiction_reason": case.jurisdiction_reason})
    after_content_change(case.pk)  # indexed for search from the start
    return case


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


def state_is(case: Case, *states: str) -> bool:
    return case.state in states


__all__ = ["case_create", "evidence_add", "next_in_sequence", "CaseState"]
