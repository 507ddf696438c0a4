"""The prescribing pages: who may do what, the warning flow, refusals that save nothing."""

import pytest

from beacon.core.models import AuditEntry
from beacon.prescribing.models import DoseChange, Instalment, Prescription
from beacon.prescribing.tests.factories import (
    BUVIDAL_WEEKLY_16,
    date_fields,
    days_from_today,
    prescribe,
    prescription_page_fields,
)

pytestmark = pytest.mark.django_db


def form_data(client, **overrides) -> dict:
    return prescription_page_fields(client, start=days_from_today(-1), **overrides)


def test_prescriber_writes_a_prescription(client, web_as):
    response = web_as("prescriber").post(
        f"/prescribing/clients/{client.client_number}/new/", form_data(client)
    )
    prescription = Prescription.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/prescribing/{prescription.pk}/"
    assert prescription.supervised_days == "0123456"
    assert prescription.instalments.count() == 14


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"dose": "-5"}, "more than 0 mg"),
        ({"medicine": "heroin"}, "Select one of the choices for medicine"),
        ({**date_fields("end_date", days_from_today(-3))}, "on or after the start date"),
        ({**date_fields("end_date", days_from_today(20))}, "at most 14 days"),
        (
            {
                "medicine": BUVIDAL_WEEKLY_16,
                "dose": "16",
                "pattern": "weekly",
                "pharmacy": "",
                "home_delivery": "on",
                "supervised_days": [],
            },
            "never delivered home",
        ),
    ],
)
def test_bad_prescription_gets_a_clear_message_and_saves_nothing(
    client, web_as, overrides, message
):
    response = web_as("prescriber").post(
        f"/prescribing/clients/{client.client_number}/new/", form_data(client, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Prescription.objects.exists()
    assert not Instalment.objects.exists()


def test_overlap_is_refused_on_the_page(client, web_as, users):
    prescribe(client=client, prescriber=users["prescriber"])
    response = web_as("prescriber").post(
        f"/prescribing/clients/{client.client_number}/new/", form_data(client)
    )
    assert "overlaps the client" in response.content.decode()
    assert Prescription.objects.count() == 1


def test_large_increase_shows_the_warning_and_needs_a_reason(client, web_as, users):
    # Started today: five days with nothing supplied would be a restart (H-52).
    prescription = prescribe(
        client=client, prescriber=users["prescriber"], start_date=days_from_today(0)
    )
    http = web_as("prescriber")
    data = {"dose": "50", **date_fields("effective_date", days_from_today(1))}
    response = http.post(f"/prescribing/{prescription.pk}/dose/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="dose-warning"' in page and "more than 10 mg at a time" in page
    assert not DoseChange.objects.exists()
    response = http.post(
        f"/prescribing/{prescription.pk}/dose/", {**data, "reason": "Reviewed; still using"}
    )
    assert response.status_code == 302
    assert DoseChange.objects.get().to_dose == 50


def test_manager_writes_naming_the_prescriber(client, web_as, users):
    response = web_as("manager").post(
        f"/prescribing/clients/{client.client_number}/new/",
        form_data(client, prescriber=users["prescriber"].pk),
    )
    assert response.status_code == 302
    assert Prescription.objects.get().prescriber == users["prescriber"]


@pytest.mark.parametrize("role", ["keyworker", "nurse", "driver", "volunteer", "commissioner"])
def test_only_prescribers_and_managers_write(client, web_as, role):
    response = web_as(role).post(
        f"/prescribing/clients/{client.client_number}/new/", form_data(client)
    )
    assert response.status_code == 403
    assert not Prescription.objects.exists()


@pytest.mark.parametrize("role", ["keyworker", "nurse", "prescriber", "manager"])
def test_clinical_roles_read_the_schedule_and_the_read_is_audited(client, web_as, users, role):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    response = web_as(role).get(f"/prescribing/{prescription.pk}/")
    assert response.status_code == 200
    assert 'id="instalments"' in response.content.decode()
    assert AuditEntry.objects.filter(
        action="view", client=client, username=users[role].username
    ).exists()


def test_other_providers_prescription_is_not_found(client, web_as, users, other_provider):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    stranger = users["prescriber"].__class__.objects.create(
        username="prescriber-ors", provider=other_provider, role="prescriber"
    )
    assert web_as(stranger).get(f"/prescribing/{prescription.pk}/").status_code == 404


def test_missed_doses_block_then_prescriber_review_unblocks(client, web_as, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    http = web_as("prescriber")
    instalments = list(prescription.instalments.order_by("date"))
    for instalment in instalments[:3]:
        http.post(f"/prescribing/instalments/{instalment.pk}/outcome/", {"outcome": "missed"})
    page = http.get(f"/prescribing/{prescription.pk}/").content.decode()
    assert 'id="blocked"' in page
    response = http.post(
        f"/prescribing/instalments/{instalments[3].pk}/outcome/", {"outcome": "collected"}
    )
    assert "until a prescriber reviews" in response.content.decode()
    response = http.post(
        f"/prescribing/{prescription.pk}/review/",
        {"decision": "resume", "resume_dose": "30", "notes": "Phoned; was unwell"},
    )
    assert response.status_code == 302
    response = http.post(
        f"/prescribing/instalments/{instalments[3].pk}/outcome/", {"outcome": "collected"}
    )
    assert response.status_code == 302
    instalments[3].refresh_from_db()
    assert instalments[3].outcome == "collected"


def test_end_a_prescription(client, web_as, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    response = web_as("prescriber").post(
        f"/prescribing/{prescription.pk}/end/",
        {**date_fields("ended_on", days_from_today(0)), "end_reason": "Moving area"},
    )
    assert response.status_code == 302
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.ENDED


def test_client_page_shows_days_from_referral_to_first_prescription(client, web_as, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    referral_date = client.episodes.get().referral.referral_date
    page = web_as("keyworker").get(f"/clients/{client.client_number}/").content.decode()
    days = (prescription.start_date - referral_date).days
    assert f"Days from referral to first OST prescription: {days}" in page
