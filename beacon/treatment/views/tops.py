"""Pages for Treatment Outcomes Profiles: a client's TOPs, recording and correcting one, and
the list of TOPs due (when one is due is `selectors.tops.tops_due`)."""

import datetime
from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.core.forms import form_saved_by
from beacon.core.models import User
from beacon.core.permissions import permission_required, user_can
from beacon.core.presenters import Worklist
from beacon.treatment.forms.tops import TopForm
from beacon.treatment.presenters.tops import (
    TopsDueExport,
    tops_due_table,
    tops_due_worklist,
    tops_table,
)
from beacon.treatment.selectors import tops as top_selectors
from beacon.treatment.selectors.journey import treatment_client_get
from beacon.treatment.services import tops as top_services
from beacon.treatment.views.caseload import EXPORT, due_list_csv, due_list_page
from beacon.treatment.views.journey import record_viewed

VIEW = "treatment.view_journey"
RECORD_TOP = "treatment.record_top"
CASELOAD = "treatment.view_caseload"
TOPS_DUE = "treatment.view_tops_due"


# Treatment Outcomes Profiles


@permission_required(VIEW)
def tops_page(request: HttpRequest, client_number: str) -> HttpResponse:
    client = treatment_client_get(user=request.user, client_number=client_number, permission=VIEW)
    record_viewed(request, client, "TOPs")
    may_record = user_can(request.user, RECORD_TOP, client)
    return render(
        request,
        "treatment/tops/tops.html",
        {
            "client": client,
            "may_record": may_record,
            "tops_table": tops_table(
                top_selectors.client_tops(client=client), may_record=may_record
            ),
            "exit_top_missing": top_selectors.exit_top_missing(
                client=client, today=timezone.localdate()
            ),
        },
    )


@permission_required(RECORD_TOP)
@require_http_methods(["GET", "POST"])
def top_create(request: HttpRequest, client_number: str) -> HttpResponse:
    client = treatment_client_get(
        user=request.user, client_number=client_number, permission=RECORD_TOP
    )
    episode = top_selectors.episode_for_top(client=client)
    form = TopForm(request.POST or None, initial={"completed_on": timezone.localdate()})
    if episode and form_saved_by(request, form, top_services.top_record, episode=episode):
        messages.success(request, "TOP saved.")
        return redirect("treatment:tops", client_number=client.client_number)
    record_viewed(request, client, "new TOP form")
    return render(
        request,
        "treatment/tops/top_form.html",
        {"client": client, "form": form, "episode": episode},
    )


@permission_required(RECORD_TOP)
@require_http_methods(["GET", "POST"])
def top_edit(request: HttpRequest, top_id: int) -> HttpResponse:
    top = top_selectors.top_get(user=request.user, top_id=top_id, permission=RECORD_TOP)
    client = top.client
    initial = {"stage": top.stage, "completed_on": top.completed_on, **TopForm.initial_from(top)}
    title = f"Change TOP of {top.completed_on:%d/%m/%Y}"  # as saved, before any change
    form = TopForm(request.POST or None, initial=initial)
    if form_saved_by(request, form, top_services.top_update, top=top):
        messages.success(request, "TOP saved.")
        return redirect("treatment:tops", client_number=client.client_number)
    record_viewed(request, client, f"TOP {top.pk}")
    return render(
        request,
        "treatment/tops/top_form.html",
        {
            "client": client,
            "form": form,
            "episode": top.episode,
            "title": title,
        },
    )


# The list of TOPs due


@permission_required(TOPS_DUE)
def tops_due_page(request: HttpRequest) -> HttpResponse:
    return due_list_page(
        request,
        rows=partial(top_selectors.tops_due_list, user=request.user),
        what="TOPs due list",
        template="treatment/tops/tops_due.html",
        context=lambda rows, today: {
            "tops_due_table": tops_due_table(rows, user=request.user, today=today),
            "lookahead": top_selectors.TOPS_DUE_LOOKAHEAD_DAYS,
        },
        csv_url=reverse("treatment:tops_due_csv"),
    )


@permission_required(EXPORT)
def tops_due_csv(request: HttpRequest) -> HttpResponse:
    return due_list_csv(
        request,
        rows=partial(top_selectors.tops_due_list, user=request.user),
        what="TOPs due list",
        exporter=TopsDueExport,
        page=tops_due_page,
    )


def tops_due_section(*, user: User, today: datetime.date) -> Worklist:
    """Treatment's section of the nurse's worklist: the TOPs due (as the TOPs-due list)."""
    due = top_selectors.tops_due_list(user=user, today=today)
    return tops_due_worklist(due, user=user, today=today)
