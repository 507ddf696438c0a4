"""Writes along the journey: referral, triage, assessment, episode start, modalities, discharge.

Each function checks the journey's date order and state before saving, raises a
ValidationError naming the field, and writes an audit entry. Referral status moves
only through REFERRAL_STATES; a discharge passes this module's checks and those that apps
above treatment register in beacon/treatment/hooks.py.
"""

import datetime
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q

from beacon.clients.models import Client
from beacon.core.audit import Action, AuditOrigin, record_save
from beacon.core.models import User
from beacon.core.states import StateMachine
from beacon.treatment import hooks
from beacon.treatment.codes import (
    DischargeReason,
    ModalityExit,
    ModalityType,
    ReferralSource,
    Substance,
    TopStage,
    is_successful_completion,
)
from beacon.treatment.models import (
    Assessment,
    Modality,
    Referral,
    TreatmentEpisode,
    TreatmentOutcomesProfile,
    Triage,
)
from beacon.treatment.models.journey import OPEN_REFERRAL_STATUSES
from beacon.treatment.models.tops import DRUG_USE_DAY_FIELDS
from beacon.treatment.services.checks import check_not_before, check_not_in_future

Status = Referral.Status
M = TypeVar("M", bound=models.Model)


def _referral_refusal(referral: Referral, to: str) -> str:
    return (
        f"A referral that is {referral.get_status_display().lower()} cannot become "
        f"{Status(to).label.lower()}"
    )


# The referral state machine: from each status, where it may go next.
REFERRAL_STATES = StateMachine(
    Status,
    {
        Status.RECEIVED: {Status.TRIAGED, Status.CLOSED},
        Status.TRIAGED: {Status.ASSESSED, Status.IN_TREATMENT, Status.CLOSED},
        Status.ASSESSED: {Status.IN_TREATMENT, Status.CLOSED},
        Status.IN_TREATMENT: {Status.DISCHARGED},
        Status.DISCHARGED: set(),
        Status.CLOSED: set(),
    },
    refusal=_referral_refusal,
)

# How running modalities close when an episode is discharged: every reason has its exit, and
# only a completion is a "mutually agreed planned exit" (died, custody, transferred and moved
# away are not). Modalities referred but never started close as NOT_STARTED.
# A discharge raises the naloxone offer due (loss of tolerance on leaving treatment, H-110)
# except when the client died, or stays in custody: their risk comes at release, which the
# prison-release start of treatment raises.
DISCHARGE_WITHOUT_RISK_NOW = frozenset(
    {
        DischargeReason.DIED,
        DischargeReason.RETAINED_IN_CUSTODY,
        DischargeReason.TRANSFERRED_CUSTODY,
    }
)

MODALITY_EXIT_FOR_DISCHARGE = {
    DischargeReason.COMPLETED_DRUG_FREE: ModalityExit.PLANNED,
    DischargeReason.COMPLETED_ALCOHOL_FREE: ModalityExit.PLANNED,
    DischargeReason.COMPLETED_OCCASIONAL_USER: ModalityExit.PLANNED,
    DischargeReason.TRANSFERRED_COMMUNITY: ModalityExit.TRANSFERRED,
    DischargeReason.TRANSFERRED_CUSTODY: ModalityExit.CUSTODY,
    DischargeReason.RETAINED_IN_CUSTODY: ModalityExit.CUSTODY,
    DischargeReason.DROPPED_OUT: ModalityExit.UNPLANNED,
    DischargeReason.DECLINED: ModalityExit.UNPLANNED,
    DischargeReason.WITHDRAWN_BY_PROVIDER: ModalityExit.WITHDRAWN,
    DischargeReason.INAPPROPRIATE_REFERRAL: ModalityExit.WITHDRAWN,
    DischargeReason.MOVED_AWAY: ModalityExit.MOVED_AWAY,
    DischargeReason.DIED: ModalityExit.DIED,
    DischargeReason.OTHER: ModalityExit.OTHER,
}


def _changes(instance: models.Model, data: dict) -> list[str]:
    """Set the fields `data` gives on `instance`; return the names of those that changed."""
    changed = [field for field, value in data.items() if getattr(instance, field) != value]
    for field in changed:
        setattr(instance, field, data[field])
    return changed


def unrecorded_authors(instance: models.Model) -> list[str]:
    """Who-recorded-it fields left empty (records made without a user): a correction keeps
    them as they are, so they are not validated again."""
    return [
        field.name
        for field in instance._meta.fields
        if field.is_relation and field.null and getattr(instance, field.attname) is None
    ]


