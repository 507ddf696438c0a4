"""Small old-system exports for the imports tests: files written from rows, and one client
in treatment with a methadone prescription of the old days."""

import csv
import datetime
from pathlib import Path

from django.utils import timezone

from beacon.imports.formats import FILES_BY_NAME
from bench.old_system import nhs_number


def write_files(folder: Path, files: dict[str, list[dict]]) -> Path:
    """Write each file's rows under its columns (docs/import.md), the rest empty."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        columns = FILES_BY_NAME[name].column_names
        extra = sorted({k for row in rows for k in row} - set(columns))
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=[*columns, *extra])
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
    return folder


def ago(days: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def one_client_files(*, nhs: str | None = None, prescription_days: int = 28, **client) -> dict:
    """A client referred, triaged, assessed and in treatment since two years ago, with one
    methadone prescription of `prescription_days` long ended years ago."""
    import random

    return {
        "teams": [{"team_id": "T1", "name": "Imported team"}],
        "staff": [
            {"staff_id": "P1", "username": "old.prescriber", "role": "prescriber"},
        ],
        "pharmacies": [{"pharmacy_id": "PH1", "name": "Old Pharmacy", "ods_code": "FX999"}],
        "clients": [
            {
                "client_id": "C1",
                "nhs_number": nhs or nhs_number(random.Random(7)),
                "first_name": "Robin",
                "last_name": "Madeupson",
                "date_of_birth": "1980-02-03",
                "sex": "M",
                "ethnicity": "WB",
                "postcode": "LS6 2AB",
                "team_id": "T1",
                **client,
            }
        ],
        "referrals": [
            {
                "referral_id": "R1",
                "client_id": "C1",
                "referral_date": ago(730),
                "source": "self",
                "triage_date": ago(725),
                "triage_outcome": "accepted",
                "assessment_date": ago(720),
                "primary_substance": "heroin",
                "injecting_status": "never",
                "housing_need": "no_problem",
                "employment_status": "unemployed",
                "parental_status": "not_a_parent",
            }
        ],
        "episodes": [
            {"episode_id": "E1", "client_id": "C1", "referral_id": "R1", "start_date": ago(715)}
        ],
        "prescriptions": [
            {
                "prescription_id": "RX1",
                "client_id": "C1",
                "episode_id": "E1",
                "medicine": "methadone-1mg-ml-oral-solution",
                "dose": "30",
                "start_date": ago(700),
                "end_date": ago(701 - prescription_days),
                "pattern": "daily",
                "supervised_days": "0123456",
                "pharmacy_id": "PH1",
                "prescriber_id": "P1",
                "uses_alcohol_or_sedatives": "no",
            }
        ],
    }


def top_row(top_id: str, *, stage: str, completed_on: str, episode_id: str = "E1") -> dict:
    """A TOP of client C1 with every answer given: no use, no problems, middling ratings."""
    from beacon.treatment.models.tops import DAY_FIELDS, FLAG_FIELDS, RATING_FIELDS

    return {
        "top_id": top_id,
        "client_id": "C1",
        "episode_id": episode_id,
        "stage": stage,
        "completed_on": completed_on,
        **dict.fromkeys(DAY_FIELDS, 0),
        **dict.fromkeys(RATING_FIELDS, 12),
        **dict.fromkeys(FLAG_FIELDS, "no"),
    }
