"""The voice pages: a kiosk started by a manager (signed out, locked to one survey, refused
every other page), a link answered without an account, an interview with bad input kept,
the analysis, the CSV without identifiers, and an action on the poster."""

import datetime
import re

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.voice import selectors, services
from beacon.voice.middleware import KIOSK_COOKIE
from beacon.voice.models import Response
from beacon.voice.tests.factories import focus_group, interview, scale_answers, site_of

pytestmark = pytest.mark.django_db


def answer_form(survey, score: int, change: str = "") -> dict:
    return {f"q{key}": value for key, value in scale_answers(survey, score, change).items()}


def date_parts(name: str, day: datetime.date) -> dict:
    return {f"{name}[day]": day.day, f"{name}[month]": day.month, f"{name}[year]": day.year}


def start_kiosk(web_as, survey, site) -> HttpClient:
    http = web_as("manager")
    response = http.post(f"/voice/surveys/{survey.pk}/kiosk/", {"site": site.pk})
    assert response.status_code == 302 and response["Location"] == "/voice/kiosk/"
    return http


def test_starting_a_kiosk_signs_the_manager_out_and_locks_the_device(web_as, survey, site):
    http = start_kiosk(web_as, survey, site)
    assert http.cookies[KIOSK_COOKIE]["httponly"]
    assert "_auth_user_id" not in http.session
    page = http.get("/voice/kiosk/")
    assert page.status_code == 200 and "How would you rate us?" in page.content.decode()
    done = http.post("/voice/kiosk/", answer_form(survey, 10), follow=True)
    assert "Thank you" in done.content.decode()
    response = Response.objects.get()
    assert (response.mode, response.client, response.site) == ("kiosk", None, site)


def test_a_kiosk_device_is_refused_every_other_page(web_as, survey, site, users, team):
    """Every URL of the authorization matrix, pages and API, with the matrix's own sample
    records: a device holding a kiosk cookie gets 403 from all but the kiosk's pages."""
    from tests.test_authorization_matrix import API, MATRIX_MODULES, PAGES, concrete

    http = start_kiosk(web_as, survey, site)
    base = {
        "users": users,
        "team": team,
        "provider": team.provider,
        "client": ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"]),
    }
    samples: dict = {}
    for module in MATRIX_MODULES:
        samples.update(module.samples(base))
    reached = []
    for route, (method, _table) in {**PAGES, **API}.items():
        if route.startswith(("voice/kiosk/", "assets/")):
            continue
        path = concrete(route, samples)
        answer = http.generic(method, path)
        if answer.status_code != 403:
            reached.append(f"{method} {path}: {answer.status_code}")
    assert reached == []
    assert len(PAGES) > 100


def test_a_kiosk_shows_only_its_survey_and_bad_input_is_kept(web_as, survey, site):
    http = start_kiosk(web_as, survey, site)
    form = answer_form(survey, 9, change="More evening groups")
    del form[f"q{survey.questions.get(kind='yes_no').pk}"]
    page = http.post("/voice/kiosk/", form)
    text = page.content.decode()
    assert page.status_code == 200 and "More evening groups" in text
    assert "Would you recommend us?" in text and Response.objects.count() == 0


def test_an_ended_kiosk_is_refused(web_as, survey, site, users):
    http = start_kiosk(web_as, survey, site)
    kiosk = selectors.kiosks_open(provider_id=survey.provider_id).get()
    web_as("manager").post(f"/voice/kiosks/{kiosk.pk}/end/")
    assert http.get("/voice/kiosk/").status_code == 403


def test_a_client_answers_a_link_once_without_an_account(web_as, survey, users):
    client = ClientFactory(provider=survey.provider, keyworker=users["keyworker"])
    made = web_as("keyworker").post(
        f"/voice/surveys/{survey.pk}/link/",
        {
            "client_number": client.client_number,
            **date_parts("expires_on", timezone.localdate() + datetime.timedelta(days=3)),
        },
    )
    text = made.content.decode()
    address = text.split('id="link-address">')[1].split("<")[0]
    path = address.split("testserver")[1]
    phone = HttpClient()
    assert phone.get(path).status_code == 200
    assert "Thank you" in phone.post(path, answer_form(survey, 8)).content.decode()
    assert Response.objects.get().client is None
    assert phone.get(path).status_code == 404


