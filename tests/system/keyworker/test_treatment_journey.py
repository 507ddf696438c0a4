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

from ..steps import (
    and_i_search_the_clients_for,
    and_i_sign_out,
    checkbox,
    error_link,
    fill_date,
    given_i_am_signed_in_as,
    when_i_open_from_the_menu,
)

# The whole first journey lies in the past, so coming back today is within 6 months.
REFERRED = days_ago(200)
TRIAGED = days_ago(198)
ASSESSED = days_ago(195)
STARTED = days_ago(195)
OST_ENDED = days_ago(25)
DISCHARGED = days_ago(20)
TODAY = days_ago(0)

GOAL = "I want to be off the gear and back at work by the summer"
REPRESENTATION = (
    f"Re-presentation within 6 months of a successful completion on {date_uk(DISCHARGED)}"
)
# Before triage: re-presentation is judged on the triage date (6 calendar months on).
IF_TRIAGED = "this is a re-presentation within 6 months of the successful completion on"
HINT = "to this provider; NDTMS matches people nationally, so its figure can differ"

# The TOP's counts of days in the past 28 and its 0-20 ratings, by label.
TOP_NUMBERS = {
    "Alcohol": 4,
    "Opiates (illicit)": 20,
    "Crack": 6,
    "Cocaine": 0,
    "Amphetamines": 0,
    "Cannabis": 2,
    "Other problem substance": 0,
    "Tobacco": 10,
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
    # The average amount on a using day, for each substance used on 1 day or more.
    "Alcohol: average units on a drinking day": 6,
    "Opiates: average amount on a using day": 0.5,
    "Crack: average amount on a using day": 40,
    "Cannabis: average amount on a using day": 1,
}
# Each drug amount's unit, and each yes/no question (yes, no or not disclosed), by legend.
TOP_CHOICES = {
    "Opiates: unit of the amount": "grams",
    "Crack: unit of the amount": "£ spent",
    "Cannabis: unit of the amount": "grams",
    "Shared injecting equipment": "No",
    "Acute housing problem": "No",
    "At risk of eviction": "No",
}


@pytest.fixture
def keyworker(make_user):
    return make_user(Role.KEYWORKER, first_name="Kit", last_name="Ambler")


@pytest.fixture
def robin(robin, keyworker):
    """Robin, on the keyworker's caseload, with no referrals yet."""
    robin.keyworker = keyworker
    robin.save()
    return robin


def test_keyworker_takes_a_client_from_referral_to_successful_completion_and_back(
    page: Page, keyworker, manager, robin
):
    # A keyworker whose team works with Robin Fellwood (password, then the code from their
    # authenticator app)
    given_i_am_signed_in_as(page, keyworker)
    then_the_keyworker_lands_on_their_caseload(page)

    when_the_keyworker_finds_robin_and_opens_the_treatment_journey(page)
    then_the_journey_is_empty(page)

    when_the_keyworker_adds_a_referral_from_robins_gp_200_days_ago(page)
    then_the_journey_shows_it_received_and_waiting_for_triage(page)

    when_the_keyworker_records_triage_two_days_later_as_accepted(page)
    then_the_referral_shows_it_accepted(page)

    when_the_keyworker_records_the_comprehensive_assessment_of_heroin_then_crack(page)
    then_the_referral_shows_both_substances(page)

    when_the_keyworker_starts_treatment_with_themselves_as_keyworker(page, keyworker)
    then_the_referral_shows_the_client_in_treatment(page, keyworker)

    when_the_keyworker_adds_two_interventions_methadone_and_psychosocial(page)
    then_both_are_running(page)

    when_the_keyworker_writes_a_recovery_plan_with_the_goal_in_robins_own_words(page)
    then_the_plan_shows_the_goal_as_robins_words(page)

    when_the_keyworker_records_the_start_top_with_every_answer(page)
    then_the_tops_page_lists_it(page, robin)

    when_with_methadone_still_running_the_keyworker_tries_to_discharge_as_drug_free(page)
    then_the_discharge_is_refused_clearly_and_nothing_changes(page, robin)

    when_the_keyworker_ends_the_methadone_first_as_a_planned_exit(page)
    then_the_methadone_shows_its_end(page)

    when_the_keyworker_discharges_again_as_drug_free(page)
    then_the_journey_shows_a_successful_completion(page, robin)

    when_robin_is_referred_again_today_20_days_after_that_completion(page)
    then_the_new_referral_page_flags_the_re_presentation_and_shows_the_earlier_treatment(page)

    when_the_keyworker_saves_the_new_referral(page)
    then_the_journey_flags_the_new_referral_once_triaged_and_not_the_first(page, robin)
    and_i_sign_out(page)

    # The service manager
    given_i_am_signed_in_as(page, manager)
    when_the_manager_searches_the_audit_log_for_what_was_created_for_robin(page, robin)
    then_each_record_of_the_journey_was_created_by_the_keyworker_for_robin(page, keyworker)

    when_the_manager_looks_for_changes(page)
    then_the_one_change_is_the_methadones_end(page)

    when_the_manager_looks_for_the_discharge(page)
    then_the_one_discharge_names_its_reason(page, robin)


