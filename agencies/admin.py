from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, ApiToken, TokenEnd, User
from agencies.tokens import revoke


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region_code", "region_name", "abbreviation")
    list_filter = ("kind", "region_code")
    search_fields = ("name", "region_name", "region_code")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "agency", "is_liaison", "is_active")
    list_filter = ("role", "agency__kind", "agency__region_code", "is_liaison", "is_active")
    search_fields = ("username", "full_name", "agency__name")
    autocomplete_fields = ("agency",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role"), {"fields": ("full_name", "role", "agency", "is_liaison", "language")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role"), {"fields": ("full_name", "role", "agency")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The devices logged in through the API (only hashes are stored: no token can be read or made here)."""

    list_display = ("user", "device", "created", "last_used", "revoked_at", "revoked_because")
    list_filter = ("revoked_because",)
    search_fields = ("user__username", "device")
    readonly_fields = ("user", "device", "created", "last_used", "revoked_at", "revoked_because")
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["delete"])
    def revoke_selected(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            revoke(token, TokenEnd.DEVICE_REMOVED)
