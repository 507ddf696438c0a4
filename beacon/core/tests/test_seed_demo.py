"""`seed_demo` loads a demo that shows every part of Beacon, and running it again adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from beacon.clients.models import Client
from beacon.clients.tests.factories import ClientFactory
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


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for this module's tests (each runs in a savepoint of its own
    inside this transaction, so what one changes the next never sees), undone at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--clients", "40", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_one_demo_user_per_role_and_an_admin(seeded):
    for role in Role:
        assert User.objects.filter(username=role.value, role=role).exists()
    assert User.objects.get(username="admin").is_superuser


def test_the_sign_in_list_of_make_run_names_every_user_seed_demo_makes(seeded):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    listed = {line.split()[0] for line in out.getvalue().splitlines() if line.startswith("  ")}
    assert listed == set(User.objects.values_list("username", flat=True))
    assert {"keyworker2", "keyworker3", "northside.keyworker"} <= listed


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
    # The first week starts today (the demo's late injection was due yesterday).
    buvidal = Prescription.objects.get(
        medicine="buvidal-16mg-weekly", test_dose_given_at__isnull=False, start_date=today
    )
    assert buvidal.instalments.filter(quantity=8).count() == 2


def demo_journeys() -> list[tuple]:
    """What the demo made of each client: their referrals' dates and statuses, and how
    their episodes ended."""
    return list(
        Referral.objects.order_by("client__client_number", "referral_date").values_list(
            "client__client_number",
            "referral_date",
            "status",
            "episode__discharge_date",
            "episode__discharge_reason",
        )
    )


def test_the_demo_is_the_same_whatever_ids_the_database_hands_out():
    """PostgreSQL's sequences are not rolled back, so a demo seeded after other tests (or
    after rows were deleted) gets other ids: the journeys must not follow them."""
    with transaction.atomic():
        call_command("seed_demo", "--clients", "40", stdout=io.StringIO())
        first = demo_journeys()
        transaction.set_rollback(True)
    with transaction.atomic():
        for client in ClientFactory.create_batch(3):  # the ids move on by three
            client.delete()
        call_command("seed_demo", "--clients", "40", stdout=io.StringIO())
        second = demo_journeys()
        transaction.set_rollback(True)

    assert first and second == first
