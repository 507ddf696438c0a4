"""The journey's rules in the services: date order, state, discharge, audit, re-presentation."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import ProviderFactory, UserFactory
from beacon.treatment.codes import (
    DischargeReason,
    ModalityExit,
    ModalityType,
    OstMedicine,
    Substance,
    TopStage,
)
from beacon.treatment.models import (
    Assessment,
    Modality,
    Referral,
    TreatmentEpisode,
    TreatmentOutcomesProfile,
    Triage,
)
from beacon.treatment.models.tops import DAY_FIELDS, RATING_FIELDS
from beacon.treatment.services.journey import (
    REFERRAL_STATES,
    assessment_record,
    episode_discharge,
    episode_start,
    modality_add,
    modality_update,
    referral_create,
    triage_record,
)
from beacon.treatment.tests.factories import (
    AssessmentFactory,
    ModalityFactory,
    ReferralFactory,
    TreatmentEpisodeFactory,
    TriageFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

Status = Referral.Status
ASSESSMENT = {
    "primary_substance": Substance.HEROIN,
    "injecting_status": "never",
    "housing_need": "no_problem",
    "employment_status": "unemployed",
    "parental_status": "not_a_parent",
}


@pytest.fixture
def keyworker(users):
    return users["keyworker"]


@pytest.fixture
def client(provider, team, keyworker):
    return ClientFactory(provider=provider, team=team, keyworker=keyworker)


def refused(call, field: str | None = None) -> str:
    """Run `call`, expecting a refusal; return its message (the named field's, if given)."""
    with pytest.raises(ValidationError) as caught:
        call()
    if field is None:
        return " ".join(caught.value.messages)
    return " ".join(caught.value.message_dict[field])


def triaged_referral(client, days: int = 60, assessed: bool = False) -> Referral:
    referral = TriageFactory(
        referral=ReferralFactory(client=client, referral_date=days_ago(days), status="triaged"),
        triage_date=days_ago(days - 2),
    ).referral
    if assessed:  # naming the primary substance, as treatment needs before it starts
        AssessmentFactory(referral=referral, assessment_date=days_ago(days - 2))
    return referral


def top_for(episode, stage=TopStage.REVIEW, **days) -> TreatmentOutcomesProfile:
    values = {**dict.fromkeys(DAY_FIELDS, 0), **dict.fromkeys(RATING_FIELDS, 10), **days}
    return TreatmentOutcomesProfile.objects.create(
        provider=episode.provider,
        client=episode.client,
        episode=episode,
        stage=stage,
        completed_on=days_ago(5),
        **values,
    )


# Referral


def test_new_referral_is_received_and_audited_with_the_client(client, keyworker):
    referral = referral_create(
        actor=keyworker, client=client, data={"referral_date": days_ago(1), "source": "gp"}
    )
    assert referral.status == Status.RECEIVED
    assert referral.provider == client.provider and referral.created_by == keyworker
    entry = AuditEntry.objects.get(action="create", object_type="treatment.Referral")
    assert entry.client == client and entry.username == keyworker.username


def test_referral_dated_in_the_future_is_refused(client, keyworker):
    message = refused(
        lambda: referral_create(
            actor=keyworker, client=client, data={"referral_date": days_ago(-1), "source": "gp"}
        ),
        "referral_date",
    )
    assert message == "The referral date cannot be in the future"
    assert not Referral.objects.exists()


def test_second_open_referral_is_refused(client, keyworker):
    ReferralFactory(client=client, referral_date=days_ago(30))
    message = refused(
        lambda: referral_create(
            actor=keyworker, client=client, data={"referral_date": days_ago(1), "source": "gp"}
        )
    )
    assert "already has an open referral" in message
    assert Referral.objects.count() == 1


def test_referral_after_a_closed_referral_is_accepted(client, keyworker):
    ReferralFactory(client=client, referral_date=days_ago(30), status=Status.CLOSED)
    referral_create(
        actor=keyworker, client=client, data={"referral_date": days_ago(1), "source": "gp"}
    )
    assert Referral.objects.count() == 2


def test_referral_before_the_last_discharge_is_refused(client, keyworker):
    old = TreatmentEpisodeFactory(client=client, start_date=days_ago(200), discharged=True)
    message = refused(
        lambda: referral_create(
            actor=keyworker,
            client=client,
            data={"referral_date": old.discharge_date - datetime.timedelta(days=1), "source": "gp"},
        ),
        "referral_date",
    )
    assert "cannot be before the last discharge" in message


# Triage


def test_triage_before_referral_is_refused(client, keyworker):
    referral = ReferralFactory(client=client, referral_date=days_ago(10))
    message = refused(
        lambda: triage_record(
            actor=keyworker, referral=referral, data={"triage_date": days_ago(11)}
        ),
        "triage_date",
    )
    assert message.startswith("Triage cannot be before the referral")
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED and not Triage.objects.exists()


def test_triage_dated_in_the_future_is_refused(client, keyworker):
    referral = ReferralFactory(client=client, referral_date=days_ago(10))
    message = refused(
        lambda: triage_record(
            actor=keyworker, referral=referral, data={"triage_date": days_ago(-2)}
        ),
        "triage_date",
    )
    assert message == "The triage date cannot be in the future"


def test_accepted_triage_moves_the_referral_on_and_is_audited(client, keyworker):
    referral = ReferralFactory(client=client, referral_date=days_ago(10))
    triage_record(actor=keyworker, referral=referral, data={"triage_date": days_ago(8)})
    referral.refresh_from_db()
    assert referral.status == Status.TRIAGED
    assert AuditEntry.objects.filter(
        action="create", object_type="treatment.Triage", client=client
    ).exists()


def test_signposting_at_triage_closes_the_referral(client, keyworker):
    referral = ReferralFactory(client=client, referral_date=days_ago(10))
    triage_record(
        actor=keyworker,
        referral=referral,
        data={"triage_date": days_ago(8), "outcome": Triage.Outcome.SIGNPOSTED},
    )
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED


def test_triaging_a_referral_twice_is_refused(client, keyworker):
    referral = triaged_referral(client)
    message = refused(
        lambda: triage_record(actor=keyworker, referral=referral, data={"triage_date": days_ago(1)})
    )
    assert "cannot become triaged" in message
    assert Triage.objects.count() == 1


# Referral state machine


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (start, to)
        for start in Status.values
        for to in Status.values
        if to not in REFERRAL_STATES.moves[start]
    ],
)
def test_illegal_referral_status_changes_raise(client, start, to):
    referral = ReferralFactory(client=client, status=start)
    with pytest.raises(ValidationError):
        REFERRAL_STATES.move(referral, to)
    referral.refresh_from_db()
    assert referral.status == start


