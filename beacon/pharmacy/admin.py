"""Partner pharmacies in the set-up admin: each pharmacy's address and opening hours (its
name, ODS code and phone are the partner organisation's, in core's admin). Saving a
profile opens the pharmacy's site (naloxone stock and NSP) if it has none yet."""

from django.contrib import admin

from beacon.pharmacy.models import PharmacyProfile
from beacon.pharmacy.services import pharmacy_site_open


@admin.register(PharmacyProfile)
class PharmacyProfileAdmin(admin.ModelAdmin):
    list_display = ("pharmacy", "postcode", "opening_hours", "site")
    list_select_related = ("pharmacy", "site")
    readonly_fields = ("site",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        pharmacy_site_open(actor=request.user, pharmacy=obj.pharmacy)
