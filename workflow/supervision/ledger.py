"""The supervision ledger (Art. 19; Art. 7, 8): every case in which supervision of the police's filing was
requested, followed to its end; read as rows and written to CSV or XLSX for the organs of the joint mechanism."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from procedure.deadlines import DeadlineKind
from procedure.states import TERMINAL_STATES, CaseState, DeadlineStatus, Origin
from workflow.cases.selectors import case_list
from workflow.models import Case, CaseEvent, Deadline
from workflow.records.selectors import agency_officer

SUPERVISION_OPENED_BY = ("request_supervision", "request_explanation")
LEDGER_STEPS = (
    "request_supervision", "request_explanation", "submit_explanation", "accept_explanation", "order_filing",
    "decline_supervision", "file_case", "advise_private_prosecution", "correction_notice", "reply_correction_notice",
)
RESULTS = ("accept_explanation", "order_filing", "decline_supervision")


@dataclass
class LedgerRow:
    case: Case
    requested_on: date | None = None
    requested_by: str = ""
    reason: str = ""
    explanation_requested_on: date | None = None
    explanation_submitted_on: date | None = None
    result: str = ""
    result_on: date | None = None
    filed_after_order_on: date | None = None
    private_prosecution_advised_on: date | None = None
    correction_notice_on: date | None = None  # the latest correction notice to the police, and their reply
    correction_replied_on: date | None = None
    # {"id", "kind", "due_date", "status", "owed_by"} of each deadline still running
    open_deadlines: list[dict] = field(default_factory=list)
    overdue: bool = False

    @property
    def finished(self) -> bool:
        return self.case.state in TERMINAL_STATES


def supervision_cases(*, user, region_code: str = "", state: str = "") -> QuerySet[Case]:
    """The cases the user sees in which supervision of the police's filing was requested (Art. 7, 8 ¶1)."""
    if not agency_officer(user):
        return Case.objects.none()
    opened = CaseEvent.objects.filter(case=OuterRef("pk"), transition__in=SUPERVISION_OPENED_BY)
    qs = case_list(user=user).filter(Exists(opened))
    if region_code:
        qs = qs.filter(executing_court__region_code=region_code)
    if state:
        qs = qs.filter(state=state)
    # Only what a row shows: loading whole cases was most of the time of a region's export.
    agency_fields = ("id", "name", "kind", "region_code", "region_name")
    return (qs.select_related(None).select_related("executing_court", "police_agency", "procuratorate")
            .only("id", "number", "origin", "state", "enforcement_case_number", "debtor_name",
                  *(f"{position}__{f}" for position in ("executing_court", "police_agency", "procuratorate")
                    for f in agency_fields))
            .order_by("id"))


def supervision_ledger(*, cases) -> list[LedgerRow]:
    """One row per case, from its supervision events and its running deadlines: three queries in all, reading
    plain values rather than model instances, so that a region's whole ledger exports in seconds."""
    cases = list(cases)
    rows = {case.pk: LedgerRow(case=case) for case in cases}
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    events = (CaseEvent.objects.filter(case_id__in=rows, transition__in=LEDGER_STEPS).order_by("case_id", "seq")
              .values_list("case_id", "transition", "at", "agency__name", "payload"))
    for case_id, transition, at, agency_name, payload in events.iterator(chunk_size=5000):
        row = rows[case_id]
        on = at.astimezone(zone).date()
        if transition in SUPERVISION_OPENED_BY and row.requested_on is None:
            row.requested_on, row.requested_by = on, agency_name or ""
            row.reason = str((payload or {}).get("reason", ""))
        if transition == "request_explanation":
            row.explanation_requested_on = on
        elif transition == "submit_explanation":
            row.explanation_submitted_on = on
        elif transition in RESULTS:
            row.result, row.result_on = transition, on
        elif transition == "file_case" and row.result == "order_filing":
            row.filed_after_order_on = on
        elif transition == "advise_private_prosecution" and row.requested_on is not None:
            row.private_prosecution_advised_on = on
        elif transition == "correction_notice":
            row.correction_notice_on, row.correction_replied_on = on, None
        elif transition == "reply_correction_notice":
            row.correction_replied_on = on
    running = (Deadline.objects.filter(case_id__in=rows, met_at__isnull=True,
                                       status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE])
               .order_by("due_date", "id").values_list("case_id", "id", "kind", "due_date", "status", "owed_by__name"))
    for case_id, pk, kind, due_date, status, owed_by in running.iterator(chunk_size=5000):
        row = rows[case_id]
        row.open_deadlines.append({"id": pk, "kind": kind, "due_date": due_date, "status": status,
                                   "owed_by": owed_by})
        row.overdue = row.overdue or status == DeadlineStatus.OVERDUE or due_date < today
    return [rows[case.pk] for case in cases]


