"""Set-up screens for the superuser: providers, sites, teams, partners, users.

Client records are deliberately absent: they are read and changed only through
Beacon's pages and API, which check roles and write the audit log.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from beacon.core.ledger import AppendOnlyAdmin
from beacon.core.models import (
    ApiToken,
    AuditEntry,
    PartnerOrganisation,
    Provider,
    Site,
    Team,
    User,
)


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "ndtms_agency_code"]
    search_fields = ["name", "code"]
    inlines = [SiteInline, TeamInline]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "provider"]
    list_filter = ["kind", "provider"]
    search_fields = ["name"]


@admin.register(User)
class BeaconUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "provider", "role", "team", "is_active"]
    list_filter = ["provider", "role", "is_active"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Beacon", {"fields": ("provider", "role", "team", "partner_organisation")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Beacon", {"fields": ("provider", "role", "team", "partner_organisation")}),
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(AppendOnlyAdmin):
    list_display = ["at", "username", "role", "action", "object_type", "object_id", "channel"]
    list_filter = ["action", "channel", "provider"]
    search_fields = ["username", "object_id"]


@admin.register(ApiToken)
class ApiTokenAdmin(AppendOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
