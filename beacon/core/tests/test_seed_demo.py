"""`seed_demo` loads a demo that shows every part of Beacon, and running it again adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from beacon.clients.models import Client
from beacon.core.models import AuditEntry, User
from beacon.core.roles import Role
from beacon.treatment.codes import SUCCESSFUL_COMPLETIONS
from beacon.treatment.models import (
    ExitPlan,
    PlanGoal,
    RecoveryPlan,
    Referral,
    TreatmentEpisode,
    TreatmentOutcomesProfile,
)
from beacon.treatment.selectors.journey import with_representation

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", "--clients", "40", stdout=io.StringIO())


def test_one_demo_user_per_role_and_an_admin(seeded):
    for role in Role:
        assert User.objects.filter(username=role.value, role=role).exists()
    assert User.objects.get(username="admin").is_superuser


def test_every_demo_nhs_number_is_from_the_synthetic_range(seeded):
    numbers = Client.objects.exclude(nhs_number="").values_list("nhs_number", flat=True)
    assert numbers and all(number.startswith("999") for number in numbers)


def test_clients_spread_over_every_stage_of_the_journey(seeded):
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(Referral.Status.values)
    reasons = set(TreatmentEpisode.objects.values_list("discharge_reason", flat=True))
    assert reasons & SUCCESSFUL_COMPLETIONS and "dropped_out" in reasons


def test_plans_exit_plans_and_tops_with_some_overdue(seeded):
    today = timezone.localdate()
    assert RecoveryPlan.objects.filter(next_review_date__lt=today).exists()
    assert RecoveryPlan.objects.filter(next_review_date__gte=today).exists()
    assert PlanGoal.objects.filter(in_clients_words=True).exists()
    assert ExitPlan.objects.exists()
    stages = set(TreatmentOutcomesProfile.objects.values_list("stage", flat=True))
    assert {"start", "review", "exit"} <= stages


def test_some_clients_re_present_within_six_months(seeded):
    represented = with_representation(Referral.objects.all()).exclude(represents_after_id=None)
    assert represented.exists()


def test_running_it_again_adds_nothing(seeded):
    counts = (Client.objects.count(), Referral.objects.count(), AuditEntry.objects.count())
    out = io.StringIO()
    call_command("seed_demo", "--clients", "40", stdout=out)
    assert (Client.objects.count(), Referral.objects.count(), AuditEntry.objects.count()) == counts


def test_if_empty_leaves_an_existing_database_alone(seeded):
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "already has data" in out.getvalue()


def test_demo_episodes_cover_the_four_national_substance_groups(seeded):
    from beacon.treatment.codes import SubstanceGroup
    from beacon.treatment.selectors.journey import with_substance_group

    groups = set(
        with_substance_group(TreatmentEpisode.objects.all()).values_list(
            "substance_group", flat=True
        )
    )
    assert groups == set(SubstanceGroup.values)


def test_the_demo_shows_a_cross_titration_and_a_buvidal_first_week(seeded):
    from beacon.prescribing.models import Prescription
    from beacon.prescribing.selectors import client_cross_titrations

    today = timezone.localdate()
    switching = Prescription.objects.filter(cross_titration_until__isnull=False)
    [plan] = client_cross_titrations(client=switching.get().client, today=today)
    assert plan.switching_from.medicine.startswith("methadone") and plan.switching_from.dose == 20
    assert plan.switching_to.medicine.startswith("buprenorphine") and plan.switching_to.reason
    buvidal = Prescription.objects.get(
        medicine="buvidal-16mg-weekly", test_dose_given_at__isnull=False
    )
    assert buvidal.instalments.filter(quantity=8).count() == 2
