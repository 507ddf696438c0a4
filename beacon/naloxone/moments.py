"""The moments of highest overdose risk that lower apps tell naloxone about (starting OST,
supply suspended after missed doses, leaving treatment or prison, an exit plan): each
raises an offer due, shown on the caseload and the client's record (H-110)."""

import datetime

from beacon.clients.models import Client
from beacon.naloxone import services
from beacon.naloxone.models import Moment


def overdose_risk(*, client: Client, moment: str, on: datetime.date) -> None:
    if moment in Moment.values:
        services.offer_due_raise(client=client, moment=moment, on=on)


def register() -> None:
    from beacon.treatment import hooks as treatment_hooks

    treatment_hooks.overdose_risk_moments.register(overdose_risk)
