"""The lists a user pages through run as many queries with 50 cases as with 5 (no query per row): the filtered
case list, the search, the inbox page, the deadline list and the notifications page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.casebuilder import case_in_state
from workflow.models import Case, Deadline
from workflow.notifications.services import build, save_notifications


def _cases(demo, count):
    """Cases waiting for the police to accept them, each with its open deadline and a notice to the clerk."""
    clerk = demo["police_clerk"]
    for _ in range(count):
        case = case_in_state(demo, "transferred")
        deadline = Deadline.objects.filter(case=case).first()
        save_notifications([build(
            recipient=clerk, event_key=f"deadline:{deadline.pk}:{deadline.due_date}:warn", kind="deadline_warning",
            text_id="deadline_warning", case_id=case.pk, deadline_id=deadline.pk, due_date=deadline.due_date,
            params={"number": case.number, "debtor": case.debtor_name, "agency": deadline.owed_by.name,
                    "due": deadline.due_date.isoformat(), "basis": deadline.legal_basis,
                    "deadline_kind": deadline.kind},
        )], email=False)


def _counts(demo, as_user) -> dict[str, tuple[int, int]]:
    """Per request: (queries, rows listed)."""
    clerk = demo["police_clerk"]
    api = as_user(clerk)
    page = Client()
    page.force_login(clerk)
    requests = {
        "?state=": lambda: api.get("/api/cases/?state=transferred"),
        "?q=": lambda: api.get("/api/cases/?q=张伟"),
        "deadlines": lambda: api.get("/api/deadlines/"),
        "inbox page": lambda: page.get("/"),
        "notifications page": lambda: page.get("/notifications/"),
    }
    out = {}
    for name, request in requests.items():
        request()  # the first request of a session fills its caches
        with CaptureQueriesContext(connection) as queries:
            response = request()
        assert response.status_code == 200, name
        rows = response.json()["count"] if name in ("?state=", "?q=", "deadlines") else len(
            response.context["rows" if name == "inbox page" else "items"])
        out[name] = (len(queries), rows)
    return out


@pytest.mark.django_db
def test_each_list_runs_as_many_queries_with_50_cases_as_with_5(demo, as_user):
    _cases(demo, 5)
    few = _counts(demo, as_user)
    _cases(demo, 45)
    many = _counts(demo, as_user)
    assert Case.objects.filter(state="transferred").count() == 50
    for name in few:
        # What the clerk sees grew tenfold; the queries did not.
        assert many[name][1] > few[name][1], (name, few[name], many[name])
        assert many[name][0] == few[name][0], (name, few[name], many[name])


@pytest.mark.django_db
def test_the_inbox_counts_each_case_once_by_state_and_only_the_users_own(demo):
    judged = case_in_state(demo, "judged")
    assert judged.executing_court_id == judged.trial_court_id  # the court holds two positions in it
    case_in_state(demo, "transferred")
    case_in_state(demo, "transferred", suffix="_2")  # another region's: none of these users' business
    for username in ("enforcement_judge", "police_clerk", "procurator"):
        page = Client()
        page.force_login(demo[username])
        counts = {state: n for state, _label, n in page.get("/").context["state_counts"]}
        assert counts == {"judged": 1, "transferred": 1}, username


@pytest.mark.django_db
def test_the_counts_from_the_indexes_agree_with_the_cases_rows(demo, travel):
    """The counts and the page read from the positions' indexes are those of the lists themselves, for each
    agency: with a court in two positions, cases of another region, and deadlines past, near and far."""
    from datetime import timedelta

    from django.db.models import Count, Q
    from django.utils import timezone

    from workflow.cases import selectors

    travel("2026-03-02")
    case_in_state(demo, "judged")
    case_in_state(demo, "transferred")
    case_in_state(demo, "transferred", suffix="_2")
    case_in_state(demo, "investigating")
    case_in_state(demo, "filing_review")
    travel("2026-03-20")
    today = timezone.localdate()
    soon = today + timedelta(days=3)
    for username in ("enforcement_judge", "police_clerk", "procurator", "trial_judge"):
        user = demo[username]
        for state in (None, "judged", "transferred", "investigating"):
            listed = selectors.case_list(user=user, state=state)
            assert selectors.case_count(user=user, state=state) == listed.count(), (username, state)
            ids = list(listed.values_list("pk", flat=True))
            assert selectors.case_page_ids(user=user, state=state, bottom=0, top=2) == ids[:2], (username, state)
            assert selectors.case_page_ids(user=user, state=state, bottom=1, top=3) == ids[1:3], (username, state)
            waiting = selectors.inbox_list(user=user, state=state)
            expected = waiting.order_by().aggregate(
                waiting=Count("pk"), overdue=Count("pk", filter=Q(next_due__lt=today)),
                soon=Count("pk", filter=Q(next_due__gte=today, next_due__lte=soon)))
            assert selectors.inbox_summary(user=user, state=state, today=today, soon_until=soon) == expected, (
                username, state)
            for bottom, top in ((0, 2), (1, 4), (0, 0)):
                assert selectors.inbox_overview(user=user, state=state, today=today, soon_until=soon, bottom=bottom,
                                                top=top) == (expected, list(waiting.values_list("pk", flat=True))[
                                                    bottom:top]), (username, state, bottom, top)
            for waiting_only in (True, False):
                order = list(selectors.inbox_list(user=user, state=state, waiting_only=waiting_only)
                             .values_list("pk", flat=True))
                for bottom, top in ((0, 2), (1, 4)):
                    assert selectors.inbox_page_ids(user=user, state=state, waiting_only=waiting_only, bottom=bottom,
                                                    top=top) == order[bottom:top], (username, state, waiting_only)
        for status in (None, "open", "overdue", "met"):
            assert selectors.deadline_count(user=user, status=status) == selectors.deadline_list(
                user=user, status=status).count(), (username, status)
    assert selectors.inbox_summary(user=demo["police_clerk"], today=today, soon_until=soon)["waiting"] >= 1


@pytest.mark.django_db
def test_each_listed_case_names_its_own_agencies(demo, as_user):
    """A page's agencies are read apart from its cases, in one query: each row still names the very agencies of
    its own case (a trial court for the case judged, none for the case not yet prosecuted), in the API's list as in
    its detail, and on the inbox page's "all cases" tab under "Waiting for"."""
    judged = case_in_state(demo, "judged")
    transferred = case_in_state(demo, "transferred")
    judge = demo["enforcement_judge"]
    api = as_user(judge)
    listed = {row["id"]: row for row in api.get("/api/cases/").json()["results"]}
    assert set(listed) >= {judged.pk, transferred.pk}
    positions = ("executing_court", "police_agency", "procuratorate", "trial_court")
    for case in (judged, transferred):
        detail = api.get(f"/api/cases/{case.pk}/").json()
        assert {p: listed[case.pk][p] for p in positions} == {p: detail[p] for p in positions}
    assert listed[judged.pk]["trial_court"]["name"] == judged.trial_court.name
    assert listed[transferred.pk]["trial_court"] is None
    assert listed[transferred.pk]["police_agency"]["name"] == transferred.police_agency.name

    page = Client()
    page.force_login(judge)
    rows = {row["case"].pk: row for row in page.get("/?view=all").context["rows"]}
    assert rows[transferred.pk]["waiting_for"] == transferred.police_agency.name  # the police owe the acceptance
    assert rows[transferred.pk]["case"].police_agency.name == transferred.police_agency.name


