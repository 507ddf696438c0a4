"""How a client record is shown: NHS number 3-3-4, age, NDTMS attributor, flags, consents."""

from django.utils import timezone

from beacon.clients.codes import NDTMS_ETHNIC_CODE
from beacon.clients.models import Client
from beacon.clients.validators import postcode_district
from beacon.core import presenters

RISK_FLAGS = [
    ("children_in_household", "Children in household"),
    ("domestic_abuse", "Domestic abuse"),
    ("risk_to_staff", "Risk to staff"),
    ("self_harm_risk", "Suicide or self-harm risk"),
    ("pregnant", "Pregnant"),
]


def age_on(date_of_birth, today) -> int:
    return (
        today.year
        - date_of_birth.year
        - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))
    )


def ndtms_attributor(client: Client) -> str:
    """Initials, date of birth, sex and postcode district: derived, never typed twice."""
    initials = f"{client.first_name[:1]}{client.last_name[:1]}".upper()
    district = "NFA" if client.no_fixed_abode else postcode_district(client.postcode)
    return f"{initials} {client.date_of_birth:%d/%m/%Y} {client.sex} {district}".strip()


class ClientPresenter:
    def __init__(self, client: Client):
        self.client = client

    @property
    def nhs_number(self) -> str:
        return presenters.nhs_number(self.client.nhs_number) or "Not recorded"

    @property
    def age(self) -> int:
        return age_on(self.client.date_of_birth, timezone.localdate())

    @property
    def attributor(self) -> str:
        return ndtms_attributor(self.client)

    @property
    def ndtms_ethnic_code(self) -> str:
        return NDTMS_ETHNIC_CODE.get(self.client.ethnicity, "Z")

    @property
    def address(self) -> list[str]:
        if self.client.no_fixed_abode:
            return ["No fixed abode"]
        parts = [
            self.client.address_line_1,
            self.client.address_line_2,
            self.client.town,
            self.client.postcode,
        ]
        return [part for part in parts if part]

    @property
    def phone(self) -> str:
        return presenters.phone_uk(self.client.phone) or "Not recorded"

    @property
    def risk_flags(self) -> list[str]:
        return [label for field, label in RISK_FLAGS if getattr(self.client, field)]

    @property
    def consents(self) -> list[tuple[str, bool]]:
        return [
            ("Share information with GP", self.client.consent_share_with_gp),
            ("Share information with probation", self.client.consent_share_with_probation),
            ("Contact by text message", self.client.consent_contact_by_text),
        ]
