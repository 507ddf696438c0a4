"""The register's rules: balance never negative, corrections, append-only, reconciliation."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import ProviderFactory, UserFactory
from beacon.delivery.models import RegisterBalance, RegisterEntry
from beacon.delivery.selectors import register as selectors
from beacon.delivery.services import register as services
from beacon.delivery.tests.factories import METHADONE, deliver, main_site, record
from beacon.prescribing.medicines import MEDICINES

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(users):
    return users["manager"]


@pytest.fixture
def driver(users):
    return users["driver"]


@pytest.fixture
def client_(provider, team):
    return ClientFactory(provider=provider, team=team)


def balance(provider, code=METHADONE):
    return selectors.register_balance(site=main_site(provider), medicine=MEDICINES[code])


def test_movements_keep_a_running_balance(manager, driver, client_, provider):
    received = record(manager, "received", "500")
    handed = record(manager, "handed_to_driver", "120", driver=driver)
    delivered = deliver(manager, "100", driver=driver, client=client_)
    returned = record(manager, "returned_undelivered", "20", driver=driver)
    destroyed = record(manager, "destroyed", "30")
    assert [e.balance_after for e in (received, handed, delivered, returned, destroyed)] == [
        Decimal(500),
        Decimal(380),
        Decimal(380),  # a delivery is a supply record: the parcel left with the driver
        Decimal(400),
        Decimal(370),
    ]
    assert balance(provider) == Decimal(370)
    assert delivered.unit == "ml" and delivered.identity_requested is True
    assert AuditEntry.objects.filter(object_type="delivery.RegisterEntry").count() == 5


def test_a_withdrawal_below_zero_is_refused_and_nothing_is_saved(manager, provider):
    record(manager, "received", "50")
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        record(manager, "destroyed", "80")
    assert exc.value.message_dict == {"quantity": ["This would leave −30 ml: the balance is 50 ml"]}
    assert RegisterEntry.objects.count() == 1
    assert balance(provider) == Decimal(50)
    assert AuditEntry.objects.count() == audits


def test_an_empty_register_refuses_handing_out(manager, driver):
    with pytest.raises(ValidationError) as exc:
        record(manager, "handed_to_driver", "1", driver=driver)
    assert "quantity" in exc.value.message_dict
    assert not RegisterEntry.objects.exists()


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        ("received", {"supplier": ""}, "supplier"),
        ("destroyed", {"witness": None}, "witness"),
        ("handed_to_driver", {}, "driver"),
        ("received", {"quantity": Decimal(0)}, "quantity"),
        ("received", {"quantity": Decimal(-5)}, "quantity"),
        ("correction", {}, "kind"),
    ],
)
def test_each_kind_asks_for_its_fields(manager, kind, fields, field):
    quantity = fields.pop("quantity", Decimal(10))
    with pytest.raises(ValidationError) as exc:
        record(manager, kind, quantity, **fields)
    assert field in exc.value.message_dict


def test_driver_must_be_a_driver_of_the_provider(manager, users, other_provider):
    record(manager, "received", "100")
    stranger = UserFactory(role="driver", provider=other_provider, username="driver-ors")
    for wrong in (users["keyworker"], stranger):
        with pytest.raises(ValidationError) as exc:
            record(manager, "handed_to_driver", "10", driver=wrong)
        assert "driver" in exc.value.message_dict


def test_delivery_records_recipient_and_identity(manager, driver, client_, other_provider):
    record(manager, "received", "100")
    record(manager, "handed_to_driver", "60", driver=driver)
    for fields, field in [
        ({"identity_requested": None}, "identity_requested"),
        ({"identity_provided": None}, "identity_provided"),
        ({"recipient": "neighbour"}, "recipient"),
        ({"recipient": "representative"}, "representative_name"),
        ({"client": ClientFactory(provider=other_provider)}, "client"),
    ]:
        with pytest.raises(ValidationError) as exc:
            deliver(manager, "30", driver=driver, **{"client": client_, **fields})
        assert field in exc.value.message_dict
    entry = deliver(
        manager,
        "30",
        driver=driver,
        client=client_,
        recipient="representative",
        representative_name="Sam Carer",
        identity_requested=True,
        identity_provided=False,
    )
    assert (entry.representative_name, entry.identity_provided) == ("Sam Carer", False)


def test_tablets_are_whole_and_injections_are_never_delivered(manager, driver):
    with pytest.raises(ValidationError) as exc:
        record(manager, "received", "2.5", medicine="buprenorphine-8mg-sublingual-tablets")
    assert "quantity" in exc.value.message_dict
    record(manager, "received", "4", medicine="buvidal-8mg-weekly")
    with pytest.raises(ValidationError) as exc:
        record(manager, "handed_to_driver", "1", medicine="buvidal-8mg-weekly", driver=driver)
    assert "medicine" in exc.value.message_dict


def test_entry_older_than_yesterday_is_refused(manager):
    with pytest.raises(ValidationError) as exc:
        record(manager, "received", "10", at=timezone.now() - datetime.timedelta(days=3))
    assert "reg 20" in exc.value.message_dict["occurred_at"][0]
    with pytest.raises(ValidationError):
        record(manager, "received", "10", at=timezone.now() + datetime.timedelta(hours=2))


def correct(manager, entry, adjustment, notes="Miscounted", medicine=METHADONE):
    return services.register_correction_record(
        actor=manager,
        provider=manager.provider,
        site=main_site(manager.provider),
        medicine=medicine,
        data={"corrects": entry, "adjustment": Decimal(adjustment), "notes": notes},
    )


def test_correction_refers_to_the_entry_and_moves_the_balance(manager, driver, provider):
    received = record(manager, "received", "100")
    handed = record(manager, "handed_to_driver", "40", driver=driver)
    fix = correct(manager, received, "-10")
    assert (fix.corrects, fix.balance_after, fix.quantity) == (received, Decimal(50), None)
    fix = correct(manager, handed, "-5")  # 5 ml fewer left with the driver: back in the cabinet
    assert fix.balance_after == Decimal(55) and fix.driver == driver
    assert balance(provider) == Decimal(55)
    assert received.quantity == Decimal(100)  # the original stands as written


def test_correction_refused_when_it_would_leave_a_negative_balance(manager, provider):
    received = record(manager, "received", "100")
    record(manager, "destroyed", "90")
    with pytest.raises(ValidationError) as exc:
        correct(manager, received, "-20")
    assert exc.value.message_dict == {
        "adjustment": ["This would leave −10 ml: the balance is 10 ml"]
    }
    assert RegisterEntry.objects.count() == 2


def test_correction_must_refer_to_an_entry_of_the_same_page_and_provider(manager, other_provider):
    record(manager, "received", "100")
    other_medicine = record(manager, "received", "10", medicine="methadone-1mg-ml-oral-solution")
    other_manager = UserFactory(role="manager", provider=other_provider, username="m-ors")
    theirs = record(other_manager, "received", "10")
    for entry in (other_medicine, theirs, None):
        with pytest.raises(ValidationError) as exc:
            correct(manager, entry, "1")
        assert "corrects" in exc.value.message_dict
    first = correct(manager, other_medicine, "1", medicine="methadone-1mg-ml-oral-solution")
    with pytest.raises(ValidationError) as exc:
        correct(manager, first, "1", medicine="methadone-1mg-ml-oral-solution")
    assert "corrects" in exc.value.message_dict


def test_correction_needs_a_reason_and_an_adjustment(manager):
    received = record(manager, "received", "100")
    for adjustment, notes, field in [("0", "x", "adjustment"), ("5", " ", "notes")]:
        with pytest.raises(ValidationError) as exc:
            correct(manager, received, adjustment, notes=notes)
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        correct(manager, received, "-101")
    assert "adjustment" in exc.value.message_dict


# Append-only: model, queryset and database.


def test_an_entry_cannot_be_saved_again_or_deleted(manager):
    entry = record(manager, "received", "100")
    entry.quantity = Decimal(1)
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        RegisterEntry.objects.filter(pk=entry.pk).update(quantity=1)
    with pytest.raises(PermissionError):
        RegisterEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.quantity == Decimal(100)


def test_the_database_refuses_update_of_an_entry(manager):
    entry = record(manager, "received", "100")
    table = RegisterEntry._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET quantity = 1 WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.quantity == Decimal(100)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="DELETE of register entries is blocked by trigger on PostgreSQL only: SQLite test "
    "runs empty tables with DELETE",
)
def test_the_database_refuses_delete_of_an_entry_on_postgresql(manager):
    entry = record(manager, "received", "100")
    table = RegisterEntry._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [entry.pk])
    assert RegisterEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_a_negative_balance(provider):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterBalance.objects.create(provider=provider, medicine=METHADONE, balance=-1)


# End-of-day reconciliation.


def test_reconciliation_finds_what_was_not_accounted_for(manager, users, client_, make_user):
    driver = users["driver"]
    second = make_user("driver", username="driver-two", last_name="Zeta")
    record(manager, "received", "1000")
    record(manager, "handed_to_driver", "100", driver=driver)
    deliver(manager, "70", driver=driver, client=client_)
    record(manager, "returned_undelivered", "30", driver=driver)
    handed = record(manager, "handed_to_driver", "50", driver=second)
    deliver(manager, "40", driver=second, client=client_)
    today = timezone.localdate()

    rows = selectors.reconciliation(provider=manager.provider, date=today)
    assert [(r.driver, r.handed, r.accounted, r.is_discrepancy) for r in rows] == [
        (driver, Decimal(100), Decimal(100), False),
        (second, Decimal(50), Decimal(40), True),
    ]
    [missing] = selectors.reconciliation_discrepancies(provider=manager.provider, date=today)
    assert (missing.driver, missing.difference) == (second, Decimal(10))

    # Correcting the handed-out entry (only 40 ml left with them) settles the day.
    correct(manager, handed, "-10")
    assert selectors.reconciliation_discrepancies(provider=manager.provider, date=today) == []
    yesterday = today - datetime.timedelta(days=1)
    assert selectors.reconciliation(provider=manager.provider, date=yesterday) == []


def test_reconciliation_is_per_medicine_and_per_provider(manager, driver, client_, other_provider):
    record(manager, "received", "100")
    record(manager, "received", "100", medicine="methadone-1mg-ml-oral-solution")
    record(manager, "handed_to_driver", "10", driver=driver)
    # Delivered from the other methadone page: both pages are now out of balance.
    deliver(manager, "10", driver=driver, client=client_, medicine="methadone-1mg-ml-oral-solution")
    rows = selectors.reconciliation_discrepancies(
        provider=manager.provider, date=timezone.localdate()
    )
    assert sorted(r.difference for r in rows) == [Decimal(-10), Decimal(10)]
    assert selectors.reconciliation(provider=other_provider, date=timezone.localdate()) == []


# Two people at once (PostgreSQL only: SQLite serialises whole-database writes instead).


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks (select_for_update) need PostgreSQL; SQLite has no concurrent writers, "
    "so this test runs only in the PostgreSQL pass of .ci/run",
)
@pytest.mark.django_db(transaction=True)
def test_two_withdrawals_at_once_never_leave_a_negative_balance():
    provider = ProviderFactory(code="CCY")
    manager = UserFactory(role="manager", provider=provider, username="manager-ccy")
    record(manager, "received", "100")
    barrier = threading.Barrier(2)
    outcomes = []

    def withdraw():
        try:
            barrier.wait(timeout=10)
            record(manager, "destroyed", "70")
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append(exc.message_dict["quantity"][0])
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=withdraw) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["This would leave −40 ml: the balance is 30 ml", "saved"]
    assert balance(provider) == Decimal(30)
    balances = list(
        RegisterEntry.objects.filter(provider=provider).values_list("balance_after", flat=True)
    )
    assert sorted(balances) == [Decimal(30), Decimal(100)]
    assert all(value >= 0 for value in balances)
