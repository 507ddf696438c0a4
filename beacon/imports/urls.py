"""Pages of the imports app."""

from django.urls import path

from beacon.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.history_import_list, name="list"),
    path("imports.csv", views.history_import_list_csv, name="list_csv"),
    path("new/", views.history_import_upload, name="upload"),
    path("<int:history_import_id>/", views.history_import_detail, name="detail"),
    path("<int:history_import_id>/report.csv", views.history_import_report_csv, name="report_csv"),
    path("<int:history_import_id>/confirm/", views.history_import_confirm, name="confirm"),
]
