"""Issue #16's printable consultation report, for a commissioner: the responses, each
question charted beside its table (Chart.js under the page's CSP), the focus group's
themes and the actions; printed, the page alone; a PDF to download."""

from django.utils import timezone
from playwright.sync_api import Page, expect

from beacon.core.roles import Role
from beacon.voice import services
from beacon.voice.tests.factories import focus_group, published_survey, scale_answers

from ..steps import given_i_am_signed_in_as


def test_a_commissioner_prints_the_consultation_report(page: Page, make_user, provider, team):
    manager = make_user(Role.MANAGER, first_name="Morgan")
    survey = published_survey(manager)
    for score in (10, 10, 9, 8, 6, 3):
        services.response_interview(
            actor=manager,
            survey=survey,
            date=timezone.localdate(),
            answers=scale_answers(survey, score),
        )
    event = focus_group(
        manager, notes="Someone said the night pharmacy is rude", themes="Opening hours"
    )
    services.action_create(
        actor=manager,
        data={
            "you_said": "Open later",
            "we_did": "Open until 7pm on Thursdays",
            "owner": manager,
            "due_on": timezone.localdate(),
            "event": event,
        },
    )
    given_i_am_signed_in_as(page, make_user(Role.COMMISSIONER, first_name="Cas"))

    page.goto(f"/voice/surveys/{survey.pk}/analysis/")
    page.get_by_role("link", name="Consultation report").click()
    expect(page.get_by_role("heading", name="Consultation report")).to_be_visible()
    expect(page.locator("#report-count")).to_have_text("6 responses")
    # The 0 to 10 question and the yes/no are charted; the free text, fewer than 5, is not.
    expect(page.locator("figure[data-drawn='true']")).to_have_count(2)
    expect(page.get_by_text("Fewer than 5 answered: no figures are shown.")).to_be_visible()
    expect(page.locator("#report-events")).to_contain_text("Opening hours")
    expect(page.locator("#report-events")).not_to_contain_text("night pharmacy")
    expect(page.locator("#report-actions")).to_contain_text("Open until 7pm on Thursdays")

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Show")).to_be_hidden()
    expect(page.locator("header").first).to_be_hidden()
    expect(page.locator("canvas").first).to_be_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
