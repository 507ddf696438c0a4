"""Load Beacon's synthetic demo data: organisations, users, clients, journeys. Idempotent."""

import random

from django.core.management.base import BaseCommand

from beacon.clients.demo import seed_clients
from beacon.core.demo import seed_organisations
from beacon.core.models import Provider
from beacon.delivery.demo import seed_delivery
from beacon.prescribing.demo import seed_prescriptions
from beacon.treatment.demo import seed_journeys


class Command(BaseCommand):
    help = "Load synthetic demo data (safe to run again: existing demo data is kept)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any provider exists."
        )
        parser.add_argument(
            "--clients", type=int, default=200, help="How many demo clients (default 200)."
        )

    def handle(self, *args, if_empty: bool, clients: int, **options):
        if if_empty and Provider.objects.exists():
            self.stdout.write("Database already has data: demo data not loaded.")
            return
        rng = random.Random(20261123)  # noqa: S311 (demo data, not security): the same demo every time
        self.stdout.write("Loading demo organisations and users…")
        org = seed_organisations(rng)
        self.stdout.write(f"Loading {clients} demo clients…")
        created = seed_clients(rng, org, count=clients, stdout=self.stdout)
        self.stdout.write("Loading treatment journeys…")
        journeys = seed_journeys(rng, org, stdout=self.stdout)
        self.stdout.write("Loading opioid substitution prescriptions…")
        prescriptions = seed_prescriptions(rng, org, stdout=self.stdout)
        self.stdout.write("Loading home delivery: vehicles, shifts, addresses, stock, rounds…")
        delivery = seed_delivery(rng, org, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({created} new clients, {len(journeys)} new journeys, "
                f"{prescriptions} new prescriptions, {delivery['delivery_details']} new "
                f"home-delivery clients, {delivery['days_planned']} delivery days planned)."
            )
        )
