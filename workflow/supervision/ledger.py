"""The supervision ledger as a table, written to CSV or XLSX (Art. 19: the organs follow every case in which
supervision was requested to its end). Rows come from workflow.record_selectors.supervision_ledger."""

import csv
import io
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from procedure.states import CaseState, DeadlineKind, DeadlineStatus, Origin
from workflow.records.selectors import LedgerRow

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
