"""Every write of naloxone: stock receipts, transfers, write-offs and corrections (the
ledger), supplies with their training, offers, reports of what became of a kit, and offers
due at the moments of highest risk. Each is keyword-only and atomic, refuses bad input with
a ValidationError naming the field (nothing is saved), and writes the audit log.

Stock moves only through `_move`, which locks the balance row of the batch at the site
(select_for_update) before reading it: two people supplying the last kit at once are
served one after the other, and the second is told there is none (H-107).
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from beacon.clients.models import Client
from beacon.core.audit import Action, AuditOrigin, audit_record, record_save
from beacon.core.models import Alert, Site, User
from beacon.core.permissions import ensure_can, is_volunteer, user_can
from beacon.core.services import alert_raise
from beacon.naloxone import hooks, selectors
from beacon.naloxone.models import (
    COVERS_CLIENT,
    DeclineReason,
    KitBatch,
    KitReport,
    KitType,
    Moment,
    NaloxoneOffer,
    NaloxoneSupply,
    OfferDue,
    OfferOutcome,
    PackItem,
    Recipient,
    ReportKind,
    StockBalance,
    StockEntry,
    SupplyReversal,
    TrainingTopic,
    UsedOn,
    UseOutcome,
)
from beacon.naloxone.rules import expiring_days, is_pharmacy_supplier, supply_shelf_from
from beacon.pharmacy import selectors as pharmacy_selectors

Kind = StockEntry.Kind
SUPPLY = "naloxone.supply"
PHARMACY_SUPPLY = "naloxone.supply_at_pharmacy"
# A peer volunteer supplies on outreach, to a person not linked to a client (issue 15).
SUPPLY_ON_OUTREACH = "naloxone.supply_on_outreach"
STOCK = "naloxone.manage_stock"
# Taught before any supply: recognising an overdose, calling 999, giving the kit, staying
# with the person (naloxone wears off) and the recovery position (the product documents'
# steps, reference §6b/§6c): H-101.
REQUIRED_TOPICS = (
    TrainingTopic.RECOGNISING,
    TrainingTopic.CALLING_999,
    TrainingTopic.GIVING,
    TrainingTopic.STAYING,
    TrainingTopic.RECOVERY_POSITION,
)
MOST_KITS_AT_ONCE = 500


def _today() -> datetime.date:
    return timezone.localdate()


def _check_day(on: datetime.date | None, field: str = "date") -> datetime.date:
    if on is None:
        raise ValidationError({field: "Enter the date"})
    if on > _today():
        raise ValidationError({field: "The date cannot be in the future"})
    return on


def _check_site(site: Site | None, provider_id: int, field: str = "site") -> Site:
    if site is None or site.provider_id != provider_id:
        raise ValidationError({field: "Choose a site of this service"})
    return site


def _check_batch(batch: KitBatch | None, provider_id: int, field: str = "batch") -> KitBatch:
    if batch is None or batch.provider_id != provider_id:
        raise ValidationError({field: "Choose a batch of this service's stock"})
    return batch


def _check_expired(batch: KitBatch, on: datetime.date, field: str) -> None:
    """An "expired" write-off or report is refused while the batch is still in date (it
    expires at the end of its printed day): the kit is damaged, lost or in date (H-115)."""
    if batch.is_in_date(on):
        raise ValidationError(
            {
                field: f"Batch {batch.batch_number} expires on {batch.expires_on:%d/%m/%Y}: "
                "it has not expired on this date"
            }
        )


def _check_quantity(quantity: int | None) -> int:
    if quantity is None:
        raise ValidationError({"quantity": "Enter how many kits"})
    if quantity < 1:
        raise ValidationError({"quantity": "Enter 1 kit or more"})
    if quantity > MOST_KITS_AT_ONCE:
        raise ValidationError({"quantity": f"Enter at most {MOST_KITS_AT_ONCE} kits at a time"})
    return quantity


def _batch_find_or_record(
    *,
    actor: User,
    kit_type: str,
    batch_number: str,
    expires_on: datetime.date,
    pack_contents: Sequence[str] = (),
    origin: AuditOrigin | None,
    detail: str,
    expiry_field: str,
    check: str,
) -> KitBatch:
    """The service's batch of this kit type and number, recorded (audited as `detail`) when
    it is new. A batch already known keeps its expiry: a different one is refused on
    `expiry_field` as a typing mistake, telling the person to `check` it."""
    batch = selectors.batch_find(
        provider=actor.provider, kit_type=kit_type, batch_number=batch_number
    )
    if batch is None:
        return record_save(
            KitBatch(
                provider_id=actor.provider_id,
                kit_type=kit_type,
                batch_number=batch_number,
                expires_on=expires_on,
                pack_contents=list(pack_contents),
            ),
            actor=actor,
            origin=origin,
            detail=detail,
        )
    if batch.expires_on != expires_on:
        raise ValidationError(
            {
                expiry_field: f"Batch {batch_number} is recorded as expiring on "
                f"{batch.expires_on:%d/%m/%Y}: {check}"
            }
        )
    return batch


def _locked_balance(*, site: Site, batch: KitBatch) -> StockBalance:
    """The batch's balance at the site as stored now, locked until the transaction ends."""
    StockBalance.objects.get_or_create(
        site=site, batch=batch, defaults={"provider_id": site.provider_id}
    )
    return StockBalance.objects.select_for_update().get(site=site, batch=batch)


