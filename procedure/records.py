"""Who may add which sub-procedure record, in which states: procedure.md §3 "Sub-procedures" as one table.

A record never changes the case's state, but the law ties most of them to a stage: the police act after filing
(Art. 6), the court preserves property in a private prosecution it has accepted (Art. 14 ¶2), the creditor asks
for copies while the private prosecution is being filed or tried (Art. 15). The services, the API's
`allowed_record_actions` and the pages all read this table.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from agencies.roles import Role
from procedure.deadlines import DeadlineKind
from procedure.errors import TransitionConflict
from procedure.positions import CREDITOR, EXECUTING_COURT, POLICE, PROCURATORATE, TRIAL_COURT, holds_position
from procedure.states import TERMINAL_STATES, CaseState
from procedure.transitions import allowed_transitions

S = CaseState
ANY_STATE = None
NON_TERMINAL = tuple(s for s in CaseState.values if s not in TERMINAL_STATES)
# Art. 6: "after filing", while the case is with the police.
POLICE_INVESTIGATION = (S.INVESTIGATING, S.SUPPLEMENTARY_INVESTIGATION)
# Art. 15: "during the filing or trial of a private prosecution".
PRIVATE_FILING_OR_TRIAL = (S.PRIVATE_FILING_REVIEW, S.PRIVATE_TRIAL)
# CPL Art. 113: the police's decisions a creditor may ask the procuratorate to supervise.
POLICE_REFUSALS = (S.NOT_FILED, S.WITHDRAWN)
# Procuratorial rules on filing supervision: the police owe the explanation or the filing after an order.
POLICE_OWES_SUPERVISED_ACT = (S.EXPLANATION_REQUESTED, S.FILING_ORDERED)


@dataclass(frozen=True)
class RecordActor:
    role: str
    position: str
    states: tuple[str, ...] | None = ANY_STATE


@dataclass(frozen=True)
class RecordRule:
    name: str
    actors: tuple[RecordActor, ...]
    article: str


RECORD_RULES: dict[str, RecordRule] = {
    rule.name: rule
    for rule in [
        RecordRule("arrest_request",
                   (RecordActor(Role.POLICE_INVESTIGATOR, POLICE, (S.INVESTIGATING,)),),
                   "Art. 6, 9; CPL Art. 87, 91"),
        RecordRule("coercive_measure",
                   (RecordActor(Role.POLICE_INVESTIGATOR, POLICE, POLICE_INVESTIGATION),),
                   "Art. 6"),
        RecordRule("property_control",
                   # Art. 14 ¶2: the court preserves property from the filing review of a private prosecution
                   # on; before acceptance names the trial court, the court seized is the executing court.
                   (RecordActor(Role.POLICE_INVESTIGATOR, POLICE, POLICE_INVESTIGATION),
                    RecordActor(Role.TRIAL_JUDGE, EXECUTING_COURT, (S.PRIVATE_FILING_REVIEW,)),
                    RecordActor(Role.TRIAL_JUDGE, TRIAL_COURT, (S.PRIVATE_TRIAL,))),
                   "Art. 6 ¶2; Art. 14 ¶2"),
        RecordRule("warning",
                   (RecordActor(Role.ENFORCEMENT_JUDGE, EXECUTING_COURT, NON_TERMINAL),
                    RecordActor(Role.POLICE_INVESTIGATOR, POLICE, NON_TERMINAL),
                    RecordActor(Role.PROCURATOR, PROCURATORATE, NON_TERMINAL),
                    RecordActor(Role.TRIAL_JUDGE, TRIAL_COURT, NON_TERMINAL)),
                   "procedure.md §3"),
        RecordRule("performance",
                   (RecordActor(Role.ENFORCEMENT_JUDGE, EXECUTING_COURT),
                    RecordActor(Role.POLICE_INVESTIGATOR, POLICE),
                    RecordActor(Role.PROCURATOR, PROCURATORATE),
                    RecordActor(Role.TRIAL_JUDGE, TRIAL_COURT),
                    RecordActor(Role.CREDITOR, CREDITOR)),
                   "procedure.md §3; Art. 17"),
        RecordRule("evidence_copy_request",
                   (RecordActor(Role.CREDITOR, CREDITOR, PRIVATE_FILING_OR_TRIAL),),
                   "Art. 15"),
        RecordRule("locate_request",
                   (RecordActor(Role.TRIAL_JUDGE, TRIAL_COURT, (S.TRIAL, S.PRIVATE_TRIAL)),),
                   "Art. 16"),
        RecordRule("obstruction_referral",
                   (RecordActor(Role.ENFORCEMENT_JUDGE, EXECUTING_COURT),),
                   "Art. 18"),
        RecordRule("supervision_complaint",
                   (RecordActor(Role.CREDITOR, CREDITOR, POLICE_REFUSALS),),
                   "CPL Art. 113"),
        RecordRule("correction_notice",
                   (RecordActor(Role.PROCURATOR, PROCURATORATE, POLICE_OWES_SUPERVISED_ACT),),
                   "CPL Art. 113; Art. 8; procuratorial rules on filing supervision"),
    ]
}  # fmt: skip

# Answers to records, by the agency the record names (not necessarily one of the case's agencies).
ARREST_DECIDERS = (Role.PROCURATOR, Role.PROCURATOR_GENERAL)  # CPL Art. 90: the procuratorate decides
LOCATE_ANSWERERS = (Role.POLICE_INVESTIGATOR,)
MEASURE_ENDERS = (Role.POLICE_INVESTIGATOR,)
PROPERTY_HOLDERS = (Role.POLICE_INVESTIGATOR, Role.TRIAL_JUDGE)  # Art. 6, 14 ¶2: police or court that controls it
COPY_ANSWERERS = (Role.ENFORCEMENT_JUDGE,)
DETENTION_EXTENDERS = (Role.POLICE_HEAD,)
#: The police deadline a correction notice is about, by the state the case waits in.
CORRECTED_DEADLINE = {S.EXPLANATION_REQUESTED: DeadlineKind.POLICE_EXPLANATION,
                      S.FILING_ORDERED: DeadlineKind.FILING_AFTER_ORDER}
SUPERVISORS = (Role.PROCURATOR, Role.PROCURATOR_GENERAL)  # CPL Art. 113: the procuratorate answers a complaint
CORRECTION_ANSWERERS = (Role.POLICE_INVESTIGATOR, Role.POLICE_HEAD)
REFERRAL_RECEIVERS = {
    "discipline": (Role.DISCIPLINE_OFFICER,),
    "procuratorate": (Role.PROCURATOR, Role.PROCURATOR_GENERAL),
}


@dataclass(frozen=True)
class AnswerRule:
    """Who gives an answer to a record: these roles of `agency` (in words), under `article`."""

    name: str
    roles: tuple[str, ...]
    agency: str
    article: str

    @property
    def who(self) -> str:
        return f"{', '.join(self.roles)} of {self.agency}"


ANSWER_RULES: dict[str, AnswerRule] = {
    rule.name: rule
    for rule in [
        AnswerRule("decide_arrest_request", ARREST_DECIDERS, "the case's procuratorate",
                   "CPL Art. 90, 91; Opinions Art. 9"),
        AnswerRule("end_coercive_measure", MEASURE_ENDERS, "the police agency that took the measure", "Art. 6"),
        AnswerRule("release_property", PROPERTY_HOLDERS, "the agency that controls the property", "Art. 6, 14"),
        AnswerRule("hand_over_property", PROPERTY_HOLDERS, "the agency that controls the property", "Art. 6, 14"),
        AnswerRule("answer_evidence_copy_request", COPY_ANSWERERS, "the case's executing court", "Art. 15"),
        AnswerRule("answer_locate_request", LOCATE_ANSWERERS, "the police agency asked", "Art. 16"),
        AnswerRule("acknowledge_obstruction_referral",
                   tuple(dict.fromkeys(role for roles in REFERRAL_RECEIVERS.values() for role in roles)),
                   "the discipline commission or the procuratorate the referral was sent to",
                   "Art. 18"),
        AnswerRule("extend_detention", DETENTION_EXTENDERS,
                   "the police agency that detained, while the period runs, once", "CPL Art. 91 ¶1-2"),
        AnswerRule("answer_supervision_complaint", SUPERVISORS, "the case's procuratorate",
                   "CPL Art. 113; Opinions Art. 8 ¶1"),
        AnswerRule("reply_correction_notice", CORRECTION_ANSWERERS, "the police agency notified", "CPL Art. 113"),
    ]
}  # fmt: skip
# Art. 19: the organs that meet; a discipline commission attends only as a guest.
JOINT_MEETING_KINDS = ("court", "police", "procuratorate")


def record_conflict(case, user, message: str) -> TransitionConflict:
    """409 for a record already answered or an action the case's state does not allow."""
    return TransitionConflict(message, state=case.state, allowed=allowed_transitions(case=case, user=user))


