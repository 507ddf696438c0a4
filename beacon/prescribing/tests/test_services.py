"""Prescribing services beyond the safety rules: end, history, audit, the discharge check."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.prescribing.models import PRESCRIPTION_STATES, Prescription
from beacon.prescribing.selectors import referral_to_first_prescription
from beacon.prescribing.services import prescription_end
from beacon.prescribing.tests.factories import (
    change_dose,
    days_from_today,
    prescribe,
)
from beacon.treatment.codes import DischargeReason
from beacon.treatment.selectors.journey import open_episode
from beacon.treatment.services.journey import episode_discharge
from beacon.treatment.tests.factories import ModalityFactory, RecoveryPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(provider, team, users):
    return ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])


def test_prescription_writes_instalments_and_an_audit_entry(client, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    assert prescription.instalments.count() == 14
    assert prescription.status == Prescription.Status.ACTIVE
    entry = AuditEntry.objects.get(object_type="prescribing.Prescription", action="create")
    assert entry.client == client and entry.username == users["prescriber"].username


def test_end_removes_the_unsupplied_instalments_after_the_last_day(client, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    prescription_end(
        actor=users["prescriber"],
        prescription=prescription,
        data={"ended_on": days_from_today(0), "end_reason": "Moved to buprenorphine"},
    )
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.ENDED
    assert prescription.ended_on == days_from_today(0)
    assert not prescription.instalments.filter(date__gt=days_from_today(0)).exists()


def test_end_needs_a_reason_and_a_day_within_the_prescription(client, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    with pytest.raises(ValidationError) as exc:
        prescription_end(
            actor=users["prescriber"],
            prescription=prescription,
            data={"ended_on": prescription.start_date - datetime.timedelta(days=2)},
        )
    assert set(exc.value.message_dict) == {"ended_on"}
    with pytest.raises(ValidationError) as exc:
        prescription_end(
            actor=users["prescriber"],
            prescription=prescription,
            data={"ended_on": days_from_today(0), "end_reason": ""},
        )
    assert set(exc.value.message_dict) == {"end_reason"}
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.ACTIVE


def test_ended_prescription_goes_nowhere(client, users):
    assert PRESCRIPTION_STATES.moves[Prescription.Status.ENDED] == set()
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    prescription_end(
        actor=users["prescriber"],
        prescription=prescription,
        data={"ended_on": days_from_today(-1), "end_reason": "Detox complete"},
    )
    prescription.refresh_from_db()
    with pytest.raises(ValidationError):
        PRESCRIPTION_STATES.move(prescription, Prescription.Status.ACTIVE)
    with pytest.raises(ValidationError):
        change_dose(prescription, users["prescriber"], Decimal(20), days_from_today(0))


def test_dose_changes_keep_history(client, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    change_dose(prescription, users["prescriber"], Decimal(25), days_from_today(1))
    change_dose(
        prescription, users["prescriber"], Decimal(20), days_from_today(3), reason="Reducing"
    )
    history = [(c.from_dose, c.to_dose) for c in prescription.dose_changes.all()]
    assert history == [(30, 25), (25, 20)]
    with pytest.raises(ValidationError) as exc:
        change_dose(prescription, users["prescriber"], Decimal(15), days_from_today(2))
    assert set(exc.value.message_dict) == {"effective_date"}


def test_successful_completion_refused_while_a_prescription_is_active(client, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    episode = open_episode(client=client)
    # Structured treatment in a care-planned episode, as any successful completion needs.
    RecoveryPlanFactory(episode=episode, agreed_on=episode.start_date)
    ModalityFactory(episode=episode)
    data = {
        "discharge_date": days_from_today(0),
        "discharge_reason": DischargeReason.COMPLETED_DRUG_FREE,
    }
    with pytest.raises(ValidationError) as exc:
        episode_discharge(actor=users["keyworker"], episode=episode, data=data)
    assert exc.value.message_dict["discharge_reason"] == [
        "A successful completion is not possible while an opioid substitution prescription "
        f"still supplies (its last day is {prescription.end_date:%d/%m/%Y}): end it first, "
        "or discharge after its last day"
    ]
    prescription_end(
        actor=users["prescriber"],
        prescription=prescription,
        data={"ended_on": days_from_today(-1), "end_reason": "Detox complete"},
    )
    episode_discharge(actor=users["keyworker"], episode=episode, data=data)
    episode.refresh_from_db()
    assert episode.discharge_reason == DischargeReason.COMPLETED_DRUG_FREE


def test_days_from_referral_to_first_prescription(client, users):
    assert referral_to_first_prescription(client=client) is None
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    episode = open_episode(client=client)
    result = referral_to_first_prescription(client=client)
    assert result.referral_date == episode.referral.referral_date
    assert result.days == (prescription.start_date - episode.referral.referral_date).days