def _move(
    *,
    actor: User,
    site: Site,
    batch: KitBatch,
    kind: str,
    change: int,
    on: datetime.date,
    field: str = "quantity",
    origin: AuditOrigin | None = None,
    **extra: object,
) -> StockEntry:
    """Write one ledger entry and move the balance; refused when it would go below zero."""
    balance = _locked_balance(site=site, batch=batch)
    after = balance.balance + change
    if after < 0:
        have = f"{balance.balance} {'kit' if balance.balance == 1 else 'kits'}"
        raise ValidationError(
            {
                field: f"There is no stock of {batch} at {site.name}: it was supplied or moved "
                "just now. Choose another batch"
                if balance.balance == 0
                else f"{site.name} has only {have} of {batch}: enter {balance.balance} or fewer"
            }
        )
    balance.balance = after
    balance.save(update_fields=["balance"])
    return record_save(
        StockEntry(
            provider_id=site.provider_id,
            site=site,
            batch=batch,
            kind=kind,
            on=on,
            change=change,
            balance_after=after,
            recorded_by=actor,
            **extra,
        ),
        actor=actor,
        origin=origin,
        detail=f"naloxone stock {kind} {change:+d} at {site.name}",
    )


# Stock -------------------------------------------------------------------------------------


@transaction.atomic
def stock_receive(
    *,
    actor: User,
    site: Site | None,
    kit_type: str,
    batch_number: str,
    expires_on: datetime.date | None,
    quantity: int | None,
    on: datetime.date | None,
    pack_contents: Sequence[str] = (),
    origin: AuditOrigin | None = None,
) -> StockEntry:
    """Kits received at a site (made up into supply packs with `pack_contents`). A batch
    already known keeps its expiry: a different one is refused as a typing mistake."""
    ensure_can(actor, STOCK)
    site = _check_site(site, actor.provider_id)
    if kit_type not in KitType.values:
        raise ValidationError({"kit_type": "Choose the kit type"})
    batch_number = (batch_number or "").strip()
    if not batch_number:
        raise ValidationError({"batch": "Enter the batch number printed on the pack"})
    if expires_on is None:
        raise ValidationError({"expiry": "Enter the expiry date printed on the pack"})
    on = _check_day(on, "date")
    if expires_on <= on:
        raise ValidationError(
            {"expiry": "This batch has expired: do not receive it into stock; return it"}
        )
    quantity = _check_quantity(quantity)
    unknown = [item for item in pack_contents if item not in PackItem.values]
    if unknown:
        raise ValidationError({"pack_contents": "Choose the pack's contents from the list"})
    batch = _batch_find_or_record(
        actor=actor,
        kit_type=kit_type,
        batch_number=batch_number,
        expires_on=expires_on,
        pack_contents=pack_contents,
        origin=origin,
        detail="naloxone batch",
        expiry_field="expiry",
        check="check the date on the pack",
    )
    return _move(
        actor=actor,
        site=site,
        batch=batch,
        kind=Kind.RECEIVED,
        change=quantity,
        on=on,
        origin=origin,
    )


