"""Pages of OST prescribing: a client's prescriptions, writing one, dose changes, instalments.

Every record is loaded by its selector (beacon/prescribing/selectors.py) through the
user's provider (another provider's id is a 404), then the permission is checked against
the record's client (403). Writes go through beacon/prescribing/services.py; every page
that shows a prescription is audited as a read. The URLs are in urls.py.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.clients import selectors as client_selectors
from beacon.clients import services as client_services
from beacon.clients.models import Client
from beacon.clients.presenters import ClientPresenter
from beacon.core.audit import Action, AuditOrigin, audit_origin, audit_request
from beacon.core.forms import form_saved, form_saved_by, service_errors_onto
from beacon.core.models import User
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required, user_can
from beacon.core.presenters import date_uk
from beacon.prescribing import presenters, safety, selectors, services
from beacon.prescribing.forms import (
    CONDITIONAL_FIELDS,
    ContinueForm,
    DoseChangeForm,
    OutcomeForm,
    PrescriptionEndForm,
    PrescriptionForm,
    ReviewForm,
)
from beacon.prescribing.medicines import weekday_names
from beacon.prescribing.models import Prescription
from beacon.prescribing.rules import ENDING_SOON, PRINT, REVIEW, VIEW, WRITE
from beacon.prescribing.wording import wording_lines
from beacon.treatment.forms.caseload import list_search


def _viewed(request: HttpRequest, client: Client, what: str) -> None:
    client_services.client_record_viewed(
        actor=request.user, client=client, origin=audit_origin(request), what=what
    )


def _to_prescription(prescription: Prescription) -> HttpResponse:
    return redirect("prescribing:detail", prescription_id=prescription.pk)


def _form_page(
    request: HttpRequest,
    *,
    form,
    prescription: Prescription | None = None,
    client: Client,
    title: str,
    button: str,
    template: str = "prescribing/form.html",
    **extra,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "form": form,
            "client": client,
            "prescription": prescription,
            "prescription_summary": (
                presenters.prescription_summary(prescription) if prescription else ""
            ),
            "title": title,
            "button": button,
            **extra,
        },
    )


@permission_required(VIEW)
def prescription_list(request: HttpRequest, client_number: str) -> HttpResponse:
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=VIEW
    )
    _viewed(request, client, "OST prescriptions")
    prescriptions = selectors.client_prescriptions(client=client)
    return render(
        request,
        "prescribing/prescription_list.html",
        {
            "client": client,
            "head": presenters.PRESCRIPTION_HEAD,
            "prescription_rows": presenters.prescription_rows(
                prescriptions, today=timezone.localdate()
            ),
            "time_to_first": selectors.referral_to_first_prescription(client=client),
        },
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def prescription_create(request: HttpRequest, client_number: str) -> HttpResponse:
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=WRITE
    )
    form = PrescriptionForm(
        request.POST or None,
        provider=request.provider,
        user=request.user,
        initial={"start_date": timezone.localdate(), "pattern": "daily"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            prescription = services.prescription_create(
                actor=request.user,
                client=client,
                data=form.service_data(),
                origin=audit_origin(request),
            )
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, f"Prescription written: {prescription}.")
            return _to_prescription(prescription)
    _viewed(request, client, "new OST prescription form")
    return _form_page(
        request,
        form=form,
        client=client,
        title="Write an OST prescription",
        button="Save prescription",
        template="prescribing/prescription_form.html",
        conditional={name: " ".join(codes) for name, codes in CONDITIONAL_FIELDS.items()},
    )


@permission_required(VIEW)
def prescription_detail(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=VIEW
    )
    client = prescription.client
    _viewed(request, client, f"OST prescription {prescription.pk}")
    may_write = user_can(request.user, WRITE, client)
    instalments = selectors.prescription_instalments(prescription=prescription)
    return render(
        request,
        "prescribing/prescription_detail.html",
        {
            "client": client,
            "prescription": prescription,
            "may_write": may_write,
            "dates": presenters.dates_text(prescription),
            "status": presenters.status_text(prescription, timezone.localdate()),
            "state": prescription.state_on(timezone.localdate()),
            "instalment_head": presenters.INSTALMENT_HEAD,
            "instalment_rows": presenters.instalment_rows(
                instalments,
                prescription=prescription,
                may_write=may_write,
                today=timezone.localdate(),
            ),
            "dose_changes": [
                presenters.dose_change_text(change) for change in prescription.dose_changes.all()
            ],
            "reviews": [
                presenters.review_text(review)
                for review in selectors.prescription_reviews(prescription=prescription)
            ],
            "supervised": weekday_names(prescription.supervised_days),
            "missed_days": safety.consecutive_missed_days(prescription),
            "wording_html": presenters.wording_html(prescription),
            "may_print": user_can(request.user, PRINT, client),
            "may_continue": may_write
            and prescription.ended_on is None
            and prescription.state_on(timezone.localdate()) != Prescription.State.ENDED,
            "plan_rows": presenters.plan_rows(prescription, instalments),
        },
    )


def _prescription_form(
    request: HttpRequest,
    prescription: Prescription,
    form,
    service,
    *,
    done: str,
    viewed: str,
    title: str,
    button: str,
    acts_on: dict | None = None,
    **extra,
) -> HttpResponse:
    """A page with one form about a prescription: a valid POST calls `service` on the
    prescription (or on `acts_on`, such as one of its instalments) and goes back to the
    prescription with the message `done`; otherwise the form, whose showing is a read of
    the client's record (`viewed`). `extra` goes to the template."""
    if form_saved_by(request, form, service, **(acts_on or {"prescription": prescription})):
        messages.success(request, done)
        return _to_prescription(prescription)
    _viewed(request, prescription.client, viewed)
    return _form_page(
        request,
        form=form,
        prescription=prescription,
        client=prescription.client,
        title=title,
        button=button,
        **extra,
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def dose_change(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=WRITE
    )
    return _prescription_form(
        request,
        prescription,
        DoseChangeForm(request.POST or None, initial={"effective_date": timezone.localdate()}),
        services.prescription_change_dose,
        done="Dose changed.",
        viewed=f"dose change form, prescription {prescription.pk}",
        title=f"Change the dose: {prescription.medicine_name}",
        button="Change dose",
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def prescription_end(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=WRITE
    )
    return _prescription_form(
        request,
        prescription,
        PrescriptionEndForm(request.POST or None, initial={"ended_on": timezone.localdate()}),
        services.prescription_end,
        done="Prescription ended.",
        viewed=f"end form, prescription {prescription.pk}",
        title=f"End the prescription: {prescription.medicine_name}",
        button="End prescription",
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def instalment_outcome(request: HttpRequest, instalment_id: int) -> HttpResponse:
    instalment = selectors.instalment_get(
        user=request.user, instalment_id=instalment_id, permission=WRITE
    )
    return _prescription_form(
        request,
        instalment.prescription,
        OutcomeForm(request.POST or None),
        services.instalment_record_outcome,
        acts_on={"instalment": instalment},
        done=f"Instalment of {date_uk(instalment.date)} recorded.",
        viewed=f"instalment {instalment.pk}",
        title=f"Instalment of {date_uk(instalment.date)}",
        button="Record outcome",
        instalment_summary=presenters.instalment_summary(instalment),
    )


@permission_required(REVIEW)
@require_http_methods(["GET", "POST"])
def missed_dose_review(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=REVIEW
    )
    return _prescription_form(
        request,
        prescription,
        ReviewForm(request.POST or None),
        services.missed_dose_review_record,
        done="Review recorded.",
        viewed=f"missed-dose review, prescription {prescription.pk}",
        title="Review after missed doses",
        button="Record review",
        missed_days=safety.consecutive_missed_days(prescription),
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def prescription_continue(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=WRITE
    )
    length = (prescription.end_date - prescription.start_date).days + 1
    form = ContinueForm(request.POST or None, initial={"days": length})
    continued: list[Prescription] = []

    def save(data: dict) -> None:
        continued.append(
            services.prescription_continue(
                actor=request.user,
                prescription=prescription,
                origin=audit_origin(request),
                reason=data.get("reason") or "",
                days=data["days"],
            )
        )

    if form_saved(request, form, save):
        messages.success(request, f"Prescription continued: {continued[0]}.")
        return _to_prescription(continued[0])
    _viewed(request, prescription.client, f"continue form, prescription {prescription.pk}")
    return _form_page(
        request,
        form=form,
        prescription=prescription,
        client=prescription.client,
        title=f"Continue the prescription: {prescription.medicine_name}",
        button="Continue prescription",
        continue_from=prescription.end_date + datetime.timedelta(days=1),
    )


@permission_required(PRINT)
def prescription_print(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=PRINT
    )
    client = prescription.client
    _viewed(request, client, f"printable OST prescription {prescription.pk}")
    total = selectors.prescription_total_quantity(prescription=prescription)
    return render(
        request,
        "prescribing/prescription_print.html",
        {
            "client": client,
            "prescription": prescription,
            "rows": presenters.printable_rows(
                prescription,
                client_address=ClientPresenter(client).address,
                total_mg=total,
                today=timezone.localdate(),
            ),
            "wording": wording_lines(prescription.instalment_wording),
            "instalment_head": presenters.PRINT_INSTALMENT_HEAD,
            "instalment_rows": presenters.print_instalment_rows(
                selectors.prescription_instalments(prescription=prescription),
                prescription=prescription,
            ),
        },
    )


def _ending_soon_page(request: HttpRequest) -> tuple:
    form, query = list_search(request.GET)
    prescriptions = selectors.prescriptions_ending_soon(
        user=request.user, today=timezone.localdate(), query=query
    )
    return form, query, prescriptions


@permission_required(ENDING_SOON)
def ending_soon(request: HttpRequest) -> HttpResponse:
    form, query, prescriptions = _ending_soon_page(request)
    page = paginate(request, prescriptions)
    audit_request(
        request,
        action=Action.VIEW,
        detail=f"OST prescriptions ending soon, {len(page.object_list)} shown",
    )
    return render(
        request,
        "prescribing/ending_soon.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "days": safety.threshold("BEACON_OST_ENDING_SOON_DAYS"),
            "head": presenters.ENDING_SOON_HEAD,
            "rows": presenters.ending_soon_rows(page.object_list),
            "may_continue": user_can(request.user, WRITE),
        },
    )


@permission_required(ENDING_SOON)
def ending_soon_csv(request: HttpRequest) -> HttpResponse:
    _form, _query, prescriptions = _ending_soon_page(request)
    audit_request(
        request,
        action=Action.EXPORT,
        detail=f"OST prescriptions ending soon, CSV of {len(prescriptions)}",
    )
    return presenters.EndingSoonExport(prescriptions, day=timezone.localdate()).csv_response()


def client_page_section(client: Client, user: User, *, origin: AuditOrigin | None = None):
    """Prescribing's part of the client page (registered in `beacon/clients/hooks.py`):
    days from referral to the first OST prescription, each current cross-titration as one
    plan, and the way to the prescriptions. Only for a user who may read the client's
    prescriptions; the read is audited like the prescriptions page."""
    if not user_can(user, VIEW, client):
        return None
    client_services.client_record_viewed(
        actor=user, client=client, origin=origin, what="OST summary on the client page"
    )
    today = timezone.localdate()
    return {
        "id": "opioid-substitution",
        "title": "Opioid substitution",
        "template": "prescribing/client_section.html",
        "context": {
            "time_to_first": presenters.time_to_first_text(
                selectors.referral_to_first_prescription(client=client)
            ),
            "cross_titration_rows": [
                presenters.cross_titration_row(plan, today=today)
                for plan in selectors.client_cross_titrations(client=client, today=today)
            ],
            "list_url": reverse("prescribing:list", args=[client.client_number]),
        },
    }
