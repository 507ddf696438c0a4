"""Supplies with training, offers, reports of what became of a kit, and offers due at the
moments of highest risk: the rules a keyworker meets, and bad input saving nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from beacon.core.models import Alert
from beacon.core.tests.factories import UserFactory
from beacon.naloxone import selectors, services
from beacon.naloxone.models import (
    KitBatch,
    KitReport,
    NaloxoneOffer,
    NaloxoneSupply,
    OfferDue,
    StockBalance,
)
from beacon.naloxone.tests.factories import day, receive, supply_to
from beacon.treatment import hooks as treatment_hooks

pytestmark = pytest.mark.django_db


def test_an_opiate_client_without_a_kit_needs_the_offer_until_supplied(users, site, batch, opiate):
    assert selectors.needs_offer(opiate, day(0))
    supply_to(users["keyworker"], opiate, batch, site)
    assert not selectors.needs_offer(opiate, day(0))


def test_supply_to_a_named_family_member_after_training(users, site, batch, opiate):
    supply = supply_to(
        users["nurse"], opiate, batch, site, recipient="family", recipient_name="Sam Fellwood"
    )
    assert supply.recipient_name == "Sam Fellwood" and supply.trained_by == users["nurse"]
    assert supply.training_topics[0] == "recognising"
    # Their family holds one for them: covered; no offer to the client is recorded.
    assert not selectors.needs_offer(opiate, day(0))
    assert not NaloxoneOffer.objects.exists()


def test_a_family_or_carer_kit_leaves_the_offer_due_at_a_moment_of_risk_open(
    users, site, batch, opiate
):
    treatment_hooks.overdose_risk_told(client=opiate, moment="leaving_prison", on=day(-1))
    for recipient in ("family", "carer"):
        supply_to(users["keyworker"], opiate, batch, site, recipient=recipient)
    # Their sister's or carer's kit covers them where she is (coverage, the gaps list)...
    assert not selectors.needs_offer(opiate, day(0))
    # ...but it is hers, not to be passed on: the offer at release is still the client's.
    due = OfferDue.objects.get()
    assert due.done_by_offer is None and not NaloxoneOffer.objects.exists()
    assert list(selectors.client_offers_due(client=opiate)) == [due]
    own = supply_to(users["keyworker"], opiate, batch, site)
    due.refresh_from_db()
    assert due.done_by_offer == own.offer and own.offer.moment == "leaving_prison"


def test_a_kit_given_to_a_friend_does_not_cover_the_client(users, site, batch, opiate):
    supply_to(users["keyworker"], opiate, batch, site, recipient="friend")
    assert selectors.needs_offer(opiate, day(0))


def test_supply_to_someone_unnamed_with_no_client(users, site, batch):
    supply = supply_to(users["keyworker"], None, batch, site, recipient="hostel_staff")
    assert supply.client is None and supply.recipient_name == ""


def test_supply_without_the_core_training_is_refused_and_saves_nothing(users, site, batch, opiate):
    with pytest.raises(ValidationError) as refused:
        services.supply_record(
            actor=users["keyworker"],
            client=opiate,
            batch=batch,
            site=site,
            recipient="client",
            on=day(0),
            trained_by=users["keyworker"],
            training_topics=["recovery_position", "recognising", "calling_999", "giving"],
        )
    assert refused.value.message_dict["training_topics"] == [
        "Train before supplying: cover at least staying with the person (naloxone wears off)"
    ]
    assert not NaloxoneSupply.objects.exists()


def test_supply_of_a_kit_expiring_within_30_days_is_refused(users, site, opiate):
    from beacon.naloxone.tests.factories import receive

    soon = receive(users["manager"], site, batch="SOON", expires=29, quantity=1).batch
    with pytest.raises(ValidationError) as refused:
        supply_to(users["keyworker"], opiate, soon, site, on=0)
    assert refused.value.message_dict["batch"] == [
        f"Batch SOON expires on {day(29):%d/%m/%Y}: supply a kit with at least 30 days "
        "before it expires"
    ]
    assert not NaloxoneSupply.objects.exists()
    assert supply_to(users["keyworker"], opiate, soon, site, on=-1).batch == soon


def test_supply_from_an_expired_batch_is_refused(users, site, opiate, provider):
    # Received while in date, expired yesterday.
    old = KitBatch.objects.create(
        provider=provider, kit_type="nyxoid", batch_number="OLD", expires_on=day(-1)
    )
    StockBalance.objects.create(provider=provider, site=site, batch=old, balance=3)
    with pytest.raises(ValidationError) as refused:
        supply_to(users["keyworker"], opiate, old, site)
    assert refused.value.message_dict["batch"][0].startswith("Batch OLD expired on")
    assert not NaloxoneSupply.objects.exists()
    assert StockBalance.objects.get(batch=old).balance == 3


def test_a_driver_volunteer_or_commissioner_cannot_supply(users, site, batch, opiate):
    for role in ("driver", "volunteer", "commissioner"):
        with pytest.raises(PermissionDenied):
            supply_to(users[role], opiate, batch, site)
    assert not NaloxoneSupply.objects.exists()


def test_a_decline_needs_a_reason_from_the_list(users, opiate):
    with pytest.raises(ValidationError) as refused:
        services.offer_record(
            actor=users["keyworker"], client=opiate, on=day(0), outcome="declined"
        )
    assert refused.value.message_dict == {"decline_reason": ["Choose why they declined"]}
    offer = services.offer_record(
        actor=users["keyworker"],
        client=opiate,
        on=day(0),
        outcome="declined",
        decline_reason="prison_release_kit",
    )
    assert offer.get_decline_reason_display() == "Released from prison with one"


def test_a_kit_seen_needs_an_offer_in_person_and_an_expiry_not_past(users, opiate):
    def seen(**fields):
        return services.offer_record(
            actor=users["keyworker"], client=opiate, on=day(0), outcome="holds_kit", **fields
        )

    for in_person in (None, False):
        with pytest.raises(ValidationError) as refused:
            seen(in_person=in_person)
        assert refused.value.message_dict["outcome"][0].startswith(
            "A kit can only be seen in person"
        )
    with pytest.raises(ValidationError) as refused:
        seen(in_person=True, seen_kit_expires_on=day(-1))
    assert "Offer a new kit" in refused.value.message_dict["seen_kit_expiry"][0]
    assert not NaloxoneOffer.objects.exists()
    assert seen(in_person=True, seen_kit_expires_on=day(0)).seen_kit_expires_on == day(0)


def test_supplied_without_a_supply_asks_for_the_supply(users, opiate):
    with pytest.raises(ValidationError) as refused:
        services.offer_record(
            actor=users["keyworker"], client=opiate, on=day(0), outcome="supplied"
        )
    assert "Record the supply itself" in refused.value.message_dict["outcome"][0]


def test_a_use_report_records_who_outcome_and_ambulance_and_alerts_the_keyworker(
    users, site, batch, opiate
):
    supply = supply_to(users["keyworker"], opiate, batch, site, on=-5)
    report = services.report_record(
        actor=users["nurse"],
        supply=supply,
        kind="used",
        on=day(-1),
        used_on="someone_else",
        outcome="survived",
        ambulance_called=True,
    )
    assert (report.used_on, report.outcome, report.ambulance_called) == (
        "someone_else",
        "survived",
        True,
    )
    alert = Alert.objects.get(recipient=users["keyworker"])
    assert alert.title == "Naloxone to re-supply"
    assert selectors.needs_offer(opiate, day(0))


def test_a_use_report_for_a_client_without_a_keyworker_alerts_the_managers(
    users, site, batch, opiate, team
):
    supply = supply_to(users["keyworker"], opiate, batch, site, on=-5)
    opiate.keyworker = None
    opiate.save()

    def use_alerted(supply) -> set:
        services.report_record(
            actor=users["nurse"],
            supply=supply,
            kind="used",
            on=day(0),
            used_on="self",
            outcome="survived",
        )
        return set(
            Alert.objects.filter(title="Naloxone to re-supply").values_list("recipient", flat=True)
        )

    assert use_alerted(supply) == {users["manager"].pk, users["admin"].pk}
    Alert.objects.all().delete()
    team_manager = UserFactory(provider=opiate.provider, role="manager", team=team)
    again = supply_to(users["keyworker"], opiate, batch, site, on=0)
    assert use_alerted(again) == {team_manager.pk}


def test_a_use_report_before_the_supply_date_is_refused_and_saves_nothing(
    users, site, batch, opiate
):
    supply = supply_to(users["keyworker"], opiate, batch, site, on=-5)
    with pytest.raises(ValidationError) as refused:
        services.report_record(
            actor=users["keyworker"],
            supply=supply,
            kind="used",
            on=day(-6),
            used_on="self",
            outcome="survived",
        )
    assert refused.value.message_dict["date"][0].startswith("The kit was supplied on")
    assert not KitReport.objects.exists()


def test_a_kit_reported_expired_before_its_expiry_is_refused(users, site, opiate):
    batch = receive(users["manager"], site, batch="PX9", expires=40, on=-100).batch
    supply = supply_to(users["keyworker"], opiate, batch, site, on=-90)
    with pytest.raises(ValidationError) as refused:
        services.report_record(actor=users["keyworker"], supply=supply, kind="expired", on=day(0))
    assert refused.value.message_dict["kind"] == [
        f"Batch PX9 expires on {day(40):%d/%m/%Y}: it has not expired on this date"
    ]
    assert not KitReport.objects.exists()
    assert (
        services.report_record(actor=users["keyworker"], supply=supply, kind="lost", on=day(0)).kind
        == "lost"
    )


def test_a_use_needs_whom_and_the_outcome_and_a_kit_is_reported_once(users, site, batch, opiate):
    supply = supply_to(users["keyworker"], opiate, batch, site, on=-5)
    with pytest.raises(ValidationError) as refused:
        services.report_record(actor=users["keyworker"], supply=supply, kind="used", on=day(0))
    assert "used_on" in refused.value.message_dict
    services.report_record(actor=users["keyworker"], supply=supply, kind="lost", on=day(0))
    with pytest.raises(ValidationError):
        services.report_record(
            actor=users["keyworker"], supply=supply, kind="confiscated", on=day(0)
        )
    assert KitReport.objects.get().kind == "lost"


def test_a_moment_of_risk_raises_one_offer_due_that_the_next_offer_closes(users, opiate):
    treatment_hooks.overdose_risk_told(client=opiate, moment="ost_start", on=day(0))
    treatment_hooks.overdose_risk_told(client=opiate, moment="ost_start", on=day(0))
    due = OfferDue.objects.get()
    assert due.get_moment_display() == "Starting OST"
    assert list(selectors.client_offers_due(client=opiate)) == [due]
    offer = services.offer_record(
        actor=users["keyworker"], client=opiate, on=day(0), outcome="holds_kit", in_person=True
    )
    due.refresh_from_db()
    assert due.done_by_offer == offer
    # Made while the offer was due: recorded at that moment, not "at a contact".
    assert offer.moment == "ost_start"
    later = services.offer_record(
        actor=users["keyworker"], client=opiate, on=day(0), outcome="holds_kit", in_person=True
    )
    assert later.moment == "contact"


def test_a_supply_while_an_offer_is_due_is_recorded_at_that_moment(users, site, batch, opiate):
    treatment_hooks.overdose_risk_told(client=opiate, moment="leaving_prison", on=day(-1))
    supply = supply_to(users["keyworker"], opiate, batch, site, on=0)
    assert supply.offer.moment == "leaving_prison"
    assert OfferDue.objects.get().done_by_offer == supply.offer


def test_no_offer_due_for_a_client_who_does_not_use_opiates(users, team):
    from beacon.naloxone.tests.factories import opiate_client
    from beacon.treatment.codes import Substance

    drinker = opiate_client(team, users["keyworker"], substance=Substance.ALCOHOL)
    treatment_hooks.overdose_risk_told(client=drinker, moment="leaving_treatment", on=day(0))
    assert not OfferDue.objects.exists()


def test_discharge_raises_an_offer_due(users, opiate):
    from beacon.treatment.services.journey import episode_discharge

    episode = opiate.episodes.get()
    episode_discharge(
        actor=users["keyworker"],
        episode=episode,
        data={"discharge_date": day(0), "discharge_reason": "dropped_out"},
    )
    assert OfferDue.objects.get(client=opiate).moment == "leaving_treatment"


@pytest.mark.parametrize("reason", ["died", "custody", "transferred_custody"])
def test_discharge_on_death_or_into_custody_raises_no_offer_due(users, opiate, reason):
    from beacon.treatment.services.journey import episode_discharge

    episode_discharge(
        actor=users["keyworker"],
        episode=opiate.episodes.get(),
        data={"discharge_date": day(0), "discharge_reason": reason},
    )
    assert not OfferDue.objects.filter(client=opiate).exists()


def test_treatment_started_on_a_referral_from_prison_raises_an_offer_due(users, team):
    from beacon.clients.tests.factories import ClientFactory
    from beacon.treatment.services.journey import episode_start
    from beacon.treatment.tests.factories import AssessmentFactory, TriageFactory

    client = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    triage = TriageFactory(referral__client=client, referral__source="prison", triage_date=day(-5))
    AssessmentFactory(referral=triage.referral, assessment_date=day(-2))
    episode_start(actor=users["keyworker"], referral=triage.referral, data={"start_date": day(0)})
    assert OfferDue.objects.get(client=client).moment == "leaving_prison"


def test_a_first_ost_prescription_raises_an_offer_due_and_a_continuation_does_not(users, opiate):
    from beacon.prescribing.tests.factories import prescribe

    first = prescribe(client=opiate, prescriber=users["prescriber"])
    assert OfferDue.objects.get(client=opiate).moment == "ost_start"
    services.offer_record(
        actor=users["keyworker"], client=opiate, on=day(0), outcome="holds_kit", in_person=True
    )
    prescribe(
        client=opiate,
        prescriber=users["prescriber"],
        start_date=first.end_date + datetime.timedelta(days=1),
    )
    assert not OfferDue.objects.filter(done_by_offer__isnull=True).exists()


def test_an_ost_prescription_after_a_break_raises_an_offer_due_again(users, opiate):
    from beacon.prescribing.tests.factories import prescribe

    first = prescribe(client=opiate, prescriber=users["prescriber"])
    services.offer_record(
        actor=users["keyworker"], client=opiate, on=day(0), outcome="holds_kit", in_person=True
    )
    prescribe(
        client=opiate,
        prescriber=users["prescriber"],
        start_date=first.end_date + datetime.timedelta(days=15),
    )
    assert OfferDue.objects.get(done_by_offer__isnull=True).moment == "ost_start"
