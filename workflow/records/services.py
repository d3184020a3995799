"""Writes of the sub-procedure records (procedure.md §3 "Sub-procedures"): one service per action.

Each service finds the case among those the actor may see (404 otherwise), locks its row, checks role,
agency position and state (403, 409; workflow.record_permissions), validates (400 naming the field), saves
the record and appends one event to the case's hash chain. The event's `transition` is the action's name and
its state is unchanged, so every record sits in the same audit trail as the transitions. Deadlines are opened
and met, letters issued, in the same transaction; notifications are sent once it has committed.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, User
from agencies.roles import AgencyKind, Role
from procedure.records import (
    ARREST_DECIDERS,
    LOCATE_ANSWERERS,
    REFERRAL_RECEIVERS,
    check_may_acknowledge_referral,
    check_may_answer_copy_request,
    check_may_answer_locate,
    check_may_decide_arrest,
    check_may_dispose_property,
    check_may_end_measure,
    check_may_record_meetings,
    check_record_action,
    record_conflict,
)
from procedure.states import DeadlineKind, DeadlineStatus
from workflow.cases.events import record_event
from workflow.cases.letters import issue_letter
from workflow.cases.selectors import case_list
from workflow.deadlines import services as deadlines
from workflow.models import Case, Deadline, Evidence
from workflow.models.records import (
    CUSTODIAL_MEASURES,
    ArrestDecision,
    ArrestRequest,
    CoerciveMeasure,
    CoerciveMeasureKind,
    CopyRequestStatus,
    EvidenceCopyRequest,
    JointMeeting,
    LocateRequest,
    LocateResult,
    ObstructionReferral,
    Performance,
    PerformanceExtent,
    PerformanceKind,
    PropertyControl,
    PropertyControlStatus,
    PropertyMeasure,
    Warning,
)
from workflow.notifications.recipients import creditor, officers
from workflow.notifications.services import notify_later

MAX_ID = 2**63 - 1  # the largest BigAutoField id


# ---------------------------------------------------------------------------------------------------------------
# Shared steps


def _lock_case(*, case_id, actor) -> Case:
    """The case row, locked; 404 both for a missing case and for one the actor may not see."""
    if not case_list(user=actor).filter(pk=case_id).exists():
        raise Http404
    return Case.objects.select_for_update(of=("self",)).select_related("executing_court").get(pk=case_id)


def _lock_record(model, *, record_id, visible) -> tuple[Case, object]:
    """Lock the record's case, then the record (always in this order, like every service here)."""
    try:
        record_id = int(record_id)
    except (TypeError, ValueError):
        raise Http404 from None
    case_id = visible.filter(pk=record_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404
    case = Case.objects.select_for_update(of=("self",)).select_related("executing_court").get(pk=case_id)
    return case, model.objects.select_for_update().get(pk=record_id)


def _event(case: Case, actor, name: str, payload: dict):
    return record_event(case=case, actor=actor, transition=name, from_state=case.state, to_state=case.state,
                        payload=payload)


def _text(value, field: str, *, required: bool = True, limit: int | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]})
    if limit is not None and len(value) > limit:
        raise ValidationError({field: [_("At most %(limit)s characters.") % {"limit": limit}]})
    return value


def _day(value, field: str, *, default_today: bool = True) -> date | None:
    """A date of something that has happened: today by default, never in the future."""
    if value in (None, ""):
        return timezone.localdate() if default_today else None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None
    if value > timezone.localdate():
        raise ValidationError({field: [_("This date is in the future.")]})
    return value


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: [_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}]})
    return value


def _agency_ref(value, field: str, kinds: tuple[str, ...]) -> Agency:
    agency = value if isinstance(value, Agency) else None
    if agency is None and value not in (None, ""):
        try:
            agency = Agency.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            agency = None
    if agency is None:
        raise ValidationError({field: [_("No such agency.")]})
    if agency.kind not in kinds:
        raise ValidationError({field: [_("This must be an agency of kind %(kind)s.") % {"kind": " / ".join(kinds)}]})
    return agency


def _save(record, exclude=()):
    record.full_clean(exclude=list(exclude))
    record.save()
    return record