@transaction.atomic
def stock_transfer(
    *,
    actor: User,
    batch: KitBatch,
    from_site: Site | None,
    to_site: Site | None,
    quantity: int | None,
    on: datetime.date | None,
    origin: AuditOrigin | None = None,
) -> tuple[StockEntry, StockEntry]:
    """Kits moved from one site to another of the same service: out of one page and into
    the other, together; the batch, and both sites, are the actor's provider's (H-115)."""
    ensure_can(actor, STOCK)
    batch = _check_batch(batch, actor.provider_id, "stock")
    from_site = _check_site(from_site, actor.provider_id, "from_site")
    to_site = _check_site(to_site, actor.provider_id, "to_site")
    if from_site == to_site:
        raise ValidationError({"to_site": "Choose a different site to move the kits to"})
    quantity = _check_quantity(quantity)
    on = _check_day(on)
    # Lock both pages in one order, so two transfers the other way round cannot deadlock.
    first, second = sorted([from_site, to_site], key=lambda s: s.pk)
    _locked_balance(site=first, batch=batch)
    _locked_balance(site=second, batch=batch)
    out = _move(
        actor=actor,
        site=from_site,
        batch=batch,
        kind=Kind.TRANSFER_OUT,
        change=-quantity,
        on=on,
        other_site=to_site,
        origin=origin,
    )
    into = _move(
        actor=actor,
        site=to_site,
        batch=batch,
        kind=Kind.TRANSFER_IN,
        change=quantity,
        on=on,
        other_site=from_site,
        origin=origin,
    )
    return out, into


@transaction.atomic
def stock_write_off(
    *,
    actor: User,
    batch: KitBatch,
    site: Site | None,
    quantity: int | None,
    reason: str,
    on: datetime.date | None,
    note: str = "",
    origin: AuditOrigin | None = None,
) -> StockEntry:
    """Kits taken out of stock because they expired (only once the batch has: H-115) or
    were damaged."""
    ensure_can(actor, STOCK)
    batch = _check_batch(batch, actor.provider_id, "stock")
    site = _check_site(site, actor.provider_id)
    if reason not in (Kind.EXPIRED, Kind.DAMAGED):
        raise ValidationError({"reason": "Choose why: expired or damaged"})
    quantity = _check_quantity(quantity)
    on = _check_day(on)
    if reason == Kind.EXPIRED:
        _check_expired(batch, on, "reason")
    return _move(
        actor=actor,
        site=site,
        batch=batch,
        kind=reason,
        change=-quantity,
        on=on,
        note=note.strip()[:300],
        origin=origin,
    )


@transaction.atomic
def stock_correct(
    *,
    actor: User,
    entry: StockEntry,
    change: int,
    note: str,
    origin: AuditOrigin | None = None,
) -> StockEntry:
    """A mistake corrected by a new entry that refers to the one it corrects."""
    ensure_can(actor, STOCK)
    if entry.provider_id != actor.provider_id:
        raise ValidationError({"corrects": "Choose an entry of this service"})
    if not change:
        raise ValidationError({"change": "Enter the kits to add (positive) or take off"})
    if not note.strip():
        raise ValidationError({"note": "Say what the correction is for"})
    return _move(
        actor=actor,
        site=entry.site,
        batch=entry.batch,
        kind=Kind.CORRECTION,
        change=change,
        on=_today(),
        corrects=entry,
        note=note.strip()[:300],
        field="change",
        origin=origin,
    )


@transaction.atomic
def stock_count_correct(
    *,
    actor: User,
    site: Site | None,
    batch: KitBatch | None,
    counted: int | None,
    note: str,
    origin: AuditOrigin | None = None,
) -> StockEntry:
    """A manager counted the kits of a batch at a site and found another number than the
    ledger's: a correction entry brings the balance to the count, with why (H-118). The
    balance is read under its lock, so a supply at the same moment is counted first."""
    ensure_can(actor, STOCK)
    batch = _check_batch(batch, actor.provider_id, "stock")
    site = _check_site(site, actor.provider_id, "stock")
    if counted is None or counted < 0:
        raise ValidationError({"counted": "Enter the number of kits counted, 0 or more"})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say why the count differs (for example, found damaged)"})
    balance = _locked_balance(site=site, batch=batch)
    if counted == balance.balance:
        raise ValidationError(
            {"counted": f"The ledger already shows {counted} kits: there is nothing to correct"}
        )
    return _move(
        actor=actor,
        site=site,
        batch=batch,
        kind=Kind.CORRECTION,
        change=counted - balance.balance,
        on=_today(),
        note=f"Stock count {counted}: {note}"[:300],
        field="counted",
        origin=origin,
    )