@pytest.mark.parametrize(
    ("start", "to"),
    [(start, to) for start, targets in REFERRAL_STATES.moves.items() for to in sorted(targets)],
)
def test_legal_referral_status_changes_are_saved(client, start, to):
    referral = ReferralFactory(client=client, status=start)
    REFERRAL_STATES.move(referral, to)
    referral.refresh_from_db()
    assert referral.status == to


# Assessment


def test_assessment_before_triage_is_refused(client, keyworker):
    referral = ReferralFactory(client=client, referral_date=days_ago(10))
    message = refused(
        lambda: assessment_record(
            actor=keyworker,
            referral=referral,
            data={**ASSESSMENT, "assessment_date": days_ago(5)},
        )
    )
    assert message == "Triage the referral before the comprehensive assessment"


def test_assessment_dated_before_triage_is_refused(client, keyworker):
    referral = triaged_referral(client, days=20)
    message = refused(
        lambda: assessment_record(
            actor=keyworker,
            referral=referral,
            data={**ASSESSMENT, "assessment_date": days_ago(19)},
        ),
        "assessment_date",
    )
    assert message.startswith("The assessment cannot be before triage")


def test_tertiary_substance_without_a_secondary_is_refused(client, keyworker):
    referral = triaged_referral(client)
    message = refused(
        lambda: assessment_record(
            actor=keyworker,
            referral=referral,
            data={**ASSESSMENT, "assessment_date": days_ago(5), "tertiary_substance": "crack"},
        ),
        "secondary_substance",
    )
    assert message == "Name the second substance before a third"
    assert not Assessment.objects.exists()


def test_the_same_substance_twice_is_refused(client, keyworker):
    referral = triaged_referral(client)
    message = refused(
        lambda: assessment_record(
            actor=keyworker,
            referral=referral,
            data={
                **ASSESSMENT,
                "assessment_date": days_ago(5),
                "secondary_substance": "crack",
                "tertiary_substance": Substance.HEROIN,
            },
        ),
        "secondary_substance",
    )
    assert message == "Each substance may be named once"


def test_assessment_moves_a_triaged_referral_to_assessed(client, keyworker):
    referral = triaged_referral(client)
    assessment = assessment_record(
        actor=keyworker,
        referral=referral,
        data={**ASSESSMENT, "assessment_date": days_ago(5), "secondary_substance": "crack"},
    )
    referral.refresh_from_db()
    assert referral.status == Status.ASSESSED
    assert assessment.substances == [Substance.HEROIN, Substance.CRACK]


