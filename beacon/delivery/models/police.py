"""The police notice: which vehicles carry controlled drugs on a day (services/police.py)."""

from django.conf import settings
from django.db import models

from beacon.core.fields import BoundedTextField
from beacon.core.models import Provider


class PoliceNoticeSent(models.Model):
    """A record that the day's police notice (drivers, vehicles, areas) was sent to a force."""

    class Method(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"
        PORTAL = "portal", "Police portal"

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="police_notices_sent"
    )
    date = models.DateField("date covered", db_index=True)
    sent_at = models.DateTimeField("sent at")
    sent_to = models.CharField("sent to", max_length=200)
    method = models.CharField(max_length=20, choices=Method.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = BoundedTextField(max_length=2000, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "sent_at", "id"]

    def __str__(self) -> str:
        return f"Police notice for {self.date:%d/%m/%Y} sent to {self.sent_to}"