# Supplies and offers -----------------------------------------------------------------------


def _check_stock_holder(actor: User, site: Site, *, at_pharmacy: bool) -> None:
    """A pharmacy's kits are its own stock: its pharmacists supply from them and from no
    other site's, and the service's staff do not supply from them (H-171)."""
    pharmacy = pharmacy_selectors.pharmacy_of_site(site=site)
    if at_pharmacy and (pharmacy is None or pharmacy.pk != actor.partner_organisation_id):
        raise ValidationError({"batch": "Supply a kit from your pharmacy's own stock"})
    if not at_pharmacy and pharmacy is not None:
        raise ValidationError(
            {"batch": f"These kits are {pharmacy}'s stock: supply from your service's own"}
        )


def _check_trainer(trained_by: User | None, provider_id: int) -> User:
    if (
        not isinstance(trained_by, User)
        or trained_by.provider_id != provider_id
        or not user_can(trained_by, "naloxone.train")
    ):
        raise ValidationError({"trained_by": "Choose who gave the training"})
    return trained_by


def _check_topics(topics: Sequence[str]) -> list[str]:
    chosen = [t for t in TrainingTopic.values if t in set(topics)]
    missing = [TrainingTopic(t).label.lower() for t in REQUIRED_TOPICS if t not in chosen]
    if len(chosen) != len(set(topics)):
        raise ValidationError({"training_topics": "Choose the topics from the list"})
    if missing:
        raise ValidationError(
            {"training_topics": "Train before supplying: cover at least " + ", ".join(missing)}
        )
    return chosen


@transaction.atomic
def supply_record(
    *,
    actor: User,
    batch: KitBatch | None,
    site: Site | None,
    recipient: str,
    on: datetime.date | None,
    trained_by: User | None,
    training_topics: Sequence[str],
    client: Client | None = None,
    recipient_name: str = "",
    moment: str = Moment.CONTACT,
    origin: AuditOrigin | None = None,
) -> NaloxoneSupply:
    """A kit supplied, after training, to the client or to someone for them; the stock
    moves in the same transaction. A supply to the client records their offer as supplied
    and, when their last kit was reported used, lost or confiscated, is its re-supply. A
    pharmacist supplies at their pharmacy, from its stock, to a client dispensing there or
    to someone linked to no client (H-171); a peer volunteer on outreach, to someone linked
    to no client (H-200). The checks other apps register (`hooks.supply_checks`) may
    refuse it."""
    at_pharmacy = is_pharmacy_supplier(actor)
    if at_pharmacy:
        ensure_can(actor, PHARMACY_SUPPLY, client)
    elif client is not None or not user_can(actor, SUPPLY_ON_OUTREACH):
        ensure_can(actor, SUPPLY, client)
    if recipient not in Recipient.values:
        raise ValidationError({"recipient": "Choose who the kit was given to"})
    if recipient == Recipient.CLIENT and client is None:
        raise ValidationError({"client_number": "Give the client the kit was supplied to"})
    if client is not None and client.provider_id != actor.provider_id:
        raise ValidationError({"client_number": "No such client in your service"})
    if batch is None or batch.provider_id != actor.provider_id:
        raise ValidationError({"batch": "Choose the batch the kit came from"})
    site = _check_site(site, actor.provider_id)
    _check_stock_holder(actor, site, at_pharmacy=at_pharmacy)
    on = _check_day(on)
    if batch.expires_on < on:
        raise ValidationError(
            {
                "batch": f"Batch {batch.batch_number} expired on {batch.expires_on:%d/%m/%Y}: "
                "write it off and supply an in-date kit"
            }
        )
    if batch.expires_on < supply_shelf_from(on):
        raise ValidationError(
            {
                "batch": f"Batch {batch.batch_number} expires on {batch.expires_on:%d/%m/%Y}: "
                f"supply a kit with at least {expiring_days()} days before it expires"
            }
        )
    trained_by = _check_trainer(trained_by, actor.provider_id)
    topics = _check_topics(training_topics)
    for check in hooks.supply_checks:
        check(actor=actor, on=on)
    replaces = None
    if client is not None and recipient in COVERS_CLIENT:
        replaces = (
            KitReport.objects.filter(
                supply__client=client,
                supply__recipient__in=COVERS_CLIENT,
                replaced_by__isnull=True,
                on__lte=on,
            )
            .order_by("-on", "-id")
            .first()
        )
    entry = _move(
        actor=actor,
        site=site,
        batch=batch,
        kind=Kind.SUPPLIED,
        change=-1,
        on=on,
        field="batch",
        origin=origin,
    )
    return _supply_save(
        actor=actor,
        client=client,
        recipient=recipient,
        recipient_name=recipient_name,
        on=on,
        moment=moment,
        origin=origin,
        detail=f"naloxone supplied to {Recipient(recipient).label.lower()}"
        + (" (re-supply)" if replaces else ""),
        batch=batch,
        site=site,
        supplied_by=actor,
        trained_by=trained_by,
        training_topics=topics,
        by_volunteer=is_volunteer(actor),
        stock_entry=entry,
        replaces=replaces,
    )


