"""The statistics dashboard (`/stats/`) and the CSV and XLSX exports of its tables.

Thin, like the other pages: the figures come from workflow.supervision.stats, the same selector as
`GET /api/stats/`, so the page, the exports and the API always agree. Charts are SVG drawn on the server (no script
runs on the page).
"""

import csv
import io
from decimal import Decimal
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agencies.models import Agency
from procedure.deadlines import DeadlineKind
from refusal_cases.replica import replica_reads
from workflow.pages.presenters import procedure_drawing
from workflow.supervision import stats
from workflow.supervision.durations import DURATION_LABELS

CHART_WIDTH = 580
LABEL_WIDTH = 240
BAR_HEIGHT = 22
BAR_GAP = 8
VALUE_WIDTH = 70
WIDEST_TABLE = 5  # columns; a wider table is shown as one card of figures per row at every width
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bar_chart(*, title: str, items: list[tuple[str, float | None, str]], max_value: float | None = None) -> dict:
    """Geometry of a horizontal bar chart: items are (label, value, value as shown). A missing value draws no bar."""
    values = [v for _label, v, _shown in items if v is not None]
    top = max_value if max_value is not None else max(values, default=0)
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value, shown) in enumerate(items):
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = round(span * value / top, 1) if value and top else 0
        bars.append({"label": label, "shown": shown, "y": y, "text_y": y + BAR_HEIGHT * 0.7, "width": width,
                     "value_x": LABEL_WIDTH + width + 6})
    return {"title": title, "bars": bars, "width": CHART_WIDTH, "label_width": LABEL_WIDTH, "span": span,
            "bar_height": BAR_HEIGHT, "label_x": LABEL_WIDTH - 8,
            "height": max(len(items) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT)}


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f}%"


def _days(value: float | None) -> str:
    return "–" if value is None else _("%(days)s d") % {"days": f"{value:g}"}


def stats_charts(figures: stats.Stats) -> list[dict]:
    stage_items = [(str(stats.STAGE_LABELS[key]), figures.stages[key], str(figures.stages[key]))
                   for key in stats.STAGE_KEYS]
    perf = figures.performance
    performance_items = [
        (str(stats.STAGE_LABELS["transferred"]), figures.stages["transferred"], str(figures.stages["transferred"])),
        *[(str(stats.PERFORMANCE_LABELS[key]), perf[key], str(perf[key]))
          for key in ("fulfilled_after_transfer", "fulfilled_after_warning", "fulfilled_in_full")],
    ]
    deadline_items = [(str(DeadlineKind(row["kind"]).label),
                       row["on_time_rate"] * 100 if row["on_time_rate"] is not None else None,
                       _percent(row["on_time_rate"])) for row in figures.deadline_kinds]
    duration_items = [(str(DURATION_LABELS[row["stage"]]), row["median_days"], _days(row["median_days"]))
                      for row in figures.durations if row["cases"]]
    return [
        bar_chart(title=_("Cases per stage"), items=stage_items),
        bar_chart(title=_("Cases fulfilled"), items=performance_items),
        bar_chart(title=_("Deadlines met on time, per kind"), items=deadline_items, max_value=100),
        bar_chart(title=_("Median days per stage"), items=duration_items),
    ]


def _region_choices(user) -> list[tuple[str, str]]:
    """Regions offered in the filter: those of the agencies whose figures the user may count."""
    agencies = Agency.objects.all()
    prefix = stats.overseen_prefix(user)
    if prefix:
        agencies = agencies.filter(region_code__startswith=prefix)
    else:
        agencies = agencies.filter(region_code=user.agency.region_code)
    return list(agencies.values_list("region_code", "region_name").distinct().order_by("region_code"))


def _shown(value, column: stats.Column) -> str:
    if value is None:
        return "–"
    if column.key == "on_time_rate":
        return _percent(value)
    if column.key.startswith("amount_") or (column.key == "value" and isinstance(value, str)):
        return f"{Decimal(value):,.2f}"
    return str(value)


def _display_table(table: stats.Table, query: dict) -> dict:
    """A table as the page shows it, with links to its CSV and XLSX downloads under the same filters."""
    params = urlencode({**query, "table": table.name})
    shown = [i for i, column in enumerate(table.columns) if not column.machine]
    return {
        "name": table.name,
        "title": table.title,
        "columns": [table.columns[i] for i in shown],
        "wide": len(shown) > WIDEST_TABLE,
        "rows": [[(_shown(row[i], table.columns[i]), table.columns[i].numeric, table.columns[i].label) for i in shown]
                 for row in table.rows],
        "csv_url": f"{reverse('stats-export-csv')}?{params}",
        "xlsx_url": f"{reverse('stats-export-xlsx')}?{params}",
    }


