"""Who hears of what (procedure.md §3 "Who hears of what", §4): the kinds of notification and the rules that name,
for every transition of a case, those it concerns.

A transition's row (procedure.transitions) may name notices of its own; ``audiences`` adds the rules of §3 to
them: the transferring organ hears of every police and procuratorate decision on its case, the police of every
notice, order and return addressed to them, the procuratorate of every non-filing and withdrawal in its region,
and the creditor of every change of their case's state with the step they may now take. The notifications
service tells each person at most once per event, the first audience naming them deciding the text.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.roles import Role
from procedure.positions import CREDITOR, POLICE, TRIAL_COURT, owing_position, transferring_position
from procedure.states import CaseState as S
from procedure.states import Origin


class NotificationKind(models.TextChoices):
    DEADLINE_WARNING = "deadline_warning", _("Deadline approaching")
    DEADLINE_OVERDUE = "deadline_overdue", _("Deadline overdue")
    DEADLINE_ESCALATED = "deadline_escalated", _("Overdue deadline escalated")
    DEADLINE_AWAITED = "deadline_awaited", _("Awaited act overdue")
    TRANSFER_RECEIVED = "transfer_received", _("Transfer received")
    EXPLANATION_REQUESTED = "explanation_requested", _("Explanation requested")
    SUPERVISION_REQUESTED = "supervision_requested", _("Supervision requested")
    PRIVATE_PROSECUTION_FILED = "private_prosecution_filed", _("Private prosecution filed")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    # Who hears of what (procedure.md §3): the rules of ``audiences``.
    CASE_DECISION = "case_decision", _("Decision on a case you handled")
    FILING_ORDERED = "filing_ordered", _("Order to file")
    SUPPLEMENTARY_INVESTIGATION = "supplementary_investigation", _("Returned for supplementary investigation")
    NON_FILING_IN_REGION = "non_filing_in_region", _("Non-filing or withdrawal to supervise")
    CASE_NEWS = "case_news", _("News of your case")
    NEXT_ACT = "next_act", _("Your agency's turn to act")
    PRIVATE_PROSECUTION_ENDED = "private_prosecution_ended", _("Private prosecution ended")
    # procedure.md §3 "Approvals": the approver hears of a proposal, the proposer of the answer.
    APPROVAL_REQUESTED = "approval_requested", _("Approval requested")
    APPROVAL_GRANTED = "approval_granted", _("Proposal approved")
    APPROVAL_REFUSED = "approval_refused", _("Proposal refused")
    APPROVAL_LAPSED = "approval_lapsed", _("Proposal lapsed")
    # Sub-procedure records (workflow.record_services): the record's name, or "answer_" / "decide_" ... its answer.
    ARREST_REQUEST = "arrest_request", _("Arrest review requested")
    DECIDE_ARREST_REQUEST = "decide_arrest_request", _("Arrest request decided")
    PROPERTY_CONTROL = "property_control", _("Property control recorded")
    RELEASE_PROPERTY = "release_property", _("Controlled property released")
    HAND_OVER_PROPERTY = "hand_over_property", _("Controlled property handed over")
    PERFORMANCE = "performance", _("Performance recorded")
    EVIDENCE_COPY_REQUEST = "evidence_copy_request", _("Copies of evidence requested")
    ANSWER_EVIDENCE_COPY_REQUEST = "answer_evidence_copy_request", _("Copies of evidence shared")
    LOCATE_REQUEST = "locate_request", _("Help locating the defendant requested")
    ANSWER_LOCATE_REQUEST = "answer_locate_request", _("Locate request answered")
    OBSTRUCTION_REFERRAL = "obstruction_referral", _("Obstruction by a public servant referred")
    ACKNOWLEDGE_OBSTRUCTION_REFERRAL = "acknowledge_obstruction_referral", _("Obstruction referral acknowledged")
    SUPERVISION_COMPLAINT = "supervision_complaint", _("Supervision complaint by the creditor")
    ANSWER_SUPERVISION_COMPLAINT = "answer_supervision_complaint", _("Supervision complaint answered")
    CORRECTION_NOTICE = "correction_notice", _("Correction notice issued")
    REPLY_CORRECTION_NOTICE = "reply_correction_notice", _("Correction notice answered")


#: The position of "the procuratorate of the region" (Art. 8): the case's procuratorate, else the procuratorate of
#: the executing court's region.
REGION_PROCURATORATE = "region_procuratorate"


@dataclass(frozen=True)
class TransitionNotice:
    kind: str
    text_id: str
    position: str  # the case field naming the agency told, "creditor" or "region_procuratorate"
    roles: tuple[str, ...] = ()  # empty: every active user of that agency


N = NotificationKind

#: Police and procuratorate decisions on a case, of which the organ that transferred it hears (Art. 5, 7, 9, 10).
DECISIONS = frozenset({"accept", "file_case", "decline_filing", "withdraw_case", "transfer_for_prosecution",
                       "indict", "decline_prosecution", "render_judgment"})

#: What is addressed to the police, or decides on what they sent (Art. 8 ¶1-2, CPL Art. 175, 179): who is told and
#: in which text. Notices the rows of procedure.transitions name themselves (a transfer, a request to explain) are
#: not repeated here.
TO_POLICE: dict[str, TransitionNotice] = {
    "order_filing": TransitionNotice(N.FILING_ORDERED, "filing_ordered", POLICE),
    "return_for_supplementary_investigation": TransitionNotice(
        N.SUPPLEMENTARY_INVESTIGATION, "supplementary_investigation_returned", POLICE,
        (Role.POLICE_INVESTIGATOR, Role.POLICE_HEAD)),
    "accept_explanation": TransitionNotice(N.CASE_DECISION, "case_decision", POLICE, (Role.POLICE_INVESTIGATOR,)),
    "indict": TransitionNotice(N.CASE_DECISION, "case_decision", POLICE, (Role.POLICE_INVESTIGATOR,)),
    "decline_prosecution": TransitionNotice(N.CASE_DECISION, "case_decision", POLICE, (Role.POLICE_INVESTIGATOR,)),
}

#: Art. 17: the trial court hears that the parties ended the private prosecution before judgment.
ENDED_BY_THE_PARTIES = TransitionNotice(N.PRIVATE_PROSECUTION_ENDED, "private_prosecution_ended", TRIAL_COURT,
                                        (Role.TRIAL_JUDGE,))
ENDINGS = frozenset({"reconcile", "withdraw_private_prosecution"})

#: Art. 8, CPL Art. 113: the procuratorate supervises every non-filing and withdrawal in its region.
SUPERVISED = frozenset({"decline_filing", "withdraw_case"})

#: The roles of the transferring organ that hear of decisions on its case.
TRANSFERRING_ROLES = {Origin.COURT: (Role.ENFORCEMENT_JUDGE,), Origin.PROCURATORATE: (Role.PROCURATOR,)}

#: What the creditor may do now, by the state their case reached (Art. 11-13, 17; CPL Art. 113).
CREDITOR_STEPS = {
    S.NOT_FILED: _("You may ask the procuratorate to supervise the police's decision not to file "
                   "(CPL Art. 113)."),
    S.WITHDRAWN: _("You may ask the procuratorate to supervise the withdrawal of the case (CPL Art. 113)."),
    S.PRIVATE_PROSECUTION_ADVISED: _(
        "You may now bring a private prosecution before the court: attach the five required materials of "
        "Art. 13 and file it."),
    S.PRIVATE_FILING_REVIEW: _("Until judgment you may reconcile with the defendant or withdraw the private "
                               "prosecution, with the court's approval (Art. 17)."),
    S.PRIVATE_TRIAL: _("Until judgment you may reconcile with the defendant or withdraw the private prosecution, "
                       "with the court's approval (Art. 17)."),
}


def next_actors(table, state: str, position: str, origin: str) -> tuple[str, ...]:
    """The roles that may act next in ``state`` from ``position`` on a case of ``origin``, read from the
    transition table."""
    return tuple(sorted({actor.role for row in table.values() if state in row.sources for actor in row.actors
                         if actor.position == position and (not actor.origins or origin in actor.origins)}))


def audiences(transition, case, *, table) -> list[TransitionNotice]:
    """Who hears of ``transition`` (a row of the transition ``table``, procedure.transitions) fired on ``case``:
    the row's own notices, then the rules of procedure.md §3, in that order."""
    told = list(transition.notices)
    name, target = transition.name, transition.target
    if name in DECISIONS and case.origin in TRANSFERRING_ROLES:
        told.append(TransitionNotice(N.CASE_DECISION, "case_decision", transferring_position(case.origin),
                                     TRANSFERRING_ROLES[case.origin]))
    if name in TO_POLICE:
        told.append(TO_POLICE[name])
    if name in SUPERVISED:
        told.append(TransitionNotice(N.NON_FILING_IN_REGION, "non_filing_in_region", REGION_PROCURATORATE,
                                     (Role.PROCURATOR,)))
    if name in ENDINGS:
        told.append(ENDED_BY_THE_PARTIES)
    if target in transition.sources:
        return told
    # The organ that owes the next act hears that it is its turn, unless it is the one that just acted.
    owing = owing_position(target, case.origin)
    if owing not in (None, CREDITOR) and owing not in {actor.position for actor in transition.actors}:
        told.append(TransitionNotice(N.NEXT_ACT, "next_act", owing, next_actors(table, target, owing, case.origin)))
    # Every change of state reaches the creditor in plain words, with the step they may now take.
    told.append(TransitionNotice(N.CASE_NEWS, "case_news", CREDITOR))
    return told


def creditor_step(state: str):
    """The step the creditor may take in ``state``, or "" when it is for others to act."""
    return CREDITOR_STEPS.get(state, "")
