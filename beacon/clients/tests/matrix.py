"""Authorization matrix rows for client records (see beacon/core/tests/matrix.py)."""

from beacon.clients.tests.factories import ContactFactory
from beacon.core.tests.matrix import (
    CLIENT_READERS,
    CLIENT_WRITERS,
    UNAUTHENTICATED,
    api_write_for,
    outcome_for,
)


def samples(base: dict) -> dict:
    contact = ContactFactory(client=base["client"])
    return {"client_number": base["client"].client_number, "contact_id": contact.pk}


PAGES = {
    "clients/": ("GET", outcome_for(CLIENT_READERS)),
    "clients/new/": ("GET", outcome_for(CLIENT_WRITERS)),
    "clients/<str:client_number>/": ("GET", outcome_for(CLIENT_READERS)),
    "clients/<str:client_number>/edit/": ("GET", outcome_for(CLIENT_WRITERS)),
    "clients/<str:client_number>/consents/": ("GET", outcome_for(CLIENT_WRITERS)),
    "clients/<str:client_number>/contacts/new/": ("GET", outcome_for(CLIENT_WRITERS)),
    "clients/<str:client_number>/contacts/<int:contact_id>/edit/": (
        "GET",
        outcome_for(CLIENT_WRITERS),
    ),
}

API_READ = outcome_for(CLIENT_READERS, anonymous=UNAUTHENTICATED)
API = {
    "api/v1/clients/": ("GET", API_READ),
    "api/v1/clients/<str:client_number>": ("GET", API_READ),
    "api/v1/clients/<str:client_number>/consents": ("GET", API_READ),
    "api/v1/clients/<str:client_number>/contacts": ("GET", API_READ),
    "api/v1/clients/<str:client_number>/contacts/<int:contact_id>": ("GET", API_READ),
}
# Adding and changing clients: `clients.add_client` and `clients.change_client` (keyworkers
# and managers); the other roles are refused before the body is read.
API_WRITE = api_write_for(CLIENT_WRITERS)
API_WRITES = {
    "api/v1/clients/": ("POST", API_WRITE),
    "api/v1/clients/<str:client_number>": ("PATCH", API_WRITE),
    "api/v1/clients/<str:client_number>/consents": ("PUT", API_WRITE),
    "api/v1/clients/<str:client_number>/contacts": ("POST", API_WRITE),
    "api/v1/clients/<str:client_number>/contacts/<int:contact_id>": ("PATCH", API_WRITE),
}
