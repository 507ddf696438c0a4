"""Pages of contacts: a client's appointments, booking (once or weekly), outcomes, unbooked
contacts, case notes and corrections, groups, the diary, follow-ups, OST clients not seen,
attendance; and what contacts adds to the client page and the caseload.

Records load through their selectors (beacon/contacts/selectors.py), scoped to the user's
provider (404), then the permission is checked against the client (403). Writes go through
services.py; every page naming a client is audited as a read. The URLs are in urls.py.
"""

import datetime
from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.clients import selectors as client_selectors
from beacon.clients.hooks import SummaryRow
from beacon.clients.models import Client
from beacon.clients.rules import clients_visible_to
from beacon.contacts import presenters, selectors, services
from beacon.contacts.forms import (
    AppointmentForm,
    CaseNoteForm,
    ContactForm,
    CorrectionForm,
    DiaryForm,
    FollowUpDoneForm,
    FollowUpFilterForm,
    GroupFilterForm,
    GroupSessionForm,
    OutcomeForm,
)
from beacon.contacts.models import Appointment
from beacon.contacts.rules import not_seen_days
from beacon.core.audit import Action, AuditOrigin, audit_origin, audit_request
from beacon.core.forms import (
    PeriodForm,
    filters_refused,
    filters_text,
    form_page,
    form_saved,
)
from beacon.core.models import User
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required, user_can
from beacon.core.presenters import datetime_uk
from beacon.core.selectors import text_by_reference
from beacon.naloxone import forms as naloxone_forms
from beacon.naloxone import selectors as naloxone_selectors
from beacon.treatment.forms.caseload import list_search
from beacon.treatment.presenters.caseload import client_link_html

VIEW = "contacts.view_contacts"
RECORD = "contacts.record_contact"


def _viewed(request: HttpRequest, what: str, client: Client | None = None) -> None:
    services.contacts_viewed(
        actor=request.user, what=what, client=client, origin=audit_origin(request)
    )


_form_page = partial(form_page, template="contacts/form.html")


def _without_page(request: HttpRequest) -> str:
    """The list's query string for its download: its filters, not its page."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _to_appointment(appointment: Appointment) -> HttpResponse:
    return redirect("contacts:appointment", appointment_id=appointment.pk)


def _appointment_form(
    request: HttpRequest, appointment: Appointment, form, save, *, saved: str, viewed: str, **page
) -> HttpResponse:
    """A form about one appointment (its outcome, a case note): on a valid POST `save` (the
    service), back to the appointment with the message `saved`; else the form, whose
    showing (`viewed`) is a read of the client's record."""
    if form_saved(request, form, save):
        messages.success(request, saved)
        return _to_appointment(appointment)
    _viewed(request, viewed, appointment.client)
    return _form_page(
        request, form=form, client=appointment.client, appointment=appointment, **page
    )


@permission_required(VIEW)
def client_appointments(request: HttpRequest, client_number: str) -> HttpResponse:
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=VIEW
    )
    page = paginate(request, selectors.client_appointments(client=client))
    _viewed(request, "appointments and contacts", client)
    return render(
        request,
        "contacts/client_appointments.html",
        {
            "client": client,
            "page": page,
            "head": presenters.APPOINTMENT_HEAD,
            "rows": presenters.appointment_rows(page.object_list),
            "may_record": user_can(request.user, RECORD, client),
        },
    )


@permission_required(VIEW)
def client_appointments_csv(request: HttpRequest, client_number: str) -> HttpResponse:
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=VIEW
    )
    appointments = selectors.client_appointments(client=client)
    audit_request(
        request,
        action=Action.EXPORT,
        obj=client,
        client=client,
        detail=f"appointments CSV of {appointments.count()}",
    )
    return presenters.AppointmentExport(appointments, client=client).csv_response()


def _ask_naloxone(form, client: Client) -> bool:
    """Add the opt-out naloxone question to a contact form when the client needs the offer
    (a current opiate client without an in-date kit): answered in the same form."""
    today = timezone.localdate()
    if not naloxone_selectors.needs_offer(client, today):
        return False
    naloxone_forms.add_contact_fields(
        form,
        stock=naloxone_selectors.supply_batches(provider=client.provider, on=today),
        trainers=naloxone_selectors.trainers(provider=client.provider),
    )
    return True


