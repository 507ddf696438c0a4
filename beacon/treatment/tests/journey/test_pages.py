"""The journey pages: a keyworker's way from referral to discharge, refusals, who may do what."""

import re

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.presenters import date_uk
from beacon.core.tests.factories import TeamFactory
from beacon.treatment.codes import DischargeReason, ModalityExit
from beacon.treatment.models import (
    Assessment,
    Modality,
    Referral,
    TreatmentEpisode,
    Triage,
)
from beacon.treatment.tests.factories import (
    AssessmentFactory,
    ModalityFactory,
    RecoveryPlanFactory,
    ReferralFactory,
    TreatmentEpisodeFactory,
    TriageFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


def date_fields(name: str, value) -> dict:
    return {f"{name}[day]": value.day, f"{name}[month]": value.month, f"{name}[year]": value.year}


def field_error(response, field_id: str) -> str:
    """The error message shown next to one field (empty if there is none)."""
    match = re.search(
        rf'id="{field_id}-error"[^>]*>\s*<span class="nhsuk-u-visually-hidden">Error: </span>'
        r"(.*?)\s*</span>",
        response.text,
        re.S,
    )
    return match.group(1).strip() if match else ""


@pytest.fixture
def client_record(provider, team, users):
    return ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])


def journey_url(client) -> str:
    return reverse("treatment:journey", args=[client.client_number])


# The happy path


def test_keyworker_records_a_journey_from_referral_to_discharge(web_as, users, client_record):
    http = web_as("keyworker")
    overview = journey_url(client_record)

    def post(url, data):
        response = http.post(url, data)
        assert response.status_code == 302, field_errors_of(response)
        assert response.headers["Location"] == overview
        return response

    post(
        reverse("treatment:referral_create", args=[client_record.client_number]),
        {
            **date_fields("referral_date", days_ago(60)),
            "source": "gp",
            "referrer_details": "Dr Example, Demo Surgery",
            "reason": "Asks for help with heroin use",
        },
    )
    referral = Referral.objects.get()
    post(
        reverse("treatment:triage", args=[referral.pk]),
        {**date_fields("triage_date", days_ago(58)), "outcome": "accepted"},
    )
    post(
        reverse("treatment:assessment", args=[referral.pk]),
        {
            **date_fields("assessment_date", days_ago(50)),
            "primary_substance": "heroin",
            "primary_age_first_use": "19",
            "primary_route": "inject",
            "secondary_substance": "crack",
            "secondary_route": "smoke",
            "injecting_status": "current",
            "alcohol_units_typical_day": "4",
            "drinking_days": "6",
            "housing_need": "housing_problem",
            "employment_status": "unemployed",
            "parental_status": "not_a_parent",
        },
    )
    post(
        reverse("treatment:episode_start", args=[referral.pk]),
        {**date_fields("start_date", days_ago(45)), "keyworker": users["keyworker"].pk},
    )
    episode = TreatmentEpisode.objects.get()
    methadone = {
        "modality_type": "pharmacological",
        "setting": "community",
        "ost_medicine": "methadone",
        **date_fields("referred_date", days_ago(45)),
        **date_fields("first_appointment_offered", days_ago(44)),
        **date_fields("start_date", days_ago(43)),
    }
    post(reverse("treatment:modality_add", args=[episode.pk]), methadone)
    modality = Modality.objects.get()
    post(
        reverse("treatment:modality_edit", args=[modality.pk]),
        {**methadone, **date_fields("end_date", days_ago(10)), "exit_reason": "planned"},
    )
    RecoveryPlanFactory(episode=episode, agreed_on=days_ago(44))  # the methadone is structured
    post(
        reverse("treatment:discharge", args=[episode.pk]),
        {
            **date_fields("discharge_date", days_ago(5)),
            "discharge_reason": DischargeReason.COMPLETED_DRUG_FREE,
            "discharge_notes": "Finished treatment drug free",
        },
    )

    referral.refresh_from_db()
    episode.refresh_from_db()
    modality.refresh_from_db()
    assert referral.status == Referral.Status.DISCHARGED
    assert referral.assessment.substances == ["heroin", "crack"]
    assert episode.keyworker == users["keyworker"] and episode.discharge_date == days_ago(5)
    assert (modality.end_date, modality.exit_reason) == (days_ago(10), ModalityExit.PLANNED)
    page = http.get(overview).text
    for shown in (
        "Dr Example, Demo Surgery",
        "Heroin, inject, first used at 19",
        "Crack cocaine, smoke",
        "Methadone",
        f"Discharged {date_uk(days_ago(5))}: Treatment completed: drug free",
        "Successful completion",
    ):
        assert shown in page
    assert "Add a referral" in page  # nothing open: the next referral may begin


