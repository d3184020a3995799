"""What a person reads on the pages: the names of the steps, events, fields and records, and what happens next
in plain words. The forms and the presenters look them up; no rule lives here.
"""

from django.utils.translation import gettext_lazy as _

from procedure.states import CaseState

# What a person sees on the button and as the form's title, one per transition of procedure.md §3.
TRANSITION_LABELS = {
    "submit_transfer": _("Submit the transfer to the police"),
    "cancel": _("Cancel the draft"),
    "accept": _("Accept the transferred materials"),
    "extend_review": _("Extend the filing review to 30 days"),
    "file_case": _("File the case"),
    "decline_filing": _("Decline to file"),
    "withdraw_case": _("Withdraw the case"),
    "transfer_for_prosecution": _("Transfer for prosecution"),
    "request_supervision": _("Request procuratorial supervision"),
    "request_explanation": _("Require the police to explain"),
    "decline_supervision": _("Decline supervision"),
    "submit_explanation": _("Submit the explanation"),
    "accept_explanation": _("Accept the explanation"),
    "order_filing": _("Order the police to file"),
    "extend_prosecution_review": _("Extend the prosecution review by 15 days"),
    "return_for_supplementary_investigation": _("Return for supplementary investigation"),
    "resubmit_for_prosecution": _("Resubmit for prosecution"),
    "indict": _("Indict"),
    "decline_prosecution": _("Decline to prosecute"),
    "render_judgment": _("Render judgment"),
    "advise_private_prosecution": _("Advise the creditor to prosecute privately"),
    "file_private_prosecution": _("File the private prosecution"),
    "request_supplement": _("Ask for missing materials"),
    "accept_private_prosecution": _("Accept the private prosecution"),
    "reject_private_prosecution": _("Reject the private prosecution"),
    "reconcile": _("Record the reconciliation"),
    "withdraw_private_prosecution": _("Withdraw the private prosecution"),
}
# Timeline entries that are not transitions.
EVENT_LABELS = {
    **TRANSITION_LABELS,
    "create": _("Case created"),
    "add_evidence": _("Evidence material added"),
    "add_evidence_many": _("Evidence materials added"),
    # Sub-procedure records (workflow.records.services): they never change the state.
    "arrest_request": _("Arrest requested"),
    "decide_arrest_request": _("Arrest request decided"),
    "coercive_measure": _("Coercive measure taken"),
    "end_coercive_measure": _("Coercive measure ended"),
    "property_control": _("Property placed under control"),
    "release_property": _("Property released"),
    "hand_over_property": _("Property handed to the executing court"),
    "warning": _("Warning given to the debtor"),
    "performance": _("Performance recorded"),
    "evidence_copy_request": _("Evidence copies requested"),
    "answer_evidence_copy_request": _("Evidence copies provided"),
    "locate_request": _("Help to locate the defendant requested"),
    "answer_locate_request": _("Locate request answered"),
    "obstruction_referral": _("Obstruction of enforcement referred"),
    "acknowledge_obstruction_referral": _("Referral acknowledged"),
    "joint_meeting": _("Discussed at a joint meeting"),
}
# Steps that end or refuse something: shown apart from the steps that move the case forward.
REFUSING_TRANSITIONS = frozenset({
    "cancel", "decline_filing", "withdraw_case", "decline_supervision", "decline_prosecution",
    "reject_private_prosecution", "withdraw_private_prosecution",
})

