"""Demo data for naloxone (synthetic people only): kit stock at each site, kits supplied to
some current opiate clients (one to a client's sister), declined offers, a kit used and
replaced, opiate clients left without a kit so the gaps list and coverage show them, and
the ledger's corrections (a supply recorded in error, a stock count)."""

import contextlib
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from beacon.clients.models import Client
from beacon.core.audit import AuditOrigin
from beacon.core.models import Site, User
from beacon.naloxone import selectors, services
from beacon.naloxone.models import (
    KitBatch,
    KitType,
    NaloxoneSupply,
    Recipient,
    StockEntry,
    TrainingTopic,
)
from beacon.pharmacy import selectors as pharmacy_selectors

TOPICS = list(TrainingTopic.values)


def _sites(provider) -> list[Site]:
    # The service's own sites: a partner pharmacy's kits are moved to it (`_seed_pharmacy`).
    sites = list(provider.sites.filter(pharmacy_profile__isnull=True))
    if not sites:
        sites = [
            Site.objects.create(
                provider=provider, name="Harbour Street", address="12 Harbour Street"
            )
        ]
    return sites


def _supply_trained(
    *,
    actor: User,
    batch: KitBatch,
    site: Site,
    recipient: str,
    on: datetime.date,
    origin: AuditOrigin,
    client: Client | None = None,
    recipient_name: str = "",
) -> NaloxoneSupply:
    """A kit supplied by `actor`, who trained the person in every topic first."""
    return services.supply_record(
        actor=actor,
        client=client,
        batch=batch,
        site=site,
        recipient=recipient,
        recipient_name=recipient_name,
        on=on,
        trained_by=actor,
        training_topics=TOPICS,
        origin=origin,
    )


def seed_naloxone(rng, org, *, stdout=None) -> str:
    """Idempotent: stock is received once (a provider with ledger entries is left alone)."""
    provider, users = org["provider"], org["users"]
    manager = users["manager"]
    if StockEntry.objects.filter(provider=provider).exists():
        return "naloxone already seeded"
    today, origin = timezone.localdate(), AuditOrigin()
    sites = _sites(provider)
    batches = []
    for n, site in enumerate(sites):
        for kit_type, number, months in (
            (KitType.PRENOXAD, f"PX{24 + n}A", 18),
            (KitType.NYXOID, f"NY{31 + n}B", 20),
        ):
            entry = services.stock_receive(
                actor=manager,
                site=site,
                kit_type=kit_type,
                batch_number=number,
                expires_on=today + datetime.timedelta(days=30 * months),
                quantity=20,
                on=today - datetime.timedelta(days=120),
                pack_contents=["gloves", "face_shield", "instruction_card"],
                origin=origin,
            )
            batches.append((entry.batch, site))
    # A batch close to expiry, so the "kits expiring" list has something to show.
    soon = services.stock_receive(
        actor=manager,
        site=sites[0],
        kit_type=KitType.PRENOXAD,
        batch_number="PX19Z",
        expires_on=today + datetime.timedelta(days=20),
        quantity=4,
        on=today - datetime.timedelta(days=200),
        origin=origin,
    )
    clients = list(
        selectors.current_opiate_clients(
            clients=provider.clients.filter(keyworker__isnull=False), on=today
        )
        .select_related("keyworker")
        .order_by("pk")
    )
    supplied = 0
    for index, client in enumerate(clients):
        worker = client.keyworker
        batch, site = batches[index % len(batches)]
        try:
            if index % 4 == 0:
                _supply_trained(
                    actor=worker,
                    client=client,
                    batch=batch,
                    site=site,
                    recipient=Recipient.CLIENT,
                    on=today - datetime.timedelta(days=40),
                    origin=origin,
                )
                supplied += 1
            elif index % 4 == 1:
                services.offer_record(
                    actor=worker,
                    client=client,
                    on=today - datetime.timedelta(days=12),
                    outcome="declined",
                    decline_reason=rng.choice(["smokes", "does_not_mix"]),
                    origin=origin,
                )
            elif index % 4 == 2 and index < 8:
                kit = _supply_trained(
                    actor=worker,
                    client=client,
                    batch=soon.batch,
                    site=sites[0],
                    recipient=Recipient.CLIENT,
                    on=today - datetime.timedelta(days=90),
                    origin=origin,
                )
                supplied += 1
                if index == 2:
                    services.report_record(
                        actor=worker,
                        supply=kit,
                        kind="used",
                        on=today - datetime.timedelta(days=9),
                        used_on="someone_else",
                        outcome="survived",
                        ambulance_called=True,
                        origin=origin,
                    )
                    _supply_trained(
                        actor=worker,
                        client=client,
                        batch=batch,
                        site=site,
                        recipient=Recipient.CLIENT,
                        on=today - datetime.timedelta(days=7),
                        origin=origin,
                    )
                    _supply_trained(
                        actor=worker,
                        client=client,
                        batch=batch,
                        site=site,
                        recipient=Recipient.FAMILY,
                        recipient_name="Sam (sister)",
                        on=today - datetime.timedelta(days=7),
                        origin=origin,
                    )
                    supplied += 2
            # Every fourth from the third on is left without a kit: never offered.
        except ValidationError:
            continue
    _corrections(manager, batches[0], today=today, origin=origin)
    if users.get("keyworker") is not None:
        _to_someone_else(users["keyworker"], batches[0], today=today, origin=origin)
    _seed_pharmacy(manager, users.get("pharmacist"), batches[0], today=today, origin=origin)
    count = NaloxoneSupply.objects.filter(provider=provider).count()
    return f"{count} naloxone kits supplied ({supplied} new), stock at {len(sites)} sites"


