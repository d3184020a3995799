"""Sample cases for `seed_demo` (api.md "Demo data"): a handful of cases spread over the states, each brought
there by the real services, so that they carry their events, deadlines, documents and sub-procedure records,
and each kind of record appears on at least one case. Some are left waiting for the creditor, the trial judge,
the police investigator and the procurator, so that each demo user finds something to do.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from documents.services import rendering_deferred
from procedure.states import PRIVATE_REQUIRED_CATEGORIES, TRANSFER_CATEGORIES
from workflow.cases import approvals, services, transitions
from workflow.cases.proposals import approvers_of
from workflow.models import Approval, Case
from workflow.records import services as record_services
from workflow.supervision.meetings import joint_meeting_create

# The enforcement case number of the first sample: when it exists, the samples have been created.
FIRST_SAMPLE = "（2025）桂0102执1001号"

MATERIAL_TITLES = {
    "identity": "被执行人身份信息",
    "obligation": "生效判决书及执行通知书",
    "ability": "财产调查报告及银行流水",
    "refusal": "执行笔录（拒不申报、转移财产）",
    "circumstances": "情节严重的证明材料",
    "complaint": "刑事自诉状",
    "accuser_identity": "自诉人身份证明",
    "execution_basis": "生效判决书及执行案件受理通知书",
    "refusal_evidence": "有能力执行而拒不执行的证据",
    "public_route_failed": "公安机关不予立案通知书",
    "other": "法院要求补充的其他材料",
}


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of ASCII text: enough to stand in for a scanned material."""
    text = " ".join(f"({line.replace(chr(92), '').replace('(', '[').replace(')', ']')}) Tj T*" for line in lines)
    stream = f"BT /F1 14 Tf 16 TL 72 760 Td {text} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _file(category: str, case: Case) -> SimpleUploadedFile:
    content = _pdf(["Sample material (demo data)", f"Case {case.number}", f"Category: {category}"])
    return SimpleUploadedFile(f"{MATERIAL_TITLES[category]}.pdf", content, content_type="application/pdf")


class Builder:
    """Brings sample cases forward by firing the real transitions as the demo users."""

    def __init__(self):
        self.users = {u.username: u for u in User.objects.select_related("agency")}

    def user(self, username: str) -> User:
        return self.users[username]

    def agency(self, username: str):
        return self.users[username].agency

    def case(self, *, number: str, debtor: dict, applicant: dict, amount: str, summary: str, suffix: str = "",
             origin: str = "court") -> Case:
        body = {
            "enforcement_case_number": number,
            "applicant": {**applicant, "user": f"creditor{suffix}"},
            "debtor": debtor,
            "basis_document": number.replace("执", "民初").replace("号", "号民事判决书"),
            "amount_owed": amount,
            "summary": summary,
        }
        if origin == "creditor":
            return services.case_create(actor=self.user(f"creditor{suffix}"),
                                        executing_court=self.agency(f"enforcement_judge{suffix}"), **body)
        return services.case_create(actor=self.user(f"enforcement_judge{suffix}"),
                                    police_agency=self.agency(f"police_clerk{suffix}"),
                                    procuratorate=self.agency(f"procurator{suffix}"), **body)

    def materials(self, case: Case, username: str, categories) -> None:
        for category in categories:
            services.evidence_add(case_id=case.pk, actor=self.user(username), category=category,
                                  title=MATERIAL_TITLES[category], file=_file(category, case))

    def fire(self, case: Case, name: str, username: str, **data) -> Case:
        """Fire a step; what the user only proposes (procedure.md §3 "Approvals") its approver approves at once."""
        fired = transitions.fire(case_id=case.pk, name=name, actor=self.user(username), data=data)
        if isinstance(fired, Approval):
            fired = approvals.approve(approval_id=fired.pk, actor=approvers_of(case, name, fired.from_state)[0])
        return fired

    def walk(self, case: Case, steps, suffix: str = "") -> Case:
        for name, username, data in steps:
            if name == "submit_transfer":
                self.materials(case, f"enforcement_judge{suffix}", TRANSFER_CATEGORIES)
            if name == "file_private_prosecution" and not case.evidence.filter(category="complaint").exists():
                self.materials(case, f"creditor{suffix}", PRIVATE_REQUIRED_CATEGORIES)
            if data.get("trial_court") == "COURT":
                data = {**data, "trial_court": self.agency(f"trial_judge{suffix}").pk}
            case = self.fire(case, name, f"{username}{suffix}", **data)
        return case


