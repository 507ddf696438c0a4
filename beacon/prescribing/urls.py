"""Pages of the prescribing app."""

from django.urls import path

from beacon.prescribing import views

app_name = "prescribing"

urlpatterns = [
    path("clients/<str:client_number>/", views.prescription_list, name="list"),
    path("clients/<str:client_number>/new/", views.prescription_create, name="create"),
    path("<int:prescription_id>/", views.prescription_detail, name="detail"),
    path("<int:prescription_id>/dose/", views.dose_change, name="dose_change"),
    path("<int:prescription_id>/end/", views.prescription_end, name="end"),
    path("<int:prescription_id>/review/", views.missed_dose_review, name="review"),
    path("<int:prescription_id>/continue/", views.prescription_continue, name="continue"),
    path(
        "prescriptions/<int:prescription_id>/print/",
        views.prescription_print,
        name="print",
    ),
    path("ending-soon/", views.ending_soon, name="ending_soon"),
    path("ending-soon.csv", views.ending_soon_csv, name="ending_soon_csv"),
    path("missed-doses-to-review/", views.reviews_due, name="reviews_due"),
    path("missed-doses-to-review.csv", views.reviews_due_csv, name="reviews_due_csv"),
    path("late-injections/", views.late_injections, name="late_injections"),
    path("late-injections.csv", views.late_injections_csv, name="late_injections_csv"),
    path("instalments/<int:instalment_id>/outcome/", views.instalment_outcome, name="outcome"),
]
