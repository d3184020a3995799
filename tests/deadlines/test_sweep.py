"""The watcher: warn, mark overdue, escalate, each exactly once; its cost follows what falls due."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from procedure.calendar import ChineseCalendarSchedule, working_days_before
from tests.casebuilder import case_in_state, fire, new_case
from workflow.deadlines.sweep import sweep_deadlines, warn_horizon
from workflow.models import Case, Deadline, Notification


def deadline_notices(**filters):
    return Notification.objects.filter(kind__startswith="deadline_", **filters)


def received(demo):
    """username -> sorted (kind, event_key) of deadline notices."""
    by_user = {}
    for username, kind, key in deadline_notices().values_list("recipient__username", "kind", "event_key"):
        by_user.setdefault(username, []).append((kind, key))
    return {user: sorted(items) for user, items in by_user.items()}


def test_a_case_life_warns_then_marks_overdue_then_escalates_each_once(demo, travel, as_user):
    demo["enforcement_judge"].language = "en"
    demo["enforcement_judge"].save()
    travel("2026-03-02")  # Monday
    case = case_in_state(demo, "filing_review")
    review = case.deadlines.get(kind="filing_review")  # due Mon 2026-03-09
    response = case.deadlines.get(kind="written_response")  # due Wed 2026-04-01
    mail.outbox.clear()

    travel("2026-03-04")  # three working days before: too early to warn (two by default)
    assert sweep_deadlines().notifications == 0

    travel("2026-03-05")  # Thu: Fri and Mon are the two working days left
    result = sweep_deadlines()
    assert (result.overdue, result.warned) == (0, 1)
    warn = f"deadline:{review.pk}:2026-03-09:warn"
    assert received(demo) == {"police_investigator": [("deadline_warning", warn)]}
    assert [m.to for m in mail.outbox] == [[demo["police_investigator"].email]]
    assert "2026-03-09" in mail.outbox[0].body and case.number in mail.outbox[0].subject

    sweep_deadlines()  # the same day again
    travel("2026-03-09", hour=23)  # the due day itself is not overdue
    sweep_deadlines()
    review.refresh_from_db()
    assert review.status == "open" and deadline_notices().count() == 1 and len(mail.outbox) == 1

    travel("2026-03-10", hour=0)  # just after midnight in Shanghai
    result = sweep_deadlines()
    assert result.overdue == 1
    review.refresh_from_db()
    assert review.status == "overdue" and review.overdue_at is not None
    overdue = f"deadline:{review.pk}:2026-03-09:overdue"
    assert received(demo) == {
        "police_investigator": [("deadline_overdue", overdue), ("deadline_warning", warn)],
        "police_head": [("deadline_escalated", overdue)],  # the owing agency's head
        "procurator": [("deadline_escalated", overdue)],  # Art. 8: the region's procuratorate supervises
        "procurator_general": [("deadline_escalated", overdue)],
        "enforcement_judge": [("deadline_awaited", overdue)],  # the transferring court waits for the answer
    }
    assert sorted(m.to[0] for m in mail.outbox[1:]) == sorted(
        demo[u].email for u in ("police_investigator", "police_head", "procurator", "procurator_general",
                                "enforcement_judge"))

    for day in ("2026-03-10", "2026-03-11", "2026-03-12"):
        travel(day)
        assert sweep_deadlines().overdue == 0
    assert deadline_notices().count() == 6 and len(mail.outbox) == 6

    travel("2026-03-30")  # Mon: Tue and Wed 04-01 left for the written response
    assert sweep_deadlines().warned == 1
    travel("2026-04-02")
    assert sweep_deadlines().overdue == 1
    response.refresh_from_db()
    assert response.status == "overdue"
    judge = as_user(demo["enforcement_judge"])
    notice = judge.get("/api/notifications/").json()["results"][0]
    assert notice["kind"] == "deadline_awaited" and notice["case"] == case.pk and notice["due_date"] == "2026-04-01"
    assert notice["title"] == f"No written response: case {case.number}"
    assert "ended on 2026-04-01" in notice["body"] and "Opinions Art. 12" in notice["body"]
    # Art. 12: the overdue written response makes advice of private prosecution available.
    assert "advise_private_prosecution" in judge.get(f"/api/cases/{case.pk}/").json()["allowed_transitions"]
    for _ in range(2):
        sweep_deadlines()
    keys = list(Notification.objects.values_list("recipient_id", "event_key"))
    assert len(keys) == len(set(keys))
    assert len(mail.outbox) == Notification.objects.exclude(email_to="").filter(kind__startswith="deadline_").count()


def test_notices_are_written_in_the_recipients_language(demo, travel):
    investigator = demo["police_investigator"]
    investigator.language = "en"
    investigator.save()
    travel("2026-03-02")
    case_in_state(demo, "filing_review")
    travel("2026-03-10")
    sweep_deadlines()
    english = Notification.objects.get(recipient=investigator, kind="deadline_overdue")
    assert english.title.startswith("Overdue: Filing review, case ")
    assert "ended on 2026-03-09" in english.body
    chinese = Notification.objects.get(recipient=demo["police_head"], kind="deadline_escalated")
    assert chinese.title != english.title and chinese.body


def test_a_police_deadline_without_a_procuratorate_on_the_case_escalates_to_the_regions(demo, travel):
    travel("2026-03-02")
    case = case_in_state(demo, "filing_review")
    Case.objects.filter(pk=case.pk).update(procuratorate=None)
    travel("2026-03-10")
    sweep_deadlines()
    escalated = set(deadline_notices(kind="deadline_escalated").values_list("recipient__username", flat=True))
    assert escalated == {"police_head", "procurator", "procurator_general"}


def test_a_court_deadline_escalates_to_the_liaison_and_tells_the_creditor(demo, travel):
    """A court has no head role: the escalation goes to its joint-meeting liaison (the demo's enforcement judge)."""
    assert demo["enforcement_judge"].is_liaison
    travel("2026-03-02")
    case = new_case(demo, origin="creditor")
    from tests.casebuilder import add_private_evidence

    add_private_evidence(case, demo["creditor"])
    fire(case, "file_private_prosecution", demo["creditor"])
    travel("2026-03-18")  # the 15-day review ended on 2026-03-17
    sweep_deadlines()
    got = {(u, k) for u, k in deadline_notices().values_list("recipient__username", "kind")}
    assert got == {("filing_clerk", "deadline_overdue"), ("enforcement_judge", "deadline_escalated"),
                   ("creditor", "deadline_awaited")}


def test_the_database_refuses_a_second_notice_of_the_same_event(demo):
    user = demo["police_clerk"]
    Notification.objects.create(recipient=user, event_key="deadline:1:2026-03-09:overdue", kind="deadline_overdue",
                                title="t")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=user, event_key="deadline:1:2026-03-09:overdue",
                                    kind="deadline_overdue", title="t")


