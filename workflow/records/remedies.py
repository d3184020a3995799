"""Remedies on the police's silence or refusal (procedure.md §3 "Sub-procedures"): the creditor's supervision
complaint (CPL Art. 113) and the procurator's correction notice when the police let the explanation or the filing
after an order pass (procuratorial rules on filing supervision). Same steps as every record service: lock, check
(403, 409), validate (400 naming the field), save, one event on the case's chain, notices once committed.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.roles import Role
from procedure.conditions import overdue_deadlines
from procedure.records import (
    CORRECTED_DEADLINE,
    CORRECTION_ANSWERERS,
    SUPERVISORS,
    check_may_answer_complaint,
    check_may_reply_correction,
    check_record_action,
    record_conflict,
)
from workflow.cases.letters import issue_letter
from workflow.cases.transitions import fire
from workflow.models.records import ComplaintDecision, CorrectionNotice, SupervisionComplaint
from workflow.notifications.recipients import creditor, officers
from workflow.notifications.services import notify_record
from workflow.records.selectors import correction_notice_list, supervision_complaint_list
from workflow.records.steps import add_event, clean_choice, clean_text, lock_case, lock_record, save_valid


@transaction.atomic
def supervision_complaint_create(*, case_id, actor, reason: str) -> SupervisionComplaint:
    """CPL Art. 113: the creditor asks the procuratorate to supervise the police's non-filing or withdrawal."""
    case = lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="supervision_complaint")
    if case.procuratorate_id is None:
        raise record_conflict(case, actor, _("This case has no procuratorate to supervise the police."))
    if case.supervision_complaints.filter(answer="").exists():
        raise record_conflict(case, actor, _("Your previous complaint is still awaiting the procuratorate's answer."))
    complaint = save_valid(SupervisionComplaint(case=case, reason=clean_text(reason, "reason"),
                                                case_state=case.state, filed_by=actor))
    event = add_event(case, actor, "supervision_complaint", {"supervision_complaint": complaint.pk})
    notify_record(case=case, event=event, kind="supervision_complaint", actor=actor,
                 recipients=officers(case.procuratorate_id, SUPERVISORS))
    return complaint


@transaction.atomic
def supervision_complaint_answer(*, complaint_id, actor, decision: str, reason: str = "") -> SupervisionComplaint:
    """The procurator requires the police's explanation (the `request_explanation` transition, Art. 8 ¶1) or
    refuses in writing with reasons; the creditor is told either way."""
    case, complaint = lock_record(SupervisionComplaint, record_id=complaint_id,
                                  visible=supervision_complaint_list(user=actor))
    check_may_answer_complaint(complaint, actor)
    decision = clean_choice(decision, ComplaintDecision, "decision")
    reason = clean_text(reason, "reason", required=decision == ComplaintDecision.REFUSE)
    if decision == ComplaintDecision.REQUEST_EXPLANATION:
        # Already required since the complaint (on the procuratorate's own initiative): that is the answer.
        if not case.events.filter(transition="request_explanation", at__gte=complaint.filed_at).exists():
            fire(case_id=case.pk, name="request_explanation", actor=actor,
                 data={"note": reason} if reason else {})
            case.refresh_from_db()
        decision = "explanation_requested"
    else:
        decision = "refused"
    complaint.answer, complaint.answer_reason = decision, reason
    complaint.answered_by, complaint.answered_at = actor, timezone.now()
    save_valid(complaint)
    event = add_event(case, actor, "answer_supervision_complaint", {"supervision_complaint": complaint.pk,
                                                                    "answer": decision})
    notify_record(case=case, event=event, kind="answer_supervision_complaint", actor=actor,
                 recipients=creditor(case) + [complaint.filed_by_id])
    return complaint


@transaction.atomic
def correction_notice_create(*, case_id, actor, reason: str) -> CorrectionNotice:
    """The police let the 7-day explanation (Art. 8 ¶1) or the 15-day filing after an order (Art. 8 ¶2) pass: the
    procurator notifies them to correct it and issues the correction notice. Once per missed period."""
    case = lock_case(case_id=case_id, actor=actor)
    check_record_action(case=case, user=actor, name="correction_notice")
    missed = overdue_deadlines(case, CORRECTED_DEADLINE[case.state]).order_by("-id").first()
    if missed is None:
        raise record_conflict(case, actor, _("A correction notice is issued only once the police's period has "
                                             "passed without the act."))
    if CorrectionNotice.objects.filter(deadline=missed).exists():
        raise record_conflict(case, actor, _("A correction notice was already issued for this missed period."))
    notice = save_valid(CorrectionNotice(
        case=case, reason=clean_text(reason, "reason"), deadline=missed, issued_by=actor,
        procuratorate=actor.agency, police_agency=case.police_agency,
    ), exclude=["letter"])
    event = add_event(case, actor, "correction_notice", {"correction_notice": notice.pk, "deadline": missed.kind,
                                                         "due_date": missed.due_date})
    notice.letter = issue_letter(
        case=case, kind="correction_notice", actor=actor, event=event, addressee=case.police_agency,
        data={"record_id": notice.pk, "note": notice.reason, "missed": missed.kind,
              "missed_due": missed.due_date})
    notice.save(update_fields=["letter"])
    notify_record(case=case, event=event, kind="correction_notice", actor=actor,
                 recipients=officers(case.police_agency_id, CORRECTION_ANSWERERS))
    return notice


@transaction.atomic
def correction_notice_reply(*, notice_id, actor, reply: str) -> CorrectionNotice:
    """The police answer the correction notice in writing."""
    case, notice = lock_record(CorrectionNotice, record_id=notice_id, visible=correction_notice_list(user=actor))
    check_may_reply_correction(notice, actor)
    notice.reply, notice.replied_by, notice.replied_at = clean_text(reply, "reply"), actor, timezone.now()
    save_valid(notice)
    event = add_event(case, actor, "reply_correction_notice", {"correction_notice": notice.pk})
    notify_record(case=case, event=event, kind="reply_correction_notice", actor=actor,
                 recipients=[notice.issued_by_id] + officers(notice.procuratorate_id, [Role.PROCURATOR]))
    return notice
