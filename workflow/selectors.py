"""Reads, always filtered by what the user may see (procedure.md §1)."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from agencies.roles import Role

from .models import Case, Deadline
from .states import DeadlineStatus


def visibility_q(user, prefix: str = "") -> Q:
    """Cases in which the user's agency holds a position, or a creditor's own cases."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.role == Role.CREDITOR:
        return Q(**{f"{prefix}applicant_user": user})
    if not user.agency_id:
        return Q(pk__in=[])
    agency = user.agency_id
    return (
        Q(**{f"{prefix}executing_court_id": agency})
        | Q(**{f"{prefix}police_agency_id": agency})
        | Q(**{f"{prefix}procuratorate_id": agency})
        | Q(**{f"{prefix}trial_court_id": agency})
    )


def case_list(*, user, state: str | None = None, overdue: bool | None = None, q: str = "") -> QuerySet[Case]:
    qs = Case.objects.filter(visibility_q(user)).select_related(
        "executing_court", "police_agency", "procuratorate", "trial_court"
    )
    if state:
        qs = qs.filter(state=state)
    if overdue is not None:
        late = Deadline.objects.filter(case=OuterRef("pk"), met_at__isnull=True).filter(
            Q(status=DeadlineStatus.OVERDUE) | Q(status=DeadlineStatus.OPEN, due_date__lt=timezone.localdate())
        )
        qs = qs.filter(Exists(late)) if overdue else qs.exclude(Exists(late))
    if q:
        qs = qs.filter(
            Q(number__icontains=q) | Q(debtor_name__icontains=q) | Q(enforcement_case_number__icontains=q)
            | Q(applicant_name__icontains=q)
        )
    return qs.order_by("-id")


def case_get(*, user, case_id) -> Case:
    """The case, or 404 both when it does not exist and when the user may not see it."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise Http404 from None
    case = case_list(user=user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def deadline_list(*, user, status: str | None = None, kind: str | None = None) -> QuerySet[Deadline]:
    qs = Deadline.objects.filter(visibility_q(user, prefix="case__")).select_related("case", "owed_by")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("due_date", "id")
