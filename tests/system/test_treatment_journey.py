"""A client's treatment journey in the browser: referral to successful completion, the
re-presentation flag when they come back, what the audit log shows, and refused input."""

import datetime
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.presenters import date_uk
from beacon.core.roles import Role
from beacon.treatment.codes import DischargeReason, TopStage
from beacon.treatment.models import (
    Modality,
    Referral,
    TreatmentEpisode,
    TreatmentOutcomesProfile,
    Triage,
)
from beacon.treatment.tests.factories import ReferralFactory, TreatmentEpisodeFactory, days_ago
from tests.system.test_client_records import SEARCH_LABEL, checkbox, error_link, fill_date

# The whole first journey lies in the past, so coming back today is within 6 months.
REFERRED = days_ago(200)
TRIAGED = days_ago(198)
ASSESSED = days_ago(195)
STARTED = days_ago(195)
OST_ENDED = days_ago(25)
DISCHARGED = days_ago(20)
TODAY = days_ago(0)

GOAL = "I want to be off the gear and back at work by the summer"

# The TOP's counts of days in the past 28 and its 0-20 ratings, by label.
TOP_NUMBERS = {
    "Alcohol": 4,
    "Opiates (illicit)": 20,
    "Crack": 6,
    "Cocaine": 0,
    "Amphetamines": 0,
    "Cannabis": 2,
    "Other problem substance": 0,
    "Days injected non-prescribed drugs": 0,
    "Shop theft": 3,
    "Selling drugs": 0,
    "Other theft": 0,
    "Assault or violence": 0,
    "Psychological health": 8,
    "Physical health": 9,
    "Overall quality of life": 7,
    "Days of paid work": 0,
    "Days at college or school": 0,
}


@pytest.fixture
def keyworker(make_user):
    return make_user(Role.KEYWORKER, first_name="Kit", last_name="Ambler")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, first_name="Morgan")


@pytest.fixture
def robin(provider, team, keyworker):
    """A client of the keyworker's team, on their caseload, with no referrals yet."""
    return ClientFactory(
        provider=provider,
        team=team,
        keyworker=keyworker,
        first_name="Robin",
        last_name="Fellwood",
        preferred_name="",
        date_of_birth=datetime.date(1984, 6, 15),
    )


def referral_section(page: Page, referral_date: datetime.date) -> Locator:
    """The journey page's section for the referral received on `referral_date`."""
    heading = page.get_by_role("heading", name=f"Referral of {date_uk(referral_date)}")
    return page.locator("section").filter(has=heading)


def link_button(page: Page, name: str) -> Locator:
    """An NHS.UK button that is a link (role="button"), found by its text."""
    return page.get_by_role("button", name=name, exact=True)


def to_journey(page: Page) -> None:
    """From a plan or TOP page: back to the client's record, then "Treatment journey"."""
    page.get_by_role("link", name=re.compile(r"'s record$")).click()
    page.get_by_role("link", name="Treatment journey").click()
    expect(page.get_by_role("heading", name="Treatment journey", level=1)).to_be_visible()


def fill_top(page: Page, stage: str, completed_on: datetime.date, **numbers: int) -> None:
    """Every required answer of a TOP: stage, date, each count of days and each rating."""
    page.get_by_role("radio", name=stage).check()
    fill_date(page, "Date completed", completed_on)
    for label, value in {**TOP_NUMBERS, **numbers}.items():
        page.get_by_label(label, exact=True).fill(str(value))