def _meet_deadline(deadline: Deadline | None) -> None:
    """The owing agency acted: met if on time; a late act keeps the overdue status with its date."""
    if deadline is None or deadline.met_at is not None or deadline.status == DeadlineStatus.CANCELLED:
        return
    deadline.met_at = timezone.now()
    if deadline.status == DeadlineStatus.OPEN:
        deadline.status = DeadlineStatus.MET if timezone.localdate() <= deadline.due_date else DeadlineStatus.OVERDUE
    deadline.save(update_fields=["met_at", "status"])


def _issue(*, case, kind, actor, event, data, addressee):
    return issue_letter(case=case, kind=kind, actor=actor, event=event, data=data, addressee=addressee)


# ---------------------------------------------------------------------------------------------------------------
# arrest_request (Art. 6, 9; CPL Art. 87, 90, 91)


@transaction.atomic
def arrest_request_create(*, case_id, actor, grounds: str, suspect_name: str = "",
                          custody: bool | None = None) -> ArrestRequest:
    """The police ask the procuratorate to approve an arrest; the `arrest_review` deadline (7 days) opens."""
    case = _lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="arrest_request")
    grounds = _text(grounds, "grounds")
    if case.arrest_requests.filter(decision="").exists():
        raise record_conflict(case, actor, _("An arrest request of this case is still awaiting the procuratorate's decision."))
    if case.procuratorate_id is None:
        raise record_conflict(case, actor, _("This case has no procuratorate to review an arrest."))
    deadline = deadlines.open_deadline(case=case, kind=DeadlineKind.ARREST_REVIEW, owed_by=case.procuratorate,
                                       custody=custody)
    request = _save(ArrestRequest(
        case=case, suspect_name=_text(suspect_name, "suspect_name", required=False) or case.debtor_name,
        grounds=grounds, requested_by=actor, requesting_agency=actor.agency, deadline=deadline,
    ))
    event = _event(case, actor, "arrest_request", {"arrest_request": request.pk, "suspect": request.suspect_name,
                                                   "due_date": deadline.due_date})
    notify_later(case=case, event=event, kind="arrest_request", actor=actor,
                 recipients=officers(case.procuratorate_id, ARREST_DECIDERS))
    return request


@transaction.atomic
def arrest_request_decide(*, request_id, actor, decision: str, reason: str = "") -> ArrestRequest:
    """CPL Art. 90, 91: the procuratorate approves or denies; a denial gives its reasons. Meets the deadline."""
    from workflow.records.selectors import arrest_request_list  # noqa: PLC0415

    case, request = _lock_record(ArrestRequest, record_id=request_id, visible=arrest_request_list(user=actor))
    check_may_decide_arrest(request, actor)
    decision = _choice(decision, ArrestDecision, "decision")
    reason = _text(reason, "reason", required=decision == ArrestDecision.DENY)
    request.decision, request.decision_reason = decision, reason
    request.decided_by, request.decided_at = actor, timezone.now()
    _save(request)
    _meet_deadline(request.deadline)
    event = _event(case, actor, "decide_arrest_request", {"arrest_request": request.pk, "decision": decision})
    notify_later(case=case, event=event, kind="decide_arrest_request", actor=actor,
                 recipients=[request.requested_by_id])
    return request


# ---------------------------------------------------------------------------------------------------------------
# coercive_measure (Art. 6)


def _sync_custody(case: Case) -> None:
    """The suspect is in custody while a detention or an arrest is in force (it shortens no period: CPL Art. 105)."""
    in_custody = case.coercive_measures.filter(kind__in=CUSTODIAL_MEASURES, ended_on__isnull=True).exists()
    if case.custody != in_custody:
        case.custody = in_custody
        case.save(update_fields=["custody", "updated_at"])


