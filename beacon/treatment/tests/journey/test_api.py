"""The treatment journey API: who may read and record, validation, audit, re-presentation."""

import datetime

import pytest
from django.test import Client as HttpClient

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.helpers import audit_entries, error_fields, patch_json, post_json
from beacon.treatment.codes import DischargeReason
from beacon.treatment.models import Assessment, Modality, Referral, TreatmentEpisode, Triage
from beacon.treatment.tests.api_calls import API, iso
from beacon.treatment.tests.factories import (
    AssessmentFactory,
    ModalityFactory,
    RecoveryPlanFactory,
    ReferralFactory,
    TreatmentEpisodeFactory,
    TriageFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

READERS = ["keyworker", "prescriber", "nurse", "manager"]
NON_READERS = ["driver", "volunteer", "commissioner"]
RECORDERS = ["keyworker", "manager"]
NON_RECORDERS = ["prescriber", "nurse", "driver", "volunteer", "commissioner"]


@pytest.fixture
def referral(record):
    """A referral received 120 days ago, not yet triaged."""
    return ReferralFactory(client=record)


@pytest.fixture
def triaged(record):
    """A referral accepted at triage, ready to start treatment."""
    return TriageFactory(referral=ReferralFactory(client=record, status=Referral.Status.TRIAGED))


@pytest.fixture
def assessed(triaged):
    """A referral accepted at triage and assessed (naming the primary substance)."""
    AssessmentFactory(referral=triaged.referral, assessment_date=triaged.triage_date)
    return triaged


@pytest.fixture
def episode(record):
    """An open episode that started 90 days ago."""
    return TreatmentEpisodeFactory(client=record)


@pytest.fixture
def elsewhere_on_the_journey(team, users):
    """Another client of the team, for a test that needs several open referrals: a client
    has one at most (H-86)."""
    return ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])


@pytest.fixture
def modality(episode):
    return ModalityFactory(episode=episode)


def referrals_url(client) -> str:
    return f"{API}/clients/{client.client_number}/referrals"


def read_paths(client, modality) -> list[str]:
    """Every read of the client's journey, down to the modality."""
    episode = modality.episode
    return [
        referrals_url(client),
        f"{API}/referrals/{episode.referral_id}",
        f"{API}/episodes/{episode.pk}",
        f"{API}/episodes/{episode.pk}/modalities",
        f"{API}/modalities/{modality.pk}",
    ]


NEW_REFERRAL = {"referral_date": iso(2), "source": "gp", "referrer_details": "Dr Example, GP"}
NEW_ASSESSMENT = {
    "assessment_date": iso(0),
    "primary_substance": "heroin",
    "primary_age_first_use": 19,
    "primary_route": "smoke",
    "secondary_substance": "crack",
    "injecting_status": "never",
    "housing_need": "no_problem",
    "employment_status": "unemployed",
    "parental_status": "not_a_parent",
}


# Who may read -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_clinical_and_manager_tokens_list_a_clients_referrals(api_as, referral, record, role):
    response = api_as(role).get(referrals_url(record))
    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [referral.pk]


@pytest.mark.parametrize("role", NON_READERS)
def test_driver_volunteer_and_commissioner_tokens_cannot_read_a_journey(
    api_as, modality, record, role
):
    http = api_as(role)
    for path in read_paths(record, modality):
        response = http.get(path)
        assert response.status_code == 403, path
        assert response.json() == {"detail": "Your role does not allow this"}


@pytest.mark.parametrize("role", NON_READERS)
def test_non_readers_get_403_even_for_records_that_do_not_exist(api_as, role):
    http = api_as(role)
    assert http.get(f"{API}/clients/TRS999999/referrals").status_code == 403
    assert http.get(f"{API}/referrals/999999").status_code == 403
    assert http.get(f"{API}/episodes/999999").status_code == 403