def test_a_failed_send_is_retried_by_the_next_sweep_and_sent_once(demo, travel, settings):
    travel("2026-03-02")
    case_in_state(demo, "filing_review")
    mail.outbox.clear()
    travel("2026-03-10")
    settings.EMAIL_BACKEND = "tests.deadlines.mail.UnreachableBackend"
    result = sweep_deadlines()
    assert result.overdue == 1 and result.email_failed and result.emailed == 0
    written = deadline_notices().count()
    assert written == 5 and deadline_notices(emailed_at__isnull=True).count() == 5
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sweep_deadlines().emailed == 5
    assert sweep_deadlines().emailed == 0
    assert len(mail.outbox) == 5 and deadline_notices().count() == written


def test_warning_days_are_configurable(demo, travel, settings):
    travel("2026-03-02")
    case = case_in_state(demo, "filing_review")
    settings.DEADLINE_WARN_WORKING_DAYS = 0
    travel("2026-03-09")
    assert sweep_deadlines().warned == 0
    settings.DEADLINE_WARN_WORKING_DAYS = 5
    travel("2026-03-02", hour=18)
    assert sweep_deadlines().warned == 1
    assert deadline_notices(kind="deadline_warning", deadline__case=case).count() == 1


def test_a_moved_due_date_is_warned_again(demo, travel):
    travel("2026-03-02")
    case = case_in_state(demo, "filing_review")
    travel("2026-03-05")
    sweep_deadlines()
    fire(case, "extend_review", demo["police_head"], reason="案情复杂")  # now due 2026-04-01
    travel("2026-03-30")
    sweep_deadlines()
    review = case.deadlines.get(kind="filing_review")
    assert sorted(deadline_notices(deadline=review).values_list("due_date", flat=True)) == [
        date(2026, 3, 9), date(2026, 4, 1)]


