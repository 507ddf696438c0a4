"""`plan_rounds --input day.json [--output plan.json]`: plan a day's delivery rounds from a file.

The formats are described in beacon/delivery/routing/day_json.py. Progress goes to stdout
when the plan goes to a file, and to stderr when the plan itself goes to stdout.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beacon.delivery.routing import DeliveryInputError, plan_day, plan_to_json, problem_from_json


class Command(BaseCommand):
    help = "Plan delivery rounds (drivers, order, arrival times) for a day described in JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--input", dest="input_path", required=True, type=Path, help="The day, as JSON."
        )
        parser.add_argument(
            "--output",
            dest="output_path",
            type=Path,
            help="Where to write the plan as JSON (default: stdout).",
        )
        parser.add_argument(
            "--seconds", type=float, default=10.0, help="Time to search for (default 10)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the search (default 1).")
        parser.add_argument(
            "--iterations",
            type=int,
            help="Stop after this many search iterations too, for the same plan on any machine.",
        )

    def handle(
        self,
        *args,
        input_path: Path,
        output_path: Path | None,
        seconds: float,
        seed: int,
        iterations: int | None,
        **options,
    ) -> None:
        if seconds <= 0:
            raise CommandError(f"--seconds: {seconds:g} is not above 0")
        if iterations is not None and iterations <= 0:
            raise CommandError(f"--iterations: {iterations} is not above 0")
        try:
            text = input_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"--input: cannot read {input_path}: {error}") from error
        try:
            day = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"--input: {input_path} is not valid JSON: {error}") from error
        try:
            problem = problem_from_json(day)
        except DeliveryInputError as error:
            raise CommandError(f"{input_path}: {error}") from error

        log = self.stdout if output_path else self.stderr
        log.style_func = None  # progress, not errors: no red
        log.write(
            f"Read {len(problem.stops)} stops and {len(problem.drivers)} drivers from {input_path}"
        )
        plan = plan_day(
            problem, seconds=seconds, seed=seed, iterations=iterations, progress=log.write
        )
        plan_json = json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False)
        if output_path is None:
            self.stdout.write(plan_json)
            return
        try:
            output_path.write_text(plan_json + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"--output: cannot write {output_path}: {error}") from error
        log.write(f"Plan written to {output_path}")
