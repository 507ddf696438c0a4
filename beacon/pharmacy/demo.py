"""Demo data of partner pharmacies: Harbour Pharmacy's profile and a few clients whose
methadone it dispenses from today, supervised or taken home, so
the demo pharmacist has a day's list. Synthetic only."""

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from beacon.core.models import PartnerOrganisation, User
from beacon.core.roles import Role
from beacon.pharmacy.models import PharmacyProfile
from beacon.pharmacy.services import pharmacy_site_open

PHARMACY_NAME = "Harbour Pharmacy"  # made by core's demo organisations


def seed_pharmacy(rng: random.Random, org: dict, *, stdout) -> str:
    from beacon.clients.models import Client
    from beacon.prescribing import services as prescribing
    from beacon.prescribing.models import Prescription

    provider = org["provider"]
    pharmacy = PartnerOrganisation.objects.get(provider=provider, name=PHARMACY_NAME)
    PharmacyProfile.objects.get_or_create(
        pharmacy=pharmacy,
        defaults={
            "provider": provider,
            "address": "4 Harbour Street, Leeds",
            "postcode": "LS1 4AQ",
            "opening_hours": "Monday to Saturday 8am to 7pm; Sunday 10am to 4pm",
        },
    )
    pharmacy_site_open(actor=None, pharmacy=pharmacy)
    if not pharmacy.phone:
        pharmacy.phone = "0113 496 0123"
        pharmacy.save(update_fields=["phone"])
    today = timezone.localdate()
    if pharmacy.ost_prescriptions.filter(end_date__gte=today).exists():
        return f"{PHARMACY_NAME}: already has prescriptions"
    prescriber = User.objects.filter(provider=provider, role=Role.PRESCRIBER).first()
    taken = set(
        Prescription.objects.filter(provider=provider)
        .current(on=today)
        .values_list("client_id", flat=True)
    )
    candidates = [
        client
        for client in Client.objects.filter(provider=provider).order_by("client_number")
        if client.pk not in taken
    ]
    made = 0
    for client in candidates:
        if made == 3:
            break
        try:
            prescribing.prescription_create(
                actor=prescriber,
                client=client,
                data={
                    "medicine": "methadone-1mg-ml-oral-solution-sf",
                    "dose": Decimal(30 + 10 * made),
                    "start_date": today,
                    "end_date": today + datetime.timedelta(days=12),
                    "pattern": Prescription.Pattern.DAILY,
                    "supervised_days": "012345" if made != 2 else "",
                    "pharmacy": pharmacy,
                    "reason": "Demo prescription at the partner pharmacy, dose agreed",
                    "uses_alcohol_or_sedatives": False,
                },
            )
        except ValidationError:  # a demo client the safety rules refuse is skipped
            continue
        made += 1
    stdout.write(f"  {PHARMACY_NAME}: {made} clients with instalments due today\n")
    return f"{PHARMACY_NAME}: {made} clients dispensing, instalments due today"