FIELD_LABELS = {
    "note": _("Note (optional)"),
    "reason": _("Reason"),
    "explanation": _("Explanation: the circumstances, legal basis and reasons of the non-filing"),
    "trial_court": _("Trial court"),
    "jurisdiction_reason": _("Reason for a court of another region (Art. 2)"),
    "custody": _("Is the suspect in custody?"),
    "outcome": _("Outcome"),
    "sentence": _("Sentence"),
    "missing": _("Missing materials"),
    "terms": _("Terms of the reconciliation"),
}
# A more precise label for "reason" where the law asks for something specific.
REASON_LABELS = {
    "cancel": _("Why the draft is cancelled (e.g. the debtor performed after a warning)"),
    "extend_review": _("Why the case is major or complex (Art. 5 ¶2)"),
    "decline_filing": _("Reasons for not filing (Art. 5 ¶2, Art. 7)"),
    "withdraw_case": _("Reasons for the withdrawal (Art. 7)"),
    "request_supervision": _("Why the procuratorate should supervise (Art. 7)"),
    "decline_supervision": _("Why there is no ground to supervise"),
    "accept_explanation": _("Why the police's reasons hold"),
    "order_filing": _("Why the police's reasons do not hold (Art. 8 ¶2)"),
    "extend_prosecution_review": _("Why the case is major or complex (CPL Art. 172)"),
    "return_for_supplementary_investigation": _("What must be investigated further (CPL Art. 175)"),
    "decline_prosecution": _("Reasons for not prosecuting"),
    "reject_private_prosecution": _("Reasons for not accepting (Art. 14)"),
}
# Transitions whose note is written to the creditor (Art. 13: what the filing division asks for).
NOTE_FOR_CREDITOR = frozenset({"request_supplement"})
HELP_TEXTS = {
    "custody": _("Leave unchanged if it has not changed; some periods depend on it."),
    "jurisdiction_reason": _("Needed only if the court is not of the executing court's region."),
    "note": _("Kept in the case history; not shown to the creditor."),
}

# The sub-procedure records a page adds, and the answers a page gives (copies of evidence have their own forms on
# the case page).
RECORD_LABELS = {
    "arrest_request": _("Request approval of an arrest"),
    "coercive_measure": _("Record a coercive measure"),
    "property_control": _("Seize, distrain or freeze property"),
    "warning": _("Record a warning to the debtor"),
    "performance": _("Record performance by the debtor"),
    "locate_request": _("Ask the police to locate the defendant"),
    "obstruction_referral": _("Refer obstruction by an official"),
}
ANSWER_LABELS = {
    "decide_arrest_request": _("Decide on the arrest"),
    "end_coercive_measure": _("End the measure"),
    "release_property": _("Release the property"),
    "hand_over_property": _("Hand over to the executing court"),
    "answer_locate_request": _("Answer the locate request"),
    "acknowledge_obstruction_referral": _("Acknowledge the referral"),
}
RECORD_FIELD_LABELS = {
    "grounds": _("Grounds for the arrest"),
    "suspect_name": _("Suspect (empty: the debtor)"),
    "custody": _("Is the suspect held now?"),
    "legal_basis": _("Legal basis"),
    "person_name": _("Person (empty: the debtor)"),
    "taken_on": _("Taken on"),
    "place": _("Place"),
    "note": _("Note"),
    "arrest_request": _("The approved arrest request it carries out"),
    "measure": _("Measure"),
    "location": _("Where"),
    "amount": _("Amount or value (yuan)"),
    "controlled_on": _("Controlled on"),
    "content": _("What the debtor was told"),
    "warned_on": _("Warned on"),
    "performance_due": _("Perform by"),
    "performed_on": _("Performed on"),
    "warning": _("After the warning of"),
    "police_agency": _("Police agency asked"),
    "defendant_name": _("Defendant (empty: the debtor)"),
    "last_known_address": _("Last known address"),
    "receiver": _("Refer to"),
    "official_name": _("Official"),
    "official_position": _("Position and organ"),
    "conduct": _("How enforcement was obstructed"),
    "decision": _("Decision"),
    "reason": _("Reason"),
    "ended_on": _("Ended on"),
    "released_on": _("Released on"),
    "handed_on": _("Handed over on"),
    "result": _("Result"),
    "detail": _("Where the defendant is"),
}
RECORD_HELP = {
    "custody": _("Some periods are counted differently while the person is held."),
    "police_agency": _("Empty: the case's police agency."),
}
# Labels that depend on the record: "kind" and "description" mean different things.
RECORD_FIELD_LABELS_BY_RECORD = {
    ("coercive_measure", "kind"): _("Measure"),
    ("performance", "kind"): _("Payment or delivery"),
    ("property_control", "description"): _("Property"),
    ("performance", "description"): _("Description"),
    ("decide_arrest_request", "reason"): _("Reasons (required for a denial)"),
    ("answer_locate_request", "detail"): _("Where the defendant is (required when located)"),
}

