"""Test data for service-user voice (synthetic only), made through the services:

survey = published_survey(manager)              # a 0 to 10, a yes/no and a free text question
kiosk, raw = kiosk_for(manager, survey, site)   # a kiosk at the site, its cookie's token
link, raw = link_for(keyworker, survey, client) # a link for the client, open for a day
answers = scale_answers(survey, 9)              # every required question answered
event = focus_group(manager, notes="…")         # an evening focus group today
"""

import datetime

from django.utils import timezone

from beacon.core.tests.factories import SiteFactory
from beacon.voice import services
from beacon.voice.models import Event, QuestionKind, Survey, SurveyLink


def site_of(provider, name: str = "Harbour Street hub"):
    return provider.sites.filter(name=name).first() or SiteFactory(provider=provider, name=name)


def published_survey(manager, title: str = "Waiting room survey") -> Survey:
    survey = services.survey_create(actor=manager, title=title)
    services.question_add(
        actor=manager, survey=survey, text="How would you rate us?", kind=QuestionKind.SCALE
    )
    services.question_add(
        actor=manager, survey=survey, text="Would you recommend us?", kind=QuestionKind.YES_NO
    )
    services.question_add(
        actor=manager,
        survey=survey,
        text="What would you change?",
        kind=QuestionKind.TEXT,
        required=False,
    )
    return services.survey_publish(actor=manager, survey=survey)


def scale_answers(survey: Survey, score: int, change: str = "") -> dict:
    answers: dict = {}
    for question in survey.questions.all():
        if question.kind == QuestionKind.SCALE:
            answers[str(question.pk)] = score
        elif question.kind == QuestionKind.YES_NO:
            answers[str(question.pk)] = "Yes" if score >= 7 else "No"
        elif question.kind == QuestionKind.TEXT:
            answers[str(question.pk)] = change
    return answers


def kiosk_for(manager, survey, site):
    return services.kiosk_start(actor=manager, survey=survey, site=site)


def link_for(keyworker, survey, client, *, days: int = 1) -> tuple[SurveyLink, str]:
    """A survey link issued for the client by their keyworker, open for `days`, and its
    token."""
    return services.link_issue(
        actor=keyworker,
        survey=survey,
        client=client,
        expires_on=timezone.localdate() + datetime.timedelta(days=days),
    )


def interview(user, survey, score: int, *, client=None, site=None, change: str = ""):
    return services.response_interview(
        actor=user,
        survey=survey,
        date=timezone.localdate(),
        answers=scale_answers(survey, score, change=change),
        client=client,
        site=site,
    )


def focus_group(manager, **data) -> Event:
    """An evening focus group today at the hub, six clients who consented, facilitated by a
    peer lead; `data` changes or adds fields (notes, themes, place, date)."""
    return services.event_record(
        actor=manager,
        data={
            "kind": "focus_group",
            "title": "Evening group",
            "date": timezone.localdate(),
            "place": "Harbour Street hub",
            "facilitated_by": "Peer lead",
            "clients": 6,
            "consent": True,
            **data,
        },
    )
