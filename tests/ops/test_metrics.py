"""GET /metrics/: Prometheus figures for operators, behind a staff login or the metrics token."""

import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from prometheus_client.parser import text_string_to_metric_families

from agencies.models import User
from documents.tasks import render_pending_documents_task
from tests.casebuilder import case_in_state
from workflow.deadlines.tasks import sweep_deadlines_task

SHANGHAI = ZoneInfo("Asia/Shanghai")
DASHBOARD = Path(__file__).resolve().parents[2] / "grafana" / "refusal-cases-dashboard.json"


def samples(text: str) -> dict[str, list]:
    """sample name -> [(labels, value)]"""
    found: dict[str, list] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def value(found, name, **labels) -> float:
    return sum(v for sample_labels, v in found.get(name, []) if labels.items() <= sample_labels.items())


def test_metrics_answer_only_staff_or_the_metrics_token(client, demo, settings, in_process):
    settings.METRICS_TOKEN = "prometheus-scrape-token"
    assert client.get("/metrics/").status_code == 401
    assert client.get("/metrics/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    client.force_login(demo["enforcement_judge"])
    assert client.get("/metrics/").status_code == 401
    client.logout()

    response = client.get("/metrics/", HTTP_AUTHORIZATION="Bearer prometheus-scrape-token")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    staff = User.objects.create_user("operator", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/metrics/").status_code == 200


def test_no_token_configured_lets_no_one_in_by_bearer(client, db, settings, in_process):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics/", HTTP_AUTHORIZATION="Bearer ").status_code == 401


def test_metrics_expose_requests_deadlines_transitions_and_job_durations(client, demo, as_user, settings, in_process):
    settings.METRICS_TOKEN = "prometheus-scrape-token"

    def scrape():
        return samples(client.get("/metrics/", HTTP_AUTHORIZATION="Bearer prometheus-scrape-token")
                       .content.decode())

    before = scrape()
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        case = case_in_state(demo, "filing_review")
        as_user(demo["police_clerk"]).get(f"/api/cases/{case.pk}/")
        render_pending_documents_task.delay()
    police = demo["police_clerk"].agency
    review = case.deadlines.get(kind="filing_review")
    assert review.owed_by == police

    opened = scrape()
    assert value(opened, "refusal_cases_deadlines_open", agency_id=str(police.pk), agency=police.name,
                 kind="filing_review") == 1
    assert value(opened, "refusal_cases_deadlines_overdue", agency_id=str(police.pk)) == 0
    for transition in ("submit_transfer", "accept"):
        assert value(opened, "refusal_cases_transitions_total", transition=transition) >= 1
    route = {"method": "GET", "route": "api/cases/<int:pk>/"}
    assert (value(opened, "refusal_cases_http_requests_total", status="200", **route)
            - value(before, "refusal_cases_http_requests_total", status="200", **route)) == 1
    assert value(opened, "refusal_cases_http_request_duration_seconds_count", **route) >= 1
    render = {"task": "documents.tasks.render_pending_documents_task", "state": "SUCCESS"}
    assert (value(opened, "refusal_cases_task_duration_seconds_count", **render)
            - value(before, "refusal_cases_task_duration_seconds_count", **render)) == 1

    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=SHANGHAI), tick=False):
        sweep_deadlines_task.delay()  # the filing review (7 days) is overdue: marked and escalated to the head
    swept = scrape()
    labels = {"agency_id": str(police.pk), "kind": "filing_review"}
    assert value(swept, "refusal_cases_deadlines_open", **labels) == 0
    assert value(swept, "refusal_cases_deadlines_overdue", **labels) == 1
    assert value(swept, "refusal_cases_deadlines_escalated", **labels) == 1
    sweep = {"task": "workflow.tasks.sweep_deadlines_task", "state": "SUCCESS"}
    assert (value(swept, "refusal_cases_task_duration_seconds_count", **sweep)
            - value(opened, "refusal_cases_task_duration_seconds_count", **sweep)) == 1


def test_the_grafana_dashboard_reads_only_metrics_the_endpoint_exposes(client, demo, settings, in_process):
    settings.METRICS_TOKEN = "prometheus-scrape-token"
    case_in_state(demo, "filing_review")
    render_pending_documents_task.delay()
    client.get("/health/")
    text = client.get("/metrics/", HTTP_AUTHORIZATION="Bearer prometheus-scrape-token").content.decode()
    exposed = set(samples(text)) | {family.name for family in text_string_to_metric_families(text)}
    dashboard = json.loads(DASHBOARD.read_text())
    used = {name for panel in dashboard["panels"] for target in panel["targets"]
            for name in re.findall(r"refusal_cases_[a-z_]+", target["expr"])}
    assert len(used) >= 8
    assert used <= exposed
