"""Beacon's URLs: pages per app, the JSON API under /api/v1/, and the set-up admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from beacon.core.api import api_urls

admin.site.site_header = "Beacon set-up"
admin.site.site_title = "Beacon set-up"

urlpatterns = [
    path("", include("beacon.core.urls")),
    path("clients/", include("beacon.clients.urls")),
    path("treatment/", include("beacon.treatment.urls")),
    path("prescribing/", include("beacon.prescribing.urls")),
    path("delivery/", include("beacon.delivery.urls")),
    path("pharmacy/", include("beacon.pharmacy.urls")),
    path("contacts/", include("beacon.contacts.urls")),
    path("naloxone/", include("beacon.naloxone.urls")),
    path("harm-reduction/", include("beacon.harmreduction.urls")),
    path("voice/", include("beacon.voice.urls")),
    path("volunteers/", include("beacon.volunteers.urls")),
    path("justice/", include("beacon.justice.urls")),
    path("reporting/", include("beacon.reporting.urls")),
    path("imports/", include("beacon.imports.urls")),
    path("api/v1/", api_urls()),
    path("admin/", admin.site.urls),
    # nhsuk-frontend's stylesheet asks for its icons under /assets/.
    path(
        "assets/<path:asset>",
        RedirectView.as_view(url="/static/nhsuk/assets/%(asset)s", permanent=True),
    ),
]

handler403 = "beacon.core.errors.permission_denied"
handler404 = "beacon.core.errors.page_not_found"
handler500 = "beacon.core.errors.server_error"
