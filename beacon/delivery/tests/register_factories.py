"""Helpers for register tests: record movements through the services, as a manager would."""

from decimal import Decimal

from django.utils import timezone

from beacon.delivery import services

METHADONE = "methadone-1mg-ml-oral-solution-sf"


def record(actor, kind: str, quantity, *, medicine: str = METHADONE, at=None, **fields):
    data = {"kind": kind, "quantity": Decimal(quantity), "occurred_at": at or timezone.now()}
    if kind == "received":
        data.setdefault("supplier", "Demo Wholesale Pharma")
    if kind == "destroyed":
        data.setdefault("witness", "Ada Witness")
    data.update(fields)
    return services.register_movement_record(
        actor=actor, provider=actor.provider, medicine=medicine, data=data
    )


def deliver(actor, quantity, *, driver, client, **fields):
    fields.setdefault("recipient", "client")
    fields.setdefault("identity_requested", True)
    fields.setdefault("identity_provided", True)
    return record(actor, "delivered", quantity, driver=driver, client=client, **fields)
