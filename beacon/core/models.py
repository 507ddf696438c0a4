"""Providers and their sites and teams, partner organisations, users, audit entries, API tokens."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from beacon.core.ledger import AppendOnlyModel
from beacon.core.roles import TWO_FACTOR_ROLES, Role

provider_code_validator = RegexValidator(
    r"^[A-Z]{2,6}$", "Use 2 to 6 capital letters, for example BCN."
)


class Provider(models.Model):
    """An organisation that runs treatment services; every record belongs to one."""

    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(
        max_length=6,
        unique=True,
        validators=[provider_code_validator],
        help_text="Short prefix of local client numbers, for example BCN.",
    )
    ndtms_agency_code = models.CharField(max_length=10, blank=True)
    last_client_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"], name="site_name_unique_per_provider"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="teams")
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="teams", null=True, blank=True
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"], name="team_name_unique_per_provider"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PartnerOrganisation(models.Model):
    """A council lending drivers, a pharmacy, probation: works with a provider, narrowly scoped."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Local council"
        PHARMACY = "pharmacy", "Community pharmacy"
        PROBATION = "probation", "Probation service"
        GP = "gp", "GP practice"
        HOUSING = "housing", "Housing provider"
        OTHER = "other", "Other"

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="partner_organisations"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ods_code = models.CharField("ODS code", max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"], name="partner_name_unique_per_provider"
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in, or an integration account (another system, no person behind
    it) that acts only through API tokens; either acts within one provider in one role."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        INTEGRATION = "integration", "Integration account"

    kind = models.CharField(
        max_length=12, choices=Kind.choices, default=Kind.PERSON, db_default=Kind.PERSON
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, related_name="members", null=True, blank=True
    )
    partner_organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        help_text="For partner staff: drivers lent by a council, a pharmacy's pharmacists, "
        "probation officers.",
    )

    objects = UserManager()

    class Meta:
        ordering = ["username"]
        constraints = [
            # Only the set-up superuser may stand outside a provider or without a role.
            models.CheckConstraint(
                condition=Q(is_superuser=True) | (Q(provider__isnull=False) & ~Q(role="")),
                name="user_has_provider_and_role",
            ),
            # An integration account has no person behind it: it never manages the service
            # and never opens the set-up admin.
            models.CheckConstraint(
                condition=~Q(kind="integration")
                | (Q(is_superuser=False) & Q(is_staff=False) & ~Q(role="manager")),
                name="integration_account_is_not_a_manager",
            ),
            # A pharmacist works at one pharmacy and sees only its instalments (issue 14).
            models.CheckConstraint(
                condition=~Q(role="pharmacist") | Q(partner_organisation__isnull=False),
                name="pharmacist_works_at_a_pharmacy",
            ),
            # A probation officer works for one probation service and sees only the
            # consenting clients they supervise (issue 19).
            models.CheckConstraint(
                condition=~Q(role="probation_officer") | Q(partner_organisation__isnull=False),
                name="probation_officer_works_for_probation",
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_integration(self) -> bool:
        return self.kind == self.Kind.INTEGRATION

    @property
    def needs_two_factor(self) -> bool:
        return self.is_superuser or self.role in TWO_FACTOR_ROLES


class AuditEntry(AppendOnlyModel):
    """One read of an identifiable record or one change. Append-only."""

    APPEND_ONLY_MESSAGE = "The audit log is append-only: entries cannot be changed."

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        SEARCH = "search", "Searched"
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DISCHARGE = "discharge", "Discharged"
        EXPORT = "export", "Exported"
        SIGN_IN = "sign_in", "Signed in"
        ISSUE_TOKEN = "issue_token", "Issued API token"
        REVOKE_TOKEN = "revoke_token", "Revoked API token"
        REFUSED = "refused", "Refused"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        TWO_FACTOR_FAILED = "two_factor_failed", "Wrong security code"
        ENROL_TWO_FACTOR = "enrol_two_factor", "Set up authenticator"
        ACCEPT_TOKEN = "accept_token", "Accepted API token"
        UNLOCK_ACCOUNT = "unlock_account", "Unlocked account"

    class Channel(models.TextChoices):
        WEB = "web", "Web"
        API = "api", "API"
        COMMAND = "command", "Command line"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="audit_entries", null=True
    )
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="audit_entries", null=True
    )
    # Copied at the time, so a later change of role or name does not rewrite history.
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="audit_entries",
        null=True,
        db_constraint=True,
    )
    detail = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    # The request that wrote the entry (none for commands and older entries): the reads of
    # one page view are shown as one row of the log.
    request_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["provider", "-at"], name="audit_provider_at"),
            models.Index(fields=["provider", "user", "-at"], name="audit_provider_user_at"),
            models.Index(fields=["provider", "client", "-at"], name="audit_provider_client_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"


class ApiToken(models.Model):
    """A per-user bearer token for the API; only its hash is stored.

    A token a manager issues for another person is pending: it has no key until that person
    accepts it, signed in, and is shown the key themself; so nobody holds a token that
    acts as someone else without them knowing."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="api_tokens")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(
        max_length=12, blank=True, help_text="The first characters, to recognise it."
    )
    key_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="issued_api_tokens", null=True
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="After this the token no longer works (none: until revoked).",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the token got its key; it works only after."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True, key_hash__isnull=True)
                | Q(accepted_at__isnull=False, key_hash__isnull=False),
                name="api_token_has_a_key_once_accepted",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.accepted_at is not None and self.revoked_at is None and not self.has_expired

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.has_expired

    @property
    def has_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class Alert(models.Model):
    """Something a member of staff must act on today (a missed delivery…), shown in the app
    and, where BEACON_ALERT_EMAILS is on, emailed without any client detail."""

    class Kind(models.TextChoices):
        MISSED_DELIVERY = "missed_delivery", "Missed delivery"
        PARCEL_CHANGED = "parcel_changed", "Parcel to make up again"
        MISSED_DOSES = "missed_doses", "Supply suspended after missed doses"
        NOT_DELIVERED_BY_SERVICE = "not_delivered_by_service", "Dose not delivered by the service"
        API_TOKEN_TO_ACCEPT = "api_token_to_accept", "API token to accept"
        NALOXONE = "naloxone", "Naloxone to offer or re-supply"
        PHARMACY = "pharmacy", "From a community pharmacy"
        PRISON_RELEASE = "prison_release", "Released from prison, not yet seen"
        LONE_WORKING = "lone_working", "Outreach check-out overdue"
        OUTREACH_CONCERN = "outreach_concern", "Outreach concern with no referral"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="alerts")
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="alerts", null=True, blank=True
    )
    title = models.CharField(max_length=200)
    message = models.TextField(max_length=2000)
    link = models.CharField(max_length=300, blank=True, help_text="A page of Beacon to act on it")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="alert_unread")]

    def __str__(self) -> str:
        return self.title


class Submission(models.Model):
    """One create or change sent once: a form's one-time submission token or an API
    client's Idempotency-Key. A repeat of the same key gets the first answer back and
    never makes a second record (core.idempotency)."""

    key = models.CharField(max_length=200)
    # Whose key it is: the signed-in user of a page, or the API token (hashed) that sent it.
    scope = models.CharField(max_length=80)
    fingerprint = models.CharField(max_length=64, help_text="Method, path and body, hashed.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    completed = models.BooleanField(default=False)
    status = models.PositiveSmallIntegerField(null=True)
    location = models.CharField(max_length=2000, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="submission_once_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({'answered' if self.completed else 'in progress'})"


# Texts to clients by GOV.UK Notify (core/texts.py words them, core/notify.py sends them) --


class TextPurpose(models.TextChoices):
    APPOINTMENT_REMINDER = "appointment_reminder", "Appointment reminder"
    DELIVERY_WINDOW = "delivery_window", "Delivery window"
    SURVEY_LINK = "survey_link", "Survey link"


class TextWording(models.Model):
    """A provider's wording of one kind of text, with {placeholders}; edited by a manager.
    Without one, texts.DEFAULT_WORDING is used."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="text_wordings")
    purpose = models.CharField(max_length=30, choices=TextPurpose.choices)
    body = models.CharField(max_length=300)
    service_phone = models.CharField(
        "phone number clients reply or call",
        max_length=20,
        blank=True,
        help_text="Goes where the wording says {service_phone}",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "purpose"], name="text_wording_one_per_purpose"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} wording"


