"""Figures commissioners are judged by (issue #8): what a successful completion must agree
with, how discharge closes interventions, what structured treatment is, the primary
substance before any intervention, and the four national substance groups."""

import pytest
from django.core.exceptions import ValidationError

from beacon.clients.tests.factories import ClientFactory
from beacon.treatment.codes import (
    DischargeReason,
    ModalityExit,
    ModalityType,
    Substance,
    SubstanceGroup,
    TopStage,
)
from beacon.treatment.models import Modality, TreatmentEpisode
from beacon.treatment.selectors.journey import substance_group, with_substance_group
from beacon.treatment.services.journey import (
    MODALITY_EXIT_FOR_DISCHARGE,
    episode_discharge,
    episode_start,
    modality_add,
)
from beacon.treatment.tests.factories import (
    AssessmentFactory,
    ModalityFactory,
    ReferralFactory,
    TopFactory,
    TreatmentEpisodeFactory,
    TriageFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def keyworker(users):
    return users["keyworker"]


@pytest.fixture
def client(provider, keyworker):
    return ClientFactory(provider=provider, keyworker=keyworker)


@pytest.fixture
def episode(client):
    """Open since 90 days ago, assessed (heroin), with a care plan and a structured
    psychosocial intervention running."""
    episode = TreatmentEpisodeFactory(client=client, start_date=days_ago(90), care_planned=True)
    ModalityFactory(episode=episode)
    return episode


def discharge(episode, actor, reason, on=None):
    return episode_discharge(
        actor=actor,
        episode=episode,
        data={"discharge_date": on or days_ago(1), "discharge_reason": reason},
    )


def refusal(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return " ".join(caught.value.message_dict["discharge_reason"])


def exit_top(episode, **days):
    return TopFactory(episode=episode, stage=TopStage.EXIT, completed_on=days_ago(2), **days)


# A successful completion agrees with the record


def test_drug_free_completion_is_refused_when_the_exit_top_records_drug_use(episode, keyworker):
    exit_top(episode, cannabis_days=3)
    message = refusal(lambda: discharge(episode, keyworker, DischargeReason.COMPLETED_DRUG_FREE))
    assert "the exit TOP records drug use" in message
    episode.refresh_from_db()
    assert episode.is_open


def test_drug_free_completion_is_allowed_with_an_exit_top_free_of_drugs(episode, keyworker):
    exit_top(episode)
    discharge(episode, keyworker, DischargeReason.COMPLETED_DRUG_FREE)
    assert not TreatmentEpisode.objects.get(pk=episode.pk).is_open


def test_alcohol_free_completion_needs_an_alcohol_problem_recorded(episode, keyworker):
    # The assessment names heroin only.
    message = refusal(lambda: discharge(episode, keyworker, DischargeReason.COMPLETED_ALCOHOL_FREE))
    assert "does not name alcohol" in message


def test_alcohol_free_completion_of_an_alcohol_client_is_allowed(client, keyworker):
    episode = TreatmentEpisodeFactory(
        client=client,
        start_date=days_ago(90),
        care_planned=True,
        assessed__primary_substance=Substance.ALCOHOL,
    )
    ModalityFactory(episode=episode)
    exit_top(episode)
    discharge(episode, keyworker, DischargeReason.COMPLETED_ALCOHOL_FREE)
    assert not TreatmentEpisode.objects.get(pk=episode.pk).is_open


@pytest.mark.parametrize(
    "reason",
    [
        DischargeReason.COMPLETED_DRUG_FREE,
        DischargeReason.COMPLETED_ALCOHOL_FREE,
        DischargeReason.COMPLETED_OCCASIONAL_USER,
    ],
)
def test_any_completion_without_structured_treatment_ever_started_is_refused(
    client, keyworker, reason
):
    episode = TreatmentEpisodeFactory(
        client=client,
        start_date=days_ago(90),
        care_planned=True,
        assessed__primary_substance=Substance.ALCOHOL,
    )
    ModalityFactory(episode=episode, modality_type=ModalityType.RECOVERY_SUPPORT)
    ModalityFactory(episode=episode, start_date=None)  # referred, never started
    assert "needs structured treatment" in refusal(lambda: discharge(episode, keyworker, reason))


def test_a_completion_without_a_care_plan_is_refused(client, keyworker):
    episode = TreatmentEpisodeFactory(client=client, start_date=days_ago(90))
    ModalityFactory(episode=episode)
    message = refusal(lambda: discharge(episode, keyworker, DischargeReason.COMPLETED_DRUG_FREE))
    assert "needs structured treatment" in message


def test_the_occasional_user_check_reads_the_exit_top_not_the_latest_top(episode, keyworker):
    exit_top(episode, crack_days=2)
    # A post-exit-looking later TOP of another stage, free of use, is not what is read.
    TopFactory(episode=episode, stage=TopStage.REVIEW, completed_on=days_ago(1))
    message = refusal(
        lambda: discharge(episode, keyworker, DischargeReason.COMPLETED_OCCASIONAL_USER)
    )
    assert "the exit TOP records some" in message


# Discharge closes every intervention


def test_every_discharge_reason_has_its_modality_exit():
    assert set(MODALITY_EXIT_FOR_DISCHARGE) == set(DischargeReason)
    planned = {r for r, e in MODALITY_EXIT_FOR_DISCHARGE.items() if e == ModalityExit.PLANNED}
    assert planned == {
        DischargeReason.COMPLETED_DRUG_FREE,
        DischargeReason.COMPLETED_ALCOHOL_FREE,
        DischargeReason.COMPLETED_OCCASIONAL_USER,
    }


@pytest.mark.parametrize(
    ("reason", "exit_reason"),
    [
        (DischargeReason.DIED, ModalityExit.DIED),
        (DischargeReason.RETAINED_IN_CUSTODY, ModalityExit.CUSTODY),
        (DischargeReason.TRANSFERRED_CUSTODY, ModalityExit.CUSTODY),
        (DischargeReason.TRANSFERRED_COMMUNITY, ModalityExit.TRANSFERRED),
        (DischargeReason.MOVED_AWAY, ModalityExit.MOVED_AWAY),
        (DischargeReason.OTHER, ModalityExit.OTHER),
    ],
)
def test_discharge_closes_running_interventions_with_the_exit_its_reason_means(
    episode, keyworker, reason, exit_reason
):
    discharge(episode, keyworker, reason)
    running = episode.modalities.get()
    assert (running.end_date, running.exit_reason) == (days_ago(1), exit_reason)
    assert running.exit_reason != ModalityExit.PLANNED


def test_discharge_closes_interventions_never_started_as_not_started(episode, keyworker):
    never = ModalityFactory(
        episode=episode, modality_type=ModalityType.PHARMACOLOGICAL, start_date=None
    )
    discharge(episode, keyworker, DischargeReason.DROPPED_OUT)
    never.refresh_from_db()
    assert (never.start_date, never.end_date, never.exit_reason) == (
        None,
        None,
        ModalityExit.NOT_STARTED,
    )
    assert not Modality.objects.filter(episode=episode, exit_reason="").exists()


# Structured treatment is derived


def test_structured_is_derived_and_the_property_and_query_agree(client):
    planned = TreatmentEpisodeFactory(client=client, start_date=days_ago(90), care_planned=True)
    unplanned = TreatmentEpisodeFactory(
        client=ClientFactory(provider=client.provider), start_date=days_ago(90)
    )
    cases = {
        ModalityFactory(episode=planned): True,
        ModalityFactory(episode=planned, modality_type=ModalityType.RECOVERY_SUPPORT): False,
        # Referred (not started) before the assessment, made 10 days after the referral.
        ModalityFactory(
            episode=planned, referred_date=planned.referral.referral_date, start_date=None
        ): False,
        ModalityFactory(episode=unplanned): False,  # no care plan
    }
    structured = set(Modality.objects.structured().values_list("pk", flat=True))
    for modality, expected in cases.items():
        modality = Modality.objects.get(pk=modality.pk)
        assert modality.structured is expected
        assert (modality.pk in structured) is expected


def test_structured_is_not_asked_for_on_the_form_or_the_api():
    from beacon.treatment.forms.journey import ModalityForm
    from beacon.treatment.schemas.journey import ModalityIn, ModalityUpdateIn

    assert "structured" not in ModalityForm.base_fields
    assert "structured" not in ModalityIn.model_fields
    assert "structured" not in ModalityUpdateIn.model_fields
    assert "structured" not in {f.name for f in Modality._meta.get_fields()}


# A primary substance before the first intervention


def test_treatment_cannot_start_without_an_assessment_naming_the_primary_substance(
    client, keyworker
):
    referral = TriageFactory(
        referral=ReferralFactory(client=client, referral_date=days_ago(20), status="triaged"),
        triage_date=days_ago(18),
    ).referral
    with pytest.raises(ValidationError) as caught:
        episode_start(actor=keyworker, referral=referral, data={"start_date": days_ago(10)})
    assert "main problem substance" in " ".join(caught.value.messages)
    assert not TreatmentEpisode.objects.exists()
    AssessmentFactory(referral=referral, assessment_date=days_ago(15))
    referral.refresh_from_db()
    episode_start(actor=keyworker, referral=referral, data={"start_date": days_ago(10)})


def test_an_intervention_cannot_be_added_without_an_assessment(client, keyworker):
    episode = TreatmentEpisodeFactory(client=client, assessed=False)
    with pytest.raises(ValidationError) as caught:
        modality_add(
            actor=keyworker,
            episode=episode,
            data={"modality_type": ModalityType.PSYCHOSOCIAL, "referred_date": days_ago(5)},
        )
    assert "main problem substance" in " ".join(caught.value.messages)
    assert not Modality.objects.exists()


# The four national substance groups


@pytest.mark.parametrize(
    ("substances", "group"),
    [
        ((Substance.HEROIN, "", ""), SubstanceGroup.OPIATE),
        ((Substance.CRACK, Substance.METHADONE, ""), SubstanceGroup.OPIATE),  # any opiate
        ((Substance.ALCOHOL, Substance.BUPRENORPHINE, ""), SubstanceGroup.OPIATE),
        ((Substance.COCAINE, "", ""), SubstanceGroup.NON_OPIATE),
        ((Substance.CANNABIS, Substance.KETAMINE, ""), SubstanceGroup.NON_OPIATE),
        ((Substance.ALCOHOL, Substance.COCAINE, ""), SubstanceGroup.NON_OPIATE_AND_ALCOHOL),
        ((Substance.CRACK, "", ""), SubstanceGroup.NON_OPIATE),
        (
            (Substance.CANNABIS, Substance.CRACK, Substance.ALCOHOL),
            SubstanceGroup.NON_OPIATE_AND_ALCOHOL,
        ),
        ((Substance.ALCOHOL, "", ""), SubstanceGroup.ALCOHOL),
    ],
)
def test_substance_group_in_python_and_in_the_database_agree(client, substances, group):
    primary, secondary, tertiary = substances
    episode = TreatmentEpisodeFactory(
        client=client,
        assessed__primary_substance=primary,
        assessed__secondary_substance=secondary,
        assessed__tertiary_substance=tertiary,
    )
    episode = TreatmentEpisode.objects.select_related("referral__assessment").get(pk=episode.pk)
    assert substance_group(episode) == group
    assert (
        with_substance_group(TreatmentEpisode.objects.filter(pk=episode.pk)).get().substance_group
        == group
    )


def test_an_episode_without_an_assessment_has_no_substance_group(client):
    episode = TreatmentEpisodeFactory(client=client, assessed=False)
    assert substance_group(episode) is None
    assert with_substance_group(TreatmentEpisode.objects.all()).get().substance_group is None
