"""Authorization matrix rows for service-user voice (see beacon/core/tests/matrix.py).

Surveys: staff, volunteers and commissioners read them; managers build them, start and end
kiosks; staff and volunteers interview; staff who open client records send links. The
analysis and the consultation report (page and PDF): managers and commissioners; the CSV
and XLSX of responses: managers, and keyworkers (identified responses of their clients
only). Events: staff and commissioners read, managers record. Actions: all but drivers
and pharmacy/probation partners read, managers record. The kiosk and link pages are
public pages that answer to their own token: without one, the kiosk is refused and a link
is not found. A device holding a kiosk cookie is refused every other URL
(test_pages.py::test_a_kiosk_device_is_refused_every_other_page).
"""

from beacon.core.tests.matrix import (
    ALLOW,
    MANAGERS,
    NOT_FOUND,
    REDIRECT,
    REFUSE,
    UNAUTHENTICATED,
    api_write_for,
    outcome_for,
    same_for_all,
)
from beacon.voice.tests.factories import published_survey, site_of

STAFF = {"keyworker", "prescriber", "nurse", "manager", "admin"}
INTERVIEWERS = {*STAFF, "volunteer"}
READERS = {*INTERVIEWERS, "commissioner"}
ANALYSTS = {*MANAGERS, "commissioner"}
EVENT_READERS = {*STAFF, "commissioner"}
DOWNLOADERS = {*MANAGERS, "keyworker"}


def samples(base: dict) -> dict:
    from beacon.voice import services

    manager = base["users"]["manager"]
    survey = published_survey(manager)
    kiosk, _raw = services.kiosk_start(actor=manager, survey=survey, site=site_of(base["provider"]))
    event = services.event_record(
        actor=manager,
        data={
            "kind": "focus_group",
            "title": "Evening group",
            "date": survey.published_on,
            "place": "Hub",
            "facilitated_by": "Peer lead",
            "clients": 6,
            "consent": True,
        },
    )
    action = services.action_create(
        actor=manager,
        data={
            "you_said": "Longer hours",
            "we_did": "Open late on Thursdays",
            "owner": manager,
            "due_on": survey.published_on,
            "event": event,
        },
    )
    return {
        "survey_id": survey.pk,
        "kiosk_id": kiosk.pk,
        "event_id": event.pk,
        "voice_action_id": action.pk,
        "token": "not-a-real-token",
    }


# A POST sent with no form: the form is shown again (200) or the change redirects.
POSTED = {**outcome_for(MANAGERS), "manager": REDIRECT, "admin": REDIRECT}
PUBLIC_REFUSED = same_for_all(REFUSE, anonymous=REFUSE)

PAGES = {
    "voice/surveys/": ("GET", outcome_for(READERS)),
    "voice/surveys/new/": ("GET", outcome_for(MANAGERS)),
    "voice/surveys/<int:survey_id>/": ("GET", outcome_for(READERS)),
    "voice/surveys/<int:survey_id>/questions/new/": ("GET", outcome_for(MANAGERS)),
    "voice/surveys/<int:survey_id>/publish/": ("POST", POSTED),
    "voice/surveys/<int:survey_id>/new-version/": ("POST", POSTED),
    "voice/surveys/<int:survey_id>/interview/": ("GET", outcome_for(INTERVIEWERS)),
    "voice/surveys/<int:survey_id>/kiosk/": ("GET", outcome_for(MANAGERS)),
    "voice/surveys/<int:survey_id>/link/": ("GET", outcome_for(STAFF)),
    "voice/surveys/<int:survey_id>/analysis/": ("GET", outcome_for(ANALYSTS)),
    # Managers every response; a keyworker only identified ones of their clients (H-190).
    "voice/surveys/<int:survey_id>/responses.csv": ("GET", outcome_for(DOWNLOADERS)),
    "voice/surveys/<int:survey_id>/responses.xlsx": ("GET", outcome_for(DOWNLOADERS)),
    # The consultation report, page and PDF: whoever reads the analysis (H-191).
    "voice/surveys/<int:survey_id>/report/": ("GET", outcome_for(ANALYSTS)),
    "voice/surveys/<int:survey_id>/report.pdf": ("GET", outcome_for(ANALYSTS)),
    "voice/surveys/<int:survey_id>/themes/": ("GET", outcome_for(MANAGERS)),
    "voice/kiosks/<int:kiosk_id>/end/": ("POST", POSTED),
    # Public, answering to the kiosk cookie only: refused to everyone without one.
    "voice/kiosk/": ("GET", PUBLIC_REFUSED),
    "voice/kiosk/thanks/": ("GET", PUBLIC_REFUSED),
    # Public, answering to the link's token only: an unknown token is not found.
    "voice/answer/<str:token>/": ("GET", same_for_all(NOT_FOUND, anonymous=NOT_FOUND)),
    "voice/events/": ("GET", outcome_for(EVENT_READERS)),
    "voice/events/new/": ("GET", outcome_for(MANAGERS)),
    "voice/events.csv": ("GET", outcome_for(EVENT_READERS)),
    "voice/events.xlsx": ("GET", outcome_for(EVENT_READERS)),
    "voice/events/<int:event_id>/": ("GET", outcome_for(EVENT_READERS)),
    "voice/actions/": ("GET", outcome_for(READERS)),
    "voice/actions/new/": ("GET", outcome_for(MANAGERS)),
    "voice/actions.csv": ("GET", outcome_for(READERS)),
    "voice/actions.xlsx": ("GET", outcome_for(READERS)),
    "voice/actions/poster/": ("GET", outcome_for(READERS)),
    "voice/actions/<int:voice_action_id>/": ("GET", outcome_for(READERS)),
}
API = {
    "api/v1/voice/surveys": ("GET", outcome_for(READERS, anonymous=UNAUTHENTICATED)),
    "api/v1/voice/events": ("GET", outcome_for(EVENT_READERS, anonymous=UNAUTHENTICATED)),
    "api/v1/voice/actions": ("GET", outcome_for(READERS, anonymous=UNAUTHENTICATED)),
    # Writes without a body: refused before the body is read to a role that may never make
    # them; invalid (422) for one that may (managers move actions on).
    "api/v1/voice/actions/<int:voice_action_id>/status": ("POST", api_write_for(MANAGERS)),
    # Interviews by a staff or volunteer token (a kiosk's or link's own token: test_api.py).
    "api/v1/voice/surveys/<int:survey_id>/responses": ("POST", api_write_for(INTERVIEWERS)),
}
API_WRITES = {
    "api/v1/voice/events": ("POST", api_write_for(MANAGERS)),
    "api/v1/voice/actions": ("POST", api_write_for(MANAGERS)),
}
_ = ALLOW
