"""`manage.py plan_rounds`: a day file in, a plan file out, and bad input named field by field."""

import copy
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

QUICK = ["--seconds", "1", "--iterations", "300"]


def valid_day() -> dict:
    return {
        "depot": {"lat": 52.95, "lon": -1.15},
        "drivers": [
            {"id": "D1", "shift_start": "09:00", "shift_end": "13:00"},
            {"id": "D2", "shift_start": "10:00", "shift_end": "14:00"},
        ],
        "stops": [
            {
                "id": f"S{n}",
                "lat": 52.95 + 0.01 * n,
                "lon": -1.15 + 0.015 * (n % 3),
                "window_start": f"{9 + n:02d}:00",
                "window_end": f"{11 + n:02d}:00",
                "service_minutes": 5,
            }
            for n in range(4)
        ],
        "travel": {"speed_kmh": 25, "road_factor": 1.3},
    }


def matrix_day() -> dict:
    day = valid_day()
    del day["depot"], day["travel"]
    for stop in day["stops"]:
        del stop["lat"], stop["lon"]
    day["duration_matrix_seconds"] = [[0 if i == j else 600 for j in range(5)] for i in range(5)]
    return day


def run(tmp_path, day, *options) -> dict:
    day_file = tmp_path / "day.json"
    day_file.write_text(day if isinstance(day, str) else json.dumps(day))
    plan_file = tmp_path / "plan.json"
    call_command(
        "plan_rounds",
        "--input",
        str(day_file),
        "--output",
        str(plan_file),
        *options,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return json.loads(plan_file.read_text())


@pytest.mark.parametrize("make_day", [valid_day, matrix_day], ids=["coordinates", "matrix"])
def test_plan_file_lists_every_stop_once_with_arrivals_in_its_window(tmp_path, make_day):
    day = make_day()

    plan = run(tmp_path, day, *QUICK)

    assert set(plan) == {"routes", "unassigned", "total_travel_seconds"}
    assert plan["unassigned"] == []
    windows = {s["id"]: (s["window_start"], s["window_end"]) for s in day["stops"]}
    visited = []
    for route in plan["routes"]:
        assert route["driver"] in {"D1", "D2"}
        for visit in route["stops"]:
            assert re.fullmatch(r"\d\d:\d\d:\d\d", visit["arrival"])
            opens, closes = windows[visit["id"]]
            assert f"{opens}:00" <= visit["arrival"] <= f"{closes}:00"
            visited.append(visit["id"])
    assert sorted(visited) == ["S0", "S1", "S2", "S3"]
    assert plan["total_travel_seconds"] == sum(r["travel_seconds"] for r in plan["routes"])


def test_unservable_stop_is_listed_with_its_reason(tmp_path):
    day = valid_day()
    day["stops"][0].update(window_start="06:00", window_end="07:00")

    plan = run(tmp_path, day, *QUICK)

    assert plan["unassigned"] == [
        {"id": "S0", "reason": "window 06:00–07:00 is outside every driver's shift"}
    ]


def test_without_output_the_plan_goes_to_stdout_and_progress_to_stderr(tmp_path):
    day_file = tmp_path / "day.json"
    day_file.write_text(json.dumps(valid_day()))
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("plan_rounds", "--input", str(day_file), *QUICK, stdout=stdout, stderr=stderr)

    assert len(json.loads(stdout.getvalue())["routes"]) >= 1
    assert "Searching for up to 1 s (seed 1)" in stderr.getvalue()


def with_change(change) -> dict:
    day = copy.deepcopy(valid_day())
    change(day)
    return day


def set_stop(index, **fields):
    return lambda day: day["stops"][index].update(fields)


MALFORMED = {
    "hour past midnight": (
        set_stop(3, window_end="25:00"),
        'stops[3].window_end: "25:00" is not a time HH:MM',
    ),
    "window ends before it starts": (
        set_stop(1, window_start="12:00", window_end="11:00"),
        "stops[1].window_end: 11:00 is before window_start 12:00",
    ),
    "duplicate stop ids": (set_stop(2, id="S0"), 'stops[2].id: "S0" is also the id of stops[0]'),
    "negative service minutes": (
        set_stop(0, service_minutes=-5),
        "stops[0].service_minutes: -5 is negative",
    ),
    "latitude out of range": (set_stop(2, lat=91.5), "stops[2].lat: 91.5 is not a latitude"),
    "longitude out of range": (
        lambda day: day["depot"].update(lon=-200),
        "depot.lon: -200 is not a longitude",
    ),
    "missing window": (
        lambda day: day["stops"][0].pop("window_start"),
        "stops[0].window_start: is missing",
    ),
    "misspelt field": (
        lambda day: day["stops"][1].update(servce_minutes=5),
        "stops[1].servce_minutes: is not one of",
    ),
    "shift ends before it starts": (
        lambda day: day["drivers"][1].update(shift_end="08:00"),
        "drivers[1].shift_end: 08:00 is not after shift_start 10:00",
    ),
    "no drivers": (lambda day: day.update(drivers=[]), "drivers: at least one driver is needed"),
    "zero speed": (
        lambda day: day["travel"].update(speed_kmh=0),
        "travel.speed_kmh: 0 is not a speed above 0",
    ),
    "matrix of the wrong size": (
        lambda day: day.update(duration_matrix_seconds=[[0, 1], [1, 0]]) or day.pop("travel"),
        "duration_matrix_seconds: has 2 rows; needs 5 (the depot, then 4 stops)",
    ),
    "matrix row of the wrong length": (
        lambda day: (
            day.update(duration_matrix_seconds=[[0] * 5] * 4 + [[0] * 4]) or day.pop("travel")
        ),
        "duration_matrix_seconds[4]: has 4 values; needs 5",
    ),
    "matrix and travel speed both given": (
        lambda day: day.update(duration_matrix_seconds=[[0] * 5] * 5),
        "travel: give either travel (with coordinates) or duration_matrix_seconds, not both",
    ),
    "stop without a place or a matrix": (
        lambda day: day["stops"][3].pop("lat") and day["stops"][3].pop("lon"),
        "stops[3]: needs lat and lon unless duration_matrix_seconds is given",
    ),
}


@pytest.mark.parametrize("change, message", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_day_is_refused_naming_the_field(tmp_path, change, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run(tmp_path, with_change(change))

    assert not (tmp_path / "plan.json").exists()


def test_file_that_is_not_json_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not valid JSON"):
        run(tmp_path, '{"stops": [')


def test_missing_input_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--input: cannot read"):
        call_command("plan_rounds", "--input", str(tmp_path / "nowhere.json"))
