"""Text of materials and full-text search over the cases a user may see (api.md `GET /api/search/?q=`).

After a material is added, a job reads its text (its own text layer, OCR of scans: documents.ocr) into a
MaterialText beside the untouched file, and indexes the case: its own fields, each material's title and text,
each letter's text (documents.SearchEntry). The search sees what `case_list` sees; within a case, a creditor
finds only the materials and letters disclosed to them (procedure.disclosure), as in the case itself.
"""

from __future__ import annotations

import logging

from django.db.models import Q, QuerySet

from documents.models import MaterialText, SearchEntry
from documents.ocr import NoTextFormat, TextUnreadable, read_material_text
from documents.textsearch import in_cases, matching, segment, storable
from procedure.disclosure import disclosure
from procedure.identifiers import search_form
from workflow.cases.documents import document_list
from workflow.cases.selectors import case_list
from workflow.models import Case, Evidence

logger = logging.getLogger(__name__)
Source = SearchEntry.Source


def read_text(*, evidence: Evidence) -> MaterialText:
    """Read one material's text (once: a material is never replaced); the file itself is only read."""
    record, _created = MaterialText.objects.get_or_create(evidence=evidence)
    if record.status != MaterialText.Status.PENDING:
        return record
    try:
        with evidence.file.open("rb") as handle:
            result = read_material_text(handle.read(), evidence.content_type)
    except NoTextFormat:
        record.status = MaterialText.Status.UNSUPPORTED
    except (TextUnreadable, OSError) as exc:
        record.status, record.error = MaterialText.Status.FAILED, str(exc)[:300]
        logger.warning("The text of material %s could not be read: %s", evidence.pk, exc)
    else:
        record.status = MaterialText.Status.DONE
        record.text, record.pages, record.ocr_pages = storable(result.text), result.pages, result.ocr_pages
    record.save()
    return record


def read_pending_texts(*, case_id: int) -> int:
    """Read the text of the case's materials not read yet; returns how many were read."""
    pending = Evidence.objects.filter(case_id=case_id).filter(
        Q(text_layer__isnull=True) | Q(text_layer__status=MaterialText.Status.PENDING))
    count = 0
    for evidence in pending:
        read_text(evidence=evidence)
        count += 1
    return count


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _case_text(case: Case) -> str:
    # Identity numbers and internal notes are not indexed: not every reader of the case may read them.
    return "\n".join(filter(None, (case.number, case.enforcement_case_number, case.applicant_name, case.debtor_name,
                                   case.basis_document, case.summary)))


def index_case(*, case_id: int) -> int:
    """(Re)write the search entries of one case; returns how many it has."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return 0
    rows = [(Source.CASE, case.pk, f"{case.number} {case.debtor_name}", _case_text(case))]
    for material in Evidence.objects.filter(case=case).select_related("text_layer"):
        layer = getattr(material, "text_layer", None)
        body = f"{material.title}\n{layer.text}" if layer is not None and layer.text else material.title
        rows.append((Source.MATERIAL, material.pk, material.title, body))
    for letter in case.documents.all():
        title = f"{letter.get_kind_display()} {letter}"
        rows.append((Source.LETTER, letter.pk, title, "\n".join([title, *_strings(letter.context)])))
    stored = {(e.source, e.source_id): e for e in SearchEntry.objects.filter(case=case)}
    new, changed = [], []
    for source, source_id, title, text in rows:
        title, text = storable(title), storable(text)
        entry = stored.get((source, source_id))
        if entry is None:
            new.append(SearchEntry(case=case, source=source, source_id=source_id, title=title[:300], text=text,
                                   terms=segment(text)))
        elif entry.text != text or entry.title != title[:300]:  # only what changed is segmented again
            entry.title, entry.text, entry.terms = title[:300], text, segment(text)
            changed.append(entry)
    current = {(source, source_id) for source, source_id, _title, _text in rows}
    gone = [entry.pk for key, entry in stored.items() if key not in current]
    if gone:  # a material taken back from a draft
        SearchEntry.objects.filter(pk__in=gone).delete()
    # Two content jobs of one case may run at once (two changes, two workers): the second to insert an entry
    # rewrites the first's instead of failing on (source, source_id).
    SearchEntry.objects.bulk_create(new, update_conflicts=True, unique_fields=["source", "source_id"],
                                    update_fields=["case", "title", "text", "terms"])
    SearchEntry.objects.bulk_update(changed, ["title", "text", "terms"])
    return len(rows)


def search_entries(*, user, q: str) -> QuerySet[SearchEntry]:
    """The entries matching `q` in the cases the user may see, and within them only what the user may read."""
    cases = case_list(user=user).order_by().values("pk")
    materials = Evidence.objects.filter(case__in=cases).filter(disclosure(user).materials_q()).values("pk")
    letters = document_list(user=user).order_by().values("pk")
    visible = SearchEntry.objects.filter(in_cases(cases.values_list("pk", flat=True))).filter(
        Q(source=Source.CASE) | Q(source=Source.MATERIAL, source_id__in=materials)
        | Q(source=Source.LETTER, source_id__in=letters))
    return matching(visible, search_form(q)).select_related("case")
