"""The sweep's notices written by the database itself (PostgreSQL): one INSERT ... SELECT per batch of deadlines.

The same notices as the sweep's Python builders (workflow.deadlines.sweep: ``_overdue_notices`` and
``_warning_notices``, which SQLite uses and the tests compare this with, row for row), without carrying a row per
notice through Python: a sweep that marks ten thousand deadlines writes some fifty thousand notices, and building,
encoding and copying each of them cost more than inserting them (bench/sweep.py).

What stays in Python is what the law and the texts decide, each evaluated once over its small domain and handed to
the statement as arrays:

* who waits for each kind of deadline, in each state and origin (procedure.deadlines.waiting_position over every
  kind, state and origin), with the roles that hear of it in that position (procedure.positions.WAITING_ROLES);
* who acts on each kind (procedure.deadlines.ACTING_ROLES), the heads (agencies.roles.HEAD_ROLES) and the
  supervising procurators (procedure.positions.SUPERVISING_ROLES, Opinions Art. 8);
* each text, rendered once per text, language, kind and legal basis (workflow.notifications.texts.render) with
  the case number, debtor, agency and due date left as positional arguments of PostgreSQL's ``format()``, which
  fills them in per row in one pass.

The recipients follow workflow.notifications.recipients: the active users of an agency holding the roles, or all
its active users when none does; a person named by two groups hears once, in the first group's text; the
(event_key, recipient) unique index skips what was written before.
"""

# ruff: noqa: S608 - the statement is assembled from table names, codes and its own fragments; values are parameters
from __future__ import annotations

from datetime import datetime
from functools import cache

from django.conf import settings
from django.db import connection, transaction

from agencies.models import Agency, User
from agencies.roles import HEAD_ROLES, AgencyKind
from procedure.deadlines import ACTING_ROLES, waiting_position
from procedure.deadlines import DeadlineKind as K
from procedure.notices import NotificationKind as N
from procedure.positions import AGENCY_POSITIONS, CREDITOR, SUPERVISING_ROLES, WAITING_ROLES
from procedure.states import CaseState, Origin
from workflow.models import Case, Deadline, Notification
from workflow.notifications.texts import render

# The parameters that differ per deadline, in the order of format()'s arguments.
VARYING = ("number", "debtor", "agency", "due")
_MARK = {name: f"\ue000{name}\ue001" for name in VARYING}  # private-use characters: never in a text

OVERDUE, WARNING = "overdue", "warn"
# (priority, group, notification kind, text id); the waiting group's text depends on the deadline's kind.
GROUPS = {
    OVERDUE: ((1, "waiting", N.DEADLINE_AWAITED, None), (2, "heads", N.DEADLINE_ESCALATED, "deadline_escalated_head"),
              (3, "supervising", N.DEADLINE_ESCALATED, "deadline_escalated_supervision"),
              (4, "acting", N.DEADLINE_OVERDUE, "deadline_overdue")),
    WARNING: ((4, "acting", N.DEADLINE_WARNING, "deadline_warning"),),
}
WAITING_TEXT = {K.WRITTEN_RESPONSE.value: "written_response_awaited"}
WAITING_TEXT_DEFAULT = "deadline_awaited"
POSITION_FIELDS = {position: f"{position}_id" for position in AGENCY_POSITIONS}  # the case's columns


def _template(text: str) -> str:
    """A rendered text with the varying parameters' marks as format()'s positional arguments."""
    text = text.replace("%", "%%")
    for i, name in enumerate(VARYING, start=1):
        text = text.replace(_MARK[name], f"%{i}$s")
    return text


def _texts(event: str, pairs: list[tuple[str, str]], languages: list[str]) -> list[tuple]:
    """(text id, language, deadline kind, legal basis, title template, body template) for every combination."""
    text_ids = {text for _p, _g, _n, text in GROUPS[event] if text}
    if event == OVERDUE:
        text_ids |= {WAITING_TEXT_DEFAULT, *WAITING_TEXT.values()}
    rows = []
    for text_id in sorted(text_ids):
        for language in languages:
            for kind, basis in pairs:
                title, body = render(text_id, language, {**_MARK, "basis": basis, "deadline_kind": kind})
                rows.append((text_id, language, kind, basis, _template(title), _template(body)))
    return rows


@cache
def _waiting_rules() -> list[list[str]]:
    """The columns (kind, state, origin, position, roles) of the rows wherever someone waits: the rule of
    procedure.deadlines over its whole (finite) domain, evaluated once per process."""
    rows = []
    for kind in K.values:
        for state in CaseState.values:
            for origin in Origin.values:
                position = waiting_position(kind, state=state, origin=origin)
                if position == CREDITOR:
                    rows.append((kind, state, origin, CREDITOR, ""))
                elif position in POSITION_FIELDS:
                    rows.append((kind, state, origin, position, ",".join(WAITING_ROLES[position])))
    return _columns(rows)


