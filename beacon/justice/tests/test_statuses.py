"""A client's criminal-justice status: recorded by their keyworker, shown to staff with a
need to know, never to a driver or volunteer; a DRR needs its length, a licence its licence
end date and post-sentence supervision its end date, and past it neither is current
(H-280); statuses map to NDTMS in the one mapping module."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.presenters import date_uk
from beacon.justice import selectors, services
from beacon.justice.models import JusticeStatus, Kind
from beacon.justice.rules import clients_shared_with
from beacon.justice.tests.factories import (
    consents,
    days,
    on_order,
    recorded_before_end_dates,
)
from beacon.treatment.codes import NDTMS_MAPPINGS, CriminalJusticeStatus
from beacon.treatment.tests.factories import date_input

pytestmark = pytest.mark.django_db

# A day a licence started, and a morning after it to be on: messages write it as Beacon's
# pages write dates ("1 June 2026", not 01/06/2026).
STARTED = datetime.date(2026, 6, 1)
LATER = datetime.datetime(2026, 6, 20, 10, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def test_a_drr_has_a_start_length_end_and_responsible_officer(client_record, keyworker, officer):
    order = on_order(client_record, keyworker, officer, start=-30)
    assert order.responsible_officer == officer
    assert order.ends_on is not None and order.ends_on > days(0)
    assert JusticeStatus.objects.current(on=days(0)).filter(pk=order.pk).exists()
    assert order.is_current_on(days(0))


def test_a_drr_without_a_length_is_refused_next_to_the_field(web_as, client_record):
    response = web_as("keyworker").post(
        f"/justice/clients/{client_record.client_number}/status/new/",
        {"kind": Kind.DRR, **date_input("start_date", days(-1))},
    )
    assert response.status_code == 200
    assert "Enter the length of the requirement in months" in response.content.decode()
    assert not JusticeStatus.objects.exists()


def test_a_caution_names_no_probation_officer(client_record, keyworker, officer):
    with pytest.raises(ValidationError) as caught:
        on_order(client_record, keyworker, officer, kind=Kind.CONDITIONAL_CAUTION)
    assert "responsible_officer" in caught.value.message_dict


def test_the_responsible_officer_must_be_a_probation_officer(client_record, keyworker, users):
    with pytest.raises(ValidationError):
        on_order(client_record, keyworker, users["nurse"])


def test_staff_with_a_need_to_know_see_the_status_and_a_driver_does_not(
    web_as, client_record, keyworker, officer
):
    on_order(client_record, keyworker, officer)
    page = f"/justice/clients/{client_record.client_number}/"
    for role in ("keyworker", "prescriber", "nurse", "manager"):
        response = web_as(role).get(page)
        assert "Drug Rehabilitation Requirement" in response.content.decode(), role
    for role in ("driver", "volunteer", "commissioner", "pharmacist", "probation_officer"):
        assert web_as(role).get(page).status_code == 403, role
    assert AuditEntry.objects.filter(client=client_record, detail="criminal justice page").exists()


def test_the_client_page_shows_the_status_to_staff(web_as, client_record, keyworker, officer):
    on_order(client_record, keyworker, officer)
    response = web_as("nurse").get(f"/clients/{client_record.client_number}/")
    assert "Criminal justice" in response.content.decode()
    assert "Drug Rehabilitation Requirement" in response.content.decode()


def test_criminal_justice_statuses_are_in_the_one_mapping_module():
    mapping = NDTMS_MAPPINGS[CriminalJusticeStatus]
    assert set(mapping.codes) == set(CriminalJusticeStatus)


# A licence's and post-sentence supervision's end date (H-280) ---------------------------------


def status_page(client) -> str:
    return f"/justice/clients/{client.client_number}/status/new/"


def end_date_page(status) -> str:
    return f"/justice/clients/{status.client.client_number}/statuses/{status.pk}/end-date/"


def test_a_licence_without_its_end_date_or_ending_before_it_starts_is_refused_next_to_the_field(
    web_as, client_record, officer
):
    http = web_as("keyworker")
    typed = {"kind": Kind.LICENCE, **date_input("start_date", days(-1))}
    missing = http.post(status_page(client_record), {**typed, "responsible_officer": officer.pk})
    assert missing.status_code == 200
    assert "Enter the licence end date" in missing.content.decode()
    early = http.post(
        status_page(client_record),
        {**typed, **date_input("supervision_end", days(-1)), "responsible_officer": officer.pk},
    )
    assert f"The end date must be after the start date, {date_uk(days(-1))}" in early.text
    assert f'value="{days(-1).year}"' in early.text  # what was typed is kept
    pss = http.post(
        status_page(client_record),
        {"kind": Kind.POST_SENTENCE_SUPERVISION, **date_input("start_date", days(-1))},
    )
    assert "Enter the date post-sentence supervision ends" in pss.content.decode()
    assert not JusticeStatus.objects.exists()
    saved = http.post(
        status_page(client_record),
        {**typed, **date_input("supervision_end", days(180)), "responsible_officer": officer.pk},
    )
    assert saved.status_code == 302
    licence = JusticeStatus.objects.get()
    assert (licence.supervision_end, licence.expected_end, licence.ends_on) == (
        days(180),
        days(180),
        days(180),
    )
    page = http.get(f"/justice/clients/{client_record.client_number}/").content.decode()
    assert f"To {date_uk(days(180))}" in page


def test_an_end_date_not_after_the_start_is_refused_naming_the_start_as_pages_write_dates(
    web_as, client_record, keyworker, officer
):
    with time_machine.travel(LATER, tick=False):
        start = (STARTED - days(0)).days
        with pytest.raises(ValidationError) as caught:
            on_order(
                client_record,
                keyworker,
                officer,
                kind=Kind.LICENCE,
                start=start,
                supervision_end=STARTED,
            )
        http = web_as("keyworker")
        typed = {
            "kind": Kind.LICENCE,
            **date_input("start_date", STARTED),
            **date_input("supervision_end", STARTED),
            "responsible_officer": officer.pk,
        }
        on_the_form = http.post(status_page(client_record), typed)
        licence = recorded_before_end_dates(client_record, keyworker, officer, start=start)
        recorded_later = http.post(end_date_page(licence), date_input("supervision_end", STARTED))
    wording = "The end date must be after the start date, 1 June 2026"
    assert caught.value.message_dict == {"supervision_end": [wording]}  # the service, the API
    assert on_the_form.status_code == 200 and wording in on_the_form.text  # the status form
    assert recorded_later.status_code == 200 and wording in recorded_later.text  # end date page


@pytest.mark.parametrize("kind", [Kind.LICENCE, Kind.POST_SENTENCE_SUPERVISION])
def test_the_service_refuses_a_licence_or_supervision_without_an_end_date_after_its_start(
    client_record, keyworker, officer, kind
):
    for end in (None, days(-30), days(-31)):
        with pytest.raises(ValidationError) as caught:
            on_order(client_record, keyworker, officer, kind=kind, start=-30, supervision_end=end)
        assert "supervision_end" in caught.value.message_dict
    assert not JusticeStatus.objects.exists()


def test_an_order_keeps_its_end_from_its_length_and_the_database_keeps_end_dates_coherent(
    client_record, keyworker, officer
):
    order = on_order(client_record, keyworker, officer, start=-30, supervision_end=days(5))
    assert order.supervision_end is None and order.expected_end > days(5)  # from its 6 months
    with pytest.raises(IntegrityError), transaction.atomic():
        JusticeStatus.objects.filter(pk=order.pk).update(supervision_end=days(5))
    licence = on_order(client_record, keyworker, officer, kind=Kind.LICENCE, start=-10)
    with pytest.raises(IntegrityError), transaction.atomic():
        JusticeStatus.objects.filter(pk=licence.pk).update(supervision_end=days(-10))


@pytest.mark.parametrize("kind", [Kind.LICENCE, Kind.POST_SENTENCE_SUPERVISION])
def test_the_database_refuses_a_licence_or_supervision_without_an_end_date(
    client_record, keyworker, officer, kind
):
    row = {
        "provider": client_record.provider,
        "client": client_record,
        "kind": kind,
        "start_date": days(-10),
        "responsible_officer": officer,
        "recorded_by": keyworker,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        JusticeStatus.objects.create(**row)
    licence = on_order(client_record, keyworker, officer, kind=kind, start=-10)
    with pytest.raises(IntegrityError), transaction.atomic():
        JusticeStatus.objects.filter(pk=licence.pk).update(supervision_end=None)
    # Only one recorded before end dates were asked (marked by migration 0006) may have none.
    assert JusticeStatus.objects.create(**row, recorded_before_end_dates=True).needs_end_date
    assert not licence.recorded_before_end_dates


@pytest.mark.parametrize("kind", [Kind.LICENCE, Kind.POST_SENTENCE_SUPERVISION])
def test_past_its_end_date_a_licence_or_supervision_ends_the_officers_access_and_asks_its_ending(
    web_as, client_record, keyworker, officer, kind
):
    status = on_order(
        client_record, keyworker, officer, kind=kind, start=-400, supervision_end=days(-10)
    )
    consents(client_record, keyworker, officer.partner_organisation, given=-400)
    assert status.is_current_on(days(-10)) and not status.is_current_on(days(-9))
    assert JusticeStatus.objects.current(on=days(-10)).filter(pk=status.pk).exists()
    assert not JusticeStatus.objects.current(on=days(0)).filter(pk=status.pk).exists()
    assert status.is_past_expected_end_on(days(0)) and status.ends_on == days(-10)
    # The responsible officer reads nothing more, nor is the client on their list.
    assert not clients_shared_with(officer).filter(pk=client_record.pk).exists()
    assert (
        web_as(officer).get(f"/justice/supervised/{client_record.client_number}/").status_code
        == 404
    )
    assert client_record.full_name not in web_as(officer).get("/justice/supervised/").text
    assert selectors.officer_referrals_without_consent(user=officer, today=days(0)) == 0
    # The keyworker is asked to record how it ended, as for an order past its length.
    listed = web_as("keyworker").get("/justice/statuses/", {"past_expected_end_only": "on"})
    assert client_record.full_name in listed.text
    assert "Past its expected end: record how it ended" in listed.text
    assert date_uk(days(-10)) in listed.text


def test_a_licence_recorded_before_end_dates_were_asked_is_flagged_until_the_keyworker_records_it(
    web_as, client_record, keyworker, officer
):
    # As migrations 0005 and 0006 left it: a licence with no end date, still current.
    licence = recorded_before_end_dates(client_record, keyworker, officer)
    assert licence.is_current_on(days(0)) and licence.needs_end_date
    http = web_as("keyworker")
    justice = f"/justice/clients/{client_record.client_number}/"
    page = http.get(justice).content.decode()
    assert "No end date: record when it ends" in page and end_date_page(licence) in page
    assert "No end date: record when it ends" in http.get("/justice/statuses/").text
    client_page = http.get(f"/clients/{client_record.client_number}/").text
    assert "No end date: record when it ends" in client_page
    form = http.get(end_date_page(licence))
    assert form.status_code == 200 and "Licence end date" in form.text
    refused = http.post(end_date_page(licence), date_input("supervision_end", days(-100)))
    assert refused.status_code == 200
    assert f"The end date must be after the start date, {date_uk(days(-100))}" in refused.text
    licence.refresh_from_db()
    assert licence.supervision_end is None
    saved = http.post(end_date_page(licence), date_input("supervision_end", days(-1)))
    assert saved.status_code == 302
    licence.refresh_from_db()
    assert licence.supervision_end == days(-1) and licence.expected_end == days(-1)
    assert not licence.is_current_on(days(0)) and not licence.needs_end_date
    page = http.get(justice).content.decode()
    assert "No end date" not in page and "Past its expected end: record how it ended" in page
    assert AuditEntry.objects.filter(
        user=keyworker, client=client_record, detail=f"On licence: end date {days(-1):%d/%m/%Y}"
    ).exists()
    for role in ("nurse", "probation_officer", "driver"):
        assert web_as(role).get(end_date_page(licence)).status_code == 403, role


def test_a_licence_with_no_end_date_is_flagged_on_the_caseload_and_the_worklists(
    web_as, client_record, keyworker, officer, provider, team
):
    licence = recorded_before_end_dates(client_record, keyworker, officer)
    dated_client = ClientFactory(provider=provider, team=team, keyworker=keyworker)
    dated = on_order(dated_client, keyworker, officer, kind=Kind.LICENCE, start=-10)
    flag = "No end date: record when it ends"
    # The keyworker's home, their caseload: tagged, with the link to record it.
    caseload = web_as("keyworker").get("/treatment/caseload/").content.decode()
    assert flag in caseload and end_date_page(licence) in caseload
    assert end_date_page(dated) not in caseload
    # The manager's worklist, with the link to record it; not the prescriber's, who may
    # not record it.
    section = 'id="justice-without-end-date"'
    manager_home = web_as("manager").get("/").content.decode()
    listed = manager_home.split(section)[1].split("</section>")[0]
    assert client_record.full_name in listed and end_date_page(licence) in listed
    assert dated_client.full_name not in listed
    assert section not in web_as("prescriber").get("/").content.decode()
    only = web_as("manager").get("/justice/statuses/", {"without_end_date_only": "on"}).text
    assert client_record.full_name in only and dated_client.full_name not in only
    # Once the date is recorded, the flag and the section go.
    services.justice_status_record_end_date(
        actor=keyworker, status=licence, data={"supervision_end": days(100)}
    )
    assert flag not in web_as("keyworker").get("/treatment/caseload/").content.decode()
    assert section not in web_as("manager").get("/").content.decode()


def test_the_api_returns_a_licences_end_date_and_records_a_missing_one(
    api_as, client_record, keyworker, officer
):
    licence = JusticeStatus.objects.create(
        provider=client_record.provider,
        client=client_record,
        kind=Kind.POST_SENTENCE_SUPERVISION,
        start_date=days(-30),
        responsible_officer=officer,
        recorded_by=keyworker,
        recorded_before_end_dates=True,
    )
    listed = f"/api/v1/justice/clients/{client_record.client_number}/statuses"
    row = api_as("nurse").get(listed).json()[0]
    assert row["supervision_end"] is None and row["needs_end_date"] is True
    path = f"{listed}/{licence.pk}/end-date"
    body = {"supervision_end": days(335).isoformat()}
    for refused in (officer, "nurse"):
        assert api_as(refused).post(path, body, content_type="application/json").status_code == 403
    early = {"supervision_end": days(-31).isoformat()}
    bad = api_as(keyworker).post(path, early, content_type="application/json")
    assert bad.status_code == 422 and "supervision_end" in bad.text
    done = api_as(keyworker).post(path, body, content_type="application/json").json()
    assert done["supervision_end"] == days(335).isoformat()
    assert done["expected_end"] == days(335).isoformat() and done["needs_end_date"] is False
    assert api_as("nurse").get(listed).json()[0]["ends_on"] == days(335).isoformat()
