"""Writes of the sub-procedure records (procedure.md §3 "Sub-procedures"): one service per action.

Each service finds the case among those the actor may see (404 otherwise), locks its row, checks role,
agency position and state (403, 409; procedure.records), validates (400 naming the field), saves
the record and appends one event to the case's hash chain. The event's `transition` is the action's name and
its state is unchanged, so every record sits in the same audit trail as the transitions. Deadlines are opened
and met, letters issued, in the same transaction; notifications are written in that transaction too.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.roles import AgencyKind, Role
from procedure.deadlines import DeadlineKind
from procedure.periods import DETENTION_EXTENDED, DETENTION_EXTENDED_GANG, arrest_review_period
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
    check_may_extend_detention,
    check_record_action,
    record_conflict,
)
from procedure.states import DeadlineStatus
from procedure.transitions import Extension
from workflow.cases.letters import issue_letter
from workflow.deadlines import services as deadlines
from workflow.models import Case, Evidence
from workflow.models.records import (
    CUSTODIAL_MEASURES,
    ArrestDecision,
    ArrestRequest,
    CoerciveMeasure,
    CoerciveMeasureKind,
    CopyRequestStatus,
    EvidenceCopyRequest,
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
from workflow.notifications.services import notify_record
from workflow.records.remedies import (
    correction_notice_create,
    correction_notice_reply,
    supervision_complaint_answer,
    supervision_complaint_create,
)
from workflow.records.selectors import (
    arrest_request_list,
    coercive_measure_list,
    evidence_copy_request_list,
    locate_request_list,
    obstruction_referral_list,
    property_control_list,
)
from workflow.records.steps import (
    add_event,
    clean_agency,
    clean_choice,
    clean_day,
    clean_text,
    lock_case,
    lock_record,
    meet_deadline,
    parse_date,
    save_valid,
    storable_ids,
)

# ---------------------------------------------------------------------------------------------------------------
# arrest_request (Art. 6, 9; CPL Art. 87, 90, 91)


@transaction.atomic
def arrest_request_create(*, case_id, actor, grounds: str, detained: bool, suspect_name: str = "",
                          complex_case: bool = False) -> ArrestRequest:
    """The police ask the procuratorate to approve an arrest; the `arrest_review` deadline opens: 7 days for a
    detained suspect (CPL Art. 91 ¶3), else 15, 20 for a major or complex case. It meets the detention period."""
    case = lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="arrest_request")
    grounds = clean_text(grounds, "grounds")
    if case.arrest_requests.filter(decision="").exists():
        raise record_conflict(case, actor,
                              _("An arrest request of this case is still awaiting the procuratorate's decision."))
    if case.procuratorate_id is None:
        raise record_conflict(case, actor, _("This case has no procuratorate to review an arrest."))
    if not isinstance(detained, bool):
        raise ValidationError({"detained": [_("Say whether the suspect is held under a detention now.")]})
    deadline = deadlines.open_deadline(case=case, kind=DeadlineKind.ARREST_REVIEW, owed_by=case.procuratorate,
                                       custody=detained, period=arrest_review_period(
                                           detained=detained, complex_case=bool(complex_case)))
    request = save_valid(ArrestRequest(
        case=case, suspect_name=clean_text(suspect_name, "suspect_name", required=False) or case.debtor_name,
        grounds=grounds, detained=detained, requested_by=actor, requesting_agency=actor.agency, deadline=deadline,
    ))
    # CPL Art. 91: the police requested the arrest within the detention period.
    deadlines.close_deadlines(case=case, kinds=[DeadlineKind.DETENTION])
    event = add_event(case, actor, "arrest_request", {"arrest_request": request.pk, "suspect": request.suspect_name,
                                                      "due_date": deadline.due_date})
    notify_record(case=case, event=event, kind="arrest_request", actor=actor,
                 recipients=officers(case.procuratorate_id, ARREST_DECIDERS))
    return request


@transaction.atomic
def arrest_request_decide(*, request_id, actor, decision: str, reason: str = "") -> ArrestRequest:
    """CPL Art. 90, 91: the procuratorate approves or denies; a denial gives its reasons. Meets the deadline."""
    case, request = lock_record(ArrestRequest, record_id=request_id, visible=arrest_request_list(user=actor))
    check_may_decide_arrest(request, actor)
    decision = clean_choice(decision, ArrestDecision, "decision")
    reason = clean_text(reason, "reason", required=decision == ArrestDecision.DENY)
    request.decision, request.decision_reason = decision, reason
    request.decided_by, request.decided_at = actor, timezone.now()
    save_valid(request)
    meet_deadline(request.deadline)
    event = add_event(case, actor, "decide_arrest_request", {"arrest_request": request.pk, "decision": decision})
    notify_record(case=case, event=event, kind="decide_arrest_request", actor=actor,
                 recipients=[request.requested_by_id])
    return request


# ---------------------------------------------------------------------------------------------------------------
# coercive_measure (Art. 6)


#: The custody period each custodial measure opens (procedure.md §4).
CUSTODY_DEADLINE_OF = {CoerciveMeasureKind.DETENTION: DeadlineKind.DETENTION,
                       CoerciveMeasureKind.ARREST: DeadlineKind.INVESTIGATIVE_CUSTODY}


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
    case = lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="coercive_measure")
    kind = clean_choice(kind, CoerciveMeasureKind, "kind")
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
    measure = save_valid(CoerciveMeasure(
        case=case, kind=kind, person_name=clean_text(person_name, "person_name", required=False) or case.debtor_name,
        taken_on=clean_day(taken_on, "taken_on"), legal_basis=clean_text(legal_basis, "legal_basis", limit=300),
        place=clean_text(place, "place", required=False, limit=300), note=clean_text(note, "note", required=False),
        arrest_request=approved, recorded_by=actor, agency=actor.agency,
    ))
    if kind in CUSTODY_DEADLINE_OF:
        # CPL Art. 91 (detention: 3 days to request an arrest or release) and Art. 156 (2 months after arrest).
        measure.deadline = deadlines.open_deadline(case=case, kind=CUSTODY_DEADLINE_OF[kind], start=measure.taken_on,
                                                   owed_by=actor.agency)
        measure.save(update_fields=["deadline"])
    _sync_custody(case)
    add_event(case, actor, "coercive_measure", {"coercive_measure": measure.pk, "kind": kind,
                                                "taken_on": measure.taken_on})
    return measure


@transaction.atomic
def coercive_measure_end(*, measure_id, actor, reason: str, ended_on=None) -> CoerciveMeasure:
    """A measure ends (released, bail lifted, converted); the police agency that took it records so."""
    case, measure = lock_record(CoerciveMeasure, record_id=measure_id, visible=coercive_measure_list(user=actor))
    check_may_end_measure(measure, actor)
    ended_on = clean_day(ended_on, "ended_on")
    if ended_on < measure.taken_on:
        raise ValidationError({"ended_on": [_("A measure cannot end before it was taken.")]})
    measure.ended_on, measure.end_reason, measure.ended_by = ended_on, clean_text(reason, "reason"), actor
    save_valid(measure)
    meet_deadline(measure.deadline)  # the release ends the custody period
    _sync_custody(case)
    add_event(case, actor, "end_coercive_measure", {"coercive_measure": measure.pk, "ended_on": ended_on})
    return measure


@transaction.atomic
def detention_extend(*, measure_id, actor, days, reason: str) -> CoerciveMeasure:
    """CPL Art. 91 ¶1-2: the police head extends the detention period to 7 days, or to 30 for roving, repeated or
    gang crimes, counted from the detention, while it runs."""
    case, measure = lock_record(CoerciveMeasure, record_id=measure_id, visible=coercive_measure_list(user=actor))
    check_may_extend_detention(measure, actor)
    period = {7: DETENTION_EXTENDED, 30: DETENTION_EXTENDED_GANG}.get(int(days) if str(days).isdigit() else None)
    if period is None:
        raise ValidationError({"days": [_("Choose 7 or 30 days.")]})
    reason = clean_text(reason, "reason")
    if measure.deadline.status != DeadlineStatus.OPEN or measure.deadline.due_date < timezone.localdate():
        raise record_conflict(case, actor, _("The period has already expired; an expired period cannot be "
                                             "extended."))
    deadlines.extend_deadline(case=case, extension=Extension(DeadlineKind.DETENTION, period),
                              deadline=measure.deadline)
    add_event(case, actor, "extend_detention", {"coercive_measure": measure.pk, "days": period.days,
                                                "reason": reason})
    measure.refresh_from_db()
    return measure


# ---------------------------------------------------------------------------------------------------------------
# property_control (Art. 6 ¶2 police; Art. 14 ¶2 trial court in a private prosecution)


@transaction.atomic
def property_control_create(*, case_id, actor, measure: str, description: str, location: str = "",
                            amount=None, controlled_on=None) -> PropertyControl:
    """Seize, distrain or freeze what the debtor hid or transferred, so the judgment does not come too late."""
    case = lock_case(case_id=case_id, actor=actor)
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
    control = save_valid(PropertyControl(
        case=case, measure=clean_choice(measure, PropertyMeasure, "measure"),
        description=clean_text(description, "description", limit=500),
        location=clean_text(location, "location", required=False, limit=300),
        amount=amount, controlled_on=clean_day(controlled_on, "controlled_on"), controlling_agency=actor.agency,
        recorded_by=actor,
    ))
    event = add_event(case, actor, "property_control", {"property_control": control.pk, "measure": control.measure,
                                                        "amount": control.amount})
    notify_record(case=case, event=event, kind="property_control", actor=actor,
                 recipients=officers(case.executing_court_id, [Role.ENFORCEMENT_JUDGE]) + creditor(case))
    return control


def _dispose(*, control_id, actor, name: str, status: str, note: str, disposed_on) -> PropertyControl:
    case, control = lock_record(PropertyControl, record_id=control_id, visible=property_control_list(user=actor))
    check_may_dispose_property(control, actor)
    disposed_on = clean_day(disposed_on, "disposed_on")
    if disposed_on < control.controlled_on:
        raise ValidationError({"disposed_on": [_("This date is before the property was controlled.")]})
    control.status, control.disposed_on, control.disposed_by = status, disposed_on, actor
    control.disposal_note = clean_text(note, "reason" if status == PropertyControlStatus.RELEASED else "note",
                                       required=status == PropertyControlStatus.RELEASED)
    if status == PropertyControlStatus.HANDED_OVER:
        control.handed_to = case.executing_court
    save_valid(control)
    event = add_event(case, actor, name, {"property_control": control.pk, "on": disposed_on})
    notify_record(case=case, event=event, kind=name, actor=actor,
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
    case = lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="warning")
    warned_on = clean_day(warned_on, "warned_on")
    if performance_due not in (None, ""):
        performance_due = parse_date(performance_due, "performance_due")
        if performance_due < warned_on:
            raise ValidationError({"performance_due": [_("The date to perform by is before the warning.")]})
    else:
        performance_due = None
    warning = save_valid(Warning(case=case, warned_on=warned_on, content=clean_text(content, "content"),
                                 performance_due=performance_due, given_by=actor.agency, recorded_by=actor))
    add_event(case, actor, "warning", {"warning": warning.pk, "warned_on": warned_on,
                                       "performance_due": performance_due})
    return warning


def recovered_total(case: Case) -> Decimal:
    return case.performances.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@transaction.atomic
def performance_record(*, case_id, actor, kind: str, amount, performed_on=None, description: str = "",
                       warning=None) -> Performance:
    """The debtor paid or delivered. The case's amount recovered becomes the sum of its performances and may
    never pass the amount owed; the performance is full when nothing remains owed."""
    case = lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="performance")
    kind = clean_choice(kind, PerformanceKind, "kind")
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
    performed_on = clean_day(performed_on, "performed_on")
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
    performance = save_valid(Performance(
        case=case, kind=kind, amount=amount, performed_on=performed_on,
        description=clean_text(description, "description", required=False),
        extent=PerformanceExtent.FULL if total == case.amount_owed else PerformanceExtent.PARTIAL,
        warning=linked, after_warning=after_warning, case_state=case.state,
        recorded_by=actor, agency=actor.agency,
    ))
    case.amount_recovered = total
    case.save(update_fields=["amount_recovered", "updated_at"])
    event = add_event(case, actor, "performance", {
        "performance": performance.pk, "kind": kind, "amount": amount, "extent": performance.extent,
        "amount_recovered": total, "after_warning": after_warning,
    })
    notify_record(case=case, event=event, kind="performance", actor=actor,
                 recipients=creditor(case) + officers(case.executing_court_id, [Role.ENFORCEMENT_JUDGE]))
    return performance


# ---------------------------------------------------------------------------------------------------------------
# evidence_copy_request (Art. 15)


@transaction.atomic
def evidence_copy_request_create(*, case_id, actor, description: str) -> EvidenceCopyRequest:
    """The private prosecutor asks the executing court for copies of the evidence it fixed in enforcement."""
    case = lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="evidence_copy_request")
    request = save_valid(EvidenceCopyRequest(case=case, description=clean_text(description, "description"),
                                             requested_by=actor))
    event = add_event(case, actor, "evidence_copy_request", {"evidence_copy_request": request.pk})
    notify_record(case=case, event=event, kind="evidence_copy_request", actor=actor,
                 recipients=officers(case.executing_court_id, [Role.ENFORCEMENT_JUDGE]))
    return request


@transaction.atomic
def evidence_copy_request_answer(*, request_id, actor, evidence: list, note: str = "") -> EvidenceCopyRequest:
    """Art. 15: the executing court answers promptly by sharing the chosen materials with the creditor, who may
    then download them; where it holds nothing of the kind, the note says so."""
    case, request = lock_record(EvidenceCopyRequest, record_id=request_id,
                                visible=evidence_copy_request_list(user=actor))
    check_may_answer_copy_request(request, actor)
    try:
        wanted = sorted({int(getattr(e, "pk", e)) for e in (evidence or [])})
    except (TypeError, ValueError):
        raise ValidationError({"evidence": [_("Give the ids of this case's materials.")]}) from None
    materials = list(Evidence.objects.filter(case=case, pk__in=storable_ids(wanted)))
    unknown = sorted(set(wanted) - {m.pk for m in materials})
    if unknown:
        raise ValidationError({"evidence": [_("Not a material of this case: %(ids)s.")
                                            % {"ids": ", ".join(map(str, unknown))}]})
    note = clean_text(note, "note", required=False)
    if not materials and not note:
        raise ValidationError({"evidence": [_("Share at least one material, or say in the note why there is none.")]})
    # Evidence refuses save() on an existing row (a material is never replaced); sharing changes no content.
    Evidence.objects.filter(pk__in=[m.pk for m in materials]).update(shared_with_creditor=True)
    request.status, request.answer_note = CopyRequestStatus.ANSWERED, note
    request.answered_by, request.answered_at = actor, timezone.now()
    save_valid(request)
    request.shared_evidence.set(materials)
    event = add_event(case, actor, "answer_evidence_copy_request", {"evidence_copy_request": request.pk,
                                                                    "shared": [m.pk for m in materials]})
    notify_record(case=case, event=event, kind="answer_evidence_copy_request", actor=actor,
                 recipients=[request.requested_by_id])
    return request


# ---------------------------------------------------------------------------------------------------------------
# locate_request (Art. 16)


@transaction.atomic
def locate_request_create(*, case_id, actor, defendant_name: str = "", last_known_address: str = "",
                          note: str = "", police_agency=None) -> LocateRequest:
    """The trial court asks the police to find a defendant whose whereabouts are unknown; issues its letter.
    A private prosecution has no police agency of its own, so the court names the one to ask."""
    case = lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="locate_request")
    if police_agency in (None, ""):
        police = case.police_agency
        if police is None:
            raise ValidationError({"police_agency": [_("This case has no police agency; name the one to ask.")]})
    else:
        police = clean_agency(police_agency, "police_agency", (AgencyKind.POLICE,))
    if case.locate_requests.filter(police_agency=police, result="").exists():
        raise record_conflict(case, actor, _("This police agency has not yet answered the previous request."))
    request = save_valid(LocateRequest(
        case=case, defendant_name=clean_text(defendant_name, "defendant_name", required=False, limit=200)
        or case.debtor_name,
        last_known_address=clean_text(last_known_address, "last_known_address", required=False, limit=300)
        or case.debtor_address,
        note=clean_text(note, "note", required=False), requesting_court=actor.agency, police_agency=police,
        requested_by=actor,
    ), exclude=["letter"])
    event = add_event(case, actor, "locate_request", {"locate_request": request.pk, "police_agency": police.pk})
    request.letter = issue_letter(
        case=case, kind="locate_request_letter", actor=actor, event=event, addressee=police,
        data={"record_id": request.pk, "defendant": request.defendant_name,
              "last_known_address": request.last_known_address, "note": request.note})
    request.save(update_fields=["letter"])
    notify_record(case=case, event=event, kind="locate_request", actor=actor,
                 recipients=officers(police.pk, LOCATE_ANSWERERS))
    return request


@transaction.atomic
def locate_request_answer(*, request_id, actor, result: str, detail: str = "") -> LocateRequest:
    """Art. 16: the police asked answer with the result; where the defendant was found, they say where."""
    case, request = lock_record(LocateRequest, record_id=request_id, visible=locate_request_list(user=actor))
    check_may_answer_locate(request, actor)
    request.result = clean_choice(result, LocateResult, "result")
    request.result_detail = clean_text(detail, "detail", required=result == LocateResult.FOUND)
    request.answered_by, request.answered_at = actor, timezone.now()
    save_valid(request)
    event = add_event(case, actor, "answer_locate_request", {"locate_request": request.pk, "result": result})
    notify_record(case=case, event=event, kind="answer_locate_request", actor=actor,
                 recipients=[request.requested_by_id] + officers(request.requesting_court_id, [Role.TRIAL_JUDGE]))
    return request


# ---------------------------------------------------------------------------------------------------------------
# obstruction_referral (Art. 18)


@transaction.atomic
def obstruction_referral_create(*, case_id, actor, receiver, official_name: str, conduct: str,
                                official_position: str = "") -> ObstructionReferral:
    """The executing court refers a state-organ worker who used power to obstruct enforcement to a discipline
    commission or a procuratorate; issues the referral letter. The event names no one: the clue is confidential."""
    case = lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="obstruction_referral")
    receiving = clean_agency(receiver, "receiver", tuple(REFERRAL_RECEIVERS))
    referral = save_valid(ObstructionReferral(
        case=case, official_name=clean_text(official_name, "official_name", limit=200),
        official_position=clean_text(official_position, "official_position", required=False, limit=300),
        conduct=clean_text(conduct, "conduct"), referring_court=actor.agency, receiver=receiving, referred_by=actor,
    ), exclude=["letter"])
    event = add_event(case, actor, "obstruction_referral", {"obstruction_referral": referral.pk,
                                                            "receiver": receiving.pk})
    referral.letter = issue_letter(
        case=case, kind="obstruction_referral_letter", actor=actor, event=event, addressee=receiving,
        data={"record_id": referral.pk, "official_name": referral.official_name,
              "official_position": referral.official_position, "conduct": referral.conduct})
    referral.save(update_fields=["letter"])
    notify_record(case=case, event=event, kind="obstruction_referral", actor=actor,
                 recipients=officers(receiving.pk, REFERRAL_RECEIVERS[receiving.kind]))
    return referral


@transaction.atomic
def obstruction_referral_acknowledge(*, referral_id, actor, note: str = "") -> ObstructionReferral:
    """The discipline commission or procuratorate confirms it has received the referral."""
    case, referral = lock_record(ObstructionReferral, record_id=referral_id,
                                 visible=obstruction_referral_list(user=actor))
    check_may_acknowledge_referral(referral, actor)
    referral.acknowledged_by, referral.acknowledged_at = actor, timezone.now()
    referral.acknowledgment_note = clean_text(note, "note", required=False)
    save_valid(referral)
    event = add_event(case, actor, "acknowledge_obstruction_referral", {"obstruction_referral": referral.pk})
    notify_record(case=case, event=event, kind="acknowledge_obstruction_referral", actor=actor,
                 recipients=[referral.referred_by_id])
    return referral


# ---------------------------------------------------------------------------------------------------------------
# The services by name: the record each adds and the answer each gives (the API and the pages look them up)

RECORD_CREATES = {
    "arrest_request": arrest_request_create,
    "coercive_measure": coercive_measure_create,
    "property_control": property_control_create,
    "warning": warning_create,
    "performance": performance_record,
    "evidence_copy_request": evidence_copy_request_create,
    "locate_request": locate_request_create,
    "obstruction_referral": obstruction_referral_create,
    "supervision_complaint": supervision_complaint_create,
    "correction_notice": correction_notice_create,
}
# Each answer's service, with the keyword it names the record by.
ANSWER_SERVICES = {
    "decide_arrest_request": (arrest_request_decide, "request_id"),
    "end_coercive_measure": (coercive_measure_end, "measure_id"),
    "extend_detention": (detention_extend, "measure_id"),
    "release_property": (property_control_release, "control_id"),
    "hand_over_property": (property_control_hand_over, "control_id"),
    "answer_evidence_copy_request": (evidence_copy_request_answer, "request_id"),
    "answer_locate_request": (locate_request_answer, "request_id"),
    "acknowledge_obstruction_referral": (obstruction_referral_acknowledge, "referral_id"),
    "answer_supervision_complaint": (supervision_complaint_answer, "complaint_id"),
    "reply_correction_notice": (correction_notice_reply, "notice_id"),
}


def record_create(*, record: str, case_id, actor, data: dict):
    """Add one record of the named kind to the case; the service of that kind checks and validates everything."""
    return RECORD_CREATES[record](case_id=case_id, actor=actor, **data)


def record_answer(*, answer: str, record_id, actor, data: dict):
    """Give the named answer to one record; its service checks and validates everything."""
    service, record_keyword = ANSWER_SERVICES[answer]
    return service(**{record_keyword: record_id}, actor=actor, **data)