def _seed_pharmacy(
    manager, pharmacist, stock: tuple, *, today: datetime.date, origin: AuditOrigin
) -> None:
    """Six kits moved to the partner pharmacy, and its pharmacist's supplies from them: one
    to a client dispensing there, one to a friend of someone who uses (linked to no one)."""
    site = pharmacy_selectors.pharmacy_site(user=pharmacist) if pharmacist else None
    if site is None:
        return
    batch, from_site = stock
    services.stock_transfer(
        actor=manager,
        batch=batch,
        from_site=from_site,
        to_site=site,
        quantity=6,
        on=today - datetime.timedelta(days=3),
        origin=origin,
    )
    client = pharmacy_selectors.pharmacy_clients(user=pharmacist, today=today).first()
    for recipient, for_client in ((Recipient.CLIENT, client), (Recipient.FRIEND, None)):
        if recipient == Recipient.CLIENT and client is None:
            continue
        _supply_trained(
            actor=pharmacist,
            client=for_client,
            batch=batch,
            site=site,
            recipient=recipient,
            on=today,
            origin=origin,
        )


def _to_someone_else(keyworker, stock: tuple, *, today: datetime.date, origin: AuditOrigin):
    """A keyworker's kit to a friend linked to no client, trained first (its page is
    "Supply naloxone to someone who is not a client", from the gaps list; H-147)."""
    batch, site = stock
    with contextlib.suppress(ValidationError):
        _supply_trained(
            actor=keyworker,
            batch=batch,
            site=site,
            recipient=Recipient.FRIEND,
            recipient_name="Alex (a friend who came to the drop-in)",
            on=today - datetime.timedelta(days=2),
            origin=origin,
        )


def _corrections(manager, stock: tuple, *, today: datetime.date, origin: AuditOrigin) -> None:
    """A supply recorded twice and reversed, and a monthly count one kit short: the ledger's
    corrections as new entries (H-117, H-118)."""
    batch, site = stock
    twice = _supply_trained(
        actor=manager,
        batch=batch,
        site=site,
        recipient=Recipient.HOSTEL_STAFF,
        on=today - datetime.timedelta(days=3),
        origin=origin,
    )
    services.supply_reverse(
        actor=manager, supply=twice, reason="Recorded twice for the same kit", origin=origin
    )
    counted = selectors.stock_to_count(provider=manager.provider).get(site=site, batch=batch)
    services.stock_count_correct(
        actor=manager,
        site=site,
        batch=batch,
        counted=counted.balance - 1,
        note="1 found damaged at the monthly count",
        origin=origin,
    )