def _highlights(figures: stats.Stats) -> list[tuple[str, str, str]]:
    """The headline figures: (label, value, detail)."""
    perf = figures.performance
    recovered = Decimal(perf["amount_recovered_after_transfer"])
    kinds = figures.deadline_kinds
    met = sum(k["met_on_time"] for k in kinds)
    decided = sum(k["met_on_time"] + k["met_late"] + k["overdue"] for k in kinds)
    return [
        (_("Transferred to the police"), str(figures.stages["transferred"]), ""),
        (_("Filed"), str(figures.stages["filed"]), ""),
        (_("Prosecuted"), str(figures.stages["prosecuted"]), ""),
        (_("Judged"), str(figures.stages["judged"]), ""),
        (_("Cases fulfilled after transfer"), str(perf["fulfilled_after_transfer"]),
         _("%(n)s after a warning") % {"n": perf["fulfilled_after_warning"]}),
        (_("Recovered after transfer (10,000 yuan)"), f"{recovered / 10000:,.2f}",
         _("%(amount)s yuan; %(total)s yuan in all") % {
             "amount": f"{recovered:,.2f}", "total": f"{Decimal(perf['amount_recovered']):,.2f}"}),
        (_("Deadlines met on time"), _percent(met / decided if decided else None),
         _("%(met)s of %(decided)s") % {"met": met, "decided": decided}),
    ]


@login_required
@require_GET
@replica_reads
def stats_page(request):
    """The dashboard of the user's agency: figures of §6 for a region and period, charts, tables, exports."""
    try:
        stats.check_may_see_stats(request.user)
    except PermissionDenied as exc:
        return render(request, "workflow/refused.html", {"message": str(exc)}, status=403)
    errors, status, figures, tables, charts, drawing = {}, 200, None, {}, [], None
    try:
        filters = stats.parse_filters(request.GET)
    except ValidationError as exc:
        errors, status, filters = exc.message_dict, 400, stats.StatsFilter()
    else:
        figures = stats.stats_compute(user=request.user, filters=filters)
        tables = stats.stats_tables(figures)
        charts = stats_charts(figures)
        drawing = procedure_drawing(counts=figures.states)
    query = filters.as_query()
    context = {
        "values": {name: request.GET.get(name, "") for name in ("region_code", "from", "to")},
        "errors": errors,
        "figures": figures,
        "highlights": _highlights(figures) if figures else [],
        "tables": [_display_table(table, query) for table in tables.values()],
        "charts": charts,
        "drawing": drawing,
        "xlsx_all": f"{reverse('stats-export-xlsx')}?{urlencode({**query, 'table': 'all'})}",
        "regions": _region_choices(request.user),
        "overseen_prefix": stats.overseen_prefix(request.user),
        "period_basis": stats.PERIOD_BASIS,
        "generated_at": timezone.localtime(),
    }
    return render(request, "workflow/stats.html", context, status=status)


def _bad_request(errors: dict) -> JsonResponse:
    return JsonResponse(errors, status=400, json_dumps_params={"ensure_ascii": False})


def _export_input(request, *, allow_all: bool):
    """(filters, table names) from the query, or a 400 naming the parameter."""
    stats.check_may_see_stats(request.user)
    table = request.GET.get("table", "all" if allow_all else "")
    if table == "all" and allow_all:
        names = list(stats.TABLE_NAMES)
    elif table in stats.TABLE_NAMES:
        names = [table]
    else:
        raise ValidationError({"table": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(stats.TABLE_NAMES)}]})
    return stats.parse_filters(request.GET), names


def _filename(filters: stats.StatsFilter, name: str, extension: str) -> str:
    parts = ["stats", name, filters.region_code, filters.date_from and filters.date_from.isoformat(),
             filters.date_to and filters.date_to.isoformat()]
    return "-".join(p for p in parts if p) + f".{extension}"


def _cell(value):
    return "" if value is None else value


def _export(*, allow_all: bool):
    """A download view of statistics tables: called with (request, filters, table names, the tables) once the
    user may have them; 403 or 400 with the reason otherwise."""

    def wrap(view):
        @login_required
        @require_GET
        @replica_reads
        @wraps(view)
        def download(request):
            try:
                filters, names = _export_input(request, allow_all=allow_all)
            except PermissionDenied as exc:
                return JsonResponse({"detail": str(exc)}, status=403)
            except ValidationError as exc:
                return _bad_request(exc.message_dict)
            return view(request, filters, names, stats.stats_tables(stats.stats_compute(user=request.user,
                                                                                          filters=filters)))
        return download
    return wrap


@_export(allow_all=False)
def stats_export_csv(request, filters, names, tables):
    """One table as CSV (UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese text)."""
    table = tables[names[0]]
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(c.label) for c in table.columns])
    writer.writerows([[_cell(v) for v in row] for row in table.rows])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(filters, table.name, "csv")}"'
    return response


@_export(allow_all=True)
def stats_export_xlsx(request, filters, names, tables):
    """One table, or every table (`table=all`, the default) as one sheet each, as an Excel workbook."""
    from openpyxl import Workbook  # noqa: PLC0415 - loaded only for this download
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in names:
        table = tables[name]
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append([str(c.label) for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_xlsx_value(v, c) for v, c in zip(row, table.columns, strict=True)])
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = \
                12 if column.numeric else 28
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    label = names[0] if len(names) == 1 else "all"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(filters, label, "xlsx")}"'
    return response


def _xlsx_value(value, column: stats.Column):
    """Numbers as numbers (amounts arrive as decimal strings, exact to the fen)."""
    if value is None:
        return None
    if column.numeric and isinstance(value, str):
        return Decimal(value)
    return value
