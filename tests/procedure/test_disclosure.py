"""What a creditor may see (procedure.md §1, api.md "A case"): one rule, the same in the API, the pages and letters."""

from tests.casebuilder import case_in_state, fire, upload
from workflow.cases import services

SECRET = "内部：被执行人可能有隐匿财产线索，勿告知申请人"


def _not_filed_with_internal_note(demo):
    case = case_in_state(demo, "filing_review")
    fire(case, "decline_filing", demo["police_head"], reason="证据不足", note=SECRET)
    services.evidence_add(case_id=case.pk, actor=demo["enforcement_judge"], category="other", title="法院内部调查记录",
                          file=upload(content=b"court-only"))
    return case


def test_the_creditor_reads_no_internal_note_no_hidden_material_and_no_debtor_id_in_the_api(demo, as_user):
    case = _not_filed_with_internal_note(demo)
    body = as_user(demo["creditor"]).get(f"/api/cases/{case.pk}/").json()
    decline = next(e for e in body["events"] if e["transition"] == "decline_filing")
    assert decline["payload"]["reason"] == "证据不足" and "note" not in decline["payload"]
    assert SECRET not in str(body)
    assert "法院内部调查记录" not in str(body)  # neither the material nor the event that added it
    assert body["debtor"]["id_number"] is None and body["applicant"]["id_number"] == "91450100MA5KXXXX13"

    judge = as_user(demo["enforcement_judge"]).get(f"/api/cases/{case.pk}/").json()
    assert SECRET in str(judge) and "法院内部调查记录" in str(judge)
    assert judge["debtor"]["id_number"] == "450102198001011237"


def test_the_creditors_case_page_says_the_same_as_the_api(demo, client):
    case = _not_filed_with_internal_note(demo)
    client.force_login(demo["creditor"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "证据不足" in page
    assert SECRET not in page and "法院内部调查记录" not in page and "450102198001011237" not in page
    client.force_login(demo["enforcement_judge"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert SECRET in page and "450102198001011237" in page


def test_the_note_of_a_request_for_materials_is_written_to_the_creditor(demo, as_user):
    """Art. 13: what the filing division asks the accuser for is meant for the accuser."""
    case = case_in_state(demo, "private_filing_review")
    fire(case, "request_supplement", demo["filing_clerk"], missing=["other"], note="请补充控告回执")
    body = as_user(demo["creditor"]).get(f"/api/cases/{case.pk}/").json()
    request = next(e for e in body["events"] if e["transition"] == "request_supplement")
    assert request["payload"]["note"] == "请补充控告回执"
