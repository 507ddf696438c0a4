"""Load Beacon's synthetic demo data: organisations and users, then each app's part. Idempotent."""

import random

from django.core.management.base import BaseCommand

from beacon.core.demo import seed_organisations
from beacon.core.models import Provider
from beacon.core.registry import demo_seeds


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
        summaries = []
        # Each app registers its part in AppConfig.ready(); apps others build on go first.
        for part in sorted(demo_seeds, key=lambda part: part.order):
            self.stdout.write(f"Loading {part.label}…")
            summaries.append(part.seed(rng, org, clients=clients, stdout=self.stdout))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({', '.join(summaries)})."))
