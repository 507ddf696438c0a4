"""Every write of NSP transactions and blood-borne virus records: each a keyword-only
function in one transaction that checks the rules and writes the audit log.

Bad input raises a ValidationError naming the field, and nothing is saved: a date in the
future, a negative count, an attributor's date of birth that cannot be one, a visit where
nothing was given out and nothing returned, a result dated before its test, a vaccine dose
sooner than its schedule allows.
"""

import datetime
import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from beacon.clients.codes import Sex
from beacon.clients.models import Client
from beacon.core.audit import Action, AuditOrigin, audit_record, record_save
from beacon.core.models import Site, User
from beacon.core.permissions import ensure_can, user_can
from beacon.harmreduction import selectors
from beacon.harmreduction.codes import (
    SCHEDULE_DAYS,
    TEST_KINDS,
    HepatitisBOffer,
    HepatitisBSchedule,
    TestKind,
    TestOffer,
    TestResult,
    Virus,
)
from beacon.harmreduction.models import (
    MOST_BINS,
    MOST_OF_ONE_ITEM,
    BloodBorneVirusTest,
    HepatitisBCourse,
    HepatitisBDose,
    NspItem,
    NspItemGiven,
    NspTransaction,
)
from beacon.harmreduction.rules import is_pharmacy_nsp

RECORD_NSP = "harmreduction.record_nsp"
LINK_CLIENT = "harmreduction.link_client"
RECORD_BBV = "harmreduction.record_bbv"
INITIALS = re.compile(r"^[A-Z]{1,2}$")
# An attributor's date of birth outside these ages is a typing slip (H-121).
YOUNGEST_AGE, OLDEST_AGE = 10, 110


