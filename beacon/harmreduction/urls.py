"""Pages of the harm reduction app: NSP transactions and figures, blood-borne viruses."""

from django.urls import path

from beacon.harmreduction import views

app_name = "harmreduction"

urlpatterns = [
    path("nsp/", views.transaction_list, name="transactions"),
    path("nsp.csv", views.transaction_csv, name="transactions_csv"),
    path("nsp/new/", views.transaction_record, name="record"),
    path("nsp/<int:transaction_id>/", views.transaction_detail, name="transaction"),
    path("nsp/figures/", views.figures, name="figures"),
    path("nsp/figures.csv", views.figures_csv, name="figures_csv"),
    path("clients/<str:client_number>/bbv/", views.client_bbv, name="client_bbv"),
    path("clients/<str:client_number>/bbv/tests/new/", views.bbv_test_record, name="bbv_test"),
    path(
        "clients/<str:client_number>/bbv/hepatitis-b/new/",
        views.hepatitis_b_course_record,
        name="hepatitis_b",
    ),
    path("bbv/tests/<int:test_id>/result/", views.bbv_result_record, name="bbv_result"),
    path(
        "bbv/hepatitis-b/<int:course_id>/doses/new/",
        views.hepatitis_b_dose_record,
        name="hepatitis_b_dose",
    ),
]