def test_a_referral_closed_at_triage_cannot_be_assessed(client, keyworker):
    referral = TriageFactory(
        referral=ReferralFactory(client=client, referral_date=days_ago(20), status="closed"),
        outcome=Triage.Outcome.SIGNPOSTED,
    ).referral
    message = refused(
        lambda: assessment_record(
            actor=keyworker,
            referral=referral,
            data={**ASSESSMENT, "assessment_date": days_ago(5)},
        )
    )
    assert "cannot be assessed" in message
    assert not Assessment.objects.exists()


# Episode start


def test_treatment_starts_with_the_clients_keyworker_and_is_audited(client, keyworker):
    referral = triaged_referral(client, assessed=True)
    episode = episode_start(actor=keyworker, referral=referral, data={"start_date": days_ago(50)})
    referral.refresh_from_db()
    assert referral.status == Status.IN_TREATMENT
    assert episode.keyworker == keyworker and episode.is_open
    assert AuditEntry.objects.filter(
        action="create", object_type="treatment.TreatmentEpisode", client=client
    ).exists()


def test_treatment_cannot_start_before_triage(client, keyworker):
    referral = triaged_referral(client, days=20, assessed=True)
    message = refused(
        lambda: episode_start(
            actor=keyworker, referral=referral, data={"start_date": days_ago(19)}
        ),
        "start_date",
    )
    assert message.startswith("Treatment cannot start before triage")


def test_treatment_start_in_the_future_is_refused(client, keyworker):
    referral = triaged_referral(client, assessed=True)
    message = refused(
        lambda: episode_start(
            actor=keyworker, referral=referral, data={"start_date": days_ago(-1)}
        ),
        "start_date",
    )
    assert message == "The start date cannot be in the future"


def test_signposted_referral_cannot_start_treatment(client, keyworker):
    referral = TriageFactory(
        referral=ReferralFactory(client=client, referral_date=days_ago(20), status="closed"),
        outcome=Triage.Outcome.SIGNPOSTED,
    ).referral
    message = refused(
        lambda: episode_start(actor=keyworker, referral=referral, data={"start_date": days_ago(5)})
    )
    assert message == "Only a referral accepted at triage can start treatment"


def test_overlapping_episodes_are_refused(client, keyworker):
    # An episode discharged 10 days ago; a (wrongly back-dated) referral starting before it ended.
    TreatmentEpisodeFactory(
        client=client, start_date=days_ago(100), discharged=True, discharge_date=days_ago(10)
    )
    referral = triaged_referral(client, days=40, assessed=True)
    message = refused(
        lambda: episode_start(
            actor=keyworker, referral=referral, data={"start_date": days_ago(30)}
        ),
        "start_date",
    )
    assert message == "This overlaps another treatment episode of this client"
    assert TreatmentEpisode.objects.count() == 1


def test_keyworker_of_another_provider_is_refused(client, keyworker):
    stranger = UserFactory(provider=ProviderFactory(code="ZZZ"), role="keyworker")
    referral = triaged_referral(client, assessed=True)
    message = refused(
        lambda: episode_start(
            actor=keyworker,
            referral=referral,
            data={"start_date": days_ago(5), "keyworker": stranger},
        ),
        "keyworker",
    )
    assert message == "Choose a keyworker of this service"


# Modalities


@pytest.fixture
def episode(client):
    return TreatmentEpisodeFactory(client=client, start_date=days_ago(90), care_planned=True)


def modality_data(episode, **changes) -> dict:
    return {
        "modality_type": ModalityType.PSYCHOSOCIAL,
        "referred_date": episode.start_date,
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"start_date": days_ago(80), "end_date": days_ago(81), "exit_reason": "planned"},
            "end_date",
            "The end date must be after the start",
        ),
        (
            {"referred_date": days_ago(80), "start_date": days_ago(81)},
            "start_date",
            "A modality cannot start before it was referred",
        ),
        (
            {"referred_date": days_ago(200)},
            "referred_date",
            "A modality cannot be referred before the referral",
        ),
        (
            {"referred_date": days_ago(80), "first_appointment_offered": days_ago(85)},
            "first_appointment_offered",
            "The first appointment cannot be offered before the modality referral",
        ),
        ({"referred_date": days_ago(-3)}, "referred_date", "This date cannot be in the future"),
        ({"start_date": days_ago(-3)}, "start_date", "This date cannot be in the future"),
        ({"end_date": days_ago(5)}, "end_date", "Record the start date before the end date"),
        (
            {"start_date": days_ago(80), "end_date": days_ago(5)},
            "exit_reason",
            "Say how the modality ended",
        ),
        (
            {"start_date": days_ago(80), "exit_reason": "planned"},
            "end_date",
            "Give the end date with the exit reason",
        ),
        (
            {"ost_medicine": OstMedicine.METHADONE},
            "ost_medicine",
            "Only a pharmacological intervention can be opioid substitution",
        ),
    ],
)
def test_bad_modality_is_refused(episode, keyworker, changes, field, message):
    got = refused(
        lambda: modality_add(
            actor=keyworker, episode=episode, data=modality_data(episode, **changes)
        ),
        field,
    )
    assert got == message
    assert not Modality.objects.exists()