def test_keyworker_takes_a_client_from_referral_to_successful_completion_and_back(
    page: Page, sign_in, sign_out, keyworker, manager, robin
):
    # Given a keyworker whose team works with Robin Fellwood
    # When they sign in (password, then the code from their authenticator app)
    sign_in(page, keyworker)

    # Then they land on their caseload
    expect(page.get_by_role("heading", name="My caseload", level=1)).to_be_visible()

    # When they find Robin on the Clients page and open the treatment journey
    page.get_by_role("banner").get_by_role("link", name="Clients", exact=True).click()
    page.get_by_label(SEARCH_LABEL).fill("Robin Fellwood")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="FELLWOOD, Robin").click()
    expect(page.get_by_role("heading", name="Robin Fellwood", level=1)).to_be_visible()
    page.get_by_role("link", name="Treatment journey").click()

    # Then the journey is empty
    expect(page.get_by_role("heading", name="Treatment journey", level=1)).to_be_visible()
    expect(page.get_by_text("No referrals recorded for Robin.")).to_be_visible()

    # When they add a referral from Robin's GP, 200 days ago
    link_button(page, "Add a referral").click()
    expect(page.get_by_role("heading", name="New referral", level=1)).to_be_visible()
    expect(page.get_by_text("No previous referrals or treatment episodes.")).to_be_visible()
    fill_date(page, "Referral date", REFERRED)
    page.get_by_label("Source of referral").select_option(label="GP")
    page.get_by_label("Who referred").fill("Dr Example, Demo Surgery")
    page.get_by_label("Reason for referral").fill("Asks for help with heroin and crack use")
    page.get_by_role("button", name="Save referral").click()

    # Then the journey shows it, received and waiting for triage
    expect(page.get_by_text(f"Referral of {date_uk(REFERRED)} added.")).to_be_visible()
    first = referral_section(page, REFERRED)
    expect(first).to_contain_text("Received")
    expect(first).to_contain_text("GP")
    expect(first).to_contain_text("Not triaged yet")
    expect(page.locator(".beacon-representation")).to_have_count(0)

    # When they record triage two days later: accepted
    link_button(first, "Record triage").click()
    fill_date(page, "Triage date", TRIAGED)
    page.get_by_role("radio", name="Accepted for treatment").check()
    page.get_by_role("button", name="Save triage").click()
    expect(page.get_by_text("Triage recorded.")).to_be_visible()
    expect(first).to_contain_text(f"{date_uk(TRIAGED)}: Accepted for treatment")

    # And the comprehensive assessment: heroin (first used at 19, smoked), then crack
    link_button(first, "Record comprehensive assessment").click()
    expect(page.get_by_role("heading", name="Comprehensive assessment")).to_be_visible()
    fill_date(page, "Assessment date", ASSESSED)
    page.get_by_label("Main problem substance").select_option(label="Heroin")
    page.get_by_label("Age at first use (main substance)").fill("19")
    page.get_by_label("Route (main substance)").select_option(label="Smoke")
    page.get_by_label("Second problem substance").select_option(label="Crack cocaine")
    page.get_by_label("Age at first use (second substance)").fill("23")
    page.get_by_label("Route (second substance)").select_option(label="Smoke")
    page.get_by_label("Injecting status").select_option(label="Previously injected (not currently)")
    page.get_by_label("Housing need").select_option(label="Housing problem")
    page.get_by_label("Employment status").select_option(label="Unemployed and seeking work")
    page.get_by_label("Parental status").select_option(
        label="None of the children live with the client"
    )
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Comprehensive assessment recorded.")).to_be_visible()
    expect(first).to_contain_text("Assessed")
    expect(first).to_contain_text("Heroin, smoke, first used at 19")
    expect(first).to_contain_text("Crack cocaine, smoke, first used at 23")
    expect(first).to_contain_text("Previously injected (not currently)")

    # When they start treatment with themselves as keyworker
    link_button(first, "Start treatment").click()
    fill_date(page, "Treatment start date", STARTED)
    page.get_by_label("Keyworker").select_option(label=keyworker.display_name)
    page.get_by_role("button", name="Start treatment").click()
    expect(page.get_by_text("Treatment episode started.")).to_be_visible()
    expect(first).to_contain_text(f"Started {date_uk(STARTED)}; keyworker {keyworker.display_name}")
    expect(first).to_contain_text("In treatment")

    # And add two interventions: methadone substitution, and psychosocial
    for kind, medicine in (
        ("Pharmacological intervention", "Methadone"),
        ("Psychosocial intervention", None),
    ):
        link_button(first, "Add an intervention").click()
        page.get_by_role("radio", name=kind).check()
        checkbox(page, "Structured treatment").check()
        if medicine:
            page.get_by_label("Opioid substitution medicine").select_option(label=medicine)
        fill_date(page, "Date referred to this intervention", STARTED)
        fill_date(page, "Start date", STARTED)
        page.get_by_role("button", name="Save intervention").click()
        expect(page.get_by_text("Intervention added.")).to_be_visible()
    interventions = first.get_by_role("table")
    ost_row = interventions.get_by_role("row").filter(has_text="Pharmacological intervention")
    expect(ost_row).to_contain_text("Methadone")
    expect(ost_row).to_contain_text("Running")
    expect(
        interventions.get_by_role("row").filter(has_text="Psychosocial intervention")
    ).to_contain_text("Running")

    # When they write a recovery plan with Robin, the goal in Robin's own words
    page.get_by_role("link", name="Recovery plan").click()
    expect(
        page.get_by_text("Robin has no recovery plan in this treatment episode yet.")
    ).to_be_visible()
    link_button(page, "Write a recovery plan").click()
    fill_date(page, "Date agreed", STARTED)
    page.get_by_role("radio", name="Yes").check()
    fill_date(page, "Next review date", STARTED + datetime.timedelta(days=90))
    page.get_by_label("Goal", exact=True).fill(GOAL)
    checkbox(page, "In the client's own words").check()
    page.get_by_label("First action (optional)").fill("Book a GP appointment about sleep")
    page.get_by_label("Who does it").select_option(label="Client")
    fill_date(page, "Action due by", STARTED + datetime.timedelta(days=14))
    page.get_by_role("button", name="Save plan").click()

    # Then the plan shows the goal as Robin's words
    expect(page.get_by_text("Recovery plan saved.")).to_be_visible()
    goal = page.locator("#goals li").first
    expect(goal).to_contain_text("In Robin's words")
    expect(goal.locator(".beacon-own-words")).to_have_text(f"“{GOAL}”")

    # When they record the start TOP, every answer filled in
    to_journey(page)
    page.get_by_role("link", name="Treatment Outcomes Profiles (TOP)").click()
    expect(page.get_by_text("No TOPs recorded.")).to_be_visible()
    link_button(page, "Record a TOP").click()
    fill_top(page, "Start of treatment", STARTED)
    checkbox(page, "Acute housing problem").check()
    page.get_by_role("button", name="Save TOP").click()

    # Then the TOPs page lists it
    expect(page.get_by_text("TOP saved.")).to_be_visible()
    top_row = page.get_by_role("row").filter(has_text=date_uk(STARTED))
    expect(top_row).to_contain_text("Start of treatment")
    top = TreatmentOutcomesProfile.objects.get(client=robin)
    assert (top.stage, top.opiate_days, top.crack_days) == (TopStage.START, 20, 6)
    assert top.acute_housing_problem is True

    # When, with methadone still running, they try to discharge as "drug free"
    to_journey(page)
    first = referral_section(page, REFERRED)
    link_button(first, "Discharge").click()
    expect(page.locator("#running-modalities")).to_contain_text("Methadone")
    fill_date(page, "Discharge date", DISCHARGED)
    page.get_by_label("Reason for discharge").select_option(label="Treatment completed: drug free")
    checkbox(
        page, "I understand the interventions still running will end on the discharge date"
    ).check()
    page.get_by_role("button", name="Discharge").click()

    # Then the discharge is refused, clearly, and nothing changes
    refusal = "A successful completion is not possible while opioid substitution continues"
    expect(error_link(page, refusal)).to_be_visible()
    expect(page.get_by_label("Reason for discharge").locator("..")).to_contain_text(refusal)
    episode = TreatmentEpisode.objects.get(client=robin)
    assert episode.discharge_date is None
    assert Modality.objects.filter(episode=episode, end_date__isnull=True).count() == 2

    # When they end the methadone first: a planned exit five days before discharge
    page.get_by_role("link", name="Cancel").click()
    first = referral_section(page, REFERRED)
    first.get_by_role("link", name=re.compile(r"^Change Pharmacological intervention")).click()
    expect(page.get_by_role("heading", name=re.compile("Change intervention"))).to_be_visible()
    fill_date(page, "End date", OST_ENDED)
    page.get_by_label("How it ended").select_option(label="Mutually agreed planned exit")
    page.get_by_role("button", name="Save intervention").click()
    expect(page.get_by_text("Intervention saved.")).to_be_visible()
    expect(ost_row).to_contain_text(date_uk(OST_ENDED))
    expect(ost_row).to_contain_text("Mutually agreed planned exit")

    # And discharge again as "drug free"
    link_button(first, "Discharge").click()
    expect(page.locator("#running-modalities")).not_to_contain_text("Methadone")
    fill_date(page, "Discharge date", DISCHARGED)
    page.get_by_label("Reason for discharge").select_option(label="Treatment completed: drug free")
    checkbox(
        page, "I understand the interventions still running will end on the discharge date"
    ).check()
    page.get_by_role("button", name="Discharge").click()

    # Then the journey shows a successful completion
    expect(page.get_by_text(f"Discharged on {date_uk(DISCHARGED)}.")).to_be_visible()
    expect(first).to_contain_text(
        f"Discharged {date_uk(DISCHARGED)}: Treatment completed: drug free"
    )
    expect(first.get_by_text("Successful completion", exact=True)).to_be_visible()
    episode.refresh_from_db()
    assert episode.discharge_reason == DischargeReason.COMPLETED_DRUG_FREE
    assert not Modality.objects.filter(episode=episode, end_date__isnull=True).exists()

    # When Robin is referred again today, 20 days after that completion
    link_button(page, "Add a referral").click()

    # Then the new-referral page flags the re-presentation, and shows the earlier treatment
    flag = f"Re-presentation within 6 months of a successful completion on {date_uk(DISCHARGED)}"
    expect(page.locator("#representation-warning")).to_have_text(f"{flag}.")
    expect(referral_section(page, REFERRED)).to_contain_text("Successful completion")

    # When they save it
    fill_date(page, "Referral date", TODAY)
    page.get_by_label("Source of referral").select_option(label="Self")
    page.get_by_role("button", name="Save referral").click()

    # Then the journey page flags the new referral too (and not the first)
    expect(page.get_by_text(f"Referral of {date_uk(TODAY)} added.")).to_be_visible()
    expect(referral_section(page, TODAY).locator(".beacon-representation")).to_have_text(flag)
    expect(referral_section(page, REFERRED)).to_contain_text("Successful completion")
    expect(referral_section(page, REFERRED).locator(".beacon-representation")).to_have_count(0)
    assert Referral.objects.filter(client=robin).count() == 2
    sign_out(page)

    # Given the service manager signs in
    sign_in(page, manager)

    # When they search the audit log for Robin's number: first what was created
    page.get_by_role("banner").get_by_role("link", name="Audit log").click()
    page.get_by_label("Client number").fill(robin.client_number)
    page.get_by_label("Action", exact=True).select_option(label="Created")
    page.get_by_role("button", name="Search the log").click()

    # Then each record of the journey was created by the keyworker, for Robin
    rows = page.locator("#audit-entries tbody").get_by_role("row")
    created_counts = {
        "treatment.Referral": 2,
        "treatment.Triage": 1,
        "treatment.Assessment": 1,
        "treatment.TreatmentEpisode": 1,
        "treatment.Modality": 2,
        "treatment.RecoveryPlan": 1,
        "treatment.PlanGoal": 1,
        "treatment.TreatmentOutcomesProfile": 1,
    }
    for record, count in created_counts.items():
        expect(rows.filter(has_text=f"{record} #")).to_have_count(count)
    expect(rows.filter(has_text="Created")).to_have_count(rows.count())
    expect(rows.filter(has_text=keyworker.username)).to_have_count(rows.count())
    expect(rows.filter(has_text="treatment.TreatmentOutcomesProfile")).to_contain_text(
        f"Start of treatment TOP {STARTED:%d/%m/%Y}"
    )

    # When they look for changes: the methadone's end
    page.get_by_label("Action", exact=True).select_option(label="Updated")
    page.get_by_role("button", name="Search the log").click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("treatment.Modality")
    expect(rows).to_contain_text("changed end_date, exit_reason")

    # And for the discharge, naming its reason
    page.get_by_label("Action", exact=True).select_option(label="Discharged")
    page.get_by_role("button", name="Search the log").click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("treatment.TreatmentEpisode")
    expect(rows).to_contain_text("Treatment completed: drug free")
    expect(rows).to_contain_text(robin.client_number)