class TextMessage(models.Model):
    """One text to a client: its wording as sent, and its fate as GOV.UK Notify reports it.
    Status moves only through services.TEXT_STATES."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to send"
        # Notify's own statuses of a text message, as its API and callbacks name them.
        CREATED = "created", "Accepted by Notify"
        SENDING = "sending", "Sending"
        PENDING = "pending", "Waiting for the phone network"
        SENT = "sent", "Sent abroad"
        DELIVERED = "delivered", "Delivered"
        PERMANENT_FAILURE = "permanent-failure", "Failed: number not in use"
        TEMPORARY_FAILURE = "temporary-failure", "Failed: phone off or out of signal"
        TECHNICAL_FAILURE = "technical-failure", "Failed: Notify's technical problem"
        # Beacon's: Notify refused the text, or could not be reached after every attempt.
        NOT_SENT = "not-sent", "Not sent"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="text_messages")
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="text_messages"
    )
    purpose = models.CharField(max_length=30, choices=TextPurpose.choices)
    # What the text is for, once: the same reference never queues a second text.
    reference = models.CharField(max_length=100)
    body = models.CharField(max_length=918)  # Notify's limit for one text message
    phone = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When Notify accepted it")
    status_at = models.DateTimeField(null=True, blank=True, help_text="Notify's last report")
    notify_id = models.CharField("Notify's id", max_length=36, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "reference"], name="text_message_once_per_reference"
            ),
            models.CheckConstraint(condition=~Q(phone=""), name="text_message_has_a_phone"),
        ]
        indexes = [models.Index(fields=["provider", "client", "-queued_at"], name="text_client")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} text {self.pk}"

    @property
    def failed(self) -> bool:
        return self.status in TEXT_FAILED_STATUSES


TEXT_FAILED_STATUSES = frozenset(
    {
        TextMessage.Status.PERMANENT_FAILURE,
        TextMessage.Status.TEMPORARY_FAILURE,
        TextMessage.Status.TECHNICAL_FAILURE,
        TextMessage.Status.NOT_SENT,
    }
)