def test_bad_journey_input_is_refused_with_a_message_and_nothing_is_saved(
    page: Page, keyworker, robin, provider, team
):
    referral, referred = given_robin_was_referred_10_days_ago(robin)
    ash = and_ash_is_in_treatment_started_90_days_ago(provider, team, keyworker)
    given_i_am_signed_in_as(page, keyworker)

    when_i_record_robins_triage_as_two_days_before_the_referral(page, robin, referred)
    then_the_message_is_above_the_form_and_by_the_date_and_nothing_is_saved(
        page, referral, referred
    )

    when_i_record_a_top_for_ash_with_29_days_of_opiate_use_in_the_past_28(page, ash)
    then_the_top_is_refused_naming_the_field_and_none_is_saved(page, ash)
    and_what_i_typed_is_kept_to_correct_and_28_days_is_accepted(page, ash)


# The first journey's steps.


def then_the_keyworker_lands_on_their_caseload(page: Page) -> None:
    expect(page.get_by_role("heading", name="My caseload", level=1)).to_be_visible()


def when_the_keyworker_finds_robin_and_opens_the_treatment_journey(page: Page) -> None:
    when_i_open_from_the_menu(page, "Clients")
    and_i_search_the_clients_for(page, "Robin Fellwood")
    page.get_by_role("link", name="FELLWOOD, Robin").click()
    expect(page.get_by_role("heading", name="Robin Fellwood", level=1)).to_be_visible()
    page.get_by_role("link", name="Treatment journey").click()


def then_the_journey_is_empty(page: Page) -> None:
    expect(page.get_by_role("heading", name="Treatment journey", level=1)).to_be_visible()
    expect(page.get_by_text("No referrals recorded for Robin.")).to_be_visible()


def when_the_keyworker_adds_a_referral_from_robins_gp_200_days_ago(page: Page) -> None:
    link_button(page, "Add a referral").click()
    expect(page.get_by_role("heading", name="New referral", level=1)).to_be_visible()
    expect(page.get_by_text("No previous referrals or treatment episodes.")).to_be_visible()
    fill_date(page, "Referral date", REFERRED)
    page.get_by_label("Source of referral").select_option(label="GP")
    page.get_by_label("Who referred").fill("Dr Example, Demo Surgery")
    page.get_by_label("Reason for referral").fill("Asks for help with heroin and crack use")
    page.get_by_role("button", name="Save referral").click()


def then_the_journey_shows_it_received_and_waiting_for_triage(page: Page) -> None:
    expect(page.get_by_text(f"Referral of {date_uk(REFERRED)} added.")).to_be_visible()
    first = referral_section(page, REFERRED)
    expect(first).to_contain_text("Received")
    expect(first).to_contain_text("GP")
    expect(first).to_contain_text("Not triaged yet")
    expect(page.locator(".beacon-representation")).to_have_count(0)


def when_the_keyworker_records_triage_two_days_later_as_accepted(page: Page) -> None:
    first = referral_section(page, REFERRED)
    link_button(first, "Record triage").click()
    fill_date(page, "Triage date", TRIAGED)
    page.get_by_role("radio", name="Accepted for treatment").check()
    page.get_by_role("button", name="Save triage").click()


