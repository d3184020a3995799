"""Reach any state by firing the real services, so a case carries its events, deadlines and documents."""

import threading

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from procedure.states import PRIVATE_REQUIRED_CATEGORIES, TRANSFER_CATEGORIES
from workflow.cases import services, transitions
from workflow.models import Case, Notification

CASE_BODY = {
    "enforcement_case_number": "（2025）桂0102执1234号",
    "applicant": {"name": "广西南宁宏达建材有限公司", "kind": "entity", "id_number": "91450100MA5KXXXX13",
                  "phone": "0771-5550100", "address": "南宁市兴宁区民族大道1号", "user": "creditor"},
    "debtor": {"name": "张伟", "kind": "person", "id_number": "450102198001011237", "address": "南宁市兴宁区朝阳路8号"},
    "basis_document": "（2024）桂0102民初567号民事判决书",
    "amount_owed": "1250000.00",
    "summary": "被执行人转移房产，拒不履行生效判决。",
}

# state -> (previous state, transition, username, data). Acts that need approval (procedure.md §3 "Approvals") are
# fired directly by their approver, which takes effect at once; tests/approvals drives the proposals.
ROUTE = {
    "transferred": ("draft", "submit_transfer", "enforcement_judge", {}),
    "filing_review": ("transferred", "accept", "police_clerk", {}),
    "investigating": ("filing_review", "file_case", "police_head", {}),
    "not_filed": ("filing_review", "decline_filing", "police_head", {"reason": "证据不足"}),
    "withdrawn": ("investigating", "withdraw_case", "police_head", {"reason": "已履行"}),
    "supervision_requested": ("not_filed", "request_supervision", "enforcement_judge", {"reason": "应当立案"}),
    "explanation_requested": ("supervision_requested", "request_explanation", "procurator", {}),
    "explanation_review": ("explanation_requested", "submit_explanation", "police_investigator",
                           {"explanation": "不立案理由如下"}),
    "supervision_closed": ("explanation_review", "accept_explanation", "procurator", {"reason": "理由成立"}),
    "filing_ordered": ("explanation_review", "order_filing", "procurator_general", {"reason": "理由不成立"}),
    "prosecution_review": ("investigating", "transfer_for_prosecution", "police_head", {}),
    "supplementary_investigation": ("prosecution_review", "return_for_supplementary_investigation", "procurator",
                                    {"reason": "事实不清"}),
    "not_prosecuted": ("prosecution_review", "decline_prosecution", "procurator_general", {"reason": "情节显著轻微"}),
    "trial": ("prosecution_review", "indict", "procurator", {"trial_court": "COURT"}),
    "judged": ("trial", "render_judgment", "trial_judge", {"outcome": "convicted", "sentence": "有期徒刑一年"}),
    "cancelled": ("draft", "cancel", "enforcement_judge", {"reason": "被执行人已履行"}),
    "private_prosecution_advised": ("not_filed", "advise_private_prosecution", "enforcement_judge", {}),
    "private_filing_review": ("private_prosecution_advised", "file_private_prosecution", "creditor", {}),
    "private_trial": ("private_filing_review", "accept_private_prosecution", "filing_clerk", {"trial_court": "COURT"}),
    "private_rejected": ("private_filing_review", "reject_private_prosecution", "filing_clerk", {"reason": "不符合条件"}),
    "reconciled": ("private_trial", "reconcile", "trial_judge", {"terms": "分期还款"}),
    "private_withdrawn": ("private_trial", "withdraw_private_prosecution", "trial_judge", {}),
}


def upload(name="material.pdf", content=b"evidence"):
    """A small genuine-looking PDF: uploads are checked by content, so it starts with the PDF signature."""
    if not content.startswith(b"%PDF-"):
        content = b"%PDF-1.4\n" + content
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def add_transfer_evidence(case, actor):
    for category in TRANSFER_CATEGORIES:
        services.evidence_add(case_id=case.pk, actor=actor, category=category, title=f"{category} 材料",
                              file=upload(content=f"{category}-{case.pk}".encode()))


