"""A progress report for a review hearing: drafted from the record with only what the
consent names, checked and sent by the keyworker (audited, once), then downloadable by the
officer, and by no other officer."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from beacon.clients.services import sharing_consent_withdraw
from beacon.contacts.tests.factories import contact_at
from beacon.core.models import AuditEntry
from beacon.justice import selectors, services
from beacon.justice.models import ProgressReport
from beacon.justice.tests.factories import consents, days, on_order, released

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
AGAIN = "Nothing was sent: draft the report again from the consent now in force."


@pytest.fixture
def hearing(client_record, keyworker, officer):
    order = on_order(client_record, keyworker, officer)
    return services.review_hearing_record(
        actor=keyworker,
        client=client_record,
        data={"status": order, "on": days(7), "court": "Testshire Magistrates' Court"},
    )


def test_the_report_is_drafted_from_the_record_with_what_the_consent_names(
    hearing, client_record, keyworker, officer
):
    consents(client_record, keyworker, officer.partner_organisation)
    contact_at(client_record, keyworker, days=2)
    report = services.progress_report_generate(actor=keyworker, hearing=hearing)
    assert "1 appointments kept, 0 missed" in report.body
    assert "Engaging" not in report.body  # engagement was not consented to
    assert report.partner_organisation == officer.partner_organisation


def test_the_report_counts_attendance_from_the_consent_and_names_this_orders_next_hearing(
    hearing, client_record, keyworker, officer
):
    contact_at(client_record, keyworker, days=20)  # on the order, before the consent
    consents(
        client_record,
        keyworker,
        officer.partner_organisation,
        given=-10,
        **{"share_attendance": True, "share_review_hearings": True},
    )
    contact_at(client_record, keyworker, days=2)
    services.review_hearing_record(
        actor=keyworker,
        client=client_record,
        data={"status": hearing.status, "on": days(60), "court": "Testshire Crown Court"},
    )

    report = services.progress_report_generate(actor=keyworker, hearing=hearing)

    assert (
        f"Attendance since the client agreed to share it ({days(-10):%d/%m/%Y}): "
        "1 appointments kept, 0 missed." in report.body
    )
    assert f"Next review hearing: {days(60):%d/%m/%Y} at Testshire Crown Court." in report.body


def test_no_report_without_consent(hearing, keyworker):
    with pytest.raises(ValidationError):
        services.progress_report_generate(actor=keyworker, hearing=hearing)


# To the responsible officer's service only (H-281) --------------------------------------------


def test_no_report_when_the_client_consented_only_to_another_probation_service(
    web_as, hearing, client_record, keyworker, officer, other_officer
):
    client_record.first_name, client_record.preferred_name = "Robin", ""
    client_record.save()
    ours, theirs = officer.partner_organisation, other_officer.partner_organisation
    ours.name, theirs.name = "Testshire Probation", "Northshire Probation"
    ours.save()
    theirs.save()
    consents(client_record, keyworker, theirs, share_attendance=True, share_engagement=True)

    with pytest.raises(ValidationError) as caught:
        services.progress_report_generate(actor=keyworker, hearing=hearing)

    assert "Robin has not agreed to share with Testshire Probation" in " ".join(
        caught.value.messages
    )
    assert not ProgressReport.objects.exists()
    # On the page: the keyworker is told why, and nothing is drafted for Northshire.
    http = web_as("keyworker")
    response = http.post(
        f"/justice/clients/{client_record.client_number}/reports/new/",
        {"hearing": hearing.pk},
        follow=True,
    )
    assert "Robin has not agreed to share with Testshire Probation" in response.text
    assert not ProgressReport.objects.exists()
    # Once Robin agrees to share with the officer's own service, the report goes there.
    consent = consents(client_record, keyworker, ours)
    report = services.progress_report_generate(actor=keyworker, hearing=hearing)
    assert (report.partner_organisation, report.consent) == (ours, consent)
    assert "Engaging" not in report.body  # Northshire's wider consent is not this one


def test_no_report_for_an_order_without_a_responsible_officer(client_record, keyworker, officer):
    order = on_order(client_record, keyworker, None)
    hearing = services.review_hearing_record(
        actor=keyworker,
        client=client_record,
        data={"status": order, "on": days(7), "court": "Testshire Magistrates' Court"},
    )
    consents(client_record, keyworker, officer.partner_organisation)
    with pytest.raises(ValidationError) as caught:
        services.progress_report_generate(actor=keyworker, hearing=hearing)
    assert "No responsible probation officer is recorded" in " ".join(caught.value.messages)
    assert not ProgressReport.objects.exists()


def test_sending_is_checked_audited_once_and_the_officer_downloads_it(
    web_as, hearing, client_record, keyworker, officer, other_officer
):
    consents(client_record, keyworker, officer.partner_organisation)
    http = web_as("keyworker")
    response = http.post(
        f"/justice/clients/{client_record.client_number}/reports/new/", {"hearing": hearing.pk}
    )
    report = ProgressReport.objects.get()
    assert response.status_code == 302
    unchecked = http.post(f"/justice/reports/{report.pk}/", {"body": report.body})
    assert "Confirm you checked the report" in unchecked.content.decode()
    http.post(
        f"/justice/reports/{report.pk}/", {"body": report.body + " Checked.", "checked": "on"}
    )
    report.refresh_from_db()
    assert report.is_sent and report.body.endswith("Checked.")
    assert AuditEntry.objects.filter(detail__startswith="progress report sent to").count() == 1
    with pytest.raises(ValidationError):
        services.progress_report_send(
            actor=keyworker, report=report, data={"body": "again", "checked": True}
        )
    download = web_as(officer).get(f"/justice/reports/{report.pk}/download/")
    assert download.status_code == 200 and b"Checked." in download.content
    assert web_as(other_officer).get(f"/justice/reports/{report.pk}/download/").status_code == 404


def test_after_withdrawal_the_officer_cannot_download_the_report(
    web_as, hearing, client_record, keyworker, officer
):
    consent = consents(client_record, keyworker, officer.partner_organisation)
    report = services.progress_report_generate(actor=keyworker, hearing=hearing)
    services.progress_report_send(
        actor=keyworker, report=report, data={"body": report.body, "checked": True}
    )
    sharing_consent_withdraw(actor=keyworker, consent=consent)
    assert web_as(officer).get(f"/justice/reports/{report.pk}/download/").status_code == 404


def test_the_daily_command_alerts_on_releases_not_seen(client_record, keyworker, capsys):
    released(client_record, keyworker, days_ago=10)
    call_command("prison_releases_alert")
    assert "1 clients released from prison and not seen" in capsys.readouterr().out


# Tied to the consent it was drafted under (H-270) ---------------------------------------------


def _wide(client_record, keyworker, officer):
    return consents(
        client_record,
        keyworker,
        officer.partner_organisation,
        share_attendance=True,
        share_engagement=True,
    )


def test_the_draft_records_the_consent_and_what_it_allowed(
    hearing, client_record, keyworker, officer
):
    consent = _wide(client_record, keyworker, officer)
    report = services.progress_report_generate(actor=keyworker, hearing=hearing)
    assert report.consent == consent
    assert report.consent_shares == ["share_attendance", "share_engagement"]
    assert report.holds == ["share_attendance", "share_engagement"]


def test_a_draft_is_not_sent_once_its_consent_allows_less(
    hearing, client_record, keyworker, officer
):
    consent = _wide(client_record, keyworker, officer)
    report = services.progress_report_generate(actor=keyworker, hearing=hearing)
    consent.share_engagement = False  # narrowed where it stands (as the admin could)
    consent.save()
    with pytest.raises(ValidationError) as caught:
        services.progress_report_send(
            actor=keyworker, report=report, data={"body": report.body, "checked": True}
        )
    assert "now allows less than this report holds" in " ".join(caught.value.messages)
    assert "whether they are engaging" in " ".join(caught.value.messages)
    report.refresh_from_db()
    assert not report.is_sent


def test_a_draft_under_a_withdrawn_consent_is_not_sent_even_with_a_narrower_one_now(
    web_as, hearing, client_record, keyworker, officer
):
    consent = _wide(client_record, keyworker, officer)
    report = services.progress_report_generate(actor=keyworker, hearing=hearing)
    sharing_consent_withdraw(actor=keyworker, consent=consent)
    consents(client_record, keyworker, officer.partner_organisation)  # attendance only
    http = web_as("keyworker")
    page = http.get(f"/justice/reports/{report.pk}/").content.decode()
    assert "This report cannot be sent" in page and "Draft the report again" in page
    typed = report.body + " Seen weekly by the keyworker."
    response = http.post(f"/justice/reports/{report.pk}/", {"body": typed, "checked": "on"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "The client withdrew the consent this report was drafted under" in text
    assert "Seen weekly by the keyworker." in text  # nothing typed is lost
    report.refresh_from_db()
    assert not report.is_sent
    assert not AuditEntry.objects.filter(detail__startswith="progress report sent to").exists()
    # The keyworker drafts it again, under the consent now in force: attendance only.
    again = http.post(
        f"/justice/clients/{client_record.client_number}/reports/new/", {"hearing": hearing.pk}
    )
    redraft = ProgressReport.objects.exclude(pk=report.pk).get()
    assert again.headers["Location"] == f"/justice/reports/{redraft.pk}/"
    assert "Engaging" not in redraft.body and redraft.holds == ["share_attendance"]
    http.post(f"/justice/reports/{redraft.pk}/", {"body": redraft.body, "checked": "on"})
    redraft.refresh_from_db()
    assert redraft.is_sent
    client_page = http.get(f"/justice/clients/{client_record.client_number}/").content.decode()
    assert "Draft: the consent changed, draft it again" in client_page


def test_a_draft_from_before_the_consent_was_recorded_is_not_sent(
    hearing, client_record, keyworker, officer
):
    consents(client_record, keyworker, officer.partner_organisation)
    report = services.progress_report_generate(actor=keyworker, hearing=hearing)
    ProgressReport.objects.filter(pk=report.pk).update(consent=None, consent_shares=[])
    report.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.progress_report_send(
            actor=keyworker, report=report, data={"body": report.body, "checked": True}
        )
    assert "draft the report again" in " ".join(caught.value.messages)


def _drafted(client_record, keyworker, officer, *, until):
    """A report drafted on the day travelled to, under a consent shared until `until` days on."""
    order = on_order(client_record, keyworker, officer)
    hearing = services.review_hearing_record(
        actor=keyworker,
        client=client_record,
        data={"status": order, "on": days(7), "court": "Testshire Magistrates' Court"},
    )
    consent = consents(client_record, keyworker, officer.partner_organisation, until=until)
    return consent, services.progress_report_generate(actor=keyworker, hearing=hearing)


def test_a_refusal_under_a_withdrawn_consent_says_the_day_as_pages_write_dates(
    client_record, keyworker, officer
):
    # 23:30 UTC on 20 June is 00:30 on 21 June in London: the day is the local one.
    past_midnight = datetime.datetime(2026, 6, 20, 23, 30, tzinfo=datetime.UTC)
    with time_machine.travel(past_midnight, tick=False):
        consent, report = _drafted(client_record, keyworker, officer, until=90)
        sharing_consent_withdraw(actor=keyworker, consent=consent)
        with pytest.raises(ValidationError) as caught:
            services.progress_report_send(
                actor=keyworker, report=report, data={"body": report.body, "checked": True}
            )
    assert caught.value.messages == [
        "The client withdrew the consent this report was drafted under (21 June 2026). " + AGAIN
    ]


def test_a_refusal_under_a_consent_that_ended_says_the_day_as_pages_write_dates(
    client_record, keyworker, officer
):
    with time_machine.travel(datetime.datetime(2026, 6, 20, 10, tzinfo=LONDON), tick=False):
        consent, report = _drafted(client_record, keyworker, officer, until=10)
    assert consent.until == datetime.date(2026, 6, 30)
    ended = "The consent this report was drafted under ended on 30 June 2026. " + AGAIN
    assert selectors.report_refusal(report, today=datetime.date(2026, 7, 1)) == ended
    the_day_after = datetime.datetime(2026, 7, 1, 10, tzinfo=LONDON)
    with time_machine.travel(the_day_after, tick=False), pytest.raises(ValidationError) as caught:
        services.progress_report_send(
            actor=keyworker, report=report, data={"body": report.body, "checked": True}
        )
    assert caught.value.messages == [ended]
    report.refresh_from_db()
    assert not report.is_sent