@pytest.mark.parametrize("role", ["prescriber", "nurse"])
def test_prescriber_and_nurse_read_episode_and_modalities(api_as, modality, role):
    http = api_as(role)
    assert http.get(f"{API}/episodes/{modality.episode_id}").status_code == 200
    assert http.get(f"{API}/modalities/{modality.pk}").json()["modality_type"] == "psychosocial"


def test_keyworker_of_another_team_cannot_read_the_journey_and_nothing_is_audited(
    api_as, modality, record, keyworker_of_another_team
):
    http = api_as(keyworker_of_another_team)
    for path in read_paths(record, modality):
        assert http.get(path).status_code == 403, path
    assert audit_entries(AuditEntry.Action.VIEW, keyworker_of_another_team) == []


def test_keyworker_of_another_team_reads_a_client_on_own_caseload(
    api_as, referral, record, keyworker_of_another_team
):
    record.keyworker = keyworker_of_another_team
    record.save()
    assert api_as(keyworker_of_another_team).get(referrals_url(record)).status_code == 200


def test_token_of_another_provider_gets_404_for_every_record(api_as, modality, record, outsider):
    http = api_as(outsider)
    episode = modality.episode
    for path in read_paths(record, modality):
        assert http.get(path).status_code == 404, path
    assert post_json(http, referrals_url(record), NEW_REFERRAL).status_code == 404
    assert patch_json(http, f"{API}/modalities/{modality.pk}", {}).status_code == 404
    discharge = {"discharge_date": iso(0), "discharge_reason": "dropped_out"}
    assert post_json(http, f"{API}/episodes/{episode.pk}/discharge", discharge).status_code == 404
    episode.refresh_from_db()
    assert episode.is_open


def test_request_without_a_token_or_with_a_bad_one_is_401(referral, record):
    assert HttpClient().get(referrals_url(record)).status_code == 401
    bad = HttpClient(headers={"Authorization": "Bearer not-a-token"})
    assert bad.get(f"{API}/referrals/{referral.pk}").status_code == 401
    assert post_json(bad, referrals_url(record), NEW_REFERRAL).status_code == 401
    assert Referral.objects.count() == 1


# Who may record ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", RECORDERS)
def test_keyworker_and_manager_tokens_record_a_referral(api_as, record, role):
    response = post_json(api_as(role), referrals_url(record), NEW_REFERRAL)
    assert response.status_code == 201
    body = response.json()
    assert (body["source"], body["status"], body["client_number"]) == (
        "gp",
        "received",
        record.client_number,
    )
    assert body["triage"] is None and body["episode"] is None
    assert record.referrals.get().referrer_details == "Dr Example, GP"


@pytest.mark.parametrize("role", NON_RECORDERS)
def test_other_roles_cannot_record_a_referral(api_as, record, role):
    response = post_json(api_as(role), referrals_url(record), NEW_REFERRAL)
    assert response.status_code == 403
    assert Referral.objects.count() == 0


@pytest.mark.parametrize("role", ["prescriber", "nurse"])
def test_prescriber_and_nurse_cannot_record_any_step_of_the_journey(
    api_as, referral, elsewhere_on_the_journey, role
):
    # Assessment and episode are refused on the role alone, before any rule of the journey.
    http = api_as(role)
    triaged = TriageFactory(
        referral=ReferralFactory(client=elsewhere_on_the_journey, status=Referral.Status.TRIAGED)
    )
    modality = ModalityFactory(episode=TreatmentEpisodeFactory(client=ClientFactory()))
    episode = modality.episode
    attempts = [
        (f"{API}/referrals/{referral.pk}/triage", {"triage_date": iso(1), "outcome": "accepted"}),
        (f"{API}/referrals/{triaged.referral_id}/assessment", NEW_ASSESSMENT),
        (f"{API}/referrals/{triaged.referral_id}/episode", {"start_date": iso(0)}),
        (
            f"{API}/episodes/{episode.pk}/modalities",
            {"modality_type": "recovery_support", "setting": "community", "referred_date": iso(1)},
        ),
        (
            f"{API}/episodes/{episode.pk}/discharge",
            {"discharge_date": iso(0), "discharge_reason": "dropped_out"},
        ),
    ]
    for path, payload in attempts:
        assert post_json(http, path, payload).status_code == 403, path
    response = patch_json(
        http, f"{API}/modalities/{modality.pk}", {"first_appointment_offered": None}
    )
    assert response.status_code == 403
    assert Triage.objects.filter(referral=referral).count() == 0
    assert not Assessment.objects.filter(referral=triaged.referral).exists()
    assert TreatmentEpisode.objects.count() == 1
    assert Modality.objects.count() == 1
    episode.refresh_from_db()
    modality.refresh_from_db()
    assert episode.is_open and modality.first_appointment_offered is not None


