"""Reaching each of the documents of procedure.md §5 the way users do: by firing the real transitions
and sub-procedures, then reading the PDF back."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pypdf
import time_machine

from documents.models import Document
from tests.casebuilder import case_in_state
from workflow.records import services as record_services

# kind -> (state whose transition issues it, username of a reader among the issuer's agency)
ROUTES = {
    "transfer_letter": ("transferred", "enforcement_judge"),
    "execution_explanation": ("transferred", "enforcement_judge"),
    "evidence_list": ("transferred", "enforcement_judge"),
    "registration_form": ("filing_review", "police_clerk"),
    "acknowledgment": ("filing_review", "police_clerk"),
    "filing_decision": ("investigating", "police_investigator"),
    "non_filing_notice": ("not_filed", "police_investigator"),
    "withdrawal_notice": ("withdrawn", "police_investigator"),
    "supervision_request": ("supervision_requested", "enforcement_judge"),
    "explanation_request": ("explanation_requested", "procurator"),
    "police_explanation": ("explanation_review", "police_investigator"),
    "filing_order": ("filing_ordered", "procurator_general"),
    "private_prosecution_notice": ("private_prosecution_advised", "enforcement_judge"),
    "private_acceptance_notice": ("private_trial", "filing_clerk"),
    "locate_request_letter": ("trial", "trial_judge"),
    "obstruction_referral_letter": ("transferred", "enforcement_judge"),
    "settlement_ruling": ("reconciled", "trial_judge"),
    "correction_notice": ("explanation_requested", "procurator"),
}

# kind -> (Chinese title, legal basis as printed, issuing agency's reader, addressee: username or "creditor",
#          deadline kind whose due date the letter names)
EXPECTED = {
    "transfer_letter": ("移送案件函", "第三条、第四条", "enforcement_judge", "police_clerk", "written_response"),
    "execution_explanation": ("执行情况说明", "第三条", "enforcement_judge", "police_clerk", None),
    "evidence_list": ("证据材料清单", "第四条", "enforcement_judge", "police_clerk", None),
    "registration_form": ("受案登记表", "第五条第一款", "police_clerk", "enforcement_judge", "filing_review"),
    "acknowledgment": ("受案回执", "第五条第一款", "police_clerk", "enforcement_judge", "filing_review"),
    "filing_decision": ("立案决定书", "第五条第二款", "police_investigator", "enforcement_judge", None),
    "non_filing_notice": ("不予立案通知书", "第五条第二款", "police_investigator", "enforcement_judge", None),
    "withdrawal_notice": ("撤销案件通知书", "第七条", "police_investigator", "enforcement_judge", None),
    "supervision_request": ("提请立案监督函", "第七条", "enforcement_judge", "procurator", None),
    "explanation_request": ("要求说明不立案理由通知书", "第八条第一款", "procurator", "police_clerk",
                            "police_explanation"),
    "police_explanation": ("不立案理由说明书", "第八条第一款", "police_investigator", "procurator", None),
    "filing_order": ("通知立案书", "第八条第二款", "procurator_general", "police_clerk", "filing_after_order"),
    "private_prosecution_notice": ("刑事自诉权利告知书", "第十二条第一款", "enforcement_judge", "creditor", None),
    "private_acceptance_notice": ("刑事自诉案件受理通知书", "第十四条", "filing_clerk", "creditor", "trial"),
    "locate_request_letter": ("协助查找被告人下落函", "第十六条", "trial_judge", "police_clerk", None),
    "obstruction_referral_letter": ("妨害执行线索移送函", "第十八条", "enforcement_judge", "discipline_officer",
                                    None),
    "settlement_ruling": ("刑事裁定书", "第十七条", "trial_judge", "creditor", None),
    "correction_notice": ("纠正违法通知书", "第八条", "procurator", "police_clerk", None),
}


def reach(demo, kind, *, suffix=""):
    """A case carrying a `kind` document issued by the real services; returns (case, document)."""
    state, _ = ROUTES[kind]
    case = case_in_state(demo, state, suffix=suffix)
    if kind == "locate_request_letter":
        record_services.locate_request_create(case_id=case.pk, actor=demo[f"trial_judge{suffix}"],
                                              note="据悉其常在青秀区出入")
    elif kind == "obstruction_referral_letter":
        record_services.obstruction_referral_create(
            case_id=case.pk, actor=demo[f"enforcement_judge{suffix}"],
            receiver=demo[f"discipline_officer{suffix}"].agency.pk, official_name="王五",
            official_position="某镇副镇长", conduct="向被执行人通风报信，致查封落空。",
        )
    elif kind == "correction_notice":
        due = case.deadlines.get(kind="police_explanation").due_date
        with time_machine.travel(datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time(10),
                                                           tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
            record_services.record_create(record="correction_notice", case_id=case.pk,
                                          actor=demo[f"procurator{suffix}"], data={"reason": "逾期未说明不立案理由"})
    document = Document.objects.filter(case=case, kind=kind).latest("id")
    return case, document


def squeeze(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines wherever the layout did."""
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return squeeze("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def response_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
