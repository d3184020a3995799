"""Statutory periods (procedure.md §4): which transition opens and closes which deadline, and how long it runs.

Dates are counted by CPL Art. 105 in workflow.legal_calendar; this module only says which period applies.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from procedure.basis import basis_text
from procedure.calendar import Schedule, UnknownYear, add_period, compute_due_date
from procedure.states import CaseState, DeadlineStatus
from procedure.states import DeadlineKind as K
from workflow.deadlines.holidays import database_schedule
from workflow.models import Case, Deadline


@dataclass(frozen=True)
class Period:
    days: int | None = None
    months: int | None = None
    basis: str = ""
    owed_by: str = ""  # the case position owing the act

    @property
    def label(self) -> str:
        return f"{self.days} days" if self.days else f"{self.months} month{'s' if self.months != 1 else ''}"


WRITTEN_RESPONSE = Period(days=30, basis="Opinions Art. 12 ¶1", owed_by="police_agency")
FILING_REVIEW = Period(days=7, basis="Opinions Art. 5 ¶2", owed_by="police_agency")
FILING_REVIEW_EXTENDED = Period(days=30, basis="Opinions Art. 5 ¶2 (extended)", owed_by="police_agency")
POLICE_EXPLANATION = Period(days=7, basis="Opinions Art. 8 ¶1", owed_by="police_agency")
FILING_AFTER_ORDER = Period(days=15, basis="Opinions Art. 8 ¶2", owed_by="police_agency")
ARREST_REVIEW = Period(days=7, basis="CPL Art. 91 ¶3; Opinions Art. 9", owed_by="procuratorate")
PROSECUTION_REVIEW = Period(months=1, basis="CPL Art. 172", owed_by="procuratorate")
PROSECUTION_REVIEW_EXTENSION_DAYS = 15  # CPL Art. 172: a major or complex case, once, by 15 days
SUPPLEMENTARY_INVESTIGATION = Period(months=1, basis="CPL Art. 175", owed_by="police_agency")
PRIVATE_FILING_REVIEW = Period(days=15, basis="SPC Interpretation of the CPL (private prosecution)",
                               owed_by="executing_court")
PUBLIC_TRIAL = Period(months=2, basis="CPL Art. 208", owed_by="trial_court")
PRIVATE_TRIAL_AT_LIBERTY = Period(months=6, basis="CPL Art. 212", owed_by="trial_court")
PRIVATE_TRIAL_IN_CUSTODY = Period(months=2, basis="CPL Art. 212", owed_by="trial_court")

# transition -> deadlines it opens
OPENS: dict[str, tuple[str, ...]] = {
    "submit_transfer": (K.WRITTEN_RESPONSE,),
    "accept": (K.FILING_REVIEW,),
    "request_explanation": (K.POLICE_EXPLANATION,),
    "order_filing": (K.FILING_AFTER_ORDER,),
    "transfer_for_prosecution": (K.PROSECUTION_REVIEW,),
    "resubmit_for_prosecution": (K.PROSECUTION_REVIEW,),
    "return_for_supplementary_investigation": (K.SUPPLEMENTARY_INVESTIGATION,),
    "file_private_prosecution": (K.PRIVATE_FILING_REVIEW,),
    "indict": (K.TRIAL,),
    "accept_private_prosecution": (K.TRIAL,),
}
# transition -> deadlines it meets (closes)
CLOSES: dict[str, tuple[str, ...]] = {
    "file_case": (K.WRITTEN_RESPONSE, K.FILING_REVIEW, K.FILING_AFTER_ORDER),
    "decline_filing": (K.WRITTEN_RESPONSE, K.FILING_REVIEW),
    "submit_explanation": (K.POLICE_EXPLANATION,),
    "resubmit_for_prosecution": (K.SUPPLEMENTARY_INVESTIGATION,),
    "indict": (K.PROSECUTION_REVIEW,),
    "decline_prosecution": (K.PROSECUTION_REVIEW,),
    "return_for_supplementary_investigation": (K.PROSECUTION_REVIEW,),
    "accept_private_prosecution": (K.PRIVATE_FILING_REVIEW,),
    "reject_private_prosecution": (K.PRIVATE_FILING_REVIEW,),
    "render_judgment": (K.TRIAL,),
    "reconcile": (K.TRIAL,),
    "withdraw_private_prosecution": (K.TRIAL,),
}
# transitions that end the owing agency's duty without the act: open deadlines are cancelled
CANCELS: dict[str, tuple[str, ...]] = {
    "cancel": tuple(K),
    "advise_private_prosecution": (K.WRITTEN_RESPONSE, K.FILING_REVIEW),
}


def schedule() -> Schedule:
    """The official holiday schedule as the administrators keep it (CPL Art. 105)."""
    return database_schedule()


def period_for(case: Case, kind: str) -> Period:
    if kind == K.TRIAL:
        if case.state == CaseState.PRIVATE_TRIAL:
            return PRIVATE_TRIAL_IN_CUSTODY if case.custody else PRIVATE_TRIAL_AT_LIBERTY
        return PUBLIC_TRIAL
    return {
        K.WRITTEN_RESPONSE: WRITTEN_RESPONSE,
        K.FILING_REVIEW: FILING_REVIEW,
        K.POLICE_EXPLANATION: POLICE_EXPLANATION,
        K.FILING_AFTER_ORDER: FILING_AFTER_ORDER,
        K.ARREST_REVIEW: ARREST_REVIEW,
        K.PROSECUTION_REVIEW: PROSECUTION_REVIEW,
        K.SUPPLEMENTARY_INVESTIGATION: SUPPLEMENTARY_INVESTIGATION,
        K.PRIVATE_FILING_REVIEW: PRIVATE_FILING_REVIEW,
    }[kind]


def _fill_due(deadline: Deadline, *, start: date, days=None, months=None, basis: str) -> None:
    try:
        due = compute_due_date(start, days=days, months=months, custody=deadline.custody,
                               schedule=schedule(), basis=basis)
    except UnknownYear as exc:
        # Never guess: keep the unshifted date, flag it, and say so until the year's schedule is added.
        raw = add_period(start, days=days, months=months)
        deadline.due_date = raw
        deadline.provisional = True
        deadline.explanation = (
            f"起算日{start.isoformat()}（不计入）+{days or months}{'日' if days else '个月'}={raw.isoformat()}；"
            f"节假日安排尚无{exc.year}年数据，暂按未顺延日期计，待管理员导入后重算。依据：{basis_text(basis, 'zh-hans')}"
        )
        deadline.explanation_en = (
            f"Start {start.isoformat()} (not counted) + {days or months} {'days' if days else 'months'} = "
            f"{raw.isoformat()}; the holiday calendar has no schedule for {exc.year} yet, so the unshifted date is "
            f"shown until an administrator imports it. Basis: {basis}"
        )
        return
    deadline.due_date = due.due_date
    deadline.provisional = False
    deadline.explanation = due.explain("zh-hans")
    deadline.explanation_en = due.explain("en")


def open_deadline(*, case: Case, kind: str, start: date | None = None, custody: bool | None = None,
                  owed_by=None) -> Deadline:
    period = period_for(case, kind)
    owing = owed_by or getattr(case, period.owed_by)
    deadline = Deadline(
        case=case,
        kind=kind,
        legal_basis=period.basis,
        owed_by=owing,
        start_date=start or timezone.localdate(),
        custody=case.custody if custody is None else custody,
        period_days=period.days,
        period_months=period.months,
    )
    _fill_due(deadline, start=deadline.start_date, days=period.days, months=period.months, basis=period.basis)
    deadline.save()
    return deadline


def open_deadlines(*, case: Case, kinds) -> list[Deadline]:
    return [open_deadline(case=case, kind=kind) for kind in kinds]


def _open_qs(case: Case, kinds):
    return case.deadlines.filter(kind__in=kinds, met_at__isnull=True,
                                 status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE])


def close_deadlines(*, case: Case, kinds) -> int:
    """The owing agency acted: an open deadline is met; an overdue one keeps its status, with the late date."""
    now = timezone.now()
    closed = 0
    for deadline in _open_qs(case, kinds):
        deadline.met_at = now
        if deadline.status == DeadlineStatus.OPEN:
            deadline.status = DeadlineStatus.MET if timezone.localdate() <= deadline.due_date else DeadlineStatus.OVERDUE
        deadline.save(update_fields=["met_at", "status"])
        closed += 1
    return closed


def cancel_deadlines(*, case: Case, kinds) -> int:
    """The duty ended without the act. One whose due day had already passed stays overdue (the record of the
    miss must not depend on whether the sweep ran first); the others are cancelled."""
    today = timezone.localdate()
    _open_qs(case, kinds).filter(status=DeadlineStatus.OPEN, due_date__lt=today).update(
        status=DeadlineStatus.OVERDUE, overdue_at=timezone.now())
    return _open_qs(case, kinds).filter(status=DeadlineStatus.OPEN).update(status=DeadlineStatus.CANCELLED)


def extend_deadline(*, case: Case, kind: str, days: int | None = None, extra_days: int | None = None,
                    basis: str) -> Deadline | None:
    """Move an open deadline: to a new period from the same start (extend_review), or by extra days."""
    deadline = _open_qs(case, [kind]).order_by("-id").first()
    if deadline is None:
        return None
    if days is not None:
        _fill_due(deadline, start=deadline.start_date, days=days, basis=basis)
        deadline.period_days, deadline.period_months = days, None
    else:
        # CPL Art. 172: the review period is extended by 15 days, counted from the original due date.
        _fill_due(deadline, start=deadline.due_date, days=extra_days, basis=basis)
    deadline.legal_basis = basis
    if deadline.status == DeadlineStatus.OVERDUE and deadline.due_date >= timezone.localdate():
        deadline.status = DeadlineStatus.OPEN
        deadline.overdue_at = None
    deadline.save()
    return deadline


def apply_transition(*, case: Case, name: str) -> None:
    """Open, close and cancel deadlines for a transition, in the caller's transaction."""
    if name in CLOSES:
        close_deadlines(case=case, kinds=CLOSES[name])
    if name in CANCELS:
        cancel_deadlines(case=case, kinds=CANCELS[name])
    if name == "extend_review":
        extend_deadline(case=case, kind=K.FILING_REVIEW, days=FILING_REVIEW_EXTENDED.days,
                        basis=FILING_REVIEW_EXTENDED.basis)
    if name == "extend_prosecution_review":
        extend_deadline(case=case, kind=K.PROSECUTION_REVIEW, extra_days=PROSECUTION_REVIEW_EXTENSION_DAYS,
                        basis="CPL Art. 172 (extended by 15 days)")
    if name in OPENS:
        open_deadlines(case=case, kinds=OPENS[name])
