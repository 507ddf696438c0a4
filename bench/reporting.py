"""Benchmark of reporting at scale: the KPI dashboard, the NDTMS export, and the caseload
and client pages, on synthetic services of several sizes (`manage.py synth`).

Run by `make bench` (after the routing benchmark): on SQLite (var/bench.sqlite3), and on
PostgreSQL too when DATABASE_URL points at one. Prints one table; asserts nothing.
  1. The KPI dashboard for a year (`beacon.reporting.kpis.kpis_for_period`) beside one full
     scan of the tables it reads, and their ratio; target <= 1 s on PostgreSQL, <= 3x the scan.
  2. The NDTMS return of the whole caseload (the last month's, every journey live in it)
     as `manage.py ndtms_export` in its own process: time and peak memory (max RSS) at each
     size; targets <= 20 s, memory at the largest within 1.2x of that at 10,000.
  3. The caseload page (a keyworker's) and a client page: queries at each size (the same
     client, made alike at every size), and p95 latency against gunicorn on loopback
     (started and stopped here) at the largest size: of one user alone (what a request
     costs), and of --users concurrent users each asking again as soon as answered
     (target <= 100 ms).
Each target is printed with whether it was met.
The synthetic services are kept between runs (one provider per size); `--fresh` remakes
the SQLite file.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SQLITE = f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
END = datetime.date(2026, 11, 30)
SECRET_KEY = "bench-only-not-a-secret"
REQUEST_TIMEOUT = 60  # seconds a page may take under the bench's load before it counts as lost
# The tables the dashboard reads, for the full-scan baseline.
SCANNED = (
    "treatment_referral",
    "treatment_triage",
    "treatment_assessment",
    "treatment_treatmentepisode",
    "treatment_modality",
    "prescribing_prescription",
    "prescribing_instalment",
    "naloxone_naloxonesupply",
    "naloxone_kitreport",
    "harmreduction_nsptransaction",
    "harmreduction_nspitemgiven",
    "voice_response",
    "voice_answer",
    "contacts_appointment",
)


def code_for(size: int) -> str:
    """A provider code per size, letters only: BN + the size's leading digits + its tens."""
    digits = str(size).rstrip("0") or "0"
    zeros = len(str(size)) - len(digits)
    return ("BN" + "".join("ABCDEFGHIJ"[int(d)] for d in digits) + "ABCDEFGHIJ"[zeros])[:6]


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    # The key gunicorn signs with too, so the sessions made here are valid there.
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_service(size: int, seed: int) -> None:
    from django.core.management import call_command

    from beacon.core.models import Provider

    code = code_for(size)
    found = Provider.objects.filter(code=code).first()
    if found is not None and found.last_client_number == size:
        return
    if found is not None:
        raise SystemExit(f"bench: provider {code} is half made; run with --fresh")
    print(f"  making {size} synthetic clients ({code})…", file=sys.stderr, flush=True)
    started = time.perf_counter()
    call_command("synth", clients=size, years=3, seed=seed, code=code, end=END)
    print(f"  made in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)


def settle() -> None:
    """On PostgreSQL, `VACUUM (ANALYZE)` before anything is timed, as autovacuum would have
    done in a running service: after a bulk load the tables have no visibility map, so no
    index-only scan, and the dashboard took twice as long (ADR 0009). Quick once done."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def kpi_figures(size: int) -> dict:
    from django.db import connection

    from beacon.core.models import Provider

    try:
        from beacon.reporting.kpis import kpis_for_period  # the KPI helper's module
    except ImportError as error:
        return {"kpi": f"skipped: beacon.reporting.kpis.kpis_for_period not importable ({error})"}
    provider = Provider.objects.get(code=code_for(size))
    start = END - datetime.timedelta(days=364)
    seconds, _ = timed(lambda: kpis_for_period(provider=provider, start=start, end=END))

    def scan() -> None:
        with connection.cursor() as cursor:
            for table in SCANNED:
                # Every row read: the condition uses no index.
                cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE id IS NOT NULL")  # noqa: S608

    scan_seconds, _ = timed(scan)
    return {"kpi_s": seconds, "scan_s": scan_seconds, "ratio": seconds / scan_seconds}


def export_figures(size: int, database: str) -> dict:
    """The month's return in its own process: wall time and its peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "return.csv"
        command = [
            PY,
            str(ROOT / "manage.py"),
            "ndtms_export",
            "--month",
            f"{END:%Y-%m}",
            "--provider",
            code_for(size),
            "--out",
            str(out),
            "--no-progress",
            # Synthetic records have no NDTMS consent, an error that refuses the file for
            # submission: a draft is the same rows (plus its mark), streamed the same way.
            "--draft",
        ]
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            command, env={**os.environ, "DATABASE_URL": database}, stdout=subprocess.DEVNULL
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if status != 0:
            return {"export": f"failed (status {status})"}
        rows = sum(1 for _ in out.open()) - 2  # the draft's mark and the header
    return {"export_s": seconds, "export_mb": usage.ru_maxrss / 1024, "export_rows": rows}


def page_subjects(size: int):
    """A keyworker of the service and client number 1, made alike at every size."""
    from beacon.clients.models import Client
    from beacon.core.models import User
    from beacon.core.roles import Role

    code = code_for(size)
    client = Client.objects.get(client_number=f"{code}0000001")
    keyworker = User.objects.filter(provider__code=code, role=Role.KEYWORKER).order_by("pk")[0]
    return keyworker, client


def signed_in_session(user) -> str:
    """A session key for `user`, as after password and two-factor (bench only)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key or ""


def query_counts(size: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client as HttpClient
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    keyworker, client = page_subjects(size)
    http = HttpClient()
    http.cookies["sessionid"] = signed_in_session(keyworker)
    counts = {}
    for name, url in (
        ("caseload", "/treatment/caseload/"),
        ("client", f"/clients/{client.client_number}/"),
    ):
        http.get(url)  # warm: the first request loads templates
        with CaptureQueriesContext(connection) as queries:
            status = http.get(url).status_code
        counts[f"{name}_queries"] = len(queries) if status == 200 else f"status {status}"
    return counts


def latency(size: int, database: str, users: int, requests: int) -> dict:
    """p95 of each page with `users` at once against gunicorn on loopback."""
    keyworker, client = page_subjects(size)
    session = signed_in_session(keyworker)
    port = 18000 + os.getpid() % 1000
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
    }
    # SQLite takes one writer at a time, and a request that reads then writes (its audit
    # entry) in a deferred transaction fails with "database is locked" when another
    # holds the lock: one process, one thread there (the users queue). PostgreSQL: two
    # workers (the cores) of four threads.
    sqlite = database.startswith("sqlite")
    workers, threads = ("1", "1") if sqlite else ("2", "4")
    # As in production (scripts/serve): the static files collected, DEBUG off.
    subprocess.run(  # noqa: S603 (our own command line)
        [PY, str(ROOT / "manage.py"), "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        [
            PY,
            "-m",
            "gunicorn",
            "beacon.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--threads",
            threads,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/sign-in/", timeout=1)  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.2)
        figures = {}
        for name, path in (
            ("caseload", "/treatment/caseload/"),
            ("client", f"/clients/{client.client_number}/"),
        ):

            def one(_n: int, path=path) -> float:
                """Seconds to the whole page; a request not answered in time counts as
                infinitely slow (it is in the p95, and counted), not as a crash of the bench."""
                request = urllib.request.Request(  # noqa: S310 (loopback)
                    base + path, headers={"Cookie": f"sessionid={session}"}
                )
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
                        response.read()
                        if response.status != 200 or not response.geturl().endswith(path):
                            raise RuntimeError(f"{path}: {response.status} at {response.geturl()}")
                except TimeoutError:
                    return float("inf")
                return time.perf_counter() - started

            one(0)
            # One user alone first (what one request costs, with nothing queued before it),
            # then `users` at once, each asking again as soon as answered.
            for at_once, suffix in ((1, "_1u"), (users, "")):
                with ThreadPoolExecutor(max_workers=at_once) as pool:
                    times = sorted(pool.map(one, range(at_once * requests)))
                p95 = times[max(int(len(times) * 0.95) - 1, 0)]
                figures[f"{name}_p95{suffix}_ms"] = (
                    p95 * 1000 if p95 != float("inf") else "timed out"
                )
                timed_out = sum(1 for t in times if t == float("inf"))
                if timed_out:
                    figures.setdefault("latency", []).append(
                        f"{name}, {at_once} users: {timed_out} of {len(times)} requests not "
                        f"answered in {REQUEST_TIMEOUT} s"
                    )
                figures[f"{name}_median{suffix}_ms"] = times[len(times) // 2] * 1000
        return figures
    finally:
        server.terminate()
        server.wait(timeout=30)


def worker(args) -> None:
    setup_django(args.database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    results = []
    for size in args.sizes:
        ensure_service(size, args.seed)
        settle()
        row = {
            "size": size,
            **kpi_figures(size),
            **export_figures(size, args.database),
            **query_counts(size),
        }
        if size == max(args.sizes):
            try:
                row.update(latency(size, args.database, args.users, args.requests))
            except Exception as error:  # the other figures are still printed
                row["latency"] = f"latency not measured: {error!r}"
        results.append(row)
    print(json.dumps(results))


def table(label: str, results: list[dict], users: int) -> None:
    print(f"\n{label}")
    columns = (
        "size",
        "kpi_s",
        "scan_s",
        "ratio",
        "export_s",
        "export_mb",
        "export_rows",
        "caseload_queries",
        "client_queries",
        "caseload_p95_1u_ms",
        "client_p95_1u_ms",
        "caseload_p95_ms",
        "client_p95_ms",
        "caseload_median_ms",
        "client_median_ms",
    )
    print(" | ".join(f"{c:>16}" for c in columns))
    for row in results:
        cells = []
        for column in columns:
            value = row.get(column, "")
            cells.append(f"{value:>16.3f}" if isinstance(value, float) else f"{value!s:>16}")
        print(" | ".join(cells))
        for note in ("kpi", "export", "latency"):
            if note in row:
                print(f"  {row['size']}: {row[note]}")
    if len(results) > 1:
        small, large = results[0], results[-1]
        same = all(small.get(k) == large.get(k) for k in ("caseload_queries", "client_queries"))
        sizes = f"{small['size']} and {large['size']}"
        print(f"  query counts the same at {sizes}: {'yes' if same else 'NO'}")
        sized = {r["size"]: r for r in results}
        if large["size"] > 10000 and "export_mb" in sized.get(10000, {}) and "export_mb" in large:
            growth = large["export_mb"] / sized[10000]["export_mb"]
            met = "met" if growth <= 1.2 else "NOT met"
            print(
                f"  export memory {large['size']} vs 10000: {growth:.2f}x (target <= 1.2x: {met})"
            )
    for target in targets(label, results[-1], users):
        print(f"  {target}")


def targets(label: str, row: dict, users: int) -> list[str]:
    """Each target of the largest size, met or not, as a line."""
    found = []

    def verdict(name: str, value, limit: float, unit: str) -> None:
        if isinstance(value, float):
            met = "met" if value <= limit else "NOT met"
            shown = f"{value:,.0f}" if unit == "ms" else f"{value:.2f}"
            found.append(f"{name}: {shown} {unit} (target <= {limit:g} {unit}: {met})")
        elif isinstance(value, str):  # "timed out": lost requests are in the p95
            found.append(f"{name}: {value} (target <= {limit:g} {unit}: NOT met)")

    if label == "PostgreSQL":
        verdict("KPIs for a year", row.get("kpi_s"), 1, "s")
    verdict("KPIs against one scan", row.get("ratio"), 3, "x")
    verdict("NDTMS export", row.get("export_s"), 20, "s")
    verdict(f"p95 caseload page, {users} users", row.get("caseload_p95_ms"), 100, "ms")
    verdict(f"p95 client page, {users} users", row.get("client_p95_ms"), 100, "ms")
    return [f"at {row['size']} clients, {line}" for line in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="100,10000,100000", help="Client counts (default 100,10000,100000)."
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=20, help="Concurrent users (default 20).")
    parser.add_argument(
        "--requests", type=int, default=10, help="Requests per user and page (default 10)."
    )
    parser.add_argument("--fresh", action="store_true", help="Remake the SQLite benchmark file.")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", default=SQLITE, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.sizes = sorted(int(size) for size in str(args.sizes).split(","))
    if args.worker:
        worker(args)
        return
    databases = [("SQLite", SQLITE)]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        databases.append(("PostgreSQL", os.environ["DATABASE_URL"]))
    if args.fresh:
        (ROOT / "var" / "bench.sqlite3").unlink(missing_ok=True)
    (ROOT / "var").mkdir(exist_ok=True)
    print(f"Reporting at scale: sizes {args.sizes}, {args.users} users, {os.cpu_count()} cores")
    for label, database in databases:
        command = [
            PY,
            __file__,
            "--worker",
            "--database",
            database,
            "--seed",
            str(args.seed),
            "--sizes",
            ",".join(map(str, args.sizes)),
            "--users",
            str(args.users),
            "--requests",
            str(args.requests),
        ]
        done = subprocess.run(  # noqa: S603 (our own command line)
            command, stdout=subprocess.PIPE, text=True, check=False
        )
        if done.returncode != 0:
            print(f"\n{label}: the benchmark failed (status {done.returncode})")
            continue
        table(label, json.loads(done.stdout.strip().splitlines()[-1]), args.users)


if __name__ == "__main__":
    main()
