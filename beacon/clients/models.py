"""Service users (clients), their friends and family contacts, consents and risk flags."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from beacon.clients.codes import Ethnicity, GenderIdentity, NdtmsConsent, Sex
from beacon.clients.validators import (
    validate_date_of_birth,
    validate_nhs_number,
    validate_ods_code,
    validate_phone,
    validate_postcode,
)
from beacon.core.fields import BoundedTextField
from beacon.core.models import Provider, Team


class Client(models.Model):
    """A person who uses the service. Carries its provider directly (DESIGN: scoping)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="clients")
    client_number = models.CharField("client number", max_length=20, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="clients")
    keyworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload",
        null=True,
        blank=True,
    )

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(validators=[validate_date_of_birth])
    sex = models.CharField("sex at birth", max_length=1, choices=Sex.choices)
    gender_identity = models.CharField(
        max_length=2, choices=GenderIdentity.choices, default=GenderIdentity.NOT_STATED
    )
    ethnicity = models.CharField(max_length=2, choices=Ethnicity.choices)
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number]
    )

    address_line_1 = models.CharField(max_length=100, blank=True)
    address_line_2 = models.CharField(max_length=100, blank=True)
    town = models.CharField(max_length=60, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    no_fixed_abode = models.BooleanField(default=False)
    phone = models.CharField(max_length=20, blank=True, validators=[validate_phone])
    gp_practice_code = models.CharField(
        "GP practice ODS code", max_length=6, blank=True, validators=[validate_ods_code]
    )

    # Consents, agreed with the client and changed only with them.
    consent_share_with_gp = models.BooleanField("share information with GP", default=False)
    consent_share_with_probation = models.BooleanField(
        "share information with probation", default=False
    )
    consent_contact_by_text = models.BooleanField("contact by text message", default=False)
    consents_updated_at = models.DateTimeField(null=True, blank=True)
    # The national return's consent (NDTMS CONSENT): asked, never assumed (H-241).
    ndtms_consent = models.CharField(
        "agrees to their record going to NDTMS",
        max_length=10,
        choices=NdtmsConsent.choices,
        blank=True,
        default=NdtmsConsent.NOT_ASKED,
        # Rows written by older migrations' models (which know no such field) get it too.
        db_default=NdtmsConsent.NOT_ASKED,
        help_text="The National Drug Treatment Monitoring System. Ask the client: without a "
        "yes, NDTMS receives only the agency and client number",
    )

    # Risk and safeguarding flags.
    children_in_household = models.BooleanField(default=False)
    domestic_abuse = models.BooleanField("domestic abuse", default=False)
    risk_to_staff = models.BooleanField("risk to staff (lone working)", default=False)
    self_harm_risk = models.BooleanField("risk of suicide or self-harm", default=False)
    pregnant = models.BooleanField(default=False)
    safeguarding_notes = BoundedTextField(max_length=2000, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "client_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "client_number"], name="client_number_unique_per_provider"
            ),
            models.UniqueConstraint(
                fields=["provider", "nhs_number"],
                condition=~Q(nhs_number=""),
                name="client_nhs_number_unique_per_provider",
                violation_error_message="A client with this NHS number already exists",
            ),
            models.CheckConstraint(condition=~Q(client_number=""), name="client_number_present"),
        ]
        indexes = [
            models.Index(fields=["provider", "date_of_birth"], name="client_provider_dob"),
            models.Index(Lower("last_name"), "provider", name="client_provider_last_name"),
            # A keyworker's caseload, read on every caseload page and its due lists: with
            # the provider's index alone SQLite read the whole provider's clients (about
            # 100 ms at 100,000 clients, eight times over on one page).
            models.Index(fields=["provider", "keyworker"], name="client_provider_keyworker"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.client_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def known_as(self) -> str:
        return self.preferred_name or self.first_name


class Contact(models.Model):
    """A friend or family member of a client (for naloxone, emergencies, support)."""

    class Relationship(models.TextChoices):
        PARTNER = "partner", "Partner"
        PARENT = "parent", "Parent"
        CHILD = "child", "Son or daughter (adult)"
        SIBLING = "sibling", "Brother or sister"
        OTHER_FAMILY = "family", "Other family"
        FRIEND = "friend", "Friend"
        CARER = "carer", "Carer"
        OTHER = "other", "Other"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contacts")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    phone = models.CharField(max_length=20, blank=True, validators=[validate_phone])
    is_emergency_contact = models.BooleanField(default=False)
    client_agrees_to_contact = models.BooleanField(
        "client agrees we may contact them", default=False
    )
    notes = BoundedTextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


class SharingConsentQuerySet(models.QuerySet):
    def active(self, *, on) -> "SharingConsentQuerySet":
        """In force on `on`: given by then, not past its end, not withdrawn (the query of
        `SharingConsent.is_active_on`)."""
        return self.filter(withdrawn_at__isnull=True, given_on__lte=on, until__gte=on)


class SharingConsent(models.Model):
    """The client's consent to share with one partner organisation (probation…): what may be
    shared, with whom, until when; withdrawn at any time, with effect at once (issue 19)."""

    # What may be shared, each named by the client. The first three are what probation asks.
    SHARES = {
        "share_attendance": "Attendance (appointments kept and missed)",
        "share_engagement": "Whether they are engaging with treatment",
        "share_review_hearings": "Review hearing dates",
        "share_case_notes": "Case notes",
        "share_substances": "Substances used",
        "share_doses": "Medicines and doses",
        "share_test_results": "Test results",
    }

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="sharing_consents")
    partner_organisation = models.ForeignKey(
        "core.PartnerOrganisation",
        verbose_name="shared with",
        on_delete=models.PROTECT,
        related_name="sharing_consents",
    )
    share_attendance = models.BooleanField(SHARES["share_attendance"], default=False)
    share_engagement = models.BooleanField(SHARES["share_engagement"], default=False)
    share_review_hearings = models.BooleanField(SHARES["share_review_hearings"], default=False)
    share_case_notes = models.BooleanField(SHARES["share_case_notes"], default=False)
    share_substances = models.BooleanField(SHARES["share_substances"], default=False)
    share_doses = models.BooleanField(SHARES["share_doses"], default=False)
    share_test_results = models.BooleanField(SHARES["share_test_results"], default=False)
    given_on = models.DateField("consent given on")
    until = models.DateField("shared until")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = SharingConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__gte=models.F("given_on")),
                name="sharing_consent_ends_after_it_starts",
                violation_error_message="The end of the consent is before it was given",
            ),
            models.CheckConstraint(
                condition=Q(share_attendance=True)
                | Q(share_engagement=True)
                | Q(share_review_hearings=True)
                | Q(share_case_notes=True)
                | Q(share_substances=True)
                | Q(share_doses=True)
                | Q(share_test_results=True),
                name="sharing_consent_names_what_is_shared",
                violation_error_message="Choose what the client agrees to share",
            ),
        ]
        indexes = [models.Index(fields=["provider", "client"], name="sharing_consent_client")]

    def __str__(self) -> str:
        return f"Consent to share with {self.partner_organisation}"

    def is_active_on(self, day) -> bool:
        return self.withdrawn_at is None and self.given_on <= day <= self.until

    @property
    def shared(self) -> list[str]:
        """The names of what may be shared, in the order of SHARES."""
        return [label for field, label in self.SHARES.items() if getattr(self, field)]
