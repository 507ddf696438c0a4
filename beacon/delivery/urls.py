"""Pages of the delivery app (the views module lists the register's URLs)."""

from beacon.delivery import planning_views, police_views, runsheet_views, setup_views, views

app_name = "delivery"

urlpatterns: list = [
    *views.urlpatterns,
    *setup_views.urlpatterns,
    *planning_views.urlpatterns,
    *police_views.urlpatterns,
    *runsheet_views.urlpatterns,
]
