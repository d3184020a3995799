"""States, origins, evidence categories and deadline kinds of procedure.md; names fixed by the spec."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    DRAFT = "draft", _("Draft, being prepared")
    TRANSFERRED = "transferred", _("Transferred to the police")
    FILING_REVIEW = "filing_review", _("Police reviewing whether to file")
    INVESTIGATING = "investigating", _("Under investigation")
    NOT_FILED = "not_filed", _("Police declined to file")
    WITHDRAWN = "withdrawn", _("Case withdrawn by the police")
    SUPERVISION_REQUESTED = "supervision_requested", _("Procuratorial supervision requested")
    EXPLANATION_REQUESTED = "explanation_requested", _("Police asked to explain non-filing")
    EXPLANATION_REVIEW = "explanation_review", _("Procuratorate reviewing the police explanation")
    SUPERVISION_CLOSED = "supervision_closed", _("Supervision closed")
    FILING_ORDERED = "filing_ordered", _("Police ordered to file")
    PROSECUTION_REVIEW = "prosecution_review", _("Procuratorate reviewing for prosecution")
    SUPPLEMENTARY_INVESTIGATION = "supplementary_investigation", _("Returned for supplementary investigation")
    NOT_PROSECUTED = "not_prosecuted", _("Not prosecuted")
    TRIAL = "trial", _("On trial (public prosecution)")
    JUDGED = "judged", _("Judgment rendered")
    CANCELLED = "cancelled", _("Cancelled before transfer")
    PRIVATE_PROSECUTION_ADVISED = "private_prosecution_advised", _("Creditor advised of private prosecution")
    PRIVATE_FILING_REVIEW = "private_filing_review", _("Court reviewing the private prosecution")
    PRIVATE_TRIAL = "private_trial", _("On trial (private prosecution)")
    PRIVATE_REJECTED = "private_rejected", _("Private prosecution not accepted")
    RECONCILED = "reconciled", _("Reconciled")
    PRIVATE_WITHDRAWN = "private_withdrawn", _("Private prosecution withdrawn")


TERMINAL_STATES = frozenset(
    {
        CaseState.CANCELLED,
        CaseState.JUDGED,
        CaseState.PRIVATE_REJECTED,
        CaseState.RECONCILED,
        CaseState.PRIVATE_WITHDRAWN,
    }
)
# States after judgment or closing, where Art. 17 no longer allows reconciliation or withdrawal.


class Origin(models.TextChoices):
    COURT = "court", _("Transferred by the executing court (Art. 3)")
    PROCURATORATE = "procuratorate", _("Found in execution supervision (Art. 8 ¶3)")
    CREDITOR = "creditor", _("Private prosecution by the creditor (Art. 11)")


class PartyKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    ENTITY = "entity", _("Entity")


class EvidenceCategory(models.TextChoices):
    # Art. 4: the five categories a transfer must carry.
    IDENTITY = "identity", _("Identity of the suspect")
    OBLIGATION = "obligation", _("Obligation fixed by an effective judgment or ruling")
    ABILITY = "ability", _("Ability to perform")
    REFUSAL = "refusal", _("Refusal to perform")
    CIRCUMSTANCES = "circumstances", _("Serious circumstances or consequences")
    COERCIVE_RECORD = "coercive_record", _("Coercive measures already taken in enforcement")
    # Art. 13: private prosecution materials; the accuser's identity is its own category (the suspect's Art. 4
    # `identity` never stands in for it).
    COMPLAINT = "complaint", _("Criminal complaint (self-accusation)")
    ACCUSER_IDENTITY = "accuser_identity", _("Identity of the accuser")
    EXECUTION_BASIS = "execution_basis", _("Effective document and enforcement acceptance notice")
    REFUSAL_EVIDENCE = "refusal_evidence", _("Evidence of duty, ability and refusal")
    PUBLIC_ROUTE_FAILED = "public_route_failed", _("Proof that the public prosecution route failed")
    OTHER = "other", _("Other material")


TRANSFER_CATEGORIES = (
    EvidenceCategory.IDENTITY,
    EvidenceCategory.OBLIGATION,
    EvidenceCategory.ABILITY,
    EvidenceCategory.REFUSAL,
    EvidenceCategory.CIRCUMSTANCES,
)
PRIVATE_REQUIRED_CATEGORIES = (
    EvidenceCategory.COMPLAINT,
    EvidenceCategory.ACCUSER_IDENTITY,
    EvidenceCategory.EXECUTION_BASIS,
    EvidenceCategory.REFUSAL_EVIDENCE,
    EvidenceCategory.PUBLIC_ROUTE_FAILED,
)
PRIVATE_CATEGORIES = (*PRIVATE_REQUIRED_CATEGORIES, EvidenceCategory.OTHER)


class Outcome(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    EXEMPTED = "exempted", _("Convicted, exempted from punishment")
    ACQUITTED = "acquitted", _("Acquitted")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    OVERDUE = "overdue", _("Overdue")
    CANCELLED = "cancelled", _("Cancelled")
