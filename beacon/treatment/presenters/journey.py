"""How the journey is shown: the re-presentation warnings, whether an episode ended well,
and each episode's interventions as table rows."""

import datetime

from django.urls import reverse
from django.utils.html import format_html

from beacon.clients.hooks import SummaryRow
from beacon.clients.presenters import lines_html
from beacon.core.presenters import date_uk, yes_no
from beacon.treatment.codes import is_successful_completion
from beacon.treatment.models import Referral, TreatmentEpisode
from beacon.treatment.selectors.journey import REPRESENTATION_HINT, representation_window_end

__all__ = ["REPRESENTATION_HINT"]


def representation_warning(episode: TreatmentEpisode | None) -> str:
    """The flag of a triaged referral that re-presents (selectors.journey.with_representation)."""
    if episode is None:
        return ""
    return (
        "Re-presentation within 6 months of a successful completion on "
        f"{date_uk(episode.discharge_date)}"
    )


def representation_if_triaged_warning(episode: TreatmentEpisode | None) -> str:
    """Beside a referral not yet triaged: a triage by the window's end would re-present."""
    if episode is None:
        return ""
    return (
        f"If triaged on or before {date_uk(representation_window_end(episode.discharge_date))}, "
        "this is a re-presentation within 6 months of the successful completion on "
        f"{date_uk(episode.discharge_date)}"
    )


def successful(episode: TreatmentEpisode) -> bool:
    """For the templates: the episode ended in a successful completion."""
    return is_successful_completion(episode.discharge_reason)


MODALITY_HEADINGS = [
    "Type",
    "Setting",
    "Structured",
    "OST medicine",
    "Referred",
    "First offered",
    "Start",
    "End",
    "Exit",
]


def modalities_table(episode: TreatmentEpisode, *, may_record: bool) -> dict:
    """The episode's interventions, each with a "Change" link for someone who may record."""
    head = [{"text": heading} for heading in MODALITY_HEADINGS]
    if may_record:
        head.append({"visuallyHiddenText": "Actions"})
    rows = []
    for m in episode.modalities.all():
        kind = m.get_modality_type_display()
        end = (date_uk(m.end_date) or "Running") if m.start_date else ""
        row = [
            {"text": kind},
            {"text": m.get_setting_display()},
            {"text": yes_no(m.structured)},
            {"text": m.get_ost_medicine_display() if m.ost_medicine else "None"},
            {"text": date_uk(m.referred_date)},
            {"text": date_uk(m.first_appointment_offered) or "Not yet"},
            {"text": date_uk(m.start_date) or "Not started"},
            {"text": end},
            {"text": m.get_exit_reason_display()},
        ]
        if may_record:
            change = format_html(
                '<a href="{}">Change<span class="nhsuk-u-visually-hidden"> {} from {}</span></a>',
                reverse("treatment:modality_edit", args=[m.pk]),
                kind,
                date_uk(m.referred_date),
            )
            row.append({"html": change})
        rows.append(row)
    return {
        "id": f"modalities-{episode.pk}",
        "responsive": True,
        "caption": {"text": "Interventions (modalities)", "classes": "nhsuk-u-font-size-19"},
        "head": head,
        "rows": rows,
    }


def modalities_tables(referrals: list[Referral], *, may_record: bool) -> dict[int, dict]:
    """For each referral that led to an episode: its interventions table, by referral."""
    tables = {}
    for referral in referrals:
        episode = getattr(referral, "episode", None)  # None when no episode was started
        if episode is not None:
            tables[referral.pk] = modalities_table(episode, may_record=may_record)
    return tables


NOT_IN_TREATMENT = "No open episode"


def episode_summary(episode: TreatmentEpisode | None, *, today: datetime.date) -> SummaryRow:
    """The client page's summary line for the open episode: since when, with whom, and
    the interventions running now (or waiting to start)."""
    if episode is None:
        return SummaryRow(slot="episode", key="Treatment episode", text=NOT_IN_TREATMENT)
    days = (today - episode.start_date).days
    lines = [f"Since {date_uk(episode.start_date)} ({days} day{'' if days == 1 else 's'})"]
    if episode.keyworker is not None:
        lines.append(f"Episode keyworker: {episode.keyworker.display_name}")
    # Running and waiting as of `today`, from the dates, not the stored "is active": one
    # that starts later is waiting, one whose end date has passed is over.
    running = [
        str(m)
        for m in episode.modalities.all()
        if m.start_date is not None
        and m.start_date <= today
        and (m.end_date is None or m.end_date >= today)
    ]
    waiting = [
        str(m) for m in episode.modalities.all() if m.start_date is None or m.start_date > today
    ]
    if running:
        lines.append(f"In: {', '.join(running)}")
    if waiting:
        lines.append(f"Waiting to start: {', '.join(waiting)}")
    return SummaryRow(slot="episode", key="Treatment episode", html=lines_html(lines))
