"""Letters state the law exactly (procedure.md §5): every letter issued by the real transitions, rendered to PDF and
read back, in both languages, for its periods and citations.

- the transfer letter tells the police both periods, each from receipt: decide on filing within 7 days (30 if
  extended, Art. 5 ¶2) and answer in writing within 30 days (Art. 12 ¶1, owed on the court's transfer only);
- the letters of a case the procuratorate found in execution supervision cite Art. 8 ¶3 where a court's cite
  Art. 3 (and Art. 5 for the police's acceptance and decision);
- a trial period ends with the pronouncement of judgment (宣判);
- the private filing review is cited to the SPC's 2021 Interpretation of the CPL, Art. 320, in Chinese;
- a reason that opens as the letter's lead-in does is not doubled;
- a due date in a year the holiday schedule lacks is printed as provisional.
"""

import importlib
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.apps import apps as django_apps

from documents.models import Document
from documents.render import format_date, render_document_pdf
from documents.wording import quoted_reason
from tests.casebuilder import case_in_state, fire
from tests.documents.helpers import pdf_text, squeeze
from workflow.cases import letters
from workflow.models import Deadline

LANGUAGES = ("zh-hans", "en")


def read(document, language="zh-hans") -> str:
    """The letter as its PDF reads, in `language` (the stored text rendered the way documents.tasks does)."""
    return pdf_text(render_document_pdf(document.kind, document.context, language=language))


def _zh_date(day) -> str:
    return format_date(day, "zh-hans")


def letter(case, kind) -> Document:
    return Document.objects.filter(case=case, kind=kind).latest("id")


