"""Legal conditions of transitions (procedure.md §3), used as django-fsm conditions.

Each condition has a twin in UNMET_REASONS that says, in words a user understands, why it is not met.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from procedure.states import (
    PRIVATE_REQUIRED_CATEGORIES,
    TRANSFER_CATEGORIES,
    CaseState,
    DeadlineKind,
    DeadlineStatus,
    Origin,
)

MAX_SUPPLEMENTARY_ROUNDS = 2  # CPL Art. 175: supplementary investigation at most twice


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


def has_transfer_materials(case) -> bool:
    return case.origin != Origin.CREDITOR and not missing_transfer_categories(case)


def review_not_extended(case) -> bool:
    return not case.review_extended


def prosecution_review_not_extended(case) -> bool:
    return not case.prosecution_review_extended


def supplementary_rounds_left(case) -> bool:
    return case.supplementary_rounds < MAX_SUPPLEMENTARY_ROUNDS


def explanation_source_allowed(case) -> bool:
    """From not_filed/withdrawn directly only when the procuratorate supervises its own transfer."""
    if case.state in (CaseState.NOT_FILED, CaseState.WITHDRAWN):
        return case.origin == Origin.PROCURATORATE
    return True


def written_response_overdue(case) -> bool:
    """Art. 12 ¶1: the police have not answered within 30 days of receiving the transfer."""
    today = timezone.localdate()
    return case.deadlines.filter(kind=DeadlineKind.WRITTEN_RESPONSE, met_at__isnull=True).filter(
        status__in=[DeadlineStatus.OVERDUE, DeadlineStatus.OPEN], due_date__lt=today
    ).exists()


def private_advice_allowed(case) -> bool:
    if case.state in (CaseState.TRANSFERRED, CaseState.FILING_REVIEW):
        return written_response_overdue(case)
    return True


def private_filing_allowed(case) -> bool:
    """A creditor files from a draft only for a case it started itself (Art. 11)."""
    if case.state == CaseState.DRAFT:
        return case.origin == Origin.CREDITOR
    return True


def has_private_materials(case) -> bool:
    return not missing_private_categories(case)


def unmet_reason(case, condition) -> str:
    """Why a condition does not hold, in plain words."""
    if condition is has_transfer_materials:
        if case.origin == Origin.CREDITOR:
            return _("A case started by the creditor goes only the private prosecution route.")
        return _("Art. 4: the transfer lacks evidence of: %(missing)s.") % {
            "missing": ", ".join(str(_label(c)) for c in missing_transfer_categories(case))
        }
    if condition is has_private_materials:
        return _("Art. 13: the private prosecution lacks: %(missing)s.") % {
            "missing": ", ".join(str(_label(c)) for c in missing_private_categories(case))
        }
    reasons = {
        review_not_extended: _("Art. 5 ¶2: the filing review may be extended only once."),
        prosecution_review_not_extended: _("CPL Art. 172: the prosecution review may be extended only once."),
        supplementary_rounds_left: _("CPL Art. 175: a case may be returned for supplementary investigation at most twice."),
        explanation_source_allowed: _(
            "Art. 8: without a supervision request, the procuratorate may ask for an explanation only of its own transfer."
        ),
        private_advice_allowed: _(
            "Art. 12: before the police decide, private prosecution may be advised only once the 30-day written "
            "response is overdue."
        ),
        private_filing_allowed: _("Only a case started by the creditor can be filed privately from a draft."),
    }
    return str(reasons.get(condition, _("A legal condition of this step is not met.")))


def _label(category: str):
    from procedure.states import EvidenceCategory

    return EvidenceCategory(category).label
