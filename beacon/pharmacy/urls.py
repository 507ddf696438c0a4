"""Pages of the partner pharmacy app."""

from django.urls import path

from beacon.pharmacy import views

app_name = "pharmacy"

urlpatterns = [
    path("due/", views.due, name="due"),
    path("due.csv", views.due_csv, name="due_csv"),
    path("instalments/<int:instalment_id>/", views.instalment, name="instalment"),
    path("instalments/<int:instalment_id>/message/", views.message, name="message"),
    path("figures/", views.figures, name="figures"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
    path("to-phone.csv", views.not_recorded_csv, name="not_recorded_csv"),
    path("<int:pharmacy_id>/phoned/", views.phoned, name="phoned"),
    path("pharmacies/", views.pharmacies, name="pharmacies"),
    path("pharmacies/new/", views.pharmacy_add, name="pharmacy_add"),
    path("pharmacies/<int:pharmacy_id>/edit/", views.pharmacy_edit, name="pharmacy_edit"),
]
