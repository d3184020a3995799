from django.contrib import admin

from documents.models import Document


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by their services (with their event in the case's audit chain): shown, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Read-only: documents are issued by transitions and corrected by a new version, never edited here."""

    list_display = ("number", "version", "kind", "issued_by", "case", "issued_at", "rendered_at")
    list_filter = ("kind", "year", "issued_by")
    search_fields = ("number", "verification_code", "case__number")
    date_hierarchy = "issued_at"
    list_select_related = ("issued_by", "case")
    fields = ("case", "kind", "number", "version", "supersedes", "issued_by", "addressee_agency",
              "addressed_to_creditor", "issued_at", "issued_by_user", "language", "verification_code", "file",
              "sha256", "size", "rendered_at", "context")
    readonly_fields = fields