TRANSFER = [("submit_transfer", "enforcement_judge", {}), ("accept", "police_clerk", {})]
FILE = [*TRANSFER, ("file_case", "police_investigator", {})]
DECLINE = [*TRANSFER, ("decline_filing", "police_investigator", {"reason": "现有证据不足以证明被执行人有能力履行"})]
SUPERVISE = [*DECLINE, ("request_supervision", "enforcement_judge", {"reason": "被执行人转移房产，应当立案侦查"}),
             ("request_explanation", "procurator", {})]
EXPLAIN = [*SUPERVISE, ("submit_explanation", "police_investigator", {"explanation": "经审查，被执行人系因经营困难无力履行"})]
PRIVATE_ADVICE = [*DECLINE, ("advise_private_prosecution", "enforcement_judge", {})]
PRIVATE_TRIAL = [*PRIVATE_ADVICE, ("file_private_prosecution", "creditor", {}),
                 ("accept_private_prosecution", "filing_clerk", {"trial_court": "COURT"})]
PROSECUTE = [*FILE, ("transfer_for_prosecution", "police_investigator", {})]
TRIAL = [*PROSECUTE, ("indict", "procurator", {"trial_court": "COURT"})]


def _person(name: str, id_number: str, address: str) -> dict:
    return {"name": name, "kind": "person", "id_number": id_number, "address": address}


def _entity(name: str, code: str, address: str) -> dict:
    return {"name": name, "kind": "entity", "id_number": code, "address": address}


CREDITOR_1 = {"name": "广西南宁宏达建材有限公司", "kind": "entity", "id_number": "91450100MA5K00001E",
              "phone": "0771-5550100", "address": "南宁市兴宁区民族大道1号"}
CREDITOR_2 = {"name": "王秀英", "kind": "person", "id_number": "450103197502021224", "phone": "13800771234",
              "address": "南宁市青秀区东葛路18号"}


@transaction.atomic
def seed_cases() -> dict[str, int]:
    """Create the sample cases once; a second run changes nothing. Returns counts of what was created.

    The sample letters are numbered and fixed now but rendered when first opened, so that seeding stays quick."""
    if Case.objects.filter(enforcement_case_number=FIRST_SAMPLE).exists():
        return {"cases": 0}
    with rendering_deferred():
        return _seed_cases()


