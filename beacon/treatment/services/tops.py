"""Recording and correcting a Treatment Outcomes Profile (TOP), with NDTMS's stage rules."""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from beacon.core.audit import Action, AuditOrigin, record_save
from beacon.core.models import User
from beacon.treatment.codes import TOP_PERIOD_DAYS, TOP_RATING_MAX, TopStage
from beacon.treatment.models import TreatmentEpisode, TreatmentOutcomesProfile
from beacon.treatment.models.tops import (
    ALCOHOL_UNITS_MAX,
    AMOUNT_FOR_DAYS,
    ANSWER_FIELDS,
    DAY_FIELDS,
    DISCLOSABLE_FIELDS,
    DRUG_AMOUNT_FIELDS,
    FLAG_FIELDS,
    RATING_FIELDS,
    AmountUnit,
)
from beacon.treatment.services.checks import check_not_before, check_not_in_future, on
from beacon.treatment.services.journey import unrecorded_authors

UNIT_FIELDS = [f"{name}_unit" for name in DRUG_AMOUNT_FIELDS]
TOP_FIELDS = [
    "stage",
    "completed_on",
    *ANSWER_FIELDS,
    *AMOUNT_FOR_DAYS.values(),
    *UNIT_FIELDS,
    "other_drug_name",
    "not_disclosed",
]
NOT_DISCLOSED_HINT = ", or say it was not disclosed"


def _missing_message(name: str) -> str:
    if name in DAY_FIELDS:
        return f"Enter a number of days from 0 to {TOP_PERIOD_DAYS}{NOT_DISCLOSED_HINT}"
    if name in RATING_FIELDS:
        return f"Enter a score from 0 to {TOP_RATING_MAX}{NOT_DISCLOSED_HINT}"
    if name in FLAG_FIELDS:
        return "Answer yes, no or not disclosed"
    if name == "other_drug_name":
        return "Enter the name of the other problem substance" + NOT_DISCLOSED_HINT
    return "Enter the average amount on a using day" + NOT_DISCLOSED_HINT


def _check_not_disclosed(top: TreatmentOutcomesProfile) -> None:
    """`not_disclosed` names TOP items only, and each of them has no value."""
    marked = top.not_disclosed
    if not isinstance(marked, list) or any(name not in DISCLOSABLE_FIELDS for name in marked):
        raise ValidationError(
            {"not_disclosed": "List only the names of TOP answers that were not disclosed"}
        )
    errors = {}
    for name in marked:
        value = getattr(top, name)
        if value is not None and value != "":
            errors[name] = "An answer cannot be both given and not disclosed"
    if errors:
        raise ValidationError(errors)
    # One order, one entry each, so equal answers compare equal.
    top.not_disclosed = [name for name in DISCLOSABLE_FIELDS if name in marked]


def _answered(top: TreatmentOutcomesProfile, name: str) -> bool:
    value = getattr(top, name)
    return (value is not None and value != "") or top.is_not_disclosed(name)