def _updated(
    instance: M, changed: list[str], *, actor: User, origin: AuditOrigin | None, client: Client
) -> M:
    return record_save(
        instance,
        actor=actor,
        origin=origin,
        action=Action.UPDATE,
        client=client,
        detail="changed " + ", ".join(changed),
        exclude=unrecorded_authors(instance),
    )


def _corrected(
    instance: M,
    data: dict,
    check: Callable[[M], None],
    *,
    actor: User,
    origin: AuditOrigin | None,
    client: Client,
) -> M:
    """A correction: the fields `data` gives are set on `instance`; none changed is nothing
    saved or audited, else `check` holds it to the rules it was recorded under and the
    change is saved, audited with the fields that changed."""
    changed = _changes(instance, data)
    if not changed:
        return instance
    check(instance)
    return _updated(instance, changed, actor=actor, origin=origin, client=client)


def _earliest_modality_date(episode: TreatmentEpisode | None) -> datetime.date | None:
    if episode is None or episode.pk is None:
        return None
    return min(
        (
            date
            for m in episode.modalities.all()
            for date in (m.referred_date, m.first_appointment_offered, m.start_date, m.end_date)
            if date
        ),
        default=None,
    )


# Referral


def _check_referral(referral: Referral) -> None:
    """A referral's date against the client and the rest of the journey, new or corrected."""
    client = referral.client
    check_not_in_future(referral.referral_date, "referral_date", "The referral date")
    check_not_before(
        referral.referral_date,
        client.date_of_birth,
        "referral_date",
        "The referral date cannot be before the client was born",
    )
    # The episodes before this referral: all of them for a new one; for a correction, those
    # of referrals recorded earlier (one referral is open at a time, so they came first).
    earlier = client.episodes.exclude(discharge_date=None).exclude(referral_id=referral.pk)
    if referral.created_at:
        earlier = earlier.filter(referral__created_at__lt=referral.created_at)
    last_episode = earlier.order_by("-discharge_date").first()
    if last_episode:
        check_not_before(
            referral.referral_date,
            last_episode.discharge_date,
            "referral_date",
            "The referral date cannot be before the last discharge "
            f"({last_episode.discharge_date:%d/%m/%Y})",
        )
    triage = getattr(referral, "triage", None)
    if triage:
        check_not_before(
            triage.triage_date,
            referral.referral_date,
            "referral_date",
            f"The referral date cannot be after triage ({triage.triage_date:%d/%m/%Y})",
        )
    first_modality = _earliest_modality_date(getattr(referral, "episode", None))
    if first_modality:
        check_not_before(
            first_modality,
            referral.referral_date,
            "referral_date",
            "The referral date cannot be after an intervention's dates "
            f"({first_modality:%d/%m/%Y})",
        )


@transaction.atomic
def referral_create(
    *, actor: User, client: Client, data: dict, origin: AuditOrigin | None = None
) -> Referral:
    # Two requests at once would both find no open referral: the second waits for this
    # lock and then reads the first's (the partial unique constraint backs it).
    Client.objects.select_for_update().only("pk").get(pk=client.pk)
    referral = Referral(provider_id=client.provider_id, client=client, created_by=actor, **data)
    _check_referral(referral)
    open_referral = client.referrals.filter(status__in=OPEN_REFERRAL_STATUSES).first()
    if open_referral:
        raise ValidationError(
            f"{client.known_as} already has an open referral from "
            f"{open_referral.referral_date:%d/%m/%Y}: discharge or close it first"
        )
    return record_save(referral, actor=actor, origin=origin)


@transaction.atomic
def referral_update(
    *, actor: User, referral: Referral, data: dict, origin: AuditOrigin | None = None
) -> Referral:
    """Correct a referral's date, source, who referred or reason; the journey keeps its order."""
    return _corrected(
        referral, data, _check_referral, actor=actor, origin=origin, client=referral.client
    )


# Triage


def _check_triage(triage: Triage) -> None:
    """Triage comes after the referral and before the assessment and treatment it leads to."""
    referral = triage.referral
    check_not_in_future(triage.triage_date, "triage_date", "The triage date")
    check_not_before(
        triage.triage_date,
        referral.referral_date,
        "triage_date",
        f"Triage cannot be before the referral ({referral.referral_date:%d/%m/%Y})",
    )
    assessment = getattr(referral, "assessment", None)
    if assessment:
        check_not_before(
            assessment.assessment_date,
            triage.triage_date,
            "triage_date",
            f"Triage cannot be after the assessment ({assessment.assessment_date:%d/%m/%Y})",
        )
    episode = getattr(referral, "episode", None)
    if episode:
        check_not_before(
            episode.start_date,
            triage.triage_date,
            "triage_date",
            f"Triage cannot be after treatment started ({episode.start_date:%d/%m/%Y})",
        )


