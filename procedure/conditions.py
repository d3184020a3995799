"""The legal conditions of transitions (procedure.md §3), each with the refusal it gives in plain words.

A condition is a function of the case (its fields, its evidence categories, its deadlines); the transition table
names which conditions each transition has. A condition with a `field` is a matter of the input (400 naming that
field: materials are missing); any other unmet condition is a conflict with the case's state (409).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from procedure.basis import joined
from procedure.deadlines import DeadlineKind
from procedure.periods import MAX_SUPPLEMENTARY_ROUNDS
from procedure.states import (
    PRIVATE_REQUIRED_CATEGORIES,
    TRANSFER_CATEGORIES,
    CaseState,
    DeadlineStatus,
    EvidenceCategory,
    Origin,
)


@dataclass(frozen=True)
class Condition:
    holds: Callable[[object], bool]
    refusal: Callable[[object], str]
    field: str = ""

    def __call__(self, case) -> bool:
        return self.holds(case)


def _present_categories(case) -> set[str]:
    cached = getattr(case, "_prefetched_objects_cache", {}).get("evidence")
    if cached is not None:
        return {e.category for e in cached}
    return set(case.evidence.values_list("category", flat=True).distinct())


def missing_transfer_categories(case) -> list[str]:
    """Art. 4: the five categories a transfer must carry, those without a material."""
    present = _present_categories(case)
    return [c for c in TRANSFER_CATEGORIES if c not in present]


def missing_private_categories(case) -> list[str]:
    """Art. 13: the five required private prosecution materials, those without a material."""
    present = _present_categories(case)
    return [c for c in PRIVATE_REQUIRED_CATEGORIES if c not in present]


def _labels(categories) -> str:
    return joined((EvidenceCategory(c).label for c in categories), translation.get_language() or "")


def _transfer_refusal(case) -> str:
    if case.origin == Origin.CREDITOR:
        return _("A case started by the creditor goes only the private prosecution route.")
    return _("Art. 4: the transfer lacks evidence of: %(missing)s.") % {
        "missing": _labels(missing_transfer_categories(case))}


def overdue_deadlines(case, kind: str):
    """The deadlines of `kind` whose act is owed and whose period has passed. A provisional due date (a year the
    holiday schedule lacks) is never overdue: it opens no remedy until the year is imported (procedure.md §4)."""
    today = timezone.localdate()
    return case.deadlines.filter(kind=kind, met_at__isnull=True, provisional=False).filter(
        status__in=[DeadlineStatus.OVERDUE, DeadlineStatus.OPEN], due_date__lt=today)


def overdue(case, kind: str) -> bool:
    return overdue_deadlines(case, kind).exists()


def written_response_overdue(case) -> bool:
    """Art. 12 ¶1: the police have not answered within 30 days of receiving the transfer."""
    return overdue(case, DeadlineKind.WRITTEN_RESPONSE)


#: Art. 12 ¶1, CPL Art. 113: before the police decide, their silence past the written response is a failure to file.
AWAITING_POLICE = (CaseState.TRANSFERRED, CaseState.FILING_REVIEW)


def _silence_remedy_allowed(case) -> bool:
    """From transferred / filing_review only once the 30-day written response is overdue (court origin)."""
    if case.state in AWAITING_POLICE:
        return case.origin == Origin.COURT and written_response_overdue(case)
    return True


def reasons_found_tenable(case) -> bool:
    """Art. 12 ¶2: the procuratorate reviewed the police's reasons for not filing or withdrawing and found them
    tenable: the case reached supervision_closed by accept_explanation."""
    last = (case.events.filter(to_state=CaseState.SUPERVISION_CLOSED).order_by("-seq")
            .values_list("transition", flat=True).first())
    return case.state == CaseState.SUPERVISION_CLOSED and last == "accept_explanation"


def _private_advice_allowed(case) -> bool:
    if case.origin == Origin.PROCURATORATE:
        return reasons_found_tenable(case)
    return _silence_remedy_allowed(case)


def _private_advice_refusal(case) -> str:
    if case.origin == Origin.PROCURATORATE:
        return _("Art. 12 ¶2: for a case the procuratorate transferred, private prosecution is advised only after "
                 "it has reviewed the police's reasons for not filing or withdrawing and found them tenable.")
    return _("Art. 12: before the police decide, private prosecution may be advised only once the 30-day "
             "written response is overdue.")


def _order_filing_allowed(case) -> bool:
    """Art. 8 ¶2: without an explanation, only once the 7-day explanation period has passed."""
    if case.state == CaseState.EXPLANATION_REQUESTED:
        return overdue(case, DeadlineKind.POLICE_EXPLANATION)
    return True


def _private_trial_extendable(case) -> bool:
    """CPL Art. 212 ¶2: a private trial runs 2 months (extendable) only when the defendant is in custody."""
    return case.state != CaseState.PRIVATE_TRIAL or case.custody


def received_on_refusal(case, day) -> str | None:
    """Art. 12 ¶1: the day the police received the materials lies between the submission and today."""
    if day > timezone.localdate():
        return _("The materials cannot have been received in the future.")
    submitted = timezone.localdate(case.state_changed_at) if case.state_changed_at else None
    if submitted and day < submitted:
        return _("The materials cannot have been received before they were transferred (%(day)s).") % {
            "day": submitted.isoformat()}
    return None


def _private_filing_allowed(case) -> bool:
    """A creditor files from a draft only for a case it started itself (Art. 11)."""
    if case.state == CaseState.DRAFT:
        return case.origin == Origin.CREDITOR
    return True


HAS_TRANSFER_MATERIALS = Condition(
    lambda case: case.origin != Origin.CREDITOR and not missing_transfer_categories(case),
    _transfer_refusal, field="evidence")
HAS_PRIVATE_MATERIALS = Condition(
    lambda case: not missing_private_categories(case),
    lambda case: _("Art. 13: the private prosecution lacks: %(missing)s.") % {
        "missing": _labels(missing_private_categories(case))},
    field="evidence")
REVIEW_NOT_EXTENDED = Condition(
    lambda case: not case.review_extended,
    lambda case: _("Art. 5 ¶2: the filing review may be extended only once."))
PROSECUTION_REVIEW_NOT_EXTENDED = Condition(
    lambda case: not case.prosecution_review_extended,
    lambda case: _("CPL Art. 172: a prosecution review period may be extended only once."))


def running(kind: str) -> Condition:
    """procedure.md §4: an extension is decided while the period runs; an expired one cannot be extended."""

    def holds(case) -> bool:
        today = timezone.localdate()
        return case.deadlines.filter(kind=kind, met_at__isnull=True, status=DeadlineStatus.OPEN,
                                     due_date__gte=today).exists()

    return Condition(holds, lambda case: _("The period has already expired; an expired period cannot be extended."))
SUPPLEMENTARY_ROUNDS_LEFT = Condition(
    lambda case: case.supplementary_rounds < MAX_SUPPLEMENTARY_ROUNDS,
    lambda case: _("CPL Art. 175: a case may be returned for supplementary investigation at most twice."))
PRIVATE_ADVICE_ALLOWED = Condition(_private_advice_allowed, _private_advice_refusal)
SUPERVISION_REQUEST_ALLOWED = Condition(
    _silence_remedy_allowed,
    lambda case: _("Art. 7, CPL Art. 113: before the police decide, supervision may be requested only once the "
                   "30-day written response is overdue."))
ORDER_FILING_ALLOWED = Condition(
    _order_filing_allowed,
    lambda case: _("Art. 8 ¶2: without the police's explanation, filing may be ordered only once the 7-day "
                   "explanation period has passed."))
TRIAL_NOT_EXTENDED = Condition(
    lambda case: not case.trial_extended,
    lambda case: _("CPL Art. 208 ¶1: the trial period may be extended only once."))
PRIVATE_TRIAL_EXTENDABLE = Condition(
    _private_trial_extendable,
    lambda case: _("CPL Art. 212 ¶2: a private trial is extended only when the defendant is in custody."))
PRIVATE_FILING_ALLOWED = Condition(
    _private_filing_allowed,
    lambda case: _("Only a case started by the creditor can be filed privately from a draft."))
