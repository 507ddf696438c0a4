"""The CSV and XLSX of responses (H-181, H-190): one row per response and one column per
question; anonymous responses carry no identifier; managers download every response, a
keyworker only the identified responses of clients they may open."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.voice import services
from beacon.voice.tests.factories import (
    focus_group,
    interview,
    kiosk_for,
    link_for,
    scale_answers,
)

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_csv_has_a_row_per_response_and_a_column_per_question(web_as, survey, users):
    interview(users["keyworker"], survey, 9)
    services.response_interview(
        actor=users["keyworker"],
        survey=survey,
        date=timezone.localdate(),
        answers=scale_answers(survey, 4, change="Evening groups"),
    )
    rows = csv_rows(web_as("manager").get(f"/voice/surveys/{survey.pk}/responses.csv"))
    assert len(rows) == 2
    assert list(rows[0]) == [
        "response",
        "date",
        "mode",
        "site",
        "client_number",
        "1. How would you rate us?",
        "2. Would you recommend us?",
        "3. What would you change?",
    ]
    answers = sorted(
        (
            row["1. How would you rate us?"],
            row["2. Would you recommend us?"],
            row["3. What would you change?"],
        )
        for row in rows
    )
    assert answers == [("4", "No", "Evening groups"), ("9", "Yes", "")]
    assert {row["response"] for row in rows} == {"1", "2"}


def test_an_anonymous_response_carries_no_identifier(web_as, survey, users, site):
    client = ClientFactory(provider=survey.provider, keyworker=users["keyworker"])
    anonymous = interview(users["keyworker"], survey, 9)
    identified = interview(users["keyworker"], survey, 4, client=client)
    _kiosk, _raw = kiosk_for(users["manager"], survey, site)
    link, _token = link_for(users["keyworker"], survey, client, days=3)
    from_link = services.response_from_link(link=link, answers=scale_answers(survey, 7))
    http = web_as("manager")
    response = http.get(f"/voice/surveys/{survey.pk}/responses.csv")
    text = b"".join(response.streaming_content).decode()
    for secret in (
        str(anonymous.pk),
        str(identified.pk),
        str(from_link.pk),
        users["keyworker"].username,
        users["keyworker"].display_name,
    ):
        assert secret not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    by_score = {row["1. How would you rate us?"]: row for row in rows}
    today = timezone.localdate().isoformat()
    # Every cell of an anonymous row: its number, the day, the mode and the answers.
    assert list(by_score["9"].values())[1:] == [today, "Interview", "", "", "9", "Yes", ""]
    assert list(by_score["7"].values())[1:] == [today, "Link", "", "", "7", "Yes", ""]
    assert by_score["4"]["client_number"] == client.client_number


def test_the_xlsx_holds_the_same_rows(web_as, survey, users):
    client = ClientFactory(provider=survey.provider, keyworker=users["keyworker"])
    interview(users["keyworker"], survey, 10)
    interview(users["keyworker"], survey, 3, client=client)
    response = web_as("manager").get(f"/voice/surveys/{survey.pk}/responses.xlsx")
    assert "waiting-room-survey-v1-responses.xlsx" in response["Content-Disposition"]
    head, *rows = xlsx_rows(response)
    assert head[4:6] == ["client_number", "1. How would you rate us?"]
    assert sorted((row[5], row[4]) for row in rows) == [
        (3, client.client_number),
        (10, None),
    ]


def test_responses_of_a_day_are_numbered_by_their_random_key_not_when_given(web_as, survey, users):
    made = [interview(users["keyworker"], survey, score) for score in (1, 2, 3, 4, 5, 6)]
    rows = csv_rows(web_as("manager").get(f"/voice/surveys/{survey.pk}/responses.csv"))
    by_key = sorted(made, key=lambda response: str(response.pk))
    expected = [str(response.answers.get(question__kind="scale").number) for response in by_key]
    assert [row["1. How would you rate us?"] for row in rows] == expected


def test_a_keyworker_downloads_only_identified_responses_of_clients_they_may_open(
    web_as, survey, users, northside
):
    own = ClientFactory(provider=survey.provider, keyworker=users["keyworker"])
    elsewhere = ClientFactory(
        provider=survey.provider, team=northside["north"], keyworker=northside["colleague"]
    )
    interview(users["keyworker"], survey, 9)  # anonymous
    interview(users["keyworker"], survey, 8, client=own)
    interview(users["manager"], survey, 2, client=elsewhere)
    http = web_as("keyworker")
    page = http.get(f"/voice/surveys/{survey.pk}/").content.decode()
    assert "identified responses only" in page
    rows = csv_rows(http.get(f"/voice/surveys/{survey.pk}/responses.csv"))
    assert [(row["client_number"], row["1. How would you rate us?"]) for row in rows] == [
        (own.client_number, "8")
    ]
    _head, *sheet = xlsx_rows(http.get(f"/voice/surveys/{survey.pk}/responses.xlsx"))
    assert [row[4] for row in sheet] == [own.client_number]
    manager = csv_rows(web_as("manager").get(f"/voice/surveys/{survey.pk}/responses.csv"))
    assert len(manager) == 3


@pytest.mark.parametrize("role", ["prescriber", "nurse", "volunteer", "commissioner"])
def test_other_roles_download_no_responses(web_as, survey, role):
    assert web_as(role).get(f"/voice/surveys/{survey.pk}/responses.csv").status_code == 403
    assert web_as(role).get(f"/voice/surveys/{survey.pk}/responses.xlsx").status_code == 403


def test_the_download_takes_the_period(web_as, survey, users):
    old = interview(users["keyworker"], survey, 9)
    type(old).objects.filter(pk=old.pk).update(
        date=timezone.localdate() - datetime.timedelta(days=40)
    )
    interview(users["keyworker"], survey, 5)
    first = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    rows = csv_rows(
        web_as("manager").get(f"/voice/surveys/{survey.pk}/responses.csv", {"first": first})
    )
    assert [row["1. How would you rate us?"] for row in rows] == ["5"]


def test_the_events_download_holds_themes_and_who_took_part_never_the_notes(web_as, users):
    focus_group(
        users["manager"],
        notes="Somebody said the night pharmacy shuts early",
        themes="Opening hours",
    )
    (row,) = csv_rows(web_as("commissioner").get("/voice/events.csv"))
    assert (row["Title"], row["Place"], row["Themes raised"]) == (
        "Evening group",
        "Harbour Street hub",
        "Opening hours",
    )
    assert "night pharmacy" not in str(row)
    header, first = xlsx_rows(web_as("manager").get("/voice/events.xlsx"))
    assert header[2] == "Title" and first[2] == "Evening group"


def test_the_actions_download_says_which_are_overdue(web_as, users):
    manager = users["manager"]
    services.action_create(
        actor=manager,
        data={
            "you_said": "Too long a wait",
            "we_did": "A second duty worker",
            "owner": manager,
            "due_on": timezone.localdate() - datetime.timedelta(days=3),
        },
    )
    (row,) = csv_rows(web_as("keyworker").get("/voice/actions.csv"))
    assert row["You said"] == "Too long a wait" and row["Status"].endswith("overdue")
    assert 'href="/voice/actions.csv"' in web_as("manager").get("/voice/actions/").content.decode()
