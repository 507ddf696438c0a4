"""Naloxone: kit batches and their stock at each site (an append-only ledger with a running
balance), opt-out offers, supplies with the training given before them, reports of a kit
used, lost, confiscated or expired, and offers due at the moments of highest risk."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from beacon.clients.models import Client
from beacon.core.ledger import AppendOnlyModel
from beacon.core.models import Provider, Site


class KitType(models.TextChoices):
    PRENOXAD = "prenoxad", "Prenoxad 2 mg/2 ml injection kit (intramuscular)"
    NYXOID = "nyxoid", "Nyxoid 1.8 mg nasal spray"


class PackItem(models.TextChoices):
    """What a supply pack holds besides the naloxone, recorded when packs are made up."""

    GLOVES = "gloves", "Gloves"
    FACE_SHIELD = "face_shield", "Face shield for rescue breaths"
    INSTRUCTION_CARD = "instruction_card", "Instruction card"
    TORCH = "torch", "Torch"
    WIPES = "wipes", "Alcohol wipes"


class TrainingTopic(models.TextChoices):
    RECOGNISING = "recognising", "Recognising an overdose"
    RECOVERY_POSITION = "recovery_position", "Recovery position"
    CALLING_999 = "calling_999", "Calling 999"
    GIVING = "giving", "Giving naloxone"
    STAYING = "staying", "Staying with the person (naloxone wears off)"


class Recipient(models.TextChoices):
    CLIENT = "client", "The client"
    FAMILY = "family", "Family member"
    FRIEND = "friend", "Friend"
    CARER = "carer", "Carer"
    PEER = "peer", "Peer"
    HOSTEL_STAFF = "hostel_staff", "Hostel or housing staff"
    OTHER = "other", "Someone else"


# Friends and family in the figures: everyone supplied who is not the client.
FRIENDS_AND_FAMILY = [r for r in Recipient.values if r != Recipient.CLIENT]
# A kit that covers the client: their own, or one given for them to a family member or
# carer, who is the person likely to be there to give it (H-102). A friend's, a peer's or
# hostel staff's kit is counted as supplied, not as the client covered.
COVERS_CLIENT = [Recipient.CLIENT, Recipient.FAMILY, Recipient.CARER]


class OfferOutcome(models.TextChoices):
    SUPPLIED = "supplied", "Supplied"
    DECLINED = "declined", "Declined"
    HOLDS_KIT = "holds_kit", "Holds an in-date kit (seen)"


class DeclineReason(models.TextChoices):
    SMOKES = "smokes", "I smoke, I don't inject"
    HAS_ONE_ELSEWHERE = "has_one_elsewhere", "Already have one elsewhere"
    DOES_NOT_MIX = "does_not_mix", "Don't mix with people who use"
    PRISON_RELEASE_KIT = "prison_release_kit", "Released from prison with one"
    OTHER = "other", "Other"


class Moment(models.TextChoices):
    """When the offer was made: at a contact, or at a moment of highest risk."""

    CONTACT = "contact", "At a contact"
    OST_START = "ost_start", "Starting OST"
    MISSED_DOSE_SUSPENSION = "missed_dose_suspension", "Supply suspended after missed doses"
    LEAVING_TREATMENT = "leaving_treatment", "Leaving treatment"
    LEAVING_PRISON = "leaving_prison", "Leaving prison"
    EXIT_PLAN = "exit_plan", "Exit plan (loss of tolerance)"


class ReportKind(models.TextChoices):
    USED = "used", "Used"
    LOST = "lost", "Lost"
    CONFISCATED = "confiscated", "Confiscated"
    EXPIRED = "expired", "Expired"


class UsedOn(models.TextChoices):
    SELF = "self", "On themself"
    SOMEONE_ELSE = "someone_else", "On someone else"


class UseOutcome(models.TextChoices):
    SURVIVED = "survived", "Survived"
    DIED = "died", "Died"
    UNKNOWN = "unknown", "Not known"


class KitBatch(models.Model):
    """One manufacturer's batch of a kit type, with its expiry date."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    kit_type = models.CharField(max_length=20, choices=KitType.choices)
    batch_number = models.CharField("batch", max_length=40)
    expires_on = models.DateField("expiry date")
    pack_contents = models.JSONField(
        default=list, blank=True, help_text="What the packs were made up with (PackItem values)"
    )

    class Meta:
        ordering = ["expires_on", "batch_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "kit_type", "batch_number"],
                name="naloxone_batch_once_per_provider",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kit_type_display()}, batch {self.batch_number}"

    def is_in_date(self, on: datetime.date) -> bool:
        return self.expires_on >= on


