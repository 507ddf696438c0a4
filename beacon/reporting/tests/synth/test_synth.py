"""The synthetic service: every kind of record, the same data from the same seed."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from beacon.clients.models import Client
from beacon.contacts.models import Appointment
from beacon.delivery.models import DeliveryStop
from beacon.harmreduction.models import NspItemGiven, NspTransaction
from beacon.naloxone.models import NaloxoneSupply
from beacon.prescribing.models import Instalment, Prescription
from beacon.treatment.models import (
    Assessment,
    Modality,
    RecoveryPlan,
    Referral,
    TreatmentEpisode,
    Triage,
)
from beacon.voice.models import Answer, Response

EVERY_KIND = (
    Client,
    Referral,
    Triage,
    Assessment,
    TreatmentEpisode,
    Modality,
    RecoveryPlan,
    Prescription,
    Instalment,
    DeliveryStop,
    Appointment,
    NaloxoneSupply,
    NspTransaction,
    NspItemGiven,
    Response,
    Answer,
)


# The records that reach their provider through a parent.
PROVIDER_PATH = {
    Answer: "response__provider__code",
    NspItemGiven: "transaction__provider__code",
}


def _synth(code: str, seed: int = 7) -> None:
    call_command(
        "synth",
        clients=200,
        years=2,
        seed=seed,
        code=code,
        end=datetime.date(2026, 11, 30),
        no_progress=True,
        stdout=io.StringIO(),
    )


def _fingerprint(code: str) -> list[tuple]:
    """What the data says, without ids or the provider's code."""
    clients = Client.objects.filter(provider__code=code).order_by("client_number")
    referrals = Referral.objects.filter(provider__code=code).order_by(
        "client__client_number", "referral_date"
    )
    prescriptions = Prescription.objects.filter(provider__code=code).order_by(
        "client__client_number", "start_date"
    )
    return [
        *clients.values_list("first_name", "last_name", "date_of_birth", "sex", "postcode"),
        *referrals.values_list("referral_date", "source", "status", "episode__discharge_reason"),
        *prescriptions.values_list("medicine", "dose", "start_date", "end_date", "pattern"),
        (Instalment.objects.filter(provider__code=code, outcome="missed").count(),),
        (Appointment.objects.filter(provider__code=code, outcome="dna").count(),),
        (NspTransaction.objects.filter(provider__code=code).count(),),
    ]


@pytest.mark.django_db
def test_synth_makes_every_kind_of_record_for_its_own_synthetic_provider():
    _synth("SYA")
    for model in EVERY_KIND:
        field = PROVIDER_PATH.get(model, "provider__code")
        assert model.objects.filter(**{field: "SYA"}).exists(), model.__name__
    assert Client.objects.filter(provider__code="SYA").count() == 200
    # Successful completions and re-presentations after them, for the KPIs to find.
    assert TreatmentEpisode.objects.filter(
        provider__code="SYA", discharge_reason__startswith="completed"
    ).exists()
    assert Referral.objects.filter(provider__code="SYA").count() > 200
    # An opiate client's successful completion is off substitution by discharge (H-245).
    completed = TreatmentEpisode.objects.filter(
        provider__code="SYA", discharge_reason="completed_drug_free"
    )
    assert completed.exists()
    for episode in completed:
        assert all(p.end_date < episode.discharge_date for p in episode.ost_prescriptions.all())


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    _synth("SYA")
    _synth("SYB")
    _synth("SYC", seed=8)
    assert _fingerprint("SYA") == _fingerprint("SYB")
    assert _fingerprint("SYA") != _fingerprint("SYC")


@pytest.mark.django_db
def test_synth_refuses_a_provider_code_in_use(provider):
    with pytest.raises(CommandError, match="exists already"):
        call_command("synth", clients=1, years=1, code=provider.code, no_progress=True)
