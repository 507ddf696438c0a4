"""Pages of peer volunteers and outreach: for staff, the volunteers (record, training,
supervision, hours, representation), the overdue supervision list, shifts and referrals
with their CSVs, and the outreach activity report; for a volunteer, their own day (shifts,
check-in and check-out), a shift's contact form built for a phone, and their own records.

Records load through selectors (a volunteer reaches only their own: 404 for any other),
permissions are checked (403), writes go through services.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.forms import filters_refused, form_page, form_saved, form_saved_by
from beacon.core.pagination import paginate
from beacon.core.permissions import ensure_can, permission_required, user_can
from beacon.volunteers import presenters, selectors, services
from beacon.volunteers.forms import (
    OUTREACH_NSP_ITEMS,
    ContactForm,
    HoursForm,
    ReferralFilterForm,
    ReferralOutcomeForm,
    ReportPeriodForm,
    RepresentationForm,
    ShiftFilterForm,
    ShiftForm,
    SupervisionForm,
    TrainingForm,
    VolunteerFilterForm,
    VolunteerForm,
    nsp_field,
)
from beacon.volunteers.rules import (
    FOLLOW_REFERRALS,
    MANAGE,
    OWN_DAY,
    RECORD_OUTREACH,
    VIEW_CLIENT_LINK,
    VIEW_REPORT,
    VIEW_SMALL_COUNTS,
)

# Volunteers --------------------------------------------------------------------------------


@permission_required(MANAGE)
def volunteer_list(request: HttpRequest) -> HttpResponse:
    form = VolunteerFilterForm(request.GET or None)
    filters = form.filters()
    volunteers = selectors.volunteers_search(
        provider=request.provider, query=filters.get("q", ""), status=filters.get("status", "")
    ).prefetch_related("supervision")
    page = paginate(request, volunteers)
    return render(
        request,
        "volunteers/volunteers.html",
        {
            "form": form,
            "page": page,
            "table": presenters.volunteers_table(page, today=timezone.localdate()),
            "overdue_count": len(
                selectors.supervision_overdue(provider=request.provider, today=timezone.localdate())
            ),
        },
    )


@permission_required(MANAGE)
def volunteer_list_csv(request: HttpRequest) -> HttpResponse:
    form = VolunteerFilterForm(request.GET or None)
    filters = form.filters()
    volunteers = selectors.volunteers_search(
        provider=request.provider, query=filters.get("q", ""), status=filters.get("status", "")
    )
    audit_request(request, action=Action.EXPORT, detail="volunteers CSV")
    return presenters.VolunteersExport([] if filters_refused(form) else volunteers).csv_response()


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def volunteer_new(request: HttpRequest) -> HttpResponse:
    form = VolunteerForm(
        request.POST or None,
        provider=request.provider,
        may_link_client=user_can(request.user, VIEW_CLIENT_LINK),
    )
    saved = {}

    def save(data):
        saved["volunteer"] = services.volunteer_create(
            actor=request.user, data=data, origin=audit_origin(request)
        )

    if form_saved(request, form, save):
        messages.success(request, "Volunteer record made.")
        return redirect("volunteers:volunteer", volunteer_id=saved["volunteer"].pk)
    return form_page(
        request,
        form=form,
        title="Add a volunteer",
        button="Save volunteer",
        back="/volunteers/",
        intro="Make the volunteer's account first (role: peer volunteer), then their record.",
    )


@permission_required(MANAGE)
def volunteer_detail(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = selectors.volunteer_get(user=request.user, volunteer_id=volunteer_id)
    today = timezone.localdate()
    with_client = user_can(request.user, VIEW_CLIENT_LINK)
    audit_request(request, action=Action.VIEW, obj=volunteer, detail="volunteer record")
    return render(
        request,
        "volunteers/volunteer.html",
        {
            "volunteer": volunteer,
            "lines": presenters.volunteer_lines(volunteer, with_client=with_client),
            "training": presenters.training_table(
                selectors.training_of(volunteer=volunteer), today=today
            ),
            "supervision": presenters.supervision_table(
                selectors.supervision_of(volunteer=volunteer)
            ),
            "hours": list(volunteer.hours.all()),
            "representations": list(volunteer.representations.all()),
        },
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def volunteer_edit(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = selectors.volunteer_get(user=request.user, volunteer_id=volunteer_id)
    initial = {name: getattr(volunteer, name) for name in services.VOLUNTEER_FIELDS}
    form = VolunteerForm(
        request.POST or None,
        initial=initial,
        provider=request.provider,
        editing=volunteer,
        may_link_client=user_can(request.user, VIEW_CLIENT_LINK),
    )
    if form_saved_by(request, form, services.volunteer_update, volunteer=volunteer):
        messages.success(request, "Volunteer record saved.")
        return redirect("volunteers:volunteer", volunteer_id=volunteer.pk)
    return form_page(
        request,
        form=form,
        title=f"Change {volunteer.name}'s record",
        button="Save",
        back=f"/volunteers/{volunteer.pk}/",
    )


def _volunteer_form(request, volunteer_id: int, *, form_class, service, title: str, **kwargs):
    volunteer = selectors.volunteer_get(user=request.user, volunteer_id=volunteer_id)
    form = form_class(request.POST or None, **kwargs)
    if form_saved_by(request, form, service, volunteer=volunteer):
        messages.success(request, f"{title}: saved.")
        return redirect("volunteers:volunteer", volunteer_id=volunteer.pk)
    return form_page(
        request,
        form=form,
        title=f"{title}: {volunteer.name}",
        button="Save",
        back=f"/volunteers/{volunteer.pk}/",
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    return _volunteer_form(
        request,
        volunteer_id,
        form_class=TrainingForm,
        service=services.training_record,
        title="Training completed",
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def supervision_new(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    return _volunteer_form(
        request,
        volunteer_id,
        form_class=SupervisionForm,
        service=services.supervision_record,
        title="Supervision",
        provider=request.provider,
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def hours_new(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    return _volunteer_form(
        request,
        volunteer_id,
        form_class=HoursForm,
        service=services.hours_record,
        title="Hours given",
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def representation_new(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    return _volunteer_form(
        request,
        volunteer_id,
        form_class=RepresentationForm,
        service=services.representation_record,
        title="Representation",
    )


@permission_required(MANAGE)
def supervision_overdue(request: HttpRequest) -> HttpResponse:
    overdue = selectors.supervision_overdue(provider=request.provider, today=timezone.localdate())
    page = paginate(request, overdue)
    return render(
        request,
        "volunteers/supervision_overdue.html",
        {"page": page, "table": presenters.supervision_overdue_table(page)},
    )


# A volunteer's day -------------------------------------------------------------------------


@permission_required(OWN_DAY)
def my_day(request: HttpRequest) -> HttpResponse:
    """The volunteer's home: their shifts today and in the next fortnight, with check-in
    and check-out, today's contacts and their training."""
    today = timezone.localdate()
    if selectors.volunteer_of(request.user) is None:
        return render(request, "volunteers/my_day.html", {"day": None})
    day = selectors.volunteer_day(user=request.user, today=today)
    return render(
        request,
        "volunteers/my_day.html",
        {
            "day": day,
            "today": today,
            "shifts": [
                (shift, presenters.shift_time(shift), presenters.check_in_text(check))
                for shift, check in day.shifts
            ],
            "contacts": presenters.contacts_table(day.contacts_today, with_volunteer=False),
            "training": presenters.training_table(day.training, today=today),
            "supervision": presenters.supervision_table(day.supervision, with_wellbeing=False),
        },
    )


