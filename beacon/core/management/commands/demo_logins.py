"""Print the demo sign-ins that `make run` shows: every account `seed_demo` makes."""

from django.core.management.base import BaseCommand

from beacon.core.demo import DEMO_PASSWORD, demo_sign_ins


class Command(BaseCommand):
    help = "Print the demo users and password."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port the server listens on.")

    def handle(self, *args, port: int, **options):
        self.stdout.write("")
        self.stdout.write(f"Beacon demo: sign in at http://127.0.0.1:{port}/ with")
        for username, who in demo_sign_ins():
            self.stdout.write(f"  {username:<19} ({who})")
        self.stdout.write(f"Password for all of them: {DEMO_PASSWORD}")
        self.stdout.write(
            "Two-factor: the code page shows the demo user's current code while DEBUG is on."
        )
        self.stdout.write("")