@transaction.atomic
def triage_record(
    *, actor: User, referral: Referral, data: dict, origin: AuditOrigin | None = None
) -> Triage:
    triage = Triage(provider_id=referral.provider_id, referral=referral, triaged_by=actor, **data)
    _check_triage(triage)
    accepted = triage.outcome == Triage.Outcome.ACCEPTED
    REFERRAL_STATES.move(referral, Status.TRIAGED if accepted else Status.CLOSED)
    return record_save(triage, actor=actor, origin=origin, client=referral.client)


def _move_for_new_outcome(referral: Referral, was: str, outcome: str) -> None:
    """A corrected outcome moves the referral: accepted keeps it open, the others close it."""
    Outcome = Triage.Outcome
    if (was == Outcome.ACCEPTED) == (outcome == Outcome.ACCEPTED):
        return
    if outcome == Outcome.ACCEPTED:
        raise ValidationError(
            {
                "outcome": "This referral was closed at triage and cannot be reopened: "
                "add a new referral"
            }
        )
    if getattr(referral, "episode", None) is not None:
        raise ValidationError(
            {"outcome": "Treatment has started on this referral: it stays accepted at triage"}
        )
    REFERRAL_STATES.move(referral, Status.CLOSED)


@transaction.atomic
def triage_update(
    *, actor: User, triage: Triage, data: dict, origin: AuditOrigin | None = None
) -> Triage:
    """Correct a triage's date, outcome or notes; the referral follows a changed outcome."""
    was = triage.outcome
    changed = _changes(triage, data)
    if not changed:
        return triage
    _check_triage(triage)
    _move_for_new_outcome(triage.referral, was, triage.outcome)
    return _updated(triage, changed, actor=actor, origin=origin, client=triage.referral.client)


# Assessment


def _check_assessment(assessment: Assessment) -> None:
    """After triage, before any discharge; each substance named once, in order."""
    referral = assessment.referral
    triage = getattr(referral, "triage", None)
    if triage is None:
        raise ValidationError("Triage the referral before the comprehensive assessment")
    check_not_in_future(assessment.assessment_date, "assessment_date", "The assessment date")
    check_not_before(
        assessment.assessment_date,
        triage.triage_date,
        "assessment_date",
        f"The assessment cannot be before triage ({triage.triage_date:%d/%m/%Y})",
    )
    episode = getattr(referral, "episode", None)
    if episode and episode.discharge_date:
        check_not_before(
            episode.discharge_date,
            assessment.assessment_date,
            "assessment_date",
            f"The assessment cannot be after the discharge ({episode.discharge_date:%d/%m/%Y})",
        )
    substances = assessment.substances
    if len(substances) != len(set(substances)):
        raise ValidationError({"secondary_substance": "Each substance may be named once"})
    if assessment.tertiary_substance and not assessment.secondary_substance:
        raise ValidationError({"secondary_substance": "Name the second substance before a third"})


@transaction.atomic
def assessment_record(
    *, actor: User, referral: Referral, data: dict, origin: AuditOrigin | None = None
) -> Assessment:
    assessment = Assessment(
        provider_id=referral.provider_id, referral=referral, assessed_by=actor, **data
    )
    if getattr(referral, "triage", None) is None:
        raise ValidationError("Triage the referral before the comprehensive assessment")
    if referral.status not in OPEN_REFERRAL_STATUSES:
        raise ValidationError(
            f"This referral is {referral.get_status_display().lower()}: it cannot be assessed"
        )
    _check_assessment(assessment)
    if referral.status == Status.TRIAGED:
        REFERRAL_STATES.move(referral, Status.ASSESSED)
    return record_save(assessment, actor=actor, origin=origin, client=referral.client)


@transaction.atomic
def assessment_update(
    *, actor: User, assessment: Assessment, data: dict, origin: AuditOrigin | None = None
) -> Assessment:
    """Correct any answer of a comprehensive assessment, with the same rules as recording it."""
    client = assessment.referral.client
    return _corrected(
        assessment, data, _check_assessment, actor=actor, origin=origin, client=client
    )


# Treatment episode


