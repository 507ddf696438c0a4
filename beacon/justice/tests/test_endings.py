"""Ending a criminal-justice status (H-269): how it ended (the endings its kind may have,
"other" in words), the end date (not in the future, not before the start) and who; by page
and API, audited, for the keyworker and managers only; an ended status is history. An order
past its length is no longer current and asks for its ending on the statuses list, the
caseload and the manager's worklist."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from beacon.core.models import AuditEntry
from beacon.core.presenters import date_uk
from beacon.justice import services, views
from beacon.justice.models import JusticeStatus, Kind, StatusEnd
from beacon.justice.rules import clients_shared_with
from beacon.justice.tests.factories import consents, days, on_order, recorded_before_end_dates
from beacon.treatment.tests.factories import date_input

pytestmark = pytest.mark.django_db

# A day a status ended, and a morning soon after to be on when it did: messages write it as
# Beacon's pages write dates ("1 June 2026", not 01/06/2026).
ENDED = datetime.date(2026, 6, 1)
SOON_AFTER = datetime.datetime(2026, 6, 20, 10, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def end_page(status) -> str:
    return f"/justice/clients/{status.client.client_number}/statuses/{status.pk}/end/"


def end_api(status) -> str:
    return f"/api/v1/justice/clients/{status.client.client_number}/statuses/{status.pk}/end"


# The service ---------------------------------------------------------------------------------


def test_ending_records_how_when_and_who_and_the_status_is_history(
    client_record, keyworker, officer
):
    order = on_order(client_record, keyworker, officer, start=-60)
    ended = services.justice_status_end(
        actor=keyworker,
        status=order,
        data={"ended_on": days(-1), "end_reason": StatusEnd.BREACHED, "end_detail": ""},
    )
    assert (ended.ended_on, ended.end_reason, ended.ended_by) == (
        days(-1),
        StatusEnd.BREACHED,
        keyworker,
    )
    assert not JusticeStatus.objects.current(on=days(0)).filter(pk=order.pk).exists()
    assert not ended.is_current_on(days(0))
    entry = AuditEntry.objects.filter(user=keyworker, client=client_record).latest("at")
    assert "ended on" in entry.detail and "Breached" in entry.detail


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"ended_on": days(1), "end_reason": StatusEnd.COMPLETED}, "ended_on"),
        ({"ended_on": days(-61), "end_reason": StatusEnd.COMPLETED}, "ended_on"),
        ({"ended_on": None, "end_reason": StatusEnd.COMPLETED}, "ended_on"),
        ({"ended_on": days(-1), "end_reason": ""}, "end_reason"),
        ({"ended_on": days(-1), "end_reason": StatusEnd.SUPERSEDED}, "end_reason"),
        ({"ended_on": days(-1), "end_reason": StatusEnd.OTHER, "end_detail": " "}, "end_detail"),
    ],
)
def test_an_ending_in_the_future_before_the_start_or_without_how_is_refused(
    client_record, keyworker, officer, data, field
):
    order = on_order(client_record, keyworker, officer, start=-60)
    with pytest.raises(ValidationError) as caught:
        services.justice_status_end(actor=keyworker, status=order, data=data)
    assert field in caught.value.message_dict
    order.refresh_from_db()
    assert order.ended_on is None and order.end_reason == ""


def test_an_ending_before_the_start_names_the_start_as_pages_write_dates(
    web_as, client_record, keyworker, officer
):
    the_day_before = {
        "ended_on": ENDED - datetime.timedelta(days=1),
        "end_reason": StatusEnd.COMPLETED,
    }
    with time_machine.travel(SOON_AFTER, tick=False):
        order = on_order(client_record, keyworker, officer, start=(ENDED - days(0)).days)
        with pytest.raises(ValidationError) as caught:
            services.justice_status_end(actor=keyworker, status=order, data=the_day_before)
        page = web_as("keyworker").post(
            end_page(order),
            {
                "end_reason": StatusEnd.COMPLETED,
                **date_input("ended_on", the_day_before["ended_on"]),
            },
        )
    wording = "The end date cannot be before the start, 1 June 2026"
    assert caught.value.message_dict == {"ended_on": [wording]}
    assert page.status_code == 200 and wording in page.text
    order.refresh_from_db()
    assert order.ended_on is None


def test_each_kind_ends_only_as_it_can(client_record, keyworker, officer):
    caution = services.justice_status_record(
        actor=keyworker,
        client=client_record,
        data={"kind": Kind.CONDITIONAL_CAUTION, "start_date": days(-10)},
    )
    with pytest.raises(ValidationError) as caught:
        services.justice_status_end(
            actor=keyworker,
            status=caution,
            data={"ended_on": days(0), "end_reason": StatusEnd.REVOKED},
        )
    assert "end_reason" in caught.value.message_dict


def test_a_status_ends_once(client_record, keyworker, officer):
    with time_machine.travel(SOON_AFTER, tick=False):
        order = on_order(client_record, keyworker, officer, start=-60)
        data = {"ended_on": ENDED, "end_reason": StatusEnd.COMPLETED}
        services.justice_status_end(actor=keyworker, status=order, data=data)
        with pytest.raises(ValidationError) as caught:
            services.justice_status_end(actor=keyworker, status=order, data=data)
    assert caught.value.messages == ["This status already ended on 1 June 2026"]


def test_an_ended_licence_takes_no_end_date(client_record, keyworker, officer):
    with time_machine.travel(SOON_AFTER, tick=False):
        licence = on_order(client_record, keyworker, officer, kind=Kind.LICENCE, start=-60)
        services.justice_status_end(
            actor=keyworker,
            status=licence,
            data={"ended_on": ENDED, "end_reason": StatusEnd.COMPLETED},
        )
        with pytest.raises(ValidationError) as caught:
            services.justice_status_record_end_date(
                actor=keyworker, status=licence, data={"supervision_end": days(100)}
            )
    assert caught.value.messages == ["This status already ended on 1 June 2026"]


def test_the_officer_reads_nothing_more_after_the_end_date(
    web_as, client_record, keyworker, officer
):
    order = on_order(client_record, keyworker, officer, start=-60)
    consents(client_record, keyworker, officer.partner_organisation)
    page = f"/justice/supervised/{client_record.client_number}/"
    assert web_as(officer).get(page).status_code == 200
    services.justice_status_end(
        actor=keyworker,
        status=order,
        data={"ended_on": days(-1), "end_reason": StatusEnd.REVOKED},
    )
    assert web_as(officer).get(page).status_code == 404


# The page ---------------------------------------------------------------------------------------


def test_the_keyworker_ends_an_order_on_its_page_and_it_shows_as_history(
    web_as, client_record, keyworker, officer
):
    order = on_order(client_record, keyworker, officer, start=-60)
    http = web_as("keyworker")
    justice = http.get(f"/justice/clients/{client_record.client_number}/").content.decode()
    assert end_page(order) in justice  # "Record how it ended" from the client's justice page
    form = http.get(end_page(order)).content.decode()
    assert "Revoked by the court" in form and "checked" not in form
    response = http.post(
        end_page(order),
        {
            "end_reason": StatusEnd.OTHER,
            "end_detail": "Order varied by the court",
            **date_input("ended_on", days(-2)),
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.end_reason == StatusEnd.OTHER and order.ended_by == keyworker
    page = http.get(f"/justice/clients/{client_record.client_number}/").content.decode()
    history = page.split('id="justice-status-history"')[1].split("</table>")[0]
    assert "Order varied by the court" in history and date_uk(days(-2)) in history
    assert end_page(order) not in page
    assert http.get(end_page(order)).status_code == 302  # ended already: back to the page


def test_the_end_page_of_an_ended_status_says_when_it_ended(
    web_as, client_record, keyworker, officer
):
    with time_machine.travel(SOON_AFTER, tick=False):
        order = on_order(client_record, keyworker, officer, start=-60)
        services.justice_status_end(
            actor=keyworker, status=order, data={"ended_on": ENDED, "end_reason": "completed"}
        )
        again = web_as(keyworker).get(end_page(order), follow=True)
    assert again.redirect_chain == [(f"/justice/clients/{client_record.client_number}/", 302)]
    assert "This status already ended on 1 June 2026." in again.content.decode()


def test_the_end_page_says_a_licences_end_date_within_its_sentence(
    web_as, client_record, keyworker, officer
):
    licence = on_order(client_record, keyworker, officer, kind=Kind.LICENCE, start=-10)
    undated = recorded_before_end_dates(
        client_record, keyworker, kind=Kind.POST_SENTENCE_SUPERVISION, start=-20
    )
    http = web_as("keyworker")
    page = http.get(end_page(licence)).content.decode()
    assert f"On licence from {date_uk(days(-10))}, to {date_uk(days(355))}." in page
    page = http.get(end_page(undated)).content.decode()
    assert f"supervision from {date_uk(days(-20))}, no end date recorded." in page
    # In the statuses table the date starts its own cell.
    justice = http.get(f"/justice/clients/{client_record.client_number}/").content.decode()
    assert f"To {date_uk(days(355))}" in justice


def test_a_bad_end_says_so_next_to_the_field_and_keeps_what_was_typed(
    web_as, client_record, keyworker, officer
):
    order = on_order(client_record, keyworker, officer, start=-60)
    response = web_as("keyworker").post(
        end_page(order),
        {
            "end_reason": StatusEnd.OTHER,
            "end_detail": "Moved to Scotland",
            **date_input("ended_on", days(3)),
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "The end date cannot be in the future" in text
    assert "Moved to Scotland" in text
    order.refresh_from_db()
    assert order.ended_on is None


def test_only_who_may_record_a_status_may_end_it(web_as, client_record, keyworker, officer):
    order = on_order(client_record, keyworker, officer, start=-60)
    data = {"end_reason": StatusEnd.COMPLETED, **date_input("ended_on", days(0))}
    for role in ("nurse", "prescriber", "probation_officer", "driver"):
        assert web_as(role).post(end_page(order), data).status_code == 403, role
    order.refresh_from_db()
    assert order.ended_on is None
    assert web_as("manager").post(end_page(order), data).status_code == 302


# The API ------------------------------------------------------------------------------------------


def test_the_api_ends_a_status_for_the_keyworker_and_refuses_the_officer(
    api_as, client_record, keyworker, officer
):
    order = on_order(client_record, keyworker, officer, start=-60)
    body = {"ended_on": days(-1).isoformat(), "end_reason": "completed"}
    assert (
        api_as(officer).post(end_api(order), body, content_type="application/json").status_code
        == 403
    )
    assert (
        api_as("nurse").post(end_api(order), body, content_type="application/json").status_code
        == 403
    )
    future = {"ended_on": days(5).isoformat(), "end_reason": "completed"}
    refused = api_as(keyworker).post(end_api(order), future, content_type="application/json")
    assert refused.status_code == 422 and "ended_on" in refused.text
    done = api_as(keyworker).post(end_api(order), body, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["how_it_ended"] == "Completed" and done.json()["current"] is False
    rows = (
        api_as("nurse")
        .get(f"/api/v1/justice/clients/{client_record.client_number}/statuses")
        .json()
    )
    assert rows[0]["ended_on"] == days(-1).isoformat() and rows[0]["end_reason"] == "completed"


# An order past its length ------------------------------------------------------------------


def test_an_order_past_its_length_is_not_current_and_ends_the_officers_access(
    client_record, keyworker, officer
):
    order = on_order(client_record, keyworker, officer, start=-200)  # 6 months: ~17 days ago
    consents(client_record, keyworker, officer.partner_organisation)
    assert order.expected_end < days(0)
    assert not JusticeStatus.objects.current(on=days(0)).filter(pk=order.pk).exists()
    assert JusticeStatus.objects.current(on=order.expected_end).filter(pk=order.pk).exists()
    assert order.is_past_expected_end_on(days(0)) and not order.is_current_on(days(0))
    assert not clients_shared_with(officer).filter(pk=client_record.pk).exists()


def test_a_drr_of_six_months_runs_to_the_day_before_the_same_date(
    client_record, keyworker, officer
):
    order = on_order(client_record, keyworker, officer, start=-30)
    order.start_date = order.start_date.replace(year=2026, month=1, day=1)
    order.save()
    assert str(order.expected_end) == "2026-06-30"


def test_an_order_past_its_expected_end_is_listed_to_record_how_it_ended(
    web_as, client_record, keyworker, officer, provider, team
):
    from beacon.clients.tests.factories import ClientFactory

    past = on_order(client_record, keyworker, officer, start=-200)
    other = ClientFactory(provider=provider, team=team, keyworker=keyworker)
    current = on_order(other, keyworker, officer, start=-10)
    http = web_as("keyworker")
    page = http.get("/justice/statuses/").content.decode()
    table = page.split('id="justice-statuses-list"')[1]
    assert table.index(client_record.full_name) < table.index(other.full_name)
    assert "Past its expected end: record how it ended" in table
    assert end_page(past) in table and end_page(current) in table
    only = http.get("/justice/statuses/", {"past_expected_end_only": "on"}).content.decode()
    assert client_record.full_name in only and other.full_name not in only
    csv = http.get("/justice/statuses.csv", {"past_expected_end_only": "on"}).content.decode()
    assert client_record.client_number in csv and "Past its expected end" in csv
    assert other.client_number not in csv
    # The keyworker's caseload (their home) tags it with the link to record how it ended.
    caseload = http.get("/treatment/caseload/").content.decode()
    assert "Past its expected end: record how it ended" in caseload and end_page(past) in caseload
    # The client's page says so too.
    client_page = http.get(f"/clients/{client_record.client_number}/").content.decode()
    assert "Past its expected end: record how it ended" in client_page
    # Once its ending is recorded it leaves the list.
    services.justice_status_end(
        actor=keyworker, status=past, data={"ended_on": days(-1), "end_reason": "completed"}
    )
    assert client_record.full_name not in http.get("/justice/statuses/").content.decode()


def test_the_caseload_links_to_record_an_ending_or_an_end_date_only_for_who_may(
    web_as, client_record, keyworker, officer, make_user, users
):
    past = on_order(client_record, keyworker, officer, start=-200)
    undated = recorded_before_end_dates(client_record, keyworker, officer)
    end_date = f"/justice/clients/{client_record.client_number}/statuses/{undated.pk}/end-date/"
    flags = ("Past its expected end: record how it ended", "No end date: record when it ends")
    # The client's keyworker may record both: their caseload tags each and links to its page.
    caseload = web_as(keyworker).get("/treatment/caseload/").content.decode()
    assert all(flag in caseload for flag in flags)
    assert end_page(past) in caseload and end_date in caseload
    # A keyworker of the same team, and a prescriber, may not record either (the pages
    # refuse them). The caseload page shows them no such client (a keyworker's is their own
    # clients'; a prescriber has none), so the column itself is asked: it tags both without
    # the links or the instruction to record.
    colleague = make_user("keyworker", username="kw-colleague")
    for user in (colleague, users["prescriber"]):
        assert web_as(user).get(end_page(past)).status_code == 403, user.role
        assert web_as(user).get(end_date).status_code == 403, user.role
        column = views.caseload_columns([client_record], user=user)
        cell = column["cells"][client_record.pk][0]["html"]
        assert "Past its expected end<" in cell and "No end date<" in cell, user.role
        assert not any(flag in cell for flag in flags), user.role
        assert end_page(past) not in cell and end_date not in cell and "<a " not in cell


def test_the_managers_worklist_shows_orders_past_their_expected_end(
    web_as, client_record, keyworker, officer
):
    past = on_order(client_record, keyworker, officer, start=-200)
    home = web_as("manager").get("/").content.decode()
    section = home.split('id="justice-past-expected-end"')[1]
    assert client_record.full_name in section and end_page(past) in section


def test_the_managers_worklist_leaves_out_the_section_when_no_order_is_past_its_end(
    web_as, client_record, keyworker, officer
):
    on_order(client_record, keyworker, officer, start=-10)  # current: not past its end
    section = 'id="justice-past-expected-end"'
    home = web_as("manager").get("/").content.decode()
    assert section not in home
    assert "No order or licence is past its expected end" not in home
    # One past its end brings the section back, and recording how it ended takes it away.
    past = on_order(client_record, keyworker, officer, start=-200)
    assert section in web_as("manager").get("/").content.decode()
    services.justice_status_end(
        actor=keyworker, status=past, data={"ended_on": days(-1), "end_reason": "completed"}
    )
    assert section not in web_as("manager").get("/").content.decode()


def test_a_keyworker_of_another_team_does_not_see_the_order(
    web_as, client_record, keyworker, officer, make_user
):
    on_order(client_record, keyworker, officer, start=-200)
    from beacon.core.models import Team

    elsewhere = Team.objects.create(provider=client_record.provider, name="Elsewhere")
    stranger = make_user("keyworker", username="kw-elsewhere", team=elsewhere)
    page = web_as(stranger).get("/justice/statuses/").content.decode()
    assert client_record.full_name not in page


def test_the_review_hearing_page_names_each_order_with_its_start_in_the_pages_style(
    web_as, client_record, keyworker, officer
):
    order = on_order(client_record, keyworker, officer, start=-30)
    page = web_as(keyworker).get(f"/justice/clients/{client_record.client_number}/hearings/new/")
    assert f"{order.get_kind_display()} from {date_uk(order.start_date)}" in (page.content.decode())
    assert f"{order.start_date:%d/%m/%Y}" not in page.content.decode()
