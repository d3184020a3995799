"""Who may fire which transition, from which states: procedure.md §3 as one table.

The model's @transition declarations, the dispatcher, `allowed_transitions` and the API all read this table,
so a rule lives in exactly one place.
"""

from dataclasses import dataclass, field

from agencies.roles import Role
from procedure.states import CaseState as S
from procedure.states import Origin

# A position is the case field naming the agency the actor must belong to, or "creditor" for the
# case's own creditor account.
EXECUTING_COURT = "executing_court"
POLICE = "police_agency"
PROCURATORATE = "procuratorate"
TRIAL_COURT = "trial_court"
CREDITOR = "creditor"


@dataclass(frozen=True)
class Actor:
    role: str
    position: str
    origins: tuple[str, ...] = ()  # empty: any origin


@dataclass(frozen=True)
class TransitionRule:
    name: str
    sources: tuple[str, ...]
    target: str
    actors: tuple[Actor, ...]
    required: tuple[str, ...] = ()
    article: str = ""
    notes: tuple[str, ...] = field(default=())


JUDGE = Actor(Role.ENFORCEMENT_JUDGE, EXECUTING_COURT)
INVESTIGATOR = Actor(Role.POLICE_INVESTIGATOR, POLICE)
PROCURATOR = Actor(Role.PROCURATOR, PROCURATORATE)
FILING_CLERK = Actor(Role.FILING_CLERK, EXECUTING_COURT)
TRIAL_JUDGE = Actor(Role.TRIAL_JUDGE, TRIAL_COURT)
THE_CREDITOR = Actor(Role.CREDITOR, CREDITOR)