def test_bad_journey_input_is_refused_with_a_message_and_nothing_is_saved(
    page: Page, sign_in, keyworker, robin, provider, team
):
    # Given Robin was referred 10 days ago, and Ash is in treatment (started 90 days ago)
    referred = days_ago(10)
    referral = ReferralFactory(client=robin, referral_date=referred)
    ash = ClientFactory(
        provider=provider, team=team, keyworker=keyworker, first_name="Ash", last_name="Marram"
    )
    TreatmentEpisodeFactory(client=ash)
    sign_in(page, keyworker)

    # When the keyworker records Robin's triage as two days before the referral
    page.goto(f"/clients/{robin.client_number}/")
    page.get_by_role("link", name="Treatment journey").click()
    link_button(referral_section(page, referred), "Record triage").click()
    fill_date(page, "Triage date", referred - datetime.timedelta(days=2))
    page.get_by_role("radio", name="Accepted for treatment").check()
    page.get_by_role("button", name="Save triage").click()

    # Then the message is shown above the form and next to the date, and nothing is saved
    message = f"Triage cannot be before the referral ({referred:%d/%m/%Y})"
    expect(error_link(page, message)).to_have_attribute("href", "#id_triage_date-day")
    expect(page.get_by_role("group", name="Triage date")).to_contain_text(message)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    assert not Triage.objects.filter(referral=referral).exists()

    # When they record a TOP for Ash with 29 days of opiate use in the past 28
    page.goto(f"/clients/{ash.client_number}/")
    page.get_by_role("link", name="Treatment journey").click()
    page.get_by_role("link", name="Treatment Outcomes Profiles (TOP)").click()
    link_button(page, "Record a TOP").click()
    fill_top(page, "Start of treatment", days_ago(85), **{"Opiates (illicit)": 29})
    page.get_by_role("button", name="Save TOP").click()

    # Then the TOP is refused, naming the field, and none is saved
    expect(
        error_link(page, "Opiates (illicit): Enter a number of days from 0 to 28")
    ).to_be_visible()
    assert not TreatmentOutcomesProfile.objects.filter(client=ash).exists()
    # And what they typed is kept, to correct: 28 days is accepted
    expect(page.get_by_label("Cannabis", exact=True)).to_have_value("2")
    page.get_by_label("Opiates (illicit)", exact=True).fill("28")
    page.get_by_role("button", name="Save TOP").click()
    expect(page.get_by_text("TOP saved.")).to_be_visible()
    assert TreatmentOutcomesProfile.objects.get(client=ash).opiate_days == 28
