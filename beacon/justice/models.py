"""A client's criminal-justice statuses and review hearings, prison release referrals,
progress reports for review hearings, and the log of what was shared with partners."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from beacon.clients.models import Client, SharingConsent
from beacon.core.fields import BoundedTextField
from beacon.core.ledger import AppendOnlyModel
from beacon.core.models import PartnerOrganisation, Provider
from beacon.treatment.codes import CriminalJusticeStatus, OstMedicine
from beacon.treatment.selectors.journey import add_months

Kind = CriminalJusticeStatus
# The statuses with a responsible officer in probation (a caution is the police's).
SUPERVISED_KINDS = [Kind.DRR, Kind.ATR, Kind.LICENCE, Kind.POST_SENTENCE_SUPERVISION]
# A community order's requirement has a length, in months as the court orders it.
ORDER_KINDS = [Kind.DRR, Kind.ATR]
# A licence runs to its licence end date (LED) and post-sentence supervision to its own set
# end date (normally 12 months after the licence end): both are typed from the sentence
# calculation, not computed (H-280).
LICENCE_KINDS = [Kind.LICENCE, Kind.POST_SENTENCE_SUPERVISION]
# What a progress report is drafted from, each only when the consent names it.
REPORT_SHARES = ["share_attendance", "share_engagement", "share_review_hearings"]


class StatusEnd(models.TextChoices):
    """How a criminal-justice status ended. Completed, revoked and breached are the issue's
    words; recalled to prison and transferred follow the CJIT 2020 closure reasons
    ("Transferred – In custody", "Transferred to another CJIT area": NDTMS reference S8,
    §4.2); codes are not known, so none is mapped. SUPERSEDED is Beacon's own, recorded when
    another probation officer becomes responsible (H-264), never chosen on the form."""

    COMPLETED = "completed", "Completed"
    REVOKED = "revoked", "Revoked by the court"
    BREACHED = "breached", "Breached"
    RECALLED = "recalled", "Recalled or returned to prison"
    TRANSFERRED = "transferred", "Transferred to another area"
    SUPERSEDED = "superseded", "Another probation officer became responsible"
    OTHER = "other", "Other"


# How each status may end (the form offers these, the service refuses any other).
ENDINGS: dict[str, list[StatusEnd]] = {
    Kind.DRR: [
        StatusEnd.COMPLETED,
        StatusEnd.REVOKED,
        StatusEnd.BREACHED,
        StatusEnd.RECALLED,
        StatusEnd.TRANSFERRED,
        StatusEnd.OTHER,
    ],
    Kind.LICENCE: [
        StatusEnd.COMPLETED,
        StatusEnd.BREACHED,
        StatusEnd.RECALLED,
        StatusEnd.TRANSFERRED,
        StatusEnd.OTHER,
    ],
    Kind.CONDITIONAL_CAUTION: [StatusEnd.COMPLETED, StatusEnd.BREACHED, StatusEnd.OTHER],
    Kind.RELEASED_FROM_PRISON: [StatusEnd.RECALLED, StatusEnd.TRANSFERRED, StatusEnd.OTHER],
}
ENDINGS[Kind.ATR] = ENDINGS[Kind.DRR]
ENDINGS[Kind.POST_SENTENCE_SUPERVISION] = ENDINGS[Kind.LICENCE]


def expected_end_of(start: datetime.date, length_months: int | None) -> datetime.date | None:
    """The last day of a requirement `length_months` long from `start`: a DRR of 6 months
    from 1 January runs to 30 June (the day before the same date 6 months on)."""
    if not length_months or start is None:
        return None
    return add_months(start, length_months) - datetime.timedelta(days=1)


class JusticeStatusQuerySet(models.QuerySet):
    def current(self, *, on: datetime.date) -> "JusticeStatusQuerySet":
        """Begun by `on`, not ended before it, and not past its length (an order's requirement
        after its expected end is not current, even before how it ended is recorded): the
        query of `JusticeStatus.is_current_on` (H-269)."""
        return (
            self.filter(start_date__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
            .filter(Q(expected_end__isnull=True) | Q(expected_end__gte=on))
        )

    def past_expected_end(self, *, on: datetime.date) -> "JusticeStatusQuerySet":
        """Orders, licences and supervisions past their expected end whose ending nobody has
        recorded (H-269, H-280)."""
        return self.filter(ended_on__isnull=True, expected_end__lt=on)

    def without_end_date(self) -> "JusticeStatusQuerySet":
        """Licences and supervisions not ended with no end date recorded: those recorded
        before Beacon asked for it (H-280). The query of `JusticeStatus.needs_end_date`."""
        return self.filter(
            kind__in=LICENCE_KINDS, supervision_end__isnull=True, ended_on__isnull=True
        )


class JusticeStatus(models.Model):
    """A client's criminal-justice status: a community order with a DRR or ATR, licence,
    post-sentence supervision, a conditional caution, or release from prison."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="justice_statuses")
    kind = models.CharField("status", max_length=40, choices=Kind.choices)
    start_date = models.DateField("start date")
    length_months = models.PositiveSmallIntegerField(
        "length of the requirement in months", null=True, blank=True
    )
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervised_statuses",
        null=True,
        blank=True,
        help_text="The probation officer responsible for the client",
    )
    prison = models.CharField("prison released from", max_length=200, blank=True)
    # A licence's licence end date, or the day post-sentence supervision ends, as probation
    # gives it (H-280). Required of every licence and supervision recorded since; empty on
    # those recorded before Beacon asked (nobody can say when they end, so nothing is
    # guessed): they stay current, flagged on the client's justice page and the statuses
    # list until the keyworker records the date (`justice_status_record_end_date`).
    supervision_end = models.DateField("licence or supervision end date", null=True, blank=True)
    # Those recorded before Beacon asked, marked by migration 0006 and never set since: the
    # only licences and supervisions the database lets go without an end date.
    recorded_before_end_dates = models.BooleanField(
        "recorded before end dates were asked", default=False, editable=False
    )
    # The last day: an order's from its start and length, a licence's or supervision's its
    # `supervision_end` (kept by `save`, so "current" is one indexed query).
    expected_end = models.DateField("expected end", null=True, blank=True, editable=False)
    ended_on = models.DateField("end date", null=True, blank=True)
    end_reason = models.CharField(
        "how it ended", max_length=20, choices=StatusEnd.choices, blank=True
    )
    end_detail = models.CharField("how it ended, in words", max_length=200, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="Who recorded how it ended",
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = JusticeStatusQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name_plural = "justice statuses"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=ORDER_KINDS) | Q(length_months__gt=0),
                name="justice_order_has_a_length",
                violation_error_message="Give the length of the requirement in months",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.RELEASED_FROM_PRISON) | ~Q(prison=""),
                name="justice_release_names_the_prison",
                violation_error_message="Name the prison the client was released from",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=LICENCE_KINDS)
                | Q(supervision_end__isnull=False)
                | Q(recorded_before_end_dates=True),
                name="justice_licence_has_an_end_date",
                violation_error_message="Give the licence or supervision end date",
            ),
            models.CheckConstraint(
                condition=Q(supervision_end__isnull=True) | Q(kind__in=LICENCE_KINDS),
                name="justice_supervision_end_of_licence_or_pss",
                violation_error_message="Only a licence or post-sentence supervision has a set "
                "end date",
            ),
            models.CheckConstraint(
                condition=Q(supervision_end__isnull=True)
                | Q(supervision_end__gt=models.F("start_date")),
                name="justice_supervision_end_after_start",
                violation_error_message="The end date must be after the start date",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start_date")),
                name="justice_status_ends_after_it_starts",
                violation_error_message="The end is before the start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="justice_status_end_says_how",
                violation_error_message="Say how the status ended",
            ),
            models.CheckConstraint(
                condition=~Q(end_reason=StatusEnd.OTHER) | ~Q(end_detail=""),
                name="justice_status_other_end_in_words",
                violation_error_message="Say how it ended",
            ),
        ]
        indexes = [models.Index(fields=["provider", "client"], name="justice_status_client")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%d/%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        self.expected_end = self._expected_end()
        update_fields = kwargs.get("update_fields")
        derived_from = {"start_date", "length_months", "kind", "supervision_end"}
        if update_fields is not None and derived_from & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "expected_end"}
        super().save(*args, **kwargs)

    def _expected_end(self) -> datetime.date | None:
        """The one rule of the last day: an order's by its length (H-269), a licence's or
        supervision's its set end date (H-280), none for any other status."""
        if self.kind in ORDER_KINDS:
            return expected_end_of(self.start_date, self.length_months)
        if self.kind in LICENCE_KINDS:
            return self.supervision_end
        return None

    def is_current_on(self, day: datetime.date) -> bool:
        expected_end = self._expected_end()
        return (
            self.start_date <= day
            and (self.ended_on is None or self.ended_on >= day)
            and (expected_end is None or expected_end >= day)
        )

    def is_past_expected_end_on(self, day: datetime.date) -> bool:
        """Past its length or set end date and nobody recorded how it ended (H-269, H-280)."""
        expected_end = self._expected_end()
        return self.ended_on is None and expected_end is not None and expected_end < day

    @property
    def needs_end_date(self) -> bool:
        """A licence or supervision not ended whose end date nobody recorded (H-280)."""
        return self.kind in LICENCE_KINDS and self.supervision_end is None and self.ended_on is None

    @property
    def ends_on(self) -> datetime.date | None:
        """The last day by the order's length or the licence's or supervision's end date,
        else the day it ended."""
        return self._expected_end() or self.ended_on

    @property
    def how_it_ended(self) -> str:
        if not self.end_reason:
            return ""
        if self.end_reason == StatusEnd.OTHER:
            return self.end_detail
        label = self.get_end_reason_display()
        return f"{label}: {self.end_detail}" if self.end_detail else label


