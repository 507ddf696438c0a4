"""Shapes of client records in the JSON API: what a caller may send, and what it gets back.

Sizes match the model fields and coded fields are the model's own code lists, so a
bad value is refused here with the field's name (422) before any service runs. Checks
that need the database or the identifier rules (NHS number checksum, postcode, phone,
GP practice code, date of birth in the future) stay in the services, the one place
pages and API share; core/api.py turns their ValidationError into the same 422 shape.
"""

import datetime

from ninja import Field, Schema
from pydantic import StrictBool

from beacon.clients import presenters
from beacon.clients.codes import Ethnicity, GenderIdentity, NdtmsConsent, Sex
from beacon.clients.models import Client, Contact
from beacon.core.schemas import MAX_OFFSET, Input, IsoDate, choice, text

DateOfBirth = IsoDate
Name = text(100, required=True)
OptionalName = text(100)
# The form takes an NHS number as typed ("943 476 5919"); the service strips the spaces.
NhsNumberText = text(13)
AddressLine = text(100)
Town = text(60)
Postcode = text(8)
Phone = text(20)
GpPracticeCode = text(6)
SafeguardingNotes = text(2000)
ContactName = text(200, required=True)
ContactNotes = text(1000)


class ClientCreateIn(Input):
    first_name: Name
    last_name: Name
    preferred_name: OptionalName = ""
    date_of_birth: DateOfBirth
    sex: Sex
    gender_identity: GenderIdentity = GenderIdentity.NOT_STATED
    ethnicity: Ethnicity
    nhs_number: NhsNumberText = ""
    address_line_1: AddressLine = ""
    address_line_2: AddressLine = ""
    town: Town = ""
    postcode: Postcode = ""
    no_fixed_abode: StrictBool = False
    phone: Phone = ""
    gp_practice_code: GpPracticeCode = ""
    ndtms_consent: choice(NdtmsConsent) = NdtmsConsent.NOT_ASKED
    children_in_household: StrictBool = False
    domestic_abuse: StrictBool = False
    risk_to_staff: StrictBool = False
    self_harm_risk: StrictBool = False
    pregnant: StrictBool = False
    safeguarding_notes: SafeguardingNotes = ""
    consent_share_with_gp: StrictBool = False
    consent_share_with_probation: StrictBool = False
    consent_contact_by_text: StrictBool = False
    team_id: int | None = Field(
        None, description="The team that will work with the client; defaults to your own team."
    )
    confirm_not_duplicate: StrictBool = Field(
        False,
        description="Send true after checking the possible duplicates a 409 answer listed.",
    )


class ClientUpdateIn(Input):
    """Every field optional: only those sent are changed. null is refused, as for a form."""

    first_name: Name = None
    last_name: Name = None
    preferred_name: OptionalName = None
    date_of_birth: DateOfBirth = None
    sex: Sex = None
    gender_identity: GenderIdentity = None
    ethnicity: Ethnicity = None
    nhs_number: NhsNumberText = None
    address_line_1: AddressLine = None
    address_line_2: AddressLine = None
    town: Town = None
    postcode: Postcode = None
    no_fixed_abode: StrictBool = None
    phone: Phone = None
    gp_practice_code: GpPracticeCode = None
    ndtms_consent: choice(NdtmsConsent) = None
    children_in_household: StrictBool = None
    domestic_abuse: StrictBool = None
    risk_to_staff: StrictBool = None
    self_harm_risk: StrictBool = None
    pregnant: StrictBool = None
    safeguarding_notes: SafeguardingNotes = None


class ClientConsentsIn(Input):
    """All three consents, every time: they are agreed with the client as a set."""

    consent_share_with_gp: StrictBool
    consent_share_with_probation: StrictBool
    consent_contact_by_text: StrictBool


class ClientConsentsOut(Schema):
    consent_share_with_gp: bool
    consent_share_with_probation: bool
    consent_contact_by_text: bool
    consents_updated_at: datetime.datetime | None


class ClientListQuery(Schema):
    q: str = Field(
        "", max_length=100, description="Name, NHS number, client number or date of birth"
    )
    # The first row of a page stays within what the database counts (core.schemas).
    page: int = Field(1, ge=1, le=MAX_OFFSET // 100)
    page_size: int = Field(25, ge=1, le=100)


class ClientSummaryOut(Schema):
    client_number: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: datetime.date
    sex: Sex
    team: str
    keyworker: str | None

    @staticmethod
    def resolve_team(client: Client) -> str:
        return client.team.name

    @staticmethod
    def resolve_keyworker(client: Client) -> str | None:
        return client.keyworker.username if client.keyworker_id else None


class ClientPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ClientSummaryOut]


class ClientOut(ClientSummaryOut):
    gender_identity: GenderIdentity
    ethnicity: Ethnicity
    nhs_number: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    no_fixed_abode: bool
    phone: str
    gp_practice_code: str
    ndtms_consent: choice(NdtmsConsent)
    children_in_household: bool
    domestic_abuse: bool
    risk_to_staff: bool
    self_harm_risk: bool
    pregnant: bool
    safeguarding_notes: str
    team_id: int
    ndtms_attributor: str = Field(description="Initials, date of birth, sex, postcode district")
    consents: ClientConsentsOut
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_ndtms_attributor(client: Client) -> str:
        return presenters.ndtms_attributor(client)

    @staticmethod
    def resolve_consents(client: Client) -> Client:
        # The consents share the record's attributes; the nested schema picks its own.
        return client


class ContactIn(Input):
    name: ContactName
    relationship: choice(Contact.Relationship)
    phone: Phone = ""
    is_emergency_contact: StrictBool = False
    client_agrees_to_contact: StrictBool = False
    notes: ContactNotes = ""


class ContactUpdateIn(Input):
    """Every field optional: only those sent are changed."""

    name: ContactName = None
    relationship: choice(Contact.Relationship) = None
    phone: Phone = None
    is_emergency_contact: StrictBool = None
    client_agrees_to_contact: StrictBool = None
    notes: ContactNotes = None


class ContactOut(Schema):
    id: int
    name: str
    relationship: choice(Contact.Relationship)
    phone: str
    is_emergency_contact: bool
    client_agrees_to_contact: bool
    notes: str
    created_at: datetime.datetime


class PossibleDuplicatesOut(Schema):
    detail: str
    possible_duplicates: list[str] = Field(
        description="Client numbers of possible duplicates that you may open"
    )
    in_teams_you_cannot_open: int = Field(
        0, description="How many more possible duplicates sit in teams you cannot open"
    )