def then_the_referral_shows_it_accepted(page: Page) -> None:
    expect(page.get_by_text("Triage recorded.")).to_be_visible()
    expect(referral_section(page, REFERRED)).to_contain_text(
        f"{date_uk(TRIAGED)}: Accepted for treatment"
    )


def when_the_keyworker_records_the_comprehensive_assessment_of_heroin_then_crack(
    page: Page,
) -> None:
    """Heroin first used at 19, smoked; then crack."""
    link_button(referral_section(page, REFERRED), "Record comprehensive assessment").click()
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


def then_the_referral_shows_both_substances(page: Page) -> None:
    first = referral_section(page, REFERRED)
    expect(page.get_by_text("Comprehensive assessment recorded.")).to_be_visible()
    expect(first).to_contain_text("Assessed")
    expect(first).to_contain_text("Heroin, smoke, first used at 19")
    expect(first).to_contain_text("Crack cocaine, smoke, first used at 23")
    expect(first).to_contain_text("Previously injected (not currently)")


def when_the_keyworker_starts_treatment_with_themselves_as_keyworker(page: Page, keyworker) -> None:
    link_button(referral_section(page, REFERRED), "Start treatment").click()
    fill_date(page, "Treatment start date", STARTED)
    page.get_by_label("Keyworker").select_option(label=keyworker.display_name)
    page.get_by_role("button", name="Start treatment").click()


def then_the_referral_shows_the_client_in_treatment(page: Page, keyworker) -> None:
    first = referral_section(page, REFERRED)
    expect(page.get_by_text("Treatment episode started.")).to_be_visible()
    expect(first).to_contain_text(f"Started {date_uk(STARTED)}; keyworker {keyworker.display_name}")
    expect(first).to_contain_text("In treatment")


def when_the_keyworker_adds_two_interventions_methadone_and_psychosocial(page: Page) -> None:
    first = referral_section(page, REFERRED)
    for kind, medicine in (
        ("Pharmacological intervention", "Methadone"),
        ("Psychosocial intervention", None),
    ):
        link_button(first, "Add an intervention").click()
        page.get_by_role("radio", name=kind).check()
        page.get_by_role("radio", name="Community", exact=True).check()
        if medicine:
            page.get_by_label("Opioid substitution medicine").select_option(label=medicine)
        fill_date(page, "Date referred to this intervention", STARTED)
        fill_date(page, "Start date", STARTED)
        page.get_by_role("button", name="Save intervention").click()
        expect(page.get_by_text("Intervention added.")).to_be_visible()


def then_both_are_running(page: Page) -> None:
    ost_row = intervention_row(page, "Pharmacological intervention")
    expect(ost_row).to_contain_text("Methadone")
    expect(ost_row).to_contain_text("Running")
    expect(intervention_row(page, "Psychosocial intervention")).to_contain_text("Running")


def when_the_keyworker_writes_a_recovery_plan_with_the_goal_in_robins_own_words(
    page: Page,
) -> None:
    page.get_by_role("link", name="Recovery plan").click()
    expect(
        page.get_by_text("Robin has no recovery plan in this treatment episode yet.")
    ).to_be_visible()
    link_button(page, "Write a recovery plan").click()
    fill_date(page, "Date agreed", STARTED)
    page.get_by_role("group", name="Was the plan written with the client?").get_by_role(
        "radio", name="Yes"
    ).check()
    fill_date(page, "Next review date", STARTED + datetime.timedelta(days=90))
    page.get_by_label("Goal", exact=True).fill(GOAL)
    page.get_by_role("group", name="Is the goal in the client's own words?").get_by_role(
        "radio", name="Yes"
    ).check()
    page.get_by_label("First action (optional)").fill("Book a GP appointment about sleep")
    page.get_by_label("Who does it").select_option(label="Client")
    fill_date(page, "Action due by", STARTED + datetime.timedelta(days=14))
    page.get_by_role("button", name="Save plan").click()


def then_the_plan_shows_the_goal_as_robins_words(page: Page) -> None:
    expect(page.get_by_text("Recovery plan saved.")).to_be_visible()
    goal = page.locator("#goals li").first
    expect(goal).to_contain_text("In Robin's words")
    expect(goal.locator(".beacon-own-words")).to_have_text(f"“{GOAL}”")