@transaction.atomic
def supply_history_record(
    *,
    actor: User,
    client: Client | None,
    recipient: str,
    kit_type: str,
    batch_number: str,
    expires_on: datetime.date | None,
    site: Site | None,
    on: datetime.date | None,
    supplied_by: User | None,
    trained_by: User | None,
    training_topics: Sequence[str],
    recipient_name: str = "",
    origin: AuditOrigin | None = None,
) -> tuple[NaloxoneSupply, str]:
    """A kit supplied before the service used Beacon, brought by a history import (a
    manager's act). It is recorded as history, `imported_as_history`, with no ledger entry:
    the kit left the old system's stock, not today's, so today's balances do not move
    (H-276). The facts are checked as for a supply today (who it went to, the client of
    this service, the site, a batch and expiry that agree with the batch already known, not
    supplied after its expiry, not in the future, staff of this service who may train);
    the rules only a person supplying now can keep (every training topic recorded, the
    shelf life left at supply: H-101, H-106) are asked, and what they would refuse is
    returned as the reason it is history. A supply to the client records their offer as
    supplied, as a supply today does."""
    ensure_can(actor, STOCK)
    if recipient not in Recipient.values:
        raise ValidationError({"recipient": "Choose who the kit was given to"})
    if recipient == Recipient.CLIENT and client is None:
        raise ValidationError({"client": "Give the client the kit was supplied to"})
    if client is not None and client.provider_id != actor.provider_id:
        raise ValidationError({"client": "No such client in your service"})
    site = _check_site(site, actor.provider_id)
    on = _check_day(on, "supplied_on")
    if kit_type not in KitType.values:
        raise ValidationError({"kit_type": "Choose the kit type"})
    batch_number = (batch_number or "").strip()
    if not batch_number:
        raise ValidationError({"batch_number": "Give the batch number of the kit"})
    if expires_on is None:
        raise ValidationError({"expires_on": "Give the expiry date of the kit"})
    if expires_on < on:
        raise ValidationError(
            {
                "expires_on": f"The kit expired on {expires_on:%d/%m/%Y}, before it was "
                f"supplied on {on:%d/%m/%Y}: check the dates"
            }
        )
    if supplied_by is None or supplied_by.provider_id != actor.provider_id:
        raise ValidationError({"supplied_by": "Choose who supplied the kit"})
    trained_by = _check_trainer(trained_by, actor.provider_id)
    chosen = [t for t in TrainingTopic.values if t in set(training_topics)]
    if len(chosen) != len(set(training_topics)):
        raise ValidationError({"training_topics": "Choose the topics from the list"})
    batch = _batch_find_or_record(
        actor=actor,
        kit_type=kit_type,
        batch_number=batch_number,
        expires_on=expires_on,
        origin=origin,
        detail="naloxone batch (history import: no stock)",
        expiry_field="expires_on",
        check="check the date",
    )
    departures = []
    missing = [TrainingTopic(t).label.lower() for t in REQUIRED_TOPICS if t not in chosen]
    if missing:
        departures.append("training recorded without " + ", ".join(missing))
    if expires_on < supply_shelf_from(on):
        departures.append(f"supplied with less than {expiring_days()} days before it expired")
    supply = _supply_save(
        actor=actor,
        client=client,
        recipient=recipient,
        recipient_name=recipient_name,
        on=on,
        moment=Moment.CONTACT,
        origin=origin,
        detail=f"naloxone supplied to {Recipient(recipient).label.lower()} "
        "(history import: no stock movement)",
        batch=batch,
        site=site,
        supplied_by=supplied_by,
        trained_by=trained_by,
        training_topics=chosen,
        imported_as_history=True,
    )
    return supply, "; ".join(departures)


