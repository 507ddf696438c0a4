"""Writes of the controlled-drug register: record a movement, record a correction, record
a patient return and its destruction.

Every writer of the register lives here: the run sheet (services/runsheet.py) records a
parcel handed over, delivered or returned by calling register_movement_record, and no
other module creates a RegisterEntry (tests/register/test_register_writers.py).

Each function is keyword-only and atomic, raises a ValidationError naming the field, and
writes an audit entry. The balance row of the register page is locked first
(select_for_update), so two people recording at once are served one after the other and
the balance can never go below zero (DESIGN.md: stock never negative). A register page is
one site's and one medicine's (reg 20: a register for each premises): a site's movements
lock and move only that site's balance.

A supply copies the reg 19 details as they are on the day (the person supplied and their
address, the prescriber and the service's address for them, who collected); a receipt the
supplier's name and address; a destruction names a witness who is another user allowed to
witness (`delivery.witness_destruction`). Patient returns never touch a balance.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from beacon.clients.models import Client
from beacon.core.audit import Action, AuditOrigin, audit_record, record_save
from beacon.core.models import Provider, Site, User
from beacon.core.permissions import user_can
from beacon.core.presenters import quantity_text
from beacon.core.roles import Role
from beacon.delivery.models import (
    DeliverySetup,
    PatientReturn,
    RegisterBalance,
    RegisterEntry,
    register_unit,
)
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


def _site(site: Site | None, provider: Provider) -> Site:
    if site is None or site.provider_id != provider.pk:
        raise ValidationError({"site": "Choose a site of this service"})
    return site


def _site_and_medicine(
    site: Site | None, medicine: str, provider: Provider
) -> tuple[Site, Medicine, str]:
    """What a write about one medicine at a site is about: the site (one of this service's),
    the medicine (from the list) and the unit the register counts it in."""
    site = _site(site, provider)
    info = _medicine(medicine)
    return site, info, register_unit(info)


def _locked_balance(*, site: Site, medicine: Medicine) -> RegisterBalance:
    """The register page's balance (this site, this medicine) as stored now, locked until the
    transaction ends. Another site's balance is another row: never read or moved here."""
    balance, _created = RegisterBalance.objects.select_for_update().get_or_create(
        site=site, medicine=medicine.code, defaults={"provider_id": site.provider_id}
    )
    return balance


def _joined(*parts: str) -> str:
    return ", ".join(" ".join(part.split()) for part in parts if part and part.strip())


def client_address(client: Client) -> str:
    """The client's address as it is today: their record's, else their delivery address."""
    address = _joined(client.address_line_1, client.address_line_2, client.town, client.postcode)
    details = getattr(client, "delivery_details", None)
    if not address and details is not None:
        address = _joined(
            details.address_line_1, details.address_line_2, details.town, details.postcode
        )
    if not address and client.no_fixed_abode:
        address = "No fixed abode"
    return address


def site_address(site: Site) -> str:
    """A site's postal address, headed by the provider's name."""
    return _joined(site.provider.name, site.name, site.address, site.postcode)


def prescriber_address(prescriber: User, site: Site) -> str:
    """The service's address for a prescriber: their team's site, else the register's site."""
    team_site = prescriber.team.site if prescriber.team_id and prescriber.team.site_id else None
    return site_address(team_site or site)


def _check_witness(actor: User, provider: Provider, witness: User | None) -> User:
    """Reg 27: an authorised person witnesses a destruction: another active user of the
    service allowed to witness, never the person recording it."""
    if (
        not isinstance(witness, User)
        or witness.provider_id != provider.pk
        or not user_can(witness, "delivery.witness_destruction")
    ):
        raise ValidationError(
            {"witness": "Choose a witness from the list: a manager or prescriber of this service"}
        )
    if witness.pk == actor.pk:
        raise ValidationError({"witness": "The witness must be someone other than you"})
    return witness


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


def _entry_write(
    balance: RegisterBalance,
    entry: RegisterEntry,
    new_balance: Decimal,
    *,
    actor: User,
    origin: AuditOrigin | None,
    detail: str,
) -> RegisterEntry:
    """Save a new entry with the balance it leaves, move its page's balance, and audit it
    (`detail` after the page's name)."""
    entry.balance_after = new_balance
    record_save(
        entry,
        actor=actor,
        origin=origin,
        detail=f"CD register {entry.site.name} {entry.medicine}: {detail}",
    )
    balance.balance = new_balance
    balance.save(update_fields=["balance"])
    return entry


def _supply_details(entry: RegisterEntry, data: dict, provider: Provider) -> None:
    """Reg 19 on a supply: the person supplied and their address, the prescriber and the
    service's address for them, who collected (and a professional's name and address), and
    whether identity was asked for and shown; copied as they are today."""
    client = data.get("client")
    if client is None or client.provider_id != provider.pk:
        raise ValidationError({"client": "Choose a client of this service"})
    entry.client = client
    entry.supplied_name = client.full_name
    entry.supplied_address = client_address(client)
    if not entry.supplied_address:
        raise ValidationError(
            {
                "client": f"Record {client.full_name}'s address first: a supply names the "
                "person supplied and their address (reg 19)"
            }
        )
    prescriber = data.get("prescriber")
    if (
        prescriber is None
        or prescriber.provider_id != provider.pk
        or (prescriber.role != Role.PRESCRIBER)
    ):
        raise ValidationError(
            {"prescriber": "Choose the prescriber of this service who prescribed it"}
        )
    entry.prescriber = prescriber
    entry.prescriber_name = prescriber.display_name
    entry.prescriber_address = prescriber_address(prescriber, entry.site)
    entry.recipient = data.get("recipient") or ""
    if entry.recipient not in RegisterEntry.Recipient.values:
        raise ValidationError({"recipient": "Say who collected the medicine"})
    if entry.recipient == RegisterEntry.Recipient.REPRESENTATIVE:
        entry.representative_name = " ".join((data.get("representative_name") or "").split())
        if not entry.representative_name:
            raise ValidationError({"representative_name": "Enter the name of the representative"})
    if entry.recipient == RegisterEntry.Recipient.HEALTHCARE_PROFESSIONAL:
        entry.professional_name = " ".join((data.get("professional_name") or "").split())
        entry.professional_address = " ".join((data.get("professional_address") or "").split())
        if not entry.professional_name:
            raise ValidationError(
                {"professional_name": "Enter the name of the healthcare professional"}
            )
        if not entry.professional_address:
            raise ValidationError(
                {"professional_address": "Enter the address of the healthcare professional"}
            )
    for field in ("identity_requested", "identity_provided"):
        if data.get(field) is None:
            raise ValidationError({field: "Answer yes or no"})
    entry.identity_requested = bool(data["identity_requested"])
    entry.identity_provided = bool(data["identity_provided"])


@transaction.atomic
def register_movement_record(
    *,
    actor: User,
    provider: Provider,
    site: Site | None,
    medicine: str,
    data: dict,
    origin: AuditOrigin | None = None,
) -> RegisterEntry:
    """Record one movement (any kind but a correction) on the register page of `site` and
    `medicine`."""
    site, info, unit = _site_and_medicine(site, medicine, provider)
    kind = data.get("kind")
    if kind not in MOVEMENT_KINDS:
        raise ValidationError({"kind": "Choose what happened to the medicine"})
    quantity = _check_quantity(data.get("quantity"), unit)
    entry = RegisterEntry(
        provider=provider,
        site=site,
        medicine=info.code,
        kind=kind,
        quantity=quantity,
        unit=unit,
        occurred_at=_check_when(data.get("occurred_at")),
        notes=(data.get("notes") or "").strip(),
        entered_by=actor,
    )
    if kind == Kind.RECEIVED:
        entry.supplier = " ".join((data.get("supplier") or "").split())
        entry.supplier_address = " ".join((data.get("supplier_address") or "").split())
        if not entry.supplier:
            raise ValidationError({"supplier": "Enter the supplier or pharmacy it came from"})
        if not entry.supplier_address:
            raise ValidationError({"supplier_address": "Enter the supplier's address"})
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
        _supply_details(entry, data, provider)
    if kind == Kind.DESTROYED:
        entry.witnessed_by = _check_witness(actor, provider, data.get("witness"))
        entry.witness = entry.witnessed_by.display_name
    balance = _locked_balance(site=site, medicine=info)
    new_balance = _refuse_negative(balance, RegisterEntry.EFFECT[kind] * quantity, unit, "quantity")
    return _entry_write(
        balance,
        entry,
        new_balance,
        actor=actor,
        origin=origin,
        detail=f"{entry}; balance {_amount(new_balance, unit)}",
    )


@transaction.atomic
def register_correction_record(
    *,
    actor: User,
    provider: Provider,
    site: Site | None,
    medicine: str,
    data: dict,
    origin: AuditOrigin | None = None,
) -> RegisterEntry:
    """Correct an entry by a new one that refers to it (reg 20: no alteration of entries),
    on the same register page (site and medicine)."""
    site, info, unit = _site_and_medicine(site, medicine, provider)
    corrected = data.get("corrects")
    if (
        corrected is None
        or corrected.provider_id != provider.pk
        or corrected.site_id != site.pk
        or corrected.medicine != info.code
    ):
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
    balance = _locked_balance(site=site, medicine=info)
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
        site=site,
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
    return _entry_write(
        balance,
        entry,
        new_balance,
        actor=actor,
        origin=origin,
        detail=f"correction of entry {corrected.pk}, {entry.amount_text}",
    )


@transaction.atomic
def patient_return_record(
    *,
    actor: User,
    provider: Provider,
    site: Site | None,
    medicine: str,
    data: dict,
    origin: AuditOrigin | None = None,
) -> PatientReturn:
    """Record a controlled drug a client handed back. It is kept apart from stock: no
    register balance is read or moved, and it is never supplied again."""
    site, info, unit = _site_and_medicine(site, medicine, provider)
    client = data.get("client")
    if client is None or client.provider_id != provider.pk:
        raise ValidationError({"client": "Choose a client of this service"})
    returned = PatientReturn(
        provider=provider,
        site=site,
        kind=PatientReturn.Kind.RETURNED,
        medicine=info.code,
        quantity=_check_quantity(data.get("quantity"), unit),
        unit=unit,
        occurred_at=_check_when(data.get("occurred_at")),
        client=client,
        client_name=client.full_name,
        returned_by=" ".join((data.get("returned_by") or "").split()),
        notes=(data.get("notes") or "").strip(),
        entered_by=actor,
    )
    if not returned.returned_by:
        raise ValidationError({"returned_by": "Enter who brought it in"})
    return record_save(
        returned, actor=actor, origin=origin, detail=f"patient return at {site.name}: {returned}"
    )


@transaction.atomic
def patient_return_destroy(
    *,
    actor: User,
    provider: Provider,
    patient_return: PatientReturn,
    data: dict,
    origin: AuditOrigin | None = None,
) -> PatientReturn:
    """Record the witnessed destruction of a whole patient return, once."""
    if patient_return is None or patient_return.provider_id != provider.pk:
        raise ValidationError({"destroys": "Choose a patient return of this service"})
    # The return's row is locked, so two people destroying it at once are served in turn.
    patient_return = PatientReturn.objects.select_for_update().get(pk=patient_return.pk)
    if patient_return.kind != PatientReturn.Kind.RETURNED:
        raise ValidationError({"destroys": "Choose the return, not a destruction"})
    if PatientReturn.objects.filter(destroys=patient_return).exists():
        raise ValidationError({"destroys": "This return is already destroyed"})
    witness = _check_witness(actor, provider, data.get("witness"))
    destruction = PatientReturn(
        provider=provider,
        site=patient_return.site,
        kind=PatientReturn.Kind.DESTROYED,
        medicine=patient_return.medicine,
        quantity=patient_return.quantity,
        unit=patient_return.unit,
        occurred_at=_check_when(data.get("occurred_at")),
        destroys=patient_return,
        client=patient_return.client,
        client_name=patient_return.client_name,
        witnessed_by=witness,
        witness=witness.display_name,
        notes=(data.get("notes") or "").strip(),
        entered_by=actor,
    )
    return record_save(
        destruction,
        actor=actor,
        origin=origin,
        detail=f"patient return {patient_return.pk} destroyed, witnessed by {witness.username}",
    )


@transaction.atomic
def delivery_stock_site_set(
    *, actor: User, provider: Provider, site: Site | None, origin: AuditOrigin | None = None
) -> DeliverySetup:
    """Name the site whose cabinet the delivery rounds are made up from (reg 20: their
    parcels leave, and come back to, that site's register)."""
    site = _site(site, provider)
    setup, _created = DeliverySetup.objects.update_or_create(
        provider=provider, defaults={"stock_site": site}
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=setup,
        detail=f"delivery stock held at {site.name}",
        origin=origin,
    )
    return setup
