"""A user never reaches another region's data: every URL that takes an id answers 404 to the users of another
region, by API token and in the browser, for every method it accepts, and changes nothing.

The endpoints are discovered from Django's URL resolver, so a route added later without an entry in
``endpoints()`` fails ``test_every_id_route_is_exercised``.
"""

import datetime
from dataclasses import dataclass, field

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.test import APIClient

from agencies.models import ApiToken
from agencies.tokens import issue
from documents.models import Document
from documents.services import rendering_deferred
from procedure.transitions import TRANSITIONS
from tests.casebuilder import CASE_BODY, case_in_state, fire, new_case
from workflow.cases.transitions import allowed_transitions
from workflow.models import Notification
from workflow.records import services as record_services
from workflow.supervision.meetings import joint_meeting_create

# Region 450103: one user of every role, none of whom holds a position in region 450102's cases.
# creditor_2 is the creditor of a case of its own (built in `world`).
OTHER_REGION = ["enforcement_judge_2", "filing_clerk_2", "trial_judge_2", "police_clerk_2", "police_investigator_2",
                "police_head_2", "procurator_2", "procurator_general_2", "discipline_officer_2", "creditor_2"]

# /verify/<code>/ is public on purpose (procedure.md §5: anyone holding the paper checks it, no login); it is
# tested below for showing no personal data instead of for a 404.
PUBLIC = {"document-verify"}
# The admin site is for staff only and is not scoped by region; no demo user is staff.
EXCLUDED_NAMESPACES = {"admin"}

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def id_routes() -> dict[str, str]:
    """Every named route with a path converter (an id, a code, a name), outside the excluded namespaces."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in EXCLUDED_NAMESPACES:
                    continue
                walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and getattr(p.pattern, "converters", None):
                name = f"{namespace}:{p.name}" if namespace else p.name
                assert name not in found, f"two routes named {name}"
                found[name] = prefix + str(p.pattern)

    walk(get_resolver().url_patterns, "/", None)
    return found


@dataclass
class Endpoint:
    name: str  # the route's qualified name, checked against what the URL resolves to
    url: str
    methods: dict[str, dict]  # method -> body (form data for pages, JSON or multipart for the API)
    viewer: str = ""  # a region-450102 user who may see the object (checked for a 200 on GET)
    ok: frozenset = frozenset({200})
    api: bool = field(init=False)

    def __post_init__(self):
        self.api = self.url.startswith("/api/")


def _upload():
    return SimpleUploadedFile("m.pdf", b"%PDF-1.4\nforeign material", content_type="application/pdf")


@pytest.fixture
def world(demo, django_capture_on_commit_callbacks):
    """Cases of region 450102 in states that carry evidence, documents, deadlines, events, records of every kind,
    notifications and a joint meeting; and creditor_2's own case in region 450103."""
    # PDFs are rendered when first fetched (as for the demo seed), which keeps the build quick.
    with rendering_deferred(), django_capture_on_commit_callbacks(execute=True):
        inv = case_in_state(demo, "investigating")
        police = demo["police_investigator"]
        arrest = record_services.arrest_request_create(case_id=inv.pk, actor=police, grounds="有逃跑可能",
                                                       detained=False)
        measure = record_services.coercive_measure_create(case_id=inv.pk, actor=police, kind="summons",
                                                          legal_basis="刑事诉讼法第六十六条")
        control = record_services.property_control_create(case_id=inv.pk, actor=police, measure="freeze",
                                                          description="银行存款", amount="1000.00")
        record_services.warning_create(case_id=inv.pk, actor=demo["enforcement_judge"], content="限期履行")
        record_services.performance_record(case_id=inv.pk, actor=demo["enforcement_judge"], kind="payment",
                                           amount="100.00")
        referral = record_services.obstruction_referral_create(
            case_id=inv.pk, actor=demo["enforcement_judge"], receiver=demo["discipline_officer"].agency.pk,
            official_name="某干部", conduct="干预执行")
        trial = case_in_state(demo, "trial")
        locate = record_services.locate_request_create(case_id=trial.pk, actor=demo["trial_judge"])
        private = case_in_state(demo, "private_trial")
        copy = record_services.evidence_copy_request_create(case_id=private.pk, actor=demo["creditor"],
                                                            description="查封笔录")
        meeting = joint_meeting_create(actor=demo["enforcement_judge"], held_on=datetime.date(2026, 3, 2),
                                       title="联席会议", cases=[inv.pk])
        own = new_case(demo, suffix="_2")  # creditor_2 holds a case, in its own region
        approval = fire(inv, "withdraw_case", police, reason="已履行")  # pending, for the police head
        detention = record_services.coercive_measure_create(case_id=inv.pk, actor=police, kind="detention",
                                                            legal_basis="刑事诉讼法第八十二条")
        refused = case_in_state(demo, "not_filed")
        complaint = record_services.record_create(record="supervision_complaint", case_id=refused.pk,
                                                  actor=demo["creditor"], data={"reason": "应当立案"})
        silent = case_in_state(demo, "explanation_requested")
        with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=20), tick=False):
            correction = record_services.record_create(record="correction_notice", case_id=silent.pk,
                                                       actor=demo["procurator"], data={"reason": "逾期未说明"})
    notification = Notification.objects.filter(recipient__agency__region_code="450102").first()
    assert notification is not None and notification.read_at is None
    assert own.applicant_user == demo["creditor_2"]
    return {
        "inv": inv, "trial": trial, "private": private, "arrest": arrest, "measure": measure, "control": control,
        "referral": referral, "locate": locate, "copy": copy, "meeting": meeting, "notification": notification,
        "approval": approval,
        "detention": detention, "refused": refused, "complaint": complaint, "silent": silent,
        "correction": correction,
        "evidence": inv.evidence.first(), "private_evidence": private.evidence.first(), "document": Document.objects.filter(case=inv).first(),
        "token": issue(demo["enforcement_judge"], "laptop")[0],
    }