@pytest.mark.parametrize(
    ("identified", "said"),
    [(True, "will be linked to your record"), (False, "Your answers are anonymous")],
)
def test_the_link_page_says_whether_the_answers_are_linked_to_the_record(
    web_as, survey, users, identified, said
):
    client = ClientFactory(provider=survey.provider, keyworker=users["keyworker"])
    made = web_as("keyworker").post(
        f"/voice/surveys/{survey.pk}/link/",
        {
            "client_number": client.client_number,
            **date_parts("expires_on", timezone.localdate() + datetime.timedelta(days=3)),
            **({"identified": "on"} if identified else {}),
        },
    )
    address = made.content.decode().split('id="link-address">')[1].split("<")[0]
    page = HttpClient().get(address.split("testserver")[1]).content.decode()
    notice = page.split('id="link-privacy">')[1].split("</div>")[0]
    assert said in notice
    other = "Your answers are anonymous" if identified else "will be linked to your record"
    assert other not in notice


def test_publishing_a_new_version_ends_the_old_versions_kiosks_and_says_so(web_as, survey, users):
    manager = users["manager"]
    kiosk, raw = services.kiosk_start(actor=manager, survey=survey, site=site_of(survey.provider))
    draft = services.survey_new_version(actor=manager, survey=survey)
    page = web_as("manager").post(f"/voice/surveys/{draft.pk}/publish/", follow=True)
    assert "1 kiosk on the older version was ended" in page.content.decode()
    kiosk.refresh_from_db()
    assert kiosk.ended_at is not None and selectors.kiosk_from_token(raw) is None


def test_an_interview_with_an_unknown_client_number_is_shown_and_not_saved(web_as, survey):
    form = {**answer_form(survey, 7), **date_parts("date", timezone.localdate())}
    page = web_as("keyworker").post(
        f"/voice/surveys/{survey.pk}/interview/", {**form, "client_number": "NOPE"}
    )
    assert page.status_code == 200
    assert "No client with this number you may open" in page.content.decode()
    assert Response.objects.count() == 0
    web_as("volunteer").post(f"/voice/surveys/{survey.pk}/interview/", form)
    saved = Response.objects.get()
    assert saved.interviewer.role == "volunteer" and saved.client is None


def test_a_volunteer_interviewer_is_not_offered_a_client_number(web_as, survey):
    page = web_as("volunteer").get(f"/voice/surveys/{survey.pk}/interview/")
    assert "client_number" not in page.content.decode()


def test_the_analysis_shows_percent_10_and_8_or_more(web_as, survey, users):
    # Ten 10s, five 9s and five 6s: no count below 5, so a commissioner sees every figure.
    for score in [10] * 10 + [9] * 5 + [6] * 5:
        interview(users["keyworker"], survey, score)
    text = web_as("commissioner").get(f"/voice/surveys/{survey.pk}/analysis/").content.decode()
    assert "20 responses" in text
    assert "50%" in text and "75%" in text
    assert "fewer than 5" in text
    assert "Download responses" not in text


