"""The imports app in the set-up admin: imports and references, to read, never to edit."""

from django.contrib import admin

from beacon.imports.models import ExternalReference, HistoryImport


@admin.register(HistoryImport)
class HistoryImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "source", "status", "created_by", "created_at"]
    list_filter = ["status"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExternalReference)
class ExternalReferenceAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "external_id", "imported_as_history"]
    list_filter = ["kind", "imported_as_history"]
    search_fields = ["external_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
