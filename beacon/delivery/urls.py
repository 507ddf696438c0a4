"""Every page of the delivery app: the register, set-up, planning, the police notice and
the driver's run sheet (views/<concept>.py)."""

from django.urls import path

from beacon.delivery.views import planning, police, register, runsheet, setup

app_name = "delivery"

urlpatterns = [
    # The controlled-drug register.
    path("register/", register.register_index, name="register_index"),
    path("register/stock-site/", register.stock_site, name="stock_site"),
    # A site's patient returns (before the medicine pages, whose code would match "returns").
    path("register/<int:site_id>/returns/", register.patient_returns, name="patient_returns"),
    path(
        "register/<int:site_id>/returns.csv",
        register.patient_returns_csv,
        name="patient_returns_csv",
    ),
    path(
        "register/<int:site_id>/returns/new/",
        register.patient_return_record,
        name="patient_return_new",
    ),
    path(
        "register/<int:site_id>/returns/<int:return_id>/destroy/",
        register.patient_return_destroy,
        name="patient_return_destroy",
    ),
    # One register page per site and medicine.
    path("register/<int:site_id>/<str:medicine>/", register.register_page, name="register"),
    path(
        "register/<int:site_id>/<str:medicine>/entries.csv",
        register.register_csv,
        name="register_csv",
    ),
    path(
        "register/<int:site_id>/<str:medicine>/record/<str:kind>/",
        register.movement_record,
        name="record",
    ),
    path(
        "register/<int:site_id>/<str:medicine>/correct/",
        register.correction_record,
        name="correct",
    ),
    path("reconciliation/", register.reconciliation, name="reconciliation"),
    # Set-up: vehicles, drivers' shifts, a client's delivery details.
    path("vehicles/", setup.vehicle_list, name="vehicles"),
    path("vehicles/new/", setup.vehicle_create, name="vehicle_new"),
    path("vehicles/<int:vehicle_id>/edit/", setup.vehicle_edit, name="vehicle_edit"),
    path("shifts/", setup.shift_list, name="shifts"),
    path("shifts/new/", setup.shift_create, name="shift_new"),
    path("clients/<str:client_number>/details/", setup.details_view, name="client_details"),
    path(
        "clients/<str:client_number>/details/edit/",
        setup.details_edit,
        name="client_details_edit",
    ),
    # Planning a day's rounds.
    path("days/", planning.day_picker, name="days"),
    path("days/<str:day>/", planning.day_view, name="day"),
    path("days/<str:day>/plan/", planning.day_plan, name="day_plan"),
    path("days/<str:day>/move/", planning.stop_move, name="stop_move"),
    # The police notice of a day.
    path("days/<str:day>/police-notice/", police.notice_view, name="police_notice"),
    path("days/<str:day>/police-notice.csv", police.notice_csv, name="police_notice_csv"),
    path("days/<str:day>/police-notice/sent/", police.notice_sent, name="police_notice_sent"),
    # The driver's run sheet, and the coordinator's hand-over and returns.
    path("my-round/", runsheet.my_round, name="my_round"),
    path("my-round/confirm/", runsheet.my_round_confirm, name="my_round_confirm"),
    path("my-round/stops/<int:stop_id>/", runsheet.my_stop, name="my_stop"),
    path(
        "my-round/stops/<int:stop_id>/delivered/",
        runsheet.stop_delivered,
        name="my_stop_delivered",
    ),
    path(
        "my-round/stops/<int:stop_id>/not-delivered/",
        runsheet.stop_not_delivered,
        name="my_stop_not_delivered",
    ),
    path("rounds/<int:round_id>/hand-over/", runsheet.round_hand_over, name="round_hand_over"),
    path("stops/<int:stop_id>/returned/", runsheet.stop_returned, name="stop_returned"),
    path("stops/<int:stop_id>/hold-back/", runsheet.stop_hold_back, name="stop_hold_back"),
]
