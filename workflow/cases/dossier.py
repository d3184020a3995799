"""A case's electronic dossier (api.md `GET /api/cases/{id}/dossier/`), as each reader may see it.

What goes in is what the reader may see of the case (procedure.disclosure via the case's selectors): the case's
agencies get every material and the letters their agency may read; a creditor gets their own materials, those
the court shared with them (Art. 15), and the letters addressed to them. Materials come in the order of the
categories of Art. 4 and Art. 13 (procedure.states.EvidenceCategory; a creditor's own private prosecution in
the order of Art. 13), each category by the time it was added;
then the letters in the order they were issued. documents.dossier assembles the PDF and caches it by the hash
of its contents; the job of workflow.cases.content_jobs builds the readers' dossiers after a change.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import User
from documents.dossier import DossierEntry, DossierSpec, cached_dossier, dossier_is_cached
from documents.render import format_amount, template_language
from documents.services import render_and_store
from procedure.disclosure import disclosure
from procedure.positions import AGENCY_POSITIONS
from procedure.states import PRIVATE_CATEGORIES, EvidenceCategory, Origin
from workflow.cases.documents import document_list_for_case
from workflow.cases.selectors import case_get, evidence_list
from workflow.models import Case

logger = logging.getLogger(__name__)

#: Art. 4's five categories, then the others, then Art. 13's: the order of the categories as the law lists them.
CATEGORY_ORDER = {value: index for index, value in enumerate(EvidenceCategory.values)}
#: A private prosecution brought by the creditor (Art. 11) is read in the order of Art. 13's list.
PRIVATE_ORDER = {value: index for index, value in enumerate(
    [*PRIVATE_CATEGORIES, *(c for c in EvidenceCategory.values if c not in PRIVATE_CATEGORIES)])}


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat()


def _party(case: Case, view, who: str) -> str:
    party = view.party(case, who)
    return f"{party['name']}（{party['id_number']}）" if party["id_number"] else party["name"]


def _cover(case: Case, view) -> tuple[tuple[str, str], ...]:
    agencies = [(_("Executing court"), case.executing_court), (_("Police agency"), case.police_agency),
                (_("Procuratorate"), case.procuratorate), (_("Trial court"), case.trial_court)]
    return (
        (_("Case number"), case.number),
        (_("State"), str(case.get_state_display())),
        (_("Origin"), str(case.get_origin_display())),
        (_("Enforcement case number"), case.enforcement_case_number),
        (_("Basis document"), case.basis_document),
        (_("Applicant"), _party(case, view, "applicant")),
        (_("Debtor"), _party(case, view, "debtor")),
        (_("Amount owed"), format_amount(case.amount_owed)),
        *((label, agency.name if agency else "") for label, agency in agencies),
    )


def _material_entry(material) -> DossierEntry:
    return DossierEntry(
        section="material", category=str(material.get_category_display()), title=material.title,
        added_by=material.added_by.display_name, date=_day(material.added_at), sha256=material.sha256,
        file_name=material.original_name, path=material.file.name, content_type=material.content_type,
    )


def _letter_entry(document) -> DossierEntry:
    if not document.is_rendered:
        try:
            document = render_and_store(document=document)
        except Exception:  # the dossier still builds, naming the letter it could not include
            logger.exception("Rendering document %s for a dossier failed.", document.pk)
    return DossierEntry(
        section="letter", category=_("Letter"), title=f"{document.get_kind_display()} {document}",
        added_by=document.issued_by.name, date=_day(document.issued_at), sha256=document.sha256,
        file_name=f"{document.number}.pdf", path=document.file.name if document.is_rendered else "",
        content_type="application/pdf",
    )


def _reader(user) -> str:
    if disclosure(user).creditor:
        return _("The applicant for execution, %(name)s") % {"name": user.display_name}
    return user.agency.name


def dossier_spec(*, case: Case, user, language: str) -> DossierSpec:
    """What `user` may see of the case, as the dossier's cover and catalogue, in `language`."""
    language = template_language(language)
    view = disclosure(user)
    with translation.override(language):
        order = PRIVATE_ORDER if case.origin == Origin.CREDITOR else CATEGORY_ORDER
        materials = sorted(evidence_list(case=case, user=user),
                           key=lambda m: (order.get(m.category, len(order)), m.added_at, m.pk))
        letters = document_list_for_case(case=case, user=user)
        return DossierSpec(
            case_number=case.number, language=language, reader=_reader(user), cover=_cover(case, view),
            entries=(*map(_material_entry, materials), *map(_letter_entry, letters)),
        )


def case_dossier(*, user, case_id, language: str) -> tuple[str, bytes]:
    """The dossier of a case the user may see (404 otherwise): (the hash of its contents, the PDF)."""
    case = case_get(user=user, case_id=case_id)
    return cached_dossier(dossier_spec(case=case, user=user, language=language))


def dossier_readers(case: Case) -> list:
    """One user for each view of the case: a user of each of its agencies, and its creditor."""
    agency_ids = {getattr(case, f"{position}_id") for position in AGENCY_POSITIONS} - {None}
    readers = []
    for agency_id in sorted(agency_ids):
        user = User.objects.filter(agency_id=agency_id, is_active=True).select_related("agency").order_by("pk").first()
        if user is not None:
            readers.append(user)
    if case.applicant_user_id:
        readers.append(case.applicant_user)
    return readers


def build_case_dossiers(*, case_id: int) -> int:
    """Build and cache the dossier of each view of the case that is not cached yet; returns how many were built."""
    case = Case.objects.select_related(*AGENCY_POSITIONS, "applicant_user").filter(pk=case_id).first()
    if case is None:
        return 0
    built = 0
    for reader in dossier_readers(case):
        spec = dossier_spec(case=case, user=reader, language=reader.language or settings.LANGUAGE_CODE)
        if not dossier_is_cached(spec):
            cached_dossier(spec)
            built += 1
    return built
