"""The controlled-drug register of the home-delivery service.

Misuse of Drugs Regulations 2001 (reference: ost-and-naloxone-clinical-rules.md, 5a):
reg 19 asks for every quantity obtained and supplied, in chronological order, with who
collected a Schedule 2 drug (patient or representative) and whether proof of identity was
asked for and shown; reg 20 asks for a separate part per drug (here one page per medicine
key of beacon/prescribing/medicines.py, so per form and strength), and forbids any
cancellation, obliteration or alteration: a mistake is corrected by a new, dated entry
(DESIGN.md: "a mistake is corrected by a new entry that refers to it").

So entries are append-only three times over: the model refuses to save an existing row or
delete one, the queryset refuses update() and delete(), and a database trigger refuses
UPDATE (and DELETE on PostgreSQL) — migration 0002.

Reg 20 also asks for a separate register for each premises: every entry names the site
that holds the stock (a core Site of the provider), and balances, corrections and the
reconciliation are per site and medicine.

The running balance is the stock held in the site's controlled-drug cabinet:
received and returned-undelivered parcels add to it, parcels handed to a driver and
destructions take from it, a delivery records the supply to the client and leaves it
unchanged (the parcel left the cabinet when the driver took it). RegisterBalance keeps
the current balance per (site, medicine); services lock it (select_for_update) so
two people recording at once can never take it below zero.

A supply ("delivered") copies, as they were on the day, the name and address of the
person supplied, the prescriber's name and address, and who collected it (the client, a
named representative, or a healthcare professional with their name and address); a
receipt names the supplier and their address (reg 19). A destruction names its witness,
a user allowed to witness (`delivery.witness_destruction`), and copies their name.

Medicines a patient hands back are not stock: PatientReturn records them apart, never in
a balance, and records their later (witnessed) destruction.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from beacon.clients.models import Client
from beacon.core.fields import BoundedTextField
from beacon.core.ledger import AppendOnlyModel, AppendOnlyQuerySet
from beacon.core.models import Provider, Site
from beacon.core.presenters import quantity_text
from beacon.prescribing.medicines import MEDICINE_CHOICES, MEDICINES, Form, Medicine

QUANTITY = {"max_digits": 10, "decimal_places": 2}
APPEND_ONLY = "The controlled-drug register is append-only: record a correction instead."

# The unit a register page counts in, by the medicine's form.
UNITS = {
    Form.ORAL_SOLUTION: "ml",
    Form.SUBLINGUAL_TABLET: "tablets",
    Form.PROLONGED_RELEASE_INJECTION: "syringes",
}


def register_unit(medicine: Medicine) -> str:
    return UNITS[medicine.form]


def parcel_quantity(instalment) -> Decimal:
    """An instalment in the register's unit: ml of a solution, tablets of a tablet."""
    return instalment.quantity / instalment.prescription.medicine_info.strength


