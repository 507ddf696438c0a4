"""A probation officer reaches a client only with BOTH the link (responsible officer of a
current supervised status) AND the client's consent to share with their service; sees only
what the consent names (attendance, engagement, hearings; never notes or doses); withdrawal
takes effect at once; every read is recorded with the officer's organisation."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beacon.clients.services import sharing_consent_withdraw
from beacon.clients.tests.factories import ClientFactory
from beacon.contacts.tests.factories import booked_in_the_past, contact_at
from beacon.core.models import AuditEntry, PartnerOrganisation
from beacon.core.permissions import user_can
from beacon.core.tests.factories import PartnerOrganisationFactory
from beacon.justice import selectors, services
from beacon.justice.models import LICENCE_KINDS, JusticeStatus, Kind, PartnerRead
from beacon.justice.rules import READ_SHARED, clients_shared_with
from beacon.justice.tests.factories import consents, days, on_order

pytestmark = pytest.mark.django_db


def test_the_officer_sees_attendance_of_a_linked_consenting_client(
    web_as, client_record, keyworker, officer
):
    on_order(client_record, keyworker, officer)
    consents(client_record, keyworker, officer.partner_organisation)
    contact_at(client_record, keyworker, days=3)
    page = web_as(officer).get(f"/justice/supervised/{client_record.client_number}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 kept, 0 missed" in text
    # Engagement and hearings were not consented to: not shown.
    assert "Engaging with treatment" not in text and "Review hearings" not in text
    read = PartnerRead.objects.get()
    assert read.partner_organisation == officer.partner_organisation
    entry = AuditEntry.objects.filter(user=officer, client=client_record).latest("at")
    assert str(officer.partner_organisation) in entry.detail


def test_attendance_before_the_client_consented_is_not_shared(
    web_as, client_record, keyworker, officer
):
    on_order(client_record, keyworker, officer, start=-60)
    contact_at(client_record, keyworker, days=40)  # on the order, before the consent
    consents(client_record, keyworker, officer.partner_organisation, given=-20)
    contact_at(client_record, keyworker, days=3)

    summary = selectors.shared_summary(user=officer, client=client_record, today=days(0))

    assert summary.attendance.since == days(-20)
    assert (summary.attendance.kept, summary.attendance.missed) == (1, 0)
    text = web_as(officer).get(f"/justice/supervised/{client_record.client_number}/")
    assert "1 kept, 0 missed" in text.content.decode()


def test_the_officer_sees_hearings_of_their_own_order_only(
    client_record, keyworker, officer, other_officer
):
    other_order = on_order(client_record, keyworker, other_officer, kind=Kind.ATR, start=-100)
    order = on_order(client_record, keyworker, officer, start=-30)
    consents(client_record, keyworker, officer.partner_organisation, share_review_hearings=True)
    for status, day in ((other_order, -10), (order, -5)):
        services.review_hearing_record(
            actor=keyworker,
            client=client_record,
            data={"status": status, "on": days(day), "court": "Testshire Crown Court"},
        )

    summary = selectors.shared_summary(user=officer, client=client_record, today=days(0))

    assert [(hearing.status, hearing.on) for hearing in summary.hearings] == [(order, days(-5))]


def test_the_officer_never_sees_notes_substances_or_doses(
    web_as, client_record, keyworker, officer
):
    on_order(client_record, keyworker, officer)
    consents(
        client_record,
        keyworker,
        officer.partner_organisation,
        share_attendance=True,
        share_engagement=True,
        share_review_hearings=True,
    )
    missed = booked_in_the_past(client_record, keyworker, days=2)
    from beacon.contacts.services import appointment_record_outcome

    appointment_record_outcome(actor=keyworker, appointment=missed, outcome="dna")
    text = (
        web_as(officer).get(f"/justice/supervised/{client_record.client_number}/").content.decode()
    )
    assert "0 kept, 1 missed" in text and "Engaging with treatment" in text
    for clinical in ("Case note", "Substance", "Prescription", "Heroin", "Methadone"):
        assert clinical not in text, clinical
    assert not re.search(r"\d mg", text)


def test_without_consent_the_officer_sees_only_that_a_referral_was_received(
    web_as, client_record, keyworker, officer
):
    on_order(client_record, keyworker, officer)
    http = web_as(officer)
    listing = http.get("/justice/supervised/").content.decode()
    assert client_record.full_name not in listing
    assert "1 referral was received" in listing
    assert http.get(f"/justice/supervised/{client_record.client_number}/").status_code == 404


def test_withdrawal_takes_effect_at_once(web_as, client_record, keyworker, officer):
    on_order(client_record, keyworker, officer)
    consent = consents(client_record, keyworker, officer.partner_organisation)
    http = web_as(officer)
    assert client_record.full_name in http.get("/justice/supervised/").content.decode()
    web_as("keyworker").post(f"/justice/consents/{consent.pk}/withdraw/")
    client_record.refresh_from_db()
    assert not client_record.consent_share_with_probation
    assert client_record.full_name not in http.get("/justice/supervised/").content.decode()
    assert http.get(f"/justice/supervised/{client_record.client_number}/").status_code == 404


def test_another_officers_client_is_not_found(
    web_as, client_record, keyworker, officer, other_officer
):
    on_order(client_record, keyworker, officer)
    consents(client_record, keyworker, officer.partner_organisation)
    assert (
        web_as(other_officer).get(f"/justice/supervised/{client_record.client_number}/").status_code
        == 404
    )


def test_consent_naming_another_service_does_not_open_the_record(
    client_record, keyworker, officer, provider
):
    on_order(client_record, keyworker, officer)
    elsewhere = PartnerOrganisationFactory(
        provider=provider, kind=PartnerOrganisation.Kind.PROBATION
    )
    consents(client_record, keyworker, elsewhere)
    with pytest.raises(Http404):
        selectors.officer_client_get(user=officer, client_number=client_record.client_number)


def test_an_officer_opens_no_client_record_of_the_service(web_as, client_record):
    http = web_as("probation_officer")
    assert http.get(f"/clients/{client_record.client_number}/").status_code == 403
    assert http.get(f"/justice/clients/{client_record.client_number}/").status_code == 403


def test_the_manager_sees_what_was_shared_with_whom(web_as, client_record, keyworker, officer):
    on_order(client_record, keyworker, officer)
    consents(client_record, keyworker, officer.partner_organisation)
    web_as(officer).get(f"/justice/supervised/{client_record.client_number}/")
    page = web_as("manager").get("/justice/shared/", {"query": client_record.last_name})
    assert str(officer.partner_organisation) in page.content.decode()
    csv = web_as("manager").get("/justice/shared.csv").content.decode()
    assert client_record.client_number in csv


# The property: link AND consent, or nothing ----------------------------------------------

STATUS_KINDS = st.sampled_from([*Kind.values, None])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=STATUS_KINDS,
    linked_to_officer=st.booleans(),
    status_ended=st.booleans(),
    past_its_length=st.booleans(),
    consent_to=st.sampled_from(["officers_service", "another_service", None]),
    consent_window=st.sampled_from(["current", "ended", "future"]),
    withdrawn=st.booleans(),
)
def test_no_officer_reaches_a_client_without_both_the_link_and_the_consent(
    provider,
    team,
    keyworker,
    officer,
    other_officer,
    kind,
    linked_to_officer,
    status_ended,
    past_its_length,
    consent_to,
    consent_window,
    withdrawn,
):
    client = ClientFactory(provider=provider, team=team, keyworker=keyworker)
    today = days(0)
    if kind is not None:
        JusticeStatus.objects.create(
            provider=provider,
            client=client,
            kind=kind,
            # Six months from 200 days ago is past its length (H-269); a licence or
            # supervision past its end date likewise (H-280).
            start_date=days(-200 if past_its_length else -60),
            length_months=6,
            supervision_end=(days(-17) if past_its_length else days(120))
            if kind in LICENCE_KINDS
            else None,
            prison="HMP Property" if kind == Kind.RELEASED_FROM_PRISON else "",
            responsible_officer=officer if linked_to_officer else other_officer,
            ended_on=days(-1) if status_ended else None,
            end_reason="completed" if status_ended else "",
            recorded_by=keyworker,
        )
    if consent_to is not None:
        partner = (
            officer.partner_organisation
            if consent_to == "officers_service"
            else other_officer.partner_organisation
        )
        given_on, until = {
            "current": (-30, 30),
            "ended": (-60, -1),
            "future": (1, 60),
        }[consent_window]
        consent = consents(client, keyworker, partner, given=given_on, until=until)
        if withdrawn:
            sharing_consent_withdraw(actor=keyworker, consent=consent)
    linked = (
        kind in {Kind.DRR, Kind.ATR, Kind.LICENCE, Kind.POST_SENTENCE_SUPERVISION}
        and linked_to_officer
        and not status_ended
        and not past_its_length
    )
    consented = consent_to == "officers_service" and consent_window == "current" and not withdrawn
    reaches = clients_shared_with(officer, on=today).filter(pk=client.pk).exists()
    assert reaches == (linked and consented)
    assert user_can(officer, READ_SHARED, client) == (linked and consented)
    if not (linked and consented):
        with pytest.raises((Http404, PermissionDenied)):
            selectors.officer_client_get(user=officer, client_number=client.client_number)


def test_a_new_responsible_officer_ends_the_former_officers_access(
    web_as, client_record, keyworker, officer, other_officer
):
    """The client moves to another officer: the one before reads nothing more (H-264)."""
    first = on_order(client_record, keyworker, officer, start=-60)
    consents(client_record, keyworker, officer.partner_organisation)
    page = f"/justice/supervised/{client_record.client_number}/"
    assert web_as(officer).get(page).status_code == 200
    on_order(client_record, keyworker, other_officer, kind=Kind.LICENCE, start=-1)
    first.refresh_from_db()
    assert first.ended_on == days(-2)
    assert web_as(officer).get(page).status_code == 404
    assert client_record.full_name not in web_as(officer).get("/justice/supervised/").text


# What each read showed, not the consent's whole scope (H-271) -----------------------------------


def test_the_log_records_what_the_page_showed_not_what_the_consent_names(
    web_as, api_as, client_record, keyworker, officer
):
    on_order(client_record, keyworker, officer)
    # The consent names case notes and doses too, which no partner page shows.
    consents(
        client_record,
        keyworker,
        officer.partner_organisation,
        share_attendance=True,
        share_case_notes=True,
        share_doses=True,
    )
    contact_at(client_record, keyworker, days=3)
    web_as(officer).get(f"/justice/supervised/{client_record.client_number}/")
    page_read = PartnerRead.objects.get()
    assert page_read.what.startswith("page: ")
    assert "attendance since" in page_read.what and "1 kept, 0 missed" in page_read.what
    assert "1 appointments listed" in page_read.what
    assert "order or supervision" in page_read.what
    for never in ("case notes", "medicines", "doses", "engaging", "review hearings ("):
        assert never not in page_read.what, never
    api_as(officer).get(f"/api/v1/justice/supervised/{client_record.client_number}")
    api_read = PartnerRead.objects.exclude(pk=page_read.pk).get()
    assert api_read.what.startswith("API: ") and "1 kept, 0 missed" in api_read.what
    assert "listed" not in api_read.what and "case notes" not in api_read.what
    web_as(officer).get("/justice/supervised/")
    list_read = PartnerRead.objects.exclude(pk__in=[page_read.pk, api_read.pk]).get()
    assert "supervised list" in list_read.what and "attendance" not in list_read.what
    log = web_as("manager").get("/justice/shared/").content.decode()
    assert "1 appointments listed" in log
