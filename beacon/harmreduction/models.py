"""Needle and syringe programme transactions, and a client's blood-borne virus work.

An NSP transaction is anonymous: it is keyed by an attributor (initials, date of birth,
sex; never a name), and linked to a client record only when the person is one, in which
case the attributor is derived from the record. Blood-borne virus records (hepatitis C
and HIV tests, hepatitis B vaccination courses) belong to a client.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from beacon.clients.codes import Sex
from beacon.clients.models import Client
from beacon.core.models import Provider, Site
from beacon.harmreduction.codes import (
    HepatitisBOffer,
    HepatitisBSchedule,
    TestKind,
    TestOffer,
    TestResult,
    Virus,
)

# One transaction's counts stay within what one person could carry away.
MOST_OF_ONE_ITEM = 1000
MOST_BINS = 50


class NspItem(models.TextChoices):
    """What is given out, needles by colour, gauge and length (ISO 6009 colours)."""

    NEEDLE_BROWN = "needle_brown_26g_13mm", "Needle, brown 26G 13 mm (½ inch)"
    NEEDLE_ORANGE = "needle_orange_25g_16mm", "Needle, orange 25G 16 mm (⅝ inch)"
    NEEDLE_BLUE_25 = "needle_blue_23g_25mm", "Needle, blue 23G 25 mm (1 inch)"
    NEEDLE_BLUE_32 = "needle_blue_23g_32mm", "Needle, blue 23G 32 mm (1¼ inch)"
    NEEDLE_GREEN = "needle_green_21g_40mm", "Needle, green 21G 40 mm (1½ inch)"
    SYRINGE_FIXED_1ML = "syringe_1ml_fixed", "Syringe, 1 ml with fixed needle"
    SYRINGE_1ML = "syringe_1ml", "Syringe, 1 ml"
    SYRINGE_2ML = "syringe_2ml", "Syringe, 2 ml"
    SYRINGE_5ML = "syringe_5ml", "Syringe, 5 ml"
    SYRINGE_10ML = "syringe_10ml", "Syringe, 10 ml"
    FILTER = "filter", "Filters"
    SPOON = "spoon", "Spoons (cookers)"
    CITRIC = "citric", "Citric acid sachets"
    WATER = "water", "Water for injections"
    FOIL = "foil", "Foil sheets"
    SWAB = "swab", "Alcohol swabs"


class NspTransaction(models.Model):
    """One visit to the NSP: what was given out and how many sharps bins came back."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    initials = models.CharField("attributor initials", max_length=2)
    date_of_birth = models.DateField("attributor date of birth")
    sex = models.CharField("attributor sex", max_length=1, choices=Sex.choices)
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        related_name="nsp_transactions",
        null=True,
        blank=True,
    )
    bins_out = models.PositiveSmallIntegerField("sharps bins given out", default=0)
    bins_returned = models.PositiveSmallIntegerField("sharps bins returned", default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["provider", "-date"], name="nsp_provider_date"),
            models.Index(
                fields=["provider", "initials", "date_of_birth", "sex"], name="nsp_attributor"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(bins_out__lte=MOST_BINS) & Q(bins_returned__lte=MOST_BINS),
                name="nsp_bins_within_limit",
            )
        ]

    def __str__(self) -> str:
        return f"NSP {self.date:%d/%m/%Y} {self.attributor}"

    @property
    def attributor(self) -> str:
        return f"{self.initials} {self.date_of_birth:%d/%m/%Y} {self.sex}"


class NspItemGiven(models.Model):
    """How many of one item one transaction gave out."""

    transaction = models.ForeignKey(NspTransaction, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(max_length=30, choices=NspItem.choices)
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["transaction", "item"], name="nsp_item_once"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=MOST_OF_ONE_ITEM),
                name="nsp_item_quantity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.get_item_display()}"


class BloodBorneVirusTest(models.Model):
    """A hepatitis C or HIV test offered to a client: accepted or declined, and when
    accepted the test, its sample date and (once back) its result."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="bbv_tests")
    virus = models.CharField(max_length=12, choices=Virus.choices)
    offered_on = models.DateField()
    offer = models.CharField("offer outcome", max_length=10, choices=TestOffer.choices)
    kind = models.CharField("test", max_length=12, choices=TestKind.choices, blank=True)
    tested_on = models.DateField("sample taken on", null=True, blank=True)
    result = models.CharField(max_length=14, choices=TestResult.choices, blank=True)
    result_on = models.DateField("result received on", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-offered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="") | Q(tested_on__isnull=False, result_on__isnull=False),
                name="bbv_result_needs_dates",
            ),
            models.CheckConstraint(
                condition=Q(result_on__isnull=True) | Q(result_on__gte=models.F("tested_on")),
                name="bbv_result_not_before_test",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_virus_display()} test offered {self.offered_on:%d/%m/%Y}"


class HepatitisBCourse(models.Model):
    """Hepatitis B vaccination offered to a client, and (when accepted) the course's
    schedule; its doses are HepatitisBDose rows."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="hepatitis_b")
    offered_on = models.DateField()
    offer = models.CharField("offer outcome", max_length=20, choices=HepatitisBOffer.choices)
    schedule = models.CharField(max_length=12, choices=HepatitisBSchedule.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-offered_on", "-id"]
        verbose_name = "hepatitis B course"

    def __str__(self) -> str:
        return f"Hepatitis B offered {self.offered_on:%d/%m/%Y}"


class HepatitisBDose(models.Model):
    course = models.ForeignKey(HepatitisBCourse, on_delete=models.PROTECT, related_name="doses")
    number = models.PositiveSmallIntegerField()
    given_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="hep_b_dose_once")]

    def __str__(self) -> str:
        return f"Dose {self.number}, {self.given_on:%d/%m/%Y}"
