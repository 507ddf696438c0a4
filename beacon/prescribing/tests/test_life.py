"""A prescription's life: what it is on a day follows from its dates and the stored
decision; ending from a later day keeps supply until then; a successful completion is
refused while supply is still due, and never blocked by a prescription that ran its course."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.factories import ProviderFactory, TeamFactory, UserFactory
from beacon.prescribing.medicines import MEDICINES
from beacon.prescribing.models import Instalment, Prescription
from beacon.prescribing.presenters import state_label, status_tag
from beacon.prescribing.safety import check_no_overlap, check_outcome
from beacon.prescribing.services import instalment_record_outcome, prescription_end
from beacon.prescribing.tests.factories import (
    METHADONE,
    TAKE_HOME_REASON,
    days_from_today,
    prescribe,
)
from beacon.treatment.codes import DischargeReason
from beacon.treatment.selectors.journey import open_episode
from beacon.treatment.services.journey import episode_discharge
from beacon.treatment.tests.factories import ModalityFactory, TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def client(provider, team, users):
    """In treatment for two months with a care plan and methadone: structured treatment, so
    a successful completion turns on the prescriptions alone."""
    record = ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])
    episode = TreatmentEpisodeFactory(
        client=record, start_date=days_from_today(-60), care_planned=True
    )
    ModalityFactory(episode=episode, ost=True)
    return record


def _one_prescription() -> Prescription:
    """The prescription the examples reshape (made by the first example, kept by the rest:
    they run in one test transaction)."""
    existing = Prescription.objects.first()
    if existing is not None:
        return existing
    provider = ProviderFactory(code="AGR", name="Agreement service")
    team = TeamFactory(provider=provider)
    prescriber = UserFactory(provider=provider, role="prescriber", team=team)
    return prescribe(client=ClientFactory(provider=provider, team=team), prescriber=prescriber)


@settings(max_examples=150, deadline=None)
@given(
    start=st.integers(0, 20),
    length=st.integers(0, 13),
    ended=st.one_of(st.none(), st.integers(-1, 14)),
    status=st.sampled_from(Prescription.Status.values),
    day=st.integers(-3, 40),
)
def test_state_on_and_the_querysets_agree(start, length, ended, status, day):
    """`Prescription.state_on` and `PrescriptionQuerySet.current/supplying/not_over` are one
    definition: for any dates, stored status and day, they say the same."""
    base = days_from_today(-20)
    start_date = base + datetime.timedelta(days=start)
    end_date = start_date + datetime.timedelta(days=length)
    ended_on = None
    if ended is not None:
        ended_on = min(start_date + datetime.timedelta(days=ended), end_date)
    if status == Prescription.Status.ENDED and ended_on is None:
        ended_on = end_date  # the database requires an ended prescription's day
    pk = _one_prescription().pk
    Prescription.objects.filter(pk=pk).update(
        start_date=start_date, end_date=end_date, ended_on=ended_on, status=status
    )
    p = Prescription.objects.get(pk=pk)
    on = base + datetime.timedelta(days=day)
    state = p.state_on(on)
    everyone = Prescription.objects.filter(pk=pk)
    assert everyone.current(on=on).exists() == p.is_current_on(on)
    assert p.is_current_on(on) == (state in {p.State.ACTIVE, p.State.SUSPENDED})
    assert everyone.supplying(on=on).exists() == (state == p.State.ACTIVE)
    assert everyone.not_over(on=on).exists() == (state != p.State.ENDED)


def test_a_prescription_that_ran_its_course_is_ended_without_anyone_ending_it(client, users):
    prescription = prescribe(
        client=client, prescriber=users["prescriber"], start_date=days_from_today(-30)
    )
    assert prescription.status == Prescription.Status.ACTIVE  # nobody ended it
    today = timezone.localdate()
    assert prescription.state_on(today) == Prescription.State.ENDED
    assert not client.ost_prescriptions.current(on=today).exists()
    assert status_tag(prescription, today)["text"] == "Ended"


def test_a_prescription_not_yet_started_says_when_it_starts(client, users, web_as):
    start = days_from_today(180)
    prescription = prescribe(client=client, prescriber=users["prescriber"], start_date=start)
    today = timezone.localdate()
    assert state_label(prescription, today) == f"Starts on {start:%-d %B %Y}"
    assert not client.ost_prescriptions.current(on=today).exists()
    page = web_as("prescriber").get(f"/prescribing/clients/{client.client_number}/")
    text = page.content.decode()
    assert f"Starts on {start:%-d %B %Y}" in text
    assert ">Active<" not in text


def test_ending_from_a_later_day_keeps_supply_until_then(client, users):
    prescription = prescribe(
        client=client, prescriber=users["prescriber"], start_date=days_from_today(-2)
    )
    last = days_from_today(3)
    prescription_end(
        actor=users["prescriber"],
        prescription=prescription,
        data={"ended_on": last, "end_reason": "Moving to another service"},
    )
    prescription.refresh_from_db()
    today = timezone.localdate()
    assert prescription.is_current_on(today) and prescription.is_current_on(last)
    assert not prescription.is_current_on(last + ONE_DAY)
    assert max(prescription.instalments.values_list("date", flat=True)) == last
    todays = prescription.instalments.get(date=today)
    instalment_record_outcome(
        actor=users["prescriber"], instalment=todays, data={"outcome": "collected"}
    )
    todays.refresh_from_db()
    assert todays.outcome == Instalment.Outcome.COLLECTED


def test_stopping_todays_dose_ends_it_yesterday(client, users):
    prescription = prescribe(
        client=client, prescriber=users["prescriber"], start_date=days_from_today(-2)
    )
    prescription_end(
        actor=users["prescriber"],
        prescription=prescription,
        data={"ended_on": days_from_today(-1), "end_reason": "Admitted to hospital"},
    )
    prescription.refresh_from_db()
    yesterday = prescription.instalments.get(date=days_from_today(-1))
    assert not prescription.instalments.filter(date=days_from_today(0)).exists()
    with pytest.raises(ValidationError):
        check_outcome(
            Instalment(prescription=prescription, date=days_from_today(0), quantity=30),
            "collected",
            today=timezone.localdate(),
        )
    check_outcome(yesterday, "collected", today=timezone.localdate())  # still recordable


def test_a_prescription_stopped_before_its_first_day_never_supplies(client, users):
    start = days_from_today(5)
    prescription = prescribe(client=client, prescriber=users["prescriber"], start_date=start)
    prescription_end(
        actor=users["prescriber"],
        prescription=prescription,
        data={"ended_on": start - ONE_DAY, "end_reason": "Written in error"},
    )
    prescription.refresh_from_db()
    assert prescription.instalments.count() == 0
    assert prescription.state_on(timezone.localdate()) == Prescription.State.ENDED
    assert not client.ost_prescriptions.not_over(on=timezone.localdate()).exists()


def test_overlap_ignores_a_prescription_that_ran_its_course_and_counts_one_ending_later(
    client, users
):
    old = prescribe(client=client, prescriber=users["prescriber"], start_date=days_from_today(-20))
    methadone = MEDICINES[METHADONE]
    check_no_overlap(
        client=client, medicine=methadone, start=days_from_today(-6), end=days_from_today(7)
    )  # old ended by date on day -7
    assert old.status == Prescription.Status.ACTIVE
    running = prescribe(
        client=client, prescriber=users["prescriber"], start_date=days_from_today(-6)
    )
    prescription_end(
        actor=users["prescriber"],
        prescription=running,
        data={"ended_on": days_from_today(2), "end_reason": "Reducing"},
    )
    with pytest.raises(ValidationError) as exc:
        check_no_overlap(
            client=client, medicine=methadone, start=days_from_today(1), end=days_from_today(10)
        )
    assert "start_date" in exc.value.message_dict
    check_no_overlap(
        client=client, medicine=methadone, start=days_from_today(3), end=days_from_today(10)
    )


def _discharge_data(on):
    return {"discharge_date": on, "discharge_reason": DischargeReason.COMPLETED_DRUG_FREE}


def _end_ost_modality(episode, on):
    # Treatment's own rule refuses a successful completion while the OST modality runs.
    episode.modalities.filter(end_date__isnull=True).update(end_date=on)


def test_a_prescription_that_ran_its_course_never_blocks_a_successful_completion(client, users):
    prescribe(client=client, prescriber=users["prescriber"], start_date=days_from_today(-40))
    episode = open_episode(client=client)
    _end_ost_modality(episode, days_from_today(-27))
    episode_discharge(
        actor=users["keyworker"], episode=episode, data=_discharge_data(days_from_today(0))
    )
    episode.refresh_from_db()
    assert episode.discharge_reason == DischargeReason.COMPLETED_DRUG_FREE


@pytest.mark.parametrize(
    ("start", "ended_on", "discharge", "refused"),
    [
        (-13, None, 0, True),  # its last day is today: today's instalment is still due
        (-14, None, 0, False),  # its last day was yesterday: over
        (-5, 1, 0, True),  # ended from tomorrow: due until then
        (-5, -1, 0, False),  # ended from yesterday: over
        (3, None, 0, True),  # starts in three days: supply still to come
    ],
)
def test_successful_completion_refused_while_an_instalment_is_still_due(
    client, users, start, ended_on, discharge, refused
):
    prescription = prescribe(
        client=client, prescriber=users["prescriber"], start_date=days_from_today(start)
    )
    if ended_on is not None:
        prescription_end(
            actor=users["prescriber"],
            prescription=prescription,
            data={"ended_on": days_from_today(ended_on), "end_reason": "Planned end"},
        )
    episode = open_episode(client=client)
    _end_ost_modality(episode, max(days_from_today(-1), episode.start_date))
    data = _discharge_data(days_from_today(discharge))
    if refused:
        with pytest.raises(ValidationError) as exc:
            episode_discharge(actor=users["keyworker"], episode=episode, data=data)
        assert "discharge_reason" in exc.value.message_dict
        assert open_episode(client=client) is not None
    else:
        episode_discharge(actor=users["keyworker"], episode=episode, data=data)
        episode.refresh_from_db()
        assert episode.discharge_date == days_from_today(discharge)


def test_a_not_yet_started_or_ended_prescription_is_not_on_a_delivery_round(client, users):
    from beacon.delivery.selectors.planning import instalments_for_delivery

    prescription = prescribe(
        client=client,
        prescriber=users["prescriber"],
        start_date=days_from_today(-2),
        pharmacy=None,
        home_delivery=True,
        supervised_days="",
        reason=TAKE_HOME_REASON,
    )
    today = timezone.localdate()
    assert instalments_for_delivery(provider=client.provider, date=today).count() == 1
    Prescription.objects.filter(pk=prescription.pk).update(status="suspended_for_review")
    assert instalments_for_delivery(provider=client.provider, date=today).count() == 0
    assert Decimal(30) == prescription.dose