class ReviewHearing(models.Model):
    """A court's review of a community order's requirement (DRR or ATR)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="review_hearings")
    status = models.ForeignKey(JusticeStatus, on_delete=models.PROTECT, related_name="hearings")
    on = models.DateField("hearing date")
    court = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"Review hearing on {self.on:%d/%m/%Y} at {self.court}"


class NaloxoneOnRelease(models.TextChoices):
    GIVEN = "given", "Yes, the prison gave naloxone"
    NOT_GIVEN = "not_given", "No"
    NOT_KNOWN = "not_known", "The prison did not say"


class PrisonRelease(models.Model):
    """What a prison sends when it refers a client on release: the date, the opioid
    substitution medicine and dose on release, the last dose's date and time, and whether
    naloxone was given. The first community prescription is due the next working day."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="prison_releases")
    status = models.OneToOneField(
        JusticeStatus, on_delete=models.PROTECT, related_name="prison_release"
    )
    release_date = models.DateField()
    prison = models.CharField(max_length=200)
    ost_medicine = models.CharField(
        "opioid substitution medicine on release",
        max_length=20,
        choices=OstMedicine.choices,
        blank=True,
    )
    dose_mg = models.DecimalField(
        "daily dose on release (mg)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    last_dose_at = models.DateTimeField("last dose in prison", null=True, blank=True)
    naloxone_on_release = models.CharField(
        "naloxone given on release", max_length=10, choices=NaloxoneOnRelease.choices
    )
    first_prescription_due = models.DateField("first community prescription due")
    alerted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the keyworker was alerted the client was not seen"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-release_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(ost_medicine="", dose_mg__isnull=True, last_dose_at__isnull=True)
                    | (~Q(ost_medicine="") & Q(dose_mg__gt=0, last_dose_at__isnull=False))
                ),
                name="prison_release_ost_has_dose_and_last_dose",
                violation_error_message="Give the dose on release and the last dose's date and "
                "time, or no medicine",
            ),
        ]
        indexes = [models.Index(fields=["provider", "release_date"], name="prison_release_date")]

    def __str__(self) -> str:
        return f"Released from {self.prison} on {self.release_date:%d/%m/%Y}"

    @property
    def on_ost(self) -> bool:
        return bool(self.ost_medicine)