def test_modality_after_the_discharge_is_refused(client, keyworker):
    episode = TreatmentEpisodeFactory(
        client=client, start_date=days_ago(90), discharged=True, discharge_date=days_ago(30)
    )
    message = refused(
        lambda: modality_add(
            actor=keyworker,
            episode=episode,
            data=modality_data(episode, referred_date=days_ago(20)),
        ),
        "referred_date",
    )
    assert message.startswith("The episode was discharged on")


def test_opioid_substitution_is_recorded_on_a_pharmacological_intervention(episode, keyworker):
    modality = modality_add(
        actor=keyworker,
        episode=episode,
        data=modality_data(
            episode,
            modality_type=ModalityType.PHARMACOLOGICAL,
            ost_medicine=OstMedicine.BUPRENORPHINE,
            start_date=days_ago(85),
        ),
    )
    assert modality.is_active and modality.provider == episode.provider
    assert AuditEntry.objects.filter(
        action="create", object_type="treatment.Modality", client=episode.client
    ).exists()


def test_modality_change_is_audited_with_what_changed(episode, keyworker):
    modality = ModalityFactory(episode=episode, start_date=days_ago(80))
    modality_update(
        actor=keyworker,
        modality=modality,
        data={"end_date": days_ago(10), "exit_reason": ModalityExit.PLANNED},
    )
    modality.refresh_from_db()
    assert modality.end_date == days_ago(10) and not modality.is_active
    entry = AuditEntry.objects.get(action="update", object_type="treatment.Modality")
    assert entry.client == episode.client
    assert "end_date" in entry.detail and "exit_reason" in entry.detail


def test_refused_modality_change_keeps_the_saved_dates(episode, keyworker):
    modality = ModalityFactory(episode=episode, start_date=days_ago(80))
    refused(
        lambda: modality_update(
            actor=keyworker,
            modality=modality,
            data={"end_date": days_ago(85), "exit_reason": ModalityExit.PLANNED},
        )
    )
    modality.refresh_from_db()
    assert modality.end_date is None


# Discharge


def discharge(episode, actor, reason=DischargeReason.COMPLETED_DRUG_FREE, on=None):
    return episode_discharge(
        actor=actor,
        episode=episode,
        data={"discharge_date": on or days_ago(1), "discharge_reason": reason},
    )


def test_discharge_before_the_episode_started_is_refused(episode, keyworker):
    message = refused(
        lambda: discharge(episode, keyworker, on=episode.start_date - datetime.timedelta(days=1)),
        "discharge_date",
    )
    assert message.startswith("Discharge cannot be before the episode started")


def test_discharge_before_the_referral_is_refused(episode, keyworker):
    message = refused(
        lambda: discharge(episode, keyworker, on=episode.referral.referral_date),
        "discharge_date",
    )
    assert message.startswith("Discharge cannot be before")


def test_discharge_in_the_future_is_refused(episode, keyworker):
    message = refused(lambda: discharge(episode, keyworker, on=days_ago(-1)), "discharge_date")
    assert message == "The discharge date cannot be in the future"


def test_discharge_before_a_modality_date_is_refused(episode, keyworker):
    ModalityFactory(episode=episode, referred_date=days_ago(20), start_date=None)
    message = refused(lambda: discharge(episode, keyworker, on=days_ago(30)), "discharge_date")
    assert message.startswith("Discharge cannot be before a modality's dates")


def test_discharging_a_discharged_episode_is_refused(episode, keyworker):
    ModalityFactory(episode=episode)
    discharge(episode, keyworker)
    message = refused(lambda: discharge(episode, keyworker, reason=DischargeReason.MOVED_AWAY))
    assert message == "This episode is already discharged"
    episode.refresh_from_db()
    assert episode.discharge_reason == DischargeReason.COMPLETED_DRUG_FREE