@transaction.atomic
def coercive_measure_create(*, case_id, actor, kind: str, legal_basis: str, person_name: str = "",
                            taken_on=None, place: str = "", note: str = "", arrest_request=None) -> CoerciveMeasure:
    """Art. 6: a measure against the suspect after filing. An arrest executes an approved arrest request."""
    case = _lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="coercive_measure")
    kind = _choice(kind, CoerciveMeasureKind, "kind")
    approved = None
    if kind == CoerciveMeasureKind.ARREST:
        candidates = case.arrest_requests.filter(decision=ArrestDecision.APPROVE, measures__isnull=True)
        if arrest_request not in (None, ""):
            approved = candidates.filter(pk=getattr(arrest_request, "pk", arrest_request)).first()
            if approved is None:
                raise ValidationError({"arrest_request": [
                    _("Not an approved, unexecuted arrest request of this case.")]})
        else:
            approved = candidates.order_by("-decided_at").first()
        if approved is None:
            raise ValidationError({"kind": [
                _("CPL Art. 80: an arrest needs the procuratorate's approval, and none awaits execution here.")]})
    elif arrest_request not in (None, ""):
        raise ValidationError({"arrest_request": [_("Only an arrest executes an arrest request.")]})
    measure = _save(CoerciveMeasure(
        case=case, kind=kind, person_name=_text(person_name, "person_name", required=False) or case.debtor_name,
        taken_on=_day(taken_on, "taken_on"), legal_basis=_text(legal_basis, "legal_basis", limit=300),
        place=_text(place, "place", required=False, limit=300), note=_text(note, "note", required=False),
        arrest_request=approved, recorded_by=actor, agency=actor.agency,
    ))
    _sync_custody(case)
    _event(case, actor, "coercive_measure", {"coercive_measure": measure.pk, "kind": kind,
                                             "taken_on": measure.taken_on})
    return measure


@transaction.atomic
def coercive_measure_end(*, measure_id, actor, reason: str, ended_on=None) -> CoerciveMeasure:
    """A measure ends (released, bail lifted, converted); the police agency that took it records so."""
    from workflow.records.selectors import coercive_measure_list  # noqa: PLC0415

    case, measure = _lock_record(CoerciveMeasure, record_id=measure_id, visible=coercive_measure_list(user=actor))
    check_may_end_measure(measure, actor)
    ended_on = _day(ended_on, "ended_on")
    if ended_on < measure.taken_on:
        raise ValidationError({"ended_on": [_("A measure cannot end before it was taken.")]})
    measure.ended_on, measure.end_reason, measure.ended_by = ended_on, _text(reason, "reason"), actor
    _save(measure)
    _sync_custody(case)
    _event(case, actor, "end_coercive_measure", {"coercive_measure": measure.pk, "ended_on": ended_on})
    return measure


# ---------------------------------------------------------------------------------------------------------------
# property_control (Art. 6 ¶2 police; Art. 14 ¶2 trial court in a private prosecution)


@transaction.atomic
def property_control_create(*, case_id, actor, measure: str, description: str, location: str = "",
                            amount=None, controlled_on=None) -> PropertyControl:
    """Seize, distrain or freeze what the debtor hid or transferred, so the judgment does not come too late."""
    case = _lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="property_control")
    if amount not in (None, ""):
        try:
            amount = Decimal(str(amount))
        except ArithmeticError:
            raise ValidationError({"amount": [_("Enter an amount in yuan, e.g. 1250.00.")]}) from None
        if amount < 0:
            raise ValidationError({"amount": [_("An amount cannot be negative.")]})
    else:
        amount = None
    control = _save(PropertyControl(
        case=case, measure=_choice(measure, PropertyMeasure, "measure"),
        description=_text(description, "description", limit=500), location=_text(location, "location",
                                                                                  required=False, limit=300),
        amount=amount, controlled_on=_day(controlled_on, "controlled_on"), controlling_agency=actor.agency,
        recorded_by=actor,
    ))
    event = _event(case, actor, "property_control", {"property_control": control.pk, "measure": control.measure,
                                                     "amount": control.amount})
    notify_later(case=case, event=event, kind="property_control", actor=actor,
                 recipients=officers(case.executing_court_id, [Role.ENFORCEMENT_JUDGE]) + creditor(case))
    return control


def _dispose(*, control_id, actor, name: str, status: str, note: str, disposed_on) -> PropertyControl:
    from workflow.records.selectors import property_control_list  # noqa: PLC0415

    case, control = _lock_record(PropertyControl, record_id=control_id, visible=property_control_list(user=actor))
    check_may_dispose_property(control, actor)
    disposed_on = _day(disposed_on, "disposed_on")
    if disposed_on < control.controlled_on:
        raise ValidationError({"disposed_on": [_("This date is before the property was controlled.")]})
    control.status, control.disposed_on, control.disposed_by = status, disposed_on, actor
    control.disposal_note = _text(note, "reason" if status == PropertyControlStatus.RELEASED else "note",
                                  required=status == PropertyControlStatus.RELEASED)
    if status == PropertyControlStatus.HANDED_OVER:
        control.handed_to = case.executing_court
    _save(control)
    event = _event(case, actor, name, {"property_control": control.pk, "on": disposed_on})
    notify_later(case=case, event=event, kind=name, actor=actor,
                 recipients=officers(case.executing_court_id, [Role.ENFORCEMENT_JUDGE]))
    return control


