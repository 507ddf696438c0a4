"""Volunteers endpoints of the JSON API, with the same rules as the pages: staff read
volunteers; a volunteer's token reaches only their own record, shifts, contacts and
referrals (404 for any other), checks in and out and records contacts; staff record a
referral's outcome. Thin: parse (schemas.py), load through the selectors, call the services.
"""

from django.http import HttpRequest
from ninja import Router, Status

from beacon.core.api import api_write, role_gate
from beacon.core.audit import audit_origin
from beacon.core.permissions import ensure_can, user_can
from beacon.core.schemas import INVALID, REFUSED
from beacon.volunteers import selectors, services
from beacon.volunteers.models import CheckIn, OutreachContact, OutreachReferral, Volunteer
from beacon.volunteers.rules import FOLLOW_REFERRALS, MANAGE, OWN_DAY, RECORD_OUTREACH
from beacon.volunteers.schemas import (
    VolunteerCheckInOut,
    VolunteerContactIn,
    VolunteerContactOut,
    VolunteerOut,
    VolunteerReferralOut,
    VolunteerReferralOutcomeIn,
    VolunteerShiftOut,
)

router = Router(tags=["peer volunteers and outreach"])
MOST_ROWS = 500


def _volunteer_out(volunteer: Volunteer) -> dict:
    return {
        "id": volunteer.pk,
        "name": volunteer.name,
        "kind": volunteer.kind,
        "status": volunteer.status,
        "started_on": volunteer.started_on,
        "training": list(volunteer.training.all()),
        "supervision": list(volunteer.supervision.all()),
    }


def _may_see_outreach(user) -> None:
    if not user_can(user, OWN_DAY):
        ensure_can(user, MANAGE)


@router.get("/me", response={200: VolunteerOut, **REFUSED}, summary="My volunteer record")
def me(request: HttpRequest):
    return _volunteer_out(selectors.own_volunteer(user=request.user))


@router.get("/", response={200: list[VolunteerOut], **REFUSED}, summary="Volunteers (staff)")
def volunteer_list(request: HttpRequest):
    ensure_can(request.user, MANAGE)
    volunteers = selectors.volunteers_search(provider=request.provider).prefetch_related(
        "training", "supervision"
    )
    return [_volunteer_out(v) for v in volunteers[:MOST_ROWS]]


@router.get(
    "/{int:volunteer_id}", response={200: VolunteerOut, **REFUSED}, summary="One volunteer (staff)"
)
def volunteer_detail(request: HttpRequest, volunteer_id: int):
    return _volunteer_out(selectors.volunteer_get(user=request.user, volunteer_id=volunteer_id))


def _shift_out(shift) -> dict:
    return {
        "id": shift.pk,
        "on": shift.on,
        "area": shift.area,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "ends_on": shift.ends_on,
        "volunteer_ids": [v.pk for v in shift.volunteers.all()],
    }


@router.get(
    "/shifts/", response={200: list[VolunteerShiftOut], **REFUSED}, summary="Outreach shifts"
)
def shift_list(request: HttpRequest):
    _may_see_outreach(request.user)
    return [_shift_out(s) for s in selectors.shifts_search(user=request.user)[:MOST_ROWS]]


def _check_out(record: CheckIn) -> dict:
    return {
        "shift_id": record.shift_id,
        "checked_in_at": record.checked_in_at,
        "check_out_due_at": record.check_out_due_at,
        "checked_out_at": record.checked_out_at,
    }


def _shift_write(request: HttpRequest, volunteer_shift_id: int, service):
    ensure_can(request.user, RECORD_OUTREACH)
    shift = selectors.shift_get(user=request.user, shift_id=volunteer_shift_id)
    return _check_out(service(actor=request.user, shift=shift, origin=audit_origin(request)))


@router.post(
    "/shifts/{int:volunteer_shift_id}/check-in",
    response={200: VolunteerCheckInOut, **INVALID},
    summary="Check in (lone working)",
    auth=role_gate(RECORD_OUTREACH),
)
def check_in(request: HttpRequest, volunteer_shift_id: int):
    return _shift_write(request, volunteer_shift_id, services.check_in)


@router.post(
    "/shifts/{int:volunteer_shift_id}/check-out",
    response={200: VolunteerCheckInOut, **INVALID},
    summary="Check out (lone working)",
    auth=role_gate(RECORD_OUTREACH),
)
def check_out(request: HttpRequest, volunteer_shift_id: int):
    return _shift_write(request, volunteer_shift_id, services.check_out)


def _contact_out(contact: OutreachContact) -> dict:
    return {
        "id": contact.pk,
        "shift_id": contact.shift_id,
        "at": contact.at,
        "attributor": contact.attributor,
        "advice": contact.advice,
        "water": contact.water,
        "food": contact.food,
        "leaflet": contact.leaflet,
        "naloxone_supply_id": contact.naloxone_supply_id,
        "nsp_transaction_id": contact.nsp_transaction_id,
        "concern": contact.concern,
        "referral_ids": [r.pk for r in contact.referrals.all()],
    }


@router.get("/contacts/", response={200: list[VolunteerContactOut], **REFUSED}, summary="Contacts")
def contact_list(request: HttpRequest):
    _may_see_outreach(request.user)
    contacts = selectors.contacts_visible_to(request.user).prefetch_related("referrals")
    return [_contact_out(c) for c in contacts[:MOST_ROWS]]


@router.post(
    "/shifts/{int:volunteer_shift_id}/contacts",
    response={201: VolunteerContactOut, **INVALID},
    summary="Record a contact on a shift",
    auth=role_gate(RECORD_OUTREACH),
)
def contact_create(request: HttpRequest, volunteer_shift_id: int, payload: VolunteerContactIn):
    ensure_can(request.user, RECORD_OUTREACH)
    shift = selectors.shift_get(user=request.user, shift_id=volunteer_shift_id)
    contact = api_write(request, services.contact_record, payload, shift=shift)
    return Status(201, _contact_out(contact))


def _referral_out(referral: OutreachReferral, *, follows: bool) -> dict:
    """As on the page: a volunteer learns whether their referral was picked up, never its
    outcome (H-201)."""
    return {
        "id": referral.pk,
        "contact_id": referral.contact_id,
        "to": referral.to,
        "notes": referral.notes,
        "made_at": referral.made_at,
        "picked_up_at": referral.picked_up_at,
        "outcome": referral.outcome if follows else "",
    }


@router.get(
    "/referrals/", response={200: list[VolunteerReferralOut], **REFUSED}, summary="Referrals"
)
def referral_list(request: HttpRequest):
    if not user_can(request.user, OWN_DAY):
        ensure_can(request.user, FOLLOW_REFERRALS)
    follows = user_can(request.user, FOLLOW_REFERRALS)
    return [
        _referral_out(r, follows=follows)
        for r in selectors.referrals_visible_to(request.user)[:MOST_ROWS]
    ]


@router.post(
    "/referrals/{int:volunteer_referral_id}/outcome",
    response={200: VolunteerReferralOut, **INVALID},
    summary="Record a referral's outcome (staff)",
    auth=role_gate(FOLLOW_REFERRALS),
)
def referral_outcome(
    request: HttpRequest, volunteer_referral_id: int, payload: VolunteerReferralOutcomeIn
):
    referral = selectors.referral_get(user=request.user, referral_id=volunteer_referral_id)
    return _referral_out(
        api_write(request, services.referral_outcome_record, payload, referral=referral),
        follows=True,
    )
