"""A keyworker's week of contacts on a phone-sized screen (issue #12): book a weekly
appointment, record the first attended with a case note linked to a plan goal, the
second a DNA; the follow-up appears and the client's timeline shows both; the day before
the third, its reminder goes to (a local fake of) GOV.UK Notify with no clinical word."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import TextPurpose
from beacon.core.roles import Role
from beacon.core.services import text_wording_save
from beacon.core.texts import clinical_words_in
from beacon.treatment.tests.factories import (
    PlanGoalFactory,
    RecoveryPlanFactory,
    TreatmentEpisodeFactory,
)

from ..steps import (
    Clock,
    checkbox,
    fill_date,
    given_i_am_signed_in_as,
    page_width,
    when_i_open_from_the_menu,
)

T = datetime.time
TODAY = timezone.localdate()
# The Monday after next: the series starts then, at 10:30, every week.
FIRST = TODAY + datetime.timedelta(days=7 + (7 - TODAY.weekday()))
SECOND = FIRST + datetime.timedelta(weeks=1)
THIRD = SECOND + datetime.timedelta(weeks=1)
GOAL = "Get back to the allotment on Saturdays"
NOTE = "Talked about the allotment: went last Saturday and plans to go again."


@pytest.fixture
def clock():
    moved = Clock()
    yield moved
    moved.stop()


def test_keyworker_books_weekly_records_attended_with_a_note_and_a_dna_on_a_phone(
    phone_page: Page, make_user, provider, team, clock, fake_notify
):
    page = phone_page
    keyworker, client = given_a_client_on_my_caseload_with_a_plan_goal(make_user, provider, team)
    and_the_service_texts_reminders(provider, make_user(Role.MANAGER))

    clock.move_to(FIRST - datetime.timedelta(days=3), T(9))
    given_i_am_signed_in_as(page, keyworker)
    when_i_book_a_weekly_appointment(page, client, first=FIRST, weeks=3)
    then_the_client_has_three_appointments_booked(page)
    and_the_page_fits_the_phones_screen(page)

    clock.move_to(FIRST, T(11, 45))
    given_i_am_signed_in_as(page, keyworker)
    when_i_record_the_appointment_on(page, client, FIRST, "Attended", naloxone="Declined")
    and_i_write_a_case_note_linked_to_the_goal(page)
    then_the_note_and_its_goal_are_shown(page)

    clock.move_to(SECOND, T(11, 45))
    given_i_am_signed_in_as(page, keyworker)
    when_i_record_the_appointment_on(page, client, SECOND, "Did not attend (DNA)")
    then_a_follow_up_is_on_my_list(page, client)
    and_the_clients_timeline_shows_both(page, client)
    and_the_page_fits_the_phones_screen(page)

    clock.move_to(THIRD - datetime.timedelta(days=1), T(17))
    when_the_days_reminders_are_sent(fake_notify)
    then_the_client_is_reminded_without_a_clinical_word(fake_notify, provider)
    given_i_am_signed_in_as(page, keyworker)
    and_the_appointment_shows_its_reminder(page, client, THIRD)


def given_a_client_on_my_caseload_with_a_plan_goal(make_user, provider, team):
    keyworker = make_user(Role.KEYWORKER, first_name="Kai", last_name="Ellison")
    client = ClientFactory(
        provider=provider,
        team=team,
        keyworker=keyworker,
        first_name="Alexander",
        preferred_name="Sandy",
        last_name="Whitlock",
        phone="07700 900321",
        consent_contact_by_text=True,
    )
    plan = RecoveryPlanFactory(episode=TreatmentEpisodeFactory(client=client))
    PlanGoalFactory(plan=plan, text=GOAL)
    return keyworker, client


def and_the_service_texts_reminders(provider, manager) -> None:
    text_wording_save(
        provider=provider,
        purpose=TextPurpose.APPOINTMENT_REMINDER,
        body="Reminder: appointment with {staff_first_name} {day} at {time}, {place}. "
        "Reply or call {service_phone} to change.",
        service_phone="0113 496 0003",
        actor=manager,
    )


def when_the_days_reminders_are_sent(fake_notify) -> None:
    call_command("appointment_reminders", stdout=StringIO())
    fake_notify.run_tasks(due_only=True)


def then_the_client_is_reminded_without_a_clinical_word(fake_notify, provider) -> None:
    [sent] = fake_notify.texts
    body = sent["personalisation"]["body"]
    assert body == (
        "Reminder: appointment with Kai tomorrow at 10:30, Harbour Street. "
        "Reply or call 0113 496 0003 to change."
    )
    assert clinical_words_in(body, provider_name=provider.name) == []


def and_the_appointment_shows_its_reminder(page: Page, client, day) -> None:
    page.goto(f"/contacts/clients/{client.client_number}/")
    page.get_by_role("link", name=_day_text(day)).click()
    expect(page.locator("#appointment")).to_contain_text("Accepted by Notify")


def when_i_book_a_weekly_appointment(page: Page, client, *, first, weeks: int) -> None:
    page.goto(f"/clients/{client.client_number}/")
    page.get_by_role("link", name="Book an appointment").first.click()
    page.get_by_role("radio", name="One-to-one").check()
    fill_date(page, "Date", first)
    page.get_by_label("Time").fill("10:30")
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_label("Every week for how many weeks").fill(str(weeks))
    page.get_by_label("Or place").fill("Harbour Street")
    page.get_by_role("button", name="Book").click()


def then_the_client_has_three_appointments_booked(page: Page) -> None:
    expect(page.get_by_text("Booked 3 weekly appointments")).to_be_visible()
    rows = page.locator("#appointments tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Booked")).to_have_count(3)


def _day_text(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}, 10:30"


def when_i_record_the_appointment_on(
    page: Page, client, day, outcome: str, naloxone: str | None = None
) -> None:
    """Sandy uses heroin and holds no kit: an attended contact asks the naloxone opt-out
    question in the same form (issue #13); Sandy declines, because they smoke."""
    page.goto(f"/contacts/clients/{client.client_number}/")
    page.get_by_role("link", name=_day_text(day)).click()
    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_role("radio", name=outcome).check()
    if naloxone is not None:
        page.get_by_role("group", name="Naloxone: offered today (opt-out)").get_by_role(
            "radio", name=naloxone
        ).check()
        page.get_by_label("Why they declined (if declined)").select_option(
            label="I smoke, I don't inject"
        )
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_text("Outcome recorded.")).to_be_visible()


