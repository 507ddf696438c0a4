"""Demo service-user voice (synthetic only): answers to the standard satisfaction survey
over the last eight weeks, at both sites, by kiosk, interview and link (some linked to a
client, so the cross-tabs by modality and substance group fill), their free text tagged
with themes; a focus group; and "you said, we did" actions, one done (on the poster), one
overdue, one in hand."""

import datetime

from django.utils import timezone

from beacon.core.audit import AuditOrigin
from beacon.voice import services
from beacon.voice.models import STANDARD_SATISFACTION, Answer, Mode, Response, Survey
from beacon.voice.shipped import ship_all

RESPONSES = 90
WEEKS = 8
# Skewed towards high scores, as such services report (most score 8 to 10).
SCORES = [10] * 9 + [9] * 5 + [8] * 4 + [7] * 2 + [6, 5, 3]
CHANGES = [
    "",
    "",
    "Evening appointments",
    "A warmer waiting room",
    "Shorter waits at the pharmacy",
    "More peer groups",
]
# The themes a manager tagged in each of those answers (the consultation report counts them).
THEMES = {
    "Evening appointments": ["Opening hours"],
    "A warmer waiting room": ["Waiting room"],
    "Shorter waits at the pharmacy": ["Pharmacy", "Waiting times"],
    "More peer groups": ["Peer support"],
}


def seed_voice(rng, org) -> str:
    provider = org["provider"]
    if Response.objects.filter(provider=provider).exists():
        return "voice already seeded"
    users, origin, today = org["users"], AuditOrigin(), timezone.localdate()
    ship_all()  # as the migrations shipped them (a flushed database has lost them)
    survey = Survey.objects.get(provider__isnull=True, key=STANDARD_SATISFACTION)
    scale, recommend, change = list(survey.questions.all())
    sites = list(provider.sites.order_by("name"))
    clients = list(provider.clients.order_by("pk")[:30])
    interviewers = [users["keyworker"], users["nurse"], users["volunteer"]]
    for _ in range(RESPONSES):
        score = rng.choice(SCORES)
        answers = {
            str(scale.pk): score,
            str(recommend.pk): "Yes" if score >= 7 else "No",
            str(change.pk): rng.choice(CHANGES),
        }
        day = today - datetime.timedelta(days=rng.randrange(WEEKS * 7))
        mode = rng.choice([Mode.KIOSK, Mode.KIOSK, Mode.INTERVIEW, Mode.LINK])
        interviewer = rng.choice(interviewers) if mode == Mode.INTERVIEW else None
        client = None
        if mode != Mode.KIOSK and clients and interviewer != users["volunteer"]:
            client = rng.choice(clients) if rng.random() < 0.6 else None
        services.response_record(
            survey=survey,
            mode=mode,
            date=day,
            answers=answers,
            provider_id=provider.pk,
            interviewer=interviewer,
            client=client,
            site=rng.choice(sites) if sites else None,
            origin=origin,
        )
    manager = users["manager"]
    for answer in Answer.objects.filter(
        response__provider=provider, question=change, text__in=list(THEMES)
    ):
        services.answer_themes_set(
            actor=manager, answer=answer, themes=THEMES[answer.text], origin=origin
        )
    event = services.event_record(
        actor=manager,
        data={
            "kind": "focus_group",
            "title": "What would make the service better?",
            "date": today - datetime.timedelta(days=21),
            "place": sites[0].name if sites else "The hub",
            "facilitated_by": "Peer lead and the service manager",
            "clients": 7,
            "family": 2,
            "providers": 2,
            "commissioners": 1,
            "consent": True,
            "notes": "Seven clients and two family members spoke about waiting times and groups.",
            "themes": "Evening appointments; the waiting room; peer-led groups",
        },
        origin=origin,
    )
    done = services.action_create(
        actor=manager,
        data={
            "you_said": "The waiting room is cold and unwelcoming",
            "we_did": "A new heater, and peer volunteers greeting people on busy mornings",
            "owner": manager,
            "due_on": today,
            "event": event,
        },
        origin=origin,
    )
    services.action_move(actor=manager, action=done, status="done", origin=origin)
    services.action_create(
        actor=manager,
        data={
            "you_said": "We want appointments after work",
            "we_did": "Open until 7pm on Thursdays",
            "owner": users["keyworker"],
            "due_on": today + datetime.timedelta(days=30),
            "event": event,
        },
        origin=origin,
    )
    late = services.action_create(
        actor=manager,
        data={
            "you_said": "More groups run by people in recovery",
            "we_did": "A second peer-led group each week",
            "owner": manager,
            "due_on": today,
            "survey": survey,
        },
        origin=origin,
    )
    # Due a fortnight ago and not done: the overdue list shows it.
    type(late).objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=14))
    return f"{RESPONSES} survey responses, 1 focus group, 3 you said, we did actions"