@pytest.fixture
def clock():
    """clock("2026-12-10") stops the clock at 10:00 UTC+8 of that day for the rest of the test."""
    travellers = []

    def go(day: str):
        traveller = time_machine.travel(datetime.fromisoformat(f"{day}T02:00:00").replace(tzinfo=UTC), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield go
    for traveller in reversed(travellers):
        traveller.stop()


def test_the_transfer_letter_tells_the_police_both_periods_from_receipt(demo, clock):
    clock("2026-03-02")
    case = case_in_state(demo, "transferred")
    document = letter(case, "transfer_letter")
    due = Deadline.objects.get(case=case, kind="written_response").due_date
    zh = read(document)
    assert "依照《意见》第五条第二款，自收到本函之日起七日内作出是否立案的决定" in zh
    assert "案情重大、复杂的，可以延长至三十日" in zh
    assert f"依照《意见》第十二条第一款，请你局自收到本函之日起三十日内（即于{_zh_date(due)}前）将是否立案书面答复本院" in zh
    en = read(document, "en")
    assert squeeze("Under Article 5, paragraph 2 of the Opinions, please decide whether to open a case within seven "
                   "days from the day of receipt of this letter") in en
    assert squeeze("may be extended to thirty days") in en
    assert squeeze("Under Article 12, paragraph 1 of the Opinions, please answer") in en
    assert squeeze("within thirty days from the day of receipt of this letter (that is, by") in en
    # The periods come with the letter's text, from procedure/ (never typed into the template).
    periods = document.context["law"]["periods"]
    assert periods["filing_review"] == {"days": 7, "months": None, "basis": "Opinions Art. 5 ¶2", "extended_days": 30}
    assert periods["written_response"] == {"days": 30, "months": None, "basis": "Opinions Art. 12 ¶1"}


# state reached -> the letters it issued that say how the case came to the police.
ORIGIN_LETTERS = {
    "transferred": ("transfer_letter", "execution_explanation", "evidence_list"),
    "filing_review": ("registration_form", "acknowledgment"),
    "investigating": ("filing_decision",),
    "not_filed": ("non_filing_notice",),
    "withdrawn": ("withdrawal_notice",),
    "explanation_requested": ("explanation_request",),
}


@pytest.mark.parametrize("state", list(ORIGIN_LETTERS))
def test_letters_of_a_procuratorate_origin_case_cite_article_8_3(demo, state):
    case = case_in_state(demo, state, origin="procuratorate")
    for kind in ORIGIN_LETTERS[state]:
        document = letter(case, kind)
        zh, en = read(document), read(document, "en")
        assert "第八条第三款" in zh, kind
        assert "Article8,paragraph3" in en, kind
        # Art. 3 is the court's transfer, Art. 5 ¶1 the police's acceptance of it, Art. 7 the notice to that court.
        assert "第三条" not in zh and "第五条第一款" not in zh and "第七条" not in zh, kind
        assert not re.search(r"Article(3|7)(?!\d)|Article5,paragraph1", en), kind


@pytest.mark.parametrize("state", list(ORIGIN_LETTERS))
def test_letters_of_a_court_origin_case_cite_article_3_and_5(demo, state):
    case = case_in_state(demo, state)
    cited = {"transfer_letter": "第三条、第四条", "execution_explanation": "第三条", "evidence_list": "第三条、第四条",
             "registration_form": "第五条第一款", "acknowledgment": "第五条第一款", "filing_decision": "第五条第二款",
             "non_filing_notice": "第七条", "withdrawal_notice": "第七条", "explanation_request": "第八条第一款"}
    for kind in ORIGIN_LETTERS[state]:
        zh = read(letter(case, kind))
        assert cited[kind] in zh, kind
        assert "第八条第三款" not in zh, kind


def test_the_procuratorates_transfer_letter_states_the_filing_review_but_no_written_response(demo):
    """Art. 12 ¶1's written answer within 30 days is owed on the executing court's transfer, not the procuratorate's."""
    document = letter(case_in_state(demo, "transferred", origin="procuratorate"), "transfer_letter")
    zh, en = read(document), read(document, "en")
    assert "依照《意见》第五条第二款，自收到本函之日起七日内作出是否立案的决定" in zh
    assert "第十二条" not in zh and "书面答复" not in zh
    assert "Article12" not in en
    assert "written_response" not in document.context["law"]["periods"]


def test_police_periods_run_from_receipt_of_the_acceptance_and_the_notices(demo, clock):
    clock("2026-03-02")
    case = case_in_state(demo, "filing_ordered")
    acknowledgment = read(letter(case, "acknowledgment"))
    assert "自收到上述材料之日起七日内（即于" in acknowledgment and "延长至三十日" in acknowledgment
    assert "立案审查期限为自收到移送材料之日起七日，至" in read(letter(case, "registration_form"))
    assert "自收到本通知书之日起七日内（即于" in read(letter(case, "explanation_request"))
    assert "自收到本通知书之日起十五日内（即于" in read(letter(case, "filing_order"))
    assert squeeze("within fifteen days from the day of receipt of this notice (that is, by") in read(
        letter(case, "filing_order"), "en")
    assert squeeze("within seven days from the day the materials were received (that is, by") in read(
        letter(case, "acknowledgment"), "en")


def test_the_trial_period_ends_with_the_pronouncement_of_judgment(demo, clock):
    clock("2026-03-02")
    case = case_in_state(demo, "private_trial")
    document = letter(case, "private_acceptance_notice")
    due = Deadline.objects.get(case=case, kind="trial").due_date
    zh, en = read(document), read(document, "en")
    assert f"依照《中华人民共和国刑事诉讼法》第二百一十二条第二款的规定，本院将在受理后六个月内宣判（即于{_zh_date(due)}前）" in zh
    assert "审结" not in zh
    assert squeeze("Under Article 212, paragraph 2 of the Criminal Procedure Law of the People's Republic of China, "
                   "this Court will pronounce judgment within six months of accepting the case") in en


def test_the_private_filing_review_is_cited_to_article_320_of_the_interpretation_in_chinese(demo, client):
    case = case_in_state(demo, "private_filing_review")
    deadline = Deadline.objects.get(case=case, kind="private_filing_review")
    assert deadline.legal_basis == "SPC Interpretation of the CPL Art. 320"
    assert "《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》第320条" in deadline.explanation
    assert not re.search(r"[A-Za-z]", deadline.explanation), deadline.explanation
    assert "Art. 320" in deadline.explanation_en
    # The court's Chinese page shows the basis and the explanation in Chinese.
    client.force_login(demo["filing_clerk"])
    page = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》第320条" in page
    assert "SPC Interpretation" not in page


@pytest.mark.parametrize(("language", "lead", "doubled"), [
    ("zh-hans", "经审查，本局认为：该案证据不足以证明被执行人有能力履行。", "经审查，本局认为：经审查"),
    ("en", "Havingreviewedit,thisBureaufinds:Theevidencedoesnotshow", "finds:Afterreview"),
])
def test_a_reason_opening_as_the_letters_lead_in_is_not_doubled(demo, language, lead, doubled):
    case = case_in_state(demo, "filing_review")
    reason = "经审查，该案证据不足以证明被执行人有能力履行。" if language == "zh-hans" else (
        "After review, the evidence does not show that the debtor is able to pay.")
    fire(case, "decline_filing", demo["police_head"], reason=reason)
    text = read(letter(case, "non_filing_notice"), language)
    assert squeeze(lead) in text
    assert squeeze(doubled) not in text
    # The letter stores the reason as written; only its printing leaves out the repeated opening.
    assert letter(case, "non_filing_notice").context["payload"]["reason"] == reason


@pytest.mark.parametrize(("state", "name", "user", "kind", "printed"), [
    ("explanation_review", "order_filing", "procurator_general", "filing_order", "本院认为，你局不立案的理由不能成立：不立案"),
    ("investigating", "withdraw_case", "police_head", "withdrawal_notice", "经侦查认为：不立案"),
    ("not_filed", "request_supervision", "enforcement_judge", "supervision_request", "理由如下：不立案"),
])
def test_every_letter_quoting_a_reason_drops_the_repeated_opening(demo, state, name, user, kind, printed):
    case = case_in_state(demo, state)
    fire(case, name, demo[user], reason="经审查认为，不立案的理由缺乏事实依据。")
    text = read(letter(case, kind))
    assert printed in text
    assert text.count("经审查") <= 1 and "：经审查" not in text and "经侦查认为：经" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_due_date_in_a_year_the_calendar_lacks_is_printed_as_provisional(demo, clock, language):
    clock("2026-12-10")
    case = case_in_state(demo, "transferred")
    deadline = Deadline.objects.get(case=case, kind="written_response")
    assert deadline.provisional and deadline.due_date.year == 2027  # 30 days from 2026-12-10: 2027-01-09
    document = letter(case, "transfer_letter")
    assert document.context["deadline"]["provisional"] is True
    text = read(document, language)
    if language == "zh-hans":
        assert "（即于二〇二七年一月九日（暂定，以节假日安排为准）前）" in text
    else:
        assert squeeze("(that is, by 9 January 2027 (provisional, subject to the holiday schedule))") in text


def test_a_due_date_the_calendar_knows_is_printed_without_reservation(demo, clock):
    clock("2026-03-02")
    document = letter(case_in_state(demo, "transferred"), "transfer_letter")
    assert document.context["deadline"]["provisional"] is False
    assert "暂定" not in read(document) and "provisional" not in read(document, "en")


def test_deadlines_recorded_with_the_former_bases_are_corrected(demo):
    """workflow migration 0007: a private filing review opened before the correction reads in Chinese too."""
    case = case_in_state(demo, "private_filing_review")
    deadline = Deadline.objects.get(case=case, kind="private_filing_review")
    former = "SPC Interpretation of the CPL (private prosecution)"
    Deadline.objects.filter(pk=deadline.pk).update(
        legal_basis=former,
        explanation=deadline.explanation.split("依据：")[0] + f"依据：CPL Art. 105; {former}。",
        explanation_en=deadline.explanation_en.split("Basis: ")[0] + f"Basis: CPL Art. 105; {former}.",
    )
    migration = importlib.import_module("workflow.migrations.0008_letters")
    migration.corrected_bases(django_apps, None)
    deadline.refresh_from_db()
    assert deadline.legal_basis == "SPC Interpretation of the CPL Art. 320"
    assert deadline.explanation.endswith("《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》第320条。")
    assert not re.search(r"[A-Za-z]", deadline.explanation)
    assert deadline.explanation_en.endswith("Basis: CPL Art. 105; SPC Interpretation of the CPL Art. 320.")
    migration.former_bases(django_apps, None)
    deadline.refresh_from_db()
    assert deadline.legal_basis == former and deadline.explanation.endswith(f"依据：CPL Art. 105; {former}。")


def test_correcting_a_letter_issued_before_letters_carried_their_law_states_it(demo, eager_celery):
    case = case_in_state(demo, "not_filed", origin="procuratorate")
    document = letter(case, "non_filing_notice")
    context = {key: value for key, value in document.context.items() if key != "law"}
    Document.objects.filter(pk=document.pk).update(context=context)
    document.refresh_from_db()
    corrected = letters.issue_correction(document=document, actor=demo["police_investigator"],
                                         changes={"payload": {"reason": "现有证据不足以证明其有履行能力"}})
    assert corrected.context["law"]["filing"] == "Opinions Art. 8 ¶3"
    assert "第八条第三款的规定，本局决定不予立案" in read(corrected)


@pytest.mark.parametrize(("reason", "quoted"), [
    ("经审查，该案证据不足。", "该案证据不足。"),
    ("经审查认为，该案证据不足。", "该案证据不足。"),
    ("经审查，本局认为：该案证据不足。", "该案证据不足。"),
    ("本院认为，理由不能成立。", "理由不能成立。"),
    ("经审查认为该案证据不足。", "该案证据不足。"),
    # Only a whole opening goes: what the review found stays, and so does a reason that opens otherwise.
    ("经审查发现，被执行人已履行。", "经审查发现，被执行人已履行。"),
    ("现有证据不足以证明其有履行能力。", "现有证据不足以证明其有履行能力。"),
    ("After review, the evidence is thin.", "The evidence is thin."),
    ("Having reviewed the case, this Bureau finds that the evidence is thin.", "The evidence is thin."),
    ("The review found nothing.", "The review found nothing."),
])
def test_only_an_opening_that_repeats_the_lead_in_is_left_out(reason, quoted):
    assert quoted_reason(reason) == quoted
