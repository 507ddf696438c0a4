"""Time a history import on the database of DATABASE_URL (PostgreSQL for the bench target):
a synthetic old system of N clients with three years of history (bench/old_system.py),
checked and imported in one run as a new provider's manager; prints rows a second, the
time, the peak memory and the figure at 100,000 clients if it grows in line.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/beacon_bench \\
        python -m bench.import_history --clients 2000

The database must be migrated (`manage.py migrate`). Each run adds a new provider.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import uuid

TARGET_CLIENTS = 100_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--dry-run", action="store_true", help="Check only (rolled back)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
    import django

    django.setup()
    from beacon.core.models import Provider, User
    from beacon.imports.services import history_import_run
    from beacon.imports.sources import CsvFolder
    from bench.old_system import write_old_system

    code = uuid.uuid4().hex[:6].upper()
    provider = Provider.objects.create(name=f"Bench import {code}", code=code)
    manager = User.objects.create(
        username=f"bench-{code.lower()}", provider=provider, role="manager"
    )
    with tempfile.TemporaryDirectory() as folder:
        write_old_system(folder, clients=args.clients, seed=1, staff_prefix=code.lower())
        started = time.perf_counter()
        result = history_import_run(
            actor=manager, files=CsvFolder(folder), source="bench", dry_run=args.dry_run
        )
        took = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.clients} clients, {result.rows} rows in {took:.1f} s "
        f"({result.rows / took:.0f} rows/s); saved={result.saved}; "
        f"problems={len(result.problems)}; peak memory {peak_mb:.0f} MB"
    )
    in_line = took * TARGET_CLIENTS / args.clients / 60
    print(f"at {TARGET_CLIENTS:,} clients, in line: {in_line:.0f} min")
    return 0 if not result.problems else 1


if __name__ == "__main__":
    sys.exit(main())
