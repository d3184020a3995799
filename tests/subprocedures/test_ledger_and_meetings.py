"""Art. 19: the supervision ledger (read back from its CSV and XLSX exports) and joint meetings."""

import csv
import io

from django.utils import timezone
from openpyxl import load_workbook

from tests.casebuilder import case_in_state, fire, new_case
from workflow.models import CaseEvent
from workflow.supervision import ledger


def ledger_cases(demo):
    requested = case_in_state(demo, "supervision_requested")
    ordered = case_in_state(demo, "filing_ordered")
    fire(ordered, "file_case", demo["police_head"])
    closed = case_in_state(demo, "supervision_closed")
    case_in_state(demo, "investigating")  # never supervised: not in the ledger
    case_in_state(demo, "supervision_requested", suffix="_2")  # another region
    return requested, ordered, closed


def test_ledger_lists_every_supervised_case_with_its_state_and_deadlines(demo, as_user):
    requested, ordered, closed = ledger_cases(demo)
    response = as_user(demo["procurator"]).get("/api/supervision-ledger/")
    assert response.status_code == 200
    rows = {r["case"]: r for r in response.json()["results"]}
    assert set(rows) == {requested.pk, ordered.pk, closed.pk}
    assert rows[requested.pk]["state"] == "supervision_requested" and rows[requested.pk]["result"] == ""
    assert rows[requested.pk]["reason"] == "应当立案" and rows[requested.pk]["requested_by"] == \
        demo["enforcement_judge"].agency.name
    assert rows[ordered.pk]["result"] == "order_filing" and rows[ordered.pk]["filed_after_order_on"]
    assert rows[ordered.pk]["state"] == "investigating"
    assert rows[closed.pk]["result"] == "accept_explanation"
    assert rows[closed.pk]["explanation_submitted_on"] is not None
    explanation = case_in_state(demo, "explanation_requested")
    row = next(r for r in as_user(demo["procurator"]).get("/api/supervision-ledger/").json()["results"]
               if r["case"] == explanation.pk)
    assert [d["kind"] for d in row["open_deadlines"]] == ["police_explanation"]
    assert row["overdue"] is False

    other = as_user(demo["procurator_2"]).get("/api/supervision-ledger/").json()
    assert other["count"] == 1
    assert as_user(demo["procurator"]).get("/api/supervision-ledger/?region_code=450103").json()["count"] == 0
    assert as_user(demo["procurator"]).get("/api/supervision-ledger/?state=investigating").json()["count"] == 1
    assert as_user(demo["procurator"]).get("/api/supervision-ledger/?region_code=abc").status_code == 400
    assert as_user(demo["creditor"]).get("/api/supervision-ledger/").status_code == 403
    assert as_user(demo["creditor"]).get("/api/supervision-ledger/csv/").status_code == 403