@pytest.mark.django_db
@pytest.mark.parametrize("asked, shown", [(None, 1), ("2", 2), ("4", 4), ("abc", 1), ("99", "last"), ("0", "last")])
def test_the_inbox_shows_the_page_asked_for_or_the_paginators_own_choice(demo, travel, monkeypatch, asked, shown):
    """The inbox reads the page asked for together with its summary; a page out of range or not a number is the
    paginator's choice (the last page, the first), read apart, and in either case the rows are that page's, in the
    inbox's order (nearest deadline first), on both tabs."""
    monkeypatch.setattr("workflow.pages.inbox.PAGE_SIZE", 2)
    travel("2026-03-02")
    case_in_state(demo, "judged")  # the clerk's agency sees it, but it waits for the court: on the "all" tab only
    for day in range(3, 10):
        case_in_state(demo, "transferred")  # waiting for the police to accept it, its deadline a day later
        travel(f"2026-03-{day:02d}")
    case_in_state(demo, "transferred", suffix="_2")  # another region's
    clerk = demo["police_clerk"]
    page = Client()
    page.force_login(clerk)
    from workflow.cases import selectors

    for view, listed in (("waiting", 7), ("all", 8)):
        order = [c.number for c in selectors.inbox_list(user=clerk, waiting_only=view == "waiting")]
        assert len(order) == listed, view
        query = {"view": view} if asked is None else {"view": view, "page": asked}
        response = page.get("/", query)
        number = (len(order) + 1) // 2 if shown == "last" else shown
        assert response.context["page"].number == number, view
        assert [row["case"].number for row in response.context["rows"]] == order[(number - 1) * 2:number * 2], view
        assert response.context["summary"]["waiting"] == 7