def test_discharge_without_a_valid_reason_is_refused(episode, keyworker):
    message = refused(lambda: discharge(episode, keyworker, reason="cured"), "discharge_reason")
    assert message == "Choose the reason for discharge"


def test_successful_completion_while_opioid_substitution_runs_is_refused(episode, keyworker):
    ModalityFactory(episode=episode, ost=True)
    message = refused(lambda: discharge(episode, keyworker), "discharge_reason")
    assert "not possible while opioid substitution continues" in message
    episode.refresh_from_db()
    assert episode.is_open


def test_unsuccessful_discharge_while_opioid_substitution_runs_is_allowed(episode, keyworker):
    ModalityFactory(episode=episode, ost=True)
    discharge(episode, keyworker, reason=DischargeReason.TRANSFERRED_COMMUNITY)
    episode.refresh_from_db()
    assert not episode.is_open


def test_successful_completion_after_substitution_ended_is_allowed(episode, keyworker):
    ModalityFactory(
        episode=episode, ost=True, end_date=days_ago(20), exit_reason=ModalityExit.PLANNED
    )
    discharge(episode, keyworker)
    episode.refresh_from_db()
    assert episode.discharge_reason == DischargeReason.COMPLETED_DRUG_FREE


def test_occasional_user_completion_is_refused_when_the_exit_top_shows_crack(episode, keyworker):
    ModalityFactory(episode=episode)
    top_for(episode, stage=TopStage.EXIT, crack_days=3)
    message = refused(
        lambda: discharge(episode, keyworker, reason=DischargeReason.COMPLETED_OCCASIONAL_USER),
        "discharge_reason",
    )
    assert "cannot include opiate or crack use" in message


def test_occasional_user_completion_is_allowed_when_the_exit_top_shows_none(episode, keyworker):
    ModalityFactory(episode=episode)
    top_for(episode, stage=TopStage.EXIT, opiate_days=0, crack_days=0, cannabis_days=4)
    discharge(episode, keyworker, reason=DischargeReason.COMPLETED_OCCASIONAL_USER)
    episode.refresh_from_db()
    assert episode.discharge_reason == DischargeReason.COMPLETED_OCCASIONAL_USER


@pytest.mark.parametrize(
    ("reason", "exit_reason"),
    [
        (DischargeReason.COMPLETED_DRUG_FREE, ModalityExit.PLANNED),
        (DischargeReason.DROPPED_OUT, ModalityExit.UNPLANNED),
        (DischargeReason.DECLINED, ModalityExit.UNPLANNED),
        (DischargeReason.WITHDRAWN_BY_PROVIDER, ModalityExit.WITHDRAWN),
    ],
)
def test_running_modalities_end_at_discharge_with_the_matching_exit(
    episode, keyworker, reason, exit_reason
):
    running = ModalityFactory(episode=episode, start_date=days_ago(80))
    ended = ModalityFactory(
        episode=episode, start_date=days_ago(80), end_date=days_ago(40), exit_reason="B"
    )
    never_started = ModalityFactory(episode=episode, start_date=None)
    discharge(episode, keyworker, reason=reason, on=days_ago(2))
    for modality in (running, ended, never_started):
        modality.refresh_from_db()
    assert (running.end_date, running.exit_reason) == (days_ago(2), exit_reason)
    assert (ended.end_date, ended.exit_reason) == (days_ago(40), "B")
    assert never_started.end_date is None


def test_discharge_closes_the_referral_and_is_audited(episode, keyworker):
    ModalityFactory(episode=episode)
    discharge(episode, keyworker)
    episode.referral.refresh_from_db()
    assert episode.referral.status == Status.DISCHARGED
    entry = AuditEntry.objects.get(action="discharge")
    assert entry.client == episode.client
    assert entry.detail == "Treatment completed: drug free"


def test_refused_discharge_leaves_modalities_running(episode, keyworker):
    running = ModalityFactory(episode=episode, ost=True)
    refused(lambda: discharge(episode, keyworker))
    running.refresh_from_db()
    assert running.is_active


# Re-presentation: tests/journey/test_representation.py


def test_modality_update_that_changes_nothing_writes_no_audit_entry(users):
    from beacon.core.models import AuditEntry
    from beacon.treatment.services.journey import modality_update
    from beacon.treatment.tests.factories import ModalityFactory

    modality = ModalityFactory()
    before = AuditEntry.objects.count()
    modality_update(
        actor=users["keyworker"], modality=modality, data={"ost_medicine": modality.ost_medicine}
    )
    assert AuditEntry.objects.count() == before
