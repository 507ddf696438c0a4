"""The nurse starts on naloxone work: current opiate clients without an in-date kit (the
gaps list's rule), each linked to the supply form, with the full list (issue #11, H-139)."""

import pytest
from django.urls import reverse

from beacon.naloxone.tests.factories import supply_to

pytestmark = pytest.mark.django_db
HOME = "/"


def section(html: str) -> str:
    return html.split('id="worklist-naloxone-gaps"')[1].split("</section>")[0]


def test_an_opiate_client_without_a_kit_is_on_the_nurses_home_with_the_supply_form(opiate, web_as):
    html = section(web_as("nurse").get(HOME).content.decode())
    assert "Fellwood" in html and "Never supplied" in html
    assert reverse("naloxone:supply", args=[opiate.client_number]) in html
    assert f'href="{reverse("naloxone:gaps")}"' in html


def test_a_client_given_a_kit_leaves_the_nurses_list(opiate, batch, site, users, web_as):
    supply_to(users["nurse"], opiate, batch, site)
    html = section(web_as("nurse").get(HOME).content.decode())
    assert "Fellwood" not in html
    assert "Every current opiate client holds an in-date naloxone kit." in html


def test_the_nurses_home_names_no_client_of_another_provider(
    opiate, make_user, other_provider, web_as
):
    outsider_nurse = make_user("nurse", provider=other_provider, username="nurse-elsewhere")
    html = web_as(outsider_nurse).get(HOME).content.decode()
    assert "Fellwood" not in html
