"""Writes of a partner pharmacy: what it recorded of an instalment, and its message to the
prescriber.

The instalment's outcome is written by prescribing's `instalment_record_outcome`, the one
path staff use too, so the missed-dose rules, the suspension after three missed days
(H-50) and the safety checks are the same code (H-160). What only a pharmacy says (how the
dose was supplied, who collected it, why supply was refused) is kept beside it. A dose not
supplied alerts the client's keyworker and the prescriber at once (H-165).
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from beacon.clients.validators import normalise_postcode, validate_postcode
from beacon.core.audit import Action, AuditOrigin, record_save
from beacon.core.models import Alert, PartnerOrganisation, Site, User
from beacon.core.permissions import ensure_can
from beacon.core.presenters import quantity_text
from beacon.core.roles import Role
from beacon.core.services import alert_raise
from beacon.pharmacy.models import (
    SUPPLIED,
    PharmacyChase,
    PharmacyMessage,
    PharmacyProfile,
    PharmacySupply,
    RefusalReason,
    Supply,
)
from beacon.pharmacy.rules import CHASE, MANAGE
from beacon.pharmacy.selectors import client_representatives, pharmacies_not_recorded
from beacon.prescribing import safety
from beacon.prescribing import services as prescribing
from beacon.prescribing.models import Instalment, Prescription

# What the pharmacist is told when supply is stopped (issue 14): the reason is theirs only.
DO_NOT_SUPPLY = "Do not supply: contact the prescriber"
ALREADY_RECORDED = (
    "This instalment has just been recorded by someone else at your pharmacy: "
    "check the due list before supplying"
)


def _locked(instalment: Instalment) -> Instalment:
    return (
        # The prescription too: a dose change, an end or a suspension waits for this record.
        Instalment.objects.select_for_update(of=("self", "prescription"))
        .select_related("prescription__client__keyworker", "prescription__prescriber")
        .get(pk=instalment.pk)
    )


def _check_at_pharmacy(actor: User, instalment: Instalment) -> None:
    """Only a pharmacist of the pharmacy the prescription names records here (H-161)."""
    if (
        actor.role != Role.PHARMACIST
        or actor.partner_organisation_id is None
        or actor.partner_organisation_id != instalment.prescription.pharmacy_id
        or actor.provider_id != instalment.provider_id
    ):
        raise ValidationError("This instalment is not due at your pharmacy")


def _check_supply(instalment: Instalment, data: dict, *, today: datetime.date) -> str:
    """May the pharmacy record this? Returns the supply chosen; raises naming the field."""
    supply = data.get("supply") or ""
    if supply not in Supply.values:
        raise ValidationError({"supply": "Choose what happened to this instalment"})
    if instalment.outcome:
        raise ValidationError({"supply": ALREADY_RECORDED})
    shown = data.get("quantity_shown")
    if shown is not None and Decimal(str(shown)) != instalment.quantity:
        # The dose was changed after the pharmacist read it (H-163): measure it again.
        raise ValidationError(
            {
                "supply": "The dose has changed since you opened this instalment: it is now "
                f"{quantity_text(instalment.quantity, instalment.prescription.dose_unit)}. "
                "Check the new amount before supplying"
            }
        )
    if instalment.date > today:
        raise ValidationError({"supply": "This instalment is not due yet: record it on its day"})
    if instalment.last_day < today:
        raise ValidationError({"supply": "All the days of this instalment have passed"})
    past_day = instalment.date < today
    if past_day and supply not in {Supply.REMAINING_DAYS, Supply.NOT_COLLECTED, Supply.REFUSED}:
        raise ValidationError(
            {
                "supply": f"This instalment's collection day was {instalment.date:%d/%m/%Y}: "
                "record the remaining days supplied, not collected or refused"
            }
        )
    if supply == Supply.REMAINING_DAYS and not past_day:
        raise ValidationError(
            {"supply": "This instalment is due today: record how it was supplied"}
        )
    # A supervised dose is consumed on the premises: never handed over to take away (H-162).
    if instalment.supervised and supply in {Supply.TAKE_HOME, Supply.REPRESENTATIVE}:
        raise ValidationError(
            {
                "supply": "This dose is to be consumed under supervision: record it as "
                "supplied supervised, or refuse supply"
            }
        )
    if supply == Supply.REPRESENTATIVE:
        _check_representative(instalment, data.get("representative_name") or "")
    if supply == Supply.REFUSED:
        reason = data.get("refusal_reason") or ""
        if reason not in RefusalReason.values:
            raise ValidationError({"refusal_reason": "Choose why supply was refused"})
        if reason == RefusalReason.OTHER and not (data.get("notes") or "").strip():
            raise ValidationError({"notes": "Say why supply was refused"})
    # Supply stopped (suspended for review, or three days missed in a row, H-50): the same
    # rule as every other supply, told in the pharmacy's words (H-163).
    if supply in SUPPLIED and safety.supply_blocked(instalment.prescription, on=today):
        raise ValidationError({"supply": DO_NOT_SUPPLY})
    return supply


def _same_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def _check_representative(instalment: Instalment, name: str) -> None:
    """A representative is named and on the list of those the client agreed may collect
    for them; a client with no list has agreed nobody (H-167)."""
    if not name.strip():
        raise ValidationError({"representative_name": "Enter the representative's full name"})
    agreed = client_representatives(client=instalment.prescription.client)
    if not agreed:
        raise ValidationError(
            {
                "representative_name": "The client has named nobody who may collect for "
                "them: supply to the client (ask the keyworker to record a representative)"
            }
        )
    if _same_name(name) not in {_same_name(n) for n in agreed}:
        raise ValidationError(
            {
                "representative_name": "This person is not on the client's list of "
                f"representatives ({', '.join(agreed)}): supply to the client or to someone "
                "on the list"
            }
        )


def _outcome_notes(supply: str, data: dict) -> str:
    parts = [f"Pharmacy: {Supply(supply).label.lower()}"]
    if supply == Supply.REPRESENTATIVE:
        parts.append(f"by {data['representative_name'].strip()}")
    if supply == Supply.REFUSED:
        parts.append(f"({RefusalReason(data['refusal_reason']).label.lower()})")
    notes = (data.get("notes") or "").strip()
    return (" ".join(parts) + (f". {notes}" if notes else ""))[:1000]


@transaction.atomic
def pharmacy_supply_record(
    *, actor: User, instalment: Instalment, data: dict, origin: AuditOrigin | None = None
) -> PharmacySupply:
    """Record what the pharmacy did with an instalment: supplied supervised, to take home,
    to a named representative, the remaining days of a missed multi-day instalment (the
    approved wording), not collected, or refused (with a reason). Two pharmacists at once:
    the instalment is locked, the second is told it is already recorded (H-166)."""
    instalment = _locked(instalment)
    _check_at_pharmacy(actor, instalment)
    was_suspended = instalment.prescription.status == Prescription.Status.SUSPENDED
    today = timezone.localdate()
    supply = _check_supply(instalment, data, today=today)
    outcome = Instalment.Outcome.COLLECTED if supply in SUPPLIED else Instalment.Outcome.MISSED
    try:
        instalment = prescribing.instalment_record_outcome(
            actor=actor,
            instalment=instalment,
            data={
                "outcome": outcome,
                "collected_on": today if supply == Supply.REMAINING_DAYS else None,
                "outcome_notes": _outcome_notes(supply, data),
            },
            origin=origin,
        )
    except ValidationError as exc:
        # The prescribing rules name their field "outcome": on the pharmacy's form it is
        # "supply". "Supply is blocked" there is the pharmacy's "do not supply".
        if hasattr(exc, "error_dict"):
            messages = [m for field in exc.error_dict.values() for e in field for m in e]
            raise ValidationError({"supply": messages}) from exc
        raise
    record = PharmacySupply(
        provider_id=instalment.provider_id,
        pharmacy_id=instalment.prescription.pharmacy_id,
        instalment=instalment,
        supply=supply,
        representative_name=(data.get("representative_name") or "").strip()[:200]
        if supply == Supply.REPRESENTATIVE
        else "",
        refusal_reason=data.get("refusal_reason") or "" if supply == Supply.REFUSED else "",
        notes=(data.get("notes") or "").strip()[:1000],
        recorded_by=actor,
    )
    record_save(
        record,
        actor=actor,
        origin=origin,
        client=instalment.prescription.client,
        detail=f"{record.get_supply_display()} {instalment.date:%d/%m/%Y}",
    )
    if supply not in SUPPLIED:
        _alert_not_supplied(record, instalment, was_suspended=was_suspended)
    return record


def _alert_not_supplied(
    record: PharmacySupply, instalment: Instalment, *, was_suspended: bool
) -> None:
    """A dose not supplied: the keyworker and the prescriber know the same day (H-165); a
    refusal for intoxication is urgent; a suspension this record caused also raises
    prescribing's alert (one already in place is not announced again)."""
    prescription = Prescription.objects.select_related(
        "client__keyworker", "prescriber", "pharmacy", "provider"
    ).get(pk=instalment.prescription_id)
    client = prescription.client
    suspended = prescription.status == Prescription.Status.SUSPENDED and not was_suspended
    intoxicated = record.refusal_reason == RefusalReason.INTOXICATED
    what = (
        f"supply refused ({record.get_refusal_reason_display().lower()})"
        if record.supply == Supply.REFUSED
        else "not collected"
    )
    message = (
        f"{prescription.pharmacy} recorded the instalment of {instalment.date:%d %B %Y} as "
        f"{what}" + (f": {record.notes}" if record.notes else "") + ". The dose counts as "
        "missed and is not supplied later."
    )
    if suspended:
        message += " Supply is now suspended until a prescriber reviews the prescription."
    common = {
        "provider": prescription.provider,
        "kind": Alert.Kind.PHARMACY,
        "title": f"{'Urgent: ' if intoxicated else ''}Dose not supplied at the pharmacy: "
        f"{client.full_name} ({client.client_number})",
        "message": message,
        "client": client,
    }
    alert_raise(
        recipients=[client.keyworker],
        link=reverse("clients:detail", kwargs={"client_number": client.client_number}),
        **common,
    )
    if client.keyworker_id != prescription.prescriber_id:
        alert_raise(
            recipients=[prescription.prescriber],
            link=reverse("prescribing:detail", kwargs={"prescription_id": prescription.pk}),
            **common,
        )
    if suspended:
        prescribing.prescription_alert_suspended(prescription=prescription)


