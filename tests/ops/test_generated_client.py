"""Other agencies' systems call the API through clients generated from the served schema: the schema validates,
and a client generated from it by openapi-python-client walks a transfer against a running server."""

import importlib
import io
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openapi_spec_validator import validate

from agencies.demo import seed_agencies_and_users
from procedure.states import TRANSFER_CATEGORIES
from tests.casebuilder import CASE_BODY

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "refusal_cases_client"
# The generator's own settings: no formatter run afterwards; binary downloads read as octet streams.
GENERATOR_CONFIG = {
    "post_hooks": [],
    "content_type_overrides": {
        "application/pdf": "application/octet-stream",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "application/octet-stream",
        "text/csv": "application/octet-stream",
    },
}


@pytest.fixture
def served_schema(live_server):
    seed_agencies_and_users()
    response = httpx.get(f"{live_server.url}/api/schema/", params={"format": "json"}, timeout=60)
    assert response.status_code == 200
    return response.json()


def test_served_schema_is_valid_and_bodies_are_json_except_uploads(served_schema):
    validate(served_schema)
    media_types = {
        (path, method): set(operation["requestBody"]["content"])
        for path, item in served_schema["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    }
    uploads = {key for key, types in media_types.items() if types != {"application/json"}}
    assert uploads == {("/api/cases/{id}/evidence/", "post")}
    assert media_types[("/api/cases/{id}/evidence/", "post")] == {"multipart/form-data"}


@pytest.fixture
def generated_client(served_schema, tmp_path):
    (tmp_path / "schema.json").write_text(json.dumps(served_schema))
    (tmp_path / "config.json").write_text(json.dumps(GENERATOR_CONFIG))
    run = subprocess.run(
        [GENERATOR, "generate", "--path", tmp_path / "schema.json", "--config", tmp_path / "config.json",
         "--output-path", tmp_path / PACKAGE, "--meta", "none", "--fail-on-warning"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield lambda module: importlib.import_module(f"{PACKAGE}.{module}")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_a_generated_client_walks_a_transfer(generated_client, live_server):
    client_module = generated_client("client")
    models = generated_client("models")
    token_create = generated_client("api.auth.auth_token_create")

    opened = []  # closed at the end, so that the live server's threads end with them

    def signed_in(username):
        anonymous = client_module.Client(base_url=live_server.url)
        answer = token_create.sync(client=anonymous, body=models.TokenInputRequest(username=username, password="demo"))
        assert isinstance(answer, models.TokenOutput), answer
        opened.extend([anonymous, client_module.AuthenticatedClient(base_url=live_server.url, token=answer.token,
                                                                    prefix="Token")])
        return opened[-1]

    try:
        walk_a_transfer(generated_client, models, signed_in)
    finally:
        for client in opened:
            client.get_httpx_client().close()


def walk_a_transfer(generated_client, models, signed_in):
    agencies_list = generated_client("api.agencies.agencies_list")
    cases_create = generated_client("api.cases.cases_create")
    evidence_create = generated_client("api.cases.cases_evidence_create")
    submit_transfer = generated_client("api.transitions.cases_transition_submit_transfer")
    accept = generated_client("api.transitions.cases_transition_accept")

    judge = signed_in("enforcement_judge")
    agencies = agencies_list.sync(client=judge, region_code="450102")
    by_kind = {agency.to_dict()["kind"]: agency.id for agency in agencies.results}

    case = cases_create.sync(client=judge, body=models.CaseCreateInputRequest.from_dict(
        {**CASE_BODY, "police_agency": by_kind["police"], "procuratorate": by_kind["procuratorate"]}))
    assert isinstance(case, models.CaseDetail), case
    assert case.state == "draft"

    for category in TRANSFER_CATEGORIES:
        material = evidence_create.sync(case.id, client=judge, body=models.EvidenceInputRequest(
            category=models.CategoryEnum(category), title=f"{category} 材料",
            file=generated_client("types").File(payload=io.BytesIO(b"%PDF-1.4\n" + category.encode()),
                                                file_name=f"{category}.pdf", mime_type="application/pdf")))
        assert isinstance(material, models.EvidenceOutput), material
        assert len(material.sha256) == 64

    transferred = submit_transfer.sync(case.id, client=judge, body=models.TransitionInputRequest(note="移送"))
    assert isinstance(transferred, models.CaseDetail), transferred
    assert transferred.state == "transferred"

    accepted = accept.sync(case.id, client=signed_in("police_clerk"), body=models.TransitionInputRequest())
    assert isinstance(accepted, models.CaseDetail), accepted
    assert accepted.state == "filing_review"
    assert {item.to_dict()["category"] for item in accepted.evidence} == set(TRANSFER_CATEGORIES)
