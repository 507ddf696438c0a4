"""Beacon's URLs: pages per app, the JSON API under /api/v1/, and the set-up admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from beacon.core.api import mount_routers

admin.site.site_header = "Beacon set-up"
admin.site.site_title = "Beacon set-up"

urlpatterns = [
    path("", include("beacon.core.urls")),
    path("clients/", include("beacon.clients.urls")),
    path("treatment/", include("beacon.treatment.urls")),
    path("prescribing/", include("beacon.prescribing.urls")),
    path("delivery/", include("beacon.delivery.urls")),
    path("contacts/", include("beacon.contacts.urls")),
    path("api/v1/", mount_routers().urls),
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
