"""Pages of the volunteers app (mounted at /volunteers/)."""

from django.urls import path

from beacon.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.volunteer_list, name="list"),
    path("volunteers.csv", views.volunteer_list_csv, name="list_csv"),
    path("new/", views.volunteer_new, name="new"),
    path("<int:volunteer_id>/", views.volunteer_detail, name="volunteer"),
    path("<int:volunteer_id>/edit/", views.volunteer_edit, name="edit"),
    path("<int:volunteer_id>/training/new/", views.training_new, name="training_new"),
    path("<int:volunteer_id>/supervision/new/", views.supervision_new, name="supervision_new"),
    path("<int:volunteer_id>/hours/new/", views.hours_new, name="hours_new"),
    path(
        "<int:volunteer_id>/representation/new/",
        views.representation_new,
        name="representation_new",
    ),
    path("supervision-overdue/", views.supervision_overdue, name="supervision_overdue"),
    path("my-day/", views.my_day, name="my_day"),
    path("shifts/", views.shift_list, name="shifts"),
    path("shifts.csv", views.shift_list_csv, name="shifts_csv"),
    path("shifts/new/", views.shift_new, name="shift_new"),
    path("shifts/<int:volunteer_shift_id>/", views.shift_detail, name="shift"),
    path("shifts/<int:volunteer_shift_id>/check-in/", views.check_in, name="check_in"),
    path("shifts/<int:volunteer_shift_id>/check-out/", views.check_out, name="check_out"),
    path("shifts/<int:volunteer_shift_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals.csv", views.referral_list_csv, name="referrals_csv"),
    path("referrals/<int:volunteer_referral_id>/", views.referral_detail, name="referral"),
    path(
        "referrals/<int:volunteer_referral_id>/pick-up/",
        views.referral_pick_up,
        name="referral_pick_up",
    ),
    path("report/", views.report, name="report"),
    path("report.csv", views.report_csv, name="report_csv"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
]
