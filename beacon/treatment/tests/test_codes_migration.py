"""Migrations 0005 and 0006 turn the dataset K codes stored as assessment answers into
Beacon's words, and the old inpatient detox and residential rehab modalities into an
intervention in a setting; undone, they put the codes and the two modalities back."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("treatment", "0004_top_not_disclosed_and_new_items")]
AFTER = [("treatment", "0006_stored_codes_to_words")]
DAY = datetime.date(2026, 1, 5)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_journey(apps) -> tuple[int, dict[str, int]]:
    """An assessment with dataset K codes and one modality of each old kind."""
    provider = apps.get_model("core", "Provider").objects.create(name="Old Service", code="OLD")
    team = apps.get_model("core", "Team").objects.create(provider=provider, name="Old team")
    client = apps.get_model("clients", "Client").objects.create(
        provider=provider,
        team=team,
        client_number="OLD000001",
        first_name="Test",
        last_name="Person",
        date_of_birth=datetime.date(1980, 1, 1),
        sex="F",
        ethnicity="NS",
    )
    referral = apps.get_model("treatment", "Referral").objects.create(
        provider=provider, client=client, referral_date=DAY, source="self", status="in_treatment"
    )
    assessment = apps.get_model("treatment", "Assessment").objects.create(
        provider=provider,
        referral=referral,
        assessment_date=DAY,
        primary_substance="alcohol",
        injecting_status="Z",
        housing_need="1",
        employment_status="12",
        parental_status="13",
    )
    episode = apps.get_model("treatment", "TreatmentEpisode").objects.create(
        provider=provider, client=client, referral=referral, start_date=DAY
    )
    Modality = apps.get_model("treatment", "Modality")
    modalities = {
        kind: Modality.objects.create(
            provider=provider, episode=episode, modality_type=kind, referred_date=DAY
        ).pk
        for kind in ("inpatient_detox", "residential_rehab", "recovery_support")
    }
    return assessment.pk, modalities


@pytest.mark.django_db(transaction=True)
def test_stored_codes_become_words_and_old_modalities_an_intervention_in_a_setting():
    try:
        back_and_forth()
    finally:  # whatever happened, later tests on this worker need the latest schema
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def back_and_forth() -> None:
    assessment_id, modalities = old_journey(migrate(BEFORE))

    new = migrate(AFTER)
    assessment = new.get_model("treatment", "Assessment").objects.get(pk=assessment_id)
    assert (
        assessment.injecting_status,
        assessment.housing_need,
        assessment.employment_status,
        assessment.parental_status,
    ) == ("declined", "urgent_problem", "unemployed", "none_live_with_client")
    Modality = new.get_model("treatment", "Modality")
    split = {
        kind: tuple(Modality.objects.filter(pk=pk).values_list("modality_type", "setting").get())
        for kind, pk in modalities.items()
    }
    assert split == {
        "inpatient_detox": ("pharmacological", "inpatient"),
        "residential_rehab": ("psychosocial", "residential"),
        "recovery_support": ("recovery_support", "community"),
    }

    old = migrate(BEFORE)
    assessment = old.get_model("treatment", "Assessment").objects.get(pk=assessment_id)
    assert (assessment.injecting_status, assessment.housing_need) == ("Z", "1")
    assert (assessment.employment_status, assessment.parental_status) == ("12", "13")
    kinds = dict(old.get_model("treatment", "Modality").objects.values_list("pk", "modality_type"))
    assert {kind: kinds[pk] for kind, pk in modalities.items()} == {
        kind: kind for kind in modalities
    }
