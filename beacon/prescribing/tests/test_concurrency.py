"""At most one prescription of a substance at a time, also when requests race (issue #9:
ten identical requests at once made four active prescriptions). The client's row lock in
`prescription_create` serialises them; on PostgreSQL an exclusion constraint backs it."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from beacon.core.tests.concurrency import POSTGRESQL_ONLY, at_once
from beacon.prescribing.models import Instalment, Prescription
from beacon.prescribing.services import prescription_create, prescription_end
from beacon.prescribing.tests.factories import BUPRENORPHINE_8, prescribe, prescription_data

OTHER_METHADONE = "methadone-1mg-ml-oral-solution"


def copy_of(prescription: Prescription, **changes) -> Prescription:
    """The same prescription saved again straight to the table, past every service check."""
    copy = Prescription.objects.get(pk=prescription.pk)
    copy.pk = None
    copy.status, copy.ended_on = Prescription.Status.ACTIVE, None
    for field, value in changes.items():
        setattr(copy, field, value)
    return copy


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_ten_identical_prescriptions_at_once_make_one(client, users):
    data = prescription_data(client, prescriber=users["prescriber"])

    def prescribe_it():
        prescription_create(actor=users["prescriber"], client=client, data=data)

    outcomes = at_once(*[prescribe_it] * 10)
    assert outcomes.count("done") == 1
    refused = [outcome for outcome in outcomes if outcome != "done"]
    assert len(refused) == 9
    assert all(r.startswith("This overlaps the client's active prescription") for r in refused)
    assert Prescription.objects.filter(client=client).count() == 1
    one_day = Instalment.objects.filter(prescription__client=client, date=data["start_date"])
    assert one_day.aggregate(total=Sum("quantity"))["total"] == data["dose"]


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_the_database_refuses_a_second_prescription_of_the_substance_past_the_service(
    client, users
):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    # Another methadone product, from the last day on: still two methadone supplies that day.
    overlapping = copy_of(prescription, medicine=OTHER_METHADONE, start_date=prescription.end_date)
    overlapping.end_date = overlapping.start_date + datetime.timedelta(days=13)
    refused = pytest.raises(IntegrityError, match="prescription_one_per_substance_at_a_time")
    with refused, transaction.atomic():
        overlapping.save()
    # The day after the last day, and another substance on the same days, are allowed.
    copy_of(
        prescription,
        start_date=prescription.end_date + datetime.timedelta(days=1),
        end_date=prescription.end_date + datetime.timedelta(days=14),
    ).save()
    copy_of(prescription, medicine=BUPRENORPHINE_8).save()
    assert Prescription.objects.filter(client=client).count() == 3


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_the_constraint_reads_the_last_day_as_the_service_does(client, users):
    """Ended early, a prescription supplies until its `ended_on`; ended the day before it
    starts, it supplies nothing and blocks nothing."""
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    prescription_end(
        actor=users["prescriber"],
        prescription=prescription,
        data={"ended_on": prescription.start_date, "end_reason": "Moved away"},
    )
    copy_of(prescription, start_date=prescription.start_date + datetime.timedelta(days=1)).save()
    never = prescribe(
        client=client,
        prescriber=users["prescriber"],
        start_date=prescription.end_date + datetime.timedelta(days=1),
    )
    prescription_end(
        actor=users["prescriber"],
        prescription=never,
        data={"ended_on": never.start_date - datetime.timedelta(days=1), "end_reason": "Error"},
    )
    copy_of(never).save()
    assert Prescription.objects.filter(client=client).count() == 4


@pytest.mark.django_db
def test_a_prescription_stores_the_substance_of_its_medicine(client, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    assert prescription.substance == "methadone"
    refused = pytest.raises(IntegrityError, match="prescription_substance_of_medicine")
    with refused, transaction.atomic():
        Prescription.objects.filter(pk=prescription.pk).update(substance="buprenorphine")
