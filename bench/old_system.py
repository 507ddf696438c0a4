"""A synthetic "old system" export in Beacon's history import files (docs/import.md): a few
hundred made-up clients with three years of referrals, episodes, TOPs and prescriptions,
and, when asked, realistic faults planted in it. Only synthetic people.

    python -m bench.old_system --dir exported/ --clients 300 [--faults]

Run from the repository root (it reads the files' columns from beacon/imports/formats.py).
`history_only` ends every journey a month ago (a demo that leaves nothing running);
`staff_usernames` names staff ids as existing users. `write_old_system` returns the
planted faults (file, row, column), so a test can check that the dry-run report names
each one exactly.
"""

import argparse
import csv
import datetime
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FIRST_NAMES = [
    "Alex",
    "Sam",
    "Jo",
    "Chris",
    "Robin",
    "Kim",
    "Lee",
    "Pat",
    "Ali",
    "Jamie",
    "Morgan",
    "Casey",
    "Drew",
    "Taylor",
    "Jordan",
    "Riley",
    "Avery",
    "Quinn",
]
LAST_NAMES = [
    "Testwood",
    "Sampleton",
    "Fakeley",
    "Mockford",
    "Dummer",
    "Placeby",
    "Synthe",
    "Madeup",
    "Exampleton",
    "Notreal",
    "Pretendo",
    "Inventry",
    "Fictio",
    "Demoss",
]
SOURCES = ["self", "gp", "probation", "hospital", "family", "mental_health"]
SOURCE_NDTMS = {"self": "4", "gp": "3", "probation": "8"}
ETHNICITIES = ["WB", "WI", "WO", "MC", "AI", "AP", "BC", "BA", "OO", "NS"]
DAYS_OF_SUBSTANCE = {
    "heroin": "opiate_days",
    "alcohol": "alcohol_days",
    "cocaine": "cocaine_days",
    "cannabis": "cannabis_days",
}
METHADONE = "methadone-1mg-ml-oral-solution-sf"

# Columns beyond the import's own that this old system fills: NDTMS codes in place of
# Beacon's for some rows (the import reads them back through the one mapping).
NDTMS_COLUMNS = {"clients": ["ethnicity_ndtms"], "referrals": ["source_ndtms"]}


def _columns() -> dict[str, list[str]]:
    from beacon.imports.formats import FILES

    return {f.name: [*f.column_names, *NDTMS_COLUMNS.get(f.name, [])] for f in FILES}


@dataclass(frozen=True)
class PlantedFault:
    file: str
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    what: str