@cache
def _acting_rules() -> list[list[str]]:
    """The columns (kind, roles) of who acts on each kind of deadline."""
    return _columns([(kind, ",".join(roles)) for kind, roles in ACTING_ROLES.items()])


def _columns(rows: list[tuple]) -> list[list]:
    return [list(column) for column in zip(*rows, strict=True)] if rows else []


def _of(agency: str, roles: str) -> str:
    """SQL: the active users of `agency` holding one of `roles` (a text[] expression), or all of them when none
    does (workflow.notifications.recipients.People.of)."""
    return (f"u.agency_id = {agency} AND u.is_active AND (u.role = ANY({roles}) OR NOT EXISTS ("
            f"SELECT 1 FROM {_t(User)} v WHERE v.agency_id = {agency} AND v.is_active AND v.role = ANY({roles})))")


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _candidates(event: str) -> str:
    """SQL: (deadline row, priority, notification kind, text id, user) for every group of the event."""
    parts = []
    for priority, group, kind, text_id in GROUPS[event]:
        text = f"'{text_id}'" if text_id else (
            "CASE d.kind " + " ".join(f"WHEN '{k}' THEN '{t}'" for k, t in WAITING_TEXT.items())
            + f" ELSE '{WAITING_TEXT_DEFAULT}' END")
        head = (f"SELECT d.id, {priority} AS priority, '{kind.value}' AS notice_kind, {text} AS text_id, "
                f"u.id AS user_id, u.language AS user_language, u.email AS user_email FROM d JOIN {_t(User)} u ON ")
        if group == "acting":
            parts.append(head + _of("d.owed_by_id", "string_to_array(d.acting_roles, ',')"))
        elif group == "heads":
            heads = "%(head_roles)s::text[]"
            parts.append(head + f"u.agency_id = d.owed_by_id AND u.is_active AND (u.role = ANY({heads}) OR "
                         f"(u.is_liaison AND NOT EXISTS (SELECT 1 FROM {_t(User)} v WHERE v.agency_id = d.owed_by_id "
                         f"AND v.is_active AND v.role = ANY({heads}))))")
        elif group == "supervising":
            parts.append(head + "u.agency_id = d.supervising_id AND u.is_active "
                         "AND u.role = ANY(%(supervising_roles)s::text[])")
        else:  # waiting: the creditor, or the users of the agency in the waiting position, unless it owes the act
            parts.append(head + f"d.position = '{CREDITOR}' AND u.id = d.applicant_user_id AND u.is_active")
            agency = "CASE d.position " + " ".join(f"WHEN '{p}' THEN d.{f}" for p, f in POSITION_FIELDS.items()) \
                + " END"
            parts.append(head + f"d.position <> '{CREDITOR}' AND {agency} IS DISTINCT FROM d.owed_by_id AND "
                         + _of(agency, "string_to_array(d.waiting_roles, ',')"))
    return "\nUNION ALL\n".join(parts)


