"""The transitions of procedure.md §3 as ONE table: a row per transition holds everything the law says of it.

Who fires it (role, the case position their agency must hold, the case origins it applies to), from which states to
which, the legal conditions with their refusals, the fields its body takes, the case fields it sets, the deadlines
it opens, closes, cancels and extends, the letters it issues, who hears of it, its label and its article. The model's
state machine, the dispatcher `fire()`, the deadlines, the letters, the notices, the API and the pages all read
this table; adding a transition is adding a row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.roles import Role
from procedure import conditions as c
from procedure import inputs as i
from procedure import periods
from procedure.conditions import Condition
from procedure.deadlines import DeadlineKind as K
from procedure.inputs import Input
from procedure.letters import DocumentKind as D
from procedure.notices import NotificationKind as N
from procedure.notices import TransitionNotice
from procedure.periods import Period
from procedure.positions import CREDITOR, EXECUTING_COURT, POLICE, PROCURATORATE, TRIAL_COURT, holds_position
from procedure.states import CaseState as S
from procedure.states import Origin, Outcome


@dataclass(frozen=True)
class Actor:
    role: str
    position: str
    origins: tuple[str, ...] = ()  # empty: any origin
    states: tuple[str, ...] = ()  # empty: from every source of the row; else only from these of its sources


@dataclass(frozen=True)
class Extension:
    """The open deadline of `kind` runs for `period` instead, counted from its own start (procedure.md §4)."""

    kind: str
    period: Period


Effect = Callable[[Any, dict], dict]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    actors: tuple[Actor, ...]  # who fires it; where the row has approvers, who proposes it
    label: Any
    article: str = ""
    conditions: tuple[Condition, ...] = ()
    inputs: tuple[Input, ...] = ()
    sets: tuple[Effect, ...] = ()
    opens: tuple[str, ...] = ()
    closes: tuple[str, ...] = ()
    cancels: tuple[str, ...] = ()
    extends: tuple[Extension, ...] = ()
    stays: bool = False  # fired from any of its sources, the case stays in that state (`target` is the first)
    starts_on: str = ""  # the case field (a date) its deadlines run from instead of today, e.g. the day of receipt
    restarts: tuple[str, ...] = ()  # open deadlines whose period is counted afresh from `starts_on`
    letters: tuple[str, ...] = ()
    notices: tuple[TransitionNotice, ...] = ()
    reason_label: Any = None  # what the reason must say, where the law asks for something specific
    refusing: bool = False  # it ends or refuses something: shown apart from the steps that move a case on
    note_for_creditor: bool = False  # its note is written to the creditor (Art. 13: what the court asks for)
    # procedure.md §3 "Approvals": the person in charge who decides what the actors propose, or fires it directly.
    approvers: tuple[Actor, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.inputs if field.required)


# Case fields a transition sets, each a function of the case and the validated body -----------------------------


def flag(field: str) -> Effect:
    return lambda case, data: {field: True}


def unflag(field: str) -> Effect:
    return lambda case, data: {field: False}


def count(field: str) -> Effect:
    return lambda case, data: {field: getattr(case, field) + 1}


def copy(**fields: str) -> Effect:
    """Case field <- body field."""
    return lambda case, data: {target: data[source] for target, source in fields.items()}


def received(case, data) -> dict:
    """Art. 12 ¶1: the day the police received the materials (today unless the clerk records another)."""
    return {"received_on": data.get("received_on") or timezone.localdate()}


def custody_ends(case, data) -> dict:
    """procedure.md §3: custody ends with the withdrawal or non-prosecution of the case."""
    return {"custody": False}


def custody_ends_unless_convicted(case, data) -> dict:
    """An acquittal or an exemption from punishment ends custody; a conviction leaves it to the sentence."""
    return {"custody": False} if data.get("outcome") in (Outcome.ACQUITTED, Outcome.EXEMPTED) else {}


def trial_court_named(case, data) -> dict:
    """Art. 2: a trial court of another region is recorded with its reason and flagged."""
    changes = {"trial_court": data["trial_court"]}
    if data.get("jurisdiction_reason"):
        changes["cross_region"] = True
        changes["jurisdiction_reason"] = "\n".join(filter(None, [case.jurisdiction_reason,
                                                                data["jurisdiction_reason"]]))
    return changes


# Who fires --------------------------------------------------------------------------------------------------------

JUDGE = Actor(Role.ENFORCEMENT_JUDGE, EXECUTING_COURT, (Origin.COURT,))
PROCURATOR_OWN = Actor(Role.PROCURATOR, PROCURATORATE, (Origin.PROCURATORATE,))
INVESTIGATOR = Actor(Role.POLICE_INVESTIGATOR, POLICE)
PROCURATOR = Actor(Role.PROCURATOR, PROCURATORATE)
FILING_CLERK = Actor(Role.FILING_CLERK, EXECUTING_COURT)
TRIAL_JUDGE = Actor(Role.TRIAL_JUDGE, TRIAL_COURT)
THE_CREDITOR = Actor(Role.CREDITOR, CREDITOR)

# Who approves (procedure.md §3 "Approvals"). The police's filing, non-filing, withdrawal and transfer for
# prosecution are decided by the person in charge at county level or above (CPL Art. 112, 163; police procedure
# rules); non-prosecution by the procurator general (CPL Art. 177); a reconciliation or withdrawal of a private
# prosecution by the court's ruling, of the filing division before acceptance and of the trial court after it
# (Art. 17; CPL Art. 212).
BY_POLICE_HEAD = (Actor(Role.POLICE_HEAD, POLICE),)
BY_PROCURATOR_GENERAL = (Actor(Role.PROCURATOR_GENERAL, PROCURATORATE),)
BY_THE_COURT = (Actor(Role.FILING_CLERK, EXECUTING_COURT, states=(S.PRIVATE_FILING_REVIEW,)),
                Actor(Role.TRIAL_JUDGE, TRIAL_COURT, states=(S.PRIVATE_TRIAL,)))
BEFORE_JUDGMENT = (S.PRIVATE_FILING_REVIEW, S.PRIVATE_TRIAL)

TRIAL_NAMED = (i.TRIAL_COURT, i.JURISDICTION_REASON)
#: Custody deadlines of the investigation (CPL Art. 91, 156): met once the police request an arrest or release, or
#: transfer the case for prosecution; they end with the case's withdrawal.
CUSTODY_DEADLINES = (K.DETENTION, K.INVESTIGATIVE_CUSTODY)

TRANSITIONS: dict[str, Transition] = {
    row.name: row
    for row in [
        Transition(
            "submit_transfer", (S.DRAFT,), S.TRANSFERRED, (JUDGE, PROCURATOR_OWN),
            _("Submit the transfer to the police"), "Art. 3, 4; Art. 8 ¶3",
            conditions=(c.HAS_TRANSFER_MATERIALS,),
            opens=(K.WRITTEN_RESPONSE,),
            letters=(D.TRANSFER_LETTER, D.EXECUTION_EXPLANATION, D.EVIDENCE_LIST),
            # Art. 5: the police receive the transfer; the 30-day written response runs from receipt (Art. 12).
            notices=(TransitionNotice(N.TRANSFER_RECEIVED, "transfer_received", POLICE),),
        ),
        Transition(
            "cancel", (S.DRAFT,), S.CANCELLED,
            (JUDGE, PROCURATOR_OWN, Actor(Role.CREDITOR, CREDITOR, (Origin.CREDITOR,))),
            _("Cancel the draft"),
            inputs=(i.REASON,), cancels=tuple(K),
            reason_label=_("Why the draft is cancelled (e.g. the debtor performed after a warning)"), refusing=True,
        ),
        Transition(
            "accept", (S.TRANSFERRED,), S.FILING_REVIEW, (Actor(Role.POLICE_CLERK, POLICE),),
            _("Accept the transferred materials"), "Art. 5 ¶1",
            # Art. 12 ¶1: the periods run from the police's receipt of the materials.
            inputs=(i.RECEIVED_ON,), sets=(received,), starts_on="received_on", restarts=(K.WRITTEN_RESPONSE,),
            opens=(K.FILING_REVIEW,), letters=(D.REGISTRATION_FORM, D.ACKNOWLEDGMENT),
        ),
        Transition(
            "extend_review", (S.FILING_REVIEW,), S.FILING_REVIEW, (Actor(Role.POLICE_HEAD, POLICE),),
            _("Extend the filing review to 30 days"), "Art. 5 ¶2",
            conditions=(c.REVIEW_NOT_EXTENDED, c.running(K.FILING_REVIEW)), inputs=(i.REASON,),
            sets=(flag("review_extended"),),
            extends=(Extension(K.FILING_REVIEW, periods.FILING_REVIEW_EXTENDED),),
            reason_label=_("Why the case is major or complex (Art. 5 ¶2)"),
        ),
        Transition(
            "file_case", (S.FILING_REVIEW, S.FILING_ORDERED), S.INVESTIGATING, (INVESTIGATOR,),
            _("File the case"), "Art. 5 ¶2; Art. 8 ¶2",
            closes=(K.WRITTEN_RESPONSE, K.FILING_REVIEW, K.FILING_AFTER_ORDER), letters=(D.FILING_DECISION,),
            approvers=BY_POLICE_HEAD,
        ),
        Transition(
            "decline_filing", (S.FILING_REVIEW,), S.NOT_FILED, (INVESTIGATOR,),
            _("Decline to file"), "Art. 5 ¶2; Art. 7",
            inputs=(i.REASON,), closes=(K.WRITTEN_RESPONSE, K.FILING_REVIEW), letters=(D.NON_FILING_NOTICE,),
            reason_label=_("Reasons for not filing (Art. 5 ¶2, Art. 7)"), refusing=True, approvers=BY_POLICE_HEAD,
        ),
        Transition(
            "withdraw_case", (S.INVESTIGATING,), S.WITHDRAWN, (INVESTIGATOR,),
            _("Withdraw the case"), "Art. 7",
            inputs=(i.REASON,), letters=(D.WITHDRAWAL_NOTICE,),
            sets=(custody_ends,), closes=CUSTODY_DEADLINES,
            reason_label=_("Reasons for the withdrawal (Art. 7)"), refusing=True, approvers=BY_POLICE_HEAD,
        ),
        Transition(
            "transfer_for_prosecution", (S.INVESTIGATING,), S.PROSECUTION_REVIEW, (INVESTIGATOR,),
            _("Transfer for prosecution"), "Art. 9",
            closes=(K.INVESTIGATIVE_CUSTODY,), opens=(K.PROSECUTION_REVIEW,), approvers=BY_POLICE_HEAD,
        ),
        Transition(
            "request_supervision", (S.NOT_FILED, S.WITHDRAWN, S.TRANSFERRED, S.FILING_REVIEW),
            S.SUPERVISION_REQUESTED, (JUDGE,),
            _("Request procuratorial supervision"), "Art. 7; CPL Art. 113",
            # CPL Art. 113: silence past the written response is a failure to file.
            conditions=(c.SUPERVISION_REQUEST_ALLOWED,),
            inputs=(i.REASON,), cancels=(K.WRITTEN_RESPONSE, K.FILING_REVIEW), letters=(D.SUPERVISION_REQUEST,),
            # Art. 7: the executing court asks the procuratorate to supervise.
            notices=(TransitionNotice(N.SUPERVISION_REQUESTED, "supervision_requested", PROCURATORATE),),
            reason_label=_("Why the procuratorate should supervise (Art. 7)"),
        ),
        Transition(
            "request_explanation", (S.NOT_FILED, S.WITHDRAWN, S.SUPERVISION_REQUESTED), S.EXPLANATION_REQUESTED,
            (PROCURATOR,), _("Require the police to explain"), "Art. 8 ¶1; CPL Art. 113",
            # CPL Art. 113: for any origin, on the procuratorate's own initiative or on the creditor's complaint.
            opens=(K.POLICE_EXPLANATION,), letters=(D.EXPLANATION_REQUEST,),
            # Art. 8 ¶1: the police must explain within 7 days of the notice.
            notices=(TransitionNotice(N.EXPLANATION_REQUESTED, "explanation_requested", POLICE),),
        ),
        Transition(
            "decline_supervision", (S.SUPERVISION_REQUESTED,), S.SUPERVISION_CLOSED, (PROCURATOR,),
            _("Decline supervision"), "Art. 8",
            inputs=(i.REASON,), reason_label=_("Why there is no ground to supervise"), refusing=True,
        ),
        Transition(
            "submit_explanation", (S.EXPLANATION_REQUESTED,), S.EXPLANATION_REVIEW, (INVESTIGATOR,),
            _("Submit the explanation"), "Art. 8 ¶1",
            inputs=(i.EXPLANATION,), closes=(K.POLICE_EXPLANATION,), letters=(D.POLICE_EXPLANATION,),
        ),
        Transition(
            "accept_explanation", (S.EXPLANATION_REVIEW,), S.SUPERVISION_CLOSED, (PROCURATOR,),
            _("Accept the explanation"), "Art. 8 ¶1",
            inputs=(i.REASON,), reason_label=_("Why the police's reasons hold"),
        ),
        Transition(
            "order_filing", (S.EXPLANATION_REVIEW, S.EXPLANATION_REQUESTED), S.FILING_ORDERED,
            (Actor(Role.PROCURATOR_GENERAL, PROCURATORATE),), _("Order the police to file"), "Art. 8 ¶2",
            # Art. 8 ¶2: silence past the 7 days counts as reasons that do not stand.
            conditions=(c.ORDER_FILING_ALLOWED,),
            inputs=(i.REASON,), cancels=(K.POLICE_EXPLANATION,), opens=(K.FILING_AFTER_ORDER,),
            letters=(D.FILING_ORDER,),
            reason_label=_("Why the police's reasons do not hold (Art. 8 ¶2)"),
        ),
        Transition(
            "extend_prosecution_review", (S.PROSECUTION_REVIEW,), S.PROSECUTION_REVIEW, (PROCURATOR,),
            _("Extend the prosecution review by 15 days"), "CPL Art. 172",
            conditions=(c.PROSECUTION_REVIEW_NOT_EXTENDED, c.running(K.PROSECUTION_REVIEW)), inputs=(i.REASON,),
            sets=(flag("prosecution_review_extended"),),
            extends=(Extension(K.PROSECUTION_REVIEW, periods.PROSECUTION_REVIEW_EXTENDED),),
            reason_label=_("Why the case is major or complex (CPL Art. 172)"),
        ),
        Transition(
            "return_for_supplementary_investigation", (S.PROSECUTION_REVIEW,), S.SUPPLEMENTARY_INVESTIGATION,
            (PROCURATOR,), _("Return for supplementary investigation"), "CPL Art. 175",
            conditions=(c.SUPPLEMENTARY_ROUNDS_LEFT,), inputs=(i.REASON,), sets=(count("supplementary_rounds"),),
            closes=(K.PROSECUTION_REVIEW,), opens=(K.SUPPLEMENTARY_INVESTIGATION,),
            reason_label=_("What must be investigated further (CPL Art. 175)"),
        ),
        Transition(
            "resubmit_for_prosecution", (S.SUPPLEMENTARY_INVESTIGATION,), S.PROSECUTION_REVIEW, (INVESTIGATOR,),
            _("Resubmit for prosecution"), "CPL Art. 175",
            # CPL Art. 175 ¶3: a fresh review period, which may be extended again (CPL Art. 172).
            sets=(unflag("prosecution_review_extended"),),
            closes=(K.SUPPLEMENTARY_INVESTIGATION,), opens=(K.PROSECUTION_REVIEW,),
        ),
        Transition(
            "indict", (S.PROSECUTION_REVIEW,), S.TRIAL, (PROCURATOR,), _("Indict"), "Art. 9; Art. 2",
            inputs=TRIAL_NAMED, sets=(trial_court_named,),
            closes=(K.PROSECUTION_REVIEW,), opens=(K.TRIAL,),
        ),
        Transition(
            "decline_prosecution", (S.PROSECUTION_REVIEW,), S.NOT_PROSECUTED, (PROCURATOR,),
            _("Decline to prosecute"), "Art. 9",
            inputs=(i.REASON,), sets=(custody_ends,), closes=(K.PROSECUTION_REVIEW,),
            reason_label=_("Reasons for not prosecuting"), refusing=True, approvers=BY_PROCURATOR_GENERAL,
        ),
        Transition(
            "extend_trial", (S.TRIAL, S.PRIVATE_TRIAL), S.TRIAL, (TRIAL_JUDGE,),
            _("Extend the trial period by one month"), "CPL Art. 208 ¶1", stays=True,
            # CPL Art. 208 ¶1, 212 ¶2: once; a private trial only when the defendant is in custody.
            conditions=(c.TRIAL_NOT_EXTENDED, c.running(K.TRIAL), c.PRIVATE_TRIAL_EXTENDABLE), inputs=(i.REASON,),
            sets=(flag("trial_extended"),), extends=(Extension(K.TRIAL, periods.TRIAL_EXTENDED),),
            reason_label=_("Why the trial needs more time (CPL Art. 208 ¶1)"),
        ),
        Transition(
            "render_judgment", (S.TRIAL, S.PRIVATE_TRIAL), S.JUDGED, (TRIAL_JUDGE,),
            _("Render judgment"), "Art. 10",
            inputs=(i.OUTCOME, i.SENTENCE),
            sets=(copy(outcome="outcome", sentence="sentence"), custody_ends_unless_convicted),
            closes=(K.TRIAL,),
        ),
        Transition(
            "advise_private_prosecution",
            (S.NOT_FILED, S.WITHDRAWN, S.SUPERVISION_CLOSED, S.NOT_PROSECUTED, S.TRANSFERRED, S.FILING_REVIEW),
            S.PRIVATE_PROSECUTION_ADVISED, (JUDGE, PROCURATOR_OWN),
            _("Advise the creditor to prosecute privately"), "Art. 12",
            # Art. 12 ¶1 (court origin) and ¶2 (procuratorate origin: only once the reasons were found tenable).
            conditions=(c.PRIVATE_ADVICE_ALLOWED,),
            cancels=(K.WRITTEN_RESPONSE, K.FILING_REVIEW), letters=(D.PRIVATE_PROSECUTION_NOTICE,),
        ),
        Transition(
            "file_private_prosecution", (S.PRIVATE_PROSECUTION_ADVISED, S.DRAFT), S.PRIVATE_FILING_REVIEW,
            (THE_CREDITOR,), _("File the private prosecution"), "Art. 11, 13",
            conditions=(c.PRIVATE_FILING_ALLOWED, c.HAS_PRIVATE_MATERIALS),
            opens=(K.PRIVATE_FILING_REVIEW,),
            # Art. 11, 13, 14: the court's filing division reviews the private prosecution.
            notices=(TransitionNotice(N.PRIVATE_PROSECUTION_FILED, "private_prosecution_filed", EXECUTING_COURT,
                                      (Role.FILING_CLERK,)),),
        ),
        Transition(
            "request_supplement", (S.PRIVATE_FILING_REVIEW,), S.PRIVATE_FILING_REVIEW, (FILING_CLERK,),
            _("Ask for missing materials"), "Art. 13",
            inputs=(i.MISSING,),
            # Art. 13: the court lists what is missing and the creditor is told.
            notices=(TransitionNotice(N.SUPPLEMENT_REQUESTED, "supplement_requested", CREDITOR),),
            note_for_creditor=True,
        ),
        Transition(
            "accept_private_prosecution", (S.PRIVATE_FILING_REVIEW,), S.PRIVATE_TRIAL, (FILING_CLERK,),
            _("Accept the private prosecution"), "Art. 14",
            inputs=TRIAL_NAMED, sets=(trial_court_named,),
            closes=(K.PRIVATE_FILING_REVIEW,), opens=(K.TRIAL,), letters=(D.PRIVATE_ACCEPTANCE_NOTICE,),
        ),
        Transition(
            "reject_private_prosecution", (S.PRIVATE_FILING_REVIEW,), S.PRIVATE_REJECTED, (FILING_CLERK,),
            _("Reject the private prosecution"), "Art. 14",
            inputs=(i.REASON,), closes=(K.PRIVATE_FILING_REVIEW,),
            reason_label=_("Reasons for not accepting (Art. 14)"), refusing=True,
        ),
        # Art. 17, CPL Art. 212: any time before judgment is pronounced, the creditor settles or withdraws and the
        # court approves by a ruling once it has found the settlement voluntary (no court mediation, CPL 212 ¶1).
        Transition(
            "reconcile", BEFORE_JUDGMENT, S.RECONCILED, (THE_CREDITOR,),
            _("Record the reconciliation"), "Art. 17; CPL Art. 212",
            inputs=(i.TERMS,), sets=(copy(reconciliation_terms="terms"),), closes=(K.PRIVATE_FILING_REVIEW, K.TRIAL),
            letters=(D.SETTLEMENT_RULING,), approvers=BY_THE_COURT,
        ),
        Transition(
            "withdraw_private_prosecution", BEFORE_JUDGMENT, S.PRIVATE_WITHDRAWN, (THE_CREDITOR,),
            _("Withdraw the private prosecution"), "Art. 17; CPL Art. 212",
            closes=(K.PRIVATE_FILING_REVIEW, K.TRIAL), letters=(D.SETTLEMENT_RULING,), refusing=True,
            approvers=BY_THE_COURT,
        ),
    ]
}  # fmt: skip

TRANSITION_NAMES = tuple(TRANSITIONS)


def _matching(case, user, row: Transition, actors: tuple[Actor, ...]) -> Actor | None:
    for actor in actors:
        if user.role != actor.role:
            continue
        if actor.origins and case.origin not in actor.origins:
            continue
        if actor.states and case.state in row.sources and case.state not in actor.states:
            continue
        if holds_position(case, user, actor.position):
            return actor
    return None


def matching_approver(case, user, name: str) -> Actor | None:
    """The approver entry that lets this user decide (or fire directly) this transition on this case."""
    row = TRANSITIONS[name]
    return _matching(case, user, row, row.approvers)


def proposes(case, user, name: str) -> bool:
    """Does this user only propose this transition, for an approver to decide (procedure.md §3 "Approvals")?"""
    row = TRANSITIONS[name]
    return (bool(row.approvers) and matching_approver(case, user, name) is None
            and _matching(case, user, row, row.actors) is not None)


def matching_actor(case, user, name: str) -> Actor | None:
    """The actor (or approver) entry that lets this user fire or propose this transition on this case, ignoring
    the state (but for an entry limited to some of the row's sources) and the conditions."""
    row = TRANSITIONS[name]
    return _matching(case, user, row, row.actors) or matching_approver(case, user, name)


def fired_by(name: str):
    """A django-fsm permission callable for the transition `name`."""

    def permission(instance, user) -> bool:
        return matching_actor(instance, user, name) is not None

    permission.__name__ = f"may_fire_{name}"
    return permission


def unmet(case, name: str) -> list[str]:
    """Plain-words reasons a legal condition of `name` is unmet now (empty when all hold)."""
    return [condition.refusal(case) for condition in TRANSITIONS[name].conditions if not condition(case)]


def offered(case, user) -> list[str]:
    """The transitions this user's role and position allow from the case's state, whatever their conditions."""
    return [name for name, row in TRANSITIONS.items()
            if case.state in row.sources and matching_actor(case, user, name) is not None]


def allowed_transitions(*, case, user) -> list[str]:
    """The transitions this user may fire on this case now: role, position, state and conditions."""
    return [name for name in offered(case, user) if all(cond(case) for cond in TRANSITIONS[name].conditions)]
