"""Pages for client records."""

from django.urls import path

from beacon.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_search_page, name="search"),
    path("new/", views.client_create_page, name="create"),
    path("<str:client_number>/", views.client_detail, name="detail"),
    path("<str:client_number>/edit/", views.client_edit, name="edit"),
    path("<str:client_number>/consents/", views.client_consents_edit, name="consents"),
    path("<str:client_number>/contacts/new/", views.contact_create_page, name="contact_create"),
    path(
        "<str:client_number>/contacts/<int:contact_id>/edit/",
        views.contact_edit_page,
        name="contact_edit",
    ),
]