def _naloxone_answer(form) -> dict | None:
    return naloxone_forms.contact_offer(form.cleaned_data)


def _staff_and_sites(request: HttpRequest) -> dict:
    return {
        "staff": selectors.bookable_staff(provider=request.provider),
        "sites": request.provider.sites.all(),
    }


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def appointment_book(request: HttpRequest, client_number: str) -> HttpResponse:
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=RECORD
    )
    form = AppointmentForm(
        request.POST or None,
        initial={"staff": request.user.pk, "kind": "one_to_one", "weeks": 1, "minutes": 60},
        **_staff_and_sites(request),
    )
    booked: list[Appointment] = []

    def save(_data: dict) -> None:
        booked.extend(
            services.appointment_book(
                actor=request.user,
                client=client,
                origin=audit_origin(request),
                **form.service_data(),
            )
        )

    if form_saved(request, form, save):
        first = booked[0]
        when = datetime_uk(first.starts_at)
        messages.success(
            request,
            f"Booked {len(booked)} weekly appointments from {when}"
            if len(booked) > 1
            else f"Appointment booked: {when}",
        )
        return redirect("contacts:client", client_number=client.client_number)
    _viewed(request, "book an appointment", client)
    return _form_page(request, form=form, client=client, title="Book an appointment", button="Book")


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def contact_record(request: HttpRequest, client_number: str) -> HttpResponse:
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=RECORD
    )
    now = timezone.localtime()
    form = ContactForm(
        request.POST or None,
        initial={
            "staff": request.user.pk,
            "day": now.date(),
            "time": f"{now:%H:%M}",
            "minutes": 30,
        },
        **_staff_and_sites(request),
    )
    asks_naloxone = _ask_naloxone(form, client)
    recorded: list[Appointment] = []

    def save(_data: dict) -> None:
        data = form.service_data()
        for name in list(data):
            if name.startswith("naloxone_"):
                del data[name]
        recorded.append(
            services.contact_record(
                actor=request.user,
                client=client,
                origin=audit_origin(request),
                naloxone=_naloxone_answer(form) if asks_naloxone else None,
                **data,
            )
        )

    if form_saved(request, form, save):
        messages.success(request, "Contact recorded. Write its case note below.")
        return _to_appointment(recorded[0])
    _viewed(request, "record a contact", client)
    return _form_page(
        request, form=form, client=client, title="Record a contact", button="Record contact"
    )


