"""A court order past its expected end is ended by its keyworker (issue 19, H-269).

Robin's Drug Rehabilitation Requirement of 6 months began 200 days ago and nobody has
recorded how it ended. The keyworker finds it on the court orders list marked "Past its
expected end: record how it ended", records that it was breached, and it shows as history
on Robin's criminal justice page.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import PartnerOrganisation
from beacon.core.roles import Role
from beacon.core.tests.factories import PartnerOrganisationFactory
from beacon.justice import services
from beacon.justice.models import Kind
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

from ..steps import (
    and_the_page_passes_axe,
    error_link,
    fill_date,
    given_i_am_signed_in_as,
    when_i_open_from_the_menu,
)

TODAY = timezone.localdate()


@pytest.fixture
def people(make_user, provider, team):
    probation = PartnerOrganisationFactory(
        provider=provider, kind=PartnerOrganisation.Kind.PROBATION, name="Testshire Probation"
    )
    keyworker = make_user(Role.KEYWORKER, first_name="Kai", last_name="Worker")
    officer = make_user(Role.PROBATION_OFFICER, username="pat", partner_organisation=probation)
    robin = ClientFactory(
        provider=provider, team=team, keyworker=keyworker, first_name="Robin", last_name="Fellwood"
    )
    TreatmentEpisodeFactory(client=robin, keyworker=keyworker)
    services.justice_status_record(
        actor=keyworker,
        client=robin,
        data={
            "kind": Kind.DRR,
            "start_date": TODAY - datetime.timedelta(days=200),
            "length_months": 6,
            "responsible_officer": officer,
        },
    )
    return {"keyworker": keyworker, "robin": robin}


def test_a_keyworker_records_how_an_order_past_its_expected_end_ended(page: Page, people):
    robin = people["robin"]
    given_i_am_signed_in_as(page, people["keyworker"])

    when_i_open_from_the_menu(page, "Court orders and licences")
    row = page.locator("#justice-statuses-list tr", has_text=robin.full_name)
    expect(row).to_contain_text("Past its expected end: record how it ended")
    and_the_page_passes_axe(page)

    row.get_by_role("link", name=re.compile("Record how it ended")).click()
    expect(page.get_by_role("heading", name="Record how the status ended")).to_be_visible()
    page.get_by_role("button", name="Save how it ended").click()
    expect(error_link(page, "Choose how it ended")).to_be_visible()
    and_the_page_passes_axe(page)

    page.get_by_label("Breached").check()
    fill_date(page, "End date", TODAY - datetime.timedelta(days=3))
    page.get_by_role("button", name="Save how it ended").click()

    expect(page.get_by_role("heading", name="Criminal justice", level=1)).to_be_visible()
    history = page.locator("#justice-status-history")
    expect(history).to_contain_text("Drug Rehabilitation Requirement")
    expect(history).to_contain_text("Breached")
    expect(page.locator("#justice-statuses")).to_contain_text("No criminal justice status current")
    and_the_page_passes_axe(page)
