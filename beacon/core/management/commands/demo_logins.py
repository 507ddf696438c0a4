"""Print the demo sign-ins that `make run` shows."""

from django.core.management.base import BaseCommand

from beacon.core.demo import DEMO_PASSWORD, DEMO_USERS, EXTRA_DRIVERS
from beacon.core.roles import Role


class Command(BaseCommand):
    help = "Print the demo users and password."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port the server listens on.")

    def handle(self, *args, port: int, **options):
        self.stdout.write("")
        self.stdout.write(f"Beacon demo: sign in at http://127.0.0.1:{port}/ with")
        for username, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:<13} ({role.label})")
            if role == Role.DRIVER:
                for extra, *_ in EXTRA_DRIVERS:
                    self.stdout.write(f"  {extra:<13} ({role.label})")
        self.stdout.write("  admin         (set-up superuser; /admin/)")
        self.stdout.write(f"Password for all of them: {DEMO_PASSWORD}")
        self.stdout.write(
            "Two-factor: the code page shows the demo user's current code while DEBUG is on."
        )
        self.stdout.write("")