def _check_answers(top: TreatmentOutcomesProfile, *, asked: set[str]) -> None:
    """Every item in `asked` has a value or is marked not disclosed (never silently 0 or
    "no"); values in range; an amount only for a substance used on 1 day or more; the other
    substance named when its days are 1 or more."""
    for name in [*UNIT_FIELDS, "other_drug_name"]:  # text: empty, never null
        if getattr(top, name) is None:
            setattr(top, name, "")
    _check_not_disclosed(top)
    errors = {}
    for name in ANSWER_FIELDS:
        if name in asked and not _answered(top, name):
            errors[name] = _missing_message(name)
    for name in DAY_FIELDS:
        value = getattr(top, name)
        if value is not None and not 0 <= value <= TOP_PERIOD_DAYS:
            errors[name] = f"Enter a number of days from 0 to {TOP_PERIOD_DAYS}"
    for name in RATING_FIELDS:
        value = getattr(top, name)
        if value is not None and not 0 <= value <= TOP_RATING_MAX:
            errors[name] = f"Enter a score from 0 to {TOP_RATING_MAX}"
    for days_name, amount_name in AMOUNT_FOR_DAYS.items():
        days, amount = getattr(top, days_name), getattr(top, amount_name)
        try:
            field = TreatmentOutcomesProfile._meta.get_field(amount_name)
            assert isinstance(field, models.Field)
            amount = field.to_python(amount)
        except ValidationError:
            errors[amount_name] = "Enter the amount as a number, for example 0.5"
            continue
        setattr(top, amount_name, amount)
        if days:
            if amount_name in asked and not _answered(top, amount_name):
                errors[amount_name] = _missing_message(amount_name)
        elif amount is not None:
            errors[amount_name] = "Leave the amount empty: there were no using days recorded"
        if amount is not None and amount < 0:
            errors[amount_name] = "The amount must be 0 or more"
        if amount_name == "alcohol_units":
            if amount is not None and amount > ALCOHOL_UNITS_MAX:
                errors[amount_name] = f"Enter a number of units from 0 to {ALCOHOL_UNITS_MAX}"
            continue
        unit = getattr(top, f"{amount_name}_unit")
        if amount is not None and unit not in AmountUnit.values:
            errors[f"{amount_name}_unit"] = "Choose the unit of the amount: grams or £ spent"
        elif amount is None and unit:
            setattr(top, f"{amount_name}_unit", "")  # a unit means nothing without its amount
    if top.other_drug_days and "other_drug_name" in asked and not _answered(top, "other_drug_name"):
        errors["other_drug_name"] = _missing_message("other_drug_name")
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


def _check_top(
    top: TreatmentOutcomesProfile, episode: TreatmentEpisode, *, asked: set[str]
) -> None:
    """Every rule a TOP keeps, whether new or corrected; `asked` are the items that must
    have an answer (all of them for a new TOP)."""
    if top.stage not in TopStage.values:
        raise ValidationError({"stage": "Choose the stage of this TOP"})
    check_not_in_future(top.completed_on, "completed_on", "The date completed")
    check_not_before(
        top.completed_on,
        episode.start_date,
        "completed_on",
        f"A TOP cannot be before the episode started ({on(episode.start_date)})",
    )
    _check_answers(top, asked=asked)
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
    if top.not_disclosed is None:
        top.not_disclosed = []
    _check_top(top, episode, asked=set(DISCLOSABLE_FIELDS))
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
    """Correct a TOP's answers, date or stage; the same ranges and stage rules as recording.

    A value given for an item marked not disclosed clears its mark (unless `not_disclosed`
    is sent too). An item a TOP never asked (recorded before the item existed) may stay
    unasked, but no answer can be taken away."""
    episode = TreatmentEpisode.objects.select_for_update().get(pk=top.episode_id)
    fields = {key: value for key, value in data.items() if key in TOP_FIELDS}
    if "not_disclosed" not in fields:
        given = {name for name, value in fields.items() if value is not None and value != ""}
        marked = [name for name in top.not_disclosed if name not in given]
        if marked != top.not_disclosed:
            fields["not_disclosed"] = marked
    changed = [name for name, value in fields.items() if getattr(top, name) != value]
    if not changed:
        return top
    was_asked = {name for name in DISCLOSABLE_FIELDS if _answered(top, name)}
    for name in changed:
        setattr(top, name, fields[name])
    asked = was_asked | set(changed)
    asked |= {AMOUNT_FOR_DAYS[name] for name in changed if name in AMOUNT_FOR_DAYS}
    if "other_drug_days" in changed:
        asked.add("other_drug_name")
    _check_top(top, episode, asked=asked)
    return record_save(
        top,
        actor=actor,
        client=episode.client,
        origin=origin,
        action=Action.UPDATE,
        detail="changed " + ", ".join(changed),
        exclude=unrecorded_authors(top),
    )
