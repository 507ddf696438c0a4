"""Two pharmacists recording the same instalment at once: one outcome is kept, the other
is told clearly (PostgreSQL: row locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import PartnerOrganisation
from beacon.core.tests.factories import (
    PartnerOrganisationFactory,
    ProviderFactory,
    TeamFactory,
    UserFactory,
)
from beacon.pharmacy.models import PharmacySupply, Supply
from beacon.pharmacy.services import ALREADY_RECORDED
from beacon.pharmacy.tests.factories import dispensed_at, instalment_of, record
from beacon.prescribing.models import Instalment


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks (select_for_update) need PostgreSQL; SQLite has no concurrent writers, "
    "so this test runs only in the PostgreSQL pass of .ci/run",
)
@pytest.mark.django_db(transaction=True)
def test_two_pharmacists_recording_one_instalment_at_once_keep_one_outcome():
    provider = ProviderFactory(code="PHC")
    team = TeamFactory(provider=provider)
    pharmacy = PartnerOrganisationFactory(
        provider=provider, kind=PartnerOrganisation.Kind.PHARMACY, name="Corner Pharmacy"
    )
    prescriber = UserFactory(role="prescriber", provider=provider, username="prescriber-phc")
    pharmacists = [
        UserFactory(
            role="pharmacist",
            provider=provider,
            partner_organisation=pharmacy,
            username=f"pharmacist-phc-{n}",
        )
        for n in range(2)
    ]
    client = ClientFactory(provider=provider, team=team)
    instalment = instalment_of(dispensed_at(pharmacy, client=client, prescriber=prescriber))
    supplies = [Supply.SUPERVISED, Supply.NOT_COLLECTED]
    barrier = threading.Barrier(2)
    outcomes = []

    def record_one(n: int):
        try:
            barrier.wait(timeout=10)
            record(pharmacists[n], instalment, supplies[n])
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append(exc.message_dict["supply"][0])
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=record_one, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == sorted([ALREADY_RECORDED, "saved"])
    kept = PharmacySupply.objects.get(instalment=instalment)
    expected = (
        Instalment.Outcome.COLLECTED
        if kept.supply == Supply.SUPERVISED
        else Instalment.Outcome.MISSED
    )
    assert Instalment.objects.get(pk=instalment.pk).outcome == expected