TRANSITION_BODY = {"reason": "理由", "explanation": "说明", "outcome": "convicted", "sentence": "有期徒刑一年",
                   "missing": ["judgment"], "terms": "分期还款", "note": "备注", "received_on": "2026-03-02"}
RECORD_BODIES = {
    "arrest_request": ("inv", "police_investigator", "arrest-requests", {"grounds": "有逃跑可能"}),
    "coercive_measure": ("inv", "police_investigator", "coercive-measures",
                         {"kind": "summons", "legal_basis": "刑事诉讼法第六十六条"}),
    "property_control": ("inv", "police_investigator", "property-controls",
                         {"measure": "seize", "description": "车辆"}),
    "warning": ("inv", "enforcement_judge", "warnings", {"content": "限期履行"}),
    "performance": ("inv", "enforcement_judge", "performances", {"kind": "payment", "amount": "50.00"}),
    "evidence_copy_request": ("private", "creditor", "evidence-copy-requests", {"description": "查封笔录"}),
    "locate_request": ("trial", "trial_judge", "locate-requests", {"defendant_name": "张伟"}),
    "obstruction_referral": ("inv", "enforcement_judge", "obstruction-referrals",
                             {"receiver": 0, "official_name": "某干部", "conduct": "干预执行"}),
    "supervision_complaint": ("refused", "creditor", "supervision-complaints", {"reason": "应当立案"}),
    "correction_notice": ("silent", "procurator", "correction-notices", {"reason": "逾期未说明"}),
}
# answer -> (record, region-450102 user who answers it, API route and path, body)
ANSWERS = {
    "decide_arrest_request": ("arrest", "procurator", "api:arrest-request-decision", "arrest-requests/{}/decision",
                              {"decision": "approve"}),
    "end_coercive_measure": ("measure", "police_investigator", "api:coercive-measure-end", "coercive-measures/{}/end",
                             {"reason": "解除"}),
    "release_property": ("control", "police_investigator", "api:property-control-release",
                         "property-controls/{}/release", {"reason": "解除冻结"}),
    "hand_over_property": ("control", "police_investigator", "api:property-control-hand-over",
                           "property-controls/{}/hand-over", {"note": "移交"}),
    "answer_locate_request": ("locate", "police_investigator", "api:locate-request-answer",
                              "locate-requests/{}/answer", {"result": "found", "detail": "南宁市"}),
    "acknowledge_obstruction_referral": ("referral", "discipline_officer", "api:obstruction-referral-acknowledge",
                                         "obstruction-referrals/{}/acknowledge", {"note": "已收"}),
    "extend_detention": ("detention", "police_head", "api:coercive-measure-extend", "coercive-measures/{}/extend",
                         {"days": 7, "reason": "延长"}),
    "answer_supervision_complaint": ("complaint", "procurator", "api:supervision-complaint-answer",
                                     "supervision-complaints/{}/answer", {"decision": "refuse", "reason": "理由成立"}),
    "reply_correction_notice": ("correction", "police_investigator", "api:correction-notice-reply",
                                "correction-notices/{}/reply", {"reply": "已纠正"}),
}


