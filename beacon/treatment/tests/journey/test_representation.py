"""Re-presentation to this provider: a new triage strictly after a successful discharge and
within 6 calendar months of it (selectors.journey.with_representation, the one rule)."""

import datetime

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.treatment.codes import DischargeReason
from beacon.treatment.models import Referral, Triage
from beacon.treatment.selectors.journey import (
    add_months,
    representation_if_triaged,
    representation_to_provider,
    with_representation,
)
from beacon.treatment.tests.factories import (
    ReferralFactory,
    TreatmentEpisodeFactory,
    TriageFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def client(provider):
    return ClientFactory(provider=provider)


def completed_on(client, day: D, reason=DischargeReason.COMPLETED_DRUG_FREE):
    return TreatmentEpisodeFactory(
        client=client,
        start_date=day - datetime.timedelta(days=100),
        discharge_date=day,
        discharge_reason=reason,
    )


def triaged_on(
    client,
    day: D,
    outcome=Triage.Outcome.ACCEPTED,
    referred: D | None = None,
    status=Referral.Status.TRIAGED,
):
    referral = ReferralFactory(
        client=client,
        referral_date=referred or day - datetime.timedelta(days=2),
        status=status,
    )
    TriageFactory(referral=referral, triage_date=day, outcome=outcome)
    return referral


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 1, 15), 6, D(2025, 7, 15)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2023, 8, 31), 6, D(2024, 2, 29)),
        (D(2025, 3, 31), 6, D(2025, 9, 30)),
        (D(2025, 9, 30), 6, D(2026, 3, 30)),
        (D(2025, 12, 31), -6, D(2025, 6, 30)),
    ],
)
def test_add_months_keeps_the_day_or_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("discharged", "triaged", "counts"),
    [
        (D(2025, 1, 15), D(2025, 7, 15), True),  # the same day six months on
        (D(2025, 1, 15), D(2025, 7, 16), False),  # 182 days later: out (183 days would count)
        (D(2024, 8, 31), D(2025, 2, 28), True),  # end of a shorter month
        (D(2024, 8, 31), D(2025, 3, 1), False),
        (D(2025, 3, 31), D(2025, 9, 30), True),
        (D(2025, 3, 31), D(2025, 10, 1), False),
        (D(2025, 1, 15), D(2025, 1, 15), False),  # strictly after the discharge
        (D(2025, 1, 15), D(2025, 1, 16), True),
    ],
)
def test_re_presentation_is_six_calendar_months_from_discharge_to_triage(
    client, discharged, triaged, counts
):
    completion = completed_on(client, discharged)
    referral = triaged_on(client, triaged, referred=discharged)
    found = representation_to_provider(referral=referral)
    assert (found == completion) if counts else (found is None)
    # The queryset form, which lists and KPIs count with, agrees.
    annotated = with_representation(Referral.objects.filter(pk=referral.pk)).get()
    assert (
        (annotated.represents_after_id == completion.pk)
        if counts
        else (annotated.represents_after_id is None)
    )


def test_re_presentation_is_judged_on_the_triage_date_not_the_referral_date(client):
    completed_on(client, D(2025, 1, 10))
    # Referred within the window, triaged after it: not a re-presentation.
    late = triaged_on(client, D(2025, 7, 20), referred=D(2025, 7, 1))
    assert representation_to_provider(referral=late) is None


def test_a_referral_not_yet_triaged_is_not_a_re_presentation(client):
    completed_on(client, D(2025, 1, 10))
    referral = ReferralFactory(client=client, referral_date=D(2025, 2, 1))
    assert representation_to_provider(referral=referral) is None


@pytest.mark.parametrize("outcome", [Triage.Outcome.SIGNPOSTED, Triage.Outcome.NOT_ATTENDED])
def test_a_referral_closed_at_triage_is_not_a_re_presentation(client, outcome):
    completed_on(client, D(2025, 1, 10))
    referral = triaged_on(client, D(2025, 2, 1), outcome=outcome)
    assert representation_to_provider(referral=referral) is None


def test_no_re_presentation_after_an_unsuccessful_discharge(client):
    completed_on(client, D(2025, 1, 10), reason=DischargeReason.DROPPED_OUT)
    assert representation_to_provider(referral=triaged_on(client, D(2025, 2, 1))) is None


def test_a_referral_does_not_re_present_after_its_own_episode(client):
    episode = completed_on(client, D(2025, 1, 10))
    TriageFactory(referral=episode.referral, triage_date=episode.referral.referral_date)
    assert representation_to_provider(referral=episode.referral) is None


def test_only_this_providers_completions_count(client, other_provider):
    # The same person's completion elsewhere is NDTMS's to match, not this provider's.
    elsewhere = ClientFactory(provider=other_provider, nhs_number=client.nhs_number)
    completed_on(elsewhere, D(2025, 1, 10))
    assert representation_to_provider(referral=triaged_on(client, D(2025, 2, 1))) is None


def test_re_presentations_are_counted_in_one_query(client, django_assert_num_queries):
    for year, status in ((2021, Referral.Status.CLOSED), (2023, Referral.Status.TRIAGED)):
        completed_on(client, D(year, 1, 10))
        triaged_on(client, D(year, 3, 1), status=status)  # one open referral at a time
    other = ClientFactory(provider=client.provider)
    completed_on(other, D(2024, 1, 10))
    triaged_on(other, D(2024, 9, 1))  # too late
    with django_assert_num_queries(1):
        count = (
            with_representation(Referral.objects.all())
            .filter(represents_after_id__isnull=False)
            .count()
        )
    assert count == 2


def test_the_warning_before_triage_uses_the_same_window(client):
    completion = completed_on(client, D(2024, 8, 31))
    assert representation_if_triaged(client=client, on=D(2025, 2, 28)) == completion
    assert representation_if_triaged(client=client, on=D(2025, 3, 1)) is None
    assert representation_if_triaged(client=client, on=D(2024, 8, 31)) is None