# Shifts ------------------------------------------------------------------------------------


def _may_see_shifts(user) -> None:
    if not user_can(user, OWN_DAY):
        ensure_can(user, MANAGE)


def _shifts(request: HttpRequest):
    _may_see_shifts(request.user)
    form = ShiftFilterForm(request.GET or None)
    filters = form.filters()
    shifts = selectors.shifts_search(
        user=request.user, start=filters.get("first"), end=filters.get("last")
    )
    return form, shifts


def shift_list(request: HttpRequest) -> HttpResponse:
    form, shifts = _shifts(request)
    page = paginate(request, shifts)
    return render(
        request,
        "volunteers/shifts.html",
        {
            "form": form,
            "page": page,
            "table": presenters.shifts_table(page),
            "may_manage": user_can(request.user, MANAGE),
        },
    )


def shift_list_csv(request: HttpRequest) -> HttpResponse:
    form, shifts = _shifts(request)
    return presenters.ShiftsExport([] if filters_refused(form) else shifts).csv_response()


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def shift_new(request: HttpRequest) -> HttpResponse:
    form = ShiftForm(request.POST or None, provider=request.provider)
    saved = {}

    def save(data):
        saved["shift"] = services.shift_create(
            actor=request.user, data=data, origin=audit_origin(request)
        )

    if form_saved(request, form, save):
        messages.success(request, "Shift planned.")
        return redirect("volunteers:shift", volunteer_shift_id=saved["shift"].pk)
    return form_page(
        request, form=form, title="Plan an outreach shift", button="Save shift", back="/volunteers/"
    )


