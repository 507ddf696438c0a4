"""The printable consultation report (H-191): the period's responses, each question's
answers charted beside their table, the events' themes (never their notes) and the
actions; nothing from fewer than 5 answers, whoever reads it; a PDF of the same."""

import datetime
import re

import pypdfium2
import pytest
from django.utils import timezone

from beacon.voice import services
from beacon.voice.tests.factories import focus_group, interview, site_of

pytestmark = pytest.mark.django_db


def report(web_as, survey, role="commissioner", **period) -> str:
    page = web_as(role).get(f"/voice/surveys/{survey.pk}/report/", period)
    assert page.status_code == 200
    return page.content.decode()


def answered(users, survey, scores, *, site=None, change=""):
    return [
        interview(users["keyworker"], survey, score, site=site, change=change) for score in scores
    ]


def test_each_question_is_charted_beside_its_table(web_as, survey, users):
    answered(users, survey, [10] * 5 + [8] * 5 + [3] * 5)
    text = report(web_as, survey)
    assert "15 responses" in text.split('id="report-count">')[1].split("</strong>")[0]
    scale = survey.questions.get(kind="scale")
    yes_no = survey.questions.get(kind="yes_no")
    for question in (scale, yes_no):
        section = text.split(f'id="report-question-{question.pk}-section"')[1].split("</section>")[
            0
        ]
        assert f'data-voice-chart="report-question-{question.pk}"' in section
        assert f'id="report-question-{question.pk}"' in section  # the chart's table
    scores = text.split(f'id="report-question-{scale.pk}"')[1].split("</table>")[0]
    assert scores.count('data-value="5"') == 3  # five each scored 10, 8 and 3
    assert "Scoring 10" in text and "33%" in text  # 5 of 15
    assert "Scoring 8 or more" in text and "67%" in text  # 10 of 15
    recommend = text.split(f'id="report-question-{yes_no.pk}"')[1].split("</table>")[0]
    assert 'data-value="10"' in recommend and 'data-value="5"' in recommend
    assert "chartjs/chart.umd.min.js" in text and "voice/report.js" in text


def test_fewer_than_5_responses_in_the_period_show_no_figures(web_as, survey, users):
    answered(users, survey, [10, 2, 7])
    for role in ("commissioner", "manager"):
        text = report(web_as, survey, role)
        assert "fewer than 5 responses" in text
        assert "Fewer than 5 responses in this period: no figures are shown." in text
        assert "data-value" not in text and "data-voice-chart" not in text
        assert "Scoring 10" not in text


def test_a_question_fewer_than_5_answered_shows_only_that(web_as, survey, users):
    answered(users, survey, [9, 9, 9, 9, 9])
    answered(users, survey, [8, 8], change="Evening groups")
    text = report(web_as, survey)
    change = survey.questions.get(kind="text")
    section = text.split(f'id="report-question-{change.pk}-section"')[1].split("</section>")[0]
    assert "fewer than 5 answered" in section
    assert "no figures are shown" in section and "data-value" not in section


def test_a_cross_tab_group_below_5_is_suppressed_as_on_the_analysis(web_as, survey, users):
    harbour = site_of(survey.provider)
    north = site_of(survey.provider, "North Road clinic")
    answered(users, survey, [10, 9, 8, 7, 6, 5], site=harbour)
    answered(users, survey, [1, 2], site=north)
    by_site = report(web_as, survey).split("By site")[1].split("</table>")[0]
    assert "North Road clinic" in by_site and "fewer than 5" in by_site
    # The only other group is hidden too: else the whole less it gives the small one away.
    assert "not shown, so that a smaller group cannot be worked out" in by_site


def test_free_text_is_counted_by_theme_never_quoted(web_as, survey, users):
    made = answered(users, survey, [9] * 6, change="The night pharmacy was rude to me")
    for response in made:
        answer = response.answers.get(question__kind="text")
        services.answer_themes_set(
            actor=users["manager"], answer=answer, themes=["Pharmacy", "Staff attitude"]
        )
    text = report(web_as, survey, "manager")
    assert "night pharmacy" not in text
    change = survey.questions.get(kind="text")
    themes = text.split(f'id="report-question-{change.pk}"')[1].split("</table>")[0]
    assert "Pharmacy" in themes and "Staff attitude" in themes and 'data-value="6"' in themes


def test_the_period_chooses_the_responses_and_the_events(web_as, survey, users):
    today = timezone.localdate()
    old = answered(users, survey, [0] * 5)
    type(old[0]).objects.filter(pk__in=[r.pk for r in old]).update(
        date=today - datetime.timedelta(days=60)
    )
    answered(users, survey, [10] * 5)
    for title, days in (("Spring group", 60), ("Winter group", 3)):
        services.event_record(
            actor=users["manager"],
            data={
                "kind": "focus_group",
                "title": title,
                "date": today - datetime.timedelta(days=days),
                "place": "Hub",
                "facilitated_by": "Peer lead",
                "clients": 6,
                "consent": True,
            },
        )
    recent = report(web_as, survey, first=(today - datetime.timedelta(days=7)).isoformat())
    assert "5 responses" in recent and "Winter group" in recent and "Spring group" not in recent
    everything = report(web_as, survey)
    assert "10 responses" in everything and "Spring group" in everything


