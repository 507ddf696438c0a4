"""Demo volunteers: Val Peerhelp has a record, training, supervision, a shift today and last
week's contacts with a naloxone pack and referrals, once."""

import io
import random

import pytest
from django.utils import timezone

from beacon.core.demo import seed_organisations
from beacon.naloxone.demo import seed_naloxone
from beacon.volunteers.demo import seed_volunteers
from beacon.volunteers.models import OutreachContact, OutreachReferral, Shift, Volunteer

pytestmark = pytest.mark.django_db


def test_the_demo_volunteer_has_a_day_of_outreach_and_a_second_run_adds_none():
    org = seed_organisations(random.Random(1))
    seed_naloxone(random.Random(2), org)
    seed_volunteers(random.Random(3), org, stdout=io.StringIO())
    volunteer = Volunteer.objects.get(user=org["users"]["volunteer"])
    assert volunteer.training.count() >= 5 and volunteer.supervision.exists()
    assert Shift.objects.filter(on=timezone.localdate(), volunteers=volunteer).exists()
    contacts = OutreachContact.objects.filter(volunteer=volunteer)
    assert contacts.count() == 3
    assert contacts.filter(naloxone_supply__isnull=False).count() == 1
    assert OutreachReferral.objects.exclude(outcome="").count() == 1
    assert OutreachReferral.objects.filter(picked_up_at__isnull=True).count() == 1
    seed_volunteers(random.Random(3), org, stdout=io.StringIO())
    assert OutreachContact.objects.count() == 3
