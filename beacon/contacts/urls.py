"""Pages of the contacts app."""

from django.urls import path

from beacon.contacts import views

app_name = "contacts"

urlpatterns = [
    path("clients/<str:client_number>/", views.client_appointments, name="client"),
    path(
        "clients/<str:client_number>/appointments.csv",
        views.client_appointments_csv,
        name="client_csv",
    ),
    path("clients/<str:client_number>/book/", views.appointment_book, name="book"),
    path("clients/<str:client_number>/record/", views.contact_record, name="record"),
    path("appointments/<int:appointment_id>/", views.appointment_detail, name="appointment"),
    path(
        "appointments/<int:appointment_id>/outcome/",
        views.appointment_outcome,
        name="outcome",
    ),
    path("appointments/<int:appointment_id>/notes/new/", views.case_note_write, name="note"),
    path("notes/<int:note_id>/correct/", views.case_note_correct, name="correct"),
    path("groups/", views.group_list, name="groups"),
    path("groups.csv", views.group_list_csv, name="groups_csv"),
    path("groups/new/", views.group_record, name="group_new"),
    path("groups/<int:group_id>/", views.group_detail, name="group"),
    path("diary/", views.diary, name="diary"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups.csv", views.follow_ups_csv, name="follow_ups_csv"),
    path("follow-ups/<int:follow_up_id>/done/", views.follow_up_done, name="follow_up_done"),
    path("not-seen/", views.not_seen, name="not_seen"),
    path("not-seen.csv", views.not_seen_csv, name="not_seen_csv"),
    path("attendance/", views.attendance, name="attendance"),
    path("attendance.csv", views.attendance_csv, name="attendance_csv"),
]
