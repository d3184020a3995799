"""The document kinds of procedure.md §5 and who receives each."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from procedure.deadlines import DeadlineKind
from procedure.periods import FILING_REVIEW_EXTENDED
from procedure.states import CaseState, Origin


class DocumentKind(models.TextChoices):
    TRANSFER_LETTER = "transfer_letter", _("Case transfer letter")
    EXECUTION_EXPLANATION = "execution_explanation", _("Explanation of the execution situation")
    EVIDENCE_LIST = "evidence_list", _("List of evidence materials")
    REGISTRATION_FORM = "registration_form", _("Case acceptance registration form")
    ACKNOWLEDGMENT = "acknowledgment", _("Acknowledgment of receipt")
    FILING_DECISION = "filing_decision", _("Decision to file the case")
    NON_FILING_NOTICE = "non_filing_notice", _("Notice of non-filing")
    WITHDRAWAL_NOTICE = "withdrawal_notice", _("Notice of case withdrawal")
    SUPERVISION_REQUEST = "supervision_request", _("Request for filing supervision")
    EXPLANATION_REQUEST = "explanation_request", _("Notice requiring reasons for non-filing")
    POLICE_EXPLANATION = "police_explanation", _("Explanation of reasons for non-filing")
    FILING_ORDER = "filing_order", _("Notice to file the case")
    PRIVATE_PROSECUTION_NOTICE = "private_prosecution_notice", _("Notice of the right to private prosecution")
    PRIVATE_ACCEPTANCE_NOTICE = "private_acceptance_notice", _("Notice of acceptance of private prosecution")
    LOCATE_REQUEST_LETTER = "locate_request_letter", _("Letter requesting help to locate a defendant")
    OBSTRUCTION_REFERRAL_LETTER = "obstruction_referral_letter", _("Referral of obstruction of enforcement")
    SETTLEMENT_RULING = "settlement_ruling", _("Ruling approving a settlement or withdrawal of a private prosecution")
    CORRECTION_NOTICE = "correction_notice", _("Notice to correct a violation")


# Short codes used in document numbers, e.g. 兴法移〔2026〕3号.
NUMBER_CODES = {
    DocumentKind.TRANSFER_LETTER: "移",
    DocumentKind.EXECUTION_EXPLANATION: "执说",
    DocumentKind.EVIDENCE_LIST: "证",
    DocumentKind.REGISTRATION_FORM: "受登",
    DocumentKind.ACKNOWLEDGMENT: "回执",
    DocumentKind.FILING_DECISION: "立",
    DocumentKind.NON_FILING_NOTICE: "不立",
    DocumentKind.WITHDRAWAL_NOTICE: "撤",
    DocumentKind.SUPERVISION_REQUEST: "监请",
    DocumentKind.EXPLANATION_REQUEST: "要说",
    DocumentKind.POLICE_EXPLANATION: "说",
    DocumentKind.FILING_ORDER: "通立",
    DocumentKind.PRIVATE_PROSECUTION_NOTICE: "自告",
    DocumentKind.PRIVATE_ACCEPTANCE_NOTICE: "自立",
    DocumentKind.LOCATE_REQUEST_LETTER: "协查",
    DocumentKind.OBSTRUCTION_REFERRAL_LETTER: "移纪",
    DocumentKind.SETTLEMENT_RULING: "刑自裁",
    DocumentKind.CORRECTION_NOTICE: "纠违",
}

# kind -> case position of the addressee; "transferring" is the court or procuratorate that transferred,
# "creditor" the applicant; None for a record kept by the issuer itself.
ADDRESSEE = {
    DocumentKind.TRANSFER_LETTER: "police_agency",
    DocumentKind.EXECUTION_EXPLANATION: "police_agency",
    DocumentKind.EVIDENCE_LIST: "police_agency",
    DocumentKind.REGISTRATION_FORM: None,
    DocumentKind.ACKNOWLEDGMENT: "transferring",
    DocumentKind.FILING_DECISION: "transferring",
    DocumentKind.NON_FILING_NOTICE: "transferring",
    DocumentKind.WITHDRAWAL_NOTICE: "transferring",
    DocumentKind.SUPERVISION_REQUEST: "procuratorate",
    DocumentKind.EXPLANATION_REQUEST: "police_agency",
    DocumentKind.POLICE_EXPLANATION: "procuratorate",
    DocumentKind.FILING_ORDER: "police_agency",
    DocumentKind.PRIVATE_PROSECUTION_NOTICE: "creditor",
    DocumentKind.PRIVATE_ACCEPTANCE_NOTICE: "creditor",
    DocumentKind.LOCATE_REQUEST_LETTER: "police_agency",
    DocumentKind.OBSTRUCTION_REFERRAL_LETTER: "record",
    # Art. 17, CPL Art. 212: the court (the filing division or the trial court that approves) rules on the
    # creditor's settlement or withdrawal.
    DocumentKind.SETTLEMENT_RULING: "creditor",
    DocumentKind.CORRECTION_NOTICE: "police_agency",
}

# kind -> the deadline the addressee must meet, opened by the same transition (procedure.md §4); the letter
# names its due date. The registration form records the police's own review period.
DEADLINE_OF_KIND = {
    DocumentKind.TRANSFER_LETTER: DeadlineKind.WRITTEN_RESPONSE,
    DocumentKind.REGISTRATION_FORM: DeadlineKind.FILING_REVIEW,
    DocumentKind.ACKNOWLEDGMENT: DeadlineKind.FILING_REVIEW,
    DocumentKind.EXPLANATION_REQUEST: DeadlineKind.POLICE_EXPLANATION,
    DocumentKind.FILING_ORDER: DeadlineKind.FILING_AFTER_ORDER,
    DocumentKind.PRIVATE_ACCEPTANCE_NOTICE: DeadlineKind.TRIAL,
}

# Kinds that list or count the transferred evidence materials (Art. 4).
EVIDENCE_KINDS = frozenset({
    DocumentKind.TRANSFER_LETTER,
    DocumentKind.EXECUTION_EXPLANATION,
    DocumentKind.EVIDENCE_LIST,
    DocumentKind.REGISTRATION_FORM,
    DocumentKind.ACKNOWLEDGMENT,
})

# Kinds issued by a sub-procedure rather than a transition; their text comes from the record.
RECORD_KINDS = frozenset({DocumentKind.LOCATE_REQUEST_LETTER, DocumentKind.OBSTRUCTION_REFERRAL_LETTER,
                          DocumentKind.CORRECTION_NOTICE})
# Kinds whose text quotes the note of the step that issues it (补充说明 / 备注 / Note): every letter of a
# transition but the evidence list, which only lists the materials.
QUOTES_NOTE = frozenset(DocumentKind) - {DocumentKind.EVIDENCE_LIST} - RECORD_KINDS

# Art. 18: the clue concerns an official; only the referring court and the receiver may read the letter.
CONFIDENTIAL_KINDS = frozenset({DocumentKind.OBSTRUCTION_REFERRAL_LETTER})

# What the letters cite about how the case came to the police (procedure.md §5): the executing court's transfer
# (Art. 3, accepted under Art. 5) or the procuratorate's own transfer of a case found in execution supervision
# (Art. 8 ¶3, which also says how the police accept it and decide on filing). A private prosecution has none.
TRANSFER_BASIS = {Origin.COURT: "Opinions Art. 3", Origin.PROCURATORATE: "Opinions Art. 8 ¶3"}
ACCEPTANCE_BASIS = {Origin.COURT: "Opinions Art. 5 ¶1", Origin.PROCURATORATE: "Opinions Art. 8 ¶3"}
FILING_BASIS = {Origin.COURT: "Opinions Art. 5 ¶2", Origin.PROCURATORATE: "Opinions Art. 8 ¶3"}
#: Art. 7: the police tell the executing court of a non-filing or withdrawal within seven days.
POLICE_DECISION_NOTICE_BASIS = {Origin.COURT: "Opinions Art. 7"}
#: Art. 8 ¶2: the police file on the procuratorate's notice to file; their decision cites that paragraph too.
FILING_ON_ORDER_BASIS = "Opinions Art. 8 ¶2"
#: Art. 12: the executing court tells the creditor of the right to a private prosecution on its own transfer (¶1),
#: the procuratorate on the case it transferred itself, once it found the police's reasons tenable (¶2).
PRIVATE_ADVICE_BASIS = {Origin.COURT: "Opinions Art. 12 ¶1", Origin.PROCURATORATE: "Opinions Art. 12 ¶2"}
#: Letters whose opening cites the Opinions in full on a case of these origins (the procuratorate's own transfer,
#: Art. 8 ¶3, is said at the start); their later citations name the Opinions by the short name 《意见》.
OPINIONS_NAMED_IN_OPENING = {
    DocumentKind.EXPLANATION_REQUEST: (Origin.PROCURATORATE,),
    DocumentKind.PRIVATE_PROSECUTION_NOTICE: (Origin.PROCURATORATE,),
}


def filing_basis(origin: str, from_state: str = "") -> str:
    """What a decision to file cites: Art. 5 ¶2 on the court's transfer, Art. 8 ¶3 on the procuratorate's, and
    Art. 8 ¶2 besides when the police file on the procuratorate's notice to file."""
    basis = FILING_BASIS.get(origin, "")
    if from_state == CaseState.FILING_ORDERED and basis:
        return f"{basis}, {FILING_ON_ORDER_BASIS.removeprefix('Opinions Art. ')}"
    return basis