def _check_no_overlap(episode: TreatmentEpisode) -> None:
    # Another episode overlaps if it is open or ends on or after this start, and (when this
    # one has ended) starts on or before this one's discharge.
    others = episode.client.episodes.exclude(pk=episode.pk).filter(
        Q(discharge_date__isnull=True) | Q(discharge_date__gte=episode.start_date)
    )
    if episode.discharge_date:
        others = others.filter(start_date__lte=episode.discharge_date)
    if others.exists():
        raise ValidationError(
            {"start_date": "This overlaps another treatment episode of this client"}
        )


def _check_episode(episode: TreatmentEpisode) -> None:
    """An episode starts after triage, before its interventions and discharge, and alone."""
    triage = episode.referral.triage  # episode_start allows only an accepted triage
    check_not_in_future(episode.start_date, "start_date", "The start date")
    check_not_before(
        episode.start_date,
        triage.triage_date,
        "start_date",
        f"Treatment cannot start before triage ({triage.triage_date:%d/%m/%Y})",
    )
    first_modality = _earliest_modality_date(episode)
    if first_modality:
        check_not_before(
            first_modality,
            episode.start_date,
            "start_date",
            f"Treatment cannot start after an intervention's dates ({first_modality:%d/%m/%Y})",
        )
    first_top = episode.tops.order_by("completed_on").first() if episode.pk else None
    if first_top:
        check_not_before(
            first_top.completed_on,
            episode.start_date,
            "start_date",
            f"Treatment cannot start after its first TOP ({first_top.completed_on:%d/%m/%Y})",
        )
    if episode.discharge_date:
        check_not_before(
            episode.discharge_date,
            episode.start_date,
            "start_date",
            f"Treatment cannot start after the discharge ({episode.discharge_date:%d/%m/%Y})",
        )
    if episode.keyworker and episode.keyworker.provider_id != episode.provider_id:
        raise ValidationError({"keyworker": "Choose a keyworker of this service"})
    _check_no_overlap(episode)


@transaction.atomic
def episode_start(
    *, actor: User, referral: Referral, data: dict, origin: AuditOrigin | None = None
) -> TreatmentEpisode:
    client = referral.client
    episode = TreatmentEpisode(
        provider_id=referral.provider_id,
        client=client,
        referral=referral,
        keyworker=data.get("keyworker") or client.keyworker,
        start_date=data["start_date"],
    )
    triage = getattr(referral, "triage", None)
    if triage is None or triage.outcome != Triage.Outcome.ACCEPTED:
        raise ValidationError("Only a referral accepted at triage can start treatment")
    check_primary_substance_recorded(referral)
    _check_episode(episode)
    REFERRAL_STATES.move(referral, Status.IN_TREATMENT)
    episode = record_save(episode, actor=actor, origin=origin)
    if referral.source == ReferralSource.PRISON:
        hooks.overdose_risk_told(client=client, moment="leaving_prison", on=episode.start_date)
    return episode


@transaction.atomic
def episode_update(
    *, actor: User, episode: TreatmentEpisode, data: dict, origin: AuditOrigin | None = None
) -> TreatmentEpisode:
    """Correct an episode's keyworker or start date; discharge has its own service."""
    return _corrected(
        episode, data, _check_episode, actor=actor, origin=origin, client=episode.client
    )


# Modalities


def check_primary_substance_recorded(referral: Referral) -> None:
    """Every episode has a primary substance before its first intervention: treatment starts,
    and interventions are added, only after a comprehensive assessment that records one."""
    assessment = getattr(referral, "assessment", None)
    if assessment is None or not assessment.primary_substance:
        raise ValidationError(
            "Record the comprehensive assessment, with the main problem substance, before "
            "treatment or an intervention starts"
        )


def _check_modality_end(modality: Modality) -> None:
    if modality.end_date and not modality.start_date:
        raise ValidationError({"end_date": "Record the start date before the end date"})
    check_not_before(
        modality.end_date, modality.start_date, "end_date", "The end date must be after the start"
    )
    if modality.end_date and not modality.exit_reason:
        raise ValidationError({"exit_reason": "Say how the modality ended"})
    if modality.exit_reason and not modality.end_date:
        raise ValidationError({"end_date": "Give the end date with the exit reason"})