def _supply_save(
    *,
    actor: User,
    client: Client | None,
    recipient: str,
    recipient_name: str,
    on: datetime.date,
    moment: str,
    origin: AuditOrigin | None,
    detail: str,
    **fields: object,
) -> NaloxoneSupply:
    """Save a supply (audited as `detail`); one to the client records their offer as
    supplied, at `moment`."""
    supply = record_save(
        NaloxoneSupply(
            provider_id=actor.provider_id,
            client=client,
            recipient=recipient,
            recipient_name=(recipient_name or "").strip()[:200],
            supplied_on=on,
            **fields,
        ),
        actor=actor,
        origin=origin,
        client=client,
        detail=detail,
    )
    if client is not None and recipient == Recipient.CLIENT:
        _offer_save(
            actor=actor,
            client=client,
            on=on,
            outcome=OfferOutcome.SUPPLIED,
            moment=moment,
            supply=supply,
            origin=origin,
        )
    return supply


def _offer_save(
    *, actor: User, client: Client, origin: AuditOrigin | None, **fields: object
) -> NaloxoneOffer:
    """Save an offer and close the client's open offers due. An offer made while one is
    due is made at that moment of risk (the oldest open one), not merely at a contact."""
    dues = list(
        OfferDue.objects.select_for_update()
        .filter(client=client, done_by_offer__isnull=True, raised_on__lte=fields["on"])
        .order_by("raised_on", "id")
    )
    if dues and fields.get("moment", Moment.CONTACT) == Moment.CONTACT:
        fields["moment"] = dues[0].moment
    offer = record_save(
        NaloxoneOffer(provider_id=client.provider_id, client=client, recorded_by=actor, **fields),
        actor=actor,
        origin=origin,
        detail=f"naloxone offer: {OfferOutcome(str(fields['outcome'])).label.lower()}",
    )
    for due in dues:
        due.done_by_offer = offer
        due.save(update_fields=["done_by_offer"])
    return offer


@transaction.atomic
def offer_record(
    *,
    actor: User,
    client: Client,
    on: datetime.date | None,
    outcome: str,
    decline_reason: str = "",
    moment: str = Moment.CONTACT,
    supply: dict | None = None,
    in_person: bool | None = None,
    seen_kit_expires_on: datetime.date | None = None,
    origin: AuditOrigin | None = None,
) -> NaloxoneOffer:
    """The opt-out offer's outcome: supplied (with `supply`, the kit and training), declined
    with a reason, or holds an in-date kit, which only a contact `in_person` can see, with
    the expiry printed on it when read (`seen_kit_expires_on`: H-113)."""
    ensure_can(actor, SUPPLY, client)
    on = _check_day(on, "date")
    if outcome not in OfferOutcome.values:
        raise ValidationError({"outcome": "Choose the naloxone outcome"})
    _check_seen(outcome, on, in_person=in_person, expires_on=seen_kit_expires_on)
    if moment not in Moment.values:
        raise ValidationError({"moment": "Choose when the offer was made"})
    if outcome == OfferOutcome.DECLINED:
        if decline_reason not in DeclineReason.values:
            raise ValidationError({"decline_reason": "Choose why they declined"})
    elif decline_reason:
        raise ValidationError({"decline_reason": "A reason is given only when they decline"})
    if outcome == OfferOutcome.SUPPLIED:
        if supply is not None:
            made = supply_record(
                actor=actor,
                client=client,
                recipient=Recipient.CLIENT,
                on=on,
                moment=moment,
                origin=origin,
                **supply,
            )
            return made.offer
        # Every supply to the client records its own offer: an offer "supplied" without
        # the supply has nothing to point to.
        raise ValidationError(
            {
                "outcome": "Record the supply itself (kit, batch and training): a supply "
                "to the client records the offer as supplied"
            }
        )
    return _offer_save(
        actor=actor,
        client=client,
        on=on,
        outcome=outcome,
        decline_reason=decline_reason,
        seen_kit_expires_on=seen_kit_expires_on,
        moment=moment,
        origin=origin,
    )