def _not_future(field: str, day: datetime.date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{what} cannot be in the future"})


def _age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


def attributor_check(
    *, initials: str, date_of_birth: datetime.date | None, sex: str, on: datetime.date
) -> str:
    """The attributor's initials as stored (upper case), or a ValidationError naming the
    part that is wrong."""
    initials = (initials or "").strip().upper()
    errors = {}
    if not INITIALS.match(initials):
        errors["initials"] = "Enter the initials of the first and last name, like JS"
    if date_of_birth is None:
        errors["date_of_birth"] = "Enter the date of birth"
    elif not YOUNGEST_AGE <= _age_on(date_of_birth, on) <= OLDEST_AGE:
        errors["date_of_birth"] = (
            f"Enter a real date of birth: the person would be {_age_on(date_of_birth, on)} "
            f"(from {YOUNGEST_AGE} to {OLDEST_AGE} years old)"
        )
    if sex not in Sex.values:
        errors["sex"] = "Choose the sex: male, female or not known"
    if errors:
        raise ValidationError(errors)
    return initials


def _items_check(items: Mapping[str, int]) -> dict[str, int]:
    given = {}
    for item, quantity in items.items():
        if item not in NspItem.values:
            raise ValidationError({"items_out": f"{item!r} is not an item the NSP gives out"})
        # The message sits next to the item's own field, whose label names it.
        if quantity < 0:
            raise ValidationError({f"item_{item}": f"Enter 0 or more, not {quantity}"})
        if quantity > MOST_OF_ONE_ITEM:
            raise ValidationError(
                {f"item_{item}": f"Enter at most {MOST_OF_ONE_ITEM} in one transaction"}
            )
        if quantity:
            given[item] = quantity
    return given


def _bins_check(bins_out: int, bins_returned: int) -> None:
    for field, count in (("bins_out", bins_out), ("bins_returned", bins_returned)):
        if count < 0:
            raise ValidationError({field: f"Enter 0 or more, not {count}"})
        if count > MOST_BINS:
            raise ValidationError({field: f"Enter at most {MOST_BINS} bins in one transaction"})


@transaction.atomic
def nsp_transaction_record(
    *,
    actor: User,
    site: Site,
    date: datetime.date,
    items: Mapping[str, int],
    bins_out: int = 0,
    bins_returned: int = 0,
    client: Client | None = None,
    initials: str = "",
    date_of_birth: datetime.date | None = None,
    sex: str = "",
    origin: AuditOrigin | None = None,
) -> NspTransaction:
    """Record one NSP visit, keyed by the attributor typed in, or (staff only) linked to a
    client whose attributor is then derived from the record (H-120). A pharmacist records
    at their own pharmacy's site only, by attributor (H-170)."""
    ensure_can(actor, RECORD_NSP)
    if site is None or not selectors.nsp_sites_for(user=actor).filter(pk=site.pk).exists():
        raise ValidationError(
            {
                "site": "Record at your pharmacy: ask the service to set it up for NSP"
                if is_pharmacy_nsp(actor)
                else "Choose one of your service's sites"
            }
        )
    _not_future("date", date, "The date")
    given = _items_check(items)
    _bins_check(bins_out, bins_returned)
    if client is not None:
        if not user_can(actor, LINK_CLIENT, client):
            raise ValidationError({"client_number": "No client with this number that you may open"})
        if initials or date_of_birth or sex:
            raise ValidationError(
                {
                    "initials": "Leave the attributor empty when you choose a client: it is "
                    "taken from the client's record"
                }
            )
        initials = f"{client.first_name[:1]}{client.last_name[:1]}".upper()
        date_of_birth, sex = client.date_of_birth, client.sex
    else:
        initials = attributor_check(
            initials=initials, date_of_birth=date_of_birth, sex=sex, on=date
        )
    if not given and not bins_out and not bins_returned:
        raise ValidationError(
            "Nothing was given out or returned: enter how many of each item, or the sharps "
            "bins returned"
        )
    recorded = record_save(
        NspTransaction(
            provider_id=actor.provider_id,
            site=site,
            date=date,
            initials=initials,
            date_of_birth=date_of_birth,
            sex=sex,
            client=client,
            bins_out=bins_out,
            bins_returned=bins_returned,
            recorded_by=actor,
        ),
        actor=actor,
        origin=origin,
        detail=f"NSP transaction at {site.name}",
    )
    NspItemGiven.objects.bulk_create(
        NspItemGiven(transaction=recorded, item=item, quantity=quantity)
        for item, quantity in given.items()
    )
    return recorded


def harm_reduction_viewed(
    *, actor: User, what: str, client: Client | None = None, origin: AuditOrigin | None = None
) -> None:
    """A read of NSP or blood-borne virus records, for the audit log."""
    audit_record(actor=actor, action=Action.VIEW, client=client, detail=what, origin=origin)


# Blood-borne viruses -------------------------------------------------------------------


def _test_check(
    *,
    virus: str,
    offered_on: datetime.date,
    offer: str,
    kind: str,
    tested_on: datetime.date | None,
    result: str,
    result_on: datetime.date | None,
) -> None:
    _not_future("offered_on", offered_on, "The date offered")
    if virus not in Virus.values:
        raise ValidationError({"virus": "Choose hepatitis C or HIV"})
    if offer not in TestOffer.values:
        raise ValidationError({"offer": "Choose whether the test was accepted or declined"})
    if offer == TestOffer.DECLINED:
        if kind or tested_on or result or result_on:
            raise ValidationError({"offer": "A declined test has no sample or result"})
        return
    if kind and kind not in TEST_KINDS[Virus(virus)]:
        raise ValidationError(
            {"kind": f"{TestKind(kind).label} is not a test for {Virus(virus).label}"}
            if kind in TestKind.values
            else {"kind": "Choose the test"}
        )
    if tested_on is not None:
        if not kind:
            raise ValidationError({"kind": "Choose the test the sample was taken for"})
        _not_future("tested_on", tested_on, "The date the sample was taken")
        if tested_on < offered_on:
            raise ValidationError(
                {"tested_on": "The sample cannot be taken before the test was offered"}
            )
    if result or result_on:
        if result not in TestResult.values:
            raise ValidationError({"result": "Choose the result"})
        if tested_on is None:
            raise ValidationError({"tested_on": "Enter the date the sample was taken"})
        if result_on is None:
            raise ValidationError({"result_on": "Enter the date the result came back"})
        _not_future("result_on", result_on, "The date of the result")
        if result_on < tested_on:
            # H-123: a result dated before its sample belongs to another test.
            raise ValidationError(
                {"result_on": "The result cannot come back before the sample was taken"}
            )


@transaction.atomic
def bbv_test_record(
    *,
    actor: User,
    client: Client,
    virus: str,
    offered_on: datetime.date,
    offer: str,
    kind: str = "",
    tested_on: datetime.date | None = None,
    result: str = "",
    result_on: datetime.date | None = None,
    origin: AuditOrigin | None = None,
) -> BloodBorneVirusTest:
    """A hepatitis C or HIV test offered, and when accepted the sample and its result."""
    ensure_can(actor, RECORD_BBV, client)
    _test_check(
        virus=virus,
        offered_on=offered_on,
        offer=offer,
        kind=kind,
        tested_on=tested_on,
        result=result,
        result_on=result_on,
    )
    return record_save(
        BloodBorneVirusTest(
            provider_id=client.provider_id,
            client=client,
            virus=virus,
            offered_on=offered_on,
            offer=offer,
            kind=kind,
            tested_on=tested_on,
            result=result,
            result_on=result_on,
            recorded_by=actor,
        ),
        actor=actor,
        origin=origin,
        detail=f"{Virus(virus).label} test offered, {TestOffer(offer).label.lower()}",
    )


@transaction.atomic
def bbv_test_result_record(
    *,
    actor: User,
    test: BloodBorneVirusTest,
    kind: str,
    tested_on: datetime.date | None,
    result: str,
    result_on: datetime.date | None,
    origin: AuditOrigin | None = None,
) -> BloodBorneVirusTest:
    """The result of an accepted test, with its sample date (once, when it comes back)."""
    test = BloodBorneVirusTest.objects.select_for_update().get(pk=test.pk)
    ensure_can(actor, RECORD_BBV, test.client)
    if test.offer != TestOffer.ACCEPTED:
        raise ValidationError("The test was declined: record a new offer instead")
    if test.result:
        raise ValidationError("This test already has its result: record a new test")
    if not result:
        raise ValidationError({"result": "Choose the result"})
    _test_check(
        virus=test.virus,
        offered_on=test.offered_on,
        offer=test.offer,
        kind=kind,
        tested_on=tested_on,
        result=result,
        result_on=result_on,
    )
    test.kind, test.tested_on, test.result, test.result_on = kind, tested_on, result, result_on
    return record_save(
        test,
        actor=actor,
        action=Action.UPDATE,
        origin=origin,
        detail=f"{test.get_virus_display()} result recorded",
    )


@transaction.atomic
def hepatitis_b_course_record(
    *,
    actor: User,
    client: Client,
    offered_on: datetime.date,
    offer: str,
    schedule: str = "",
    origin: AuditOrigin | None = None,
) -> HepatitisBCourse:
    """Hepatitis B vaccination offered: accepted (with its schedule), declined, or not
    needed (immunised already, immune from a past infection)."""
    ensure_can(actor, RECORD_BBV, client)
    _not_future("offered_on", offered_on, "The date offered")
    if offer not in HepatitisBOffer.values:
        raise ValidationError({"offer": "Choose what the client said"})
    if offer == HepatitisBOffer.ACCEPTED and schedule not in HepatitisBSchedule.values:
        raise ValidationError({"schedule": "Choose the schedule of the course"})
    if offer != HepatitisBOffer.ACCEPTED and schedule:
        raise ValidationError({"schedule": "Only an accepted course has a schedule"})
    return record_save(
        HepatitisBCourse(
            provider_id=client.provider_id,
            client=client,
            offered_on=offered_on,
            offer=offer,
            schedule=schedule,
            recorded_by=actor,
        ),
        actor=actor,
        origin=origin,
        detail=f"Hepatitis B vaccination: {HepatitisBOffer(offer).label.lower()}",
    )


def hepatitis_b_earliest_next(
    course: HepatitisBCourse, doses: list[HepatitisBDose]
) -> datetime.date | None:
    """The earliest day the next dose may be given (H-124), or None when the course is
    complete or not accepted."""
    if course.offer != HepatitisBOffer.ACCEPTED:
        return None
    days = SCHEDULE_DAYS[HepatitisBSchedule(course.schedule)]
    if len(doses) >= len(days):
        return None
    if not doses:
        return course.offered_on
    gap = days[len(doses)] - days[len(doses) - 1]
    return doses[-1].given_on + datetime.timedelta(days=gap)


@transaction.atomic
def hepatitis_b_dose_record(
    *,
    actor: User,
    course: HepatitisBCourse,
    given_on: datetime.date,
    origin: AuditOrigin | None = None,
) -> HepatitisBDose:
    """The next dose of an accepted course, no sooner than its schedule allows."""
    course = HepatitisBCourse.objects.select_for_update().select_related("client").get(pk=course.pk)
    ensure_can(actor, RECORD_BBV, course.client)
    if course.offer != HepatitisBOffer.ACCEPTED:
        raise ValidationError("The vaccination was not accepted: record a new offer first")
    _not_future("given_on", given_on, "The date of the dose")
    doses = list(course.doses.order_by("number"))
    earliest = hepatitis_b_earliest_next(course, doses)
    if earliest is None:
        raise ValidationError("The course is complete: every dose of its schedule is recorded")
    if given_on < earliest:
        if not doses:
            message = "The first dose cannot be before the vaccination was offered"
        else:
            gap = (earliest - doses[-1].given_on).days
            message = (
                f"Dose {len(doses) + 1} is due no sooner than {gap} days after dose "
                f"{len(doses)}, given on {doses[-1].given_on:%d/%m/%Y}: the earliest is "
                f"{earliest:%d/%m/%Y}"
            )
        raise ValidationError({"given_on": message})
    return record_save(
        HepatitisBDose(course=course, number=len(doses) + 1, given_on=given_on, recorded_by=actor),
        actor=actor,
        origin=origin,
        client=course.client,
        detail=f"Hepatitis B dose {len(doses) + 1}",
    )