def test_keyworker_of_another_team_cannot_record_for_the_client(
    api_as, referral, record, keyworker_of_another_team
):
    http = api_as(keyworker_of_another_team)
    triage = {"triage_date": iso(1), "outcome": "accepted"}
    assert post_json(http, f"{API}/referrals/{referral.pk}/triage", triage).status_code == 403
    assert Triage.objects.count() == 0


# The journey, end to end ------------------------------------------------------------------


def test_keyworker_records_the_whole_journey_and_reads_it_back_nested(api_as, record, users):
    http = api_as("keyworker")
    referral = post_json(http, referrals_url(record), {**NEW_REFERRAL, "referral_date": iso(30)})
    referral_id = referral.json()["id"]

    triage = post_json(
        http,
        f"{API}/referrals/{referral_id}/triage",
        {"triage_date": iso(28), "outcome": "accepted"},
    )
    assert triage.status_code == 201
    assert triage.json()["outcome"] == "accepted"
    assert triage.json()["triaged_by"] == users["keyworker"].username

    assessment = post_json(
        http,
        f"{API}/referrals/{referral_id}/assessment",
        {**NEW_ASSESSMENT, "assessment_date": iso(27)},
    )
    assert assessment.status_code == 201
    assert assessment.json()["tertiary_substance"] is None

    episode = post_json(http, f"{API}/referrals/{referral_id}/episode", {"start_date": iso(25)})
    assert episode.status_code == 201
    episode_id = episode.json()["id"]
    assert episode.json()["keyworker"] == users["keyworker"].username
    assert episode.json()["referral_id"] == referral_id

    modality = post_json(
        http,
        f"{API}/episodes/{episode_id}/modalities",
        {
            "modality_type": "pharmacological",
            "setting": "community",
            "ost_medicine": "methadone",
            "referred_date": iso(25),
            "start_date": iso(24),
        },
    )
    assert modality.status_code == 201
    assert modality.json()["is_active"] is True
    assert modality.json()["setting"] == "community"
    modality_id = modality.json()["id"]

    # A care plan, so the methadone was structured treatment (a completion needs one).
    RecoveryPlanFactory(episode=TreatmentEpisode.objects.get(pk=episode_id), agreed_on=days_ago(24))
    ended = patch_json(
        http, f"{API}/modalities/{modality_id}", {"end_date": iso(2), "exit_reason": "planned"}
    )
    assert ended.status_code == 200
    assert (ended.json()["end_date"], ended.json()["is_active"]) == (iso(2), False)

    discharge = post_json(
        http,
        f"{API}/episodes/{episode_id}/discharge",
        {"discharge_date": iso(1), "discharge_reason": "completed_drug_free"},
    )
    assert discharge.status_code == 200
    assert discharge.json()["successful_completion"] is True

    [listed] = http.get(referrals_url(record)).json()
    assert listed["status"] == "discharged"
    assert listed["triage"]["triage_date"] == iso(28)
    assert listed["assessment"]["primary_substance"] == "heroin"
    assert listed["assessment"]["secondary_substance"] == "crack"
    assert listed["episode"]["discharge_reason"] == "completed_drug_free"
    assert [m["ost_medicine"] for m in listed["episode"]["modalities"]] == ["methadone"]
    assert http.get(f"{API}/referrals/{referral_id}").json() == listed