def _check_modality_dates(modality: Modality) -> None:
    episode = modality.episode
    check_not_before(
        modality.referred_date,
        episode.referral.referral_date,
        "referred_date",
        "A modality cannot be referred before the referral",
    )
    check_not_before(
        modality.first_appointment_offered,
        modality.referred_date,
        "first_appointment_offered",
        "The first appointment cannot be offered before the modality referral",
    )
    check_not_before(
        modality.start_date,
        modality.referred_date,
        "start_date",
        "A modality cannot start before it was referred",
    )
    if modality.exit_reason == ModalityExit.NOT_STARTED:
        if modality.start_date or modality.end_date:
            raise ValidationError(
                {"exit_reason": "An intervention that started cannot be closed as never started"}
            )
    else:
        _check_modality_end(modality)
    for field in ("referred_date", "first_appointment_offered", "start_date", "end_date"):
        check_not_in_future(getattr(modality, field), field, "This date")
        if episode.discharge_date and getattr(modality, field):
            check_not_before(
                episode.discharge_date,
                getattr(modality, field),
                field,
                f"The episode was discharged on {episode.discharge_date:%d/%m/%Y}",
            )
    if modality.ost_medicine and modality.modality_type != ModalityType.PHARMACOLOGICAL:
        raise ValidationError(
            {"ost_medicine": "Only a pharmacological intervention can be opioid substitution"}
        )


@transaction.atomic
def modality_add(
    *, actor: User, episode: TreatmentEpisode, data: dict, origin: AuditOrigin | None = None
) -> Modality:
    modality = Modality(provider_id=episode.provider_id, episode=episode, **data)
    check_primary_substance_recorded(episode.referral)
    _check_modality_dates(modality)
    return record_save(modality, actor=actor, origin=origin, client=episode.client)


@transaction.atomic
def modality_update(
    *, actor: User, modality: Modality, data: dict, origin: AuditOrigin | None = None
) -> Modality:
    client = modality.episode.client
    return _corrected(
        modality, data, _check_modality_dates, actor=actor, origin=origin, client=client
    )


@transaction.atomic
def episode_discharge(
    *, actor: User, episode: TreatmentEpisode, data: dict, origin: AuditOrigin | None = None
) -> TreatmentEpisode:
    if not episode.is_open:
        raise ValidationError("This episode is already discharged")
    discharge_date = data.get("discharge_date")
    reason = data.get("discharge_reason", "")
    if discharge_date is None:
        raise ValidationError({"discharge_date": "Enter the discharge date"})
    if reason not in DischargeReason.values:
        raise ValidationError({"discharge_reason": "Choose the reason for discharge"})
    check_not_in_future(discharge_date, "discharge_date", "The discharge date")
    check_not_before(
        discharge_date,
        episode.start_date,
        "discharge_date",
        f"Discharge cannot be before the episode started ({episode.start_date:%d/%m/%Y})",
    )
    latest_modality_date = max(
        (
            date
            for m in episode.modalities.all()
            for date in (m.referred_date, m.first_appointment_offered, m.start_date, m.end_date)
            if date
        ),
        default=None,
    )
    if latest_modality_date:
        check_not_before(
            discharge_date,
            latest_modality_date,
            "discharge_date",
            f"Discharge cannot be before a modality's dates ({latest_modality_date:%d/%m/%Y})",
        )
    for check in DISCHARGE_CHECKS:
        check(episode, reason)
    for check in hooks.discharge_checks:
        check(episode, reason, on=discharge_date)
    # Interventions still running end with the episode, with the exit its reason means; ones
    # referred but never started close as never started (no dates: they had none).
    for modality in episode.modalities.filter(end_date__isnull=True, start_date__isnull=False):
        modality.end_date = discharge_date
        modality.exit_reason = MODALITY_EXIT_FOR_DISCHARGE[reason]
        modality.save(update_fields=["end_date", "exit_reason"])
    episode.modalities.filter(start_date__isnull=True, exit_reason="").update(
        exit_reason=ModalityExit.NOT_STARTED
    )
    episode.discharge_date = discharge_date
    episode.discharge_reason = reason
    episode.discharge_notes = data.get("discharge_notes", "")
    episode.discharged_by = actor
    REFERRAL_STATES.move(episode.referral, Status.DISCHARGED)
    episode = record_save(
        episode,
        actor=actor,
        origin=origin,
        action=Action.DISCHARGE,
        detail=DischargeReason(reason).label,
    )
    if reason not in DISCHARGE_WITHOUT_RISK_NOW:
        hooks.overdose_risk_told(
            client=episode.client, moment="leaving_treatment", on=discharge_date
        )
    return episode


