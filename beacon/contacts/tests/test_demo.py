"""Demo contacts: clients with a keyworker get a contact with a note, a weekly series, and
some a DNA with its follow-up; running it again adds nothing."""

import random

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.contacts.demo import seed_contacts
from beacon.contacts.models import Appointment, CaseNote, FollowUpTask
from beacon.core.demo import seed_organisations

pytestmark = pytest.mark.django_db


def test_seed_contacts_books_and_records_and_is_idempotent():
    org = seed_organisations(random.Random(1))
    keyworker = next(u for u in org["users"].values() if u.role == "keyworker")
    for _ in range(4):
        ClientFactory(provider=org["provider"], team=keyworker.team, keyworker=keyworker)
    made = seed_contacts(random.Random(2), org)
    assert made == Appointment.objects.count() > 4 * 4
    assert CaseNote.objects.count() == 4
    assert FollowUpTask.objects.count() == 2  # the first and fourth client missed one
    assert Appointment.objects.filter(series__isnull=False).count() == 4 * 4
    assert seed_contacts(random.Random(2), org) == 0
