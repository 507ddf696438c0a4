"""Every page of the treatment app: journey, plans, tops and caseload."""

from django.urls import path

from beacon.treatment.views import caseload, journey, plans, tops

app_name = "treatment"

urlpatterns = [
    path("clients/<str:client_number>/", journey.journey, name="journey"),
    path(
        "clients/<str:client_number>/referrals/new/",
        journey.referral_create,
        name="referral_create",
    ),
    path("referrals/<int:referral_id>/edit/", journey.referral_edit, name="referral_edit"),
    path("referrals/<int:referral_id>/triage/", journey.triage_record, name="triage"),
    path("referrals/<int:referral_id>/triage/edit/", journey.triage_edit, name="triage_edit"),
    path("referrals/<int:referral_id>/assessment/", journey.assessment_record, name="assessment"),
    path(
        "referrals/<int:referral_id>/assessment/edit/",
        journey.assessment_edit,
        name="assessment_edit",
    ),
    path("referrals/<int:referral_id>/episode/", journey.episode_start, name="episode_start"),
    path("episodes/<int:episode_id>/edit/", journey.episode_edit, name="episode_edit"),
    path("episodes/<int:episode_id>/modalities/new/", journey.modality_add, name="modality_add"),
    path("modalities/<int:modality_id>/edit/", journey.modality_edit, name="modality_edit"),
    path("episodes/<int:episode_id>/discharge/", journey.episode_discharge, name="discharge"),
    path("caseload/", caseload.caseload_page, name="caseload"),
    path("caseload.csv", caseload.caseload_csv, name="caseload_csv"),
    path("tops-due/", tops.tops_due_page, name="tops_due"),
    path("tops-due.csv", tops.tops_due_csv, name="tops_due_csv"),
    path("exit-plan-reviews/", plans.exit_plan_reviews_page, name="exit_plan_reviews"),
    path("exit-plan-reviews.csv", plans.exit_plan_reviews_csv, name="exit_plan_reviews_csv"),
    path("ost-without-exit-plan/", plans.ost_without_exit_plan_page, name="ost_without_exit_plan"),
    path("clients/<str:client_number>/plan/", plans.plan_page, name="plan"),
    path("clients/<str:client_number>/plan/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/goals/new/", plans.plan_goal_add, name="plan_goal_add"),
    path(
        "plans/<int:plan_id>/goals/<int:goal_id>/achieved/",
        plans.plan_goal_achieved,
        name="plan_goal_achieved",
    ),
    path("plans/<int:plan_id>/actions/new/", plans.plan_action_add, name="plan_action_add"),
    path(
        "plans/<int:plan_id>/actions/<int:action_id>/done/",
        plans.plan_action_done,
        name="plan_action_done",
    ),
    path("plans/<int:plan_id>/reviews/new/", plans.plan_review_add, name="plan_review_add"),
    path("clients/<str:client_number>/exit-plan/", plans.exit_plan_page, name="exit_plan"),
    path(
        "clients/<str:client_number>/exit-plan/new/",
        plans.exit_plan_create,
        name="exit_plan_create",
    ),
    path(
        "clients/<str:client_number>/exit-plan/steps/new/",
        plans.exit_plan_step_add,
        name="exit_plan_step_add",
    ),
    path(
        "clients/<str:client_number>/exit-plan/steps/<int:step_id>/done/",
        plans.exit_plan_step_done,
        name="exit_plan_step_done",
    ),
    path(
        "clients/<str:client_number>/exit-plan/reviews/new/",
        plans.exit_plan_review_add,
        name="exit_plan_review_add",
    ),
    path("clients/<str:client_number>/tops/", tops.tops_page, name="tops"),
    path("clients/<str:client_number>/tops/new/", tops.top_create, name="top_create"),
    path("tops/<int:top_id>/edit/", tops.top_edit, name="top_edit"),
]
