"""The contacts pages: booking, outcomes, notes, the diary, follow-ups, the client page's
timeline and the attendance figures, with their messages when input is bad."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from beacon.clients.tests.factories import ClientFactory
from beacon.contacts import services
from beacon.contacts.models import Appointment, CaseNote, FollowUpTask
from beacon.contacts.tests.factories import at, book, booked_in_the_past, contact_at
from beacon.core.models import AuditEntry
from beacon.treatment.tests.factories import RecoveryPlanFactory, TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db


def when_fields(starts_at) -> dict:
    local = timezone.localtime(starts_at)
    return {
        "day[day]": str(local.day),
        "day[month]": str(local.month),
        "day[year]": str(local.year),
        "time": f"{local:%H:%M}",
        "minutes": "60",
    }


def test_a_contact_starts_with_no_type_chosen(users, client_record, web_as):
    # A phone call left as the page's "drop-in" would count as being seen face to face (H-89).
    html = web_as("keyworker").get(f"/contacts/clients/{client_record.client_number}/record/")
    radios = re.findall(r'<input[^>]*name="kind"[^>]*>', html.content.decode())
    assert len(radios) >= 2 and not any("checked" in radio for radio in radios)


def test_a_keyworker_books_a_weekly_appointment_on_the_page(users, client_record, web_as):
    http = web_as("keyworker")
    response = http.post(
        reverse("contacts:book", args=[client_record.client_number]),
        {
            "staff": users["keyworker"].pk,
            "kind": "one_to_one",
            "weeks": "3",
            "place": "Harbour Street",
            **when_fields(at(1, 10, 30)),
        },
        follow=True,
    )
    assert "Booked 3 weekly appointments" in response.content.decode()
    assert Appointment.objects.filter(client=client_record, series__isnull=False).count() == 3


def test_booking_a_past_time_shows_the_message_and_saves_nothing(users, client_record, web_as):
    response = web_as("keyworker").post(
        reverse("contacts:book", args=[client_record.client_number]),
        {"staff": users["keyworker"].pk, "kind": "one_to_one", "weeks": "1", **when_fields(at(-1))},
    )
    assert response.status_code == 200
    assert "The time has passed" in response.content.decode()
    assert Appointment.objects.count() == 0


def test_a_double_booking_shows_the_message(users, client_record, team, web_as):
    book(client_record, users["keyworker"], starts_at=at(1, 10))
    other = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    response = web_as("keyworker").post(
        reverse("contacts:book", args=[other.client_number]),
        {
            "staff": users["keyworker"].pk,
            "kind": "one_to_one",
            "weeks": "1",
            **when_fields(at(1, 10, 15)),
        },
    )
    assert "already has an appointment" in response.content.decode()
    assert Appointment.objects.filter(client=other).count() == 0


def test_an_outcome_before_the_time_shows_the_message(users, client_record, web_as):
    appointment = book(client_record, users["keyworker"])
    response = web_as("keyworker").post(
        reverse("contacts:outcome", args=[appointment.pk]), {"outcome": "attended"}
    )
    assert "once that time has come" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.outcome == ""


def test_a_dna_on_the_page_puts_a_follow_up_on_the_keyworkers_list(users, client_record, web_as):
    appointment = booked_in_the_past(client_record, users["keyworker"])
    http = web_as("keyworker")
    http.post(reverse("contacts:outcome", args=[appointment.pk]), {"outcome": "dna"})
    task = FollowUpTask.objects.get()
    page = http.get(reverse("contacts:follow_ups")).content.decode()
    assert client_record.last_name.upper() in page
    assert reverse("contacts:follow_up_done", args=[task.pk]) in page
    http.post(reverse("contacts:follow_up_done", args=[task.pk]), {"done_note": "Rebooked"})
    task.refresh_from_db()
    assert task.done_at is not None


def test_a_note_linked_to_a_goal_and_an_oversized_one(users, client_record, web_as):
    plan = RecoveryPlanFactory(episode=TreatmentEpisodeFactory(client=client_record))
    goal = plan.goals.first()
    contact = contact_at(client_record, users["keyworker"])
    http = web_as("keyworker")
    url = reverse("contacts:note", args=[contact.pk])
    too_long = http.post(url, {"text": "x" * 5001, "goals": [goal.pk]})
    assert "5,000 characters at most" in too_long.content.decode()
    assert CaseNote.objects.count() == 0
    http.post(url, {"text": "Talked about the allotment.", "goals": [goal.pk]})
    note = CaseNote.objects.get()
    assert list(note.goals.all()) == [goal]
    page = http.get(reverse("contacts:appointment", args=[contact.pk])).content.decode()
    assert "Talked about the allotment." in page and escape(goal.text) in page


def test_a_correction_keeps_the_first_note_and_marks_it(users, client_record, web_as):
    contact = contact_at(client_record, users["keyworker"])
    note = services.case_note_write(actor=users["keyworker"], appointment=contact, text="Frist")
    http = web_as("keyworker")
    http.post(reverse("contacts:correct", args=[note.pk]), {"text": "First"})
    page = http.get(reverse("contacts:appointment", args=[contact.pk])).content.decode()
    assert "Frist" in page and "corrected by a later note" in page and "corrects the note" in page


def test_the_client_page_timeline_shows_contacts_and_missed_appointments(
    users, client_record, web_as
):
    contact_at(client_record, users["keyworker"], days=3)
    missed = booked_in_the_past(client_record, users["keyworker"], days=1)
    services.appointment_record_outcome(actor=users["keyworker"], appointment=missed, outcome="dna")
    page = web_as("keyworker").get(reverse("clients:detail", args=[client_record.client_number]))
    text = page.content.decode()
    timeline = text[text.index('id="timeline-entries"') :]
    assert "Drop-in (not booked)" in timeline and "Did not attend (DNA)" in timeline


def test_the_diary_shows_preferred_name_type_and_place(users, team, web_as):
    client = ClientFactory(
        provider=team.provider,
        team=team,
        keyworker=users["keyworker"],
        first_name="Alexander",
        preferred_name="Sandy",
    )
    book(client, users["keyworker"], starts_at=at(1, 14), place="Harbour Street")
    http = web_as("keyworker")
    day = timezone.localdate(at(1))
    page = http.get(reverse("contacts:diary"), {"day": day.isoformat()}).content.decode()
    assert "Sandy" in page and "Harbour Street" in page and "One-to-one" in page
    week = http.get(reverse("contacts:diary"), {"day": day.isoformat(), "view": "week"})
    assert "Sandy" in week.content.decode()
    assert AuditEntry.objects.filter(detail__startswith="diary").exists()


def test_a_manager_sees_a_teams_diary_and_a_keyworker_only_their_own(
    users, client_record, team, make_user, web_as
):
    colleague = make_user("keyworker", username="colleague")
    book(client_record, colleague, starts_at=at(1, 9), place="Colleague's room")
    day = timezone.localdate(at(1)).isoformat()
    mine = web_as("keyworker").get(reverse("contacts:diary"), {"day": day}).content.decode()
    assert "Colleague&#x27;s room" not in mine and "Colleague's room" not in mine
    team_diary = web_as("manager").get(reverse("contacts:diary"), {"day": day, "team": team.pk})
    assert "Colleague" in team_diary.content.decode()


def test_attendance_figures_and_their_csv(users, client_record, web_as):
    keyworker = users["keyworker"]
    for days, outcome in ((3, "attended"), (2, "dna"), (1, "attended")):
        appointment = booked_in_the_past(client_record, keyworker, days=days)
        services.appointment_record_outcome(
            actor=keyworker, appointment=appointment, outcome=outcome
        )
    contact_at(client_record, keyworker, days=1, hour=15)  # not booked: not counted
    first = (timezone.localdate() - timezone.timedelta(days=5)).isoformat()
    http = web_as("manager")
    page = http.get(reverse("contacts:attendance"), {"first": first}).content.decode()
    assert "67%" in page
    csv = http.get(reverse("contacts:attendance_csv"), {"first": first}).content.decode()
    assert f"keyworker,{keyworker.display_name},Central team,3,2,67" in csv


def test_a_client_of_another_provider_is_not_found(users, other_provider, web_as):
    from beacon.core.tests.factories import TeamFactory

    theirs = ClientFactory(provider=other_provider, team=TeamFactory(provider=other_provider))
    http = web_as("keyworker")
    assert http.get(reverse("contacts:client", args=[theirs.client_number])).status_code == 404


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_diary_day_past_the_calendars_ends_is_a_message_not_an_error(web_as, day):
    page = web_as("keyworker").get("/contacts/diary/", {"day": day})
    assert page.status_code in (200, 400)
    assert "must be" in page.content.decode() or "Enter" in page.content.decode()


def test_the_timeline_marks_a_corrected_note(users, client_record, web_as):
    contact = contact_at(client_record, users["keyworker"])
    note = services.case_note_write(actor=users["keyworker"], appointment=contact, text="Frist")
    http = web_as("keyworker")
    http.post(reverse("contacts:correct", args=[note.pk]), {"text": "First"})
    text = http.get(reverse("clients:detail", args=[client_record.client_number])).text
    timeline = text[text.index('id="timeline-entries"') :]
    assert "Note, corrected by a later note: Frist" in timeline
    assert "Note: First" in timeline