def field_errors_of(response) -> str:
    return " | ".join(
        re.findall(r'class="nhsuk-error-message"[^>]*>(.*?)</span>\s*</span>', response.text, re.S)
    )


def test_each_step_links_to_the_next_for_someone_who_may_record(web_as, client_record):
    referral = ReferralFactory(client=client_record, referral_date=days_ago(10))
    http = web_as("keyworker")
    assert (
        reverse("treatment:triage", args=[referral.pk]) in http.get(journey_url(client_record)).text
    )
    TriageFactory(referral=referral)
    referral.status = Referral.Status.TRIAGED
    referral.save()
    page = http.get(journey_url(client_record)).text
    assert reverse("treatment:assessment", args=[referral.pk]) in page
    assert reverse("treatment:episode_start", args=[referral.pk]) in page
    assert "Add a referral" not in page


def test_viewing_the_journey_is_audited_with_the_client(web_as, client_record, users):
    web_as("nurse").get(journey_url(client_record))
    entry = AuditEntry.objects.get(action="view", client=client_record)
    assert entry.username == users["nurse"].username and "treatment journey" in entry.detail


def test_a_client_without_referrals_has_an_empty_journey(web_as, client_record):
    page = web_as("keyworker").get(journey_url(client_record)).text
    assert 'id="no-referrals"' in page and "Add a referral" in page


# Bad input: a message next to the field, and nothing saved


def referral_step(client):
    url = reverse("treatment:referral_create", args=[client.client_number])
    return url, {**date_fields("referral_date", days_ago(10)), "source": "gp"}


def triage_step(client):
    referral = ReferralFactory(client=client, referral_date=days_ago(20))
    url = reverse("treatment:triage", args=[referral.pk])
    return url, {**date_fields("triage_date", days_ago(18)), "outcome": "accepted"}


def triaged(client):
    return TriageFactory(
        referral=ReferralFactory(client=client, referral_date=days_ago(20), status="triaged"),
        triage_date=days_ago(18),
    ).referral


def assessment_step(client):
    url = reverse("treatment:assessment", args=[triaged(client).pk])
    return url, {
        **date_fields("assessment_date", days_ago(15)),
        "primary_substance": "heroin",
        "injecting_status": "never",
        "housing_need": "no_problem",
        "employment_status": "unemployed",
        "parental_status": "not_a_parent",
    }


def episode_step(client):
    referral = triaged(client)
    AssessmentFactory(referral=referral, assessment_date=days_ago(18))
    url = reverse("treatment:episode_start", args=[referral.pk])
    return url, {**date_fields("start_date", days_ago(15)), "keyworker": client.keyworker.pk}


def modality_step(client):
    episode = TreatmentEpisodeFactory(client=client, start_date=days_ago(90))
    url = reverse("treatment:modality_add", args=[episode.pk])
    return url, {
        "modality_type": "psychosocial",
        "setting": "community",
        **date_fields("referred_date", days_ago(80)),
    }


def discharge_step(client):
    episode = TreatmentEpisodeFactory(client=client, start_date=days_ago(90), care_planned=True)
    ModalityFactory(episode=episode, ost=True)
    url = reverse("treatment:discharge", args=[episode.pk])
    return url, {
        **date_fields("discharge_date", days_ago(2)),
        "discharge_reason": DischargeReason.TRANSFERRED_COMMUNITY,
        "confirm_modalities_end": "on",
    }


STEPS = {
    "referral": referral_step,
    "triage": triage_step,
    "assessment": assessment_step,
    "episode": episode_step,
    "modality": modality_step,
    "discharge": discharge_step,
}


