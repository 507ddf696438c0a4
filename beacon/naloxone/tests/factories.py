"""Test data for naloxone (synthetic only), made through the services as in use:

client = opiate_client(team, keyworker)          # in treatment for heroin use since 90 days ago
entry = receive(manager, site, quantity=5)        # five Prenoxad kits of batch PX1 at the site
supply = supply_to(keyworker, client, batch, site) # a kit to the client, trained in every topic
write_off_kits(manager, batch, site, quantity=5)  # five kits written off as damaged, today
"""

import datetime

from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.naloxone import services
from beacon.naloxone.models import KitType, Recipient, StockEntry, TrainingTopic
from beacon.treatment.codes import Substance
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

ALL_TOPICS = list(TrainingTopic.values)


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def opiate_client(team, keyworker, *, started: int = 90, substance=Substance.HEROIN, **fields):
    client = ClientFactory(provider=team.provider, team=team, keyworker=keyworker, **fields)
    TreatmentEpisodeFactory(
        client=client, start_date=day(-started), assessed__primary_substance=substance
    )
    return client


def receive(
    manager,
    site,
    *,
    quantity: int = 5,
    batch: str = "PX1",
    expires: int = 400,
    kit_type=KitType.PRENOXAD,
    on: int = -100,
):
    return services.stock_receive(
        actor=manager,
        site=site,
        kit_type=kit_type,
        batch_number=batch,
        expires_on=day(expires),
        quantity=quantity,
        on=day(on),
        pack_contents=["gloves", "face_shield", "instruction_card"],
    )


def write_off_kits(
    manager, batch, site, *, quantity: int, reason: str = "written_off_damaged", on: int = 0
) -> StockEntry:
    """`quantity` kits of the batch written off at the site, `on` days from today."""
    return services.stock_write_off(
        actor=manager,
        batch=batch,
        site=site,
        quantity=quantity,
        reason=reason,
        on=day(on),
    )


def supply_to(actor, client, batch, site, *, on: int = 0, recipient=Recipient.CLIENT, **extra):
    return services.supply_record(
        actor=actor,
        client=client,
        batch=batch,
        site=site,
        recipient=recipient,
        on=day(on),
        trained_by=actor,
        training_topics=ALL_TOPICS,
        **extra,
    )