def _matching(case, user, name: str) -> list[RecordActor]:
    return [a for a in RECORD_RULES[name].actors if a.role == user.role and holds_position(case, user, a.position)]


def allowed_record_actions(*, case, user) -> list[str]:
    """The records this user may add to this case now (role, agency position and state)."""
    return [
        name for name in RECORD_RULES
        if any(a.states is ANY_STATE or case.state in a.states for a in _matching(case, user, name))
    ]


def check_record_action(*, case, user, name: str) -> None:
    """Raise 403 (role or agency), 409 (the case's state) or nothing."""
    actors = _matching(case, user, name)
    if not actors:
        roles = ", ".join(sorted({a.role for a in RECORD_RULES[name].actors}))
        raise PermissionDenied(_("Only %(roles)s of this case's agencies may do this.") % {"roles": roles})
    if not any(a.states is ANY_STATE or case.state in a.states for a in actors):
        raise record_conflict(case, user, _("Not possible while the case is %(state)s.")
                              % {"state": CaseState(case.state).label})


# Answers to a record: the agency the record names acts (403), once (409).


def check_may_decide_arrest(request, user) -> None:
    """CPL Art. 90, 91: the procuratorate of the case approves or denies, once."""
    if user.role not in ARREST_DECIDERS or not holds_position(request.case, user, PROCURATORATE):
        raise PermissionDenied(_("Only the procuratorate of this case decides on an arrest."))
    if not request.pending:
        raise record_conflict(request.case, user, _("This arrest request has already been decided."))