class RegisterEntry(AppendOnlyModel):
    """One movement of a controlled drug, with the balance after it. Never changed."""

    APPEND_ONLY_MESSAGE = APPEND_ONLY

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        HANDED_TO_DRIVER = "handed_to_driver", "Handed to driver"
        DELIVERED = "delivered", "Delivered"
        RETURNED = "returned_undelivered", "Returned undelivered"
        DESTROYED = "destroyed", "Destroyed"
        CORRECTION = "correction", "Correction"

    class Recipient(models.TextChoices):
        CLIENT = "client", "The client"
        REPRESENTATIVE = "representative", "A named representative"
        HEALTHCARE_PROFESSIONAL = "healthcare_professional", "A healthcare professional"

    # How each movement moves the cabinet balance (a correction follows the entry it corrects).
    EFFECT = {
        Kind.RECEIVED: 1,
        Kind.HANDED_TO_DRIVER: -1,
        Kind.DELIVERED: 0,
        Kind.RETURNED: 1,
        Kind.DESTROYED: -1,
    }
    DRIVER_KINDS = (Kind.HANDED_TO_DRIVER, Kind.DELIVERED, Kind.RETURNED)

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="register_entries"
    )
    # Reg 20: one register per premises. The site whose cabinet holds the stock.
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="register_entries")
    medicine = models.CharField(max_length=60, choices=MEDICINE_CHOICES)
    kind = models.CharField(max_length=25, choices=Kind.choices)
    quantity = models.DecimalField(
        **QUANTITY, null=True, blank=True, help_text="In the medicine's unit; not on corrections"
    )
    adjustment = models.DecimalField(
        **QUANTITY,
        null=True,
        blank=True,
        help_text="Corrections only: the signed change to the corrected entry's quantity",
    )
    balance_after = models.DecimalField(**QUANTITY)
    unit = models.CharField(max_length=10)
    occurred_at = models.DateTimeField("date and time", db_index=True)
    # received (reg 19: name and address of the supplier)
    supplier = models.CharField("received from", max_length=200, blank=True)
    supplier_address = models.CharField(max_length=300, blank=True)
    # handed to driver, delivered, returned undelivered
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="register_entries_as_driver",
        null=True,
        blank=True,
    )
    # delivered (reg 19: who collected, identity asked for, identity shown)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="register_entries", null=True, blank=True
    )
    # ... as they were on the day (copied, not joined: a later move does not rewrite it)
    supplied_name = models.CharField("name of the person supplied", max_length=200, blank=True)
    supplied_address = models.CharField(
        "address of the person supplied", max_length=300, blank=True
    )
    prescriber = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="register_entries_as_prescriber",
        null=True,
        blank=True,
    )
    prescriber_name = models.CharField(max_length=200, blank=True)
    prescriber_address = models.CharField(max_length=300, blank=True)
    recipient = models.CharField(
        "who collected", max_length=25, choices=Recipient.choices, blank=True
    )
    representative_name = models.CharField(max_length=200, blank=True)
    professional_name = models.CharField(
        "name of the healthcare professional", max_length=200, blank=True
    )
    professional_address = models.CharField(
        "address of the healthcare professional", max_length=300, blank=True
    )
    identity_requested = models.BooleanField(null=True, blank=True)
    identity_provided = models.BooleanField(null=True, blank=True)
    # destroyed: the witness, a user allowed to witness, and their name as it was
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="register_entries_witnessed",
        null=True,
        blank=True,
    )
    witness = models.CharField("witness", max_length=200, blank=True)
    # correction
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="corrections", null=True, blank=True
    )
    notes = BoundedTextField(max_length=2000, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="register_entries"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "register entries"
        indexes = [
            models.Index(fields=["site", "medicine", "-id"], name="register_site_page"),
            models.Index(fields=["provider", "occurred_at"], name="register_provider_when"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="register_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="correction")
                    & Q(corrects__isnull=False)
                    & Q(quantity__isnull=True)
                    & Q(adjustment__isnull=False)
                    & ~Q(adjustment=0)
                )
                | (
                    ~Q(kind="correction")
                    & Q(corrects__isnull=True)
                    & Q(quantity__gt=0)
                    & Q(adjustment__isnull=True)
                ),
                name="register_quantity_or_correction",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["handed_to_driver", "delivered", "returned_undelivered"])
                | Q(driver__isnull=False),
                name="register_driver_movements_name_driver",
            ),
            models.CheckConstraint(
                condition=~Q(kind="delivered")
                | (
                    Q(client__isnull=False)
                    & Q(identity_requested__isnull=False)
                    & Q(identity_provided__isnull=False)
                ),
                name="register_delivery_names_client_and_identity",
            ),
            # Reg 19: a supply names the person supplied, the prescriber and who collected.
            models.CheckConstraint(
                condition=~Q(kind="delivered")
                | (
                    ~Q(supplied_name="")
                    & ~Q(supplied_address="")
                    & ~Q(prescriber_name="")
                    & ~Q(prescriber_address="")
                    & Q(recipient__in=["client", "representative", "healthcare_professional"])
                ),
                name="register_supply_names_person_prescriber_collector",
            ),
            models.CheckConstraint(
                condition=~Q(recipient="representative") | ~Q(representative_name=""),
                name="register_representative_is_named",
            ),
            models.CheckConstraint(
                condition=~Q(recipient="healthcare_professional")
                | (~Q(professional_name="") & ~Q(professional_address="")),
                name="register_professional_named_with_address",
            ),
            # Reg 19: a receipt names the supplier and their address.
            models.CheckConstraint(
                condition=~Q(kind="received") | (~Q(supplier="") & ~Q(supplier_address="")),
                name="register_receipt_names_supplier_and_address",
            ),
            models.CheckConstraint(
                condition=~Q(kind="destroyed") | ~Q(witness=""),
                name="register_destruction_names_witness",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_text}, {self.medicine_name}"

    @property
    def medicine_info(self) -> Medicine:
        return MEDICINES[self.medicine]

    @property
    def medicine_name(self) -> str:
        info = MEDICINES.get(self.medicine)
        return info.name if info else self.medicine

    @property
    def amount_text(self) -> str:
        if self.kind == self.Kind.CORRECTION:
            sign = "+" if self.adjustment > 0 else "−"
            return f"{sign}{quantity_text(abs(self.adjustment), self.unit)}"
        return quantity_text(self.quantity, self.unit)

    @property
    def balance_change(self) -> Decimal:
        """How this entry moved the cabinet balance."""
        if self.kind == self.Kind.CORRECTION:
            return self.EFFECT[self.corrects.kind] * self.adjustment
        return self.EFFECT[self.kind] * self.quantity


