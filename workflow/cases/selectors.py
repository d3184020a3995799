"""Reads, always filtered by what the user may see (procedure.md §1)."""

from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models import Case as CaseWhen
from django.http import Http404
from django.utils import timezone

from agencies.models import Agency
from agencies.roles import Role
from procedure.disclosure import disclosure
from procedure.identifiers import case_number_variants
from procedure.positions import AGENCY_POSITIONS, CREDITOR, TRANSFERRING, TRANSFERRING_BY_ORIGIN, WAITING_ON
from procedure.states import DeadlineStatus, Origin
from procedure.transitions import TRANSITIONS
from workflow.deadlines import tally
from workflow.models import Approval, Case, CaseEvent, Deadline, Evidence


def visibility_q(user, prefix: str = "") -> Q:
    """Cases in which the user's agency holds a position, or a creditor's own cases."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.role == Role.CREDITOR:
        return Q(**{f"{prefix}applicant_user": user})
    if not user.agency_id:
        return Q(pk__in=[])
    result = Q(pk__in=[])
    for position in AGENCY_POSITIONS:
        result |= Q(**{f"{prefix}{position}_id": user.agency_id})
    return result


def with_agencies(cases) -> list[Case]:
    """The cases of a page with their agencies, read in one query: a page names the same few agencies again and
    again, and joining the agencies' table four times over costs more per row than the row itself. For a page read
    without ``case_list``'s joins (``.select_related(None)``)."""
    cases = list(cases)
    wanted = {getattr(case, f"{position}_id") for case in cases for position in AGENCY_POSITIONS} - {None}
    agencies = Agency.objects.in_bulk(wanted)
    for case in cases:
        for position in AGENCY_POSITIONS:
            agency = agencies.get(getattr(case, f"{position}_id"))
            if agency is not None:  # an empty position reads as None without a query
                setattr(case, position, agency)
    return cases


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
        # Enforcement case numbers are stored in their official form; the query is looked for as typed and in
        # that form, so ASCII brackets and full-width digits find them too (procedure.identifiers).
        numbers = Q()
        for variant in case_number_variants(q):
            numbers |= Q(enforcement_case_number__icontains=variant)
        qs = qs.filter(
            Q(number__icontains=q) | Q(debtor_name__icontains=q) | numbers | Q(applicant_name__icontains=q)
        )
    return qs.order_by("-id")


def _by_position(user) -> bool:
    """Whether the user's cases are found by the agency's positions (an agency's user), each in its index."""
    return user.is_authenticated and user.role != Role.CREDITOR and bool(user.agency_id)


def visible_ids_sql(*, user, state: str | None = None, waiting: bool = False) -> tuple[str, list]:
    """The ids of the cases an agency's user may see (in ``state``; with ``waiting``, only those waiting for the
    agency, as ``waiting_for_q``), as SQL: one SELECT per position the agency may hold, united.

    Each part is an index-only scan of its `(position, state, id)` index, where the cases' rows themselves (a
    BitmapOr of the positions) would be a page read per case."""
    quote, table = connection.ops.quote_name, connection.ops.quote_name(Case._meta.db_table)
    parts, params = [], []

    def part(position: str, states: list[str] | None, origin: str | None = None) -> None:
        where, values = [f"{quote(Case._meta.get_field(position).column)} = %s"], [user.agency_id]
        if states is not None:
            where.append(f"state IN ({', '.join(['%s'] * len(states))})")
            values += states
        if origin is not None:
            where.append("origin = %s")
            values.append(origin)
        parts.append(f"SELECT id FROM {table} WHERE {' AND '.join(where)}")  # noqa: S608 - names only
        params.extend(values)

    only = [state] if state else None
    if not waiting:
        for position in AGENCY_POSITIONS:
            part(position, only)
    else:
        states: dict[str, list[str]] = {}
        for its_state, position in WAITING_ON.items():
            if state is None or its_state == state:
                states.setdefault(position, []).append(its_state)
        for position, its_states in states.items():
            if position not in (CREDITOR, TRANSFERRING):
                part(position, its_states)
        for origin, position in TRANSFERRING_BY_ORIGIN.items():
            if position != CREDITOR and states.get(TRANSFERRING):
                part(position, states[TRANSFERRING], origin)
        if not parts:
            return f"SELECT id FROM {table} WHERE 1 = 0", []  # noqa: S608 - names only
    return " UNION ".join(parts), params