def endpoints(world, demo) -> list[Endpoint]:
    inv, private = world["inv"], world["private"]
    court = demo["trial_judge"].agency.pk
    transition_body = {**TRANSITION_BODY, "trial_court": court}
    e = [
        # pages
        Endpoint("case-page", f"/cases/{inv.pk}/", {"GET": {}}, "enforcement_judge"),
        Endpoint("case-evidence-upload", f"/cases/{inv.pk}/evidence/",
                 {"POST": {"category": "judgment", "title": "材料", "slot": "general", "file": None}}),
        Endpoint("case-evidence-file", f"/cases/{inv.pk}/evidence/{world['evidence'].pk}/", {"GET": {}},
                 "enforcement_judge"),
        Endpoint("case-copy-request", f"/cases/{private.pk}/copy-requests/", {"POST": {"description": "查封笔录"}}),
        Endpoint("case-copy-request-answer", f"/cases/{private.pk}/copy-requests/{world['copy'].pk}/answer/",
                 {"POST": {"evidence": [str(world["private_evidence"].pk)], "note": "已提供"}}),
        Endpoint("notification-read", f"/notifications/{world['notification'].pk}/read/", {"POST": {"open": "1"}}),
        # API
        Endpoint("api:case-detail", f"/api/cases/{inv.pk}/", {"GET": {}}, "enforcement_judge"),
        Endpoint("api:case-dossier", f"/api/cases/{inv.pk}/dossier/", {"GET": {}}, "enforcement_judge"),
        Endpoint("api:case-evidence", f"/api/cases/{inv.pk}/evidence/",
                 {"POST": {"category": "judgment", "title": "材料", "file": None}}),
        Endpoint("api:case-transition", f"/api/cases/{inv.pk}/transitions/no_such_step/", {"POST": transition_body}),
        Endpoint("api:notification-read", f"/api/notifications/{world['notification'].pk}/read/", {"POST": {}}),
        Endpoint("api:evidence-copy-request-answer", f"/api/evidence-copy-requests/{world['copy'].pk}/answer/",
                 {"POST": {"evidence": [world["private_evidence"].pk], "note": "已提供"}}),
        Endpoint("api:case-records", f"/api/cases/{inv.pk}/records/", {"GET": {}}, "enforcement_judge"),
        Endpoint("api:case-private-checklist", f"/api/cases/{private.pk}/private-checklist/", {"GET": {}}, "creditor"),
        Endpoint("api:evidence-file", f"/api/evidence/{world['evidence'].pk}/file/", {"GET": {}}, "enforcement_judge"),
        Endpoint("api:joint-meeting-detail", f"/api/joint-meetings/{world['meeting'].pk}/",
                 {"GET": {}, "PATCH": {"minutes": "改写的纪要", "add_cases": [inv.pk]}}, "enforcement_judge"),
        Endpoint("api:case-documents", f"/api/cases/{inv.pk}/documents/", {"GET": {}}, "enforcement_judge"),
        Endpoint("api:document-pdf", f"/api/documents/{world['document'].pk}/pdf/", {"GET": {}}, "enforcement_judge"),
        Endpoint("api:token-detail", f"/api/auth/tokens/{world['token'].pk}/", {"DELETE": {}}),  # a user's device
        # approvals (procedure.md §3)
        Endpoint("api:approval-approve", f"/api/approvals/{world['approval'].pk}/approve/", {"POST": {}}),
        Endpoint("api:approval-reject", f"/api/approvals/{world['approval'].pk}/reject/", {"POST": {"reason": "不同意"}}),
        Endpoint("approval-page", f"/approvals/{world['approval'].pk}/", {"GET": {}}, "police_head"),
        Endpoint("approval-approve", f"/approvals/{world['approval'].pk}/approve/", {"POST": {}}),
        Endpoint("approval-reject", f"/approvals/{world['approval'].pk}/reject/", {"POST": {"reason": "不同意"}}),
    ]
    investigator = demo["police_investigator"]
    may = set(allowed_transitions(case=inv, user=investigator))
    for name in TRANSITIONS:
        e.append(Endpoint(f"api:case-transition-{name}", f"/api/cases/{inv.pk}/transitions/{name}/",
                          {"POST": transition_body}))
        # The page answers a user of the case with the form, or says why not (403 role, 409 state): never 404.
        e.append(Endpoint("case-transition-page", f"/cases/{inv.pk}/transitions/{name}/",
                          {"GET": {}, "POST": transition_body}, "police_investigator",
                          frozenset({200}) if name in may else frozenset({403, 409})))
    for record, (case_key, viewer, path, body) in RECORD_BODIES.items():
        case = world[case_key]
        if record == "obstruction_referral":
            body = {**body, "receiver": demo["discipline_officer"].agency.pk}
        e.append(Endpoint(f"api:case-{path}", f"/api/cases/{case.pk}/{path}/", {"GET": {}, "POST": body}, viewer))
        if record != "evidence_copy_request":  # its page is case-copy-request
            e.append(Endpoint("case-record-page", f"/cases/{case.pk}/records/{record}/",
                              {"GET": {}, "POST": body}, viewer))
    for answer, (record_key, viewer, route, path, body) in ANSWERS.items():
        pk = world[record_key].pk
        e.append(Endpoint(route, f"/api/{path.format(pk)}/", {"POST": body}))
        e.append(Endpoint("record-answer-page", f"/records/{answer}/{pk}/", {"GET": {}, "POST": body}, viewer))
    return e


