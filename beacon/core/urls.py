"""Pages of the core app."""

from django.urls import path

from beacon.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-in/two-factor/", views.two_factor, name="two_factor"),
    path("sign-in/two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("audit/", views.audit_log, name="audit_log"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/read/", views.alerts_read, name="alerts_read"),
    path("api-tokens/", views.api_token_list, name="api_tokens"),
    path("api-tokens/new/", views.api_token_create, name="api_token_create"),
    path("api-tokens/mine/", views.my_api_tokens, name="my_api_tokens"),
    path(
        "api-tokens/<int:token_id>/accept/",
        views.api_token_accept_view,
        name="api_token_accept",
    ),
    path("integration-accounts/", views.integration_accounts, name="integration_accounts"),
    path("locked-accounts/", views.locked_accounts, name="locked_accounts"),
    path(
        "locked-accounts/<int:account_id>/unlock/",
        views.account_unlock_view,
        name="account_unlock",
    ),
    path(
        "api-tokens/<int:token_id>/revoke/",
        views.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("texts/", views.text_list, name="texts"),
    path("texts.csv", views.texts_csv, name="texts_csv"),
    path("texts/<str:purpose>/wording/", views.text_wording_edit, name="text_wording"),
    # The offline forms' service worker (core/static/core/offline.js), scoped to the site.
    path("offline-worker.js", views.offline_worker, name="offline_worker"),
    # GOV.UK Notify's delivery receipts: signed with NOTIFY_CALLBACK_TOKEN, not a sign-in.
    path("notify/callback/", views.notify_callback, name="notify_callback"),
]