def nhs_number(rng: random.Random) -> str:
    """A valid NHS number in the 999 range the NHS keeps for test data."""
    while True:
        digits = [9, 9, 9] + [rng.randrange(10) for _ in range(6)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _bad_check_digit(number: str) -> str:
    return number[:9] + str((int(number[9]) + 1) % 10)


class _Writer:
    def __init__(self, folder: Path) -> None:
        self.files = {}
        self.writers = {}
        self.rows = {}
        for name, columns in _columns().items():
            handle = (folder / f"{name}.csv").open("w", newline="", encoding="utf-8")
            self.files[name] = handle
            self.writers[name] = csv.DictWriter(handle, fieldnames=columns)
            self.writers[name].writeheader()
            self.rows[name] = 1

    def write(self, name: str, row: dict) -> int:
        self.writers[name].writerow({k: _text(v) for k, v in row.items()})
        self.rows[name] += 1
        return self.rows[name]

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _top(rng, *, top_id, client_id, episode_id, stage, on, using: str | None) -> dict:
    from beacon.treatment.models.tops import AMOUNT_FOR_DAYS, DAY_FIELDS, FLAG_FIELDS, RATING_FIELDS

    row = {
        "top_id": top_id,
        "client_id": client_id,
        "episode_id": episode_id,
        "stage": stage,
        "completed_on": on,
    }
    for name in DAY_FIELDS:
        row[name] = 0
    for name in RATING_FIELDS:
        row[name] = rng.randint(8, 16)
    for name in FLAG_FIELDS:
        row[name] = False
    if using:
        row[using] = rng.randint(4, 20)
        amount = AMOUNT_FOR_DAYS[using]
        if amount == "alcohol_units":
            row[amount] = rng.randint(6, 20)
        else:
            row[amount] = "0.5"
            row[f"{amount}_unit"] = "grams"
    return row


def _episode_tops(
    out: _Writer,
    rng: random.Random,
    next_id: Callable[[str], str],
    *,
    client_id: str,
    episode_id: str,
    started: datetime.date,
    ends: datetime.date | None,
    using: str,
    today: datetime.date,
) -> None:
    """The episode's TOPs, each through `_top`: at the start (`using` names the days field
    of the client's substance), at six months when that is due, and at exit once it ends."""
    review = started + datetime.timedelta(days=182)
    # The exit TOP is two days before the episode ends: a review is due only if six
    # months come before it (an episode of 182 to 184 days has none), never after.
    exit_on = ends - datetime.timedelta(days=2) if ends else None
    stages = [("start", started + datetime.timedelta(days=3), using)]
    if review < (exit_on or today):
        stages.append(("review", review, None))
    if ends:
        stages.append(("exit", exit_on, None))
    for stage, on, stage_using in stages:
        out.write(
            "tops",
            _top(
                rng,
                top_id=next_id("top"),
                client_id=client_id,
                episode_id=episode_id,
                stage=stage,
                on=on,
                using=stage_using,
            ),
        )


def write_old_system(
    folder: str | Path,
    *,
    clients: int = 300,
    seed: int = 1,
    faults: bool = False,
    today: datetime.date | None = None,
    staff_prefix: str = "old",
    staff_usernames: dict[str, str] | None = None,
    history_only: bool = False,
) -> list[PlantedFault]:
    """Write the files into `folder`; the faults planted (none unless `faults`)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    today = today or datetime.date.today()
    rng = random.Random(seed)  # noqa: S311 (a repeatable made-up history, not a secret)
    out = _Writer(folder)
    planted: list[PlantedFault] = []
    out.write("sites", {"site_id": "S1", "name": "Old Road Hub", "postcode": "LS1 4AP"})
    for team in ("North", "South"):
        out.write("teams", {"team_id": f"T-{team}", "name": f"{team} team", "site_id": "S1"})
    staff = [
        ("K1", "kw.one", "keyworker"),
        ("K2", "kw.two", "keyworker"),
        ("K3", "kw.three", "keyworker"),
        ("P1", "dr.one", "prescriber"),
        ("P2", "nmp.two", "prescriber"),
    ]
    for staff_id, username, role in staff:
        out.write(
            "staff",
            {
                "staff_id": staff_id,
                "username": (staff_usernames or {}).get(staff_id) or f"{staff_prefix}.{username}",
                "first_name": username.split(".")[0].title(),
                "last_name": f"Staff{staff_id}",
                "role": role,
                "team_id": "T-North",
            },
        )
    for number in (1, 2):
        out.write(
            "pharmacies",
            {
                "pharmacy_id": f"PH{number}",
                "name": f"Sample Pharmacy {number}",
                "ods_code": f"FX{number:03d}",
            },
        )
    fault_at = (
        {
            "nhs": clients // 5,
            "discharge": clients // 3,
            "code": clients // 2,
            "duplicate": (2 * clients) // 3,
            "naloxone": (3 * clients) // 4,
            "nsp": (4 * clients) // 5,
        }
        if faults
        else {}
    )
    counter = {
        "referral": 0,
        "episode": 0,
        "intervention": 0,
        "top": 0,
        "prescription": 0,
        "dose_change": 0,
        "recovery_plan": 0,
        "plan_goal": 0,
        "plan_action": 0,
        "plan_review": 0,
        "naloxone_supply": 0,
        "nsp_transaction": 0,
    }

    def next_id(kind: str) -> str:
        counter[kind] += 1
        short = {
            "plan_goal": "GOAL",
            "plan_action": "ACT",
            "plan_review": "REV",
            "naloxone_supply": "NAL",
            "nsp_transaction": "NSP",
        }.get(kind, kind[:3].upper())
        return f"{short}{counter[kind]:07d}"

    for index in range(1, clients + 1):
        client_id = f"OLD{index:06d}"
        born = today - datetime.timedelta(days=rng.randint(22 * 365, 60 * 365))
        first, last = rng.choice(FIRST_NAMES), f"{rng.choice(LAST_NAMES)}{index}"
        number = nhs_number(rng)
        if index == fault_at.get("nhs"):
            number = _bad_check_digit(number)
        ethnicity = rng.choice(ETHNICITIES)
        client_row = {
            "client_id": client_id,
            "nhs_number": number,
            "first_name": first,
            "last_name": last,
            "date_of_birth": born,
            "sex": rng.choice("MF"),
            "address_line_1": f"{index} Sample Street",
            "town": "Leeds",
            "postcode": "LS6 2AB",
            "team_id": rng.choice(["T-North", "T-South"]),
            "keyworker_id": rng.choice(["K1", "K2", "K3"]),
        }
        keyworker_id = client_row["keyworker_id"]
        if history_only:  # discharged long ago: no keyworker now (their episodes keep one)
            client_row["keyworker_id"] = ""
        if ethnicity == "WB" and index % 2:
            client_row["ethnicity_ndtms"] = "A"  # some rows give the NDTMS code instead
        else:
            client_row["ethnicity"] = ethnicity
        row = out.write("clients", client_row)
        if index == fault_at.get("nhs"):
            planted.append(PlantedFault("clients", row, "nhs_number", "bad NHS number"))
        if index == fault_at.get("duplicate"):
            # The same person again under another id, as an old system holds them.
            twin = dict(client_row, client_id=f"DUP{index:06d}", nhs_number="")
            row = out.write("clients", twin)
            planted.append(
                PlantedFault("clients", row, "confirm_not_duplicate", "duplicate person")
            )
        substance = rng.choice(["heroin", "heroin", "alcohol", "cocaine", "cannabis"])
        opiate = substance == "heroin"
        referred = today - datetime.timedelta(days=rng.randint(400, 3 * 365))
        journeys = 1 if rng.random() < 0.6 else 2
        if history_only:
            journeys = 1
        for journey in range(journeys):
            last_journey = journey == journeys - 1
            referral_id = next_id("referral")
            triaged = referred + datetime.timedelta(days=rng.randint(1, 7))
            assessed = triaged + datetime.timedelta(days=rng.randint(1, 7))
            started = assessed + datetime.timedelta(days=rng.randint(1, 5))
            source = rng.choice(SOURCES)
            referral_row = {
                "referral_id": referral_id,
                "client_id": client_id,
                "referral_date": referred,
                "triage_date": triaged,
                "triage_outcome": "accepted",
                "assessment_date": assessed,
                "primary_substance": substance,
                "primary_age_first_use": rng.randint(14, 30),
                "primary_route": "smoke" if opiate else "oral",
                "injecting_status": "never",
                "housing_need": "no_problem",
                "employment_status": "unemployed",
                "parental_status": "not_a_parent",
            }
            if substance == "alcohol":
                referral_row["alcohol_units_typical_day"] = rng.randint(8, 30)
                referral_row["drinking_days"] = rng.randint(10, 28)
                referral_row["primary_route"] = "oral"
            if source in SOURCE_NDTMS and rng.random() < 0.3:
                referral_row["source_ndtms"] = SOURCE_NDTMS[source]
            else:
                referral_row["source"] = source
            code_fault = index == fault_at.get("code") and journey == 0
            if code_fault:
                referral_row["source"], referral_row["source_ndtms"] = "walk_in", ""
            row = out.write("referrals", referral_row)
            if code_fault:
                planted.append(PlantedFault("referrals", row, "source", "unknown code"))
            episode_id = next_id("episode")
            length = rng.randint(120, 360)
            ends = started + datetime.timedelta(days=length)
            open_now = (last_journey and journeys == 2) or ends >= today - datetime.timedelta(30)
            if history_only:  # every journey over a month ago: nothing still running
                open_now, ends = False, min(ends, today - datetime.timedelta(days=30))
            if open_now:
                ends = None
            agreed = started + datetime.timedelta(days=rng.randint(0, 10))
            out.write(
                "episodes",
                {
                    "episode_id": episode_id,
                    "client_id": client_id,
                    "referral_id": referral_id,
                    "start_date": started,
                    "keyworker_id": keyworker_id,
                },
            )
            _plans(
                out,
                rng,
                next_id,
                client_id=client_id,
                episode_id=episode_id,
                agreed=agreed,
                until=min(ends or today, today),
            )
            out.write(
                "interventions",
                {
                    "intervention_id": next_id("intervention"),
                    "client_id": client_id,
                    "episode_id": episode_id,
                    "modality_type": "psychosocial",
                    "referred_date": started,
                    "start_date": started,
                },
            )
            if opiate:
                out.write(
                    "interventions",
                    {
                        "intervention_id": next_id("intervention"),
                        "client_id": client_id,
                        "episode_id": episode_id,
                        "modality_type": "pharmacological",
                        "ost_medicine": "methadone",
                        "referred_date": started,
                        "start_date": started + datetime.timedelta(days=1),
                    },
                )
            _episode_tops(
                out,
                rng,
                next_id,
                client_id=client_id,
                episode_id=episode_id,
                started=started,
                ends=ends,
                using=DAYS_OF_SUBSTANCE[substance],
                today=today,
            )
            if opiate:
                _prescriptions(
                    out,
                    rng,
                    next_id,
                    client_id=client_id,
                    episode_id=episode_id,
                    first=started + datetime.timedelta(days=1),
                    ends=ends,
                    today=today,
                )
                if journey == 0:
                    fault = index >= fault_at.get("naloxone", clients + 1) and not planted_kinds(
                        planted, "naloxone_supplies"
                    )
                    row = _naloxone(
                        out,
                        next_id,
                        index=index,
                        client_id=client_id,
                        on=started + datetime.timedelta(days=2),
                        keyworker_id=keyworker_id,
                        today=today,
                        fault=fault,
                    )
                    if fault:
                        planted.append(
                            PlantedFault(
                                "naloxone_supplies", row, "supplied_on", "supply in the future"
                            )
                        )
            if journey == 0 and index % 3 == 1:
                _nsp(out, next_id, client_id=client_id, on=started + datetime.timedelta(days=5))
            if journey == 0 and index % 5 == 0:
                fault = index >= fault_at.get("nsp", clients + 1) and not planted_kinds(
                    planted, "nsp_transactions"
                )
                on = referred - datetime.timedelta(days=index % 60)
                initials = "John Smith" if fault else "JS"
                row = _nsp(out, next_id, client_id="", on=on, initials=initials)
                if fault:
                    planted.append(
                        PlantedFault("nsp_transactions", row, "initials", "a name as initials")
                    )
            if ends:
                reason = (
                    "dropped_out"
                    if opiate or rng.random() < 0.3
                    else (
                        "completed_alcohol_free"
                        if substance == "alcohol"
                        else "completed_drug_free"
                    )
                )
                discharged = ends
                fault = index == fault_at.get("discharge") and journey == 0
                if fault:
                    discharged = referred - datetime.timedelta(days=10)
                row = out.write(
                    "discharges",
                    {
                        "episode_id": episode_id,
                        "client_id": client_id,
                        "discharge_date": discharged,
                        "discharge_reason": reason,
                    },
                )
                if fault:
                    planted.append(
                        PlantedFault(
                            "discharges", row, "discharge_date", "discharge before referral"
                        )
                    )
                referred = ends + datetime.timedelta(days=rng.randint(30, 120))
                if referred >= today - datetime.timedelta(days=20):
                    break
            else:
                break
    out.close()
    return planted


ALL_TOPICS = "recognising;recovery_position;calling_999;giving;staying"


def planted_kinds(planted: list[PlantedFault], file: str) -> bool:
    return any(fault.file == file for fault in planted)


def _naloxone(out, next_id, *, index, client_id, on, keyworker_id, today, fault) -> int:
    """A Prenoxad kit supplied to the client at the start of treatment (every fourth with
    only three topics recorded: imported as history, flagged), and to a family member for
    every third; the batch of a year expires three Januaries on."""
    row = 0
    recipients = ["client", "family"] if index % 3 == 0 else ["client"]
    for recipient in recipients:
        supplied = today + datetime.timedelta(days=400) if fault else on
        row = out.write(
            "naloxone_supplies",
            {
                "naloxone_supply_id": next_id("naloxone_supply"),
                "client_id": client_id,
                "recipient": recipient,
                "kit_type": "prenoxad",
                "batch_number": f"PX{on.year}",
                "expires_on": datetime.date(on.year + 3, 1, 31),
                "site_id": "S1",
                "supplied_on": supplied,
                "supplied_by_id": keyworker_id,
                "training_topics": "recognising;calling_999;giving"
                if index % 4 == 0
                else ALL_TOPICS,
            },
        )
        fault = False
    return row if len(recipients) == 1 else row - 1


def _nsp(out, next_id, *, client_id, on, initials="") -> int:
    """One NSP visit: linked to the client (their attributor from the record), or not."""
    return out.write(
        "nsp_transactions",
        {
            "nsp_transaction_id": next_id("nsp_transaction"),
            "client_id": client_id,
            "site_id": "S1",
            "date": on,
            "initials": initials,
            "date_of_birth": datetime.date(1985, 5, 5) if initials else "",
            "sex": "M" if initials else "",
            "bins_out": 1,
            "bins_returned": 1 if client_id else 0,
            "needle_orange_25g_16mm": 10,
            "syringe_1ml": 10,
            "swab": 10,
        },
    )


GOALS = ["Stay well", "Get back to work", "See my children more", "Cut down", "Sleep better"]
ACTIONS = [
    ("Go to the Tuesday group", "client"),
    ("Book a GP appointment about sleep", "client"),
    ("Refer to the employment adviser", "keyworker"),
    ("Review the dose with the client", "prescriber"),
]


def _plans(out, rng, next_id, *, client_id, episode_id, agreed, until) -> None:
    """The episode's recovery plans: one agreed at the start with two goals (one achieved
    later, perhaps), an action or two and a review every 90 days; a second plan when the
    episode runs past 200 days."""
    day = datetime.timedelta(days=1)
    starts = [agreed]
    if agreed + 200 * day < until:
        starts.append(agreed + 200 * day)
    for index, start in enumerate(starts):
        plan_id = next_id("recovery_plan")
        ends = starts[index + 1] if index + 1 < len(starts) else until
        out.write(
            "recovery_plans",
            {
                "recovery_plan_id": plan_id,
                "client_id": client_id,
                "episode_id": episode_id,
                "agreed_on": start,
                "next_review_date": start + 90 * day,
                "written_with_client": True,
            },
        )
        goal_ids = []
        for goal in rng.sample(GOALS, 2):
            achieved = start + rng.randint(30, 150) * day
            goal_ids.append(next_id("plan_goal"))
            out.write(
                "plan_goals",
                {
                    "plan_goal_id": goal_ids[-1],
                    "client_id": client_id,
                    "recovery_plan_id": plan_id,
                    "text": goal,
                    "in_clients_words": rng.random() < 0.8,
                    "achieved_on": achieved if achieved < ends and rng.random() < 0.4 else "",
                },
            )
        for number, (text, owner) in enumerate(rng.sample(ACTIONS, rng.randint(1, 2))):
            due = start + rng.randint(7, 60) * day
            out.write(
                "plan_actions",
                {
                    "plan_action_id": next_id("plan_action"),
                    "client_id": client_id,
                    "recovery_plan_id": plan_id,
                    "plan_goal_id": goal_ids[number % 2] if number == 0 else "",
                    "text": text,
                    "owner": owner,
                    "due_date": due,
                    "done_on": due if due < ends and rng.random() < 0.5 else "",
                },
            )
        reviewed = start + 90 * day
        while reviewed < ends:
            out.write(
                "plan_reviews",
                {
                    "plan_review_id": next_id("plan_review"),
                    "client_id": client_id,
                    "recovery_plan_id": plan_id,
                    "reviewed_on": reviewed,
                    "next_review_date": reviewed + 90 * day,
                    "notes": "Reviewed with the client",
                },
            )
            reviewed += 90 * day


def _prescriptions(out, rng, next_id, *, client_id, episode_id, first, ends, today) -> None:
    """Methadone: first a 28-day prescription of the old days (today's 14-day rule refuses
    it: imported as history), then 14-day ones, the last running today if still open."""
    start = first
    length = 28
    dose = 30
    last = ends or today + datetime.timedelta(days=7)
    while start + datetime.timedelta(days=length - 1) < last:
        prescription_id = next_id("prescription")
        end = start + datetime.timedelta(days=length - 1)
        out.write(
            "prescriptions",
            {
                "prescription_id": prescription_id,
                "client_id": client_id,
                "episode_id": episode_id,
                "medicine": METHADONE,
                "dose": dose,
                "start_date": start,
                "end_date": end,
                "pattern": "daily",
                "supervised_days": "0123456",
                "pharmacy_id": rng.choice(["PH1", "PH2"]),
                "prescriber_id": rng.choice(["P1", "P2"]),
                "uses_alcohol_or_sedatives": False if start == first else "",
            },
        )
        if length == 28:
            out.write(
                "dose_changes",
                {
                    "dose_change_id": next_id("dose_change"),
                    "client_id": client_id,
                    "prescription_id": prescription_id,
                    "effective_date": start + datetime.timedelta(days=7),
                    "to_dose": 40,
                    "reason": "Titration",
                },
            )
            dose = 40
        start = end + datetime.timedelta(days=1)
        length = 14
        if start > today:
            break


def main(argv: list[str] | None = None) -> int:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
    django.setup()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--faults", action="store_true")
    args = parser.parse_args(argv)
    for fault in write_old_system(
        args.dir, clients=args.clients, seed=args.seed, faults=args.faults
    ):
        print(f"planted: {fault.file} row {fault.row} {fault.column}: {fault.what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
