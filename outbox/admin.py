from django.contrib import admin

from outbox.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: what the background jobs owe and what failed; the catch-up runs them, not this page."""

    list_display = ("id", "name", "created_at", "queued_at", "started_at", "done_at", "attempts", "last_error")
    list_filter = ("name",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