def test_episode_keyworker_can_be_another_keyworker_of_the_service(
    api_as, assessed, make_user, team
):
    colleague = make_user("keyworker", username="keyworker-colleague", team=team)
    response = post_json(
        api_as("manager"),
        f"{API}/referrals/{assessed.referral_id}/episode",
        {"start_date": iso(0), "keyworker_id": colleague.pk},
    )
    assert response.status_code == 201
    assert TreatmentEpisode.objects.get().keyworker == colleague


def test_triage_that_signposts_closes_the_referral(api_as, referral):
    response = post_json(
        api_as("keyworker"),
        f"{API}/referrals/{referral.pk}/triage",
        {"triage_date": iso(100), "outcome": "signposted", "notes": "Alcohol service nearer home"},
    )
    assert response.status_code == 201
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CLOSED


def test_empty_change_to_a_modality_is_audited_as_a_read(api_as, modality, users):
    response = patch_json(api_as("keyworker"), f"{API}/modalities/{modality.pk}", {})
    assert response.status_code == 200
    assert audit_entries(AuditEntry.Action.UPDATE, users["keyworker"]) == []
    assert len(audit_entries(AuditEntry.Action.VIEW, users["keyworker"])) == 1


def test_modalities_of_an_episode_are_listed_in_referral_order(api_as, episode):
    later = ModalityFactory(episode=episode, referred_date=days_ago(10))
    earlier = ModalityFactory(episode=episode, referred_date=days_ago(80))
    ModalityFactory(
        episode=TreatmentEpisodeFactory(client=ClientFactory(provider=episode.provider))
    )
    response = api_as("nurse").get(f"{API}/episodes/{episode.pk}/modalities")
    assert [m["id"] for m in response.json()] == [earlier.pk, later.pk]


# Validation: 422 naming the field, nothing saved ------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": "friend_of_a_friend"}, "source"),
        ({"source": None}, "source"),
        ({"referral_date": "15/01/2025"}, "referral_date"),
        ({"referral_date": 1736899200}, "referral_date"),
        ({"referral_date": (days_ago(-1)).isoformat()}, "referral_date"),
        ({"referral_date": "1900-01-01"}, "referral_date"),
        ({"referrer_details": "x" * 201}, "referrer_details"),
        ({"reason": "x" * 2001}, "reason"),
        ({"urgency": "high"}, "urgency"),
    ],
)
def test_invalid_referral_is_refused_naming_the_field(api_as, record, changes, field):
    payload = {
        key: value for key, value in {**NEW_REFERRAL, **changes}.items() if value is not None
    }
    response = post_json(api_as("keyworker"), referrals_url(record), payload)
    assert field in error_fields(response)
    assert Referral.objects.count() == 0
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).exists()


def test_second_open_referral_is_refused(api_as, referral, record):
    response = post_json(api_as("keyworker"), referrals_url(record), NEW_REFERRAL)
    assert error_fields(response) == [None]
    assert "already has an open referral" in response.json()["errors"][0]["message"]
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            {"triage_date": iso(121), "outcome": "accepted"},
            "triage_date",
        ),  # the referral came 120 days ago
        ({"triage_date": iso(-1), "outcome": "accepted"}, "triage_date"),
        ({"triage_date": iso(1), "outcome": "maybe"}, "outcome"),
        ({"triage_date": iso(1), "outcome": "accepted", "notes": "x" * 2001}, "notes"),
        ({}, "triage_date"),
    ],
)
def test_invalid_triage_is_refused_and_the_referral_is_unchanged(api_as, referral, payload, field):
    response = post_json(api_as("keyworker"), f"{API}/referrals/{referral.pk}/triage", payload)
    assert field in error_fields(response)
    assert Triage.objects.count() == 0
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED


def test_a_referral_is_triaged_once(api_as, triaged):
    path = f"{API}/referrals/{triaged.referral_id}/triage"
    response = post_json(api_as("keyworker"), path, {"triage_date": iso(1), "outcome": "accepted"})
    assert response.status_code == 422
    assert Triage.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"primary_substance": "chocolate"}, "primary_substance"),
        ({"primary_route": "ear"}, "primary_route"),
        ({"injecting_status": "X"}, "injecting_status"),
        # The dataset's codes are not Beacon's keys: the API takes the words only.
        ({"injecting_status": "N"}, "injecting_status"),
        ({"housing_need": "3"}, "housing_need"),
        ({"employment_status": "12"}, "employment_status"),
        ({"parental_status": "14"}, "parental_status"),
        ({"primary_age_first_use": 4}, "primary_age_first_use"),
        ({"primary_age_first_use": 101}, "primary_age_first_use"),
        ({"primary_age_first_use": "19"}, "primary_age_first_use"),
        ({"alcohol_units_typical_day": 201}, "alcohol_units_typical_day"),
        ({"drinking_days": 29}, "drinking_days"),
        ({"drinking_days": -1}, "drinking_days"),
        ({"notes": "x" * 4001}, "notes"),
        ({"secondary_substance": "heroin"}, "secondary_substance"),
        ({"secondary_substance": None, "tertiary_substance": "cannabis"}, "secondary_substance"),
        ({"assessment_date": iso(-1)}, "assessment_date"),
        ({"assessment_date": iso(200)}, "assessment_date"),
    ],
)
def test_invalid_assessment_is_refused_naming_the_field(api_as, triaged, changes, field):
    payload = {**NEW_ASSESSMENT, **changes}
    path = f"{API}/referrals/{triaged.referral_id}/assessment"
    response = post_json(api_as("keyworker"), path, payload)
    assert field in error_fields(response)
    assert Assessment.objects.count() == 0
    triaged.referral.refresh_from_db()
    assert triaged.referral.status == Referral.Status.TRIAGED


def test_assessment_before_triage_is_refused(api_as, referral):
    response = post_json(
        api_as("keyworker"), f"{API}/referrals/{referral.pk}/assessment", NEW_ASSESSMENT
    )
    assert error_fields(response) == [None]
    assert Assessment.objects.count() == 0


def test_treatment_cannot_start_before_triage(api_as, assessed):
    triaged = assessed
    before_triage = (triaged.triage_date - datetime.timedelta(days=1)).isoformat()
    path = f"{API}/referrals/{triaged.referral_id}/episode"
    response = post_json(api_as("keyworker"), path, {"start_date": before_triage})
    assert error_fields(response) == ["start_date"]
    assert TreatmentEpisode.objects.count() == 0
    triaged.referral.refresh_from_db()
    assert triaged.referral.status == Referral.Status.TRIAGED


def test_treatment_cannot_start_on_a_referral_not_yet_triaged(api_as, referral):
    path = f"{API}/referrals/{referral.pk}/episode"
    response = post_json(api_as("keyworker"), path, {"start_date": iso(0)})
    assert error_fields(response) == [None]
    assert TreatmentEpisode.objects.count() == 0


def test_overlapping_episodes_are_refused(api_as, record):
    previous = TreatmentEpisodeFactory(client=record, discharged=True)  # ended 30 days ago
    triage = TriageFactory(
        referral=ReferralFactory(
            client=record, status=Referral.Status.TRIAGED, referral_date=days_ago(45)
        ),
        triage_date=days_ago(42),
    )
    AssessmentFactory(referral=triage.referral, assessment_date=days_ago(42))
    path = f"{API}/referrals/{triage.referral_id}/episode"
    response = post_json(api_as("keyworker"), path, {"start_date": iso(35)})
    assert error_fields(response) == ["start_date"]
    assert list(TreatmentEpisode.objects.all()) == [previous]