@transaction.atomic
def property_control_release(*, control_id, actor, reason: str, released_on=None) -> PropertyControl:
    """The control is lifted; the reason is required."""
    return _dispose(control_id=control_id, actor=actor, name="release_property", status=PropertyControlStatus.RELEASED,
                    note=reason, disposed_on=released_on)


@transaction.atomic
def property_control_hand_over(*, control_id, actor, note: str = "", handed_on=None) -> PropertyControl:
    """The controlled property goes to the executing court, which applies it to the debt."""
    return _dispose(control_id=control_id, actor=actor, name="hand_over_property",
                    status=PropertyControlStatus.HANDED_OVER, note=note, disposed_on=handed_on)


# ---------------------------------------------------------------------------------------------------------------
# warning and performance (procedure.md §3; statistics of §6)


@transaction.atomic
def warning_create(*, case_id, actor, content: str, warned_on=None, performance_due=None) -> Warning:
    """Any organ of the case warns the debtor to perform; a later performance counts as 'after warning'."""
    case = _lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="warning")
    warned_on = _day(warned_on, "warned_on")
    if performance_due not in (None, ""):
        if not isinstance(performance_due, date):
            try:
                performance_due = date.fromisoformat(str(performance_due))
            except ValueError:
                raise ValidationError({"performance_due": [_("Enter a date as YYYY-MM-DD.")]}) from None
        if performance_due < warned_on:
            raise ValidationError({"performance_due": [_("The date to perform by is before the warning.")]})
    else:
        performance_due = None
    warning = _save(Warning(case=case, warned_on=warned_on, content=_text(content, "content"),
                            performance_due=performance_due, given_by=actor.agency, recorded_by=actor))
    _event(case, actor, "warning", {"warning": warning.pk, "warned_on": warned_on,
                                    "performance_due": performance_due})
    return warning


def recovered_total(case: Case) -> Decimal:
    return case.performances.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@transaction.atomic
def performance_record(*, case_id, actor, kind: str, amount, performed_on=None, description: str = "",
                       warning=None) -> Performance:
    """The debtor paid or delivered. The case's amount recovered becomes the sum of its performances and may
    never pass the amount owed; the performance is full when nothing remains owed."""
    case = _lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="performance")
    kind = _choice(kind, PerformanceKind, "kind")
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except ArithmeticError:
        raise ValidationError({"amount": [_("Enter an amount in yuan, e.g. 1250.00.")]}) from None
    if amount <= 0:
        raise ValidationError({"amount": [_("The amount must be more than zero.")]})
    so_far = recovered_total(case)
    remaining = case.amount_owed - so_far
    if amount > remaining:
        raise ValidationError({"amount": [
            _("This would bring the amount recovered above the amount owed: %(remaining)s yuan remain of "
              "%(owed)s.") % {"remaining": remaining, "owed": case.amount_owed}]})
    performed_on = _day(performed_on, "performed_on")
    linked = None
    if warning not in (None, ""):
        ref = str(getattr(warning, "pk", warning))
        linked = case.warnings.filter(pk=int(ref)).first() if ref.isdigit() else None
        if linked is None:
            raise ValidationError({"warning": [_("Not a warning of this case.")]})
        if linked.warned_on > performed_on:
            raise ValidationError({"warning": [_("This warning was given after the performance.")]})
    after_warning = linked is not None or case.warnings.filter(warned_on__lte=performed_on).exists()
    total = so_far + amount
    performance = _save(Performance(
        case=case, kind=kind, amount=amount, performed_on=performed_on,
        description=_text(description, "description", required=False),
        extent=PerformanceExtent.FULL if total == case.amount_owed else PerformanceExtent.PARTIAL,
        warning=linked, after_warning=after_warning, case_state=case.state,
        recorded_by=actor, agency=actor.agency,
    ))
    case.amount_recovered = total
    case.save(update_fields=["amount_recovered", "updated_at"])
    event = _event(case, actor, "performance", {
        "performance": performance.pk, "kind": kind, "amount": amount, "extent": performance.extent,
        "amount_recovered": total, "after_warning": after_warning,
    })
    notify_later(case=case, event=event, kind="performance", actor=actor,
                 recipients=creditor(case) + officers(case.executing_court_id, [Role.ENFORCEMENT_JUDGE]))
    return performance


