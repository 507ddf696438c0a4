"""Issue #16's "Done when": a manager builds a survey; a kiosk answers it anonymously; a
keyworker enters one face to face; a client answers a one-time link on a phone; the
analysis shows all three with the right % 10/10 and % 8 or more; a recommendation becomes
an action, and once done it is on the poster. The kiosk opens nothing else."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.roles import Role
from beacon.voice.tests.factories import site_of

from ..steps import fill_date, given_i_am_signed_in_as, page_width


def test_a_survey_answered_three_ways_then_analysed_and_acted_on(
    page: Page, browser: Browser, live_server, make_user, provider, team
):
    manager = make_user(Role.MANAGER, first_name="Morgan")
    keyworker = make_user(Role.KEYWORKER, first_name="Kim")
    client = ClientFactory(provider=provider, team=team, keyworker=keyworker)
    site_of(provider)

    given_i_am_signed_in_as(page, manager)
    survey_url = when_i_build_and_publish_a_survey(page)
    and_i_turn_this_device_into_a_kiosk(page, survey_url)
    then_the_kiosk_shows_the_survey_and_nothing_else(page)
    when_someone_answers_at_the_kiosk(page, score="10")

    staff = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    given_i_am_signed_in_as(staff, keyworker)
    when_i_enter_an_interview(staff, survey_url, score="10")
    link = and_i_make_a_link_for(staff, survey_url, client.client_number)

    phone = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    ).new_page()
    when_the_client_answers_the_link_on_a_phone(phone, link, score="7")

    office = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    given_i_am_signed_in_as(office, manager)
    then_the_analysis_shows(office, survey_url, responses=3, ten="67%", eight="67%")
    when_i_turn_a_recommendation_into_an_action(office, manager)
    then_the_poster_shows_it_once_done(office)


def when_i_build_and_publish_a_survey(page: Page) -> str:
    page.goto("/voice/surveys/")
    page.get_by_role("link", name="Build a survey").click()
    page.get_by_label("Title").fill("Waiting room survey")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Waiting room survey")).to_be_visible()
    survey_url = page.url
    for text, kind in (
        ("How would you rate us?", "Scale of 0 to 10"),
        ("Would you recommend us?", "Yes or no"),
    ):
        page.get_by_role("link", name="Add a question").click()
        page.get_by_label("Question", exact=True).fill(text)
        page.get_by_label("Type of answer").select_option(label=kind)
        page.get_by_role("button", name="Add question").click()
        expect(page.locator("#questions")).to_contain_text(text)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published: its questions are frozen")).to_be_visible()
    return survey_url


def and_i_turn_this_device_into_a_kiosk(page: Page, survey_url: str) -> None:
    page.goto(survey_url)
    page.get_by_role("link", name="Start a kiosk on this device").click()
    page.get_by_label("Site of the tablet").select_option(label="Harbour Street hub")
    page.get_by_role("button", name="Start kiosk and sign out").click()
    expect(page).to_have_url(re.compile(r"/voice/kiosk/$"))


def then_the_kiosk_shows_the_survey_and_nothing_else(page: Page) -> None:
    expect(page.get_by_role("heading", name="Waiting room survey")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    for elsewhere in ("/clients/", "/voice/surveys/", "/sign-in/"):
        answer = page.request.get(elsewhere)
        assert answer.status == 403, elsewhere


def when_someone_answers_at_the_kiosk(page: Page, score: str) -> None:
    page.goto("/voice/kiosk/")
    page.get_by_role("group", name="How would you rate us?").get_by_label(score, exact=True).check()
    page.get_by_role("group", name="Would you recommend us?").get_by_label("Yes").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_role("link", name="Start again for the next person")).to_be_visible()


def when_i_enter_an_interview(page: Page, survey_url: str, score: str) -> None:
    page.goto(survey_url)
    page.get_by_role("link", name="Enter an interview").click()
    page.get_by_role("group", name="How would you rate us?").get_by_label(score, exact=True).check()
    page.get_by_role("group", name="Would you recommend us?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save response").click()
    expect(page.get_by_text("Response recorded")).to_be_visible()


def and_i_make_a_link_for(page: Page, survey_url: str, client_number: str) -> str:
    page.goto(survey_url)
    page.get_by_role("link", name="Send a client a one-time link").click()
    page.get_by_label("Client number").fill(client_number)
    fill_date(page, "The link works until", timezone.localdate() + datetime.timedelta(days=3))
    page.get_by_role("button", name="Make the link").click()
    return page.locator("#link-address").inner_text()


def when_the_client_answers_the_link_on_a_phone(phone: Page, link: str, score: str) -> None:
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Waiting room survey")).to_be_visible()
    width = page_width(phone)
    assert width["scroll"] <= width["inner"] <= 390
    phone.get_by_role("group", name="How would you rate us?").get_by_label(
        score, exact=True
    ).check()
    phone.get_by_role("group", name="Would you recommend us?").get_by_label("No").check()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", name="Thank you")).to_be_visible()
    phone.goto(link)
    expect(phone.get_by_role("heading", name="This link does not work")).to_be_visible()


def then_the_analysis_shows(page: Page, survey_url: str, *, responses, ten, eight) -> None:
    page.goto(survey_url)
    page.get_by_role("link", name="Analysis").click()
    expect(page.locator("#response-count")).to_contain_text(f"{responses} responses")
    summary = page.locator("section.beacon-question").first
    expect(summary.get_by_role("row", name=f"Scoring 10 {ten}", exact=True)).to_be_visible()
    expect(
        summary.get_by_role("row", name=f"Scoring 8 or more {eight}", exact=True)
    ).to_be_visible()
    expect(summary.get_by_text("fewer than 5").first).to_be_visible()


def when_i_turn_a_recommendation_into_an_action(page: Page, manager) -> None:
    page.goto("/voice/actions/")
    page.get_by_role("link", name="Record an action").click()
    page.get_by_label("You said").fill("The waiting room is cold")
    page.get_by_label("We will").fill("Fit a new heater")
    page.get_by_label("Owner").select_option(label=f"{manager.display_name} (Service manager)")
    fill_date(page, "Due by", timezone.localdate() + datetime.timedelta(days=14))
    page.get_by_role("button", name="Save action").click()
    expect(page.locator("#actions")).to_contain_text("The waiting room is cold")


def then_the_poster_shows_it_once_done(page: Page) -> None:
    page.goto("/voice/actions/poster/")
    expect(page.locator("#poster")).not_to_contain_text("The waiting room is cold")
    page.goto("/voice/actions/")
    page.locator("#actions").get_by_role("link", name="The waiting room is cold").click()
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_role("button", name="Save status").click()
    page.goto("/voice/actions/poster/")
    expect(page.locator("#poster")).to_contain_text("You said: The waiting room is cold")
    expect(page.locator("#poster")).to_contain_text("We did: Fit a new heater")