def case_count(*, user, state: str | None = None, overdue: bool | None = None, q: str = "") -> int | None:
    """How many cases ``case_list`` lists, counted from the positions' indexes alone; None when the filters need
    the cases' rows (a search, the overdue filter) or the user is no agency's."""
    if overdue is not None or q or not _by_position(user):
        return None
    sql, params = visible_ids_sql(user=user, state=state)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) visible", params)  # noqa: S608 - names only
        return cursor.fetchone()[0]


def case_page_ids(*, user, state: str | None = None, overdue: bool | None = None, q: str = "",
                  bottom: int = 0, top: int = 0) -> list[int] | None:
    """The ids of the rows ``bottom`` to ``top`` of ``case_list`` (newest first), read from the positions'
    indexes alone; None when the filters need the cases' rows or the user is no agency's."""
    if overdue is not None or q or not _by_position(user):
        return None
    sql, params = visible_ids_sql(user=user, state=state)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM ({sql}) visible ORDER BY id DESC LIMIT %s OFFSET %s",  # noqa: S608
                       [*params, max(top - bottom, 0), bottom])
        return [row[0] for row in cursor.fetchall()]


def deadline_count(*, user, status: str | None = None, kind: str | None = None) -> int | None:
    """How many deadlines ``deadline_list`` lists: on PostgreSQL the sum of the agency's tally rows
    (workflow.deadlines.tally), elsewhere those of the visible cases (from the positions' indexes), each case's read
    off the `(case, kind, status)` index; None for a user who is no agency's."""
    if not _by_position(user):
        return None
    if tally.kept():
        return tally.tally_count(agency_id=user.agency_id, status=status, kind=kind)
    sql, params = visible_ids_sql(user=user)
    return tally.count_where(Deadline, "COUNT(*)", ["case_id IN (" + sql + ")"], params, status=status, kind=kind)


def state_counts(*, user) -> dict[str, int]:
    """How many of the cases the user may see are in each state (the inbox's filter).

    For an agency's user, the cases of each position the agency may hold, united: each part is read from its
    `(position, state, id)` index alone, where the cases' rows themselves (a BitmapOr of the positions) would be
    a page read per case."""
    if not _by_position(user):
        return dict(Case.objects.filter(visibility_q(user)).order_by().values_list("state").annotate(n=Count("pk")))
    quote, table = connection.ops.quote_name, connection.ops.quote_name(Case._meta.db_table)
    parts = " UNION ".join(
        f"SELECT id, state FROM {table} WHERE {quote(Case._meta.get_field(position).column)} = %s"  # noqa: S608
        for position in AGENCY_POSITIONS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT state, COUNT(*) FROM ({parts}) visible GROUP BY state",  # noqa: S608 - names only
                       [user.agency_id] * len(AGENCY_POSITIONS))
        return dict(cursor.fetchall())


def _fence() -> str:
    """PostgreSQL's OFFSET 0 keeps a subquery's computed column a column of its own, looked up once per row,
    where the planner would otherwise repeat the look-up wherever the column is used."""
    return " OFFSET 0" if connection.vendor == "postgresql" else ""


def _nearest_due_sql() -> tuple[str, list]:
    """The nearest open deadline's due date of the case ``listed.id``: one entry of `deadline_open_by_case`."""
    table = connection.ops.quote_name(Deadline._meta.db_table)
    return (f"SELECT d.due_date FROM {table} d WHERE d.case_id = listed.id AND d.status IN (%s, %s) "  # noqa: S608
            f"AND d.met_at IS NULL ORDER BY d.due_date, d.id LIMIT 1",
            [DeadlineStatus.OPEN.value, DeadlineStatus.OVERDUE.value])


