"""Pages of the treatment journey: overview, referral, triage, assessment, episode, discharge,
and the pages that correct each of them.

Every record is loaded by its selector in beacon/treatment/selectors/journey.py (another
provider's id is a 404, a client the rule refuses a 403). Writes go through
beacon/treatment/services/journey.py, whose refusals appear next to the field.
"""

import datetime
from collections.abc import Callable
from copy import copy
from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.clients.hooks import SummaryRow
from beacon.clients.models import Client
from beacon.clients.services import client_record_viewed
from beacon.core.audit import audit_origin
from beacon.core.forms import form_saved_by, service_errors_onto
from beacon.core.permissions import permission_required, user_can
from beacon.core.presenters import date_uk
from beacon.core.roles import Role
from beacon.treatment.forms.journey import (
    AssessmentForm,
    DischargeForm,
    EpisodeStartForm,
    ModalityForm,
    ReferralForm,
    TriageForm,
)
from beacon.treatment.models import TreatmentEpisode
from beacon.treatment.presenters.journey import (
    REPRESENTATION_HINT,
    episode_summary,
    modalities_tables,
    representation_if_triaged_warning,
    representation_warning,
    successful,
)
from beacon.treatment.selectors import journey as selectors
from beacon.treatment.selectors.journey import (
    assessment_get,
    episode_get,
    modality_get,
    referral_get,
    treatment_client_get,
    triage_get,
)
from beacon.treatment.selectors.tops import episode_has_exit_top
from beacon.treatment.services import journey as services

VIEW = "treatment.view_journey"
RECORD = "treatment.record_journey"


def record_viewed(request: HttpRequest, client: Client, what: str) -> None:
    """A page about one client shows their record: opening it (a GET) is a read, for the
    audit log. A POST is a write, which its service audits."""
    if request.method == "GET":
        client_record_viewed(
            actor=request.user, client=client, origin=audit_origin(request), what=what
        )


def _to_journey(client: Client) -> HttpResponse:
    return redirect("treatment:journey", client_number=client.client_number)


def _step_page(
    request,
    *,
    form,
    client,
    title: str,
    button: str,
    template: str = "",
    viewed: str = "",
    **extra,
):
    """A page of a step of the client's journey, or of a correction: opening it shows who the
    client is (and a correction what was saved), a read for the audit log as `viewed`, by
    default the page's title and "(form)"."""
    record_viewed(request, client, viewed or f"{title.lower()} (form)")
    return render(
        request,
        template or "treatment/journey/step_form.html",
        {"form": form, "client": client, "title": title, "button": button, **extra},
    )


@permission_required(VIEW)
def journey(request: HttpRequest, client_number: str) -> HttpResponse:
    client = treatment_client_get(user=request.user, client_number=client_number)
    client_record_viewed(
        actor=request.user, client=client, origin=audit_origin(request), what="treatment journey"
    )
    referrals = list(selectors.with_representation(selectors.client_referrals(client=client)))
    completions = selectors.representation_completions(referrals)
    warnings = {
        referral.pk: representation_warning(completions.get(referral.pk)) for referral in referrals
    }
    may_record = user_can(request.user, RECORD, client)
    return render(
        request,
        "treatment/journey/overview.html",
        {
            "client": client,
            "may_record": may_record,
            "referrals": referrals,
            "modalities": modalities_tables(referrals, may_record=may_record),
            "warnings": warnings,
            "has_open_referral": any(
                r.status in services.OPEN_REFERRAL_STATUSES for r in referrals
            ),
            "successful": successful,
            "representation_hint": REPRESENTATION_HINT,
        },
    )


