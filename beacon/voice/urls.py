"""Pages of service-user voice: surveys, answering, analysis, events, you said we did."""

from django.urls import path

from beacon.voice import views

app_name = "voice"

urlpatterns = [
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.survey_create, name="survey_new"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="survey"),
    path("surveys/<int:survey_id>/questions/new/", views.question_add, name="question_new"),
    path("surveys/<int:survey_id>/publish/", views.survey_publish, name="publish"),
    path("surveys/<int:survey_id>/new-version/", views.survey_new_version, name="new_version"),
    path("surveys/<int:survey_id>/interview/", views.interview, name="interview"),
    path("surveys/<int:survey_id>/kiosk/", views.kiosk_start, name="kiosk_start"),
    path("surveys/<int:survey_id>/link/", views.link_issue, name="link"),
    path("surveys/<int:survey_id>/analysis/", views.analysis, name="analysis"),
    path(
        "surveys/<int:survey_id>/responses.csv",
        views.responses_download,
        {"kind": "csv"},
        name="responses_csv",
    ),
    path(
        "surveys/<int:survey_id>/responses.xlsx",
        views.responses_download,
        {"kind": "xlsx"},
        name="responses_xlsx",
    ),
    path("surveys/<int:survey_id>/report/", views.report, name="report"),
    path("surveys/<int:survey_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("surveys/<int:survey_id>/themes/", views.themes, name="themes"),
    path("kiosks/<int:kiosk_id>/end/", views.kiosk_end, name="kiosk_end"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/thanks/", views.kiosk_thanks, name="kiosk_thanks"),
    path("answer/<str:token>/", views.answer_link, name="answer"),
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_record, name="event_new"),
    path("events.csv", views.events_download, {"kind": "csv"}, name="events_csv"),
    path("events.xlsx", views.events_download, {"kind": "xlsx"}, name="events_xlsx"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("actions/", views.action_list, name="actions"),
    path("actions/new/", views.action_create, name="action_new"),
    path("actions.csv", views.actions_download, {"kind": "csv"}, name="actions_csv"),
    path("actions.xlsx", views.actions_download, {"kind": "xlsx"}, name="actions_xlsx"),
    path("actions/poster/", views.poster, name="poster"),
    path("actions/<int:voice_action_id>/", views.action_detail, name="action"),
]