def inbox_page_ids(*, user, state: str | None = None, waiting_only: bool = True, bottom: int = 0,
                   top: int = 0) -> list[int] | None:
    """The ids of the rows ``bottom`` to ``top`` of ``inbox_list`` (without a search): the nearest deadline first,
    cases without one last, then the newest. Read from the positions' indexes and `deadline_open_by_case` alone,
    where ordering the cases' rows would read every one of them. None when the user is no agency's."""
    if not _by_position(user):
        return None
    sql, params = visible_ids_sql(user=user, state=state, waiting=waiting_only)
    nearest, nearest_params = _nearest_due_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM (SELECT listed.id, ({nearest}) AS next_due FROM ({sql}) listed{_fence()}) nearest "  # noqa: S608
            f"ORDER BY next_due ASC NULLS LAST, id DESC LIMIT %s OFFSET %s",
            [*nearest_params, *params, max(top - bottom, 0), bottom],
        )
        return [row[0] for row in cursor.fetchall()]


def inbox_summary(*, user, state: str | None = None, today, soon_until) -> dict[str, int] | None:
    """The inbox's summary of the cases waiting for the agency: how many, how many past their nearest open
    deadline, how many with it due by ``soon_until``. The waiting cases come from the positions' indexes, each
    one's nearest open deadline from the `deadline_open_by_case` index: no case row is read. None when the user
    is no agency's."""
    if not _by_position(user):
        return None
    sql, params = visible_ids_sql(user=user, state=state, waiting=True)
    nearest, nearest_params = _nearest_due_sql()
    day = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COUNT(*) FILTER (WHERE next_due < %s), "  # noqa: S608 - names only
            f"COUNT(*) FILTER (WHERE next_due >= %s AND next_due <= %s) "
            f"FROM (SELECT ({nearest}) AS next_due FROM ({sql}) listed{_fence()}) nearest",
            [day(today), day(today), day(soon_until), *nearest_params, *params],
        )
        waiting, overdue, soon = cursor.fetchone()
    return {"waiting": waiting, "overdue": overdue or 0, "soon": soon or 0}


def inbox_overview(*, user, state: str | None = None, today, soon_until, bottom: int, top: int
                   ) -> tuple[dict[str, int], list[int]] | None:
    """The inbox's summary (``inbox_summary``) and the ids of the waiting cases' rows ``bottom`` to ``top``
    (``inbox_page_ids``) together. On PostgreSQL one statement reads the waiting cases and each one's nearest open
    deadline once for both; elsewhere they are the two queries. None when the user is no agency's."""
    if not _by_position(user):
        return None
    if connection.vendor != "postgresql":
        return (inbox_summary(user=user, state=state, today=today, soon_until=soon_until),
                inbox_page_ids(user=user, state=state, bottom=bottom, top=top))
    sql, params = visible_ids_sql(user=user, state=state, waiting=True)
    nearest, nearest_params = _nearest_due_sql()
    day = connection.ops.adapt_datefield_value
    order = "ORDER BY next_due ASC NULLS LAST, id DESC"  # as inbox_page_ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH nearest AS MATERIALIZED (SELECT listed.id, ({nearest}) AS next_due FROM ({sql}) listed) "  # noqa: S608
            f"SELECT COUNT(*), COUNT(*) FILTER (WHERE next_due < %s), "
            f"COUNT(*) FILTER (WHERE next_due >= %s AND next_due <= %s), "
            f"(SELECT array_agg(id {order}) FROM (SELECT id, next_due FROM nearest {order} LIMIT %s OFFSET %s) page) "
            f"FROM nearest",
            [*nearest_params, *params, day(today), day(today), day(soon_until), max(top - bottom, 0), bottom],
        )
        waiting, overdue, soon, ids = cursor.fetchone()
    return {"waiting": waiting, "overdue": overdue or 0, "soon": soon or 0}, list(ids or [])


