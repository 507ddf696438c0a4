"""Recording NSP transactions and blood-borne virus work: what is saved, and bad input
refused with a message naming the field and nothing saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import TeamFactory
from beacon.harmreduction import services
from beacon.harmreduction.codes import hepatitis_b_vaccination_count
from beacon.harmreduction.models import (
    BloodBorneVirusTest,
    HepatitisBCourse,
    HepatitisBDose,
    NspTransaction,
)
from beacon.harmreduction.presenters import bbv_test_code, course_code, course_completed
from beacon.harmreduction.tests.factories import (
    days_ago,
    hepatitis_b_course,
    hepatitis_c_awaiting,
    nsp_visit,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def refused(field, call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    errors = caught.value.message_dict if hasattr(caught.value, "error_dict") else {}
    if field is None:
        return " ".join(caught.value.messages)
    assert field in errors, caught.value
    return " ".join(errors[field])


# NSP -----------------------------------------------------------------------------------


def test_a_visit_is_saved_with_its_items_and_audited(users, site):
    transaction = nsp_visit(
        users["keyworker"], site, items={"needle_orange_25g_16mm": 10, "citric": 0}, bins_out=1
    )
    assert transaction.attributor == "JS 14/02/1985 M"
    assert [(i.item, i.quantity) for i in transaction.items.all()] == [
        ("needle_orange_25g_16mm", 10)
    ]
    assert AuditEntry.objects.filter(object_type="harmreduction.NspTransaction").count() == 1


def test_a_client_visit_takes_the_attributor_from_the_record(users, site, client_record):
    transaction = nsp_visit(users["keyworker"], site, client=client_record)
    assert (transaction.client, transaction.attributor) == (client_record, "JS 14/02/1985 M")


def test_a_date_in_the_future_is_refused_and_nothing_saved(users, site):
    message = refused("date", nsp_visit, users["nurse"], site, date=days_ago(-1))
    assert "cannot be in the future" in message
    assert NspTransaction.objects.count() == 0


def test_a_negative_count_is_refused(users, site):
    message = refused("item_filter", nsp_visit, users["nurse"], site, items={"filter": -5})
    assert message == "Enter 0 or more, not -5"
    assert (
        refused("bins_returned", nsp_visit, users["nurse"], site, bins_returned=-1)
        == "Enter 0 or more, not -1"
    )
    assert NspTransaction.objects.count() == 0


def test_an_attributor_date_of_birth_that_cannot_be_a_persons_is_refused(users, site):
    for born in (D(1900, 1, 1), days_ago(365 * 3)):
        message = refused(
            "date_of_birth", nsp_visit, users["nurse"], site, attributor=("JS", born, "M")
        )
        assert "Enter a real date of birth" in message
    assert "Enter the date of birth" in refused(
        "date_of_birth", nsp_visit, users["nurse"], site, attributor=("JS", None, "M")
    )
    assert NspTransaction.objects.count() == 0


def test_initials_must_be_letters_and_sex_one_of_the_list(users, site):
    for initials in ("J5", "", "JSX"):
        refused(
            "initials", nsp_visit, users["nurse"], site, attributor=(initials, D(1985, 1, 1), "M")
        )
    refused("sex", nsp_visit, users["nurse"], site, attributor=("JS", D(1985, 1, 1), "X"))
    assert nsp_visit(users["nurse"], site, attributor=("js", D(1985, 1, 1), "F")).initials == "JS"


def test_nothing_given_out_and_nothing_returned_is_refused(users, site):
    message = refused(None, nsp_visit, users["nurse"], site, items={})
    assert "Nothing was given out or returned" in message
    assert NspTransaction.objects.count() == 0


def test_bins_returned_alone_is_a_visit(users, site):
    assert nsp_visit(users["nurse"], site, items={}, bins_returned=2).bins_returned == 2


def test_a_volunteer_cannot_link_a_client(users, site, client_record):
    refused("client_number", nsp_visit, users["volunteer"], site, client=client_record)
    assert NspTransaction.objects.count() == 0


def test_a_keyworker_cannot_link_another_teams_client(users, site, provider):
    elsewhere = ClientFactory(provider=provider, team=TeamFactory(provider=provider))
    refused("client_number", nsp_visit, users["keyworker"], site, client=elsewhere)


def test_the_attributor_and_a_client_together_are_refused(users, site, client_record):
    with pytest.raises(ValidationError):
        services.nsp_transaction_record(
            actor=users["nurse"],
            site=site,
            date=days_ago(0),
            items={"foil": 5},
            client=client_record,
            initials="AB",
        )


def test_drivers_and_commissioners_record_no_nsp(users, site):
    for role in ("driver", "commissioner"):
        with pytest.raises(PermissionDenied):
            nsp_visit(users[role], site)


def test_another_providers_site_is_refused(users, other_provider):
    from beacon.harmreduction.tests.factories import site_of

    refused("site", nsp_visit, users["nurse"], site_of(other_provider))


# Blood-borne viruses -----------------------------------------------------------------


def test_a_result_dated_before_its_sample_is_refused(users, client_record):
    message = refused(
        "result_on",
        services.bbv_test_record,
        actor=users["nurse"],
        client=client_record,
        virus="hepatitis_c",
        offered_on=days_ago(10),
        offer="accepted",
        kind="hcv_rna",
        tested_on=days_ago(5),
        result="positive",
        result_on=days_ago(6),
    )
    assert message == "The result cannot come back before the sample was taken"
    assert BloodBorneVirusTest.objects.count() == 0


def test_a_sample_before_the_offer_and_a_result_in_the_future_are_refused(users, client_record):
    base = {
        "actor": users["nurse"],
        "client": client_record,
        "virus": "hiv",
        "offered_on": days_ago(10),
        "offer": "accepted",
        "kind": "hiv",
    }
    refused("tested_on", services.bbv_test_record, **base, tested_on=days_ago(11))
    refused(
        "result_on",
        services.bbv_test_record,
        **base,
        tested_on=days_ago(3),
        result="negative",
        result_on=days_ago(-1),
    )
    assert BloodBorneVirusTest.objects.count() == 0


def test_a_declined_test_has_no_result_and_a_test_belongs_to_its_virus(users, client_record):
    base = {"actor": users["nurse"], "client": client_record, "offered_on": days_ago(2)}
    refused(
        "offer",
        services.bbv_test_record,
        **base,
        virus="hiv",
        offer="declined",
        kind="hiv",
        tested_on=days_ago(1),
    )
    message = refused(
        "kind", services.bbv_test_record, **base, virus="hiv", offer="accepted", kind="hcv_rna"
    )
    assert message == "Hepatitis C PCR (RNA) is not a test for HIV"


def test_a_result_is_recorded_once_on_an_awaited_test(users, client_record):
    test = hepatitis_c_awaiting(users["nurse"], client_record)
    services.bbv_test_result_record(
        actor=users["keyworker"],
        test=test,
        kind=test.kind,
        tested_on=test.tested_on,
        result="negative",
        result_on=days_ago(1),
    )
    test.refresh_from_db()
    assert test.result == "negative"
    message = refused(
        None,
        services.bbv_test_result_record,
        actor=users["nurse"],
        test=test,
        kind=test.kind,
        tested_on=test.tested_on,
        result="positive",
        result_on=days_ago(0),
    )
    assert "already has its result" in message


def test_prescribers_managers_and_volunteers_record_no_bbv(users, client_record):
    for role in ("prescriber", "manager", "volunteer", "commissioner", "driver"):
        with pytest.raises(PermissionDenied):
            hepatitis_c_awaiting(users[role], client_record)


def test_a_keyworker_records_bbv_only_for_their_teams_clients(users, provider):
    elsewhere = ClientFactory(provider=provider, team=TeamFactory(provider=provider))
    with pytest.raises(PermissionDenied):
        hepatitis_c_awaiting(users["keyworker"], elsewhere)
    assert hepatitis_c_awaiting(users["nurse"], elsewhere).client == elsewhere


def _dose(nurse, course, given_on):
    return services.hepatitis_b_dose_record(actor=nurse, course=course, given_on=given_on)


def test_a_very_rapid_dose_sooner_than_its_interval_is_refused(users, client_record):
    nurse = users["nurse"]
    course = hepatitis_b_course(nurse, client_record, offered_on=days_ago(60))
    _dose(nurse, course, days_ago(50))
    message = refused("given_on", _dose, nurse, course, days_ago(44))
    assert message.startswith("Dose 2 is due no sooner than 7 days after dose 1")
    _dose(nurse, course, days_ago(43))
    refused("given_on", _dose, nurse, course, days_ago(30))  # 13 days: the gap is 14
    assert _dose(nurse, course, days_ago(29)).number == 3
    assert HepatitisBDose.objects.count() == 3
    assert course_code(course) == "HEPBSTAT A, HEPBVAC 3"


def test_a_standard_third_dose_waits_five_months_after_the_second(users, client_record):
    nurse = users["nurse"]
    course = hepatitis_b_course(nurse, client_record, offered_on=days_ago(400), schedule="standard")
    _dose(nurse, course, days_ago(400))
    _dose(nurse, course, days_ago(372))
    refused("given_on", _dose, nurse, course, days_ago(372 - 153))
    _dose(nurse, course, days_ago(372 - 154))
    course = HepatitisBCourse.objects.get(pk=course.pk)
    assert course_completed(course)
    assert course_code(course) == "HEPBSTAT A, HEPBVAC C"
    assert "complete" in refused(None, _dose, nurse, course, days_ago(0))


def test_a_first_dose_before_the_offer_or_in_the_future_is_refused(users, client_record):
    nurse = users["nurse"]
    course = hepatitis_b_course(nurse, client_record, offered_on=days_ago(10))
    assert "before the vaccination was offered" in refused(
        "given_on", _dose, nurse, course, days_ago(11)
    )
    refused("given_on", _dose, nurse, course, days_ago(-1))
    assert HepatitisBDose.objects.count() == 0


def test_a_declined_course_takes_no_dose_and_an_accepted_one_needs_a_schedule(users, client_record):
    nurse = users["nurse"]
    declined = services.hepatitis_b_course_record(
        actor=nurse, client=client_record, offered_on=days_ago(3), offer="declined"
    )
    refused(None, _dose, nurse, declined, days_ago(1))
    refused(
        "schedule",
        services.hepatitis_b_course_record,
        actor=nurse,
        client=client_record,
        offered_on=days_ago(3),
        offer="accepted",
    )
    assert course_code(declined) == "HEPBSTAT B"


def test_the_hepatitis_b_vaccination_count_follows_the_ndtms_list():
    assert [hepatitis_b_vaccination_count(n, completed=False) for n in (0, 1, 2, 3, 4)] == [
        "",
        "1",
        "2",
        "3",
        "3",
    ]
    assert hepatitis_b_vaccination_count(2, completed=True) == "C"


def test_a_positive_hiv_result_is_not_sent_as_hepatitis_c_positive(users, client_record):
    def tested(virus: str, kind: str):
        return services.bbv_test_record(
            actor=users["nurse"],
            client=client_record,
            virus=virus,
            offered_on=days_ago(10),
            offer="accepted",
            kind=kind,
            tested_on=days_ago(9),
            result="positive",
            result_on=days_ago(2),
        )

    assert bbv_test_code(tested("hiv", "hiv")) == "Not sent"
    assert bbv_test_code(tested("hepatitis_c", "hcv_rna")) == "HEPCSTAT A, HEPCPOS Y"