def check_may_end_measure(measure, user) -> None:
    if user.role not in MEASURE_ENDERS or user.agency_id != measure.agency_id:
        raise PermissionDenied(_("Only an investigator of the police agency that took the measure may end it."))
    if not measure.active:
        raise record_conflict(measure.case, user, _("This measure has already ended."))


def check_may_dispose_property(control, user) -> None:
    if user.role not in PROPERTY_HOLDERS or user.agency_id != control.controlling_agency_id:
        raise PermissionDenied(_("Only the agency that controls this property may release it or hand it over."))
    if control.status != "controlled":
        raise record_conflict(control.case, user, _("This property is no longer under control."))


def check_may_answer_copy_request(request, user) -> None:
    """Art. 15: the executing court answers."""
    if user.role not in COPY_ANSWERERS or not holds_position(request.case, user, EXECUTING_COURT):
        raise PermissionDenied(_("Only the executing court of this case answers a request for evidence copies."))
    if request.status != "pending":
        raise record_conflict(request.case, user, _("This request has already been answered."))


def check_may_answer_locate(request, user) -> None:
    """Art. 16: the police agency asked answers, whether or not it holds a position in the case."""
    if user.role not in LOCATE_ANSWERERS or user.agency_id != request.police_agency_id:
        raise PermissionDenied(_("Only an investigator of the police agency asked may answer."))
    if not request.pending:
        raise record_conflict(request.case, user, _("This request has already been answered."))


def check_may_acknowledge_referral(referral, user) -> None:
    """Art. 18: the discipline commission or procuratorate the referral was sent to acknowledges it."""
    receiver = referral.receiver
    if user.agency_id != receiver.pk or user.role not in REFERRAL_RECEIVERS.get(receiver.kind, ()):
        raise PermissionDenied(_("Only the agency the referral was sent to acknowledges it."))
    if referral.acknowledged_at is not None:
        raise record_conflict(referral.case, user, _("This referral has already been acknowledged."))


def check_may_record_meetings(user) -> None:
    """Art. 19: each organ designates liaisons; they keep the record of the region's joint meetings."""
    agency = user.agency if user.agency_id else None
    if not (agency and user.is_liaison and agency.kind in JOINT_MEETING_KINDS):
        raise PermissionDenied(_("Only the joint-meeting liaison of a court, procuratorate or police agency records "
                                 "joint meetings (Art. 19)."))


def check_may_extend_detention(measure, user) -> None:
    """CPL Art. 91: the person in charge of the police agency that detained extends the period, once, while the
    detention is in force."""
    if user.role not in DETENTION_EXTENDERS or user.agency_id != measure.agency_id:
        raise PermissionDenied(_("Only the head of the police agency that detained the suspect extends the period."))
    if measure.kind != "detention" or not measure.active:
        raise record_conflict(measure.case, user, _("Only a detention in force can be extended."))
    if measure.deadline is None or measure.deadline.period_days != 3:
        raise record_conflict(measure.case, user, _("CPL Art. 91: the detention period was already extended."))


def check_may_answer_complaint(complaint, user) -> None:
    """CPL Art. 113: the procuratorate of the case answers the creditor's complaint, once."""
    if user.role not in SUPERVISORS or not holds_position(complaint.case, user, PROCURATORATE):
        raise PermissionDenied(_("Only the procuratorate of this case answers a supervision complaint."))
    if not complaint.pending:
        raise record_conflict(complaint.case, user, _("This complaint has already been answered."))


def check_may_reply_correction(notice, user) -> None:
    """The police agency the correction notice was sent to replies, once."""
    if user.role not in CORRECTION_ANSWERERS or user.agency_id != notice.police_agency_id:
        raise PermissionDenied(_("Only the police agency the notice was sent to replies to it."))
    if not notice.pending:
        raise record_conflict(notice.case, user, _("This correction notice has already been answered."))