def when_the_keyworker_records_the_start_top_with_every_answer(page: Page) -> None:
    to_journey(page)
    page.get_by_role("link", name="Treatment Outcomes Profiles (TOP)").click()
    expect(page.get_by_text("No TOPs recorded.")).to_be_visible()
    link_button(page, "Record a TOP").click()
    fill_top(page, "Start of treatment", STARTED, choices={"Acute housing problem": "Yes"})
    page.get_by_role("button", name="Save TOP").click()


def then_the_tops_page_lists_it(page: Page, robin) -> None:
    expect(page.get_by_text("TOP saved.")).to_be_visible()
    top_row = page.get_by_role("row").filter(has_text=date_uk(STARTED))
    expect(top_row).to_contain_text("Start of treatment")
    top = TreatmentOutcomesProfile.objects.get(client=robin)
    assert (top.stage, top.opiate_days, top.crack_days) == (TopStage.START, 20, 6)
    assert top.acute_housing_problem is True


def when_with_methadone_still_running_the_keyworker_tries_to_discharge_as_drug_free(
    page: Page,
) -> None:
    to_journey(page)
    link_button(referral_section(page, REFERRED), "Discharge").click()
    expect(page.locator("#running-modalities")).to_contain_text("Methadone")
    discharge_as_drug_free(page)


def then_the_discharge_is_refused_clearly_and_nothing_changes(page: Page, robin) -> None:
    refusal = "A successful completion is not possible while opioid substitution continues"
    expect(error_link(page, refusal)).to_be_visible()
    expect(page.get_by_label("Reason for discharge").locator("..")).to_contain_text(refusal)
    episode = TreatmentEpisode.objects.get(client=robin)
    assert episode.discharge_date is None
    assert Modality.objects.filter(episode=episode, end_date__isnull=True).count() == 2


def when_the_keyworker_ends_the_methadone_first_as_a_planned_exit(page: Page) -> None:
    """Five days before the discharge."""
    page.get_by_role("link", name="Cancel").click()
    first = referral_section(page, REFERRED)
    first.get_by_role("link", name=re.compile(r"^Change Pharmacological intervention")).click()
    expect(page.get_by_role("heading", name=re.compile("Change intervention"))).to_be_visible()
    fill_date(page, "End date", OST_ENDED)
    page.get_by_label("How it ended").select_option(label="Mutually agreed planned exit")
    page.get_by_role("button", name="Save intervention").click()


def then_the_methadone_shows_its_end(page: Page) -> None:
    expect(page.get_by_text("Intervention saved.")).to_be_visible()
    ost_row = intervention_row(page, "Pharmacological intervention")
    expect(ost_row).to_contain_text(date_uk(OST_ENDED))
    expect(ost_row).to_contain_text("Mutually agreed planned exit")


def when_the_keyworker_discharges_again_as_drug_free(page: Page) -> None:
    link_button(referral_section(page, REFERRED), "Discharge").click()
    expect(page.locator("#running-modalities")).not_to_contain_text("Methadone")
    discharge_as_drug_free(page)


def then_the_journey_shows_a_successful_completion(page: Page, robin) -> None:
    first = referral_section(page, REFERRED)
    expect(page.get_by_text(f"Discharged on {date_uk(DISCHARGED)}.")).to_be_visible()
    expect(first).to_contain_text(
        f"Discharged {date_uk(DISCHARGED)}: Treatment completed: drug free"
    )
    expect(first.get_by_text("Successful completion", exact=True)).to_be_visible()
    episode = TreatmentEpisode.objects.get(client=robin)
    assert episode.discharge_reason == DischargeReason.COMPLETED_DRUG_FREE
    assert not Modality.objects.filter(episode=episode, end_date__isnull=True).exists()


def when_robin_is_referred_again_today_20_days_after_that_completion(page: Page) -> None:
    link_button(page, "Add a referral").click()


def then_the_new_referral_page_flags_the_re_presentation_and_shows_the_earlier_treatment(
    page: Page,
) -> None:
    expect(page.locator("#representation-warning")).to_contain_text(
        f"{IF_TRIAGED} {date_uk(DISCHARGED)}"
    )
    expect(page.get_by_text(HINT)).to_be_visible()
    expect(referral_section(page, REFERRED)).to_contain_text("Successful completion")