def saved_state() -> tuple:
    """Everything a journey page could write."""
    return (
        Referral.objects.count(),
        Triage.objects.count(),
        Assessment.objects.count(),
        TreatmentEpisode.objects.count(),
        TreatmentEpisode.objects.filter(discharge_date__isnull=False).count(),
        Modality.objects.count(),
        Modality.objects.filter(end_date__isnull=False).count(),
        sorted(Referral.objects.values_list("status", flat=True)),
        # Reads and refused attempts are audited (issue #9); nothing else may be written.
        AuditEntry.objects.exclude(action__in=["view", "refused"]).count(),
    )


@pytest.mark.parametrize(
    ("step", "changes", "field", "message"),
    [
        (
            "referral",
            date_fields("referral_date", days_ago(-1)),
            "id_referral_date",
            "The referral date cannot be in the future",
        ),
        (
            "referral",
            {"referral_date[day]": "31", "referral_date[month]": "2"},
            "id_referral_date",
            "Referral date must be a real date",
        ),
        (
            "referral",
            {"referral_date[month]": ""},
            "id_referral_date",
            "Referral date must include a month",
        ),
        ("referral", {"source": ""}, "id_source", "Select source of referral"),
        (
            "referral",
            {"source": "martians"},
            "id_source",
            "Select one of the choices for source of referral",
        ),
        (
            "triage",
            date_fields("triage_date", days_ago(21)),
            "id_triage_date",
            f"Triage cannot be before the referral ({days_ago(20):%d/%m/%Y})",
        ),
        ("triage", {"outcome": ""}, "id_outcome", "Select outcome of triage"),
        (
            "assessment",
            date_fields("assessment_date", days_ago(19)),
            "id_assessment_date",
            f"The assessment cannot be before triage ({days_ago(18):%d/%m/%Y})",
        ),
        (
            "assessment",
            {"tertiary_substance": "crack"},
            "id_secondary_substance",
            "Name the second substance before a third",
        ),
        (
            "assessment",
            {"secondary_substance": "heroin"},
            "id_secondary_substance",
            "Each substance may be named once",
        ),
        (
            "assessment",
            {"primary_substance": ""},
            "id_primary_substance",
            "Select main problem substance",
        ),
        (
            "assessment",
            {"drinking_days": "29"},
            "id_drinking_days",
            "Drinking days in the past 28 must be 28 or less",
        ),
        (
            "assessment",
            {"primary_age_first_use": "3"},
            "id_primary_age_first_use",
            "Age at first use (main substance) must be 5 or more",
        ),
        (
            "episode",
            date_fields("start_date", days_ago(19)),
            "id_start_date",
            f"Treatment cannot start before triage ({days_ago(18):%d/%m/%Y})",
        ),
        ("episode", {"keyworker": ""}, "id_keyworker", "Select keyworker"),
        (
            "modality",
            {**date_fields("start_date", days_ago(70)), **date_fields("end_date", days_ago(75))},
            "id_end_date",
            "The end date must be after the start",
        ),
        (
            "modality",
            {"ost_medicine": "methadone"},
            "id_ost_medicine",
            "Only a pharmacological intervention can be opioid substitution",
        ),
        (
            "modality",
            date_fields("start_date", days_ago(81)),
            "id_start_date",
            "A modality cannot start before it was referred",
        ),
        (
            "modality",
            date_fields("referred_date", days_ago(150)),
            "id_referred_date",
            "A modality cannot be referred before the referral",
        ),
        (
            "modality",
            date_fields("first_appointment_offered", days_ago(85)),
            "id_first_appointment_offered",
            "The first appointment cannot be offered before the modality referral",
        ),
        (
            "modality",
            date_fields("referred_date", days_ago(-5)),
            "id_referred_date",
            "This date cannot be in the future",
        ),
        (
            "discharge",
            date_fields("discharge_date", days_ago(91)),
            "id_discharge_date",
            f"Discharge cannot be before the episode started ({days_ago(90):%d/%m/%Y})",
        ),
        (
            "discharge",
            {"discharge_reason": ""},
            "id_discharge_reason",
            "Select reason for discharge",
        ),
        (
            "discharge",
            {"discharge_reason": DischargeReason.COMPLETED_DRUG_FREE},
            "id_discharge_reason",
            "A successful completion is not possible while opioid substitution continues: "
            "end it first",
        ),
        (
            "discharge",
            {"confirm_modalities_end": ""},
            "id_confirm_modalities_end",
            "Confirm that the running interventions will end",
        ),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_saves_nothing(
    web_as, client_record, step, changes, field, message
):
    url, data = STEPS[step](client_record)
    before = saved_state()
    response = web_as("keyworker").post(url, {**data, **changes})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert field_error(response, field) == message
    assert saved_state() == before


@pytest.mark.parametrize("step", STEPS)
def test_good_input_for_each_step_is_saved(web_as, client_record, step):
    # The counterpart of the refusals above: the same data, unchanged, is accepted.
    url, data = STEPS[step](client_record)
    before = saved_state()
    response = web_as("keyworker").post(url, data)
    assert response.status_code == 302, field_errors_of(response)
    assert saved_state() != before


@pytest.mark.parametrize("step", STEPS)
def test_opening_a_step_of_the_journey_is_audited_with_the_client(
    web_as, client_record, users, step
):
    url, _data = STEPS[step](client_record)
    assert web_as("keyworker").get(url).status_code == 200
    entry = AuditEntry.objects.get(action="view", client=client_record)
    assert entry.username == users["keyworker"].username and "form" in entry.detail


def test_second_open_referral_is_refused_above_the_form(web_as, client_record):
    ReferralFactory(client=client_record, referral_date=days_ago(30))
    http = web_as("keyworker")
    url, data = referral_step(client_record)
    assert 'id="open-referral"' in http.get(url).text
    response = http.post(url, data)
    assert "already has an open referral" in response.text
    assert Referral.objects.count() == 1


def test_an_inpatient_detox_is_recorded_as_a_pharmacological_intervention_in_an_inpatient_unit(
    web_as, client_record
):
    episode = TreatmentEpisodeFactory(client=client_record, start_date=days_ago(90))
    url = reverse("treatment:modality_add", args=[episode.pk])
    http = web_as("keyworker")
    form = http.get(url).text
    assert "Inpatient detoxification" not in form and "Residential rehabilitation" not in form
    # The usual setting is offered, never chosen for them (H-94).
    assert 'value="community"' in form and not re.search(r'value="community"[^>]*checked', form)
    response = http.post(
        url,
        {
            "modality_type": "pharmacological",
            "setting": "inpatient",
            **date_fields("referred_date", days_ago(30)),
            **date_fields("start_date", days_ago(20)),
        },
    )
    assert response.status_code == 302, field_errors_of(response)
    modality = Modality.objects.get()
    assert (modality.modality_type, modality.setting) == ("pharmacological", "inpatient")
    page = http.get(journey_url(client_record)).text
    assert "Inpatient unit" in page
    change = http.get(reverse("treatment:modality_edit", args=[modality.pk])).text
    assert "Change intervention: Pharmacological intervention, inpatient unit" in change


def test_invalid_modality_change_keeps_the_saved_record(web_as, client_record):
    episode = TreatmentEpisodeFactory(client=client_record, start_date=days_ago(90))
    modality = ModalityFactory(episode=episode, start_date=days_ago(80))
    data = {
        "modality_type": "psychosocial",
        "setting": "community",
        **date_fields("referred_date", modality.referred_date),
        **date_fields("start_date", days_ago(80)),
        **date_fields("end_date", days_ago(85)),
        "exit_reason": "planned",
    }
    response = web_as("keyworker").post(
        reverse("treatment:modality_edit", args=[modality.pk]), data
    )
    assert field_error(response, "id_end_date") == "The end date must be after the start"
    modality.refresh_from_db()
    assert modality.end_date is None and modality.exit_reason == ""
    assert not AuditEntry.objects.filter(action="update").exists()


def test_discharge_page_lists_the_interventions_it_will_end(web_as, client_record):
    episode = TreatmentEpisodeFactory(client=client_record)
    ModalityFactory(episode=episode, ost=True)
    ModalityFactory(episode=episode, start_date=None)  # not started: stays as it is
    page = web_as("keyworker").get(reverse("treatment:discharge", args=[episode.pk])).text
    running = re.search(r'<ul id="running-modalities">(.*?)</ul>', page, re.S).group(1)
    assert running.count("<li>") == 1 and "Methadone" in running
    assert 'name="confirm_modalities_end"' in page


def test_discharge_without_running_interventions_needs_no_confirmation(web_as, client_record):
    episode = TreatmentEpisodeFactory(client=client_record)
    http = web_as("keyworker")
    url = reverse("treatment:discharge", args=[episode.pk])
    assert 'name="confirm_modalities_end"' not in http.get(url).text
    http.post(
        url,
        {
            **date_fields("discharge_date", days_ago(1)),
            "discharge_reason": DischargeReason.MOVED_AWAY,
        },
    )
    episode.refresh_from_db()
    assert episode.discharge_reason == DischargeReason.MOVED_AWAY


# Re-presentation


def completion(client, days: int, reason=DischargeReason.COMPLETED_DRUG_FREE):
    return TreatmentEpisodeFactory(
        client=client,
        start_date=days_ago(days + 100),
        discharge_date=days_ago(days),
        discharge_reason=reason,
    )


WARNING = "Re-presentation within 6 months of a successful completion on"
IF_TRIAGED = "this is a re-presentation within 6 months of the successful completion on"
HINT = "to this provider; NDTMS matches people nationally, so its figure can differ"


@pytest.mark.parametrize(("days", "flagged"), [(30, True), (182, True), (200, False)])
def test_new_referral_page_warns_of_re_presentation_if_triaged(
    web_as, client_record, days, flagged
):
    completion(client_record, days)
    page = web_as("keyworker").get(referral_step(client_record)[0]).text
    assert (f"{IF_TRIAGED} {date_uk(days_ago(days))}" in page) is flagged
    assert (HINT in page) is flagged
    assert "Treatment completed: drug free" in page  # the history beside the form


def test_re_presentation_is_judged_on_the_referral_date_typed(web_as, client_record):
    completion(client_record, 200)
    url, data = referral_step(client_record)
    # Dated 190 days ago (10 days after the completion), with a mistake elsewhere.
    response = web_as("keyworker").post(
        url, {**data, **date_fields("referral_date", days_ago(190)), "source": ""}
    )
    assert f"{IF_TRIAGED} {date_uk(days_ago(200))}" in response.text


def test_no_re_presentation_flag_after_an_unsuccessful_discharge(web_as, client_record):
    completion(client_record, 30, reason=DischargeReason.DROPPED_OUT)
    http = web_as("keyworker")
    url, data = referral_step(client_record)
    assert IF_TRIAGED not in http.get(url).text
    http.post(url, data)
    assert WARNING not in http.get(journey_url(client_record)).text


def test_re_presentation_is_flagged_on_the_overview_once_triaged(web_as, client_record):
    completion(client_record, 30)
    http = web_as("keyworker")
    url, data = referral_step(client_record)
    response = http.post(url, data, follow=True)
    assert f"{IF_TRIAGED} {date_uk(days_ago(30))}" in response.text  # the message after saving
    new_referral = Referral.objects.get(status=Referral.Status.RECEIVED)

    def section() -> str:
        return re.search(
            rf'<section[^>]*id="referral-{new_referral.pk}">(.*?)</section>',
            http.get(journey_url(client_record)).text,
            re.S,
        ).group(1)

    assert WARNING not in section()  # not triaged yet: not counted
    http.post(
        reverse("treatment:triage", args=[new_referral.pk]),
        {**date_fields("triage_date", days_ago(5)), "outcome": "accepted"},
    )
    flag = f"{WARNING} {date_uk(days_ago(30))}"
    assert flag in section() and HINT in section()


def test_overview_flags_each_referral_against_its_own_triage(web_as, client_record):
    completion(client_record, 400)
    returned = TreatmentEpisodeFactory(
        client=client_record,
        start_date=days_ago(370),
        referral__referral_date=days_ago(380),
        discharge_date=days_ago(300),
        discharge_reason=DischargeReason.DROPPED_OUT,
    )
    TriageFactory(referral=returned.referral, triage_date=days_ago(375))
    latest = TreatmentEpisodeFactory(client=client_record, start_date=days_ago(90))
    TriageFactory(referral=latest.referral, triage_date=days_ago(95))
    page = web_as("keyworker").get(journey_url(client_record)).text

    def section(referral_id: int) -> str:
        pattern = rf'<section[^>]*id="referral-{referral_id}">(.*?)</section>'
        return re.search(pattern, page, re.S).group(1)

    assert f"{WARNING} {date_uk(days_ago(400))}" in section(returned.referral_id)
    assert WARNING not in section(latest.referral_id)


# Who may do what


def record_urls(client) -> list[str]:
    episode = TreatmentEpisodeFactory(client=client)
    modality = ModalityFactory(episode=episode)
    referral = episode.referral
    return [
        reverse("treatment:referral_create", args=[client.client_number]),
        reverse("treatment:triage", args=[referral.pk]),
        reverse("treatment:assessment", args=[referral.pk]),
        reverse("treatment:episode_start", args=[referral.pk]),
        reverse("treatment:modality_add", args=[episode.pk]),
        reverse("treatment:modality_edit", args=[modality.pk]),
        reverse("treatment:discharge", args=[episode.pk]),
    ]


@pytest.mark.parametrize("role", ["prescriber", "nurse"])
def test_prescriber_and_nurse_may_view_the_journey_but_not_record_it(web_as, client_record, role):
    urls = record_urls(client_record)
    http = web_as(role)
    overview = http.get(journey_url(client_record))
    assert overview.status_code == 200
    assert "In treatment" in overview.text  # the journey is there to read
    for link in ("/referrals/new/", "/triage/", "/modalities/", "/discharge/", "Add a referral"):
        assert link not in overview.text
    before = saved_state()
    for url in urls:
        assert http.get(url).status_code == 403, url
        assert http.post(url, {}).status_code == 403, url
    assert saved_state() == before
    assert AuditEntry.objects.filter(action="refused").count() == 2 * len(urls)


@pytest.mark.parametrize("role", ["driver", "volunteer", "commissioner"])
def test_roles_without_client_records_are_refused_everything(web_as, client_record, role):
    urls = [journey_url(client_record), *record_urls(client_record)]
    http = web_as(role)
    for url in urls:
        assert http.get(url).status_code == 403, url
        assert http.post(url, {}).status_code == 403, url


def test_keyworker_of_another_team_is_refused(web_as, client_record, make_user, provider):
    outsider = make_user(
        "keyworker", username="outsider", team=TeamFactory(provider=provider, name="North")
    )
    urls = [journey_url(client_record), *record_urls(client_record)]
    http = web_as(outsider)
    for url in urls:
        assert http.get(url).status_code == 403, url


def test_team_colleague_may_record_for_a_client_on_anothers_caseload(
    web_as, client_record, make_user
):
    # Referrals often reach the team's duty worker, not the client's own keyworker.
    colleague = make_user("keyworker", username="duty-worker")
    url, data = triage_step(client_record)
    assert web_as(colleague).post(url, data).status_code == 302
    assert Triage.objects.filter(triaged_by=colleague).exists()


def test_another_providers_records_are_not_found(web_as, other_provider):
    stranger = ClientFactory(provider=other_provider)
    urls = [journey_url(stranger), *record_urls(stranger)]
    http = web_as("keyworker")
    for url in urls:
        assert http.get(url).status_code == 404, url
        assert http.post(url, {}).status_code == 404, url


def test_pages_that_show_treatment_history_are_audited_as_reads(web_as, users, team):
    from beacon.clients.tests.factories import ClientFactory
    from beacon.core.models import AuditEntry
    from beacon.treatment.tests.factories import ModalityFactory, TreatmentEpisodeFactory

    client = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    episode = TreatmentEpisodeFactory(client=client)
    modality = ModalityFactory(episode=episode)
    http = web_as("keyworker")
    http.get(reverse("treatment:referral_create", args=[client.client_number]))
    http.get(reverse("treatment:modality_edit", args=[modality.pk]))
    http.get(reverse("treatment:discharge", args=[episode.pk]))
    details = set(
        AuditEntry.objects.filter(action="view", client=client).values_list("detail", flat=True)
    )
    assert any("new referral form" in d for d in details)
    assert any("change form" in d for d in details)
    assert any("discharge form" in d for d in details)
