"""Writes of the controlled-drug register: record a movement, record a correction.

Every writer of the register lives here: the run sheet (services/runsheet.py) records a
parcel handed over, delivered or returned by calling register_movement_record, and no
other module creates a RegisterEntry (tests/register/test_register_writers.py).

Each function is keyword-only and atomic, raises a ValidationError naming the field, and
writes an audit entry. The balance row of the register page is locked first
(select_for_update), so two people recording at once are served one after the other and
the balance can never go below zero (DESIGN.md: stock never negative).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from beacon.core.audit import Action, AuditOrigin, audit_record
from beacon.core.models import Provider, User
from beacon.core.presenters import quantity_text
from beacon.core.roles import Role
from beacon.delivery.models import RegisterBalance, RegisterEntry, register_unit
from beacon.prescribing.medicines import Medicine, medicine_get

Kind = RegisterEntry.Kind
MOVEMENT_KINDS = [kind for kind in Kind if kind != Kind.CORRECTION]
WHOLE_UNITS = {"tablets", "syringes"}


def _amount(value: Decimal, unit: str) -> str:
    return quantity_text(value, unit)


def _medicine(code: str) -> Medicine:
    medicine = medicine_get(code or "")
    if medicine is None:
        raise ValidationError({"medicine": "Choose a medicine from the list"})
    return medicine


def _locked_balance(*, provider: Provider, medicine: Medicine) -> RegisterBalance:
    """The register page's balance as stored now, locked until the transaction ends."""
    balance, _created = RegisterBalance.objects.select_for_update().get_or_create(
        provider=provider, medicine=medicine.code
    )
    return balance


def _check_quantity(value: Decimal | None, unit: str, field: str = "quantity") -> Decimal:
    if value is None:
        raise ValidationError({field: f"Enter the quantity in {unit}"})
    if value <= 0:
        raise ValidationError({field: f"Enter a quantity above 0 {unit}"})
    if unit in WHOLE_UNITS and value != value.to_integral_value():
        raise ValidationError({field: f"Enter a whole number of {unit}"})
    return value


def _check_when(occurred_at: datetime.datetime | None) -> datetime.datetime:
    """Reg 20: an entry is made on the day of the movement or, failing that, the next day."""
    if occurred_at is None:
        raise ValidationError({"occurred_at": "Enter the date and time of the movement"})
    now = timezone.now()
    if occurred_at > now + datetime.timedelta(minutes=5):
        raise ValidationError({"occurred_at": "The movement cannot be in the future"})
    if timezone.localdate(occurred_at) < timezone.localdate(now) - datetime.timedelta(days=1):
        raise ValidationError(
            {
                "occurred_at": "A register entry is made on the day of the movement or the "
                "next day (Misuse of Drugs Regulations 2001, reg 20): for an older movement, "
                "record it today and say when it happened in the notes"
            }
        )
    return occurred_at


def _refuse_negative(balance: RegisterBalance, change: Decimal, unit: str, field: str) -> Decimal:
    new = balance.balance + change
    if new < 0:
        raise ValidationError(
            {
                field: f"This would leave −{_amount(-new, unit)}: "
                f"the balance is {_amount(balance.balance, unit)}"
            }
        )
    return new


def _write(balance: RegisterBalance, entry: RegisterEntry, new_balance: Decimal) -> RegisterEntry:
    entry.balance_after = new_balance
    entry.full_clean()
    entry.save()
    balance.balance = new_balance
    balance.save(update_fields=["balance"])
    return entry


