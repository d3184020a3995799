from django.contrib import admin

from .models import Case, CaseEvent, Deadline, Evidence


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
class CaseAdmin(admin.ModelAdmin):
    """Read-only: a case changes only through its transitions."""

    list_display = ("number", "state", "origin", "debtor_name", "executing_court", "police_agency", "created_at")
    list_filter = ("state", "origin", "executing_court__region_code")
    search_fields = ("number", "debtor_name", "applicant_name", "enforcement_case_number")
    inlines = [EvidenceInline, DeadlineInline, EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ("case", "kind", "owed_by", "due_date", "status", "met_at", "provisional")
    list_filter = ("status", "kind", "provisional")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