def _representation_on(form: ReferralForm, client: Client) -> TreatmentEpisode | None:
    """The completion a triage on the typed referral date (today, before one is typed) would
    re-present after."""
    on = timezone.localdate()
    if form.is_bound and not form.has_error("referral_date"):
        typed = form.cleaned_data.get("referral_date")
        if isinstance(typed, datetime.date) and typed <= on:
            on = typed
    return selectors.representation_if_triaged(client=client, on=on)


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, client_number: str) -> HttpResponse:
    client = treatment_client_get(user=request.user, client_number=client_number, permission=RECORD)
    form = ReferralForm(request.POST or None, initial={"referral_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(
                actor=request.user,
                client=client,
                data=form.cleaned_data,
                origin=audit_origin(request),
            )
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, f"Referral of {date_uk(referral.referral_date)} added.")
            warning = representation_if_triaged_warning(
                selectors.representation_if_triaged(
                    client=client, on=referral.referral_date, excluding_referral=referral
                )
            )
            if warning:
                messages.warning(request, warning)
            return _to_journey(client)
    history = list(selectors.client_referrals(client=client))
    record_viewed(request, client, "treatment history (new referral form)")
    return render(
        request,
        "treatment/journey/referral_form.html",
        {
            "form": form,
            "client": client,
            "title": "New referral",
            "button": "Save referral",
            "warning": representation_if_triaged_warning(_representation_on(form, client)),
            "representation_hint": REPRESENTATION_HINT,
            "history": history,
            "modalities": modalities_tables(history, may_record=False),
            "open_referral": next(
                (r for r in history if r.status in services.OPEN_REFERRAL_STATUSES), None
            ),
            "successful": successful,
        },
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def triage_record(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get(user=request.user, referral_id=referral_id, permission=RECORD)
    form = TriageForm(request.POST or None, initial={"triage_date": timezone.localdate()})
    if form_saved_by(request, form, services.triage_record, referral=referral):
        messages.success(request, "Triage recorded.")
        return _to_journey(referral.client)
    return _step_page(
        request,
        form=form,
        client=referral.client,
        title=f"Triage: referral of {date_uk(referral.referral_date)}",
        button="Save triage",
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def assessment_record(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get(user=request.user, referral_id=referral_id, permission=RECORD)
    form = AssessmentForm(request.POST or None, initial={"assessment_date": timezone.localdate()})
    if form_saved_by(request, form, services.assessment_record, referral=referral):
        messages.success(request, "Comprehensive assessment recorded.")
        return _to_journey(referral.client)
    return _step_page(
        request,
        form=form,
        client=referral.client,
        title="Comprehensive assessment",
        button="Save assessment",
        template="treatment/journey/assessment_form.html",
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def episode_start(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get(user=request.user, referral_id=referral_id, permission=RECORD)
    client = referral.client
    keyworker = (
        client.keyworker if client.keyworker and client.keyworker.role == Role.KEYWORKER else None
    )
    form = EpisodeStartForm(
        request.POST or None,
        provider=request.provider,
        initial={"start_date": timezone.localdate(), "keyworker": keyworker},
    )
    if form_saved_by(request, form, services.episode_start, referral=referral):
        messages.success(request, "Treatment episode started.")
        return _to_journey(client)
    return _step_page(
        request, form=form, client=client, title="Start treatment", button="Start treatment"
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def modality_add(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = episode_get(user=request.user, episode_id=episode_id, permission=RECORD)
    form = ModalityForm(request.POST or None, initial={"referred_date": timezone.localdate()})
    if form_saved_by(request, form, services.modality_add, episode=episode):
        messages.success(request, "Intervention added.")
        return _to_journey(episode.client)
    return _step_page(
        request,
        form=form,
        client=episode.client,
        title="Add an intervention (modality)",
        button="Save intervention",
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def modality_edit(request: HttpRequest, modality_id: int) -> HttpResponse:
    modality = modality_get(user=request.user, modality_id=modality_id, permission=RECORD)
    client = modality.episode.client
    # The form works on a copy, so the service sees what changed.
    form = ModalityForm(request.POST or None, instance=copy(modality))
    if form_saved_by(request, form, services.modality_update, modality=modality):
        messages.success(request, "Intervention saved.")
        return _to_journey(client)
    return _step_page(
        request,
        form=form,
        client=client,
        title=f"Change intervention: {modality}",
        button="Save intervention",
        viewed=f"intervention {modality.pk} (change form)",
    )


def _correction_page(
    request,
    *,
    form,
    client,
    service: Callable[..., object],
    records: dict,
    title: str,
    button: str,
    template: str = "",
) -> HttpResponse:
    """A page correcting one saved record: on a valid POST call `service` for `records`, else
    show the form."""
    if form_saved_by(request, form, service, **records):
        messages.success(request, f"{title.removeprefix('Change ').capitalize()} saved.")
        return _to_journey(client)
    return _step_page(
        request,
        form=form,
        client=client,
        title=title,
        button=button,
        template=template,
        viewed=title.lower(),
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def referral_edit(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get(user=request.user, referral_id=referral_id, permission=RECORD)
    # Each form works on a copy, so the service sees what changed.
    form = ReferralForm(request.POST or None, instance=copy(referral))
    return _correction_page(
        request,
        form=form,
        client=referral.client,
        service=services.referral_update,
        records={"referral": referral},
        title="Change referral",
        button="Save referral",
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def triage_edit(request: HttpRequest, referral_id: int) -> HttpResponse:
    triage = triage_get(user=request.user, referral_id=referral_id, permission=RECORD)
    form = TriageForm(request.POST or None, instance=copy(triage))
    return _correction_page(
        request,
        form=form,
        client=triage.referral.client,
        service=services.triage_update,
        records={"triage": triage},
        title="Change triage",
        button="Save triage",
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, referral_id: int) -> HttpResponse:
    assessment = assessment_get(user=request.user, referral_id=referral_id, permission=RECORD)
    form = AssessmentForm(request.POST or None, instance=copy(assessment))
    return _correction_page(
        request,
        form=form,
        client=assessment.referral.client,
        service=services.assessment_update,
        records={"assessment": assessment},
        title="Change comprehensive assessment",
        button="Save assessment",
        template="treatment/journey/assessment_form.html",
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def episode_edit(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = episode_get(user=request.user, episode_id=episode_id, permission=RECORD)
    form = EpisodeStartForm(request.POST or None, provider=request.provider, instance=copy(episode))
    return _correction_page(
        request,
        form=form,
        client=episode.client,
        service=services.episode_update,
        records={"episode": episode},
        title="Change treatment episode",
        button="Save treatment episode",
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def episode_discharge(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = episode_get(user=request.user, episode_id=episode_id, permission=RECORD)
    running = [m for m in episode.modalities.all() if m.is_active]
    form = DischargeForm(
        request.POST or None,
        instance=copy(episode),
        running_modalities=bool(running),
        initial={"discharge_date": timezone.localdate()},
    )
    if form_saved_by(request, form, services.episode_discharge, episode=episode):
        messages.success(request, f"Discharged on {date_uk(episode.discharge_date)}.")
        return _to_journey(episode.client)
    return _step_page(
        request,
        form=form,
        client=episode.client,
        title="Discharge from treatment",
        button="Discharge",
        template="treatment/journey/discharge_form.html",
        viewed=f"episode {episode.pk} (discharge form)",
        episode=episode,
        running=running,
        exit_top_missing=not episode_has_exit_top(episode=episode),
        may_record_top=user_can(request.user, "treatment.record_top", episode.client),
    )


# What treatment adds to lower apps' pages -------------------------------------------------


def client_summary_rows(
    client: Client, user, *, today: datetime.date, now: datetime.datetime
) -> list[SummaryRow]:
    """The client page's summary line for the open episode (registered in
    `beacon/clients/hooks.py`), for a user who may read the journey."""
    if not user_can(user, VIEW, client):
        return []
    row = episode_summary(selectors.open_episode_summary(client=client), today=today)
    return [
        replace(
            row, href=reverse("treatment:journey", args=[client.client_number]), link_text="Journey"
        )
    ]