def shift_detail(request: HttpRequest, volunteer_shift_id: int) -> HttpResponse:
    _may_see_shifts(request.user)
    shift = selectors.shift_get(user=request.user, shift_id=volunteer_shift_id)
    own = selectors.volunteer_of(request.user) if user_can(request.user, OWN_DAY) else None
    check = selectors.check_in_of(shift=shift, volunteer=own) if own else None
    contacts = selectors.contacts_visible_to(request.user).filter(shift=shift)
    contacts = contacts.select_related("volunteer__user").prefetch_related("referrals")
    return render(
        request,
        "volunteers/shift.html",
        {
            "shift": shift,
            "shift_time": presenters.shift_time(shift),
            "own": own,
            "check": check,
            "check_text": presenters.check_in_text(check),
            "contacts": presenters.contacts_table(contacts, with_volunteer=own is None),
            "check_ins": list(shift.check_ins.select_related("volunteer__user")),
        },
    )


def _shift_action(
    request: HttpRequest, volunteer_shift_id: int, service, done: str
) -> HttpResponse:
    ensure_can(request.user, RECORD_OUTREACH)
    shift = selectors.shift_get(user=request.user, shift_id=volunteer_shift_id)
    try:
        service(actor=request.user, shift=shift, origin=audit_origin(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("volunteers:shift", volunteer_shift_id=shift.pk)


@require_POST
def check_in(request: HttpRequest, volunteer_shift_id: int) -> HttpResponse:
    return _shift_action(request, volunteer_shift_id, services.check_in, "Checked in. Stay safe.")


@require_POST
def check_out(request: HttpRequest, volunteer_shift_id: int) -> HttpResponse:
    return _shift_action(request, volunteer_shift_id, services.check_out, "Checked out. Thank you.")


@permission_required(RECORD_OUTREACH)
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, volunteer_shift_id: int) -> HttpResponse:
    shift = selectors.shift_get(user=request.user, shift_id=volunteer_shift_id)
    form = ContactForm(request.POST or None)
    if form_saved_by(request, form, services.contact_record, shift=shift):
        messages.success(request, "Contact saved.")
        return redirect("volunteers:shift", volunteer_shift_id=shift.pk)
    return render(
        request,
        "volunteers/contact_form.html",
        {
            "form": form,
            "shift": shift,
            "nsp_fields": [form[nsp_field(item)] for item in OUTREACH_NSP_ITEMS],
        },
        status=200,
    )


# Referrals ---------------------------------------------------------------------------------


def _referrals(request: HttpRequest):
    if not user_can(request.user, OWN_DAY):
        ensure_can(request.user, FOLLOW_REFERRALS)
    form = ReferralFilterForm(request.GET or None, follows=user_can(request.user, FOLLOW_REFERRALS))
    filters = form.filters()
    referrals = selectors.referrals_search(
        user=request.user,
        to=filters.get("to", ""),
        state=filters.get("state", ""),
        today=timezone.localdate(),
    )
    return form, referrals


def referral_list(request: HttpRequest) -> HttpResponse:
    form, referrals = _referrals(request)
    page = paginate(request, referrals)
    follows = user_can(request.user, FOLLOW_REFERRALS)
    late = (
        selectors.referrals_not_picked_up(user=request.user, today=timezone.localdate()).count()
        if follows
        else 0
    )
    return render(
        request,
        "volunteers/referrals.html",
        {
            "form": form,
            "page": page,
            "table": presenters.referrals_table(page, link=follows),
            "late": late,
        },
    )


def referral_list_csv(request: HttpRequest) -> HttpResponse:
    form, referrals = _referrals(request)
    return presenters.ReferralsExport(
        [] if filters_refused(form) else referrals,
        follows=user_can(request.user, FOLLOW_REFERRALS),
    ).csv_response()


@permission_required(FOLLOW_REFERRALS)
@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, volunteer_referral_id: int) -> HttpResponse:
    referral = selectors.referral_get(user=request.user, referral_id=volunteer_referral_id)
    form = ReferralOutcomeForm(request.POST or None)
    if form_saved_by(request, form, services.referral_outcome_record, referral=referral):
        messages.success(request, "Referral outcome recorded.")
        return redirect("volunteers:referrals")
    return render(
        request,
        "volunteers/referral.html",
        {
            "referral": referral,
            "contact": referral.contact,
            "given": presenters.given_text(referral.contact),
            "form": form,
        },
    )


