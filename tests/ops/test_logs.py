"""Logs: one JSON line per request and per job, with the request id, user and case; never an identity number or a
phone number."""

import io
import json
import logging
import socket

import pytest

from procedure.states import TRANSFER_CATEGORIES
from refusal_cases import logs
from refusal_cases.celery import app as celery_app
from refusal_cases.logs import JsonFormatter
from tests.casebuilder import CASE_BODY, upload
from tests.ops.conftest import wait_for
from workflow.management.demo import seed_cases
from workflow.models import Case


@pytest.fixture
def log_lines(settings, eager_celery):
    """Everything logged during the test, as the deployment writes it (the JSON formatter on the root logger)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    # The deployment's level (an in-process test worker started earlier leaves the root logger at ERROR).
    level, root.level = root.level, logging.INFO
    root.addHandler(handler)
    try:
        yield lambda: stream.getvalue().splitlines()
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_one_json_line_per_request_and_per_job_with_its_ids(transactional_db, demo, as_user, log_lines):
    """Committed for real (a letter is rendered once its transaction commits, inside the request)."""
    judge = as_user(demo["enforcement_judge"])
    body = {**CASE_BODY, "police_agency": demo["police_clerk"].agency_id,
            "procuratorate": demo["procurator"].agency_id}
    created = judge.post("/api/cases/", body, HTTP_X_REQUEST_ID="req-create-0001")
    assert created.status_code == 201 and created["X-Request-ID"] == "req-create-0001"
    case_id = created.json()["id"]
    for category in TRANSFER_CATEGORIES:
        judge.post(f"/api/cases/{case_id}/evidence/", {"category": category, "title": category,
                                                        "file": upload(content=category.encode())},
                   format="multipart")
    transferred = judge.post(f"/api/cases/{case_id}/transitions/submit_transfer/", {})
    assert transferred.status_code == 200

    entries = [json.loads(line) for line in log_lines()]  # every line is one JSON object
    requests = [e for e in entries if e.get("event") == "request"]
    assert len(requests) == 1 + len(TRANSFER_CATEGORIES) + 1
    create = requests[0]
    assert (create["request_id"], create["user_id"], create["status"], create["route"]) == (
        "req-create-0001", demo["enforcement_judge"].pk, 201, "api/cases/")
    submit = requests[-1]
    assert (submit["case_id"], submit["user_id"]) == (case_id, demo["enforcement_judge"].pk)
    assert submit["request_id"] == transferred["X-Request-ID"] != "req-create-0001"

    jobs = [e for e in entries if e.get("event") == "job"]
    assert jobs, "issuing the transfer letter queues its rendering"
    assert {job["request_id"] for job in jobs} == {submit["request_id"]}
    assert all(job["case_id"] == case_id and job["state"] == "SUCCESS" for job in jobs)


def test_no_identity_number_or_phone_number_reaches_the_log(demo, as_user, log_lines):
    seed_cases()
    judge = as_user(demo["enforcement_judge"])
    case = Case.objects.filter(executing_court=demo["enforcement_judge"].agency).first()
    judge.get(f"/api/cases/?q={case.debtor_id_number}")
    judge.get(f"/api/cases/{case.pk}/")
    judge.get(f"/api/search/?q={case.applicant_phone}")
    judge.get(f"/api/cases/{case.debtor_id_number}/")  # an identity number in a path
    judge.post("/api/cases/", {**CASE_BODY, "amount_owed": CASE_BODY["debtor"]["id_number"],
                               "executing_court": CASE_BODY["applicant"]["phone"]})
    text = "\n".join(log_lines())
    assert '"event": "request"' in text
    personal = {value for row in Case.objects.values_list("applicant_id_number", "debtor_id_number",
                                                          "applicant_phone") for value in row if value}
    personal |= {CASE_BODY["applicant"]["id_number"], CASE_BODY["debtor"]["id_number"],
                 CASE_BODY["applicant"]["phone"]}
    assert len(personal) > 5
    assert [value for value in personal if value in text] == []


@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")  # send_task always publishes
def test_a_worker_logs_its_job_with_the_ids_of_the_request_that_queued_it(db, settings, client, redis_server,
                                                                          celery_worker, tmp_path, queued_celery):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_server.url
    settings.METRICS_TOKEN = "prometheus-scrape-token"
    with celery_app.connection_for_write(redis_server.url) as connection, \
            logs.bound(request_id="req-queued-0042", user_id=7, case_id=12):
        celery_app.send_task("refusal_cases.tasks.heartbeat", connection=connection)

    def job_line():
        lines = (tmp_path / "worker.log").read_text().splitlines()
        return next((json.loads(line) for line in lines if line.startswith("{") and '"event": "job"' in line), None)

    job = wait_for(job_line, timeout=60)
    assert (job["task"], job["state"], job["request_id"], job["user_id"], job["case_id"]) == (
        "refusal_cases.tasks.heartbeat", "SUCCESS", "req-queued-0042", 7, 12)
    assert job["duration_ms"] >= 0

    # The job was the heartbeat: /health/ reports how long ago a worker last ran it, the metrics the empty queue.
    worker = client.get("/health/").json()["checks"]["worker"]
    assert worker["ok"] and not worker["warning"] and worker["heartbeat_age_seconds"] < 60
    assert worker["workers"] == [f"ops-test-{redis_server.port}@{socket.gethostname()}"]
    metrics = client.get("/metrics/", HTTP_AUTHORIZATION="Bearer prometheus-scrape-token").content.decode()
    assert 'refusal_cases_queue_depth{queue="celery"} 0.0' in metrics
    assert "refusal_cases_broker_up 1.0" in metrics
