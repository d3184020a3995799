"""The text of every notification, keyed by text id, and its rendering in the reader's language.

A text is a (title, body) pair of lazily translated formats; ``render`` fills in the parameters of one event in
the recipient's language when the notification is written, naming deadline kinds, evidence categories and
legal bases in that language too.
"""

from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from procedure.basis import basis_text
from procedure.states import DeadlineKind, EvidenceCategory

# Sub-procedure records (workflow.records.services): keyed by the record's action or its answer, which is also
# the notification's kind.
RECORD_TEXTS = {
    "arrest_request": (
        _("Arrest review requested: case %(number)s"),
        _("%(sender)s asks your procuratorate to approve the arrest of %(debtor)s in case %(number)s. Decide "
          "within 7 days (CPL Art. 91)."),
    ),
    "decide_arrest_request": (
        _("Arrest request decided: case %(number)s"),
        _("%(sender)s has decided on the arrest request in case %(number)s (debtor %(debtor)s)."),
    ),
    "property_control": (
        _("Property placed under control: case %(number)s"),
        _("%(sender)s has seized, distrained or frozen property of %(debtor)s in case %(number)s."),
    ),
    "release_property": (
        _("Property released: case %(number)s"),
        _("%(sender)s has released property it controlled in case %(number)s (debtor %(debtor)s)."),
    ),
    "hand_over_property": (
        _("Property handed to the executing court: case %(number)s"),
        _("%(sender)s has handed controlled property of %(debtor)s in case %(number)s to the executing court."),
    ),
    "performance": (
        _("Performance recorded: case %(number)s"),
        _("%(debtor)s has performed in case %(number)s: %(amount)s yuan recovered of %(owed)s."),
    ),
    "evidence_copy_request": (
        _("Evidence copies requested: case %(number)s"),
        _("%(creditor)s, the private prosecutor in case %(number)s, asks for copies of the evidence fixed in "
          "enforcement. Provide them promptly (Opinions Art. 15)."),
    ),
    "answer_evidence_copy_request": (
        _("Evidence copies provided: case %(number)s"),
        _("%(sender)s has answered your request for evidence copies in case %(number)s; the materials shared "
          "can be downloaded from the case."),
    ),
    "locate_request": (
        _("Help to locate a defendant: case %(number)s"),
        _("%(sender)s asks your agency to locate the defendant %(debtor)s of case %(number)s, whose "
          "whereabouts are unknown (Opinions Art. 16)."),
    ),
    "answer_locate_request": (
        _("Locate request answered: case %(number)s"),
        _("%(sender)s has answered the request to locate the defendant %(debtor)s of case %(number)s."),
    ),
    "obstruction_referral": (
        _("Obstruction of enforcement referred: case %(number)s"),
        _("%(sender)s refers to your agency a clue that a state-organ worker used power to obstruct "
          "enforcement (Opinions Art. 18). Acknowledge receipt."),
    ),
    "acknowledge_obstruction_referral": (
        _("Referral acknowledged: case %(number)s"),
        _("%(sender)s has acknowledged the referral you sent in case %(number)s."),
    ),
    "supervision_complaint": (
        _("Supervision complaint: case %(number)s"),
        _("%(creditor)s, the creditor in case %(number)s (debtor %(debtor)s), asks your procuratorate to "
          "supervise the police's refusal to file or withdrawal (CPL Art. 113). Answer by requiring the police to "
          "explain, or refuse in writing with reasons."),
    ),
    "answer_supervision_complaint": (
        _("Your supervision complaint was answered: case %(number)s"),
        _("%(sender)s has answered your supervision complaint in case %(number)s; the answer and its reasons are "
          "on the case."),
    ),
    "correction_notice": (
        _("Correction notice: case %(number)s"),
        _("%(sender)s notifies your agency to correct its failure to act within the period in case %(number)s "
          "(debtor %(debtor)s) and to reply in writing (CPL Art. 113; Opinions Art. 8)."),
    ),
    "reply_correction_notice": (
        _("Correction notice answered: case %(number)s"),
        _("%(sender)s has replied to the correction notice in case %(number)s (debtor %(debtor)s)."),
    ),
}

