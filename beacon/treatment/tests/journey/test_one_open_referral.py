"""At most one open referral per client, also when requests race (issue #9: ten requests
at once made six open referrals): `referral_create` locks the client row for its check and
a partial unique constraint holds it in the database."""

import pytest
from django.db import IntegrityError, transaction

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.concurrency import POSTGRESQL_ONLY, at_once
from beacon.treatment.models import Referral
from beacon.treatment.services.journey import referral_create
from beacon.treatment.tests.factories import ReferralFactory, days_ago

ALREADY_OPEN = "already has an open referral"


@pytest.fixture
def record(users, team):
    return ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_ten_referrals_at_once_open_one(record, users):
    def refer():
        referral_create(
            actor=users["keyworker"],
            client=record,
            data={"referral_date": days_ago(1), "source": "gp"},
        )

    outcomes = at_once(*[refer] * 10)
    assert outcomes.count("done") == 1
    assert [ALREADY_OPEN in outcome for outcome in outcomes].count(True) == 9
    assert Referral.objects.filter(client=record).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_referral_past_the_service(record):
    ReferralFactory(client=record, status=Referral.Status.TRIAGED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFactory(client=record, status=Referral.Status.IN_TREATMENT)
    # Closed and discharged referrals are history: any number of them.
    ReferralFactory(client=record, status=Referral.Status.CLOSED)
    ReferralFactory(client=record, status=Referral.Status.DISCHARGED)
    assert Referral.objects.filter(client=record).count() == 3