# ---------------------------------------------------------------------------------------------------------------
# evidence_copy_request (Art. 15)


@transaction.atomic
def evidence_copy_request_create(*, case_id, actor, description: str) -> EvidenceCopyRequest:
    """The private prosecutor asks the executing court for copies of the evidence it fixed in enforcement."""
    case = _lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="evidence_copy_request")
    request = _save(EvidenceCopyRequest(case=case, description=_text(description, "description"),
                                        requested_by=actor))
    event = _event(case, actor, "evidence_copy_request", {"evidence_copy_request": request.pk})
    notify_later(case=case, event=event, kind="evidence_copy_request", actor=actor,
                 recipients=officers(case.executing_court_id, [Role.ENFORCEMENT_JUDGE]))
    return request


@transaction.atomic
def evidence_copy_request_answer(*, request_id, actor, evidence: list, note: str = "") -> EvidenceCopyRequest:
    """Art. 15: the executing court answers promptly by sharing the chosen materials with the creditor, who may
    then download them; where it holds nothing of the kind, the note says so."""
    from workflow.records.selectors import evidence_copy_request_list  # noqa: PLC0415

    case, request = _lock_record(EvidenceCopyRequest, record_id=request_id,
                                 visible=evidence_copy_request_list(user=actor))
    check_may_answer_copy_request(request, actor)
    try:
        wanted = sorted({int(getattr(e, "pk", e)) for e in (evidence or [])})
    except (TypeError, ValueError):
        raise ValidationError({"evidence": [_("Give the ids of this case's materials.")]}) from None
    materials = list(Evidence.objects.filter(case=case, pk__in=_storable(wanted)))
    unknown = sorted(set(wanted) - {m.pk for m in materials})
    if unknown:
        raise ValidationError({"evidence": [_("Not a material of this case: %(ids)s.")
                                            % {"ids": ", ".join(map(str, unknown))}]})
    note = _text(note, "note", required=False)
    if not materials and not note:
        raise ValidationError({"evidence": [_("Share at least one material, or say in the note why there is none.")]})
    # Evidence refuses save() on an existing row (a material is never replaced); sharing changes no content.
    Evidence.objects.filter(pk__in=[m.pk for m in materials]).update(shared_with_creditor=True)
    request.status, request.answer_note = CopyRequestStatus.ANSWERED, note
    request.answered_by, request.answered_at = actor, timezone.now()
    _save(request)
    request.shared_evidence.set(materials)
    event = _event(case, actor, "answer_evidence_copy_request", {"evidence_copy_request": request.pk,
                                                                 "shared": [m.pk for m in materials]})
    notify_later(case=case, event=event, kind="answer_evidence_copy_request", actor=actor,
                 recipients=[request.requested_by_id])
    return request


# ---------------------------------------------------------------------------------------------------------------
# locate_request (Art. 16)


@transaction.atomic
def locate_request_create(*, case_id, actor, defendant_name: str = "", last_known_address: str = "",
                          note: str = "", police_agency=None) -> LocateRequest:
    """The trial court asks the police to find a defendant whose whereabouts are unknown; issues its letter.
    A private prosecution has no police agency of its own, so the court names the one to ask."""
    case = _lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="locate_request")
    if police_agency in (None, ""):
        police = case.police_agency
        if police is None:
            raise ValidationError({"police_agency": [_("This case has no police agency; name the one to ask.")]})
    else:
        police = _agency_ref(police_agency, "police_agency", (AgencyKind.POLICE,))
    if case.locate_requests.filter(police_agency=police, result="").exists():
        raise record_conflict(case, actor, _("This police agency has not yet answered the previous request."))
    request = _save(LocateRequest(
        case=case, defendant_name=_text(defendant_name, "defendant_name", required=False, limit=200)
        or case.debtor_name,
        last_known_address=_text(last_known_address, "last_known_address", required=False, limit=300)
        or case.debtor_address,
        note=_text(note, "note", required=False), requesting_court=actor.agency, police_agency=police,
        requested_by=actor,
    ), exclude=["letter"])
    event = _event(case, actor, "locate_request", {"locate_request": request.pk, "police_agency": police.pk})
    request.letter = _issue(case=case, kind="locate_request_letter", actor=actor, event=event, addressee=police,
                            data={"record_id": request.pk, "defendant": request.defendant_name,
                                  "last_known_address": request.last_known_address, "note": request.note})
    request.save(update_fields=["letter"])
    notify_later(case=case, event=event, kind="locate_request", actor=actor,
                 recipients=officers(police.pk, LOCATE_ANSWERERS))
    return request


