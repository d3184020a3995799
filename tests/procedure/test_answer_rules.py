"""The answers to records say who gives them in the API schema from the same table the checks read
(procedure.records.ANSWER_RULES): a role the description names is let through, a role it does not name is refused."""

import pytest

from procedure.records import ANSWER_RULES
from tests.casebuilder import case_in_state

ANSWER_PATHS = {
    "decide_arrest_request": "/api/arrest-requests/{id}/decision/",
    "end_coercive_measure": "/api/coercive-measures/{id}/end/",
    "extend_detention": "/api/coercive-measures/{id}/extend/",
    "answer_supervision_complaint": "/api/supervision-complaints/{id}/answer/",
}


@pytest.fixture
def schema(demo, as_user):
    return as_user(demo["procurator"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


@pytest.mark.parametrize("answer", list(ANSWER_PATHS))
def test_each_answer_names_in_the_schema_the_roles_its_check_admits(schema, answer):
    description = schema["paths"][ANSWER_PATHS[answer]]["post"]["description"]
    rule = ANSWER_RULES[answer]
    assert description.startswith(rule.article)
    who = description.split("Who: ", 1)[1]
    assert who.split(" of ")[0].split(", ") == list(rule.roles)


def test_every_answer_route_has_its_rule(schema):
    described = [op["post"]["description"] for path, op in schema["paths"].items()
                 if "post" in op and "Who: " in op["post"].get("description", "")]
    for rule in ANSWER_RULES.values():
        assert f"{rule.article}. Who: {rule.who}." in described, rule.name


def test_a_role_the_description_names_answers_and_another_is_refused(demo, as_user):
    case = case_in_state(demo, "investigating")
    investigator = as_user(demo["police_investigator"])
    arrest = investigator.post(f"/api/cases/{case.pk}/arrest-requests/", {"grounds": "逃匿", "detained": False},
                               format="json")
    assert arrest.status_code == 201, arrest.json()
    url = f"/api/arrest-requests/{arrest.json()['id']}/decision/"
    assert "police_head" not in ANSWER_RULES["decide_arrest_request"].roles
    refused = as_user(demo["police_head"]).post(url, {"decision": "approve"}, format="json")
    assert refused.status_code == 403
    named = ANSWER_RULES["decide_arrest_request"].roles[0]
    assert as_user(demo[named]).post(url, {"decision": "approve"}, format="json").status_code == 200