def test_ledger_exports_read_back(demo, as_user):
    requested, ordered, closed = ledger_cases(demo)
    client = as_user(demo["enforcement_judge"])

    exported = client.get("/api/supervision-ledger/csv/")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    assert "attachment" in exported["Content-Disposition"]
    text = exported.content.decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0] == ledger.headers()
    by_number = {row[0]: dict(zip(table[0], row, strict=True)) for row in table[1:]}
    assert set(by_number) == {requested.number, ordered.number, closed.number}
    requested_at = ordered.events.get(transition="request_supervision").at
    assert by_number[ordered.number][str(ledger.COLUMNS[7][1])] == timezone.localtime(requested_at).date().isoformat()
    assert by_number[ordered.number][str(ledger.COLUMNS[12][1])] == str(ledger.RESULT_LABELS["order_filing"])

    workbook = client.get("/api/supervision-ledger/xlsx/")
    assert workbook.status_code == 200
    assert workbook["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ledger.headers()
    assert {r[0] for r in rows[1:]} == {requested.number, ordered.number, closed.number}
    xlsx_row = next(r for r in rows[1:] if r[0] == closed.number)
    csv_row = next(r for r in table[1:] if r[0] == closed.number)
    assert [("" if v is None else v.date().isoformat() if hasattr(v, "date") else str(v)) for v in xlsx_row] == \
        csv_row


def test_ledger_cells_never_become_formulas(demo, as_user):
    case = case_in_state(demo, "supervision_requested")
    type(case).objects.filter(pk=case.pk).update(debtor_name="=HYPERLINK(\"http://example.org\")")
    exported = as_user(demo["procurator"]).get("/api/supervision-ledger/csv/").content.decode("utf-8")
    assert "'=HYPERLINK" in exported
    sheet = load_workbook(io.BytesIO(as_user(demo["procurator"]).get("/api/supervision-ledger/xlsx/").content)).active
    debtor = sheet.cell(row=2, column=4)
    assert debtor.value == "=HYPERLINK(\"http://example.org\")" and debtor.data_type == "s"


def test_joint_meeting_recorded_by_a_liaison_and_seen_in_its_region(demo, as_user):
    supervised = case_in_state(demo, "supervision_requested")
    elsewhere = case_in_state(demo, "supervision_requested", suffix="_2")
    judge = as_user(demo["enforcement_judge"])  # a liaison in the demo data
    body = {"held_on": "2026-03-05", "title": "拒执案件联席会议", "attendees": ["police_head", "procurator"],
            "other_attendees": "政法委联络员", "minutes": "通报监督案件", "decisions": "七日内说明理由",
            "cases": [supervised.pk]}
    created = judge.post("/api/joint-meetings/", body, format="json")
    assert created.status_code == 201, created.json()
    meeting = created.json()
    assert meeting["region_code"] == "450102" and [c["id"] for c in meeting["cases"]] == [supervised.pk]
    assert {a["username"] for a in meeting["attendees"]} == {"police_head", "procurator"}
    assert CaseEvent.objects.filter(case=supervised, transition="joint_meeting").count() == 1

    assert as_user(demo["police_investigator"]).get("/api/joint-meetings/").json()["count"] == 1
    assert as_user(demo["procurator_2"]).get("/api/joint-meetings/").json()["count"] == 0
    assert as_user(demo["procurator_2"]).get(f"/api/joint-meetings/{meeting['id']}/").status_code == 404
    assert as_user(demo["creditor"]).get("/api/joint-meetings/").json()["count"] == 0

    # refusals: not a liaison; a case or attendee of another region; no date
    assert as_user(demo["police_investigator"]).post("/api/joint-meetings/", body, format="json").status_code == 403
    assert as_user(demo["creditor"]).post("/api/joint-meetings/", body, format="json").status_code == 403
    foreign_case = judge.post("/api/joint-meetings/", {**body, "cases": [elsewhere.pk]}, format="json")
    assert foreign_case.status_code == 400 and "cases" in foreign_case.json()
    foreign_person = judge.post("/api/joint-meetings/", {**body, "attendees": ["procurator_2"]}, format="json")
    assert foreign_person.status_code == 400 and "attendees" in foreign_person.json()
    no_date = judge.post("/api/joint-meetings/", {k: v for k, v in body.items() if k != "held_on"}, format="json")
    assert no_date.status_code == 400 and "held_on" in no_date.json()

    # another liaison of the region completes the record and adds a case
    later = case_in_state(demo, "not_filed")
    patched = as_user(demo["police_head"]).patch(f"/api/joint-meetings/{meeting['id']}/",
                                                 {"decisions": "一、七日内说明理由；二、每月对账", "add_cases": [later.pk]},
                                                 format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["decisions"].startswith("一、") and len(patched.json()["cases"]) == 2
    assert CaseEvent.objects.filter(case=later, transition="joint_meeting").exists()
    assert as_user(demo["police_investigator"]).patch(f"/api/joint-meetings/{meeting['id']}/", {"minutes": "x"},
                                                      format="json").status_code == 403


def test_a_liaison_links_only_cases_its_own_agency_handles(demo, as_user):
    """Art. 19: the link goes into the case's audit chain, so only a liaison of one of the case's agencies makes it.
    A creditor's own private prosecution (only the executing court holds a position) is not the police's to link."""
    own = case_in_state(demo, "not_filed")
    private = new_case(demo, origin="creditor")
    head = as_user(demo["police_head"])  # a liaison of the region's police in the demo data
    body = {"held_on": "2026-03-05", "title": "拒执案件联席会议", "cases": [own.pk, private.pk]}
    refused = head.post("/api/joint-meetings/", body, format="json")
    assert refused.status_code == 400 and str(private.pk) in refused.json()["cases"][0]
    assert not CaseEvent.objects.filter(case__in=[own, private], transition="joint_meeting").exists()
    created = head.post("/api/joint-meetings/", {**body, "cases": [own.pk]}, format="json")
    assert created.status_code == 201, created.json()
    judge = as_user(demo["enforcement_judge"])  # the executing court holds a position in both
    added = judge.patch(f"/api/joint-meetings/{created.json()['id']}/", {"add_cases": [private.pk]}, format="json")
    assert added.status_code == 200 and len(added.json()["cases"]) == 2
