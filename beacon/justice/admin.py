"""Criminal justice in the set-up admin: what was shared with partners, readable only (the
statuses, releases and reports are recorded on the justice pages, where they are audited)."""

from django.contrib import admin

from beacon.core.ledger import AppendOnlyAdmin
from beacon.justice.models import PartnerRead


@admin.register(PartnerRead)
class PartnerReadAdmin(AppendOnlyAdmin):
    list_display = ("at", "partner_organisation", "user", "client", "what")
    list_select_related = ("partner_organisation", "user", "client")