class RegisterBalance(models.Model):
    """The current balance of one register page (a site and a medicine), the row services
    lock before writing."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="register_balances"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="register_balances")
    medicine = models.CharField(max_length=60, choices=MEDICINE_CHOICES)
    balance = models.DecimalField(**QUANTITY, default=Decimal(0))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "medicine"], name="register_balance_one_per_site_page"
            ),
            models.CheckConstraint(condition=Q(balance__gte=0), name="register_balance_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.medicine}: {quantity_text(self.balance)}"


PATIENT_RETURNS_APPEND_ONLY = (
    "Patient returns are append-only: record a new entry instead of changing one."
)


class PatientReturn(AppendOnlyModel):
    """A controlled drug a client handed back, or the destruction of one such return.

    Returned medicines are not stock: they are kept apart, never added to a register
    balance, and never supplied again; they are destroyed later, with a witness. Both are
    rows of this append-only ledger: a destruction refers to the return it destroys (once).
    """

    APPEND_ONLY_MESSAGE = PATIENT_RETURNS_APPEND_ONLY

    class Kind(models.TextChoices):
        RETURNED = "returned", "Returned by the client"
        DESTROYED = "destroyed", "Destroyed"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="patient_returns")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="patient_returns")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    medicine = models.CharField(max_length=60, choices=MEDICINE_CHOICES)
    quantity = models.DecimalField(**QUANTITY, help_text="In the medicine's unit")
    unit = models.CharField(max_length=10)
    occurred_at = models.DateTimeField("date and time", db_index=True)
    # returned: whose medicine it was, as they were named that day, and who brought it
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="patient_returns", null=True, blank=True
    )
    client_name = models.CharField(max_length=200, blank=True)
    returned_by = models.CharField("brought in by", max_length=200, blank=True)
    # destroyed: the return destroyed, and the witness (a user allowed to witness)
    destroys = models.OneToOneField(
        "self", on_delete=models.PROTECT, related_name="destruction", null=True, blank=True
    )
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="patient_returns_witnessed",
        null=True,
        blank=True,
    )
    witness = models.CharField(max_length=200, blank=True)
    notes = BoundedTextField(max_length=2000, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patient_returns"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["site", "-id"], name="patient_return_site_page")]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="patient_return_quantity_gt_0"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="returned")
                    & Q(client__isnull=False)
                    & ~Q(client_name="")
                    & ~Q(returned_by="")
                    & Q(destroys__isnull=True)
                )
                | (
                    Q(kind="destroyed")
                    & Q(destroys__isnull=False)
                    & Q(witnessed_by__isnull=False)
                    & ~Q(witness="")
                ),
                name="patient_return_names_client_or_destruction_witness",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_text}, {self.medicine_name}"

    @property
    def medicine_name(self) -> str:
        info = MEDICINES.get(self.medicine)
        return info.name if info else self.medicine

    @property
    def amount_text(self) -> str:
        return quantity_text(self.quantity, self.unit)