# ---------------------------------------------------------------------------------------------------------------
# The ledger as a table

RESULT_LABELS = {
    "accept_explanation": _lazy("Reasons for non-filing accepted"),
    "order_filing": _lazy("Police ordered to file"),
    "decline_supervision": _lazy("Supervision declined"),
}

COLUMNS = (
    ("number", _lazy("Case number")),
    ("origin", _lazy("Origin")),
    ("enforcement_case_number", _lazy("Enforcement case number")),
    ("debtor", _lazy("Debtor")),
    ("executing_court", _lazy("Executing court")),
    ("police_agency", _lazy("Police agency")),
    ("procuratorate", _lazy("Procuratorate")),
    ("requested_on", _lazy("Supervision requested on")),
    ("requested_by", _lazy("Requested by")),
    ("reason", _lazy("Reason given")),
    ("explanation_requested_on", _lazy("Explanation requested on")),
    ("explanation_submitted_on", _lazy("Explanation submitted on")),
    ("result", _lazy("Result of supervision")),
    ("result_on", _lazy("Result on")),
    ("filed_after_order_on", _lazy("Filed after the order on")),
    ("private_prosecution_advised_on", _lazy("Private prosecution advised on")),
    ("correction_notice_on", _lazy("Correction notice issued on")),
    ("correction_replied_on", _lazy("Police replied to the correction on")),
    ("state", _lazy("Current state")),
    ("open_deadlines", _lazy("Open deadlines")),
    ("overdue", _lazy("Overdue")),
    ("finished", _lazy("Finished")),
)


class Labels:
    """The translated labels of one export, looked up once rather than once per row."""

    def __init__(self):
        self.origin = {value: str(label) for value, label in Origin.choices}
        self.state = {value: str(label) for value, label in CaseState.choices}
        self.kind = {value: str(label) for value, label in DeadlineKind.choices}
        self.status = {value: str(label) for value, label in DeadlineStatus.choices}
        self.result = {key: str(label) for key, label in RESULT_LABELS.items()}
        self.yes, self.no = _("yes"), _("no")


def row_values(row: LedgerRow, labels: Labels | None = None) -> dict:
    """One ledger row as display values (dates stay dates, for XLSX), in the active language."""
    labels = labels or Labels()
    case = row.case
    return {
        "number": case.number,
        "origin": labels.origin.get(case.origin, case.origin),
        "enforcement_case_number": case.enforcement_case_number,
        "debtor": case.debtor_name,
        "executing_court": case.executing_court.name,
        "police_agency": case.police_agency.name if case.police_agency_id else "",
        "procuratorate": case.procuratorate.name if case.procuratorate_id else "",
        "requested_on": row.requested_on,
        "requested_by": row.requested_by,
        "reason": row.reason,
        "explanation_requested_on": row.explanation_requested_on,
        "explanation_submitted_on": row.explanation_submitted_on,
        "result": labels.result.get(row.result, ""),
        "result_on": row.result_on,
        "filed_after_order_on": row.filed_after_order_on,
        "private_prosecution_advised_on": row.private_prosecution_advised_on,
        "correction_notice_on": row.correction_notice_on,
        "correction_replied_on": row.correction_replied_on,
        "state": labels.state.get(case.state, case.state),
        "open_deadlines": "; ".join(
            f"{labels.kind[d['kind']]} {d['due_date'].isoformat()} ({labels.status[d['status']]})"
            for d in row.open_deadlines
        ),
        "overdue": labels.yes if row.overdue else labels.no,
        "finished": labels.yes if row.finished else labels.no,
    }


def headers() -> list[str]:
    return [str(label) for _key, label in COLUMNS]


def _cell(value):
    return "" if value is None else value


def write_csv(rows: list[LedgerRow]) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    labels = Labels()
    for row in rows:
        values = row_values(row, labels)
        writer.writerow([_csv_cell(values[key]) for key, _label in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value) -> str:
    value = _cell(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A cell starting with = + - @ would be run as a formula by a spreadsheet: keep it text.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def write_xlsx(rows: list[LedgerRow]) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - only needed for this export
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Supervision ledger"))[:31])
    sheet.freeze_panes = "B2"
    bold = Font(bold=True)
    header_cells = []
    for title in headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    labels = Labels()
    for row in rows:
        values = row_values(row, labels)
        # Plain values: openpyxl gives a date cell its date format by itself, and is several times faster so.
        sheet.append([_xlsx_value(sheet, values[key]) for key, _label in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(sheet, value):
    # openpyxl would store a string starting with "=" as a formula; user text must stay text.
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return _cell(value)