@transaction.atomic
def locate_request_answer(*, request_id, actor, result: str, detail: str = "") -> LocateRequest:
    """Art. 16: the police asked answer with the result; where the defendant was found, they say where."""
    from workflow.records.selectors import locate_request_list  # noqa: PLC0415

    case, request = _lock_record(LocateRequest, record_id=request_id, visible=locate_request_list(user=actor))
    check_may_answer_locate(request, actor)
    request.result = _choice(result, LocateResult, "result")
    request.result_detail = _text(detail, "detail", required=result == LocateResult.FOUND)
    request.answered_by, request.answered_at = actor, timezone.now()
    _save(request)
    event = _event(case, actor, "answer_locate_request", {"locate_request": request.pk, "result": result})
    notify_later(case=case, event=event, kind="answer_locate_request", actor=actor,
                 recipients=[request.requested_by_id] + officers(request.requesting_court_id, [Role.TRIAL_JUDGE]))
    return request


# ---------------------------------------------------------------------------------------------------------------
# obstruction_referral (Art. 18)


@transaction.atomic
def obstruction_referral_create(*, case_id, actor, receiver, official_name: str, conduct: str,
                                official_position: str = "") -> ObstructionReferral:
    """The executing court refers a state-organ worker who used power to obstruct enforcement to a discipline
    commission or a procuratorate; issues the referral letter. The event names no one: the clue is confidential."""
    case = _lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="obstruction_referral")
    receiving = _agency_ref(receiver, "receiver", tuple(REFERRAL_RECEIVERS))
    referral = _save(ObstructionReferral(
        case=case, official_name=_text(official_name, "official_name", limit=200),
        official_position=_text(official_position, "official_position", required=False, limit=300),
        conduct=_text(conduct, "conduct"), referring_court=actor.agency, receiver=receiving, referred_by=actor,
    ), exclude=["letter"])
    event = _event(case, actor, "obstruction_referral", {"obstruction_referral": referral.pk,
                                                         "receiver": receiving.pk})
    referral.letter = _issue(case=case, kind="obstruction_referral_letter", actor=actor, event=event,
                             addressee=receiving,
                             data={"record_id": referral.pk, "official_name": referral.official_name,
                                   "official_position": referral.official_position, "conduct": referral.conduct})
    referral.save(update_fields=["letter"])
    notify_later(case=case, event=event, kind="obstruction_referral", actor=actor,
                 recipients=officers(receiving.pk, REFERRAL_RECEIVERS[receiving.kind]))
    return referral


@transaction.atomic
def obstruction_referral_acknowledge(*, referral_id, actor, note: str = "") -> ObstructionReferral:
    """The discipline commission or procuratorate confirms it has received the referral."""
    from workflow.records.selectors import obstruction_referral_list  # noqa: PLC0415

    case, referral = _lock_record(ObstructionReferral, record_id=referral_id,
                                  visible=obstruction_referral_list(user=actor))
    check_may_acknowledge_referral(referral, actor)
    referral.acknowledged_by, referral.acknowledged_at = actor, timezone.now()
    referral.acknowledgment_note = _text(note, "note", required=False)
    _save(referral)
    event = _event(case, actor, "acknowledge_obstruction_referral", {"obstruction_referral": referral.pk})
    notify_later(case=case, event=event, kind="acknowledge_obstruction_referral", actor=actor,
                 recipients=[referral.referred_by_id])
    return referral


# ---------------------------------------------------------------------------------------------------------------
# joint meetings (Art. 19)