def test_the_report_shows_event_themes_never_notes_and_the_actions(web_as, survey, users):
    manager = users["manager"]
    event = focus_group(
        manager,
        family=2,
        notes="Someone said the night pharmacy is rude",
        themes="Opening hours; the waiting room",
    )
    for you_said, link in (
        ("The waiting room is cold", {"event": event}),
        ("Appointments after work", {"survey": survey}),
    ):
        services.action_create(
            actor=manager,
            data={
                "you_said": you_said,
                "we_did": "We will see to it",
                "owner": manager,
                "due_on": timezone.localdate(),
                **link,
            },
        )
    other = services.survey_create(actor=manager, title="Another survey")
    services.action_create(
        actor=manager,
        data={
            "you_said": "Not this one",
            "we_did": "Elsewhere",
            "owner": manager,
            "due_on": timezone.localdate(),
            "survey": other,
        },
    )
    text = report(web_as, survey)
    events = text.split('id="report-events"')[1].split("</table>")[0]
    assert "Evening group" in events and "Opening hours; the waiting room" in events
    assert "8: 6 clients, 2 family" in events
    assert "night pharmacy" not in text
    actions = text.split('id="report-actions"')[1].split("</table>")[0]
    assert "The waiting room is cold" in actions and "Appointments after work" in actions
    assert "Not this one" not in actions


def test_the_report_downloads_as_a_pdf_with_the_same_suppression(web_as, survey, users):
    harbour = site_of(survey.provider)
    answered(users, survey, [10, 10, 9, 8, 8, 7], site=harbour)
    answered(users, survey, [2], site=site_of(survey.provider, "North Road clinic"))
    response = web_as("commissioner").get(f"/voice/surveys/{survey.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "waiting-room-survey-v1-report-" in response["Content-Disposition"]
    pages = list(pypdfium2.PdfDocument(response.content))
    text = " ".join(" ".join(page.get_textpage().get_text_range() for page in pages).split())
    assert "Consultation report: Waiting room survey" in text
    assert "7 responses" in text
    assert "How would you rate us?" in text and "Scoring 8 or more" in text
    assert "North Road clinic fewer than 5" in text
    image = pages[0].render(scale=1).to_pil().convert("RGB")
    colours = {colour: n for n, colour in image.getcolors(maxcolors=1 << 24)}
    blue = colours.get((0, 94, 184), 0)
    assert blue > 200  # the bars are drawn in NHS blue


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_answer_count_below_5_is_suppressed_whoever_reads_the_report(web_as, survey, users):
    """H-282: six scored 10 and one 2, so six said yes and one no. The one is "fewer than
    5" and the six "not shown" (7 answered less it), to a manager too; the chart gets
    neither number; a tagged theme two people wrote is "fewer than 5"."""
    made = answered(users, survey, [10] * 6 + [2], change="Open later")
    for response in made[:2]:
        services.answer_themes_set(
            actor=users["manager"],
            answer=response.answers.get(question__kind="text"),
            themes=["Opening hours"],
        )
    for response in made[2:]:
        services.answer_themes_set(
            actor=users["manager"],
            answer=response.answers.get(question__kind="text"),
            themes=["Waiting room"],
        )
    scale = survey.questions.get(kind="scale")
    yes_no = survey.questions.get(kind="yes_no")
    change = survey.questions.get(kind="text")
    for role in ("manager", "commissioner"):
        text = report(web_as, survey, role)
        scores = text.split(f'id="report-question-{scale.pk}"')[1].split("</table>")[0]
        assert 'data-value="1"' not in scores and 'data-value="6"' not in scores
        assert 'data-value="0"' in scores  # a 0 identifies no one
        assert "2 fewer than 5 Not shown" in _words(scores)
        assert "10 not shown, so that a smaller count cannot be worked out" in _words(scores)
        summary = _words(text.split(f'id="report-question-{scale.pk}-section"')[1])
        assert "Scoring 10 Not shown" in summary
        recommend = _words(text.split(f'id="report-question-{yes_no.pk}"')[1].split("</table>")[0])
        assert "No fewer than 5 Not shown" in recommend
        assert "Yes not shown, so that a smaller count cannot be worked out" in recommend
        themes = text.split(f'id="report-question-{change.pk}"')[1].split("</table>")[0]
        assert "Opening hours fewer than 5" in _words(themes)
        assert 'data-value="5"' in themes and 'data-value="2"' not in themes  # waiting room


def test_the_pdf_draws_no_bar_for_a_suppressed_count(web_as, survey, users):
    answered(users, survey, [10] * 6 + [2])
    response = web_as("commissioner").get(f"/voice/surveys/{survey.pk}/report.pdf")
    pages = list(pypdfium2.PdfDocument(response.content))
    text = " ".join(" ".join(page.get_textpage().get_text_range() for page in pages).split())
    assert "<5" in text and "hidden" in text
    assert "2 fewer than 5" in text and "Yes not shown" in text
    assert "86%" not in text and "14%" not in text  # 6 and 1 of 7
