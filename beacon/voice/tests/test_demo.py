"""Demo service-user voice: enough answers that the figures mean something, free text
tagged with themes, an event and actions (one on the poster, one overdue); running it again
adds nothing."""

import random

import pytest
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.demo import seed_organisations
from beacon.voice import selectors
from beacon.voice.demo import RESPONSES, seed_voice
from beacon.voice.models import Answer, Response

pytestmark = pytest.mark.django_db


def test_seed_voice_gives_figures_and_actions_and_is_idempotent():
    org = seed_organisations(random.Random(1))
    keyworker = org["users"]["keyworker"]
    for _ in range(4):
        ClientFactory(provider=org["provider"], team=keyworker.team, keyworker=keyworker)
    summary = seed_voice(random.Random(3), org)
    responses = Response.objects.filter(provider=org["provider"])
    assert responses.count() == RESPONSES and summary.startswith(f"{RESPONSES} survey responses")
    assert {"kiosk", "interview", "link"} <= set(responses.values_list("mode", flat=True))
    assert responses.filter(client__isnull=False).exists()
    assert not responses.filter(mode="kiosk", client__isnull=False).exists()
    provider_id = org["provider"].pk
    assert selectors.actions_completed(provider_id=provider_id).count() == 1
    assert selectors.actions_overdue(provider_id=provider_id, today=timezone.localdate()).exists()
    tagged = Answer.objects.filter(response__provider=org["provider"]).exclude(themes=[])
    assert tagged.exists()
    assert seed_voice(random.Random(3), org) == "voice already seeded"
    assert responses.count() == RESPONSES
