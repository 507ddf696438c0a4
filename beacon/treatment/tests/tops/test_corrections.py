"""Correcting a saved TOP: the same ranges and stage rules as recording, service and page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from beacon.core.models import AuditEntry
from beacon.core.tests.factories import TeamFactory
from beacon.treatment.codes import TopStage
from beacon.treatment.services.tops import TOP_FIELDS, top_update
from beacon.treatment.tests.api_calls import top_form_post
from beacon.treatment.tests.factories import TopFactory, date_input, days
from beacon.treatment.tests.tops.test_recording import episode  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def tops(episode):  # noqa: F811
    """A start TOP 290 days ago (the episode began at 300) and a review 120 days ago."""
    start = TopFactory(episode=episode, completed_on=days(-290))
    review = TopFactory(episode=episode, stage=TopStage.REVIEW, completed_on=days(-120))
    return start, review


def updates() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE))


def test_top_correction_is_saved_and_audited_with_what_changed(tops, users):
    _start, review = tops
    # Using days of 1 or more ask for the amount on a using day (H-80).
    data = {"opiate_days": 3, "opiate_amount": 20, "opiate_amount_unit": "pounds"}
    top_update(actor=users["nurse"], top=review, data={**data, "completed_on": days(-119)})
    review.refresh_from_db()
    assert (review.opiate_days, review.completed_on) == (3, days(-119))
    [entry] = updates()
    assert entry.client == review.client
    assert entry.detail == "changed opiate_days, opiate_amount, opiate_amount_unit, completed_on"


def test_top_correction_that_changes_nothing_writes_no_audit(tops, users):
    _start, review = tops
    top_update(actor=users["nurse"], top=review, data={"opiate_days": 0, "stage": "review"})
    assert updates() == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"opiate_days": 29}, "opiate_days", "from 0 to 28"),
        ({"quality_of_life": 21}, "quality_of_life", "from 0 to 20"),
        ({"completed_on": days(1)}, "completed_on", "cannot be in the future"),
        ({"completed_on": days(-301)}, "completed_on", "before the episode started"),
        ({"completed_on": days(-295)}, "completed_on", "before the start TOP"),
        ({"stage": TopStage.START}, "stage", "already has a start TOP"),
        ({"stage": TopStage.POST_EXIT}, "stage", "this episode is still open"),
    ],
)
def test_top_correction_keeps_the_ranges_and_stage_rules(tops, users, changes, field, message):
    _start, review = tops
    with pytest.raises(ValidationError) as error:
        top_update(actor=users["keyworker"], top=review, data=changes)
    assert message in str(error.value.message_dict[field])
    review.refresh_from_db()
    assert review.stage == TopStage.REVIEW and review.completed_on == days(-120)
    assert updates() == []


def test_a_start_top_cannot_move_after_a_review(tops, users):
    start, _review = tops
    with pytest.raises(ValidationError, match="cannot be after a review TOP"):
        top_update(actor=users["keyworker"], top=start, data={"completed_on": days(-100)})


def test_a_top_is_not_compared_with_itself(tops, users):
    start, _review = tops
    top_update(actor=users["keyworker"], top=start, data={"completed_on": days(-280)})
    start.refresh_from_db()
    assert start.completed_on == days(-280)


# The page


def form_for(top, **changes) -> dict:
    """The TOP's saved answers as the form posts them, with `changes`."""
    values = {name: getattr(top, name) for name in TOP_FIELDS if name != "completed_on"}
    values.pop("not_disclosed")
    return {**top_form_post({**values, **changes}), **date_input("completed_on", top.completed_on)}


def test_top_list_links_each_top_to_its_correction(web_as, robin, tops):
    page = web_as("nurse").get(reverse("treatment:tops", args=[robin.client_number])).text
    for top in tops:
        assert f'href="{reverse("treatment:top_edit", args=[top.pk])}"' in page


def test_nurse_corrects_a_top(web_as, robin, tops, users):
    _start, review = tops
    http = web_as("nurse")
    url = reverse("treatment:top_edit", args=[review.pk])
    assert http.get(url).status_code == 200
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, client=robin, user=users["nurse"]
    ).exists()
    response = http.post(url, form_for(review, psychological_health=15))
    assert response.headers["Location"] == reverse("treatment:tops", args=[robin.client_number])
    review.refresh_from_db()
    assert review.psychological_health == 15
    assert [entry.detail for entry in updates()] == ["changed psychological_health"]


def test_bad_top_correction_is_shown_and_saves_nothing(web_as, tops):
    _start, review = tops
    response = web_as("keyworker").post(
        reverse("treatment:top_edit", args=[review.pk]), form_for(review, stage=TopStage.START)
    )
    assert response.status_code == 200
    assert "This episode already has a start TOP" in response.text
    review.refresh_from_db()
    assert review.stage == TopStage.REVIEW and updates() == []


@pytest.mark.parametrize("role", ["prescriber", "driver", "volunteer", "commissioner"])
def test_roles_that_do_not_record_tops_may_not_correct_them(web_as, tops, role):
    _start, review = tops
    url = reverse("treatment:top_edit", args=[review.pk])
    http = web_as(role)
    assert http.get(url).status_code == 403
    assert http.post(url, form_for(review, psychological_health=15)).status_code == 403
    review.refresh_from_db()
    assert review.psychological_health == 10


def test_keyworker_of_another_team_may_not_correct_a_top(web_as, tops, make_user, provider):
    outsider = make_user(
        "keyworker", username="outsider", team=TeamFactory(provider=provider, name="North")
    )
    _start, review = tops
    assert web_as(outsider).get(reverse("treatment:top_edit", args=[review.pk])).status_code == 403
