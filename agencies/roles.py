"""Agency kinds and user roles of procedure.md §1; the names are fixed by the spec."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    COURT = "court", _("People's court")
    POLICE = "police", _("Public security organ")
    PROCURATORATE = "procuratorate", _("People's procuratorate")
    DISCIPLINE = "discipline", _("Discipline inspection and supervision commission")


class Role(models.TextChoices):
    ENFORCEMENT_JUDGE = "enforcement_judge", _("Enforcement judge")
    FILING_CLERK = "filing_clerk", _("Filing division clerk")
    TRIAL_JUDGE = "trial_judge", _("Trial judge")
    POLICE_CLERK = "police_clerk", _("Police case-intake clerk")
    POLICE_INVESTIGATOR = "police_investigator", _("Police investigator")
    POLICE_HEAD = "police_head", _("Head of the police agency")
    PROCURATOR = "procurator", _("Procurator")
    PROCURATOR_GENERAL = "procurator_general", _("Procurator-general")
    DISCIPLINE_OFFICER = "discipline_officer", _("Discipline officer")
    CREDITOR = "creditor", _("Creditor (applicant for execution)")


# The agency kind each role belongs to; a creditor belongs to none.
ROLE_AGENCY_KIND: dict[str, str | None] = {
    Role.ENFORCEMENT_JUDGE: AgencyKind.COURT,
    Role.FILING_CLERK: AgencyKind.COURT,
    Role.TRIAL_JUDGE: AgencyKind.COURT,
    Role.POLICE_CLERK: AgencyKind.POLICE,
    Role.POLICE_INVESTIGATOR: AgencyKind.POLICE,
    Role.POLICE_HEAD: AgencyKind.POLICE,
    Role.PROCURATOR: AgencyKind.PROCURATORATE,
    Role.PROCURATOR_GENERAL: AgencyKind.PROCURATORATE,
    Role.DISCIPLINE_OFFICER: AgencyKind.DISCIPLINE,
    Role.CREDITOR: None,
}

# Roles that lead their agency: overdue deadlines are escalated to them.
HEAD_ROLES = frozenset({Role.POLICE_HEAD, Role.PROCURATOR_GENERAL})
