"""What a person reads on the pages: the names of the steps, events, fields and records, and what happens next
in plain words. The forms and the presenters look them up; no rule lives here.
"""

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from procedure.basis import joined
from procedure.disclosure import Readers
from procedure.letters import DocumentKind
from procedure.positions import CREDITOR, EXECUTING_COURT, POLICE, PROCURATORATE, TRIAL_COURT
from procedure.transitions import TRANSITIONS

# What a person sees on the button and as the form's title, one per transition of procedure.md §3.
TRANSITION_LABELS = {name: row.label for name, row in TRANSITIONS.items()}
# Timeline entries that are not transitions.
EVENT_LABELS = {
    **TRANSITION_LABELS,
    "create": _("Case created"),
    "add_evidence": _("Evidence material added"),
    "add_evidence_many": _("Evidence materials added"),
    "remove_evidence": _("Evidence material removed from the draft"),
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
    # procedure.md §3 "Approvals" (workflow.cases.proposals): a step proposed, or the proposal refused.
    "propose": _("Proposed for approval"),
    "refuse_proposal": _("Proposal refused"),
}

FIELD_LABELS = {
    "note": _("Note (optional)"),
    "reason": _("Reason"),
    "explanation": _("Explanation: the circumstances, legal basis and reasons of the non-filing"),
    "trial_court": _("Trial court"),
    "jurisdiction_reason": _("Reason for a court of another region (Art. 2)"),
    "received_on": _("Day the materials were received"),
    "outcome": _("Outcome"),
    "sentence": _("Sentence"),
    "missing": _("Missing materials"),
    "terms": _("Terms of the reconciliation"),
}
HELP_TEXTS = {
    "received_on": _("Empty: today. The police's periods run from this day (Art. 12)."),
    "jurisdiction_reason": _("Needed only if the court is not of the executing court's region."),
}

# Who reads a field, in words (procedure.disclosure decides who): the case's positions and the letters' addressees.
READER_NAMES = {
    EXECUTING_COURT: _("the executing court"),
    POLICE: _("the police"),
    PROCURATORATE: _("the procuratorate"),
    TRIAL_COURT: _("the trial court"),
    CREDITOR: _("the creditor (applicant for execution)"),
}
ADDRESSEE_NAMES = {
    **READER_NAMES,
    "transferring": _("the court or procuratorate that transferred the case"),
    CREDITOR: _("the creditor"),
}


def readers_help(readers: Readers, *, creditor_reads_it: bool = False) -> str:
    """Who sees a field, in the page's language: the case's agencies and the creditor that see it on the case, and
    each letter that prints it with its addressee. `creditor_reads_it`: the person filling in the form is the
    creditor, who is named "you"."""
    language = translation.get_language() or ""
    positions = sorted(readers.positions, key=lambda position: not (position == CREDITOR and creditor_reads_it))
    names = [gettext("you") if position == CREDITOR and creditor_reads_it else str(READER_NAMES[position])
             for position in positions]
    parts = [gettext("Seen by: %(who)s.") % {"who": joined(names, language)}]
    if not readers.creditor:
        parts.append(gettext("Your case page does not show it back to you.") if creditor_reads_it
                     else gettext("Not shown to the creditor."))
    letters = []
    for kind, addressee in readers.addressees():
        name = str(DocumentKind(kind).label)
        if addressee in ADDRESSEE_NAMES:
            who = gettext("you") if addressee == CREDITOR and creditor_reads_it else str(ADDRESSEE_NAMES[addressee])
            letters.append(gettext("%(letter)s (to %(addressee)s)") % {"letter": name, "addressee": who})
        else:
            letters.append(gettext("%(letter)s (kept on file)") % {"letter": name})
    if letters:
        parts.append(gettext("Printed word for word in: %(letters)s.") % {"letters": joined(letters, language)})
    return " ".join(parts) if not language.startswith("zh") else "".join(parts)

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
    "supervision_complaint": _("Ask the procuratorate to supervise the police"),
    "correction_notice": _("Notify the police to correct a missed period"),
}
ANSWER_LABELS = {
    "decide_arrest_request": _("Decide on the arrest"),
    "end_coercive_measure": _("End the measure"),
    "release_property": _("Release the property"),
    "hand_over_property": _("Hand over to the executing court"),
    "answer_locate_request": _("Answer the locate request"),
    "acknowledge_obstruction_referral": _("Acknowledge the referral"),
    "extend_detention": _("Extend the detention period"),
    "answer_supervision_complaint": _("Answer the complaint"),
    "reply_correction_notice": _("Reply to the correction notice"),
}
RECORD_FIELD_LABELS = {
    "grounds": _("Grounds for the arrest"),
    "suspect_name": _("Suspect (empty: the debtor)"),
    "detained": _("Is the suspect held under a detention now?"),
    "complex_case": _("Major or complex case"),
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
    "days": _("Extend to (days)"),
    "reply": _("Reply"),
}
RECORD_HELP = {
    "detained": _("7 days to decide if detained, otherwise 15 (CPL Art. 91)."),
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