@transaction.atomic
def register_movement_record(
    *,
    actor: User,
    provider: Provider,
    medicine: str,
    data: dict,
    origin: AuditOrigin | None = None,
) -> RegisterEntry:
    """Record one movement (any kind but a correction) on the register page of `medicine`."""
    info = _medicine(medicine)
    unit = register_unit(info)
    kind = data.get("kind")
    if kind not in MOVEMENT_KINDS:
        raise ValidationError({"kind": "Choose what happened to the medicine"})
    quantity = _check_quantity(data.get("quantity"), unit)
    entry = RegisterEntry(
        provider=provider,
        medicine=info.code,
        kind=kind,
        quantity=quantity,
        unit=unit,
        occurred_at=_check_when(data.get("occurred_at")),
        notes=(data.get("notes") or "").strip(),
        entered_by=actor,
    )
    if kind == Kind.RECEIVED:
        entry.supplier = (data.get("supplier") or "").strip()
        if not entry.supplier:
            raise ValidationError({"supplier": "Enter the supplier or pharmacy it came from"})
    if kind in RegisterEntry.DRIVER_KINDS:
        if not info.take_home_allowed:
            raise ValidationError(
                {"medicine": f"{info.name} is given by a healthcare professional, never delivered"}
            )
        driver = data.get("driver")
        if (
            driver is None
            or driver.role != Role.DRIVER
            or not driver.is_active
            or driver.provider_id != provider.pk
        ):
            raise ValidationError({"driver": "Choose a driver of this service"})
        entry.driver = driver
    if kind == Kind.DELIVERED:
        client = data.get("client")
        if client is None or client.provider_id != provider.pk:
            raise ValidationError({"client": "Choose a client of this service"})
        entry.client = client
        entry.recipient = data.get("recipient") or ""
        if entry.recipient not in RegisterEntry.Recipient.values:
            raise ValidationError({"recipient": "Say who received the parcel"})
        if entry.recipient == RegisterEntry.Recipient.REPRESENTATIVE:
            entry.representative_name = (data.get("representative_name") or "").strip()
            if not entry.representative_name:
                raise ValidationError(
                    {"representative_name": "Enter the name of the representative"}
                )
        for field in ("identity_requested", "identity_provided"):
            if data.get(field) is None:
                raise ValidationError({field: "Answer yes or no"})
        entry.identity_requested = bool(data["identity_requested"])
        entry.identity_provided = bool(data["identity_provided"])
    if kind == Kind.DESTROYED:
        entry.witness = (data.get("witness") or "").strip()
        if not entry.witness:
            raise ValidationError({"witness": "Enter the name of the witness"})
    balance = _locked_balance(provider=provider, medicine=info)
    new_balance = _refuse_negative(balance, RegisterEntry.EFFECT[kind] * quantity, unit, "quantity")
    _write(balance, entry, new_balance)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=entry,
        client=entry.client,
        detail=f"CD register {info.code}: {entry}; balance {_amount(new_balance, unit)}",
        origin=origin,
    )
    return entry


@transaction.atomic
def register_correction_record(
    *,
    actor: User,
    provider: Provider,
    medicine: str,
    data: dict,
    origin: AuditOrigin | None = None,
) -> RegisterEntry:
    """Correct an entry by a new one that refers to it (reg 20: no alteration of entries)."""
    info = _medicine(medicine)
    unit = register_unit(info)
    corrected = data.get("corrects")
    if corrected is None or corrected.provider_id != provider.pk or corrected.medicine != info.code:
        raise ValidationError({"corrects": "Choose an entry of this register page"})
    if corrected.kind == Kind.CORRECTION:
        raise ValidationError({"corrects": "Choose the movement itself, not a correction of it"})
    adjustment = data.get("adjustment")
    if adjustment is None or adjustment == 0:
        raise ValidationError(
            {"adjustment": f"Enter how many {unit} to add to (or, with a minus, take from) it"}
        )
    if unit in WHOLE_UNITS and adjustment != adjustment.to_integral_value():
        raise ValidationError({"adjustment": f"Enter a whole number of {unit}"})
    reason = (data.get("notes") or "").strip()
    if not reason:
        raise ValidationError({"notes": "Say why the entry is corrected"})
    balance = _locked_balance(provider=provider, medicine=info)
    # Corrections of one entry are serialised by the same lock: read them only now.
    corrected_so_far = corrected.quantity + sum(
        (c.adjustment for c in corrected.corrections.all()), Decimal(0)
    )
    corrected_to = corrected_so_far + adjustment
    if corrected_to < 0:
        raise ValidationError(
            {
                "adjustment": f"The entry would record −{_amount(-corrected_to, unit)}: "
                f"it now records {_amount(corrected_so_far, unit)}"
            }
        )
    entry = RegisterEntry(
        provider=provider,
        medicine=info.code,
        kind=Kind.CORRECTION,
        adjustment=adjustment,
        unit=unit,
        occurred_at=timezone.now(),
        corrects=corrected,
        driver=corrected.driver,
        client=corrected.client,
        notes=reason,
        entered_by=actor,
    )
    change = RegisterEntry.EFFECT[corrected.kind] * adjustment
    new_balance = _refuse_negative(balance, change, unit, "adjustment")
    _write(balance, entry, new_balance)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=entry,
        client=entry.client,
        detail=f"CD register {info.code}: correction of entry {corrected.pk}, {entry.amount_text}",
        origin=origin,
    )
    return entry
