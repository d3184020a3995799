"""The deadline list's count (procedure.md §4) from the tally the database keeps (`DeadlineTally`, migration 0019).

Counting the deadlines of every case an agency sees reads one index entry per case: at a province's scale, thousands
for a police station. The tally holds, per agency, status and kind, rows whose sum is that count; the database
appends them in the transaction of every statement that changes a deadline or moves a case to other agencies.
"""

from django.db import connection, transaction

from procedure.positions import AGENCY_POSITIONS
from workflow.models import Case, Deadline, DeadlineTally


def kept() -> bool:
    """Whether this database keeps the tally (PostgreSQL; SQLite, the embedded default, counts the rows)."""
    return connection.vendor == "postgresql"


def count_where(model, total: str, where: list[str], params: list, *, status: str | None = None,
                kind: str | None = None) -> int:
    """``total`` (an SQL aggregate) over the rows of ``model`` matching ``where`` and, each when given, the status
    and kind."""
    where, params = list(where), list(params)
    if status:
        where.append("status = %s")
        params.append(status)
    if kind:
        where.append("kind = %s")
        params.append(kind)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {total} FROM {table} WHERE {' AND '.join(where)}", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def tally_count(*, agency_id: int, status: str | None = None, kind: str | None = None) -> int:
    """How many deadlines of this status and kind (each, when given) the cases the agency holds a position in
    have: the sum of the agency's rows, a few per status and kind."""
    return count_where(DeadlineTally, "COALESCE(SUM(n), 0)", ["agency_id = %s"], [agency_id], status=status,
                       kind=kind)


def compact_deadline_tally() -> int:
    """Fold each (agency, status, kind)'s rows into one, and drop those that sum to nothing; returns how many rows
    were folded. The rows folded are those this statement deletes, so rows appended meanwhile by transactions
    still open are kept and counted as before."""
    if not kept():
        return 0
    table = connection.ops.quote_name(DeadlineTally._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"WITH folded AS (DELETE FROM {table} WHERE (agency_id, status, kind) IN ("  # noqa: S608 - table only
            f"SELECT agency_id, status, kind FROM {table} GROUP BY 1, 2, 3 HAVING COUNT(*) > 1 OR SUM(n) = 0) "
            f"RETURNING agency_id, status, kind, n), "
            f"kept AS (INSERT INTO {table} (agency_id, status, kind, n) SELECT agency_id, status, kind, SUM(n) "
            f"FROM folded GROUP BY 1, 2, 3 HAVING SUM(n) <> 0 RETURNING 1) "
            f"SELECT COUNT(*) FROM folded"
        )
        return int(cursor.fetchone()[0])


def _recount_sql() -> str:
    """SQL: (agency, status, kind, count) of the deadlines themselves, each counted once for each agency holding a
    position in its case: what the tally's rows sum to."""
    quote = connection.ops.quote_name
    positions = ", ".join(f"c.{quote(Case._meta.get_field(p).column)}" for p in AGENCY_POSITIONS)
    return (f"SELECT a.agency_id, d.status, d.kind, COUNT(*) FROM {quote(Deadline._meta.db_table)} d "  # noqa: S608
            f"JOIN {quote(Case._meta.db_table)} c ON c.id = d.case_id "
            f"CROSS JOIN LATERAL (SELECT DISTINCT x FROM unnest(ARRAY[{positions}]) AS x WHERE x IS NOT NULL) "
            f"AS a (agency_id) GROUP BY 1, 2, 3")


def differences() -> list[tuple[int, str, str, int, int]]:
    """Where the tally and a recount of the deadlines disagree: (agency, status, kind, tallied, counted). Empty
    when the tally is exact (and wherever it is not kept)."""
    if not kept():
        return []
    table = connection.ops.quote_name(DeadlineTally._meta.db_table)
    with connection.cursor() as cursor:  # one statement: one snapshot of both
        cursor.execute(
            f"WITH tallied AS (SELECT agency_id, status, kind, SUM(n) AS n FROM {table} GROUP BY 1, 2, 3), "  # noqa: S608
            f"counted (agency_id, status, kind, n) AS ({_recount_sql()}) "
            f"SELECT agency_id, status, kind, COALESCE(t.n, 0), COALESCE(c.n, 0) FROM tallied t "
            f"FULL JOIN counted c USING (agency_id, status, kind) WHERE COALESCE(t.n, 0) <> COALESCE(c.n, 0) "
            f"ORDER BY 1, 2, 3")
        return [tuple(row) for row in cursor.fetchall()]


def rebuild_deadline_tally() -> int:
    """Write the tally afresh from the deadlines (after a restore, or rows changed with the triggers off); returns
    how many rows it holds. Deadlines and cases are not written meanwhile (share locks until the commit)."""
    if not kept():
        return 0
    quote = connection.ops.quote_name
    table = quote(DeadlineTally._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {quote(Deadline._meta.db_table)}, {quote(Case._meta.db_table)} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - table name only
        cursor.execute(f"INSERT INTO {table} (agency_id, status, kind, n) {_recount_sql()}")  # noqa: S608
        return cursor.rowcount
