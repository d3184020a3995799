from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from documents.admin import ReadOnlyAdmin
from workflow import models as m
from workflow.deadlines.holidays import recount_deadlines
from workflow.models import Approval, CalendarYear, Case, CaseEvent, Deadline, Evidence, HolidaySchedule, Notification


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ("category", "title", "sha256", "added_by", "added_at")
    readonly_fields = fields


class DeadlineInline(ReadOnlyInline):
    model = Deadline
    fields = ("kind", "owed_by", "start_date", "due_date", "status", "met_at", "explanation")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("seq", "at", "actor", "transition", "from_state", "to_state", "hash")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Read-only: a case changes only through its transitions."""

    list_display = ("number", "state", "origin", "debtor_name", "executing_court", "police_agency", "created_at")
    list_filter = ("state", "origin", "executing_court__region_code")
    search_fields = ("number", "debtor_name", "applicant_name", "enforcement_case_number")
    inlines = [EvidenceInline, DeadlineInline, EventInline]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "owed_by", "due_date", "status", "met_at", "provisional")
    list_filter = ("status", "kind", "provisional")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """A year listed here is known: due dates in it are counted from the holiday schedule, never guessed.

    Enter the year's days under "Holiday schedule" first, then add the year here (or use manage.py
    import_holidays, which does both at once); provisional deadlines are then recounted.
    """

    list_display = ("year", "source", "imported_at")
    ordering = ("-year",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        recount_deadlines(years=[obj.year])


@admin.register(HolidaySchedule)
class HolidayScheduleAdmin(admin.ModelAdmin):
    """The State Council's public holidays and adjusted working days, one row per day (CPL Art. 105)."""

    list_display = ("day", "weekday", "is_working_day", "name", "source")
    list_filter = ("is_working_day",)
    date_hierarchy = "day"
    search_fields = ("name",)
    ordering = ("-day",)

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return date_format(obj.day, "l")

    def save_model(self, request, obj, form, change):
        years = {obj.day.year} | ({form.initial["day"].year} if change and form.initial.get("day") else set())
        super().save_model(request, obj, form, change)
        recount_deadlines(years=years)

    def delete_model(self, request, obj):
        year = obj.day.year
        super().delete_model(request, obj)
        recount_deadlines(years=[year])

    def delete_queryset(self, request, queryset):
        years = {day.year for day in queryset.values_list("day", flat=True)}
        super().delete_queryset(request, queryset)
        recount_deadlines(years=years)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("event_key", "recipient__username", "title")
    raw_id_fields = ("recipient", "case", "deadline")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Sub-procedure records: read-only here, because each one is written by its service together with its event in
# the case's audit chain (workflow/records/services.py).


class RecordAdmin(ReadOnlyAdmin):
    raw_id_fields = ("case",)
    list_select_related = ("case",)


# model -> (list_display, list_filter, search_fields besides the case number)
RECORD_COLUMNS = {
    m.ArrestRequest: (("case", "suspect_name", "requesting_agency", "requested_at", "decision", "decided_at"),
                      ("decision",), ("suspect_name",)),
    m.CoerciveMeasure: (("case", "kind", "person_name", "taken_on", "agency", "ended_on"), ("kind",),
                        ("person_name",)),
    m.PropertyControl: (("case", "measure", "description", "amount", "controlling_agency", "controlled_on", "status"),
                        ("measure", "status"), ("description",)),
    m.Warning: (("case", "warned_on", "given_by", "performance_due"), (), ()),
    m.Performance: (("case", "kind", "amount", "extent", "performed_on", "after_warning", "case_state"),
                    ("kind", "extent", "after_warning"), ()),
    m.EvidenceCopyRequest: (("case", "requested_by", "requested_at", "status", "answered_at"), ("status",), ()),
    m.LocateRequest: (("case", "defendant_name", "requesting_court", "police_agency", "requested_at", "result"),
                      ("result",), ("defendant_name",)),
    m.ObstructionReferral: (("case", "referring_court", "receiver", "referred_at", "acknowledged_at"), (), ()),
}
for _model, (_display, _filters, _search) in RECORD_COLUMNS.items():
    admin.site.register(_model, type(f"{_model.__name__}Admin", (RecordAdmin,), {
        "list_display": _display, "list_filter": _filters, "search_fields": ("case__number", *_search),
        "__module__": __name__}))


@admin.register(m.JointMeeting)
class JointMeetingAdmin(ReadOnlyAdmin):
    """Recorded through the API, so that each linked case gets its event."""

    list_display = ("held_on", "region_name", "title", "convened_by")
    list_filter = ("region_code",)
    search_fields = ("title", "minutes", "decisions")
    filter_horizontal = ("attendees",)
    raw_id_fields = ("cases",)


@admin.register(Approval)
class ApprovalAdmin(RecordAdmin):
    """Proposals and their decisions (procedure.md §3 "Approvals"): decided through the API and the pages only."""

    list_display = ("case", "transition", "proposed_by", "proposed_at", "status", "decided_by", "decided_at")
    list_filter = ("status", "transition")
    search_fields = ("case__number",)
    list_select_related = ("case", "proposed_by", "decided_by")