@permission_required(FOLLOW_REFERRALS)
@require_POST
def referral_pick_up(request: HttpRequest, volunteer_referral_id: int) -> HttpResponse:
    referral = selectors.referral_get(user=request.user, referral_id=volunteer_referral_id)
    try:
        services.referral_pick_up(
            actor=request.user, referral=referral, origin=audit_origin(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Referral picked up: it is yours to follow.")
    return redirect("volunteers:referral", volunteer_referral_id=referral.pk)


# Report ------------------------------------------------------------------------------------


def _report_period(request: HttpRequest):
    form = ReportPeriodForm(request.GET or None)
    first, last = form.period()
    return form, first, last


def _suppress(request: HttpRequest) -> bool:
    """Small numbers hidden for a reader who may not see them: commissioners (H-285)."""
    return not user_can(request.user, VIEW_SMALL_COUNTS)


@permission_required(VIEW_REPORT)
def report(request: HttpRequest) -> HttpResponse:
    form, first, last = _report_period(request)
    provider = request.provider
    suppress = _suppress(request)
    rows = selectors.outreach_activity(provider=provider, start=first, end=last)
    places = selectors.referral_outcomes(provider=provider, start=first, end=last)
    figures = selectors.outreach_figures(provider=provider, start=first, end=last)
    training = selectors.training_delivered(provider=provider, start=first, end=last)
    return render(
        request,
        "volunteers/report.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "suppressed": suppress,
            "activity": presenters.activity_table(rows, suppress=suppress),
            "by_month": presenters.activity_totals_table(rows, by="month", suppress=suppress),
            "by_area": presenters.activity_totals_table(rows, by="area", suppress=suppress),
            "chart_columns": presenters.CHART_COLUMNS,
            "figures": presenters.outreach_figures_shown(figures, suppress=suppress),
            "places": presenters.referral_places_table(places["by_place"], suppress=suppress),
            "outcomes": presenters.referral_outcomes_table(places["by_outcome"], suppress=suppress),
            "training": presenters.training_delivered_table(training, suppress=suppress),
            "hours": selectors.hours_given(provider=provider, start=first, end=last),
        },
    )


@permission_required(VIEW_REPORT)
def report_csv(request: HttpRequest) -> HttpResponse:
    return _report_download(request, "csv")


@permission_required(VIEW_REPORT)
def report_xlsx(request: HttpRequest) -> HttpResponse:
    return _report_download(request, "xlsx")


def _report_download(request: HttpRequest, kind: str):
    """The activity by month and area, for the local drugs partnership (core's exporter:
    the same rows as CSV or XLSX)."""
    form, first, last = _report_period(request)
    rows = selectors.outreach_activity(provider=request.provider, start=first, end=last)
    export = presenters.ActivityExport(
        [] if filters_refused(form) else rows, suppress=_suppress(request)
    )
    return export.xlsx_response() if kind == "xlsx" else export.csv_response()