# text id -> (title, body): every notification's text, rendered in the recipient's language when it is written.
TEXTS = {
    # Deadlines (the sweep).
    "deadline_warning": (
        _("Deadline approaching: %(deadline)s, case %(number)s"),
        _("The %(deadline)s period of case %(number)s (debtor %(debtor)s), owed by %(agency)s, ends on %(due)s. "
          "Basis: %(basis)s."),
    ),
    "deadline_overdue": (
        _("Overdue: %(deadline)s, case %(number)s"),
        _("The %(deadline)s period of case %(number)s (debtor %(debtor)s), owed by %(agency)s, ended on %(due)s "
          "without the required act. Basis: %(basis)s."),
    ),
    "deadline_escalated_head": (
        _("Escalated: %(deadline)s overdue, case %(number)s"),
        _("%(agency)s let the %(deadline)s period of case %(number)s (debtor %(debtor)s) end on %(due)s without "
          "the required act. It is brought to you as a head of the agency. Basis: %(basis)s."),
    ),
    "deadline_escalated_supervision": (
        _("Escalated: %(deadline)s overdue, case %(number)s"),
        _("%(agency)s let the %(deadline)s period of case %(number)s (debtor %(debtor)s) end on %(due)s without "
          "the required act. It is brought to the procuratorate of the region for supervision (Opinions Art. 8). "
          "Basis: %(basis)s."),
    ),
    "deadline_awaited": (
        _("Still waiting: %(deadline)s, case %(number)s"),
        _("%(agency)s owed the act of the %(deadline)s period of case %(number)s (debtor %(debtor)s) by %(due)s "
          "and has not done it. Basis: %(basis)s."),
    ),
    "written_response_awaited": (
        _("No written response: case %(number)s"),
        _("%(agency)s has not answered the transfer of case %(number)s (debtor %(debtor)s) in writing within "
          "30 days; the period ended on %(due)s. Opinions Art. 12: the creditor may now be advised of the right "
          "to bring a private prosecution."),
    ),
    # Transitions that tell another organ (the notices of procedure.transitions).
    "transfer_received": (
        _("Transfer received: case %(number)s"),
        _("%(sender)s transferred case %(number)s (debtor %(debtor)s) to your agency. Accept the materials "
          "(Opinions Art. 5) and answer in writing within 30 days (Opinions Art. 12)."),
    ),
    "explanation_requested": (
        _("Explanation requested: case %(number)s"),
        _("%(sender)s requires your agency to explain in writing, within 7 days of receiving the notice, why "
          "case %(number)s (debtor %(debtor)s) was not filed or was withdrawn (Opinions Art. 8)."),
    ),
    "supervision_requested": (
        _("Supervision requested: case %(number)s"),
        _("%(sender)s asks your procuratorate to supervise the police's decision in case %(number)s "
          "(debtor %(debtor)s) (Opinions Art. 7)."),
    ),
    "private_prosecution_filed": (
        _("Private prosecution filed: case %(number)s"),
        _("%(creditor)s filed a private prosecution against %(debtor)s in case %(number)s. Review it within "
          "15 days (Opinions Art. 13, 14)."),
    ),
    "supplement_requested": (
        _("Materials missing: case %(number)s"),
        _("%(sender)s asks you to supplement the private prosecution in case %(number)s with: %(missing)s "
          "(Opinions Art. 13)."),
    ),
    **RECORD_TEXTS,
}


def language_of(user) -> str:
    """The language a user reads notifications in."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


@cache
def _formats(text_id: str, language: str) -> tuple[str, str]:
    title, body = TEXTS[text_id]
    with translation.override(language):
        return str(title), str(body)


@cache
def _deadline_label(kind: str, language: str) -> str:
    with translation.override(language):
        return str(DeadlineKind(kind).label)


@cache
def _category_label(category: str, language: str) -> str:
    try:
        label = EvidenceCategory(category).label
    except ValueError:
        return category
    with translation.override(language):
        return str(label)


def render(text_id: str, language: str, params: dict) -> tuple[str, str]:
    """Title and body of a notification in ``language``; the deadline kind (``deadline_kind``), evidence
    categories (``categories``) and legal basis (``basis``) named in params are given in that language too."""
    title, body = _formats(text_id, language)
    if "deadline_kind" in params:
        params = {**params, "deadline": _deadline_label(params["deadline_kind"], language)}
    if params.get("basis"):
        params = {**params, "basis": basis_text(params["basis"], language)}
    if "categories" in params:
        params = {**params, "missing": ", ".join(_category_label(c, language) for c in params["categories"])}
    return title % params, body % params
