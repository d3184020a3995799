"""The deadline list's count kept by PostgreSQL (workflow.deadlines.tally): a statement that inserts, updates or
deletes deadlines, or moves a case to other agencies, appends its change per (agency, status, kind) to
`workflow_deadlinetally` in its own transaction, through statement-level triggers that read the statement's rows
(transition tables). An agency counts a deadline once however many positions it holds in the case.

Two writers could race: a deadline written while its case is moved to other agencies. A new deadline takes a share
lock on its case, and a moved case locks its deadlines, so that whichever commits second counts under the
agencies the first left. The table is filled from the deadlines already there. SQLite keeps no tally.
"""

import django.db.models.deletion
from django.db import migrations, models


# The agencies holding a position in a case, each once, from the array `{p}.agencies` of its position columns.
AGENCIES = """CROSS JOIN LATERAL (SELECT DISTINCT x FROM unnest({p}.agencies) AS x WHERE x IS NOT NULL)
        AS a (agency_id)"""
POSITIONS = "({t}.executing_court_id, {t}.police_agency_id, {t}.procuratorate_id, {t}.trial_court_id)"
MOVED = f"{POSITIONS.format(t='o')} IS DISTINCT FROM {POSITIONS.format(t='w')}"
TALLY = "INSERT INTO workflow_deadlinetally (agency_id, status, kind, n)"
# Functions whose statements take the rows of a sweep (10,000 and more) are planned without JIT: compiling costs
# more than the statement.
PLPGSQL = "LANGUAGE plpgsql SET jit = off"


def _tally(changes: str, lock: str = "") -> str:
    """Append the changes `changes` (case_id, status, kind, n) per agency of each case. Each case's positions are
    looked up once by its key (a sub-select per case, which the planner cannot turn into a scan of every case)."""
    return f"""WITH m AS ({changes}),
        p AS (SELECT ids.id, (SELECT ARRAY{POSITIONS.format(t="c").replace("(", "[").replace(")", "]")}
                              FROM workflow_case c WHERE c.id = ids.id{lock}) AS agencies
              FROM (SELECT DISTINCT case_id AS id FROM m) AS ids)
        {TALLY}
        SELECT a.agency_id, m.status, m.kind, SUM(m.n) FROM m JOIN p ON p.id = m.case_id
        {AGENCIES.format(p="p")}
        GROUP BY 1, 2, 3 HAVING SUM(m.n) <> 0"""


POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION workflow_deadline_tally_insert() RETURNS trigger AS $$
    BEGIN
        {_tally("SELECT case_id, status, kind, COUNT(*) AS n FROM new_rows GROUP BY 1, 2, 3", " FOR SHARE")};
        RETURN NULL;
    END;
    $$ {PLPGSQL}""",
    f"""CREATE OR REPLACE FUNCTION workflow_deadline_tally_delete() RETURNS trigger AS $$
    BEGIN
        {_tally("SELECT case_id, status, kind, -COUNT(*) AS n FROM old_rows GROUP BY 1, 2, 3")};
        RETURN NULL;
    END;
    $$ {PLPGSQL}""",
    # The rows before and after, the first counted -1 and the second +1: what a statement left unchanged sums to
    # nothing and is dropped before any case is looked up (a sweep's warnings, a recount).
    f"""CREATE OR REPLACE FUNCTION workflow_deadline_tally_update() RETURNS trigger AS $$
    BEGIN
        {_tally("SELECT case_id, status, kind, SUM(n) AS n FROM (SELECT case_id, status, kind, -1 AS n FROM old_rows "
                "UNION ALL SELECT case_id, status, kind, 1 FROM new_rows) AS d GROUP BY 1, 2, 3 HAVING SUM(n) <> 0")};
        RETURN NULL;
    END;
    $$ {PLPGSQL}""",
    f"""CREATE OR REPLACE FUNCTION workflow_deadline_tally_truncate() RETURNS trigger AS $$
    BEGIN
        DELETE FROM workflow_deadlinetally;
        RETURN NULL;
    END;
    $$ {PLPGSQL}""",
    # A case moved to other agencies: its deadlines leave the agencies it had and join those it has.
    f"""CREATE OR REPLACE FUNCTION workflow_case_tally_update() RETURNS trigger AS $$
    BEGIN
        PERFORM 1 FROM workflow_deadline WHERE case_id IN (
            SELECT o.id FROM old_rows o JOIN new_rows w ON w.id = o.id WHERE {MOVED}) FOR UPDATE;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        {TALLY}
        SELECT a.agency_id, d.status, d.kind, SUM(m.n) FROM (
            SELECT o.id, -1 AS n, ARRAY{POSITIONS.format(t="o").replace("(", "[").replace(")", "]")} AS agencies
            FROM old_rows o JOIN new_rows w ON w.id = o.id WHERE {MOVED}
            UNION ALL
            SELECT w.id, 1, ARRAY{POSITIONS.format(t="w").replace("(", "[").replace(")", "]")}
            FROM old_rows o JOIN new_rows w ON w.id = o.id WHERE {MOVED}
        ) m JOIN workflow_deadline d ON d.case_id = m.id
        {AGENCIES.format(p="m")}
        GROUP BY 1, 2, 3 HAVING SUM(m.n) <> 0;
        RETURN NULL;
    END;
    $$ {PLPGSQL}""",
    """CREATE TRIGGER workflow_deadline_tally_insert AFTER INSERT ON workflow_deadline
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION workflow_deadline_tally_insert()""",
    """CREATE TRIGGER workflow_deadline_tally_delete AFTER DELETE ON workflow_deadline
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION workflow_deadline_tally_delete()""",
    """CREATE TRIGGER workflow_deadline_tally_update AFTER UPDATE ON workflow_deadline
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION workflow_deadline_tally_update()""",
    """CREATE TRIGGER workflow_deadline_tally_truncate AFTER TRUNCATE ON workflow_deadline
    FOR EACH STATEMENT EXECUTE FUNCTION workflow_deadline_tally_truncate()""",
    """CREATE TRIGGER workflow_case_tally_update AFTER UPDATE ON workflow_case
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION workflow_case_tally_update()""",
    f"""{TALLY}
    SELECT a.agency_id, d.status, d.kind, COUNT(*) FROM workflow_deadline d
    JOIN (SELECT id, ARRAY{POSITIONS.format(t="c").replace("(", "[").replace(")", "]")} AS agencies
          FROM workflow_case c) AS p ON p.id = d.case_id
    {AGENCIES.format(p="p")}
    GROUP BY 1, 2, 3""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS workflow_case_tally_update ON workflow_case",
    *(f"DROP TRIGGER IF EXISTS workflow_deadline_tally_{op} ON workflow_deadline"
      for op in ("insert", "delete", "update", "truncate")),
    *(f"DROP FUNCTION IF EXISTS workflow_deadline_tally_{op}()" for op in ("insert", "delete", "update", "truncate")),
    "DROP FUNCTION IF EXISTS workflow_case_tally_update()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0003_api_tokens'),
        ('workflow', '0018_deadline_warned_for'),
    ]

    operations = [
        migrations.CreateModel(
            name='DeadlineTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('open', 'Open'), ('met', 'Met'), ('overdue', 'Overdue'), ('cancelled', 'Cancelled')], max_length=20)),
                ('kind', models.CharField(choices=[('written_response', 'Written response to the transfer'), ('filing_review', 'Filing review'), ('police_explanation', 'Explanation of non-filing'), ('filing_after_order', "Filing after the procuratorate's order"), ('arrest_review', 'Arrest review'), ('detention', 'Detention'), ('investigative_custody', 'Custody in investigation after arrest'), ('prosecution_review', 'Prosecution review'), ('supplementary_investigation', 'Supplementary investigation'), ('private_filing_review', 'Private prosecution filing review'), ('trial', 'Trial')], max_length=40)),
                ('n', models.IntegerField()),
                ('agency', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='agencies.agency')),
            ],
            options={
                'indexes': [models.Index(fields=['agency', 'status', 'kind'], include=('n',), name='deadline_tally_agency')],
            },
        ),
        migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE)),
    ]