def _statement(event: str) -> str:
    suffix = ":overdue" if event == OVERDUE else ":warn"
    notice = ("recipient_id, case_id, deadline_id, event_key, kind, title, body, due_date, created_at, email_to, "
              "text_id, params")
    return f"""
WITH acting(kind, roles) AS (SELECT * FROM unnest(%(acting_kind)s::text[], %(acting_roles)s::text[])),
waiting(kind, state, origin, position, roles) AS (
    SELECT * FROM unnest(%(w_kind)s::text[], %(w_state)s::text[], %(w_origin)s::text[], %(w_position)s::text[],
                         %(w_roles)s::text[])),
texts(text_id, language, kind, basis, title, body) AS (
    SELECT * FROM unnest(%(t_id)s::text[], %(t_language)s::text[], %(t_kind)s::text[], %(t_basis)s::text[],
                         %(t_title)s::text[], %(t_body)s::text[])),
d AS MATERIALIZED (
    SELECT dl.id, dl.kind, dl.due_date, dl.legal_basis, dl.owed_by_id, c.*, w.position, w.roles AS waiting_roles,
           COALESCE(a.roles, '') AS acting_roles,
           to_char(dl.due_date, 'YYYY-MM-DD') AS due,
           'deadline:' || dl.id || ':' || to_char(dl.due_date, 'YYYY-MM-DD') || '{suffix}' AS event_key,
           jsonb_build_object('number', c.number, 'debtor', c.debtor_name, 'agency', c.agency_name,
                              'due', to_char(dl.due_date, 'YYYY-MM-DD'), 'basis', dl.legal_basis,
                              'deadline_kind', dl.kind) AS params
    FROM {_t(Deadline)} dl
    -- each deadline's case, owing agency and court by primary key (OFFSET 0: a look-up per deadline, never a
    -- scan of every case)
    CROSS JOIN LATERAL (
        SELECT c.id AS case_id, c.number, c.debtor_name, c.applicant_user_id, c.executing_court_id,
               c.police_agency_id, c.procuratorate_id, c.trial_court_id, c.state, c.origin, o.name AS agency_name,
               CASE WHEN o.kind = '{AgencyKind.POLICE.value}' THEN COALESCE(c.procuratorate_id, (
                   SELECT p.id FROM {_t(Agency)} p WHERE p.kind = '{AgencyKind.PROCURATORATE.value}'
                   AND p.region_code = court.region_code ORDER BY p.id LIMIT 1)) END AS supervising_id
        FROM {_t(Case)} c
        JOIN {_t(Agency)} o ON o.id = dl.owed_by_id
        JOIN {_t(Agency)} court ON court.id = c.executing_court_id
        WHERE c.id = dl.case_id OFFSET 0) c
    LEFT JOIN acting a ON a.kind = dl.kind
    LEFT JOIN waiting w ON w.kind = dl.kind AND w.state = c.state AND w.origin = c.origin
    WHERE dl.id = ANY(%(ids)s::bigint[])
),
candidates AS (
{_candidates(event)}
),
chosen AS MATERIALIZED (
    SELECT DISTINCT ON (id, user_id) * FROM candidates ORDER BY id, user_id, priority
),
written AS (
    INSERT INTO {_t(Notification)} ({notice})
    SELECT ch.user_id, d.case_id, d.id, d.event_key, ch.notice_kind,
           left(format(t.title, d.number, d.debtor_name, d.agency_name, d.due), 300),
           btrim(format(t.body, d.number, d.debtor_name, d.agency_name, d.due), E' \\t\\n\\r'),
           d.due_date, %(now)s, COALESCE(ch.user_email, ''), ch.text_id, d.params
    FROM chosen ch
    JOIN d ON d.id = ch.id
    JOIN texts t ON t.text_id = ch.text_id AND t.kind = d.kind AND t.basis = d.legal_basis
        AND t.language = COALESCE(NULLIF(ch.user_language, ''), %(default_language)s)
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM chosen), (SELECT count(*) FROM written)
"""


def write_notices(event: str, ids: list[int], *, now: datetime, pairs: list[tuple[str, str]] | None = None) -> int:
    """Write the notices of ``event`` (OVERDUE or WARNING) of the deadlines ``ids`` (of the kinds and legal bases
    ``pairs``, read from them when not given); returns how many were offered (one per person and deadline, as the
    Python builders count them)."""
    if not ids:
        return 0
    sql, params = statement(event, ids, now=now, pairs=pairs)
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner cannot estimate how many people a CTE's join picks; guessing few, it would rescan them once
        # per deadline (seconds for a few thousand): hash joins, for this statement only. Their cost estimates
        # then run high enough to compile the statement just in time, which costs more than it saves (half a
        # second, bench/sweep.py): no JIT either.
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        offered, _written = cursor.fetchone()
        cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")
        cursor.execute("SET LOCAL jit TO DEFAULT")
    return offered


def statement(event: str, ids: list[int], *, now: datetime,
              pairs: list[tuple[str, str]] | None = None) -> tuple[str, dict]:
    """The statement that writes the notices of ``event`` of the deadlines ``ids``, with its parameters: the texts
    of the kinds, legal bases and languages at hand, and the rules of procedure as arrays."""
    with connection.cursor() as cursor:
        if pairs is None:
            cursor.execute(f"SELECT DISTINCT kind, legal_basis FROM {_t(Deadline)} WHERE id = ANY(%s)", [ids])
            pairs = sorted(cursor.fetchall())
        cursor.execute(f"SELECT DISTINCT COALESCE(NULLIF(language, ''), %s) FROM {_t(User)} "
                       "WHERE is_active", [settings.LANGUAGE_CODE])
        languages = sorted({row[0] for row in cursor.fetchall()} | {settings.LANGUAGE_CODE})
    texts = _columns(_texts(event, pairs, languages))
    waiting, acting = _waiting_rules(), _acting_rules()
    return _statement(event), {
        "ids": ids, "now": now, "default_language": settings.LANGUAGE_CODE,
        "head_roles": sorted(HEAD_ROLES), "supervising_roles": list(SUPERVISING_ROLES),
        "acting_kind": acting[0], "acting_roles": acting[1],
        "w_kind": waiting[0], "w_state": waiting[1], "w_origin": waiting[2], "w_position": waiting[3],
        "w_roles": waiting[4],
        "t_id": texts[0], "t_language": texts[1], "t_kind": texts[2], "t_basis": texts[3], "t_title": texts[4],
        "t_body": texts[5],
    }
