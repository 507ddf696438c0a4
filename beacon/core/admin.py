"""Set-up screens for the superuser: providers, sites, teams, partners, users.

Client records are deliberately absent: they are read and changed only through
Beacon's pages and API, which check roles and write the audit log.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from beacon.core.audit import Action, audit_request
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


class AuditedAdmin(admin.ModelAdmin):
    """An admin whose every list and record read is written to the audit log."""

    def changelist_view(self, request, extra_context=None):
        self._audited(request, "list")
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._audited(request, f"#{object_id}")
        return super().change_view(request, object_id, form_url, extra_context)

    def _audited(self, request, what: str) -> None:
        if request.method == "GET":
            audit_request(
                request,
                action=Action.VIEW,
                detail=f"set-up admin: {self.model._meta.verbose_name_plural} {what}",
            )


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin):
    list_display = ["name", "code", "ndtms_agency_code"]
    search_fields = ["name", "code"]
    inlines = [SiteInline, TeamInline]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "provider"]
    list_filter = ["kind", "provider"]
    search_fields = ["name"]


@admin.register(User)
class BeaconUserAdmin(AuditedAdmin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "provider", "role", "team", "is_active"]
    list_filter = ["provider", "role", "kind", "is_active"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Beacon", {"fields": ("kind", "provider", "role", "team", "partner_organisation")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Beacon", {"fields": ("kind", "provider", "role", "team", "partner_organisation")}),
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditedAdmin, AppendOnlyAdmin):
    # No client record of any provider shows here: the client is named by the entry's
    # object id only, and read through Beacon's own audit log page by the provider's manager.
    list_display = ["at", "username", "role", "action", "object_type", "object_id", "channel"]
    list_filter = ["action", "channel", "provider"]
    search_fields = ["username", "object_id"]
    fields = [
        "at",
        "provider",
        "username",
        "role",
        "action",
        "channel",
        "object_type",
        "object_id",
        "ip_address",
    ]
    readonly_fields = fields


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin, AppendOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
