"""The text of every notification, keyed by text id, and its rendering in the reader's language.

A text is a (title, body) pair of lazily translated formats. A notification stores its text id and parameters;
``render`` fills them in in the language of whoever reads it, when they read it (api.md: never frozen in the
writer's language), naming deadline kinds, evidence categories, legal bases, states and transitions (stored as
their codes) in that language too.
"""

import logging
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from documents.amounts import yuan
from procedure.basis import basis_text, joined
from procedure.deadlines import DeadlineKind
from procedure.guidance import NEXT_STEP
from procedure.notices import creditor_step
from procedure.states import CaseState, EvidenceCategory
from procedure.transitions import TRANSITIONS

log = logging.getLogger(__name__)

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
        _("%(debtor)s has performed in case %(number)s: %(amount)s recovered of %(owed)s."),
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
    # Who hears of what (procedure.notices.audiences).
    "case_decision": (
        _("%(news)s Case %(number)s"),
        _("Case %(number)s (debtor %(debtor)s), by %(sender)s: %(news)s The case is now: %(state)s."),
    ),
    "filing_ordered": (
        _("Order to file: case %(number)s"),
        _("%(sender)s found the reasons for not filing case %(number)s (debtor %(debtor)s) untenable and orders "
          "your agency to file it within 15 days of receiving the notice (Opinions Art. 8)."),
    ),
    "supplementary_investigation_returned": (
        _("Returned for supplementary investigation: case %(number)s"),
        _("%(sender)s returned case %(number)s (debtor %(debtor)s) for supplementary investigation. Complete it "
          "and resubmit the case within one month (CPL Art. 175)."),
    ),
    "non_filing_in_region": (
        _("To supervise: %(news)s Case %(number)s"),
        _("Case %(number)s (debtor %(debtor)s), by %(sender)s: %(news)s The procuratorate supervises the police's "
          "non-filing and withdrawals (Opinions Art. 8; CPL Art. 113)."),
    ),
    "next_act": (
        _("Your turn: %(news)s Case %(number)s"),
        _("Case %(number)s (debtor %(debtor)s), by %(sender)s: %(news)s %(next)s"),
    ),
    "private_prosecution_ended": (
        _("%(news)s Case %(number)s"),
        _("Case %(number)s (debtor %(debtor)s): %(news)s (Opinions Art. 17)"),
    ),
    "case_news": (
        _("Your case %(number)s: %(state)s"),
        _("%(news)s %(step)s"),
    ),
    # procedure.md §3 "Approvals": ``proposed`` is the proposed transition, by its label in the reader's language.
    "approval_requested": (
        _("Approval requested: case %(number)s"),
        _("%(proposer)s proposes: %(proposed)s, in case %(number)s (debtor %(debtor)s). Approve or refuse it in "
          "your inbox."),
    ),
    "approval_granted": (
        _("Proposal approved: case %(number)s"),
        _("%(approver)s approved your proposal in case %(number)s (debtor %(debtor)s): %(proposed)s. It has taken "
          "effect."),
    ),
    "approval_refused": (
        _("Proposal refused: case %(number)s"),
        _("%(approver)s refused your proposal in case %(number)s (debtor %(debtor)s): %(proposed)s. Reason: "
          "%(reason)s"),
    ),
    "approval_lapsed": (
        _("Proposal lapsed: case %(number)s"),
        _("Your proposal in case %(number)s (debtor %(debtor)s), %(proposed)s, lapsed undecided: the case has moved "
          "on to another stage."),
    ),
    **RECORD_TEXTS,
}