def _check_seen(
    outcome: str, on: datetime.date, *, in_person: bool | None, expires_on: datetime.date | None
) -> None:
    """ "Holds an in-date kit (seen)": the kit was seen, so in person, never on a phone or
    video call; its expiry, when read, is not already past (H-113)."""
    if outcome != OfferOutcome.HOLDS_KIT:
        if expires_on is not None:
            raise ValidationError(
                {"seen_kit_expiry": "An expiry date is given only for a kit seen"}
            )
        return
    if in_person is not True:
        raise ValidationError(
            {
                "outcome": "A kit can only be seen in person: on a phone or video call, "
                "offer a kit or ask to see it at the next face-to-face contact"
            }
        )
    if expires_on is not None and expires_on < on:
        raise ValidationError(
            {
                "seen_kit_expiry": f"That kit expired on {expires_on:%d/%m/%Y}: it is not "
                "in date. Offer a new kit"
            }
        )


@transaction.atomic
def supply_reverse(
    *, actor: User, supply: NaloxoneSupply, reason: str, origin: AuditOrigin | None = None
) -> SupplyReversal:
    """A supply recorded in error (the wrong client, a kit never handed over): never
    deleted. A correction entry puts the kit back into the stock it came from, naming the
    supply's own entry; the supply is marked with the reason and counts nowhere after (no
    cover, no figure); a report it replaced is open again (H-117)."""
    ensure_can(actor, SUPPLY, supply.client)
    supply = (
        NaloxoneSupply.objects.select_for_update(of=("self",))
        .select_related("client", "batch", "site", "stock_entry")
        .get(pk=supply.pk, provider_id=actor.provider_id)
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the supply was recorded in error"})
    if SupplyReversal.objects.filter(supply=supply).exists():
        raise ValidationError({"reason": "This supply is already marked as recorded in error"})
    if KitReport.objects.filter(supply=supply).exists():
        raise ValidationError(
            {
                "reason": "What became of this kit is recorded (used, lost, confiscated or "
                "expired), so it was handed over: it cannot be marked as recorded in error"
            }
        )
    # A supply brought by a history import took no kit from today's stock: none goes back.
    entry = (
        None
        if supply.stock_entry is None
        else _move(
            actor=actor,
            site=supply.site,
            batch=supply.batch,
            kind=Kind.CORRECTION,
            change=1,
            on=_today(),
            corrects=supply.stock_entry,
            note=f"Supply recorded in error: {reason}"[:300],
            field="reason",
            origin=origin,
        )
    )
    if supply.replaces_id:
        supply.replaces = None
        record_save(
            supply,
            actor=actor,
            action=Action.UPDATE,
            origin=origin,
            detail="naloxone supply recorded in error: no longer a re-supply",
        )
    return record_save(
        SupplyReversal(
            provider_id=supply.provider_id,
            supply=supply,
            reason=reason[:300],
            entry=entry,
            recorded_by=actor,
        ),
        actor=actor,
        origin=origin,
        client=supply.client,
        detail=f"naloxone supply {supply.pk} recorded in error: {reason[:200]}",
    )


# What became of a kit -------------------------------------------------------------------


@transaction.atomic
def report_record(
    *,
    actor: User,
    supply: NaloxoneSupply,
    kind: str,
    on: datetime.date | None,
    used_on: str = "",
    outcome: str = "",
    ambulance_called: bool | None = None,
    origin: AuditOrigin | None = None,
) -> KitReport:
    """A kit used (on whom, the outcome, whether an ambulance was called), lost,
    confiscated or expired. It prompts a re-supply: the client's keyworker (with none, the
    team's or the service's managers: H-114) is alerted and the client is on the gaps list
    until one is recorded (H-109)."""
    ensure_can(actor, SUPPLY, supply.client)
    supply = (
        NaloxoneSupply.objects.select_for_update(of=("self",))
        .select_related("client", "batch")
        .get(pk=supply.pk)
    )
    if KitReport.objects.filter(supply=supply).exists():
        raise ValidationError({"kind": "What became of this kit is already recorded"})
    if SupplyReversal.objects.filter(supply=supply).exists():
        raise ValidationError({"kind": "This supply was recorded in error: no kit to report"})
    if kind not in ReportKind.values:
        raise ValidationError({"kind": "Choose what happened to the kit"})
    on = _check_day(on, "date")
    if on < supply.supplied_on:
        raise ValidationError(
            {
                "date": f"The kit was supplied on {supply.supplied_on:%d/%m/%Y}: enter that "
                "day or later"
            }
        )
    if kind == ReportKind.USED:
        if used_on not in UsedOn.values:
            raise ValidationError({"used_on": "Say who it was used on"})
        if outcome not in UseOutcome.values:
            raise ValidationError({"outcome": "Say what happened to the person"})
    elif used_on or outcome:
        raise ValidationError({"kind": "Who it was used on and the outcome go with a use"})
    if kind == ReportKind.EXPIRED:
        _check_expired(supply.batch, on, "kind")
    report = record_save(
        KitReport(
            provider_id=supply.provider_id,
            supply=supply,
            kind=kind,
            on=on,
            used_on=used_on if kind == ReportKind.USED else "",
            outcome=outcome if kind == ReportKind.USED else "",
            ambulance_called=ambulance_called if kind == ReportKind.USED else None,
            recorded_by=actor,
        ),
        actor=actor,
        origin=origin,
        client=supply.client,
        detail=f"naloxone kit {ReportKind(kind).label.lower()}",
    )
    client = supply.client
    if client is not None:
        alert_raise(
            provider=client.provider,
            recipients=selectors.report_alert_recipients(client),
            kind=Alert.Kind.NALOXONE,
            title="Naloxone to re-supply",
            message=f"A naloxone kit was reported {ReportKind(kind).label.lower()}: "
            "offer a new kit.",
            client=client,
            link=reverse("naloxone:client", args=[client.client_number]),
        )
    return report


# Moments of highest risk (registered on the lower apps' hooks) -----------------------------


@transaction.atomic
def offer_due_raise(
    *, client: Client, moment: str, on: datetime.date | None = None
) -> OfferDue | None:
    """A moment of highest risk for an opiate client: offer naloxone. Raised once per
    moment while open; nothing for a client whose assessments name no opiate (H-110)."""
    on = on or _today()
    if not selectors.has_opiate_episode(client):
        return None
    if OfferDue.objects.filter(client=client, moment=moment, done_by_offer__isnull=True).exists():
        return None
    # A work item, not an alert: it shows on the caseload, the client's record and the
    # gaps list until an offer is recorded (the keyworker sees it where they work).
    return OfferDue.objects.create(
        provider_id=client.provider_id, client=client, moment=moment, raised_on=on
    )


# The offer asked at a contact (called by the contacts app's services) ----------------------

# A naloxone service error's field → the field contacts' forms show it next to.
CONTACT_FIELDS = {
    "outcome": "naloxone_outcome",
    "decline_reason": "naloxone_decline_reason",
    "batch": "naloxone_stock",
    "site": "naloxone_stock",
    "training_topics": "naloxone_topics",
    "trained_by": "naloxone_trained_by",
    "date": "naloxone_outcome",
    "seen_kit_expiry": "naloxone_seen_expiry",
}


@transaction.atomic
def contact_offer_record(
    *,
    actor: User,
    client: Client,
    on: datetime.date,
    offer: dict,
    in_person: bool,
    origin: AuditOrigin | None = None,
) -> NaloxoneOffer:
    """The naloxone outcome given with a contact (`offer`: outcome, decline_reason and, for
    a supply, the kit and training), in the contact's transaction; refusals name the
    contact form's naloxone fields, so the contact is not saved without it either. A kit
    is seen only at a contact face to face (`in_person`: contacts says which, H-113)."""
    try:
        return offer_record(
            actor=actor,
            client=client,
            on=on,
            moment=Moment.CONTACT,
            in_person=in_person,
            origin=origin,
            **offer,
        )
    except ValidationError as exc:
        raise ValidationError(
            {
                CONTACT_FIELDS.get(field, "naloxone_outcome"): messages
                for field, messages in exc.message_dict.items()
            }
        ) from exc


def naloxone_viewed(
    *, actor: User, what: str, client: Client | None = None, origin: AuditOrigin | None = None
) -> None:
    """A read of a client's naloxone record, or of a list naming clients, audited."""
    audit_record(
        actor=actor, action=Action.VIEW, obj=client, client=client, detail=what, origin=origin
    )
