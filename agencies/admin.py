from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, User


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