# What happens next, in plain words, for each state (procedure.md §3, §4); the deadline says by when.
NEXT_STEP = {
    CaseState.DRAFT: _(
        "The transfer is being prepared: the five kinds of evidence of Art. 4 must be attached before it is "
        "submitted to the police."),
    CaseState.TRANSFERRED: _(
        "The police must accept the materials (Art. 5) and answer in writing within 30 days of receiving them "
        "(Art. 12)."),
    CaseState.FILING_REVIEW: _(
        "The police are deciding whether to file the case: within 7 days, or 30 days if extended for a major "
        "or complex case (Art. 5)."),
    CaseState.INVESTIGATING: _(
        "The police are investigating; when they have finished they send the case to the procuratorate for "
        "prosecution."),
    CaseState.NOT_FILED: _(
        "The police declined to file. The transferring organ may ask the procuratorate to supervise (Art. 7) "
        "or tell the creditor of the right to a private prosecution (Art. 12)."),
    CaseState.WITHDRAWN: _(
        "The police withdrew the case. The transferring organ may ask the procuratorate to supervise (Art. 7) "
        "or tell the creditor of the right to a private prosecution (Art. 12)."),
    CaseState.SUPERVISION_REQUESTED: _(
        "The procuratorate decides whether to require the police to explain why they did not file (Art. 8)."),
    CaseState.EXPLANATION_REQUESTED: _(
        "The police must explain in writing why they did not file, within 7 days (Art. 8)."),
    CaseState.EXPLANATION_REVIEW: _(
        "The procuratorate weighs the police's explanation; if the reasons do not hold, the procurator-general "
        "orders the police to file (Art. 8)."),
    CaseState.SUPERVISION_CLOSED: _(
        "Supervision is closed. The creditor may be told of the right to a private prosecution (Art. 12)."),
    CaseState.FILING_ORDERED: _("The police must file the case within 15 days of the order (Art. 8)."),
    CaseState.PROSECUTION_REVIEW: _(
        "The procuratorate decides whether to prosecute: within one month, extendable once by 15 days."),
    CaseState.SUPPLEMENTARY_INVESTIGATION: _(
        "The police investigate further and send the case back within one month."),
    CaseState.NOT_PROSECUTED: _(
        "The procuratorate decided not to prosecute. The creditor may be told of the right to a private "
        "prosecution (Art. 12)."),
    CaseState.TRIAL: _("The court tries the case and renders judgment."),
    CaseState.JUDGED: _("Judgment has been rendered; the case is closed."),
    CaseState.CANCELLED: _("The draft was cancelled before transfer; the case is closed."),
    CaseState.PRIVATE_PROSECUTION_ADVISED: _(
        "The creditor may bring a private prosecution before the court with the five required materials of "
        "Art. 13."),
    CaseState.PRIVATE_FILING_REVIEW: _(
        "The court's filing division reviews the private prosecution within 15 days; it may ask for missing "
        "materials."),
    CaseState.PRIVATE_TRIAL: _(
        "The court tries the private prosecution. Until judgment the parties may reconcile or the creditor may "
        "withdraw (Art. 17)."),
    CaseState.PRIVATE_REJECTED: _("The court did not accept the private prosecution; the case is closed."),
    CaseState.RECONCILED: _("The parties reconciled; the case is closed."),
    CaseState.PRIVATE_WITHDRAWN: _("The private prosecution was withdrawn; the case is closed."),
}
CREDITOR_DRAFT_STEP = _(
    "You are preparing a private prosecution: attach the five required materials of Art. 13, then file it with "
    "the court.")