def exit_top(episode: TreatmentEpisode) -> TreatmentOutcomesProfile | None:
    """The episode's exit TOP (stage = exit), which a completion's checks read."""
    return episode.tops.filter(stage=TopStage.EXIT).order_by("-completed_on", "-id").first()


def _not_disclosed_in(top: TreatmentOutcomesProfile, names: list[str]) -> list[str]:
    """The exit TOP's answers among `names` with no value (not disclosed, or never asked):
    a completion cannot be checked against them, so they are never read as 0."""
    return [
        str(getattr(TreatmentOutcomesProfile._meta.get_field(name), "verbose_name", name))
        for name in names
        if getattr(top, name) is None
    ]


def _refuse_unless_disclosed(
    top: TreatmentOutcomesProfile | None, names: list[str], completion: str
) -> None:
    missing = _not_disclosed_in(top, names) if top else []
    if missing:
        raise ValidationError(
            {
                "discharge_reason": f"{completion} cannot be checked: the exit TOP does not "
                f"record days of {', '.join(missing)}. Correct the exit TOP or choose another "
                "reason"
            }
        )


def _occasional_use_excludes_opiates_and_crack(episode: TreatmentEpisode, reason: str) -> None:
    # Reads the exit TOP, not the latest TOP of any kind.
    if reason != DischargeReason.COMPLETED_OCCASIONAL_USER:
        return
    top = exit_top(episode)
    _refuse_unless_disclosed(top, ["opiate_days", "crack_days"], "An occasional-user completion")
    if top and (top.opiate_days or top.crack_days):
        raise ValidationError(
            {
                "discharge_reason": "An occasional-user completion cannot include opiate or "
                "crack use: the exit TOP records some"
            }
        )


def _drug_free_means_no_use_in_the_exit_top(episode: TreatmentEpisode, reason: str) -> None:
    if reason != DischargeReason.COMPLETED_DRUG_FREE:
        return
    top = exit_top(episode)
    _refuse_unless_disclosed(top, DRUG_USE_DAY_FIELDS, "A drug-free completion")
    if top and any(getattr(top, name) for name in DRUG_USE_DAY_FIELDS):
        raise ValidationError(
            {
                "discharge_reason": "A drug-free completion cannot be recorded: the exit TOP "
                "records drug use in the past 28 days"
            }
        )


def _alcohol_free_needs_an_alcohol_problem(episode: TreatmentEpisode, reason: str) -> None:
    if reason != DischargeReason.COMPLETED_ALCOHOL_FREE:
        return
    assessment = getattr(episode.referral, "assessment", None)
    if assessment is None or Substance.ALCOHOL not in assessment.substances:
        raise ValidationError(
            {
                "discharge_reason": "An alcohol-free completion needs an alcohol problem: the "
                "assessment does not name alcohol as a problem substance"
            }
        )
    top = exit_top(episode)
    _refuse_unless_disclosed(top, ["alcohol_days"], "An alcohol-free completion")
    if top and top.alcohol_days:
        raise ValidationError(
            {
                "discharge_reason": "An alcohol-free completion cannot be recorded: the exit "
                "TOP records drinking in the past 28 days"
            }
        )


def _completion_needs_structured_treatment(episode: TreatmentEpisode, reason: str) -> None:
    if not is_successful_completion(reason):
        return
    started = episode.modalities.filter(start_date__isnull=False)
    if not started.structured().exists():
        raise ValidationError(
            {
                "discharge_reason": "A successful completion needs structured treatment: no "
                "structured intervention (after the assessment, with a care plan, not "
                "recovery support) ever started in this episode"
            }
        )


def _no_successful_completion_on_substitute_medication(
    episode: TreatmentEpisode, reason: str
) -> None:
    # NDTMS: opiate clients must not be on substitute medication at a successful exit.
    if not is_successful_completion(reason):
        return
    if (
        episode.modalities.filter(end_date__isnull=True, start_date__isnull=False)
        .exclude(ost_medicine="")
        .exists()
    ):
        raise ValidationError(
            {
                "discharge_reason": "A successful completion is not possible while opioid "
                "substitution continues: end it first"
            }
        )


# Rules every discharge must pass; apps above treatment add theirs to hooks.discharge_checks
# (prescribing: no successful completion while a prescription is active).
DISCHARGE_CHECKS = [
    _completion_needs_structured_treatment,
    _drug_free_means_no_use_in_the_exit_top,
    _alcohol_free_needs_an_alcohol_problem,
    _occasional_use_excludes_opiates_and_crack,
    _no_successful_completion_on_substitute_medication,
]
