"""Pages of the justice app."""

from django.urls import path

from beacon.justice import views

app_name = "justice"

urlpatterns = [
    path("clients/<str:client_number>/", views.client, name="client"),
    path("clients/<str:client_number>/status/new/", views.status_new, name="status_new"),
    path(
        "clients/<str:client_number>/statuses/<int:justice_status_id>/end/",
        views.status_end,
        name="status_end",
    ),
    path(
        "clients/<str:client_number>/statuses/<int:justice_status_id>/end-date/",
        views.status_end_date,
        name="status_end_date",
    ),
    path("clients/<str:client_number>/hearings/new/", views.hearing_new, name="hearing_new"),
    path("clients/<str:client_number>/release/new/", views.release_new, name="release_new"),
    path("clients/<str:client_number>/consent/new/", views.consent_new, name="consent_new"),
    path("clients/<str:client_number>/reports/new/", views.report_new, name="report_new"),
    path(
        "consents/<int:justice_consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("reports/<int:justice_report_id>/", views.report, name="report"),
    path(
        "reports/<int:justice_report_id>/download/", views.report_download, name="report_download"
    ),
    path("statuses/", views.statuses, name="statuses"),
    path("statuses.csv", views.statuses_csv, name="statuses_csv"),
    path("releases/", views.releases, name="releases"),
    path("releases.csv", views.releases_csv, name="releases_csv"),
    path("supervised/", views.supervised, name="supervised"),
    path("supervised.csv", views.supervised_csv, name="supervised_csv"),
    path("supervised/<str:client_number>/", views.supervised_client, name="supervised_client"),
    path("shared/", views.sharing_log, name="sharing_log"),
    path("shared.csv", views.sharing_log_csv, name="sharing_log_csv"),
]