@pytest.mark.parametrize(
    ("keyworker_of", "field"), [("other provider", "keyworker_id"), ("nurse", "keyworker_id")]
)
def test_episode_keyworker_must_be_a_keyworker_of_the_service(
    api_as, triaged, make_user, other_provider, users, keyworker_of, field
):
    if keyworker_of == "nurse":
        chosen = users["nurse"]
    else:
        chosen = make_user("keyworker", provider=other_provider, team=None, username="kw-ors")
    path = f"{API}/referrals/{triaged.referral_id}/episode"
    response = post_json(api_as("manager"), path, {"start_date": iso(0), "keyworker_id": chosen.pk})
    assert error_fields(response) == [field]
    assert TreatmentEpisode.objects.count() == 0


def test_an_intervention_is_sent_with_its_setting_and_the_setting_can_be_changed(api_as, episode):
    http = api_as("keyworker")
    rehab = post_json(
        http,
        f"{API}/episodes/{episode.pk}/modalities",
        {"modality_type": "psychosocial", "setting": "residential", "referred_date": iso(30)},
    )
    assert rehab.status_code == 201
    assert (rehab.json()["modality_type"], rehab.json()["setting"]) == (
        "psychosocial",
        "residential",
    )
    changed = patch_json(
        http, f"{API}/modalities/{rehab.json()['id']}", {"setting": "recovery_house"}
    )
    assert changed.status_code == 200
    assert Modality.objects.get(pk=rehab.json()["id"]).setting == "recovery_house"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_date": iso(10), "end_date": iso(20), "exit_reason": "planned"}, "end_date"),
        ({"end_date": iso(5), "exit_reason": "planned"}, "end_date"),
        ({"start_date": iso(10), "end_date": iso(5)}, "exit_reason"),
        ({"start_date": iso(10), "end_date": iso(5), "exit_reason": "Z"}, "exit_reason"),
        ({"modality_type": "aromatherapy"}, "modality_type"),
        # The old tiered modalities are an intervention in a setting now.
        ({"modality_type": "inpatient_detox"}, "modality_type"),
        ({"modality_type": "residential_rehab"}, "modality_type"),
        ({"setting": "moon"}, "setting"),
        ({"setting": None}, "setting"),
        ({"ost_medicine": "methadone"}, "ost_medicine"),
        ({"ost_medicine": "heroin"}, "ost_medicine"),
        ({"referred_date": iso(-3)}, "referred_date"),
        ({"start_date": iso(40)}, "start_date"),  # before it was referred
        ({"structured": True}, "structured"),  # derived, never sent
    ],
)
def test_invalid_modality_is_refused_naming_the_field(api_as, episode, changes, field):
    payload = {
        "modality_type": "psychosocial",
        "setting": "community",
        "referred_date": iso(30),
        **changes,
    }
    response = post_json(api_as("keyworker"), f"{API}/episodes/{episode.pk}/modalities", payload)
    assert field in error_fields(response)
    assert Modality.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": "1999-01-01", "exit_reason": "planned"}, "end_date"),
        ({"modality_type": None}, "modality_type"),
        ({"setting": None}, "setting"),
        ({"setting": "8"}, "setting"),
        ({"exit_reason": "Q"}, "exit_reason"),
        ({"start_date": None, "end_date": iso(1), "exit_reason": "planned"}, "end_date"),
        ({"episode_id": 1}, "episode_id"),
    ],
)
def test_invalid_change_to_a_modality_is_refused_and_it_is_unchanged(
    api_as, modality, changes, field
):
    response = patch_json(api_as("keyworker"), f"{API}/modalities/{modality.pk}", changes)
    assert field in error_fields(response)
    modality.refresh_from_db()
    assert modality.end_date is None and modality.start_date is not None
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"discharge_date": iso(91), "discharge_reason": "dropped_out"}, "discharge_date"),
        ({"discharge_date": iso(-1), "discharge_reason": "dropped_out"}, "discharge_date"),
        ({"discharge_date": iso(0), "discharge_reason": "bored"}, "discharge_reason"),
        ({"discharge_date": iso(0)}, "discharge_reason"),
        (
            {"discharge_date": iso(0), "discharge_reason": "died", "discharge_notes": "x" * 2001},
            "discharge_notes",
        ),
    ],
)
def test_invalid_discharge_is_refused_and_the_episode_stays_open(api_as, episode, payload, field):
    response = post_json(api_as("keyworker"), f"{API}/episodes/{episode.pk}/discharge", payload)
    assert field in error_fields(response)
    episode.refresh_from_db()
    assert episode.is_open
    assert episode.referral.status == Referral.Status.IN_TREATMENT