@transaction.atomic
def pharmacy_message_leave(
    *, actor: User, instalment: Instalment, data: dict, origin: AuditOrigin | None = None
) -> PharmacyMessage:
    """The pharmacist's message to the prescriber on an instalment: kept, and sent to the
    prescriber as an alert that links to the prescription (H-167)."""
    _check_at_pharmacy(actor, instalment)
    text = (data.get("text") or "").strip()
    if not text:
        raise ValidationError({"text": "Enter your message to the prescriber"})
    if len(text) > 1000:
        raise ValidationError({"text": "Message must be 1000 characters or fewer"})
    prescription = instalment.prescription
    message = PharmacyMessage(
        provider_id=instalment.provider_id,
        pharmacy_id=prescription.pharmacy_id,
        instalment=instalment,
        text=text,
        written_by=actor,
    )
    record_save(
        message,
        actor=actor,
        origin=origin,
        client=prescription.client,
        detail=f"message to the prescriber on {instalment.date:%d/%m/%Y}",
    )
    client = prescription.client
    alert_raise(
        provider=prescription.provider,
        recipients=[prescription.prescriber],
        kind=Alert.Kind.PHARMACY,
        title=f"Message from {prescription.pharmacy}: {client.full_name} ({client.client_number})",
        message=f"About the instalment of {instalment.date:%d %B %Y}, from "
        f"{actor.display_name}: {text}",
        client=client,
        link=reverse("prescribing:detail", kwargs={"prescription_id": prescription.pk}),
    )
    return message


