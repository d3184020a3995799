"""The statistics dashboard and its exports (api.md "Browser pages": `/stats/`), included under `stats/`."""

from django.urls import path

from workflow.pages import stats as stats_views

urlpatterns = [
    path("", stats_views.stats_page, name="stats"),
    path("export.csv", stats_views.stats_export_csv, name="stats-export-csv"),
    path("export.xlsx", stats_views.stats_export_xlsx, name="stats-export-xlsx"),
]