def when_the_keyworker_saves_the_new_referral(page: Page) -> None:
    fill_date(page, "Referral date", TODAY)
    page.get_by_label("Source of referral").select_option(label="Self")
    page.get_by_role("button", name="Save referral").click()


def then_the_journey_flags_the_new_referral_once_triaged_and_not_the_first(
    page: Page, robin
) -> None:
    expect(page.get_by_text(f"Referral of {date_uk(TODAY)} added.")).to_be_visible()
    expect(referral_section(page, TODAY).locator(".beacon-representation")).to_have_count(0)
    link_button(referral_section(page, TODAY), "Record triage").click()
    fill_date(page, "Triage date", TODAY)
    page.get_by_role("radio", name="Accepted for treatment").check()
    page.get_by_role("button", name="Save triage").click()
    expect(referral_section(page, TODAY).locator(".beacon-representation")).to_have_text(
        REPRESENTATION
    )
    expect(referral_section(page, REFERRED)).to_contain_text("Successful completion")
    expect(referral_section(page, REFERRED).locator(".beacon-representation")).to_have_count(0)
    assert Referral.objects.filter(client=robin).count() == 2


def when_the_manager_searches_the_audit_log_for_what_was_created_for_robin(
    page: Page, robin
) -> None:
    when_i_open_from_the_menu(page, "Audit log")
    page.get_by_label("Client number").fill(robin.client_number)
    search_the_log_for(page, "Created")


def then_each_record_of_the_journey_was_created_by_the_keyworker_for_robin(
    page: Page, keyworker
) -> None:
    rows = audit_rows(page)
    # Each record by what the service calls it (core.presenters.audit_record_text).
    created_counts = {
        r"Referral \d\d/": 2,
        r"Triage \d\d/": 2,  # the first referral, and the re-presentation
        r"Assessment \d\d/": 1,
        r"Treatment episode: Episode from": 1,
        r"Modality: ": 2,
        r"Recovery plan agreed": 1,
        r"Plan goal: ": 1,
        r"Treatment outcomes profile: TOP": 1,
    }
    for record, count in created_counts.items():
        expect(rows.filter(has_text=re.compile(record))).to_have_count(count)
    expect(rows.filter(has_text="Created")).to_have_count(rows.count())
    expect(rows.filter(has_text=keyworker.username)).to_have_count(rows.count())
    expect(rows.filter(has_text="Treatment outcomes profile: TOP")).to_contain_text(
        f"Start of treatment TOP {STARTED:%d/%m/%Y}"
    )


def when_the_manager_looks_for_changes(page: Page) -> None:
    search_the_log_for(page, "Updated")


def then_the_one_change_is_the_methadones_end(page: Page) -> None:
    rows = audit_rows(page)
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Modality: ")
    expect(rows).to_contain_text("changed end_date, exit_reason")


def when_the_manager_looks_for_the_discharge(page: Page) -> None:
    search_the_log_for(page, "Discharged")


def then_the_one_discharge_names_its_reason(page: Page, robin) -> None:
    rows = audit_rows(page)
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Treatment episode: Episode from")
    expect(rows).to_contain_text("Treatment completed: drug free")
    expect(rows).to_contain_text(robin.client_number)


# The second journey's steps.


def given_robin_was_referred_10_days_ago(robin) -> tuple[Referral, datetime.date]:
    referred = days_ago(10)
    return ReferralFactory(client=robin, referral_date=referred), referred


def and_ash_is_in_treatment_started_90_days_ago(provider, team, keyworker):
    ash = ClientFactory(
        provider=provider, team=team, keyworker=keyworker, first_name="Ash", last_name="Marram"
    )
    TreatmentEpisodeFactory(client=ash)
    return ash


def when_i_record_robins_triage_as_two_days_before_the_referral(
    page: Page, robin, referred: datetime.date
) -> None:
    page.goto(f"/clients/{robin.client_number}/")
    page.get_by_role("link", name="Treatment journey").click()
    link_button(referral_section(page, referred), "Record triage").click()
    fill_date(page, "Triage date", referred - datetime.timedelta(days=2))
    page.get_by_role("radio", name="Accepted for treatment").check()
    page.get_by_role("button", name="Save triage").click()


