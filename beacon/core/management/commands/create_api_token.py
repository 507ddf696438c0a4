"""`create_api_token USERNAME [--name NAME]`: issue an API token from the command line.

The raw token is printed once, alone on the last line of stdout, so a script can
capture it with `| tail -n 1`; only its hash is stored. The issue is audited with
the command-line channel, as the token page audits its own.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from beacon.core.models import ApiToken
from beacon.core.services import api_token_issue

DEFAULT_NAME = "Issued from the command line"
NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


class Command(BaseCommand):
    help = "Issue an API token for a user and print it (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user the token acts as.")
        parser.add_argument(
            "--name", default=DEFAULT_NAME, help="What the token is for, e.g. 'pharmacy link'."
        )

    def handle(self, *args, username: str, name: str, **options) -> None:
        name = name.strip()
        if not name or len(name) > NAME_MAX_LENGTH:
            raise CommandError(f"--name must be 1 to {NAME_MAX_LENGTH} characters")
        user = (
            get_user_model()
            ._default_manager.select_related("provider")
            .filter(username=username)
            .first()
        )
        if user is None:
            raise CommandError(f"No user called {username!r}")
        # The one rule of the token pages: never the set-up superuser, an active account of
        # a provider. Issued on the server, the token works at once.
        try:
            token, raw = api_token_issue(user=user, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Token “{token.name}” for {username} ({user.provider.name}), "
            f"starting {token.prefix}. It is shown once; keep it secret:"
        )
        self.stdout.write(raw)