def _seed_cases() -> dict[str, int]:
    b = Builder()
    rs = record_services
    counts = {"cases": 0, "records": 0, "joint meetings": 0}

    def new(number, debtor, amount, summary, *, suffix="", origin="court"):
        counts["cases"] += 1
        return b.case(number=number, debtor=debtor, applicant=CREDITOR_2 if suffix else CREDITOR_1,
                      amount=amount, summary=summary, suffix=suffix, origin=origin)

    def record(result):
        counts["records"] += 1
        return result

    # 1. Warned before transfer, paid in full, the draft cancelled: the "performed after a warning" figure.
    case = new(FIRST_SAMPLE, _person("黄立新", "450102198203031113", "南宁市兴宁区朝阳路12号"), "86000.00",
               "被执行人长期拒不履行给付货款义务，经执行法官警告后表示愿意履行。")
    record(rs.warning_create(case_id=case.pk, actor=b.user("enforcement_judge"),
                             content="告知被执行人拒不执行判决、裁定可能承担的刑事责任，责令十日内履行。"))
    record(rs.performance_record(case_id=case.pk, actor=b.user("enforcement_judge"), kind="payment",
                                 amount="86000.00", description="被执行人将全部欠款汇入法院执行款专户。"))
    b.fire(case, "cancel", "enforcement_judge", reason="被执行人经警告后已全部履行")

    # 2. With the police for the filing review; an official suspected of shielding the debtor is referred.
    case = b.walk(new("（2025）桂0102执1002号", _entity("南宁市鑫盛商贸有限公司", "91450102MA5K00002E",
                                                      "南宁市兴宁区长堽路88号"), "420000.00",
                      "被执行人以虚假租赁合同对抗执行，拒不腾退房屋。"), TRANSFER)
    record(rs.obstruction_referral_create(
        case_id=case.pk, actor=b.user("enforcement_judge"), receiver=b.agency("procurator"),
        official_name="某街道办事处工作人员", official_position="南宁市兴宁区某街道办事处",
        conduct="在法院查封被执行人房产时，出具与事实不符的证明材料，阻碍查封。"))
    # The investigator proposes to file it; the decision waits for the police head (procedure.md §3 "Approvals").
    transitions.fire(case_id=case.pk, name="file_case", actor=b.user("police_investigator"), data={})

    # 3. Under investigation: an arrest request awaits the procurator; the suspect was summoned, an account frozen.
    case = b.walk(new("（2025）桂0102执1003号", _person("李建军", "450102198505052235", "南宁市兴宁区望州路6号"),
                      "1250000.00", "被执行人将名下房产低价转让给亲属，拒不履行生效判决。"), FILE)
    record(rs.coercive_measure_create(case_id=case.pk, actor=b.user("police_investigator"), kind="summons",
                                      legal_basis="《刑事诉讼法》第一百一十九条", place="南宁市公安局兴宁分局办案区"))
    record(rs.property_control_create(case_id=case.pk, actor=b.user("police_investigator"), measure="freeze",
                                      description="被执行人名下中国工商银行账户存款", location="中国工商银行南宁兴宁支行",
                                      amount="356000.00"))
    record(rs.arrest_request_create(case_id=case.pk, actor=b.user("police_investigator"),
                                    grounds="犯罪嫌疑人有转移财产、逃避侦查的现实危险，可能判处徒刑以上刑罚。",
                                    detained=False))

    # 4. Under investigation: arrest approved and executed, a car seized and handed over, part of the debt paid.
    case = b.walk(new("（2025）桂0102执1004号", _person("陈海波", "450102197910103345", "南宁市兴宁区民生路20号"),
                      "680000.00", "被执行人隐匿车辆、拒不报告财产。"), FILE)
    arrest = record(rs.arrest_request_create(case_id=case.pk, actor=b.user("police_investigator"),
                                             grounds="犯罪嫌疑人经传唤拒不到案，有逃跑可能。", detained=False))
    rs.arrest_request_decide(request_id=arrest.pk, actor=b.user("procurator"), decision="approve")
    record(rs.coercive_measure_create(case_id=case.pk, actor=b.user("police_investigator"), kind="arrest",
                                      legal_basis="《刑事诉讼法》第八十一条", place="南宁市第一看守所"))
    car = record(rs.property_control_create(case_id=case.pk, actor=b.user("police_investigator"),
                                            measure="distrain", description="被执行人隐匿的小型轿车一辆（桂A·12345）",
                                            location="南宁市兴宁区某小区地下车库", amount="150000.00"))
    rs.property_control_hand_over(control_id=car.pk, actor=b.user("police_investigator"),
                                  note="移交执行法院依法处置")
    record(rs.performance_record(case_id=case.pk, actor=b.user("enforcement_judge"), kind="payment",
                                 amount="200000.00", description="被执行人家属代为履行部分款项。"))

    # 5. Supervision requested: the police owe an explanation (a row of the supervision ledger).
    supervised = b.walk(new("（2025）桂0102执1005号", _person("覃志明", "450102198811114457",
                                                            "南宁市兴宁区北宁街3号"), "215000.00",
                            "被执行人拒不申报财产，隐匿经营收入。"), SUPERVISE)

    # 6. Supervision led to an order to file; the case was filed.
    ordered = b.walk(new("（2025）桂0102执1006号", _entity("广西恒通物流有限公司", "91450102MA5K00003H",
                                                         "南宁市兴宁区三塘镇物流园"), "930000.00",
                         "被执行人转移运营车辆，拒不履行运输合同纠纷判决。"),
                     [*EXPLAIN, ("order_filing", "procurator_general", {"reason": "不立案理由不能成立"}),
                      ("file_case", "police_investigator", {})])

    # 7. Supervision closed, the creditor advised of a private prosecution; three materials uploaded so far.
    advised = b.walk(new("（2025）桂0102执1007号", _person("吴桂芳", "450102199001015566",
                                                         "南宁市兴宁区中山路9号"), "128000.00",
                         "被执行人将收入转入他人账户，拒不履行还款义务。"),
                     [*EXPLAIN, ("accept_explanation", "procurator", {"reason": "不立案理由成立"}),
                      ("advise_private_prosecution", "enforcement_judge", {})])
    b.materials(advised, "creditor", ["complaint", "execution_basis", "refusal_evidence"])

    # 8. A private prosecution the creditor started: filed, the filing division asks for one more material,
    #    and the creditor has asked the executing court for copies of its evidence.
    own = new("（2025）桂0102执1008号", _person("蒙家伟", "450102198612126674", "南宁市兴宁区友爱路30号"),
              "57000.00", "被执行人有能力履行而拒不履行，公安机关接受控告后三十日内未予书面答复。", origin="creditor")
    b.walk(own, [("file_private_prosecution", "creditor", {})])
    b.fire(own, "request_supplement", "filing_clerk", missing=["other"], note="请补充向公安机关控告的回执。")
    record(rs.evidence_copy_request_create(case_id=own.pk, actor=b.user("creditor"),
                                           description="请求复制执行中固定的被执行人财产调查报告及执行笔录。"))

    # 9. A private prosecution on trial: the court froze property (Art. 14 ¶2), shared evidence copies (Art. 15)
    #    and had the police locate the defendant (Art. 16); part of the debt has been paid.
    private = b.walk(new("（2025）桂0102执1009号", _person("刘德华", "450102197707077786",
                                                         "南宁市兴宁区人民东路15号"), "300000.00",
                         "被执行人离家外出、下落不明，拒不履行生效判决。"), PRIVATE_TRIAL)
    record(rs.property_control_create(case_id=private.pk, actor=b.user("trial_judge"), measure="freeze",
                                      description="被告人名下房产一套", location="南宁市兴宁区某小区3栋201室",
                                      amount="260000.00"))
    copies = record(rs.evidence_copy_request_create(case_id=private.pk, actor=b.user("creditor"),
                                                    description="请求提供执行阶段的财产调查报告和拒不执行的执行笔录。"))
    shared = list(private.evidence.filter(category__in=["ability", "refusal"]).values_list("pk", flat=True))
    rs.evidence_copy_request_answer(request_id=copies.pk, actor=b.user("enforcement_judge"), evidence=shared,
                                    note="已提供执行中固定的证据复制件。")
    locate = record(rs.locate_request_create(case_id=private.pk, actor=b.user("trial_judge"),
                                             note="被告人可能在其亲属处居住。"))
    rs.locate_request_answer(request_id=locate.pk, actor=b.user("police_investigator"), result="found",
                             detail="被告人现居南宁市西乡塘区某小区，联系电话已告知承办法官。")
    record(rs.performance_record(case_id=private.pk, actor=b.user("creditor"), kind="payment", amount="50000.00",
                                 description="被告人在庭前支付部分款项。"))

    # 10. Judged after a public prosecution; the debt was paid in full during the trial.
    judged = b.walk(new("（2025）桂0102执1010号", _person("赵国庆", "450102196806068899",
                                                        "南宁市兴宁区新华街2号"), "75000.00",
                        "被执行人隐匿收入，拒不支付劳务报酬。"), TRIAL)
    record(rs.warning_create(case_id=judged.pk, actor=b.user("trial_judge"),
                             content="告知被告人积极履行可作为量刑情节考虑。"))
    record(rs.performance_record(case_id=judged.pk, actor=b.user("trial_judge"), kind="payment", amount="75000.00"))
    b.fire(judged, "render_judgment", "trial_judge", outcome="exempted",
           sentence="被告人犯拒不执行判决罪，免予刑事处罚。")

    # 11. In the other region: on trial, the trial court asked the police to locate the defendant; no answer yet.
    other = b.walk(new("（2025）桂0103执2001号", _person("周小平", "450103198304049909",
                                                       "南宁市青秀区竹溪大道66号"), "460000.00",
                       "被执行人下落不明，隐匿经营收入。", suffix="_2"), TRIAL, suffix="_2")
    record(rs.locate_request_create(case_id=other.pk, actor=b.user("trial_judge_2"),
                                    note="被告人户籍地在南宁市青秀区。"))

    # 12. A referral to the discipline commission, acknowledged.
    referral = record(rs.obstruction_referral_create(
        case_id=ordered.pk, actor=b.user("enforcement_judge"), receiver=b.agency("discipline_officer"),
        official_name="某镇政府工作人员", official_position="南宁市兴宁区某镇人民政府",
        conduct="利用职务便利向被执行人通风报信，致使被执行人转移车辆。"))
    rs.obstruction_referral_acknowledge(referral_id=referral.pk, actor=b.user("discipline_officer"),
                                        note="已收到，依规处理。")

    # Art. 19: the region's joint meeting discussed the supervised cases.
    joint_meeting_create(
        actor=b.user("enforcement_judge"), held_on=timezone.localdate(), title="拒执案件联席会议（第一次）",
        place="南宁市兴宁区人民法院第三会议室", attendees=["enforcement_judge", "police_head", "procurator"],
        other_attendees="区政法委联络员",
        minutes="通报拒执案件移送、立案及监督情况，逐案研究立案监督案件。",
        decisions="一、公安机关对监督案件七日内书面说明理由；二、建立拒执案件台账，每月对账一次。",
        cases=[supervised.pk, ordered.pk, advised.pk],
    )
    counts["joint meetings"] += 1
    return counts