@transaction.atomic
def pharmacy_site_open(
    *, actor: User | None, pharmacy: PartnerOrganisation, origin: AuditOrigin | None = None
) -> Site:
    """The pharmacy's premises as a site of the service: where naloxone kits transferred
    to it are its own stock and its NSP transactions are recorded (H-169). Opened once,
    named after the pharmacy; a second call returns the same site."""
    if pharmacy.kind != PartnerOrganisation.Kind.PHARMACY:
        raise ValidationError({"pharmacy": "Choose a community pharmacy"})
    profile, _ = PharmacyProfile.objects.select_for_update().get_or_create(
        pharmacy=pharmacy, defaults={"provider_id": pharmacy.provider_id}
    )
    if profile.site_id:
        return profile.site
    name = pharmacy.name
    if Site.objects.filter(provider_id=pharmacy.provider_id, name=name).exists():
        name = f"{name} (pharmacy)"
    site = record_save(
        Site(
            provider_id=pharmacy.provider_id,
            name=name,
            address=profile.address,
            postcode=profile.postcode,
        ),
        actor=actor,
        origin=origin,
        detail=f"site for the pharmacy {pharmacy}",
    )
    profile.site = site
    record_save(
        profile,
        actor=actor,
        action=Action.UPDATE,
        origin=origin,
        detail=f"{pharmacy}: its site for naloxone stock and NSP",
    )
    return site