def snapshot() -> dict:
    """Every row of the workflow and documents apps (cases, events, records, notifications, documents...), and
    which API tokens were revoked."""
    rows = {}
    for label in ("workflow", "documents"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    rows["revoked tokens"] = list(ApiToken.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True))
    return rows


def _api_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue(user, 'tests')[1]}")
    return client


def _page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(clients, endpoint: Endpoint, method: str, body: dict | None):
    client = clients["api" if endpoint.api else "page"]
    body = dict(body or {})
    multipart = "file" in body
    if multipart:
        body["file"] = _upload()
    call = getattr(client, method.lower())
    if not endpoint.api or method == "GET":
        if method in ("GET", "DELETE"):
            response = call(endpoint.url)
        elif method == "POST":
            response = call(endpoint.url, body)
        else:
            response = call(endpoint.url, body, content_type="application/json")
    else:
        response = call(endpoint.url, body, format="multipart" if multipart else "json")
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, which closes the file the way the test client expects
    return response


def clients_for(user) -> dict:
    return {"api": _api_client(user), "page": _page_client(user)}


def test_every_id_route_is_exercised(world, demo):
    """A route with an id that `endpoints()` does not request (e.g. one added later) fails here."""
    table = endpoints(world, demo)
    for endpoint in table:
        assert resolve(endpoint.url).view_name == endpoint.name, endpoint.url
    assert {e.name for e in table} == set(id_routes()) - PUBLIC


def test_another_region_gets_404_on_every_id_route_and_changes_nothing(world, demo):
    table = endpoints(world, demo)
    before = snapshot()
    wrong = []
    for username in OTHER_REGION:
        clients = clients_for(demo[username])
        for endpoint in table:
            for method, body in endpoint.methods.items():
                status = send(clients, endpoint, method, body).status_code
                if status != 404:
                    wrong.append((username, method, endpoint.url, status))
    assert wrong == []
    assert snapshot() == before
    assert Notification.objects.get(pk=world["notification"].pk).read_at is None


def test_methods_a_route_does_not_accept_are_405_whatever_the_id(world, demo):
    """The declared methods are the accepted ones: any other is 405 for a user of the other region, which says
    nothing about the object (the same answer for a missing id)."""
    clients = clients_for(demo["enforcement_judge_2"])
    before = snapshot()
    wrong = []
    for endpoint in endpoints(world, demo):
        for method in METHODS:
            if method in endpoint.methods:
                continue
            status = send(clients, endpoint, method, {}).status_code
            if status != 405:
                wrong.append((method, endpoint.url, status))
    assert wrong == []
    assert snapshot() == before


def test_a_user_of_the_case_region_sees_what_the_other_region_cannot(world, demo):
    """The 404s above are not vacuous: the same URLs answer a user who may see the object."""
    wrong = []
    for endpoint in endpoints(world, demo):
        if "GET" not in endpoint.methods:
            continue
        status = send(clients_for(demo[endpoint.viewer]), endpoint, "GET", None).status_code
        if status not in endpoint.ok:
            wrong.append((endpoint.url, endpoint.viewer, status))
    assert wrong == []


def test_public_verification_page_shows_no_personal_data(world, client):
    document = world["document"]
    response = client.get(f"/verify/{document.verification_code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert document.number in page
    applicant, debtor = CASE_BODY["applicant"], CASE_BODY["debtor"]
    personal = [applicant["name"], applicant["id_number"], applicant["phone"], applicant["address"], debtor["name"],
                debtor["id_number"], debtor["address"], CASE_BODY["summary"], CASE_BODY["enforcement_case_number"],
                CASE_BODY["basis_document"], "1250000", "1,250,000", world["inv"].number]
    assert [text for text in personal if text in page] == []
