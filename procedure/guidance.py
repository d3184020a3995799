"""What happens next in each state, in plain words (procedure.md §3, §4); the deadline says by when."""

from django.utils.translation import gettext_lazy

from procedure.states import CaseState, EvidenceCategory, Origin

NEXT_STEP = {
    CaseState.DRAFT: gettext_lazy(
        "The transfer is being prepared: the five kinds of evidence of Art. 4 must be attached before it is "
        "submitted to the police."),
    CaseState.TRANSFERRED: gettext_lazy(
        "The police must accept the materials (Art. 5) and answer in writing within 30 days of receiving them "
        "(Art. 12)."),
    CaseState.FILING_REVIEW: gettext_lazy(
        "The police are deciding whether to file the case: within 7 days, or 30 days if extended for a major "
        "or complex case (Art. 5)."),
    CaseState.INVESTIGATING: gettext_lazy(
        "The police are investigating; when they have finished they send the case to the procuratorate for "
        "prosecution."),
    CaseState.NOT_FILED: gettext_lazy(
        "The police declined to file. The procuratorate may require them to explain, on its own or on the "
        "creditor's complaint (CPL Art. 113); the executing court may ask it to supervise (Art. 7) or tell the "
        "creditor of the right to a private prosecution (Art. 12)."),
    CaseState.WITHDRAWN: gettext_lazy(
        "The police withdrew the case. The procuratorate may require them to explain, on its own or on the "
        "creditor's complaint (CPL Art. 113); the executing court may ask it to supervise (Art. 7) or tell the "
        "creditor of the right to a private prosecution (Art. 12)."),
    CaseState.SUPERVISION_REQUESTED: gettext_lazy(
        "The procuratorate decides whether to require the police to explain why they did not file (Art. 8)."),
    CaseState.EXPLANATION_REQUESTED: gettext_lazy(
        "The police must explain in writing why they did not file, within 7 days (Art. 8). If they let the period "
        "pass, the procurator-general may order them to file and the procurator notifies them to correct it."),
    CaseState.EXPLANATION_REVIEW: gettext_lazy(
        "The procuratorate weighs the police's explanation; if the reasons do not hold, the procurator-general "
        "orders the police to file (Art. 8)."),
    CaseState.SUPERVISION_CLOSED: gettext_lazy(
        "Supervision is closed. The creditor may be told of the right to a private prosecution (Art. 12)."),
    CaseState.FILING_ORDERED: gettext_lazy(
        "The police must file the case within 15 days of the order (Art. 8); past them the procurator notifies "
        "them to correct it."),
    CaseState.PROSECUTION_REVIEW: gettext_lazy(
        "The procuratorate decides whether to prosecute: within one month, extendable once by 15 days."),
    CaseState.SUPPLEMENTARY_INVESTIGATION: gettext_lazy(
        "The police investigate further and send the case back within one month."),
    CaseState.NOT_PROSECUTED: gettext_lazy(
        "The procuratorate decided not to prosecute. The creditor may be told of the right to a private "
        "prosecution (Art. 12)."),
    CaseState.TRIAL: gettext_lazy("The court tries the case and renders judgment."),
    CaseState.JUDGED: gettext_lazy("Judgment has been rendered; the case is closed."),
    CaseState.CANCELLED: gettext_lazy("The draft was cancelled before transfer; the case is closed."),
    CaseState.PRIVATE_PROSECUTION_ADVISED: gettext_lazy(
        "The creditor may bring a private prosecution before the court with the five required materials of "
        "Art. 13."),
    CaseState.PRIVATE_FILING_REVIEW: gettext_lazy(
        "The court's filing division reviews the private prosecution within 15 days; it may ask for missing "
        "materials."),
    CaseState.PRIVATE_TRIAL: gettext_lazy(
        "The court tries the private prosecution. Until judgment the parties may reconcile or the creditor may "
        "withdraw (Art. 17)."),
    CaseState.PRIVATE_REJECTED: gettext_lazy("The court did not accept the private prosecution; the case is closed."),
    CaseState.RECONCILED: gettext_lazy("The parties reconciled; the case is closed."),
    CaseState.PRIVATE_WITHDRAWN: gettext_lazy("The private prosecution was withdrawn; the case is closed."),
}
CREDITOR_DRAFT_STEP = gettext_lazy(
    "You are preparing a private prosecution: attach the five required materials of Art. 13, then file it with "
    "the court.")


def next_step(case) -> str:
    """The next step of the case in plain words; a creditor's own draft is a private prosecution being prepared."""
    if case.state == CaseState.DRAFT and case.origin == Origin.CREDITOR:
        return str(CREDITOR_DRAFT_STEP)
    return str(NEXT_STEP[case.state])


#: When a creditor may bring a private prosecution (CPL Art. 210 (3); Opinions Art. 11, 12), in plain words.
PRIVATE_PROSECUTION_WHEN = gettext_lazy(
    "You may take the debtor to court yourself (a private prosecution) only when two things are both true: the "
    "debtor refuses to carry out the judgment or ruling, harming your rights, in a way that is a crime; and the "
    "public route has failed you: the police would not take your complaint, gave you no written answer within 30 "
    "days of taking it, decided not to open a case or dropped it, or the procuratorate decided not to prosecute "
    "(Criminal Procedure Law Art. 210 (3); Opinions Art. 11). If the court or procuratorate told you in writing "
    "that you may prosecute yourself (Opinions Art. 12), that notice says which of these happened.")
#: What counts as proof that the public route failed (Opinions Art. 13 (5)).
PUBLIC_ROUTE_FAILED_PROOF = gettext_lazy(
    "What counts: the notice of non-filing (不予立案通知书) or of case withdrawal (撤销案件决定书) the police gave you, "
    "the procuratorate's decision not to prosecute (不起诉决定书), or, when the police would not take your complaint "
    "or never answered, proof that you sent it to them and when (for example the postal receipt), with a short "
    "account of what happened since.")

#: Each origin in plain words, for the people the legal term alone tells little (procedure.md §2).
ORIGIN_EXPLAINED = {
    Origin.COURT: gettext_lazy(
        "The court enforcing the judgment found that the debtor may be refusing to carry it out and sent the case "
        "to the police (Opinions Art. 3)."),
    Origin.PROCURATORATE: gettext_lazy(
        "The procuratorate found the refusal while supervising the enforcement and sent the case to the police "
        "(Opinions Art. 8 ¶3)."),
    Origin.CREDITOR: gettext_lazy(
        "You, the creditor, take the debtor to court yourself, without the police (Opinions Art. 11)."),
}

#: The private prosecution materials in plain words (Opinions Art. 13), shown beside each item of the checklist.
CATEGORY_EXPLAINED = {
    EvidenceCategory.COMPLAINT: gettext_lazy(
        "Your written complaint to the court: who the debtor is, what they did to avoid paying, your evidence and "
        "what you ask the court to decide."),
    EvidenceCategory.ACCUSER_IDENTITY: gettext_lazy(
        "Your ID card or business licence; if a relative or legal representative files for you, proof of that "
        "relationship and of why you cannot file yourself."),
    EvidenceCategory.EXECUTION_BASIS: gettext_lazy(
        "The judgment or ruling being enforced and the court's notice that it accepted your enforcement case."),
    EvidenceCategory.REFUSAL_EVIDENCE: gettext_lazy(
        "Evidence that the debtor must pay or perform, could do so, and refused: for example property records, "
        "the enforcement court's records of evasion."),
    EvidenceCategory.PUBLIC_ROUTE_FAILED: PUBLIC_ROUTE_FAILED_PROOF,
}
