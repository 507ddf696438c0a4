"""Service-user voice: surveys and their versions, responses (interview, kiosk, one-time
link), kiosk sessions, links, events (focus groups, seminars) and "you said, we did"
actions.

An anonymous response holds no client, no address, no time finer than the day and no
identifier that orders it among others (its key is random): nothing traces it back to a
person. An identified response links to the client.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from beacon.clients.models import Client
from beacon.core.models import Provider, Site

STANDARD_SATISFACTION = "standard-satisfaction"
SCALE_TOP = 10


class QuestionKind(models.TextChoices):
    SCALE = "scale", "Scale of 0 to 10"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    YES_NO = "yes_no", "Yes or no"
    TEXT = "text", "Free text"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Replaced by a newer version"


class Mode(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    KIOSK = "kiosk", "Kiosk"
    LINK = "link", "Link"


class Survey(models.Model):
    """One version of a survey. A published version's questions are frozen; editing makes
    the next version (same key). The standard surveys Beacon ships have no provider: every
    service reads them."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    key = models.SlugField(max_length=60)
    version = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=120)
    introduction = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=SurveyStatus.choices, default="draft")
    published_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "key", "version"], name="voice_survey_version_once"
            ),
            models.UniqueConstraint(
                fields=["key", "version"],
                condition=Q(provider__isnull=True),
                name="voice_shipped_survey_version_once",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_on__isnull=False),
                name="voice_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.status != SurveyStatus.DRAFT


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=120, blank=True)
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(default=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "order"], name="voice_question_order_once")
        ]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """One person's answers. `client` is set only for an identified response; an
    anonymous one keeps the site and the day, never who or when within the day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    date = models.DateField()
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="voice_responses", null=True, blank=True
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Snapshots of the identified client's treatment on the day, for the cross-tabs.
    modality = models.CharField(max_length=20, blank=True)
    substance_group = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-date"]
        indexes = [models.Index(fields=["provider", "survey", "date"], name="voice_resp_date")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mode="kiosk") | Q(client__isnull=True, interviewer__isnull=True),
                name="voice_kiosk_is_anonymous",
            ),
            models.CheckConstraint(
                condition=~Q(mode="interview") | Q(interviewer__isnull=False),
                name="voice_interview_has_interviewer",
            ),
            models.CheckConstraint(
                condition=~Q(client__isnull=True) | Q(modality="", substance_group=""),
                name="voice_anonymous_has_no_treatment",
            ),
        ]

    def __str__(self) -> str:
        return f"Response to {self.survey} on {self.date:%d/%m/%Y}"

    @property
    def is_anonymous(self) -> bool:
        return self.client_id is None


class Answer(models.Model):
    # Random too: a numbered answer would order the anonymous responses it belongs to.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=2000)
    chosen = models.JSONField(default=list, blank=True)
    themes = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="voice_answer_once"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__lte=SCALE_TOP),
                name="voice_scale_within_ten",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"


class KioskSession(models.Model):
    """A tablet a manager locked to one survey: the device holds only a random token in a
    cookie; the record holds its hash."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Kiosk for {self.survey} at {self.site}"


class SurveyLink(models.Model):
    """A one-time link for a client. When the answers are to stay anonymous the link keeps
    no client and only that it was used, never which response it gave."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    identified = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_on = models.DateField()
    used = models.BooleanField(default=False)
    # None: sent by Beacon itself (the delivery feedback text after a first week).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_on = models.DateField()

    class Meta:
        ordering = ["-created_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(identified=True, client__isnull=False)
                | Q(identified=False, client__isnull=True),
                name="voice_only_identified_link_has_client",
            )
        ]

    def __str__(self) -> str:
        return f"Link to {self.survey}"


class EventKind(models.TextChoices):
    FOCUS_GROUP = "focus_group", "Focus group"
    SEMINAR = "seminar", "Seminar"
    CONSULTATION = "consultation", "Consultation meeting"


class Event(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=120)
    date = models.DateField()
    place = models.CharField(max_length=120)
    facilitated_by = models.CharField(max_length=120)
    clients = models.PositiveSmallIntegerField("clients taking part", default=0)
    family = models.PositiveSmallIntegerField("family members taking part", default=0)
    providers = models.PositiveSmallIntegerField("provider staff taking part", default=0)
    commissioners = models.PositiveSmallIntegerField("commissioners taking part", default=0)
    consent = models.BooleanField("everyone consented to notes being kept")
    notes = models.TextField(blank=True, max_length=5000)
    themes = models.TextField("themes raised", blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.title}, {self.date:%d/%m/%Y}"

    @property
    def taking_part(self) -> int:
        return self.clients + self.family + self.providers + self.commissioners


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Action(models.Model):
    """A "you said, we did": what people said, what the service will do, who and by when."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    you_said = models.CharField(max_length=300)
    we_did = models.CharField("we will (or we did)", max_length=300)
    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default="open")
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="voice_done_has_completed_date",
            )
        ]

    def __str__(self) -> str:
        return self.you_said