def test_closed_deadlines_are_never_marked(demo, travel):
    travel("2026-03-02")
    case = case_in_state(demo, "investigating")
    travel("2026-06-01")
    assert sweep_deadlines().overdue == 0
    assert set(case.deadlines.values_list("status", flat=True)) == {"met"}


@pytest.mark.parametrize("day", ["2025-09-26", "2025-09-30", "2025-12-31", "2026-02-13", "2026-02-27",
                                 "2026-03-06", "2026-09-30", "2026-10-09"])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_warn_horizon_agrees_with_working_days_before(day, n):
    """Every due date up to the horizon has its warning day today or earlier; the day after has it later."""
    today, schedule = date.fromisoformat(day), ChineseCalendarSchedule()
    horizon = warn_horizon(today=today, working_days=n, schedule=schedule)
    assert working_days_before(horizon, n, schedule=schedule) <= today
    assert working_days_before(horizon + timedelta(days=1), n, schedule=schedule) > today


def test_warn_horizon_stops_at_the_end_of_the_known_calendar():
    horizon = warn_horizon(today=date(2026, 12, 30), working_days=3, schedule=ChineseCalendarSchedule())
    assert horizon == date(2026, 12, 31)


def _deadlines(case, count, due):
    Deadline.objects.bulk_create([
        Deadline(case=case, kind="filing_review", legal_basis="Opinions Art. 5 ¶2", owed_by=case.police_agency,
                 start_date=due - timedelta(days=7), due_date=due, period_days=7, explanation="x")
        for _ in range(count)
    ])


def test_the_number_of_queries_does_not_grow_with_the_deadlines_due(demo, travel):
    travel("2026-03-02")
    cases = [case_in_state(demo, "investigating"), case_in_state(demo, "investigating", suffix="_2")]
    travel("2026-03-04")

    def queries_for(count):
        for case in cases:
            _deadlines(case, count, date(2026, 3, 3))  # overdue
            _deadlines(case, count, date(2026, 3, 5))  # to warn
        with CaptureQueriesContext(connection) as captured:
            result = sweep_deadlines(email=False)
        assert (result.overdue, result.warned) == (2 * count, 2 * count)
        sql = [q["sql"] for q in captured.captured_queries]
        inserts = [q for q in sql if q.startswith("INSERT") and '"workflow_notification"' in q.split("(")[0]]
        return len(sql) - len(inserts), len(inserts)

    (few, few_inserts), (many, many_inserts) = queries_for(3), queries_for(40)
    assert few == many  # selections and updates: the same whatever the number due
    # The notices are inserted in multi-row batches (a few hundred rows each on SQLite, 1000 on PostgreSQL).
    assert many_inserts <= few_inserts + 8 < 2 * 40
    with CaptureQueriesContext(connection) as idle:
        sweep_deadlines(email=False)
    statements = [q["sql"] for q in idle.captured_queries if "SAVEPOINT" not in q["sql"]]
    # mark (nothing), the calendar's years, this year's days, claim the deadlines due soon not yet warned (none:
    # each keeps the due date it was warned of, so the written warnings need not be looked up)
    assert len(statements) == 4


def test_the_command_runs_the_sweep(demo, travel, capsys):
    travel("2026-03-02")
    case_in_state(demo, "filing_review")
    travel("2026-03-10")
    call_command("sweep_deadlines")
    assert "2026-03-10: 1 marked overdue, 0 warned, 5 notifications offered, 5 e-mails sent." in capsys.readouterr().out