class StockEntry(AppendOnlyModel):
    """One movement of kits at a site, with the balance of that batch there after it."""

    APPEND_ONLY_MESSAGE = (
        "The naloxone stock ledger is append-only: record a correction as a new entry."
    )

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        SUPPLIED = "supplied", "Supplied"
        TRANSFER_OUT = "transfer_out", "Transferred out"
        TRANSFER_IN = "transfer_in", "Transferred in"
        EXPIRED = "written_off_expired", "Written off: expired"
        DAMAGED = "written_off_damaged", "Written off: damaged"
        CORRECTION = "correction", "Correction"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(KitBatch, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField("date")
    change = models.IntegerField(help_text="Kits in (positive) or out (negative)")
    balance_after = models.PositiveIntegerField()
    other_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="corrections", null=True, blank=True
    )
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name_plural = "stock entries"
        constraints = [
            models.CheckConstraint(condition=~Q(change=0), name="naloxone_entry_moves_stock"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="naloxone_balance_after_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["provider", "site", "batch"], name="naloxone_entry_page")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.change:+d} ({self.on:%d/%m/%Y})"


class StockBalance(models.Model):
    """The current number of kits of one batch at one site: the row services lock."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(KitBatch, on_delete=models.PROTECT, related_name="balances")
    balance = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["site__name", "batch__expires_on"]
        constraints = [
            models.UniqueConstraint(fields=["site", "batch"], name="naloxone_balance_per_batch"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="naloxone_balance_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.batch}: {self.balance} at {self.site}"


class NaloxoneSupply(models.Model):
    """A kit handed to the client or to someone for them (named or not), after training."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        related_name="naloxone_supplies",
        null=True,
        blank=True,
        help_text="The client, or the client a friend or family member is linked to",
    )
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    recipient_name = models.CharField(
        "name of the person supplied", max_length=200, blank=True, help_text="Blank: not named"
    )
    batch = models.ForeignKey(KitBatch, on_delete=models.PROTECT, related_name="supplies")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    supplied_on = models.DateField("date supplied")
    supplied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="naloxone_supplies"
    )
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    training_topics = models.JSONField(default=list)
    # Whether a peer volunteer supplied the kit, read from their role when it was supplied:
    # the figures count kits by volunteers from this, not from the supplier's role now.
    by_volunteer = models.BooleanField("supplied by a peer volunteer", default=False)
    stock_entry = models.OneToOneField(
        StockEntry,
        on_delete=models.PROTECT,
        related_name="supply",
        null=True,
        blank=True,
        help_text="The ledger entry that took the kit out of stock",
    )
    imported_as_history = models.BooleanField(
        "brought by a history import",
        default=False,
        help_text="Supplied before the service used Beacon: it moved no stock of today's "
        "(no ledger entry) and is never put back into stock (H-276)",
    )
    replaces = models.OneToOneField(
        "KitReport",
        on_delete=models.PROTECT,
        related_name="replaced_by",
        null=True,
        blank=True,
        help_text="The report (used, lost, confiscated, expired) this supply replaces",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-supplied_on", "-id"]
        verbose_name_plural = "naloxone supplies"
        constraints = [
            models.CheckConstraint(
                condition=~Q(recipient=Recipient.CLIENT) | Q(client__isnull=False),
                name="naloxone_supply_to_client_names_client",
            ),
            models.CheckConstraint(
                condition=Q(imported_as_history=False) | Q(stock_entry__isnull=True),
                name="naloxone_history_supply_moves_no_stock",
            ),
        ]
        indexes = [models.Index(fields=["provider", "supplied_on"], name="naloxone_supply_day")]

    def __str__(self) -> str:
        return f"{self.batch.get_kit_type_display()} to {self.get_recipient_display()}"

    @property
    def expires_on(self) -> datetime.date:
        return self.batch.expires_on


class SupplyReversal(models.Model):
    """A supply recorded in error, reversed: the kit goes back into stock by a correction
    entry that names the supply's own entry, with the reason. The supply stays on the
    record, marked, and no longer counts anywhere (H-117)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    supply = models.OneToOneField(NaloxoneSupply, on_delete=models.PROTECT, related_name="reversal")
    reason = models.CharField(max_length=300)
    entry = models.OneToOneField(
        StockEntry, on_delete=models.PROTECT, related_name="reversal", null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="naloxone_reversal_has_reason")
        ]

    def __str__(self) -> str:
        return f"Supply {self.supply_id} recorded in error"


class KitReport(models.Model):
    """What became of a supplied kit: used (on whom, outcome, ambulance), lost, confiscated
    or expired. Each prompts a re-supply (`replaced_by`)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    supply = models.OneToOneField(NaloxoneSupply, on_delete=models.PROTECT, related_name="report")
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    on = models.DateField("date")
    used_on = models.CharField(max_length=20, choices=UsedOn.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=UseOutcome.choices, blank=True)
    ambulance_called = models.BooleanField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ReportKind.USED) | (Q(used_on="") & Q(outcome="")),
                name="naloxone_use_details_only_for_use",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class NaloxoneOffer(models.Model):
    """The opt-out offer made to a client and its outcome, at a contact or a risky moment."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="naloxone_offers")
    on = models.DateField("date")
    moment = models.CharField(max_length=30, choices=Moment.choices, default=Moment.CONTACT)
    outcome = models.CharField(max_length=20, choices=OfferOutcome.choices)
    decline_reason = models.CharField(max_length=30, choices=DeclineReason.choices, blank=True)
    seen_kit_expires_on = models.DateField(
        "expiry date of the kit seen",
        null=True,
        blank=True,
        help_text="Holds a kit (seen in person): the expiry printed on it, when read",
    )
    supply = models.OneToOneField(
        NaloxoneSupply, on_delete=models.PROTECT, related_name="offer", null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome=OfferOutcome.DECLINED) & ~Q(decline_reason=""))
                | (~Q(outcome=OfferOutcome.DECLINED) & Q(decline_reason="")),
                name="naloxone_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=OfferOutcome.SUPPLIED) | Q(supply__isnull=False),
                name="naloxone_supplied_offer_has_supply",
            ),
            models.CheckConstraint(
                condition=Q(outcome=OfferOutcome.HOLDS_KIT) | Q(seen_kit_expires_on__isnull=True),
                name="naloxone_seen_expiry_only_when_seen",
            ),
        ]
        indexes = [models.Index(fields=["provider", "on"], name="naloxone_offer_day")]

    def __str__(self) -> str:
        return f"Naloxone offer {self.on:%d/%m/%Y}: {self.get_outcome_display()}"


class OfferDue(models.Model):
    """A moment of highest risk came (OST started, supply suspended, leaving treatment, an
    exit plan): offer naloxone. Done when an offer is recorded for the client after it."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="naloxone_due")
    moment = models.CharField(max_length=30, choices=Moment.choices)
    raised_on = models.DateField()
    done_by_offer = models.ForeignKey(
        NaloxoneOffer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["raised_on", "id"]
        verbose_name_plural = "offers due"

    def __str__(self) -> str:
        return f"Offer naloxone: {self.get_moment_display()}"
