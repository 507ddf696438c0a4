"""Writes to client records: create, update, consents, contacts. Each audited (from the
`origin` the view or API passes), each atomic."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from beacon.clients import selectors
from beacon.clients.models import Client, Contact, SharingConsent
from beacon.clients.validators import (
    normalise_nhs_number,
    normalise_phone,
    normalise_postcode,
    validate_postcode_or_no_fixed_abode,
)
from beacon.core.audit import Action, AuditOrigin, audit_record, record_save
from beacon.core.models import PartnerOrganisation, Provider, User
from beacon.core.permissions import ensure_can

CLIENT_FIELDS = [
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "gender_identity",
    "ethnicity",
    "nhs_number",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "no_fixed_abode",
    "phone",
    "gp_practice_code",
    "ndtms_consent",
    "children_in_household",
    "domestic_abuse",
    "risk_to_staff",
    "self_harm_risk",
    "pregnant",
    "safeguarding_notes",
]
CONSENT_FIELDS = [
    "consent_share_with_gp",
    "consent_share_with_probation",
    "consent_contact_by_text",
]
CONTACT_FIELDS = [
    "name",
    "relationship",
    "phone",
    "is_emergency_contact",
    "client_agrees_to_contact",
    "notes",
]


def _normalise(data: dict) -> dict:
    data = dict(data)
    if data.get("nhs_number"):
        data["nhs_number"] = normalise_nhs_number(data["nhs_number"])
    if data.get("postcode"):
        data["postcode"] = normalise_postcode(data["postcode"])
    if data.get("phone"):
        data["phone"] = normalise_phone(data["phone"])
    if data.get("gp_practice_code"):
        data["gp_practice_code"] = data["gp_practice_code"].upper()
    for key in ("first_name", "last_name", "preferred_name"):
        if isinstance(data.get(key), str):
            data[key] = data[key].strip()
    return data


class PossibleDuplicates(ValidationError):
    """The person may already have a record (`selectors.client_possible_duplicates`): the
    caller shows which, and asks for `confirm_not_duplicate`."""

    def __init__(self, duplicates: list[Client]) -> None:
        super().__init__(
            {
                "confirm_not_duplicate": "This person may already have a record: "
                "check the list, then confirm"
            }
        )
        self.duplicates = duplicates


def _locked_provider(provider_id: int) -> Provider:
    """The provider row, locked: one client creation of a provider at a time, so the checks
    for a record of the same person read what the one before committed (ten requests at
    once made six records, issue #9) and numbers never collide."""
    return Provider.objects.select_for_update().get(pk=provider_id)


def _next_client_number(locked: Provider) -> str:
    locked.last_client_number += 1
    locked.save(update_fields=["last_client_number"])
    return f"{locked.code}{locked.last_client_number:06d}"


def _check_not_duplicate(
    *, actor: User, provider: Provider, data: dict, origin: AuditOrigin | None
) -> None:
    duplicates = selectors.client_possible_duplicates(
        provider=provider,
        first_name=data.get("first_name") or "",
        last_name=data.get("last_name") or "",
        date_of_birth=data.get("date_of_birth"),
    )
    if duplicates and not data.get("confirm_not_duplicate"):
        raise PossibleDuplicates(duplicates)
    if duplicates:
        audit_duplicate_check(actor=actor, duplicates=duplicates, origin=origin)


def audit_duplicate_check(
    *, actor: User, duplicates: list[Client], origin: AuditOrigin | None
) -> None:
    """The duplicate check found lookalikes (a search across the provider): for the log."""
    audit_record(
        actor=actor,
        action=Action.SEARCH,
        detail=f"duplicate check, {len(duplicates)} possible",
        origin=origin,
    )


def _check_client(client: Client) -> None:
    """Rules across fields or records, which field validators cannot express."""
    validate_postcode_or_no_fixed_abode(
        postcode=client.postcode, no_fixed_abode=client.no_fixed_abode
    )
    if (
        client.nhs_number
        and client.provider.clients.filter(nhs_number=client.nhs_number)
        .exclude(pk=client.pk)
        .exists()
    ):
        raise ValidationError(
            {"nhs_number": "A client with this NHS number already exists: search for them"}
        )


@transaction.atomic
def client_create(*, actor: User, data: dict, origin: AuditOrigin | None = None) -> Client:
    """A new client record. Refused with `PossibleDuplicates` when someone of the same date
    of birth and a similar name is on record, unless `data["confirm_not_duplicate"]`."""
    data = _normalise(data)
    provider = _locked_provider(actor.provider_id)
    _check_not_duplicate(actor=actor, provider=provider, data=data, origin=origin)
    client = Client(
        provider_id=actor.provider_id,
        **{k: v for k, v in data.items() if k in CLIENT_FIELDS + CONSENT_FIELDS},
    )
    team = data.get("team") or actor.team
    if team is None:
        raise ValidationError({"team": "Choose the team that will work with this client"})
    if team.provider_id != actor.provider_id:
        raise ValidationError({"team": "Choose a team of your own service"})
    client.team = team
    client.keyworker = data.get("keyworker") or (actor if actor.role == "keyworker" else None)
    client.client_number = "pending"
    _check_client(client)
    client.full_clean(exclude=["client_number"])
    client.client_number = _next_client_number(provider)
    if any(data.get(field) for field in CONSENT_FIELDS):
        client.consents_updated_at = timezone.now()
    client.save()
    audit_record(actor=actor, action=Action.CREATE, obj=client, client=client, origin=origin)
    return client


def _apply(instance: models.Model, data: dict, fields: list[str]) -> list[str]:
    changed = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    return changed


@transaction.atomic
def client_update(
    *, actor: User, client: Client, data: dict, origin: AuditOrigin | None = None
) -> Client:
    data = _normalise(data)
    changed = _apply(client, data, CLIENT_FIELDS)
    if not changed:
        return client
    _check_client(client)
    return record_save(
        client,
        actor=actor,
        action=Action.UPDATE,
        origin=origin,
        client=client,
        detail="changed " + ", ".join(changed),
    )


@transaction.atomic
def client_consents_update(
    *, actor: User, client: Client, data: dict, origin: AuditOrigin | None = None
) -> Client:
    changed = _apply(client, data, CONSENT_FIELDS)
    if changed:
        client.consents_updated_at = timezone.now()
        client.save(update_fields=[*changed, "consents_updated_at", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=client,
            client=client,
            detail="consents: "
            + ", ".join(
                f"{f.removeprefix('consent_')}={'yes' if getattr(client, f) else 'no'}"
                for f in changed
            ),
            origin=origin,
        )
    return client


def _probation_consent_flag(client: Client, *, actor: User, origin: AuditOrigin | None) -> None:
    """Keep the client's "share with probation" consent in step with their consents to share
    with a probation organisation (one in force: yes; none left: no)."""
    consents = SharingConsent.objects.filter(
        client=client, partner_organisation__kind=PartnerOrganisation.Kind.PROBATION
    )
    agreed = consents.active(on=timezone.localdate()).exists()
    if client.consent_share_with_probation != agreed:
        client_consents_update(
            actor=actor,
            client=client,
            data={
                **{f: getattr(client, f) for f in CONSENT_FIELDS},
                "consent_share_with_probation": agreed,
            },
            origin=origin,
        )


@transaction.atomic
def sharing_consent_record(
    *, actor: User, client: Client, data: dict, origin: AuditOrigin | None = None
) -> SharingConsent:
    """The client's consent to share with a partner organisation: what (`share_*`), with whom
    (`partner_organisation`, of the client's provider), from `given_on` `until`."""
    ensure_can(actor, "clients.change_client", client)
    partner = data.get("partner_organisation")
    if partner is None or partner.provider_id != client.provider_id:
        raise ValidationError(
            {"partner_organisation": "Choose who the client agrees to share with"}
        )
    consent = SharingConsent(
        provider_id=client.provider_id,
        client=client,
        recorded_by=actor,
        partner_organisation=partner,
        given_on=data.get("given_on"),
        until=data.get("until"),
        **{field: bool(data.get(field)) for field in SharingConsent.SHARES},
    )
    record_save(
        consent,
        actor=actor,
        origin=origin,
        detail=f"consent to share with {partner}: " + ", ".join(consent.shared).lower(),
    )
    _probation_consent_flag(client, actor=actor, origin=origin)
    return consent


@transaction.atomic
def sharing_consent_withdraw(
    *, actor: User, consent: SharingConsent, origin: AuditOrigin | None = None
) -> SharingConsent:
    """The client withdraws a consent to share: from this moment nothing more is shared."""
    client = consent.client
    ensure_can(actor, "clients.change_client", client)
    consent = SharingConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ValidationError("This consent was already withdrawn")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    record_save(
        consent,
        actor=actor,
        action=Action.UPDATE,
        origin=origin,
        client=client,
        detail=f"consent to share with {consent.partner_organisation} withdrawn",
    )
    _probation_consent_flag(client, actor=actor, origin=origin)
    return consent


@transaction.atomic
def contact_create(
    *, actor: User, client: Client, data: dict, origin: AuditOrigin | None = None
) -> Contact:
    data = _normalise(data)
    contact = Contact(
        provider_id=client.provider_id,
        client=client,
        **{k: v for k, v in data.items() if k in CONTACT_FIELDS},
    )
    return record_save(contact, actor=actor, origin=origin)


@transaction.atomic
def contact_update(
    *, actor: User, contact: Contact, data: dict, origin: AuditOrigin | None = None
) -> Contact:
    data = _normalise(data)
    changed = _apply(contact, data, CONTACT_FIELDS)
    if changed:
        record_save(
            contact,
            actor=actor,
            action=Action.UPDATE,
            origin=origin,
            detail="changed " + ", ".join(changed),
        )
    return contact


def client_record_viewed(
    *,
    actor: User,
    client: Client,
    origin: AuditOrigin | None = None,
    what: str = "",
) -> None:
    """A read of the client's record, for the audit log (`what` names the page or part)."""
    audit_record(
        actor=actor, action=Action.VIEW, obj=client, client=client, detail=what, origin=origin
    )