def add_private_evidence(case, creditor):
    for category in PRIVATE_REQUIRED_CATEGORIES:
        services.evidence_add(case_id=case.pk, actor=creditor, category=category, title=f"{category} 材料",
                              file=upload(content=f"private-{category}-{case.pk}".encode()))


def new_case(users, *, origin="court", suffix="", **overrides):
    body = {**CASE_BODY, **overrides}
    if origin == "court":
        actor = users[f"enforcement_judge{suffix}"]
        agencies = {"police_agency": _agency(users, "police_clerk", suffix),
                    "procuratorate": _agency(users, "procurator", suffix)}
    elif origin == "procuratorate":
        actor = users[f"procurator{suffix}"]
        agencies = {"executing_court": _agency(users, "enforcement_judge", suffix),
                    "police_agency": _agency(users, "police_clerk", suffix)}
    else:
        actor = users[f"creditor{suffix}"]
        agencies = {"executing_court": _agency(users, "enforcement_judge", suffix)}
    if suffix:
        body["applicant"] = {**body["applicant"], "user": f"creditor{suffix}"}
    if "enforcement_case_number" not in overrides:
        court = agencies.get("executing_court") or actor.agency
        body["enforcement_case_number"] = free_enforcement_number(court, body["enforcement_case_number"])
    return services.case_create(actor=actor, **agencies, **body)


def free_enforcement_number(court, number: str) -> str:
    """`number` when no open case of the court has it yet, else the next serial number that is free: a test builds
    many cases of one court, and a second open case of the same enforcement case number needs a reason."""
    taken = set(Case.objects.filter(executing_court=court).values_list("enforcement_case_number", flat=True))
    head, serial = number.rsplit("执", 1)
    serial = int(serial.removesuffix("号"))
    while number in taken:
        serial += 1
        number = f"{head}执{serial}号"
    return number


def _agency(users, username, suffix):
    return users[f"{username}{suffix}"].agency


def fire(case, name, user, **data):
    return transitions.fire(case_id=case.pk, name=name, actor=user, data=data)


def case_in_state(users, state, *, origin="court", suffix=""):
    """A case of `origin` brought to `state` along the spec's main routes. The notices the route wrote on the way
    (in each step's transaction) are set-up, not the state: they are removed, so that a test sees only those of
    the acts it fires itself."""
    case = _reach(users, state, origin=origin, suffix=suffix)
    Notification.objects.filter(case=case).delete()
    return case


def _reach(users, state, *, origin="court", suffix=""):
    if state == "draft":
        return new_case(users, origin=origin, suffix=suffix)
    previous, name, username, data = ROUTE[state]
    if origin == "procuratorate" and state == "explanation_requested":
        previous = "not_filed"  # the procuratorate supervises its own transfer without a request (Art. 8)
    if origin == "procuratorate" and state == "private_prosecution_advised":
        previous = "supervision_closed"  # Art. 12 ¶2: only once the police's reasons were found tenable
    if origin == "procuratorate" and username == "enforcement_judge":
        username = "procurator"
    case = _reach(users, previous, origin=origin, suffix=suffix)
    user = users[f"{username}{suffix}"]
    if name == "submit_transfer":
        add_transfer_evidence(case, user)
    if name == "file_private_prosecution":
        add_private_evidence(case, user)
    data = {k: (users[f"trial_judge{suffix}"].agency.pk if v == "COURT" else v) for k, v in data.items()}
    fire(case, name, user, **data)
    return Case.objects.get(pk=case.pk)


def at_once(calls, *, timeout: float = 120) -> tuple[list, list]:
    """Run the calls in threads released together (each with its own database connection): (results, errors)."""
    barrier, results, errors = threading.Barrier(len(calls)), [], []

    def run(call):
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except Exception as exc:  # reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
