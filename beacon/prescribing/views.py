"""Pages of OST prescribing: a client's prescriptions, writing one, dose changes, instalments.

Every record is loaded through the user's provider (another provider's id is a 404), then
the permission is checked against the record's client (403). Writes go through
beacon/prescribing/services.py; every page that shows a prescription is audited as a read.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.clients import selectors as client_selectors
from beacon.clients import services as client_services
from beacon.core.forms import form_saved, service_errors_onto
from beacon.core.permissions import ensure_can, permission_required
from beacon.core.presenters import date_uk
from beacon.prescribing import safety, selectors, services
from beacon.prescribing.forms import (
    DoseChangeForm,
    OutcomeForm,
    PrescriptionEndForm,
    PrescriptionForm,
    ReviewForm,
)
from beacon.prescribing.medicines import weekday_names
from beacon.prescribing.models import Instalment, Prescription

VIEW = "prescribing.view_prescription"
WRITE = "prescribing.write_prescription"
REVIEW = "prescribing.review_missed_doses"


def _prescription_for(request: HttpRequest, prescription_id: int, permission: str) -> Prescription:
    prescription = get_object_or_404(
        request.provider.prescriptions.select_related("client", "prescriber", "pharmacy"),
        pk=prescription_id,
    )
    ensure_can(request.user, permission, prescription.client)
    return prescription


def _viewed(request: HttpRequest, client, what: str) -> None:
    client_services.client_record_viewed(
        actor=request.user, client=client, request=request, what=what
    )


def _to_prescription(prescription: Prescription) -> HttpResponse:
    return redirect("prescribing:detail", prescription_id=prescription.pk)


def _form_page(request, *, form, prescription=None, client, title, button, **extra):
    return render(
        request,
        "prescribing/form.html",
        {
            "form": form,
            "client": client,
            "prescription": prescription,
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
    return render(
        request,
        "prescribing/prescription_list.html",
        {
            "client": client,
            "prescriptions": selectors.client_prescriptions(client=client),
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
                actor=request.user, client=client, data=form.service_data(), request=request
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
    )


@permission_required(VIEW)
def prescription_detail(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = _prescription_for(request, prescription_id, VIEW)
    _viewed(request, prescription.client, f"OST prescription {prescription.pk}")
    return render(
        request,
        "prescribing/prescription_detail.html",
        {
            "client": prescription.client,
            "prescription": prescription,
            "instalments": selectors.prescription_instalments(prescription=prescription),
            "dose_changes": prescription.dose_changes.select_related("changed_by"),
            "reviews": prescription.missed_dose_reviews.select_related("reviewed_by"),
            "supervised": weekday_names(prescription.supervised_days),
            "missed_days": safety.consecutive_missed_days(prescription),
            "today": timezone.localdate(),
        },
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def dose_change(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = _prescription_for(request, prescription_id, WRITE)
    form = DoseChangeForm(request.POST or None, initial={"effective_date": timezone.localdate()})

    def save(data):
        services.prescription_change_dose(
            actor=request.user, prescription=prescription, data=data, request=request
        )

    if form_saved(request, form, save):
        messages.success(request, "Dose changed.")
        return _to_prescription(prescription)
    _viewed(request, prescription.client, f"dose change form, prescription {prescription.pk}")
    return _form_page(
        request,
        form=form,
        prescription=prescription,
        client=prescription.client,
        title=f"Change the dose: {prescription.medicine_name}",
        button="Change dose",
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def prescription_end(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = _prescription_for(request, prescription_id, WRITE)
    form = PrescriptionEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})

    def save(data):
        services.prescription_end(
            actor=request.user, prescription=prescription, data=data, request=request
        )

    if form_saved(request, form, save):
        messages.success(request, "Prescription ended.")
        return _to_prescription(prescription)
    _viewed(request, prescription.client, f"end form, prescription {prescription.pk}")
    return _form_page(
        request,
        form=form,
        prescription=prescription,
        client=prescription.client,
        title=f"End the prescription: {prescription.medicine_name}",
        button="End prescription",
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def instalment_outcome(request: HttpRequest, instalment_id: int) -> HttpResponse:
    instalment: Instalment = get_object_or_404(
        request.provider.ost_instalments.select_related("prescription__client"), pk=instalment_id
    )
    prescription = instalment.prescription
    ensure_can(request.user, WRITE, prescription.client)
    form = OutcomeForm(request.POST or None)

    def save(data):
        services.instalment_record_outcome(
            actor=request.user, instalment=instalment, data=data, request=request
        )

    if form_saved(request, form, save):
        messages.success(request, f"Instalment of {date_uk(instalment.date)} recorded.")
        return _to_prescription(prescription)
    _viewed(request, prescription.client, f"instalment {instalment.pk}")
    return _form_page(
        request,
        form=form,
        prescription=prescription,
        client=prescription.client,
        title=f"Instalment of {date_uk(instalment.date)}",
        button="Record outcome",
        instalment=instalment,
    )


@permission_required(REVIEW)
@require_http_methods(["GET", "POST"])
def missed_dose_review(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = _prescription_for(request, prescription_id, REVIEW)
    form = ReviewForm(request.POST or None)

    def save(data):
        services.missed_dose_review_record(
            actor=request.user,
            prescription=prescription,
            data=data,
            request=request,
        )

    if form_saved(request, form, save):
        messages.success(request, "Review recorded.")
        return _to_prescription(prescription)
    _viewed(request, prescription.client, f"missed-dose review, prescription {prescription.pk}")
    return _form_page(
        request,
        form=form,
        prescription=prescription,
        client=prescription.client,
        title="Review after missed doses",
        button="Record review",
        missed_days=safety.consecutive_missed_days(prescription),
    )


urlpatterns = [
    path("clients/<str:client_number>/", prescription_list, name="list"),
    path("clients/<str:client_number>/new/", prescription_create, name="create"),
    path("<int:prescription_id>/", prescription_detail, name="detail"),
    path("<int:prescription_id>/dose/", dose_change, name="dose_change"),
    path("<int:prescription_id>/end/", prescription_end, name="end"),
    path("<int:prescription_id>/review/", missed_dose_review, name="review"),
    path("instalments/<int:instalment_id>/outcome/", instalment_outcome, name="outcome"),
]
