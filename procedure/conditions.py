"""The legal conditions of transitions (procedure.md §3), each with the refusal it gives in plain words.

A condition is a function of the case (its fields, its evidence categories, its deadlines); the transition table
names which conditions each transition has. A condition with a `field` is a matter of the input (400 naming that
field: materials are missing); any other unmet condition is a conflict with the case's state (409).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from procedure.periods import MAX_SUPPLEMENTARY_ROUNDS
from procedure.states import (
    PRIVATE_REQUIRED_CATEGORIES,
    TRANSFER_CATEGORIES,
    CaseState,
    DeadlineKind,
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
    return ", ".join(str(EvidenceCategory(c).label) for c in categories)


def _transfer_refusal(case) -> str:
    if case.origin == Origin.CREDITOR:
        return _("A case started by the creditor goes only the private prosecution route.")
    return _("Art. 4: the transfer lacks evidence of: %(missing)s.") % {
        "missing": _labels(missing_transfer_categories(case))}


def written_response_overdue(case) -> bool:
    """Art. 12 ¶1: the police have not answered within 30 days of receiving the transfer."""
    today = timezone.localdate()
    return case.deadlines.filter(kind=DeadlineKind.WRITTEN_RESPONSE, met_at__isnull=True).filter(
        status__in=[DeadlineStatus.OVERDUE, DeadlineStatus.OPEN], due_date__lt=today
    ).exists()


def _private_advice_allowed(case) -> bool:
    if case.state in (CaseState.TRANSFERRED, CaseState.FILING_REVIEW):
        return written_response_overdue(case)
    return True


def _explanation_source_allowed(case) -> bool:
    """From not_filed/withdrawn directly only when the procuratorate supervises its own transfer."""
    if case.state in (CaseState.NOT_FILED, CaseState.WITHDRAWN):
        return case.origin == Origin.PROCURATORATE
    return True


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
EXPLANATION_SOURCE_ALLOWED = Condition(
    _explanation_source_allowed,
    lambda case: _("Art. 8: without a supervision request, the procuratorate may ask for an explanation only of "
                   "its own transfer."))
PRIVATE_ADVICE_ALLOWED = Condition(
    _private_advice_allowed,
    lambda case: _("Art. 12: before the police decide, private prosecution may be advised only once the 30-day "
                   "written response is overdue."))
PRIVATE_FILING_ALLOWED = Condition(
    _private_filing_allowed,
    lambda case: _("Only a case started by the creditor can be filed privately from a draft."))