def _table_text(page: str, after: str) -> str:
    """The words of the first table after `after`, tags and spacing gone."""
    fragment = page.split(after, 1)[1].split("</table>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_a_commissioner_sees_no_answer_count_below_5_on_the_analysis(web_as, survey, users):
    """H-282: seven said yes and one no; seven scored 10 and one 3. The one is "fewer than
    5" and the seven "not shown" (8 answered less it); a manager sees both."""
    for score in [10] * 7 + [3]:
        interview(users["keyworker"], survey, score)
    page = web_as("commissioner").get(f"/voice/surveys/{survey.pk}/analysis/").content.decode()
    recommend = _table_text(page, "Would you recommend us?")
    assert "Yes not shown, so that a smaller count cannot be worked out Not shown" in recommend
    assert "No fewer than 5 Not shown" in recommend
    scores = _table_text(page, "Scores given")
    assert "3 fewer than 5" in scores and "2 0" in scores
    assert "10 not shown, so that a smaller count cannot be worked out" in scores
    summary = _table_text(page, "How would you rate us?")
    assert "Scoring 10 Not shown" in summary and "Scoring 8 or more Not shown" in summary
    assert "88%" not in page and "13%" not in page
    assert "Counts from 1 to 4 are shown as" in page
    manager = web_as("manager").get(f"/voice/surveys/{survey.pk}/analysis/").content.decode()
    assert "Yes 7 88%" in _table_text(manager, "Would you recommend us?")
    assert "3 1" in _table_text(manager, "Scores given")
    assert "Counts from 1 to 4 are shown as" not in manager


def test_a_commissioner_sees_a_question_fewer_than_5_answered_and_its_themes_suppressed(
    web_as, survey, users
):
    made = [
        services.response_interview(
            actor=users["keyworker"],
            survey=survey,
            date=timezone.localdate(),
            answers=scale_answers(survey, score, change=change),
        )
        for score, change in [(9, "")] * 5 + [(8, "Open later"), (7, "Open later too")]
    ]
    for response in made[5:]:
        services.answer_themes_set(
            actor=users["manager"],
            answer=response.answers.get(question__kind="text"),
            themes=["Opening hours"],
        )
    page = web_as("commissioner").get(f"/voice/surveys/{survey.pk}/analysis/").content.decode()
    change = survey.questions.get(kind="text")
    section = page.split(f'id="question-{change.pk}"')[1].split("</section>")[0]
    assert "fewer than 5 answered" in section and "no figures are shown" in section
    assert "Opening hours" not in section
    manager = web_as("manager").get(f"/voice/surveys/{survey.pk}/analysis/").content.decode()
    assert "Opening hours: 2" in manager


def test_a_recommendation_becomes_an_action_and_appears_on_the_poster_when_done(web_as, users):
    http = web_as("manager")
    http.post(
        "/voice/actions/new/",
        {
            "you_said": "The waiting room is cold",
            "we_did": "A new heater",
            "owner": users["manager"].pk,
            **date_parts("due_on", timezone.localdate()),
        },
    )
    listed = http.get("/voice/actions/").content.decode()
    assert "The waiting room is cold" in listed.split('id="actions"')[1]
    poster = http.get("/voice/actions/poster/").content.decode()
    assert "The waiting room is cold" not in poster
    action = selectors.actions_of(provider_id=users["manager"].provider_id).get()
    http.post(f"/voice/actions/{action.pk}/", {"status": "done"})
    poster = http.get("/voice/actions/poster/").content.decode()
    assert "The waiting room is cold" in poster and "A new heater" in poster


def test_an_overdue_action_is_listed_as_overdue(web_as, users):
    action = services.action_create(
        actor=users["manager"],
        data={
            "you_said": "Longer hours",
            "we_did": "Open late",
            "owner": users["manager"],
            "due_on": timezone.localdate(),
        },
    )
    type(action).objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    text = web_as("keyworker").get("/voice/actions/").content.decode()
    overdue = text.split('id="overdue"')[1].split("All actions")[0]
    assert "Longer hours" in overdue


def test_the_surveys_page_lists_the_services_and_the_shipped_surveys(web_as, survey):
    text = web_as("keyworker").get("/voice/surveys/").content.decode()
    listed = text.split('id="surveys"')[1]
    assert "Waiting room survey" in listed
    assert "How satisfied are you with the service?" in listed
    assert "How was your home delivery?" in listed


def test_the_events_page_lists_an_event(web_as, users):
    focus_group(users["manager"], place="Hub")
    text = web_as("commissioner").get("/voice/events/").content.decode()
    assert "Focus group: Evening group" in text.split('id="events"')[1]


def test_a_commissioner_never_sees_an_events_notes(web_as, users):
    event = focus_group(
        users["manager"], notes="Someone said the night pharmacy is rude", themes="Opening hours"
    )
    seen = web_as("commissioner").get(f"/voice/events/{event.pk}/")
    assert seen.status_code == 200 and "Evening group" in seen.content.decode()
    assert "night pharmacy" not in seen.content.decode()
    assert "night pharmacy" in web_as("manager").get(f"/voice/events/{event.pk}/").content.decode()