def _meeting_attendees(region_code: str, attendees) -> list[User]:
    names = [a.username if isinstance(a, User) else str(a) for a in (attendees or [])]
    found = {u.username: u for u in User.objects.filter(username__in=names, agency__region_code=region_code)}
    unknown = [n for n in names if n not in found]
    if unknown:
        raise ValidationError({"attendees": [_("No officer of this region with the username: %(names)s.")
                                             % {"names": ", ".join(unknown)}]})
    return list(found.values())


def _storable(ids) -> list[int]:
    """The ids a row can have: a larger integer cannot even be sent to the database (it is simply unknown)."""
    return [i for i in ids if 0 < i <= MAX_ID]


def _meeting_cases(region_code: str, cases) -> list[int]:
    try:
        ids = sorted({int(getattr(c, "pk", c)) for c in (cases or [])})
    except (TypeError, ValueError):
        raise ValidationError({"cases": [_("Give case ids.")]}) from None
    found = set(Case.objects.filter(pk__in=_storable(ids), executing_court__region_code=region_code)
                .values_list("pk", flat=True))
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise ValidationError({"cases": [_("No case of this region with the id: %(ids)s.")
                                         % {"ids": ", ".join(map(str, unknown))}]})
    return ids


def _link_cases(meeting: JointMeeting, actor, case_ids: list[int]) -> None:
    """Each newly discussed case gets the meeting in its audit chain (cases locked in id order)."""
    already = set(meeting.cases.values_list("pk", flat=True))
    for case in Case.objects.select_for_update().filter(pk__in=[i for i in case_ids if i not in already]).order_by("pk"):
        meeting.cases.add(case)
        _event(case, actor, "joint_meeting", {"joint_meeting": meeting.pk, "held_on": meeting.held_on})


@transaction.atomic
def joint_meeting_create(*, actor, held_on, title: str, place: str = "", attendees=(), other_attendees: str = "",
                         minutes: str = "", decisions: str = "", cases=()) -> JointMeeting:
    """Art. 19: a liaison records a meeting of the region's three organs: who came, what was said and decided,
    which cases were discussed."""
    check_may_record_meetings(actor)
    agency = actor.agency
    if held_on in (None, ""):
        raise ValidationError({"held_on": [_("This field is required.")]})
    if not isinstance(held_on, date):
        try:
            held_on = date.fromisoformat(str(held_on))
        except ValueError:
            raise ValidationError({"held_on": [_("Enter a date as YYYY-MM-DD.")]}) from None
    people = _meeting_attendees(agency.region_code, attendees)
    case_ids = _meeting_cases(agency.region_code, cases)
    meeting = _save(JointMeeting(
        region_code=agency.region_code, region_name=agency.region_name, held_on=held_on,
        title=_text(title, "title", limit=200), place=_text(place, "place", required=False, limit=200),
        other_attendees=_text(other_attendees, "other_attendees", required=False),
        minutes=_text(minutes, "minutes", required=False), decisions=_text(decisions, "decisions", required=False),
        convened_by=agency, created_by=actor,
    ))
    meeting.attendees.set(people)
    _link_cases(meeting, actor, case_ids)
    return meeting


@transaction.atomic
def joint_meeting_update(*, meeting_id, actor, **changes) -> JointMeeting:
    """A liaison of the region completes the minutes and decisions, attendees or cases after the meeting.
    Cases can be added, never removed: that they were discussed is already in their audit chains."""
    check_may_record_meetings(actor)
    meeting = JointMeeting.objects.select_for_update().filter(pk=meeting_id, region_code=actor.agency.region_code).first()
    if meeting is None:
        raise Http404
    for field, limit in (("title", 200), ("place", 200), ("other_attendees", None), ("minutes", None),
                         ("decisions", None)):
        if field in changes:
            setattr(meeting, field, _text(changes[field], field, required=field == "title", limit=limit))
    if "held_on" in changes:
        try:
            meeting.held_on = changes["held_on"] if isinstance(changes["held_on"], date) else date.fromisoformat(
                str(changes["held_on"]))
        except ValueError:
            raise ValidationError({"held_on": [_("Enter a date as YYYY-MM-DD.")]}) from None
    _save(meeting)
    if "attendees" in changes:
        meeting.attendees.set(_meeting_attendees(meeting.region_code, changes["attendees"]))
    if "cases" in changes:
        _link_cases(meeting, actor, _meeting_cases(meeting.region_code, changes["cases"]))
    return meeting

