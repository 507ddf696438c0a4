"""A manager adds a partner pharmacy and changes its details on a page (H-148): the ODS
code checked, every save audited, its site opened; nobody else reaches the page."""

import pytest
from django.urls import reverse

from beacon.core.models import AuditEntry, PartnerOrganisation
from beacon.pharmacy.models import PharmacyProfile

pytestmark = pytest.mark.django_db


def details(**changes) -> dict:
    return {
        "name": "Riverside Pharmacy",
        "ods_code": "fq 123",
        "phone": "0113 496 0000",
        "email": "",
        "address": "4 River Street\nLeeds",
        "postcode": "ls1 4ap",
        "opening_hours": "Monday to Saturday 9am to 6pm",
        **changes,
    }


def test_a_manager_adds_a_pharmacy_with_its_details(users, web_as):
    http = web_as("manager")
    response = http.post(reverse("pharmacy:pharmacy_add"), details(), follow=True)
    page = response.content.decode()
    assert "Pharmacy details saved." in page and "Riverside Pharmacy" in page
    pharmacy = PartnerOrganisation.objects.get(name="Riverside Pharmacy")
    assert pharmacy.kind == PartnerOrganisation.Kind.PHARMACY
    assert pharmacy.ods_code == "FQ123" and "FQ123" in page
    profile = pharmacy.pharmacy_profile
    assert profile.postcode == "LS1 4AP" and profile.site is not None
    assert AuditEntry.objects.filter(user=users["manager"], action="create").exists()


def test_a_bad_ods_code_is_refused_with_a_clear_message_and_loses_nothing(web_as):
    response = web_as("manager").post(reverse("pharmacy:pharmacy_add"), details(ods_code="A12"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a pharmacy ODS code: F and 4 letters or numbers, like FA123" in page
    assert "nhsuk-error-summary" in page and "Monday to Saturday 9am to 6pm" in page
    assert not PartnerOrganisation.objects.filter(name="Riverside Pharmacy").exists()
    postcode = web_as("manager").post(reverse("pharmacy:pharmacy_add"), details(postcode="XX"))
    assert "Enter a real UK postcode" in postcode.content.decode()


def test_a_manager_changes_a_pharmacys_details_and_the_change_is_audited(users, pharmacy, web_as):
    url = reverse("pharmacy:pharmacy_edit", kwargs={"pharmacy_id": pharmacy.pk})
    http = web_as("manager")
    form = http.get(url).content.decode()
    assert f'value="{pharmacy.name}"' in form
    before = AuditEntry.objects.filter(action="update").count()
    response = http.post(
        url, details(name=pharmacy.name, opening_hours="Every day 8am to 10pm"), follow=True
    )
    assert "Pharmacy details saved." in response.content.decode()
    pharmacy.refresh_from_db()
    assert pharmacy.ods_code == "FQ123"
    assert PharmacyProfile.objects.get(pharmacy=pharmacy).opening_hours == "Every day 8am to 10pm"
    assert AuditEntry.objects.filter(action="update").count() > before


def test_an_ods_code_another_partner_has_is_refused(users, pharmacy, web_as):
    pharmacy.ods_code = "FQ123"
    pharmacy.save()
    response = web_as("manager").post(reverse("pharmacy:pharmacy_add"), details())
    assert "Another partner organisation already has the ODS code FQ123" in (
        response.content.decode()
    )


def test_only_managers_reach_the_pharmacy_details(pharmacy, web_as):
    url = reverse("pharmacy:pharmacy_edit", kwargs={"pharmacy_id": pharmacy.pk})
    for role in ("pharmacist", "prescriber", "keyworker", "commissioner"):
        http = web_as(role)
        assert http.get(reverse("pharmacy:pharmacies")).status_code == 403
        assert http.post(url, details()).status_code == 403
    pharmacy.refresh_from_db()
    assert pharmacy.ods_code != "FQ123"
