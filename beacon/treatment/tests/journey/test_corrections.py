"""Correcting a saved journey in the services: the same rules as recording, audit, no-ops."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import ProviderFactory, UserFactory
from beacon.treatment.codes import DischargeReason, Substance
from beacon.treatment.models import Referral, Triage
from beacon.treatment.services.journey import (
    assessment_update,
    episode_update,
    referral_update,
    triage_update,
)
from beacon.treatment.tests.factories import (
    ReferralFactory,
    TreatmentEpisodeFactory,
    TriageFactory,
    days_ago,
    journey_episode,
)

pytestmark = pytest.mark.django_db

Status = Referral.Status


@pytest.fixture
def keyworker(users):
    return users["keyworker"]


@pytest.fixture
def client(provider, team, keyworker):
    return ClientFactory(
        provider=provider, team=team, keyworker=keyworker, date_of_birth=datetime.date(1980, 1, 1)
    )


@pytest.fixture
def episode(client):
    return journey_episode(client)


def refused(call, field: str) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return " ".join(caught.value.message_dict[field])


def updates() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE))


# Referral


def test_referral_correction_is_saved_and_audited_with_what_changed(episode, keyworker):
    referral = episode.referral
    referral_update(
        actor=keyworker,
        referral=referral,
        data={
            "source": "gp",
            "reason": "Asks for help with alcohol",
            "referral_date": days_ago(99),
        },
    )
    referral.refresh_from_db()
    assert (referral.source, referral.referral_date) == ("gp", days_ago(99))
    [entry] = updates()
    assert entry.client == episode.client and entry.object_type == "treatment.Referral"
    assert entry.detail == "changed source, reason, referral_date"


def test_referral_correction_that_changes_nothing_saves_and_audits_nothing(episode, keyworker):
    referral = episode.referral
    referral_update(
        actor=keyworker,
        referral=referral,
        data={"source": referral.source, "referral_date": referral.referral_date},
    )
    assert updates() == []


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (days_ago(-1), "The referral date cannot be in the future"),
        (days_ago(97), "The referral date cannot be after triage"),
        (datetime.date(1979, 12, 31), "The referral date cannot be before the client was born"),
    ],
)
def test_referral_correction_keeps_the_journeys_order(episode, keyworker, date, message):
    referral = episode.referral
    got = refused(
        lambda: referral_update(actor=keyworker, referral=referral, data={"referral_date": date}),
        "referral_date",
    )
    assert got.startswith(message)
    referral.refresh_from_db()
    assert referral.referral_date == days_ago(100) and updates() == []


def test_referral_cannot_move_after_an_interventions_dates(client, keyworker):
    episode = journey_episode(client, modality_referred=99)  # referred to it before triage
    got = refused(
        lambda: referral_update(
            actor=keyworker, referral=episode.referral, data={"referral_date": days_ago(98)}
        ),
        "referral_date",
    )
    assert got.startswith("The referral date cannot be after an intervention's dates")


def test_referral_cannot_move_before_the_previous_discharge(client, keyworker):
    earlier = TreatmentEpisodeFactory(client=client, start_date=days_ago(300), discharged=True)
    later = journey_episode(client)
    got = refused(
        lambda: referral_update(
            actor=keyworker,
            referral=later.referral,
            data={"referral_date": earlier.discharge_date - datetime.timedelta(days=1)},
        ),
        "referral_date",
    )
    assert got.startswith("The referral date cannot be before the last discharge")


def test_an_earlier_referral_is_not_bound_by_a_later_discharge(client, keyworker):
    earlier = TreatmentEpisodeFactory(client=client, start_date=days_ago(300), discharged=True)
    TreatmentEpisodeFactory(client=client, start_date=days_ago(100), discharged=True)
    referral = earlier.referral
    new_date = referral.referral_date - datetime.timedelta(days=5)
    referral_update(actor=keyworker, referral=referral, data={"referral_date": new_date})
    referral.refresh_from_db()
    assert referral.referral_date == new_date


# Triage


def test_triage_correction_is_audited_with_what_changed(episode, keyworker):
    triage = episode.referral.triage
    triage_update(
        actor=keyworker, triage=triage, data={"triage_date": days_ago(99), "notes": "Urgent"}
    )
    triage.refresh_from_db()
    assert triage.triage_date == days_ago(99) and triage.notes == "Urgent"
    [entry] = updates()
    assert entry.detail == "changed triage_date, notes" and entry.client == episode.client


def test_triage_correction_that_changes_nothing_writes_no_audit(episode, keyworker):
    triage = episode.referral.triage
    triage_update(
        actor=keyworker, triage=triage, data={"triage_date": days_ago(98), "outcome": "accepted"}
    )
    assert updates() == []


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (days_ago(101), "Triage cannot be before the referral"),
        (days_ago(94), "Triage cannot be after the assessment"),
        (days_ago(-1), "The triage date cannot be in the future"),
    ],
)
def test_triage_correction_keeps_the_journeys_order(episode, keyworker, date, message):
    triage = episode.referral.triage
    got = refused(
        lambda: triage_update(actor=keyworker, triage=triage, data={"triage_date": date}),
        "triage_date",
    )
    assert got.startswith(message)
    triage.refresh_from_db()
    assert triage.triage_date == days_ago(98)


def test_triage_cannot_move_after_treatment_started(client, keyworker):
    episode = TreatmentEpisodeFactory(
        client=client,
        start_date=days_ago(90),
        referral__referral_date=days_ago(100),
        assessed=False,
    )
    triage = TriageFactory(referral=episode.referral, triage_date=days_ago(98))
    got = refused(
        lambda: triage_update(actor=keyworker, triage=triage, data={"triage_date": days_ago(89)}),
        "triage_date",
    )
    assert got.startswith("Triage cannot be after treatment started")


def test_a_discharged_episodes_triage_keeps_its_order(client, keyworker):
    episode = journey_episode(client, discharged=True)
    got = refused(
        lambda: triage_update(
            actor=keyworker, triage=episode.referral.triage, data={"triage_date": days_ago(20)}
        ),
        "triage_date",
    )
    assert got.startswith("Triage cannot be after the assessment")


def test_accepted_cannot_become_signposted_once_treatment_started(episode, keyworker):
    triage = episode.referral.triage
    got = refused(
        lambda: triage_update(actor=keyworker, triage=triage, data={"outcome": "signposted"}),
        "outcome",
    )
    assert "Treatment has started" in got
    triage.refresh_from_db()
    episode.referral.refresh_from_db()
    assert triage.outcome == Triage.Outcome.ACCEPTED
    assert episode.referral.status == Status.IN_TREATMENT and updates() == []


def test_signposting_an_accepted_referral_before_treatment_closes_it(client, keyworker):
    referral = ReferralFactory(client=client, referral_date=days_ago(10), status=Status.TRIAGED)
    triage = TriageFactory(referral=referral, triage_date=days_ago(9))
    triage_update(actor=keyworker, triage=triage, data={"outcome": "signposted"})
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED
    assert [entry.detail for entry in updates()] == ["changed outcome"]


def test_a_referral_closed_at_triage_is_not_reopened(client, keyworker):
    referral = ReferralFactory(client=client, referral_date=days_ago(10), status=Status.CLOSED)
    triage = TriageFactory(referral=referral, triage_date=days_ago(9), outcome="not_attended")
    got = refused(
        lambda: triage_update(actor=keyworker, triage=triage, data={"outcome": "accepted"}),
        "outcome",
    )
    assert "cannot be reopened" in got
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED


def test_closed_outcomes_may_be_swapped(client, keyworker):
    referral = ReferralFactory(client=client, referral_date=days_ago(10), status=Status.CLOSED)
    triage = TriageFactory(referral=referral, triage_date=days_ago(9), outcome="not_attended")
    triage_update(actor=keyworker, triage=triage, data={"outcome": "signposted"})
    triage.refresh_from_db()
    assert triage.outcome == "signposted"


# Assessment


def test_assessment_correction_is_audited_with_what_changed(episode, keyworker):
    assessment = episode.referral.assessment
    assessment_update(
        actor=keyworker,
        assessment=assessment,
        data={"secondary_substance": Substance.CRACK, "drinking_days": 4},
    )
    assessment.refresh_from_db()
    assert assessment.substances == [Substance.HEROIN, Substance.CRACK]
    [entry] = updates()
    assert entry.detail == "changed secondary_substance, drinking_days"


def test_assessment_correction_that_changes_nothing_writes_no_audit(episode, keyworker):
    assessment = episode.referral.assessment
    assessment_update(
        actor=keyworker, assessment=assessment, data={"primary_substance": Substance.HEROIN}
    )
    assert updates() == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"assessment_date": days_ago(99)}, "assessment_date", "cannot be before triage"),
        ({"assessment_date": days_ago(-1)}, "assessment_date", "cannot be in the future"),
        ({"secondary_substance": Substance.HEROIN}, "secondary_substance", "named once"),
        ({"tertiary_substance": Substance.CRACK}, "secondary_substance", "before a third"),
    ],
)
def test_assessment_correction_keeps_the_same_rules(episode, keyworker, changes, field, message):
    assessment = episode.referral.assessment
    got = refused(
        lambda: assessment_update(actor=keyworker, assessment=assessment, data=changes), field
    )
    assert message in got
    assessment.refresh_from_db()
    assert assessment.assessment_date == days_ago(95) and assessment.secondary_substance == ""


def test_assessment_of_a_discharged_episode_stays_before_the_discharge(client, keyworker):
    episode = journey_episode(client, discharged=True)
    got = refused(
        lambda: assessment_update(
            actor=keyworker,
            assessment=episode.referral.assessment,
            data={"assessment_date": episode.discharge_date + datetime.timedelta(days=1)},
        ),
        "assessment_date",
    )
    assert got.startswith("The assessment cannot be after the discharge")


# Episode


def test_changing_the_keyworker_is_audited(episode, make_user):
    colleague = make_user("keyworker", username="colleague")
    episode_update(actor=colleague, episode=episode, data={"keyworker": colleague})
    episode.refresh_from_db()
    assert episode.keyworker == colleague
    [entry] = updates()
    assert entry.detail == "changed keyworker" and entry.client == episode.client


def test_episode_correction_that_changes_nothing_writes_no_audit(episode, keyworker):
    episode_update(
        actor=keyworker,
        episode=episode,
        data={"keyworker": episode.keyworker, "start_date": episode.start_date},
    )
    assert updates() == []


def test_keyworker_of_another_provider_is_refused(episode, keyworker):
    stranger = UserFactory(provider=ProviderFactory(), role="keyworker")
    got = refused(
        lambda: episode_update(actor=keyworker, episode=episode, data={"keyworker": stranger}),
        "keyworker",
    )
    assert got == "Choose a keyworker of this service"
    episode.refresh_from_db()
    assert episode.keyworker == keyworker


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (99, "Treatment cannot start before triage"),
        (87, "Treatment cannot start after an intervention's dates"),
        (-1, "The start date cannot be in the future"),
    ],
)
def test_episode_start_correction_keeps_the_journeys_order(episode, keyworker, days, message):
    got = refused(
        lambda: episode_update(
            actor=keyworker, episode=episode, data={"start_date": days_ago(days)}
        ),
        "start_date",
    )
    assert got.startswith(message)
    episode.refresh_from_db()
    assert episode.start_date == days_ago(90) and updates() == []


def test_episode_cannot_start_after_its_discharge(client, keyworker):
    episode = TreatmentEpisodeFactory(
        client=client,
        start_date=days_ago(90),
        discharge_date=days_ago(50),
        discharge_reason=DischargeReason.DROPPED_OUT,
    )
    TriageFactory(referral=episode.referral, triage_date=days_ago(100))
    got = refused(
        lambda: episode_update(actor=keyworker, episode=episode, data={"start_date": days_ago(40)}),
        "start_date",
    )
    assert got.startswith("Treatment cannot start after the discharge")


def test_episode_start_cannot_overlap_another_episode(client, keyworker):
    # Discharged 240 days ago; the next referral was triaged 255 days ago (recorded late).
    TreatmentEpisodeFactory(client=client, start_date=days_ago(300), discharged=True)
    later = TreatmentEpisodeFactory(
        client=client, start_date=days_ago(200), referral__referral_date=days_ago(260)
    )
    TriageFactory(referral=later.referral, triage_date=days_ago(255))
    got = refused(
        lambda: episode_update(actor=keyworker, episode=later, data={"start_date": days_ago(245)}),
        "start_date",
    )
    assert got == "This overlaps another treatment episode of this client"
    later.refresh_from_db()
    assert later.start_date == days_ago(200)


def test_an_earlier_episode_is_corrected_while_a_later_one_is_open(client, keyworker):
    earlier = TreatmentEpisodeFactory(client=client, start_date=days_ago(300), discharged=True)
    TriageFactory(referral=earlier.referral, triage_date=days_ago(320))
    journey_episode(client)
    episode_update(actor=keyworker, episode=earlier, data={"start_date": days_ago(310)})
    earlier.refresh_from_db()
    assert earlier.start_date == days_ago(310)