@transaction.atomic
def pharmacy_chase_record(
    *, actor: User, pharmacy: PartnerOrganisation, origin: AuditOrigin | None = None
) -> list[PharmacyChase]:
    """The service phoned the pharmacy about every day it is listed for (instalments not
    recorded, today's and the previous working days'): those days leave the list (H-173).
    What the pharmacy then records is recorded as usual; a day the end-of-day command
    already recorded as missed stays missed unless prescribing's staff correct it."""
    ensure_can(actor, CHASE)
    if pharmacy.provider_id != actor.provider_id:
        raise ValidationError({"pharmacy": "Choose a pharmacy of your service"})
    listed = next(
        (
            row
            for row in pharmacies_not_recorded(provider=actor.provider, today=timezone.localdate())
            if row.pharmacy.pk == pharmacy.pk
        ),
        None,
    )
    if listed is None:
        raise ValidationError({"pharmacy": f"{pharmacy} has no instalments left to phone about"})
    return [
        record_save(
            PharmacyChase(
                provider_id=pharmacy.provider_id, pharmacy=pharmacy, day=day, chased_by=actor
            ),
            actor=actor,
            origin=origin,
            detail=f"phoned {pharmacy} about instalments of {day:%d/%m/%Y} not recorded",
        )
        for day in listed.days
    ]


# A pharmacy's details, kept by the service's managers (H-148) ----------------------------

# A community pharmacy's ODS code: 5 characters, F then 4 letters or digits (NHS ODS
# dispensing contractor codes, such as FA123 or FLM49).
PHARMACY_ODS_RE = re.compile(r"^F[A-Z0-9]{4}$")
PHARMACY_FIELDS = ("name", "ods_code", "phone", "email")
PROFILE_FIELDS = ("address", "postcode", "opening_hours")


@transaction.atomic
def pharmacy_details_save(
    *,
    actor: User,
    data: dict,
    pharmacy: PartnerOrganisation | None = None,
    origin: AuditOrigin | None = None,
) -> PartnerOrganisation:
    """Add a partner pharmacy (`pharmacy` None) or change its details: name, ODS code (a
    pharmacy's format, one pharmacy a code in the provider), phone, email, address,
    postcode and opening hours; each save audited, and the pharmacy's site opened for its
    naloxone stock and NSP if it has none yet (H-148)."""
    ensure_can(actor, MANAGE)
    name = (data.get("name") or "").strip()
    ods = re.sub(r"\s", "", (data.get("ods_code") or "")).upper()
    postcode = normalise_postcode(data.get("postcode") or "")
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the pharmacy's name"
    if not ods:
        errors["ods_code"] = "Enter the pharmacy's ODS code"
    elif not PHARMACY_ODS_RE.match(ods):
        errors["ods_code"] = "Enter a pharmacy ODS code: F and 4 letters or numbers, like FA123"
    others = PartnerOrganisation.objects.filter(provider_id=actor.provider_id).exclude(
        pk=getattr(pharmacy, "pk", None)
    )
    if ods and others.filter(ods_code=ods).exists():
        errors["ods_code"] = f"Another partner organisation already has the ODS code {ods}"
    if name and others.filter(name=name).exists():
        errors["name"] = f"Another partner organisation is already called {name}"
    if postcode:
        try:
            validate_postcode(postcode)
        except ValidationError as exc:
            errors["postcode"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    if pharmacy is not None and (
        pharmacy.provider_id != actor.provider_id
        or pharmacy.kind != PartnerOrganisation.Kind.PHARMACY
    ):
        raise ValidationError({"name": "No such pharmacy in your service"})
    values = {
        "name": name,
        "ods_code": ods,
        "phone": (data.get("phone") or "").strip(),
        "email": (data.get("email") or "").strip(),
    }
    action = Action.CREATE if pharmacy is None else Action.UPDATE
    if pharmacy is None:
        pharmacy = PartnerOrganisation(
            provider_id=actor.provider_id, kind=PartnerOrganisation.Kind.PHARMACY
        )
    for field, value in values.items():
        setattr(pharmacy, field, value)
    record_save(pharmacy, actor=actor, action=action, origin=origin, detail="pharmacy details")
    profile, created = PharmacyProfile.objects.select_for_update().get_or_create(
        pharmacy=pharmacy, defaults={"provider_id": pharmacy.provider_id}
    )
    profile.address = (data.get("address") or "").strip()
    profile.postcode = postcode
    profile.opening_hours = (data.get("opening_hours") or "").strip()
    record_save(
        profile,
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        origin=origin,
        detail=f"{pharmacy}: address and opening hours",
    )
    pharmacy_site_open(actor=actor, pharmacy=pharmacy, origin=origin)
    return pharmacy
