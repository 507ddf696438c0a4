"""Pages of the reporting app."""

from django.urls import path

from beacon.reporting.views import dashboard, ndtms

app_name = "reporting"

urlpatterns: list = [
    path("ndtms/", ndtms.ndtms_return_page, name="ndtms_return"),
    path("ndtms/validation.csv", ndtms.ndtms_validation_csv, name="ndtms_validation_csv"),
    path("ndtms/return.csv", ndtms.ndtms_return_csv, name="ndtms_return_csv"),
    path("kpis/", dashboard.dashboard, name="dashboard"),
    path("kpis/quarterly-report.pdf", dashboard.quarterly_report, name="quarterly_report"),
    path(
        "kpis/<str:kpi_table>.<str:kpi_format>",
        dashboard.dashboard_download,
        name="dashboard_download",
    ),
]