class ProgressReport(models.Model):
    """A progress report for a review hearing: generated from the record, checked and sent
    by the keyworker to the probation service, then downloadable by the officer."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="progress_reports")
    hearing = models.ForeignKey(
        ReviewHearing, on_delete=models.PROTECT, related_name="progress_reports"
    )
    partner_organisation = models.ForeignKey(
        PartnerOrganisation, verbose_name="sent to", on_delete=models.PROTECT, related_name="+"
    )
    body = BoundedTextField("report", max_length=5000)
    # The consent it was drafted under and what that consent allowed then (its `share_*`
    # fields): sending needs that consent still in force allowing all the report holds
    # (H-270). Reports drafted before this was recorded have none and must be drafted again.
    consent = models.ForeignKey(
        SharingConsent,
        verbose_name="drafted under the consent",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        null=True,
        blank=True,
    )
    consent_shares = models.JSONField(
        "what the consent allowed when drafted", default=list, blank=True
    )
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-generated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True, sent_by__isnull=True)
                | Q(sent_at__isnull=False, sent_by__isnull=False),
                name="progress_report_sent_by_someone",
            )
        ]

    def __str__(self) -> str:
        return f"Progress report for the hearing of {self.hearing.on:%d/%m/%Y}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    @property
    def holds(self) -> list[str]:
        """The parts of the record the draft holds (`share_*` names, in REPORT_SHARES order)."""
        return [share for share in REPORT_SHARES if share in self.consent_shares]


class PartnerRead(AppendOnlyModel):
    """One read by a partner's staff of what a client agreed to share: who, of which
    organisation, what, when. The manager's page of what was shared with whom reads it."""

    APPEND_ONLY_MESSAGE = "What was shared with partners is append-only."

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="partner_reads")
    partner_organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="reads"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    what = models.CharField(max_length=300)
    channel = models.CharField(max_length=10)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["provider", "client", "-at"], name="partner_read_client")]

    def __str__(self) -> str:
        return f"{self.partner_organisation} read {self.what}"