# What happened, in plain words, by transition name (the news of "case_decision" and "case_news").
NEWS = {
    "submit_transfer": _("The case has been transferred to the police."),
    "cancel": _("The transfer was cancelled before it was sent."),
    "accept": _("The police have accepted the transfer of the case."),
    "file_case": _("The police have filed the case for investigation."),
    "decline_filing": _("The police have decided not to file the case."),
    "withdraw_case": _("The police have withdrawn the case."),
    "transfer_for_prosecution": _("The police have sent the case to the procuratorate for prosecution."),
    "request_supervision": _("The court has asked the procuratorate to supervise the police's decision."),
    "request_explanation": _("The procuratorate has required the police to explain their decision."),
    "decline_supervision": _("The procuratorate has found no ground to supervise the police's decision."),
    "submit_explanation": _("The police have explained their decision to the procuratorate."),
    "accept_explanation": _("The procuratorate has found the police's reasons tenable."),
    "order_filing": _("The procuratorate has ordered the police to file the case."),
    "return_for_supplementary_investigation": _(
        "The procuratorate has returned the case to the police for supplementary investigation."),
    "resubmit_for_prosecution": _("The police have sent the case back to the procuratorate after supplementary "
                                  "investigation."),
    "indict": _("The procuratorate has indicted the debtor before the court."),
    "decline_prosecution": _("The procuratorate has decided not to prosecute."),
    "render_judgment": _("The court has pronounced judgment."),
    "advise_private_prosecution": _("You have been told of the right to bring a private prosecution."),
    "file_private_prosecution": _("A private prosecution has been filed with the court."),
    "accept_private_prosecution": _("The court has accepted the private prosecution."),
    "reject_private_prosecution": _("The court has not accepted the private prosecution."),
    "reconcile": _("The parties have reconciled; the private prosecution ends."),
    "withdraw_private_prosecution": _("The private prosecution has been withdrawn."),
}
NEWS_OTHER = _("The case has moved on.")


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


@cache
def _vocabulary(kind: str, code: str, language: str) -> str:
    """A state's label, the news of a transition or the creditor's next step in a state, in ``language``."""
    with translation.override(language):
        if kind == "state":
            return str(CaseState(code).label) if code in CaseState.values else code
        if kind == "step":
            return str(creditor_step(code))
        if kind == "next":
            return str(NEXT_STEP.get(code, ""))
        return str(NEWS.get(code, NEWS_OTHER))


def _transition_label(name: str, language: str) -> str:
    with translation.override(language):
        return str(TRANSITIONS[name].label)


def render(text_id: str, language: str, params: dict) -> tuple[str, str]:
    """Title and body of a notification in ``language``; the deadline kind (``deadline_kind``), evidence
    categories (``categories``), legal basis (``basis``), state (``state``) and transition (``transition``: its news,
    and as ``proposed`` its label) named in params by their codes are given in that language too."""
    title, body = _formats(text_id, language)
    shown = dict(params)
    if params.get("transition") in TRANSITIONS:
        shown["proposed"] = _transition_label(params["transition"], language)
    if "deadline_kind" in params:
        shown["deadline"] = _deadline_label(params["deadline_kind"], language)
    if params.get("basis"):
        shown["basis"] = basis_text(params["basis"], language)
    if "categories" in params:
        shown["missing"] = joined((_category_label(c, language) for c in params["categories"]), language)
    for key in ("amount", "owed"):
        if key in params:
            shown[key] = yuan(params[key])
    if "state" in params:
        shown["state"] = _vocabulary("state", params["state"], language)
        shown["step"] = _vocabulary("step", params["state"], language)
        shown["next"] = _vocabulary("next", params["state"], language)
    if "transition" in params:
        shown["news"] = _vocabulary("news", params["transition"], language)
    return title % shown, (body % shown).strip()


def reader_language(language: str | None) -> str:
    """One of the interface's languages for a language code (``en-us`` reads English)."""
    return "en" if (language or "").startswith("en") else settings.LANGUAGE_CODE


def shown(notification, language: str) -> tuple[str, str]:
    """The title and body of a stored notification for a reader of ``language``: rendered from its text id and
    parameters; a notification written before those were stored (or whose text is gone) shows its stored text."""
    if notification.text_id in TEXTS:
        try:
            return render(notification.text_id, reader_language(language), notification.params or {})
        except (KeyError, TypeError, ValueError):
            log.warning("notification %s: stored parameters do not fit its text", notification.id)
    return notification.title, notification.body