def then_the_message_is_above_the_form_and_by_the_date_and_nothing_is_saved(
    page: Page, referral: Referral, referred: datetime.date
) -> None:
    message = f"Triage cannot be before the referral ({referred:%d/%m/%Y})"
    expect(error_link(page, message)).to_have_attribute("href", "#id_triage_date-day")
    expect(page.get_by_role("group", name="Triage date")).to_contain_text(message)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    assert not Triage.objects.filter(referral=referral).exists()


def when_i_record_a_top_for_ash_with_29_days_of_opiate_use_in_the_past_28(page: Page, ash) -> None:
    page.goto(f"/clients/{ash.client_number}/")
    page.get_by_role("link", name="Treatment journey").click()
    page.get_by_role("link", name="Treatment Outcomes Profiles (TOP)").click()
    link_button(page, "Record a TOP").click()
    fill_top(page, "Start of treatment", days_ago(85), **{"Opiates (illicit)": 29})
    page.get_by_role("button", name="Save TOP").click()


def then_the_top_is_refused_naming_the_field_and_none_is_saved(page: Page, ash) -> None:
    expect(
        error_link(page, "Opiates (illicit): Enter a number of days from 0 to 28")
    ).to_be_visible()
    assert not TreatmentOutcomesProfile.objects.filter(client=ash).exists()


def and_what_i_typed_is_kept_to_correct_and_28_days_is_accepted(page: Page, ash) -> None:
    expect(page.get_by_label("Cannabis", exact=True)).to_have_value("2")
    page.get_by_label("Opiates (illicit)", exact=True).fill("28")
    page.get_by_role("button", name="Save TOP").click()
    expect(page.get_by_text("TOP saved.")).to_be_visible()
    assert TreatmentOutcomesProfile.objects.get(client=ash).opiate_days == 28


# Helpers the steps use.


def referral_section(page: Page, referral_date: datetime.date) -> Locator:
    """The journey page's section for the referral received on `referral_date`."""
    heading = page.get_by_role("heading", name=f"Referral of {date_uk(referral_date)}")
    return page.locator("section").filter(has=heading)


def intervention_row(page: Page, kind: str) -> Locator:
    """The first referral's row for an intervention of `kind`."""
    interventions = referral_section(page, REFERRED).get_by_role("table")
    return interventions.get_by_role("row").filter(has_text=kind)


def link_button(page: Page | Locator, name: str) -> Locator:
    """An NHS.UK button that is a link (role="button"), found by its text."""
    return page.get_by_role("button", name=name, exact=True)


def to_journey(page: Page) -> None:
    """From a plan or TOP page: back to the client's record, then "Treatment journey"."""
    page.get_by_role("link", name=re.compile(r"'s record$")).click()
    page.get_by_role("link", name="Treatment journey").click()
    expect(page.get_by_role("heading", name="Treatment journey", level=1)).to_be_visible()


def fill_top(
    page: Page, stage: str, completed_on: datetime.date, choices: dict | None = None, **numbers
) -> None:
    """Every required answer of a TOP: stage, date, each count of days and each rating, each
    amount on a using day with its unit, and each yes/no question."""
    page.get_by_role("radio", name=stage).check()
    fill_date(page, "Date completed", completed_on)
    for label, value in {**TOP_NUMBERS, **numbers}.items():
        page.get_by_label(label, exact=True).fill(str(value))
    for legend, choice in {**TOP_CHOICES, **(choices or {})}.items():
        group = page.get_by_role("group", name=legend, exact=True)
        group.get_by_role("radio", name=choice, exact=True).check()


def discharge_as_drug_free(page: Page) -> None:
    """On the discharge form: the date, "drug free", the running interventions understood."""
    fill_date(page, "Discharge date", DISCHARGED)
    page.get_by_label("Reason for discharge").select_option(label="Treatment completed: drug free")
    checkbox(
        page, "I understand the interventions still running will end on the discharge date"
    ).check()
    page.get_by_role("button", name="Discharge").click()


def search_the_log_for(page: Page, action: str) -> None:
    """On the audit log: search for entries of one action."""
    page.get_by_label("Action", exact=True).select_option(label=action)
    page.get_by_role("button", name="Search the log").click()


def audit_rows(page: Page) -> Locator:
    return page.locator("#audit-entries tbody").get_by_role("row")