def opinions_named_in_opening(kind: str, origin: str) -> bool:
    """Does the letter's opening already name the Opinions in full (so that later it writes 《意见》)?"""
    return origin in OPINIONS_NAMED_IN_OPENING.get(kind, ())


# kind -> the periods the letter states, by deadline kind (procedure.md §5: the transfer letter tells the police
# both the filing review and the written response; a trial period ends with the pronouncement of judgment).
LETTER_PERIODS = {
    DocumentKind.TRANSFER_LETTER: (DeadlineKind.FILING_REVIEW, DeadlineKind.WRITTEN_RESPONSE),
    DocumentKind.REGISTRATION_FORM: (DeadlineKind.FILING_REVIEW,),
    DocumentKind.ACKNOWLEDGMENT: (DeadlineKind.FILING_REVIEW,),
    DocumentKind.EXPLANATION_REQUEST: (DeadlineKind.POLICE_EXPLANATION,),
    DocumentKind.FILING_ORDER: (DeadlineKind.FILING_AFTER_ORDER,),
    DocumentKind.PRIVATE_ACCEPTANCE_NOTICE: (DeadlineKind.TRIAL,),
}
#: Art. 12 ¶1: the 30-day written response is owed on the executing court's transfer only.
PERIOD_ORIGINS = {DeadlineKind.WRITTEN_RESPONSE: (Origin.COURT,)}
#: The longer period a letter names beside the ordinary one (Art. 5 ¶2: 30 days for a major or complex case).
EXTENDED_PERIODS = {DeadlineKind.FILING_REVIEW: FILING_REVIEW_EXTENDED}
