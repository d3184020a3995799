"""The deadlines of procedure.md §4 as ONE table: a row per kind of deadline with everything about it.

Its period (a named constant of `procedure.periods`, with its article), who does the act it is owed for (they are
warned and told when it is overdue), who waits for that act, whether it is a custody period (never shifted for
holidays, CPL Art. 105), and the case origins it is opened for. Which transition opens, closes, cancels or extends
a deadline is said by the transition's row in `procedure.transitions`. Adding a kind of deadline is adding a row.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.roles import Role
from procedure import periods
from procedure.periods import Period
from procedure.positions import CREDITOR, POLICE, PROCURATORATE, TRANSFERRING, transferring_position
from procedure.states import CaseState, Origin

INVESTIGATOR = (Role.POLICE_INVESTIGATOR,)
PROCURATOR = (Role.PROCURATOR,)


@dataclass(frozen=True)
class DeadlineRule:
    kind: str
    label: Any
    period: Period
    acting: tuple[str, ...]  # the roles that do the act the deadline is owed for
    waiting: str | None  # the position waiting for that act (TRANSFERRING: the organ that started the case)
    custody: bool = False  # a custody period: counted without the holiday shift (CPL Art. 105)
    origins: tuple[str, ...] = ()  # opened only for cases of these origins; empty: any


DEADLINES: dict[str, DeadlineRule] = {
    row.kind: row
    for row in [
        # Art. 12 ¶1: the written response is the executing court's remedy; for a procuratorate-origin case the
        # police's silence opens nothing (Art. 12 ¶2).
        DeadlineRule("written_response", _("Written response to the transfer"), periods.WRITTEN_RESPONSE,
                     INVESTIGATOR, TRANSFERRING, origins=(Origin.COURT,)),
        DeadlineRule("filing_review", _("Filing review"), periods.FILING_REVIEW, INVESTIGATOR, TRANSFERRING),
        DeadlineRule("police_explanation", _("Explanation of non-filing"), periods.POLICE_EXPLANATION,
                     INVESTIGATOR, PROCURATORATE),  # Art. 8 ¶1
        DeadlineRule("filing_after_order", _("Filing after the procuratorate's order"), periods.FILING_AFTER_ORDER,
                     INVESTIGATOR, PROCURATORATE),  # Art. 8 ¶2
        DeadlineRule("arrest_review", _("Arrest review"), periods.ARREST_REVIEW, PROCURATOR, POLICE),
        # CPL Art. 91: request the arrest or release; the procuratorate supervises custody (CPL Art. 100).
        DeadlineRule("detention", _("Detention"), periods.DETENTION, INVESTIGATOR, PROCURATORATE, custody=True),
        # CPL Art. 156: transfer for prosecution or release.
        DeadlineRule("investigative_custody", _("Custody in investigation after arrest"),
                     periods.INVESTIGATIVE_CUSTODY, INVESTIGATOR, PROCURATORATE, custody=True),
        DeadlineRule("prosecution_review", _("Prosecution review"), periods.PROSECUTION_REVIEW, PROCURATOR, POLICE),
        DeadlineRule("supplementary_investigation", _("Supplementary investigation"),
                     periods.SUPPLEMENTARY_INVESTIGATION, INVESTIGATOR, PROCURATORATE),
        DeadlineRule("private_filing_review", _("Private prosecution filing review"), periods.PRIVATE_FILING_REVIEW,
                     (Role.FILING_CLERK,), CREDITOR),
        # CPL Art. 208, 212 ¶2: the period depends on the track and on custody (period_for); the creditor waits in
        # a private trial.
        DeadlineRule("trial", _("Trial"), periods.PUBLIC_TRIAL, (Role.TRIAL_JUDGE,), PROCURATORATE),
    ]
}  # fmt: skip

DeadlineKind = models.TextChoices("DeadlineKind", [(row.kind.upper(), (row.kind, row.label))
                                                   for row in DEADLINES.values()])
DeadlineKind.__module__ = __name__
DeadlineKind.__doc__ = "The kinds of deadline, from the rows of DEADLINES; names fixed by the spec."

ACTING_ROLES: dict[str, tuple[str, ...]] = {kind: row.acting for kind, row in DEADLINES.items()}
CUSTODY_KINDS = frozenset(kind for kind, row in DEADLINES.items() if row.custody)


def period_for(case, kind: str) -> Period:
    """The period a deadline of `kind` runs for this case: the trial's depends on the track and on custody
    (CPL Art. 208, 212 ¶2)."""
    if kind == DeadlineKind.TRIAL and case.state == CaseState.PRIVATE_TRIAL:
        return periods.PRIVATE_TRIAL_IN_CUSTODY if case.custody else periods.PRIVATE_TRIAL_AT_LIBERTY
    return DEADLINES[kind].period


def opened_for(case, kind: str) -> bool:
    origins = DEADLINES[kind].origins
    return not origins or case.origin in origins


def waiting_position(kind: str, *, state: str, origin: str) -> str | None:
    """The position waiting for the act of a deadline of `kind` (a case field or "creditor")."""
    if kind == DeadlineKind.TRIAL and state == CaseState.PRIVATE_TRIAL:
        return CREDITOR
    position = DEADLINES[kind].waiting if kind in DEADLINES else None
    if position == TRANSFERRING:
        return transferring_position(origin)
    return position