def test_successful_completion_is_refused_while_substitution_continues(api_as, episode):
    ost = ModalityFactory(episode=episode, ost=True)
    response = post_json(
        api_as("keyworker"),
        f"{API}/episodes/{episode.pk}/discharge",
        {"discharge_date": iso(0), "discharge_reason": DischargeReason.COMPLETED_DRUG_FREE},
    )
    assert error_fields(response) == ["discharge_reason"]
    episode.refresh_from_db()
    ost.refresh_from_db()
    assert episode.is_open and ost.end_date is None


def test_an_episode_is_discharged_once(api_as, record):
    done = TreatmentEpisodeFactory(client=record, discharged=True)
    response = post_json(
        api_as("keyworker"),
        f"{API}/episodes/{done.pk}/discharge",
        {"discharge_date": iso(0), "discharge_reason": "dropped_out"},
    )
    assert error_fields(response) == [None]
    done.refresh_from_db()
    assert done.discharge_reason == DischargeReason.COMPLETED_DRUG_FREE


# Audit ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("referrals", "treatment journey"),
        ("referral", "referral"),
        ("episode", "treatment episode"),
        ("modalities", "modalities of treatment episode"),
        ("modality", "treatment modality"),
    ],
)
def test_every_read_writes_a_view_entry_for_the_client_on_the_api_channel(
    api_as, modality, record, users, path, detail
):
    episode = modality.episode
    url = {
        "referrals": referrals_url(record),
        "referral": f"{API}/referrals/{episode.referral_id}",
        "episode": f"{API}/episodes/{episode.pk}",
        "modalities": f"{API}/episodes/{episode.pk}/modalities",
        "modality": f"{API}/modalities/{modality.pk}",
    }[path]
    assert api_as("prescriber").get(url).status_code == 200
    [entry] = audit_entries(AuditEntry.Action.VIEW, users["prescriber"])
    assert entry.client == record
    assert entry.channel == AuditEntry.Channel.API
    assert entry.detail.startswith(detail)


def test_refused_read_writes_no_audit_entry(api_as, referral, record, users):
    api_as("driver").get(referrals_url(record))
    assert audit_entries(AuditEntry.Action.VIEW, users["driver"]) == []


def test_each_write_is_audited_by_its_service_on_the_api_channel(
    api_as, elsewhere_on_the_journey, modality, record, users
):
    http = api_as("keyworker")
    referral = ReferralFactory(client=elsewhere_on_the_journey)
    post_json(
        http,
        f"{API}/referrals/{referral.pk}/triage",
        {"triage_date": iso(100), "outcome": "accepted"},
    )
    patch_json(http, f"{API}/modalities/{modality.pk}", {"first_appointment_offered": None})
    post_json(
        http,
        f"{API}/episodes/{modality.episode_id}/discharge",
        {"discharge_date": iso(0), "discharge_reason": "dropped_out"},
    )
    entries = AuditEntry.objects.filter(
        user=users["keyworker"], object_type__startswith="treatment."
    ).exclude(action=AuditEntry.Action.VIEW)
    assert sorted((e.action, e.object_type) for e in entries) == [
        ("create", "treatment.Triage"),
        ("discharge", "treatment.TreatmentEpisode"),
        ("update", "treatment.Modality"),
    ]
    assert {e.channel for e in entries} == {AuditEntry.Channel.API}
    assert {(e.object_type, e.client_id) for e in entries} == {
        ("treatment.Triage", elsewhere_on_the_journey.pk),
        ("treatment.TreatmentEpisode", record.pk),
        ("treatment.Modality", record.pk),
    }
    assert entries.get(action="update").detail == "changed first_appointment_offered"


