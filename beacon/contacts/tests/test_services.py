"""The rules of booking, outcomes, contacts, case notes and groups, through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from beacon.contacts import services
from beacon.contacts.models import (
    NOTE_MAX_LENGTH,
    Appointment,
    AppointmentOutcome,
    CaseNote,
    FollowUpTask,
)
from beacon.contacts.tests.factories import at, book, booked_in_the_past, contact_at
from beacon.core.models import AuditEntry
from beacon.treatment.tests.factories import RecoveryPlanFactory, TreatmentEpisodeFactory


def test_a_weekly_appointment_booked_once_makes_one_appointment_each_week(users, client_record):
    keyworker = users["keyworker"]
    series = book(client_record, keyworker, starts_at=at(2, 10, 30), weeks=4)
    assert len(series) == 4
    local_times = [timezone.localtime(a.starts_at) for a in series]
    assert [t.date() - local_times[0].date() for t in local_times] == [
        datetime.timedelta(weeks=w) for w in range(4)
    ]
    assert {(t.hour, t.minute) for t in local_times} == {(10, 30)}
    assert len({a.series_id for a in series}) == 1


def test_booking_a_time_that_has_passed_is_refused_and_saves_nothing(users, client_record):
    with pytest.raises(ValidationError) as refused:
        book(client_record, users["keyworker"], starts_at=at(-1))
    assert "time has passed" in refused.value.message_dict["starts_at"][0]
    assert Appointment.objects.count() == 0


def test_double_booking_a_staff_member_is_refused(users, client_record, team):
    from beacon.clients.tests.factories import ClientFactory

    keyworker = users["keyworker"]
    book(client_record, keyworker, starts_at=at(1, 10))
    other = ClientFactory(provider=team.provider, team=team, keyworker=keyworker)
    with pytest.raises(ValidationError) as refused:
        book(other, keyworker, starts_at=at(1, 10, 30))
    assert "already has an appointment" in refused.value.message_dict["starts_at"][0]
    assert Appointment.objects.filter(client=other).count() == 0
    # Straight after is free.
    assert book(other, keyworker, starts_at=at(1, 11)).client == other


def test_a_weekly_series_with_one_clash_books_none_of_it(users, client_record, team):
    from beacon.clients.tests.factories import ClientFactory

    keyworker = users["keyworker"]
    other = ClientFactory(provider=team.provider, team=team, keyworker=keyworker)
    book(other, keyworker, starts_at=at(15, 10))
    with pytest.raises(ValidationError):
        book(client_record, keyworker, starts_at=at(1, 10), weeks=4)
    assert Appointment.objects.filter(client=client_record).count() == 0


def test_a_cancelled_appointment_frees_the_time(users, client_record):
    keyworker = users["keyworker"]
    first = book(client_record, keyworker, starts_at=at(1, 10))
    services.appointment_record_outcome(
        actor=keyworker, appointment=first, outcome=AppointmentOutcome.CANCELLED_BY_CLIENT
    )
    assert book(client_record, keyworker, starts_at=at(1, 10)).pk != first.pk


def test_an_outcome_before_the_appointments_time_is_refused(users, client_record):
    appointment = book(client_record, users["keyworker"])
    with pytest.raises(ValidationError) as refused:
        services.appointment_record_outcome(
            actor=users["keyworker"], appointment=appointment, outcome=AppointmentOutcome.ATTENDED
        )
    assert "once that time has come" in refused.value.message_dict["outcome"][0]
    appointment.refresh_from_db()
    assert appointment.outcome == ""


def test_a_dna_raises_a_follow_up_for_the_keyworker_within_a_working_day(users, client_record):
    appointment = booked_in_the_past(client_record, users["nurse"], days=1)
    services.appointment_record_outcome(
        actor=users["nurse"], appointment=appointment, outcome=AppointmentOutcome.DNA
    )
    task = FollowUpTask.objects.get()
    assert task.assigned_to == users["keyworker"]
    assert task.client == client_record
    assert timezone.now() < task.due_at <= timezone.now() + datetime.timedelta(days=3)
    assert timezone.localtime(task.due_at).weekday() < 5


def test_a_friday_dna_is_due_on_monday():
    friday = timezone.make_aware(datetime.datetime(2026, 3, 6, 15, 0))
    assert services.next_working_day(friday) == timezone.make_aware(
        datetime.datetime(2026, 3, 9, 15, 0)
    )


def test_a_dna_before_the_christmas_bank_holidays_is_due_after_them():
    christmas_eve = timezone.make_aware(datetime.datetime(2026, 12, 24, 11, 0))
    assert services.next_working_day(christmas_eve) == timezone.make_aware(
        datetime.datetime(2026, 12, 29, 11, 0)
    )


def test_an_outcome_is_recorded_once(users, client_record):
    appointment = booked_in_the_past(client_record, users["keyworker"])
    services.appointment_record_outcome(
        actor=users["keyworker"], appointment=appointment, outcome=AppointmentOutcome.ATTENDED
    )
    with pytest.raises(ValidationError):
        services.appointment_record_outcome(
            actor=users["keyworker"], appointment=appointment, outcome=AppointmentOutcome.DNA
        )
    assert FollowUpTask.objects.count() == 0


def test_a_contact_in_the_future_is_refused(users, client_record):
    with pytest.raises(ValidationError) as refused:
        services.contact_record(
            actor=users["keyworker"],
            client=client_record,
            staff=users["keyworker"],
            starts_at=at(1),
            minutes=30,
            kind="drop_in",
        )
    assert "starts_at" in refused.value.message_dict
    assert Appointment.objects.count() == 0


def test_a_case_note_links_plan_goals_and_is_audited(users, client_record):
    plan = RecoveryPlanFactory(episode=TreatmentEpisodeFactory(client=client_record))
    goal = plan.goals.first()
    contact = contact_at(client_record, users["keyworker"])
    note = services.case_note_write(
        actor=users["keyworker"], appointment=contact, text="Talked about work.", goals=[goal]
    )
    assert list(note.goals.all()) == [goal]
    assert AuditEntry.objects.filter(
        object_type="contacts.CaseNote", object_id=str(note.pk), action="create"
    ).exists()


def test_a_note_over_the_size_limit_is_refused_and_saves_nothing(users, client_record):
    contact = contact_at(client_record, users["keyworker"])
    with pytest.raises(ValidationError) as refused:
        services.case_note_write(
            actor=users["keyworker"], appointment=contact, text="x" * (NOTE_MAX_LENGTH + 1)
        )
    assert f"{NOTE_MAX_LENGTH:,} characters at most" in refused.value.message_dict["text"][0]
    assert CaseNote.objects.count() == 0


def test_a_case_note_cannot_be_changed_and_a_correction_refers_to_it(users, client_record):
    contact = contact_at(client_record, users["keyworker"])
    note = services.case_note_write(actor=users["keyworker"], appointment=contact, text="Frist")
    note.text = "First"
    with pytest.raises(PermissionError):
        note.save()
    correction = services.case_note_correct(actor=users["keyworker"], note=note, text="First")
    assert correction.corrects == note
    assert CaseNote.objects.get(pk=note.pk).text == "Frist"
    assert AuditEntry.objects.filter(detail__startswith="correction of case note").exists()


def test_a_goal_of_another_clients_plan_cannot_be_linked(users, client_record, team):
    from beacon.clients.tests.factories import ClientFactory

    other = ClientFactory(provider=team.provider, team=team)
    plan = RecoveryPlanFactory(episode=TreatmentEpisodeFactory(client=other))
    contact = contact_at(client_record, users["keyworker"])
    with pytest.raises(ValidationError):
        services.case_note_write(
            actor=users["keyworker"],
            appointment=contact,
            text="Note",
            goals=[plan.goals.first()],
        )
    assert CaseNote.objects.count() == 0


def test_each_group_attendance_is_a_contact_of_that_client(users, client_record, team):
    from beacon.clients.tests.factories import ClientFactory

    other = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    group = services.group_session_record(
        actor=users["keyworker"],
        name="SMART Recovery",
        facilitator=users["keyworker"],
        starts_at=at(-1, 14),
        minutes=90,
        attendees=[client_record, other],
    )
    attendances = list(group.attendances.all())
    assert {a.client for a in attendances} == {client_record, other}
    assert {a.outcome for a in attendances} == {AppointmentOutcome.ATTENDED}


@pytest.mark.parametrize("role", ["driver", "volunteer", "commissioner"])
def test_roles_without_client_records_cannot_book(role, users, client_record):
    with pytest.raises(PermissionDenied):
        services.appointment_book(
            actor=users[role],
            client=client_record,
            staff=users["keyworker"],
            starts_at=at(1),
            minutes=60,
            kind="one_to_one",
        )
    assert Appointment.objects.count() == 0


def test_staff_booked_for_a_client_must_work_with_the_clients_team(users, provider, team):
    from django.core.exceptions import ValidationError

    from beacon.clients.tests.factories import ClientFactory
    from beacon.contacts.tests.factories import at
    from beacon.core.roles import Role
    from beacon.core.tests.factories import TeamFactory, UserFactory

    client = ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])
    other_team = TeamFactory(provider=provider, name="Northside team")
    elsewhere = UserFactory(provider=provider, team=other_team, role=Role.KEYWORKER)
    with pytest.raises(ValidationError) as refused:
        services.appointment_book(
            actor=users["keyworker"],
            client=client,
            staff=elsewhere,
            starts_at=at(1),
            minutes=60,
            kind="one_to_one",
            place="Harbour Street",
        )
    assert "does not work with" in str(refused.value)
    assert not Appointment.objects.exists()


def test_a_group_is_not_recorded_as_a_single_contact(users, provider, team):
    from django.core.exceptions import ValidationError

    from beacon.clients.tests.factories import ClientFactory
    from beacon.contacts.tests.factories import at

    client = ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])
    with pytest.raises(ValidationError) as refused:
        services.contact_record(
            actor=users["keyworker"],
            client=client,
            staff=users["keyworker"],
            starts_at=at(-1),
            minutes=60,
            kind="group",
        )
    assert "group session" in str(refused.value)
    assert not Appointment.objects.exists()


def test_a_dna_follow_up_never_goes_to_a_keyworker_who_has_left(users, client_record):
    users["keyworker"].is_active = False
    users["keyworker"].save()
    appointment = booked_in_the_past(client_record, users["nurse"], days=1)
    services.appointment_record_outcome(
        actor=users["nurse"], appointment=appointment, outcome=AppointmentOutcome.DNA
    )
    assert FollowUpTask.objects.get().assigned_to == users["nurse"]


def test_an_appointment_more_than_a_year_ahead_is_refused(users, client_record):
    # H-95: a year typed wrong (2036 for 2026) books nothing the client will come to.
    with pytest.raises(ValidationError) as refused:
        book(client_record, users["keyworker"], starts_at=at(367))
    assert refused.value.message_dict["starts_at"] == ["The appointment must be within a year"]
    assert not Appointment.objects.exists()
    assert book(client_record, users["keyworker"], starts_at=at(360))
