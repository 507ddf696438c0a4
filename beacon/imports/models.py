"""What an import leaves behind: the old system's references to each record, and each run."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from beacon.core.models import Provider


class ExternalReference(models.Model):
    """A record's id in the system it came from, so a second import finds it again. A record
    imported as history (today's rules would refuse it, e.g. a prescription of more than 14
    days' instalments written years ago) says so, and why (hazard log H-250)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    source = models.CharField("system it came from", max_length=60)
    kind = models.CharField(max_length=30)  # the file's record kind: client, referral…
    external_id = models.CharField("id in that system", max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    imported_as_history = models.BooleanField(default=False)
    history_reason = models.CharField(max_length=500, blank=True)
    history_import = models.ForeignKey(
        "HistoryImport", on_delete=models.PROTECT, related_name="references", null=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "source", "kind", "external_id"],
                name="external_reference_unique_per_source",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.external_id}"


class HistoryImport(models.Model):
    """One upload of an old system's files: checked (dry run), then imported, or not."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to be checked"
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked: ready to import"
        REFUSED = "refused", "Checked: has problems"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed: nothing saved"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    source = models.CharField("system it came from", max_length=60)
    file_name = models.CharField(max_length=200)
    # Where the uploaded file is kept until it is imported (BEACON_IMPORT_DIR).
    stored_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)  # records saved (or that would be)
    problem_count = models.PositiveIntegerField(default=0)
    failure = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class ImportProblem(models.Model):
    """One bad row of a checked import, in plain words (the report, also as CSV)."""

    history_import = models.ForeignKey(
        HistoryImport, on_delete=models.CASCADE, related_name="problems"
    )
    file = models.CharField(max_length=60)
    row = models.PositiveIntegerField()
    column = models.CharField(max_length=60, blank=True)
    value = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=500)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.file} row {self.row}: {self.reason}"