def test_created_referral_is_audited_with_its_client(api_as, record, users):
    post_json(api_as("manager"), referrals_url(record), NEW_REFERRAL)
    [entry] = audit_entries(AuditEntry.Action.CREATE, users["manager"])
    assert (entry.client, entry.object_type) == (record, "treatment.Referral")
    assert entry.channel == AuditEntry.Channel.API


# Re-presentation --------------------------------------------------------------------------


def test_referral_triaged_within_6_months_of_a_successful_completion_is_a_representation(
    api_as, record
):
    TreatmentEpisodeFactory(client=record, discharged=True)  # completed 30 days ago
    http = api_as("keyworker")
    created = post_json(http, referrals_url(record), {**NEW_REFERRAL, "referral_date": iso(10)})
    assert created.json()["representation_within_6_months"] is False  # not triaged yet
    referral_id = created.json()["id"]
    post_json(
        http,
        f"{API}/referrals/{referral_id}/triage",
        {"triage_date": iso(9), "outcome": "accepted"},
    )
    listed = http.get(referrals_url(record)).json()
    assert [r["representation_within_6_months"] for r in listed] == [True, False]
    read = http.get(f"{API}/referrals/{referral_id}").json()
    assert read["representation_within_6_months"] is True


def test_referral_more_than_6_months_after_a_completion_is_not_a_representation(api_as, record):
    TreatmentEpisodeFactory(client=record, discharged=True, start_date=days_ago(300))
    created = post_json(api_as("keyworker"), referrals_url(record), NEW_REFERRAL)
    assert created.json()["representation_within_6_months"] is False


def test_referral_after_an_unsuccessful_discharge_is_not_a_representation(api_as, record):
    TreatmentEpisodeFactory(
        client=record, discharged=True, discharge_reason=DischargeReason.DROPPED_OUT
    )
    created = post_json(api_as("keyworker"), referrals_url(record), NEW_REFERRAL)
    assert created.status_code == 201
    assert created.json()["representation_within_6_months"] is False


# The schema -------------------------------------------------------------------------------


def test_openapi_schema_lists_the_treatment_endpoints_and_code_lists():
    schema = HttpClient().get("/api/v1/openapi.json").json()
    assert "/api/v1/treatment/clients/{client_number}/referrals" in schema["paths"]
    assert "patch" in schema["paths"]["/api/v1/treatment/modalities/{modality_id}"]
    assert "probation" in schema["components"]["schemas"]["ReferralSource"]["enum"]
    assert "completed_drug_free" in schema["components"]["schemas"]["DischargeReason"]["enum"]


def test_referral_is_not_a_representation_after_its_own_same_day_completion(api_as, record):
    referral = ReferralFactory(
        client=record, referral_date=days_ago(20), status=Referral.Status.DISCHARGED
    )
    TreatmentEpisodeFactory(
        referral=referral,
        start_date=days_ago(20),
        discharge_date=days_ago(20),
        discharge_reason=DischargeReason.COMPLETED_ALCOHOL_FREE,
    )
    [listed] = api_as("keyworker").get(referrals_url(record)).json()
    assert listed["episode"]["successful_completion"] is True
    assert listed["representation_within_6_months"] is False