def and_i_write_a_case_note_linked_to_the_goal(page: Page) -> None:
    page.get_by_role("link", name="Write a case note").click()
    page.get_by_label("What was discussed").fill(NOTE)
    checkbox(page, GOAL).check()
    page.get_by_role("button", name="Save note").click()


def then_the_note_and_its_goal_are_shown(page: Page) -> None:
    notes = page.locator("#case-notes")
    expect(notes).to_contain_text(NOTE)
    expect(notes).to_contain_text(f"Goals: {GOAL}")


def then_a_follow_up_is_on_my_list(page: Page, client) -> None:
    expect(page.locator("#follow-up")).to_contain_text("phone the client by")
    when_i_open_from_the_menu(page, "Follow-ups")
    follow_ups = page.locator("#follow-ups")
    expect(follow_ups).to_contain_text(client.last_name.upper())
    expect(follow_ups).to_contain_text("did not attend")


def and_the_clients_timeline_shows_both(page: Page, client) -> None:
    page.goto(f"/clients/{client.client_number}/")
    timeline = page.locator("#timeline-entries")
    expect(timeline.locator("tbody tr").filter(has_text="Attended")).to_have_count(1)
    expect(timeline.locator("tbody tr").filter(has_text="Did not attend (DNA)")).to_have_count(1)
    expect(timeline).to_contain_text(NOTE[:40])


def and_the_page_fits_the_phones_screen(page: Page) -> None:
    width = page_width(page)
    assert width["scroll"] <= width["inner"] == 390