@permission_required(VIEW)
def appointment_detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_get(user=request.user, appointment_id=appointment_id)
    client = appointment.client
    notes = list(selectors.appointment_notes(appointment=appointment))
    _viewed(request, "appointment and its case notes", client)
    return render(
        request,
        "contacts/appointment.html",
        {
            "appointment": appointment,
            "client": client,
            "notes": notes,
            "corrected": {note.corrects_id for note in notes if note.corrects_id},
            "outcome": presenters.outcome_html(appointment),
            "what": presenters.what_text(appointment),
            "may_record": user_can(request.user, RECORD, client),
            "follow_up": getattr(appointment, "follow_up", None),
            "reminder": presenters.reminder_text(
                appointment,
                text_by_reference(
                    provider=appointment.provider,
                    reference=services.reminder_reference(appointment),
                ),
            ),
        },
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def appointment_outcome(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_get(
        user=request.user, appointment_id=appointment_id, permission=RECORD
    )
    form = OutcomeForm(request.POST or None)
    asks_naloxone = _ask_naloxone(form, appointment.client)
    if asks_naloxone:
        form.fields["naloxone_outcome"].required = False

    def save(data: dict) -> None:
        services.appointment_record_outcome(
            actor=request.user,
            appointment=appointment,
            outcome=data["outcome"],
            naloxone=_naloxone_answer(form) if asks_naloxone else None,
            origin=audit_origin(request),
        )

    return _appointment_form(
        request,
        appointment,
        form,
        save,
        saved="Outcome recorded.",
        viewed="appointment outcome form",
        title="Record the outcome",
        button="Save outcome",
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def case_note_write(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_get(
        user=request.user, appointment_id=appointment_id, permission=RECORD
    )
    form = CaseNoteForm(
        request.POST or None, **selectors.plan_links_open(client=appointment.client)
    )

    def save(data: dict) -> None:
        services.case_note_write(
            actor=request.user,
            appointment=appointment,
            text=data["text"],
            goals=list(data.get("goals") or []),
            actions=list(data.get("actions") or []),
            origin=audit_origin(request),
        )

    return _appointment_form(
        request,
        appointment,
        form,
        save,
        saved="Case note saved.",
        viewed="case note form",
        title="Write a case note",
        button="Save note",
    )


@permission_required(RECORD)
@require_http_methods(["GET", "POST"])
def case_note_correct(request: HttpRequest, note_id: int) -> HttpResponse:
    note = selectors.case_note_get(user=request.user, note_id=note_id, permission=RECORD)
    form = CorrectionForm(request.POST or None, initial={"text": note.text})

    def save(data: dict) -> None:
        services.case_note_correct(
            actor=request.user, note=note, text=data["text"], origin=audit_origin(request)
        )

    return _appointment_form(
        request,
        note.appointment,
        form,
        save,
        saved="Correction saved; the earlier note is kept.",
        viewed="case note correction form",
        title="Correct a case note",
        button="Save correction",
    )


# Groups ----------------------------------------------------------------------------------


def _groups(request: HttpRequest):
    form = GroupFilterForm(
        request.GET or None, staff=selectors.bookable_staff(provider=request.provider)
    )
    filters = form.filters()
    return form, filters, selectors.group_sessions(provider=request.provider, **filters)


@permission_required("contacts.run_groups")
def group_list(request: HttpRequest) -> HttpResponse:
    form, filters, groups = _groups(request)
    page = paginate(request, groups)
    return render(
        request,
        "contacts/groups.html",
        {
            "page": page,
            "form": form,
            "filtered": any(filters.values()),
            "head": presenters.GROUP_HEAD,
            "rows": presenters.group_rows(page.object_list),
            "csv_query": _without_page(request),
        },
    )


@permission_required("contacts.run_groups")
def group_list_csv(request: HttpRequest) -> HttpResponse:
    form, filters, groups = _groups(request)
    if filters_refused(form):
        return group_list(request)  # the list with the filters' errors, not every session
    audit_request(
        request,
        action=Action.EXPORT,
        detail=f"group sessions, CSV of {groups.count()}{filters_text(filters)}",
    )
    return presenters.GroupSessionExport(groups).csv_response()


@permission_required("contacts.run_groups")
@require_http_methods(["GET", "POST"])
def group_record(request: HttpRequest) -> HttpResponse:
    clients = clients_visible_to(request.user).order_by("last_name", "first_name")
    form = GroupSessionForm(
        request.POST or None,
        initial={"facilitator": request.user.pk, "minutes": 90},
        clients=clients,
        **_staff_and_sites(request),
    )
    made = []

    def save(data: dict) -> None:
        values = form.service_data()
        made.append(
            services.group_session_record(
                actor=request.user,
                origin=audit_origin(request),
                attendees=list(values.pop("attendees")),
                **values,
            )
        )

    if form_saved(request, form, save):
        messages.success(request, f"Group recorded: {len(form.cleaned_data['attendees'])} came.")
        return redirect("contacts:group", group_id=made[0].pk)
    if form.lists_clients:
        _viewed(request, "record a group: list of clients")
    return _form_page(request, form=form, title="Record a group session", button="Save group")


@permission_required("contacts.run_groups")
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.group_session_get(user=request.user, group_id=group_id)
    attendances = selectors.group_attendances_visible(user=request.user, group=group)
    _viewed(request, f"group session {group.pk} attendees")
    return render(
        request,
        "contacts/group.html",
        {
            "group": group,
            "head": [{"text": "Client"}, {"text": "Contact"}],
            "rows": [
                [
                    {"html": client_link_html(a.client)},
                    {"html": presenters.appointment_link_html(a, "Contact and case notes")},
                ]
                for a in attendances
            ],
        },
    )


# The diary -------------------------------------------------------------------------------


@permission_required("contacts.view_diary")
def diary(request: HttpRequest) -> HttpResponse:
    user = request.user
    team_view = user_can(user, "contacts.view_team_diary")
    form = DiaryForm(
        request.GET or None,
        staff=selectors.bookable_staff(provider=request.provider) if team_view else None,
        teams=request.provider.teams.all() if team_view else None,
    )
    data = form.cleaned_data if form.is_valid() else {}
    day = data.get("day") or timezone.localdate()
    period = selectors.diary_period(day=day, week=data.get("view") == "week")
    staff: list[User] = [user]
    whose = "My diary"
    if team_view and data.get("team"):
        staff = selectors.team_members(provider=request.provider, team=data["team"])
        whose = f"{data['team'].name} diary"
    elif team_view and data.get("staff"):
        staff = [data["staff"]]
        whose = f"{data['staff'].display_name}'s diary"
    appointments = list(
        selectors.diary_appointments(provider=request.provider, staff=staff, period=period)
    )
    _viewed(request, f"diary, {len(appointments)} appointments")
    days = [
        {
            "day": d,
            "rows": presenters.diary_rows(
                [a for a in appointments if timezone.localdate(a.starts_at) == d],
                with_staff=len(staff) > 1,
            ),
        }
        for d in period.days
    ]
    step = datetime.timedelta(days=7 if period.week else 1)
    query = request.GET.copy()
    links = {}
    for name, when in (("previous", period.first - step), ("next", period.first + step)):
        query["day"] = when.isoformat()
        links[name] = "?" + query.urlencode()
    return render(
        request,
        "contacts/diary.html",
        {
            "form": form,
            "whose": whose,
            "period": period,
            "days": days,
            "head": presenters.DIARY_HEAD,
            "links": links,
        },
    )


# Follow-up and lists ---------------------------------------------------------------------


def _follow_ups(request: HttpRequest):
    """The follow-ups' filter form (whose and which team only for a manager reading
    everyone's), whether it is everyone's, and the follow-ups it finds."""
    may_see_all = user_can(request.user, "contacts.view_team_diary")
    everyone = bool(may_see_all and request.GET.get("all"))
    form = FollowUpFilterForm(
        request.GET or None,
        staff=selectors.bookable_staff(provider=request.provider) if everyone else None,
        teams=request.provider.teams.all() if everyone else None,
    )
    tasks = selectors.follow_ups_open(user=request.user, everyone=everyone, **form.filters())
    return form, everyone, may_see_all, tasks


@permission_required("contacts.view_follow_ups")
def follow_ups(request: HttpRequest) -> HttpResponse:
    form, everyone, may_see_all, tasks = _follow_ups(request)
    page = paginate(request, tasks)
    _viewed(request, f"follow-ups, {len(page.object_list)} shown")
    return render(
        request,
        "contacts/follow_ups.html",
        {
            "page": page,
            "head": [
                *presenters.FOLLOW_UP_HEAD,
                {"html": '<span class="nhsuk-u-visually-hidden">Action</span>'},
            ],
            "rows": presenters.follow_up_rows(page.object_list, now=timezone.now()),
            "tasks": page.object_list,
            "everyone": everyone,
            "may_see_all": may_see_all,
            "form": form,
            "filtered": any(form.filters().values()),
            "csv_query": _without_page(request),
        },
    )


@permission_required("contacts.view_follow_ups")
def follow_ups_csv(request: HttpRequest) -> HttpResponse:
    form, _everyone, _may_see_all, tasks = _follow_ups(request)
    if filters_refused(form):
        return follow_ups(request)  # the list with the search's error, not a file of everyone
    audit_request(
        request,
        action=Action.EXPORT,
        detail=f"follow-ups, CSV of {tasks.count()}{filters_text(form.filters())}",
    )
    return presenters.FollowUpExport(tasks, now=timezone.now()).csv_response()


@permission_required("contacts.view_follow_ups")
@require_http_methods(["GET", "POST"])
def follow_up_done(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = selectors.follow_up_get(user=request.user, follow_up_id=follow_up_id)
    form = FollowUpDoneForm(request.POST or None)

    def save(data: dict) -> None:
        services.follow_up_done(
            actor=request.user,
            follow_up=follow_up,
            note=data["done_note"],
            origin=audit_origin(request),
        )

    if form_saved(request, form, save):
        messages.success(request, "Follow-up done.")
        return redirect("contacts:follow_ups")
    _viewed(request, "follow-up form", follow_up.client)
    return _form_page(
        request,
        form=form,
        client=follow_up.client,
        title="Follow-up after a DNA",
        button="Mark as done",
        intro=f"Phone the client: they did not attend on "
        f"{datetime_uk(follow_up.appointment.starts_at)}.",
    )


def _not_seen(request: HttpRequest):
    form, query = list_search(request.GET)
    return form, query, selectors.ost_clients_not_seen(user=request.user, query=query)


@permission_required("contacts.view_follow_ups")
def not_seen(request: HttpRequest) -> HttpResponse:
    form, query, clients = _not_seen(request)
    page = paginate(request, clients)
    _viewed(request, f"OST clients not seen, {len(page.object_list)} shown")
    return render(
        request,
        "contacts/not_seen.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "days": not_seen_days(),
            "head": presenters.NOT_SEEN_HEAD,
            "rows": presenters.not_seen_rows(page.object_list),
        },
    )


@permission_required("contacts.view_follow_ups")
def not_seen_csv(request: HttpRequest) -> HttpResponse:
    form, _query, clients = _not_seen(request)
    if filters_refused(form):
        return not_seen(request)  # the list with the search's error, not a file of everyone
    audit_request(
        request, action=Action.EXPORT, detail=f"OST clients not seen, CSV of {clients.count()}"
    )
    return presenters.NotSeenExport(clients).csv_response()


@permission_required("contacts.view_attendance")
def attendance(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    first, last = form.period()
    keyworkers, teams = selectors.attendance_figures(
        provider=request.provider, first=first, last=last
    )
    return render(
        request,
        "contacts/attendance.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "keyworker_table": {
                "head": presenters.ATTENDANCE_HEAD,
                "rows": presenters.attendance_rows(keyworkers),
                "id": "attendance-keyworkers",
                "responsive": True,
            },
            "team_table": {
                "head": [
                    presenters.ATTENDANCE_HEAD[0] | {"text": "Team"},
                    *presenters.ATTENDANCE_HEAD[2:],
                ],
                "rows": presenters.attendance_rows(teams, teams=True),
                "id": "attendance-teams",
                "responsive": True,
            },
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required("contacts.view_attendance")
def attendance_csv(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    first, last = form.period()
    keyworkers, teams = selectors.attendance_figures(
        provider=request.provider, first=first, last=last
    )
    audit_request(request, action=Action.EXPORT, detail=f"attendance figures {first} to {last}")
    return presenters.AttendanceExport(keyworkers, teams, first=first, last=last).csv_response()


# What contacts adds to lower apps' pages ---------------------------------------------------


def client_page_section(
    client: Client,
    user: User,
    *,
    origin: AuditOrigin | None = None,
    today: datetime.date | None = None,
):
    """The client page's timeline (registered in `beacon/clients/hooks.py`): contacts and
    appointments, prescriptions, TOPs and plan reviews in one list; audited as a read."""
    if not user_can(user, VIEW, client):
        return None
    services.contacts_viewed(
        actor=user, what="timeline on the client page", client=client, origin=origin
    )
    entries = selectors.client_timeline(client=client, limit=20)
    return {
        "id": "timeline",
        "title": "Timeline",
        "template": "contacts/client_section.html",
        "context": {
            "head": presenters.TIMELINE_HEAD,
            "rows": presenters.timeline_rows(entries),
            "list_url": reverse("contacts:client", args=[client.client_number]),
            "book_url": reverse("contacts:book", args=[client.client_number])
            if user_can(user, RECORD, client)
            else "",
            "record_url": reverse("contacts:record", args=[client.client_number])
            if user_can(user, RECORD, client)
            else "",
        },
    }


def client_summary_rows(
    client: Client, user: User, *, today: datetime.date, now: datetime.datetime
) -> list[SummaryRow]:
    """The client page's summary line for the next appointment (registered in
    `beacon/clients/hooks.py`), for a user who may read the client's contacts."""
    if not user_can(user, VIEW, client):
        return []
    book_url = (
        reverse("contacts:book", args=[client.client_number])
        if user_can(user, RECORD, client)
        else ""
    )
    return [
        presenters.next_appointment_row(
            selectors.client_next_appointment(client=client, now=now), book_url=book_url
        )
    ]


def caseload_columns(clients: list[Client], *, user: User) -> dict:
    """The caseload's contact columns (registered in `beacon/treatment/hooks.py`): one
    query for the whole page of clients."""
    now = timezone.now()
    annotated = selectors.clients_with_contact_figures(
        selectors.clients_by_pk(provider=user.provider, pks=[c.pk for c in clients]), now=now
    )
    return {
        "head": presenters.CASELOAD_HEAD,
        "cells": {c.pk: presenters.caseload_cells(c, now=now) for c in annotated},
    }