RULES: dict[str, TransitionRule] = {
    rule.name: rule
    for rule in [
        TransitionRule(
            "submit_transfer", (S.DRAFT,), S.TRANSFERRED,
            (Actor(Role.ENFORCEMENT_JUDGE, EXECUTING_COURT, (Origin.COURT,)),
             Actor(Role.PROCURATOR, PROCURATORATE, (Origin.PROCURATORATE,))),
            article="Art. 3, 4; Art. 8 ¶3",
        ),
        TransitionRule(
            "cancel", (S.DRAFT,), S.CANCELLED,
            (Actor(Role.ENFORCEMENT_JUDGE, EXECUTING_COURT, (Origin.COURT,)),
             Actor(Role.PROCURATOR, PROCURATORATE, (Origin.PROCURATORATE,)),
             Actor(Role.CREDITOR, CREDITOR, (Origin.CREDITOR,))),
            required=("reason",),
        ),
        TransitionRule("accept", (S.TRANSFERRED,), S.FILING_REVIEW, (Actor(Role.POLICE_CLERK, POLICE),),
                       article="Art. 5 ¶1"),
        TransitionRule("extend_review", (S.FILING_REVIEW,), S.FILING_REVIEW, (Actor(Role.POLICE_HEAD, POLICE),),
                       required=("reason",), article="Art. 5 ¶2"),
        TransitionRule("file_case", (S.FILING_REVIEW, S.FILING_ORDERED), S.INVESTIGATING, (INVESTIGATOR,),
                       article="Art. 5 ¶2; Art. 8 ¶2"),
        TransitionRule("decline_filing", (S.FILING_REVIEW,), S.NOT_FILED, (INVESTIGATOR,),
                       required=("reason",), article="Art. 5 ¶2; Art. 7"),
        TransitionRule("withdraw_case", (S.INVESTIGATING,), S.WITHDRAWN, (INVESTIGATOR,),
                       required=("reason",), article="Art. 7"),
        TransitionRule("transfer_for_prosecution", (S.INVESTIGATING,), S.PROSECUTION_REVIEW, (INVESTIGATOR,),
                       article="Art. 9"),
        TransitionRule("request_supervision", (S.NOT_FILED, S.WITHDRAWN), S.SUPERVISION_REQUESTED,
                       (Actor(Role.ENFORCEMENT_JUDGE, EXECUTING_COURT, (Origin.COURT,)),),
                       required=("reason",), article="Art. 7"),
        TransitionRule("request_explanation", (S.NOT_FILED, S.WITHDRAWN, S.SUPERVISION_REQUESTED),
                       S.EXPLANATION_REQUESTED, (PROCURATOR,), article="Art. 8 ¶1"),
        TransitionRule("decline_supervision", (S.SUPERVISION_REQUESTED,), S.SUPERVISION_CLOSED, (PROCURATOR,),
                       required=("reason",), article="Art. 8"),
        TransitionRule("submit_explanation", (S.EXPLANATION_REQUESTED,), S.EXPLANATION_REVIEW, (INVESTIGATOR,),
                       required=("explanation",), article="Art. 8 ¶1"),
        TransitionRule("accept_explanation", (S.EXPLANATION_REVIEW,), S.SUPERVISION_CLOSED, (PROCURATOR,),
                       required=("reason",), article="Art. 8 ¶1"),
        TransitionRule("order_filing", (S.EXPLANATION_REVIEW,), S.FILING_ORDERED,
                       (Actor(Role.PROCURATOR_GENERAL, PROCURATORATE),), required=("reason",), article="Art. 8 ¶2"),
        TransitionRule("extend_prosecution_review", (S.PROSECUTION_REVIEW,), S.PROSECUTION_REVIEW, (PROCURATOR,),
                       required=("reason",), article="CPL Art. 172"),
        TransitionRule("return_for_supplementary_investigation", (S.PROSECUTION_REVIEW,),
                       S.SUPPLEMENTARY_INVESTIGATION, (PROCURATOR,), required=("reason",), article="CPL Art. 175"),
        TransitionRule("resubmit_for_prosecution", (S.SUPPLEMENTARY_INVESTIGATION,), S.PROSECUTION_REVIEW,
                       (INVESTIGATOR,), article="CPL Art. 175"),
        TransitionRule("indict", (S.PROSECUTION_REVIEW,), S.TRIAL, (PROCURATOR,), required=("trial_court",),
                       article="Art. 9; Art. 2"),
        TransitionRule("decline_prosecution", (S.PROSECUTION_REVIEW,), S.NOT_PROSECUTED, (PROCURATOR,),
                       required=("reason",), article="Art. 9"),
        TransitionRule("render_judgment", (S.TRIAL, S.PRIVATE_TRIAL), S.JUDGED, (TRIAL_JUDGE,),
                       required=("outcome", "sentence"), article="Art. 10"),
        TransitionRule(
            "advise_private_prosecution",
            (S.NOT_FILED, S.WITHDRAWN, S.SUPERVISION_CLOSED, S.NOT_PROSECUTED, S.TRANSFERRED, S.FILING_REVIEW),
            S.PRIVATE_PROSECUTION_ADVISED,
            (Actor(Role.ENFORCEMENT_JUDGE, EXECUTING_COURT, (Origin.COURT,)),
             Actor(Role.PROCURATOR, PROCURATORATE, (Origin.PROCURATORATE,))),
            article="Art. 12",
        ),
        TransitionRule("file_private_prosecution", (S.PRIVATE_PROSECUTION_ADVISED, S.DRAFT),
                       S.PRIVATE_FILING_REVIEW, (THE_CREDITOR,), article="Art. 11, 13"),
        TransitionRule("request_supplement", (S.PRIVATE_FILING_REVIEW,), S.PRIVATE_FILING_REVIEW, (FILING_CLERK,),
                       required=("missing",), article="Art. 13"),
        TransitionRule("accept_private_prosecution", (S.PRIVATE_FILING_REVIEW,), S.PRIVATE_TRIAL, (FILING_CLERK,),
                       required=("trial_court",), article="Art. 14"),
        TransitionRule("reject_private_prosecution", (S.PRIVATE_FILING_REVIEW,), S.PRIVATE_REJECTED, (FILING_CLERK,),
                       required=("reason",), article="Art. 14"),
        TransitionRule("reconcile", (S.PRIVATE_TRIAL,), S.RECONCILED, (THE_CREDITOR, TRIAL_JUDGE),
                       required=("terms",), article="Art. 17"),
        TransitionRule("withdraw_private_prosecution", (S.PRIVATE_TRIAL,), S.PRIVATE_WITHDRAWN, (THE_CREDITOR,),
                       article="Art. 17"),
    ]
}  # fmt: skip

TRANSITION_NAMES = tuple(RULES)


def holds_position(case, user, position: str) -> bool:
    """Does the user's agency (or, for a creditor, the user) hold this position in the case?"""
    if position == CREDITOR:
        return case.applicant_user_id is not None and case.applicant_user_id == user.pk
    agency_id = getattr(case, f"{position}_id")
    return agency_id is not None and user.agency_id == agency_id


def matching_actor(case, user, name: str) -> Actor | None:
    """The rule entry that lets this user fire this transition on this case, ignoring state and conditions."""
    rule = RULES[name]
    for actor in rule.actors:
        if user.role != actor.role:
            continue
        if actor.origins and case.origin not in actor.origins:
            continue
        if holds_position(case, user, actor.position):
            return actor
    return None


def fired_by(name: str):
    """A django-fsm permission callable for the transition `name`."""

    def permission(instance, user) -> bool:
        return matching_actor(instance, user, name) is not None

    permission.__name__ = f"may_fire_{name}"
    return permission


def visible_positions(user) -> list[str]:
    """The case fields through which a user's agency can see a case (procedure.md §1)."""
    if user.role == Role.CREDITOR:
        return []
    return [EXECUTING_COURT, POLICE, PROCURATORATE, TRIAL_COURT]