def case_get(*, user, case_id, related: bool = False) -> Case:
    """The case, or 404 both when it does not exist and when the user may not see it. With `related`, also its
    creditor account, evidence, deadlines and events, in one query each however many there are."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise Http404 from None
    qs = case_list(user=user)
    if related:
        qs = qs.select_related("applicant_user").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by", "text_layer")),
            Prefetch("deadlines", queryset=Deadline.objects.select_related("owed_by")),
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor", "agency")),
        )
    case = qs.filter(pk=case_id).first()
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


def waiting_for_q(*, user) -> Q:
    """Cases in which the user's agency (or, for a creditor, the user) owes the next act."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    states: dict[str, list[str]] = {}
    for state, position in WAITING_ON.items():
        states.setdefault(position, []).append(state)
    if user.role == Role.CREDITOR:
        return Q(applicant_user=user) & (
            Q(state__in=states[CREDITOR]) | Q(state__in=states[TRANSFERRING], origin=Origin.CREDITOR))
    if not user.agency_id:
        return Q(pk__in=[])
    result = Q(pk__in=[])
    for position, its_states in states.items():
        if position not in (CREDITOR, TRANSFERRING):
            result |= Q(state__in=its_states, **{f"{position}_id": user.agency_id})
    for origin, position in TRANSFERRING_BY_ORIGIN.items():
        if position != CREDITOR:
            result |= Q(state__in=states[TRANSFERRING], origin=origin, **{f"{position}_id": user.agency_id})
    return result


def _open_deadlines():
    return Q(status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE], met_at__isnull=True)


def with_next_deadline(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with its nearest open deadline: `next_due` (date) and `next_kind`. Each is one entry
    of the index of open deadlines (`deadline_open_by_case`), not a join of all the case's deadlines."""
    nearest = Deadline.objects.filter(_open_deadlines(), case=OuterRef("pk")).order_by("due_date", "id")
    return qs.annotate(
        next_due=Subquery(nearest.values("due_date")[:1]),
        next_kind=Subquery(nearest.values("kind")[:1]),
    )


def inbox_list(*, user, q: str = "", state: str | None = None, waiting_only: bool = True) -> QuerySet[Case]:
    """The cases waiting for the user's agency (or, with waiting_only=False, all the user may see), the
    nearest legal deadline first and cases without an open deadline last."""
    qs = case_list(user=user, q=q, state=state)
    if waiting_only:
        qs = qs.filter(waiting_for_q(user=user))
    return with_next_deadline(qs).order_by(F("next_due").asc(nulls_last=True), "-id")


def creditor_case_list(*, user) -> QuerySet[Case]:
    """A creditor's own cases: first those that wait for the creditor's own act (procedure.positions.WAITING_ON: a
    private prosecution to prepare and file), then by the nearest legal deadline, cases without one last, newest
    first. Each case is annotated with `needs_action`."""
    needs_action = CaseWhen(When(waiting_for_q(user=user), then=Value(True)), default=Value(False),
                            output_field=BooleanField())
    return (with_next_deadline(case_list(user=user)).annotate(needs_action=needs_action)
            .order_by(F("needs_action").desc(), F("next_due").asc(nulls_last=True), "-id"))


def evidence_list(*, case: Case, user) -> QuerySet:
    """The materials of a visible case the user may see: a creditor sees only its own and those the court
    shared with it (Art. 15); the case's agencies see all."""
    return (case.evidence.select_related("added_by", "text_layer").filter(disclosure(user).materials_q())
            .order_by("added_at", "id"))


def approvals_visible(*, user) -> QuerySet[Approval]:
    """The approvals of the cases the user may see (procedure.md §3 "Approvals"); of these a creditor sees only
    their own proposals: what an organ's handler proposes to its head stays inside the organ."""
    qs = Approval.objects.filter(visibility_q(user, prefix="case__"))
    if user.is_authenticated and user.role == Role.CREDITOR:
        qs = qs.filter(proposed_by=user)
    return qs.select_related("case", "proposed_by", "decided_by")


def approval_list(*, user, status: str | None = None) -> QuerySet[Approval]:
    """The approvals the user may decide or has proposed, newest first."""
    if not user.is_authenticated:
        return Approval.objects.none()
    decides = Q(pk__in=[])
    for name, row in TRANSITIONS.items():
        for approver in row.approvers:
            if approver.role != user.role:
                continue
            here = (Q(case__applicant_user=user) if approver.position == CREDITOR
                    else Q(**{f"case__{approver.position}_id": user.agency_id}))
            if approver.origins:
                here &= Q(case__origin__in=approver.origins)
            if approver.states:
                here &= Q(from_state__in=approver.states)
            decides |= Q(transition=name) & here
    qs = approvals_visible(user=user).filter(decides | Q(proposed_by=user))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-proposed_at", "-id")
