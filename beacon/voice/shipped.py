"""The surveys Beacon ships, read by every service from day one: the standard satisfaction
survey (the satisfaction KPI) and the short home delivery survey. Shipped by the data
migrations 0002 and 0003; `ship_all` puts back any that is missing (a test database
flushed by a transactional test, a demo database) and changes nothing that is there."""

import datetime

from beacon.voice.models import STANDARD_SATISFACTION

DELIVERY_FEEDBACK = "delivery-feedback"
PUBLISHED_ON = datetime.date(2026, 12, 1)

SURVEYS = {
    STANDARD_SATISFACTION: {
        "title": "How satisfied are you with the service?",
        "introduction": "Your answers are anonymous: they are not linked to your name.",
        "questions": [
            (
                "Overall, how would you rate the service, from 0 (very poor) to 10 (excellent)?",
                "scale",
                True,
                [],
            ),
            (
                "Would you recommend this service to someone who needed similar help?",
                "yes_no",
                True,
                [],
            ),
            ("What would you change about the service?", "text", False, []),
        ],
    },
    DELIVERY_FEEDBACK: {
        "title": "How was your home delivery?",
        "introduction": "Your answers are anonymous unless your keyworker told you otherwise.",
        "questions": [
            ("Did your deliveries arrive when you were told they would?", "yes_no", True, []),
            (
                "How convenient was home delivery for you?",
                "single",
                True,
                ["Very convenient", "Convenient", "Not convenient"],
            ),
            ("Is there anything you would change about home delivery?", "text", False, []),
        ],
    },
}


def ship(survey_model, question_model, key: str) -> None:
    """Version 1 of the shipped survey `key`, unless it is there (the models are passed in,
    so a migration can give its historical ones)."""
    if survey_model.objects.filter(provider=None, key=key, version=1).exists():
        return
    shipped = SURVEYS[key]
    survey = survey_model.objects.create(
        provider=None,
        key=key,
        version=1,
        title=shipped["title"],
        introduction=shipped["introduction"],
        status="published",
        published_on=PUBLISHED_ON,
    )
    for order, (text, kind, required, choices) in enumerate(shipped["questions"], start=1):
        question_model.objects.create(
            survey=survey, order=order, text=text, kind=kind, required=required, choices=choices
        )


def ship_all() -> None:
    from beacon.voice.models import Question, Survey

    for key in SURVEYS:
        ship(Survey, Question, key)
