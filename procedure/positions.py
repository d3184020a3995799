"""Positions in a case (procedure.md §1): which agency holds which place, who owes the next act, who waits for it.

A position is the case field naming an agency (`executing_court`, `police_agency`, `procuratorate`,
`trial_court`), or `creditor` for the case's own creditor account. `transferring` is the organ that started the
case: the executing court (Art. 3), the procuratorate (Art. 8 ¶3) or, for a private prosecution it prepares itself,
the creditor (Art. 11). Inboxes, the deadline sweep and the letters all read this one module.
"""

from agencies.roles import Role
from procedure.states import CaseState, Origin

EXECUTING_COURT = "executing_court"
POLICE = "police_agency"
PROCURATORATE = "procuratorate"
TRIAL_COURT = "trial_court"
CREDITOR = "creditor"
TRANSFERRING = "transferring"

#: The case fields through which an agency sees a case (procedure.md §1).
AGENCY_POSITIONS = (EXECUTING_COURT, POLICE, PROCURATORATE, TRIAL_COURT)

TRANSFERRING_BY_ORIGIN = {Origin.COURT: EXECUTING_COURT, Origin.PROCURATORATE: PROCURATORATE,
                          Origin.CREDITOR: CREDITOR}


def transferring_position(origin: str) -> str:
    """Art. 3, Art. 8 ¶3, Art. 11: the position of the organ that started a case of this origin."""
    return TRANSFERRING_BY_ORIGIN[origin]


def holds_position(case, user, position: str) -> bool:
    """Does the user's agency (or, for a creditor, the user) hold this position in the case?"""
    if position == CREDITOR:
        return case.applicant_user_id is not None and case.applicant_user_id == user.pk
    agency_id = getattr(case, f"{position}_id")
    return agency_id is not None and user.agency_id == agency_id


def visible_positions(user) -> tuple[str, ...]:
    """The case fields through which a user's agency can see a case; a creditor sees only their own cases."""
    if user.role == Role.CREDITOR:
        return ()
    return AGENCY_POSITIONS


#: Who owes the next act in each open state (procedure.md §3, §4).
WAITING_ON: dict[str, str] = {
    CaseState.DRAFT: TRANSFERRING,
    CaseState.TRANSFERRED: POLICE,
    CaseState.FILING_REVIEW: POLICE,
    CaseState.EXPLANATION_REQUESTED: POLICE,
    CaseState.FILING_ORDERED: POLICE,
    CaseState.INVESTIGATING: POLICE,
    CaseState.SUPPLEMENTARY_INVESTIGATION: POLICE,
    CaseState.SUPERVISION_REQUESTED: PROCURATORATE,
    CaseState.EXPLANATION_REVIEW: PROCURATORATE,
    CaseState.PROSECUTION_REVIEW: PROCURATORATE,
    CaseState.NOT_FILED: TRANSFERRING,
    CaseState.WITHDRAWN: TRANSFERRING,
    CaseState.SUPERVISION_CLOSED: TRANSFERRING,
    CaseState.NOT_PROSECUTED: TRANSFERRING,
    CaseState.PRIVATE_FILING_REVIEW: EXECUTING_COURT,  # the court's filing division
    CaseState.TRIAL: TRIAL_COURT,
    CaseState.PRIVATE_TRIAL: TRIAL_COURT,
    CaseState.PRIVATE_PROSECUTION_ADVISED: CREDITOR,
}


def owing_position(state: str, origin: str) -> str | None:
    """The case position that owes the next act in `state` (a case field or "creditor"); None once closed."""
    position = WAITING_ON.get(state)
    if position == TRANSFERRING:
        return transferring_position(origin)
    return position


def waiting_for(*, case) -> str | None:
    return owing_position(case.state, case.origin)


#: The roles of each position that are told when their awaited act is overdue.
WAITING_ROLES: dict[str, tuple[str, ...]] = {
    EXECUTING_COURT: (Role.ENFORCEMENT_JUDGE,),
    PROCURATORATE: (Role.PROCURATOR,),
    POLICE: (Role.POLICE_INVESTIGATOR,),
}
#: Art. 8: the procuratorate's roles that supervise the police's overdue acts.
SUPERVISING_ROLES = (Role.PROCURATOR, Role.PROCURATOR_GENERAL)


def needs_jurisdiction_reason(case, agency) -> bool:
    """Art. 2: an agency outside the executing court's region may be chosen only with a written reason."""
    return agency.region_code != case.executing_court.region_code
