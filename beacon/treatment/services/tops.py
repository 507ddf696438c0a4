"""Recording and correcting a Treatment Outcomes Profile (TOP), with NDTMS's stage rules."""

from django.core.exceptions import ValidationError
from django.db import transaction

from beacon.core.audit import Action, AuditOrigin, record_save
from beacon.core.models import User
from beacon.treatment.codes import TOP_PERIOD_DAYS, TOP_RATING_MAX, TopStage
from beacon.treatment.models import TreatmentEpisode, TreatmentOutcomesProfile
from beacon.treatment.models.tops import DAY_FIELDS, RATING_FIELDS
from beacon.treatment.services.checks import check_not_before, check_not_in_future, on
from beacon.treatment.services.journey import unrecorded_authors

FLAG_FIELDS = ["shared_equipment", "acute_housing_problem", "at_risk_of_eviction"]
TOP_FIELDS = ["stage", "completed_on", *DAY_FIELDS, *RATING_FIELDS, *FLAG_FIELDS]


def _check_ranges(top: TreatmentOutcomesProfile) -> None:
    errors = {}
    for name in DAY_FIELDS:
        value = getattr(top, name)
        if value is None or not 0 <= value <= TOP_PERIOD_DAYS:
            errors[name] = f"Enter a number of days from 0 to {TOP_PERIOD_DAYS}"
    for name in RATING_FIELDS:
        value = getattr(top, name)
        if value is None or not 0 <= value <= TOP_RATING_MAX:
            errors[name] = f"Enter a score from 0 to {TOP_RATING_MAX}"
    if errors:
        raise ValidationError(errors)


def _check_stage(top: TreatmentOutcomesProfile, episode: TreatmentEpisode) -> None:
    # The episode's other TOPs: a corrected TOP is not compared with itself.
    tops = episode.tops.exclude(pk=top.pk)
    start = tops.filter(stage=TopStage.START).first()
    if top.stage == TopStage.START and start:
        raise ValidationError(
            {"stage": f"This episode already has a start TOP ({on(start.completed_on)})"}
        )
    first_review = tops.filter(stage=TopStage.REVIEW).order_by("completed_on").first()
    if top.stage == TopStage.START and first_review:
        check_not_before(
            first_review.completed_on,
            top.completed_on,
            "completed_on",
            f"A start TOP cannot be after a review TOP ({on(first_review.completed_on)})",
        )
    if top.stage == TopStage.REVIEW and start:
        check_not_before(
            top.completed_on,
            start.completed_on,
            "completed_on",
            f"A review TOP cannot be before the start TOP ({on(start.completed_on)})",
        )
    if top.stage == TopStage.EXIT:
        earlier_exit = tops.filter(stage=TopStage.EXIT).first()
        if earlier_exit:
            raise ValidationError(
                {"stage": f"This episode already has an exit TOP ({on(earlier_exit.completed_on)})"}
            )
        last_review = tops.filter(stage=TopStage.REVIEW).order_by("-completed_on").first()
        if last_review:
            check_not_before(
                top.completed_on,
                last_review.completed_on,
                "completed_on",
                f"An exit TOP cannot be before the last review ({on(last_review.completed_on)})",
            )
    exit_top = tops.filter(stage=TopStage.EXIT).first()
    if top.stage == TopStage.REVIEW and exit_top:
        check_not_before(
            exit_top.completed_on,
            top.completed_on,
            "completed_on",
            f"A review TOP cannot be after the exit TOP ({on(exit_top.completed_on)})",
        )
    if top.stage == TopStage.POST_EXIT:
        if episode.is_open:
            raise ValidationError(
                {"stage": "A post-exit TOP follows discharge: this episode is still open"}
            )
        check_not_before(
            top.completed_on,
            episode.discharge_date,
            "completed_on",
            f"A post-exit TOP cannot be before discharge ({on(episode.discharge_date)})",
        )
    elif top.stage in (TopStage.START, TopStage.REVIEW) and not episode.is_open:
        check_not_before(
            episode.discharge_date,
            top.completed_on,
            "completed_on",
            f"The episode was discharged on {on(episode.discharge_date)}: record an exit or "
            "post-exit TOP",
        )


def _check_top(top: TreatmentOutcomesProfile, episode: TreatmentEpisode) -> None:
    """Every rule a TOP keeps, whether new or corrected."""
    if top.stage not in TopStage.values:
        raise ValidationError({"stage": "Choose the stage of this TOP"})
    check_not_in_future(top.completed_on, "completed_on", "The date completed")
    check_not_before(
        top.completed_on,
        episode.start_date,
        "completed_on",
        f"A TOP cannot be before the episode started ({on(episode.start_date)})",
    )
    _check_ranges(top)
    _check_stage(top, episode)


@transaction.atomic
def top_record(
    *, actor: User, episode: TreatmentEpisode, data: dict, origin: AuditOrigin | None = None
) -> TreatmentOutcomesProfile:
    # Lock the episode so two start TOPs saved at once cannot both pass the check.
    episode = TreatmentEpisode.objects.select_for_update().get(pk=episode.pk)
    top = TreatmentOutcomesProfile(
        provider_id=episode.provider_id,
        client_id=episode.client_id,
        episode=episode,
        recorded_by=actor,
        **{key: value for key, value in data.items() if key in TOP_FIELDS},
    )
    _check_top(top, episode)
    return record_save(
        top,
        actor=actor,
        client=episode.client,
        origin=origin,
        detail=f"{TopStage(top.stage).label} TOP {on(top.completed_on)}",
    )


@transaction.atomic
def top_update(
    *, actor: User, top: TreatmentOutcomesProfile, data: dict, origin: AuditOrigin | None = None
) -> TreatmentOutcomesProfile:
    """Correct a TOP's answers, date or stage; the same ranges and stage rules as recording."""
    episode = TreatmentEpisode.objects.select_for_update().get(pk=top.episode_id)
    fields = {key: value for key, value in data.items() if key in TOP_FIELDS}
    changed = [name for name, value in fields.items() if getattr(top, name) != value]
    if not changed:
        return top
    for name in changed:
        setattr(top, name, fields[name])
    _check_top(top, episode)
    return record_save(
        top,
        actor=actor,
        client=episode.client,
        origin=origin,
        action=Action.UPDATE,
        detail="changed " + ", ".join(changed),
        exclude=unrecorded_authors(top),
    )
