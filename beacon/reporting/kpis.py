"""The KPIs commissioners judge the service by, each defined once: one function per KPI.

Every function takes a `Scope` (the provider, the period's first and last day, both
included, and the filters: site, team, and for the journey figures a substance group) and
answers a dict of plain numbers, as the API gives it (a KPI with a rate answers `Figures`,
that dict carrying each rate's numerator and denominator for suppression, H-224). A
figure whose source cannot be counted answers None ("unavailable"), never 0. Each counts
in the database (aggregates, no loop over clients), reading the rule its source app defines:

- successful completion: `treatment.codes.SUCCESSFUL_COMPLETIONS` (H-71..H-74)
- re-presentation: `treatment.selectors.journey.with_representation` (H-70)
- substance group: `treatment.selectors.journey.with_substance_group` (H-77)
- structured treatment: `treatment.models.Modality.objects.structured()` (H-76)
- a prescription still supplying: `prescribing.models.PrescriptionQuerySet.not_over`
- naloxone kits and coverage: `naloxone.selectors.kit_figures`, `current_opiate_clients`,
  `holding_kit` (H-104)
- NSP: `harmreduction.selectors.nsp_figures`
- attendance: `contacts.selectors.attendance_appointments`
- outreach: `volunteers.selectors.outreach_figures`, when that app provides it

Filters: `site` and `team` are the client's team (and its site); records kept at a site
(NSP, naloxone supplies, survey responses) are filtered by that site. A record that
belongs to no client (an anonymous NSP transaction or survey) cannot be put in a team, so
under a team filter NSP and satisfaction are unavailable (None), not a partial count.
"""

import datetime
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery, Sum

from beacon.clients.models import Client
from beacon.contacts.models import AppointmentOutcome
from beacon.contacts.selectors import attendance_appointments
from beacon.core.models import Provider, Site, Team
from beacon.harmreduction.selectors import nsp_figures
from beacon.naloxone.selectors import (
    KitFigures,
    current_opiate_clients,
    holding_kit,
    kit_figures,
)
from beacon.prescribing.models import Instalment, Prescription
from beacon.treatment.codes import SUCCESSFUL_COMPLETIONS, SubstanceGroup
from beacon.treatment.models import Modality, Referral, TreatmentEpisode, Triage
from beacon.treatment.selectors.journey import (
    representation_window_end,
    with_representation,
    with_substance_group,
)
from beacon.voice.models import STANDARD_SATISFACTION, Answer, Question, QuestionKind

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")

SHARE_PLACES = 4  # 0.0625: a rate of 1 in 16 is exact


@dataclass(frozen=True)
class Scope:
    """What a KPI counts: a provider's records in a period (both days included), for one
    site or team when given, and for one national substance group when given (the journey
    figures only: a group is an episode's)."""

    provider: Provider
    start: datetime.date
    end: datetime.date
    site: Site | None = None
    team: Team | None = None
    substance_group: str | None = None
    # Figures counted once for the scope and read again by another KPI (`once`).
    _counted: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def once(self, name: str, count: Callable[[], T]) -> T:
        """`count()`, counted once for this scope however many KPIs read it (the people in
        treatment are a KPI and the denominator of successful completions)."""
        if name not in self._counted:
            self._counted[name] = count()
        return self._counted[name]

    def clients(self) -> QuerySet[Client]:
        """The provider's clients in the site or team asked for."""
        clients = self.provider.clients.all()
        if self.team is not None:
            clients = clients.filter(team=self.team)
        if self.site is not None:
            clients = clients.filter(team__site=self.site)
        return clients

    def narrowed(self, records: QuerySet[M], client: str = "client") -> QuerySet[M]:
        """The provider's `records` of the clients in the site or team asked for, `client`
        naming the path from a record to its client. Without a site or team they are all
        of them: a record is of its provider's client, so the provider's records need no
        second filter (which at national scale costs a scan of the clients)."""
        if self.team is None and self.site is None:
            return records
        return records.filter(**{f"{client}__in": self.clients()})

    def of_episodes(self, records: QuerySet[M], episode: str = "episode") -> QuerySet[M]:
        """The provider's `records` of the episodes in the scope (`episodes()`); all of
        them, with no second filter, when neither a site, a team nor a substance group is
        asked."""
        if self.team is None and self.site is None and not self.substance_group:
            return records
        return records.filter(**{f"{episode}__in": self.episodes()})

    def episodes(self) -> QuerySet[TreatmentEpisode]:
        """The provider's episodes of those clients, in the substance group asked for."""
        episodes = self.narrowed(TreatmentEpisode.objects.filter(provider=self.provider))
        if self.substance_group:
            episodes = with_substance_group(episodes).filter(substance_group=self.substance_group)
        return episodes


class Figures(dict):
    """A KPI's figures, read and compared as the plain dict the API gives, that also carry
    (never shown) each rate's numerator and denominator: `figures.rates["coverage"] ==
    (holding, opiate_clients)`. Suppression (H-224) reads them to hide a rate computed from
    a count of 1 to 4 that is not itself among the figures."""

    def __init__(self, figures: dict[str, Any], *, rates: dict[str, tuple[int, int | None]]):
        super().__init__(figures)
        self.rates = rates


def share(part: int, whole: int | None) -> float | None:
    """`part` ÷ `whole` to 4 places; None when there is nothing to divide by."""
    return round(part / whole, SHARE_PLACES) if whole else None


# Journeys ---------------------------------------------------------------------------------


def new_presentations(scope: Scope) -> dict[str, int]:
    """People whose treatment journey started in the period: triaged (and not closed at
    triage) on a day of the period, each person once. Structured: one of those journeys
    has structured treatment (`Modality.objects.structured()`, H-76); the rest not.

    Source: NDTMS "new presentations" (people starting a journey); issue #17."""
    triages = scope.narrowed(
        Triage.objects.filter(
            provider=scope.provider,
            triage_date__gte=scope.start,
            triage_date__lte=scope.end,
            outcome=Triage.Outcome.ACCEPTED,
        ),
        "referral__client",
    )
    if scope.substance_group:
        triages = triages.filter(referral__episode__in=scope.episodes())
    structured = Modality.objects.structured().filter(episode__referral_id=OuterRef("referral_id"))
    people = Count("referral__client", distinct=True)
    total = triages.aggregate(people=people)["people"]
    # Two counts, the second filtered in WHERE: there the database joins the structured
    # modalities once (a semi-join), where in the count's FILTER it would look them up
    # again for every triage.
    structured_people = triages.filter(Exists(structured)).aggregate(people=people)["people"]
    return {
        "total": total,
        "structured": structured_people,
        "non_structured": total - structured_people,
    }


def _open_in_period(scope: Scope) -> QuerySet[TreatmentEpisode]:
    return (
        scope.episodes().filter(start_date__lte=scope.end).exclude(discharge_date__lt=scope.start)
    )


def in_treatment(scope: Scope) -> int:
    """People with a treatment episode open at any time in the period: started on or
    before its last day and not discharged before its first. Each person once.

    Source: NDTMS "numbers in treatment"; issue #17."""
    return scope.once(
        "in_treatment", lambda: _open_in_period(scope).values("client").distinct().count()
    )


def _completions(scope: Scope) -> QuerySet[TreatmentEpisode]:
    """Episodes discharged in the period with a successful-completion reason, except one
    whose client still had an OST prescription supplying on the discharge day (H-220):
    started on or before it and not over by it (`PrescriptionQuerySet.current`). NDTMS
    counts no opiate client on substitute medication as a successful exit. A prescription
    starting after the discharge (a later journey) does not undo it. Discharge refuses that
    record (prescribing.discharge); this keeps older or imported ones out."""
    still_prescribed = Prescription.objects.filter(client=OuterRef("client")).current(
        on=OuterRef("discharge_date")
    )
    return (
        scope.episodes()
        .filter(
            discharge_date__gte=scope.start,
            discharge_date__lte=scope.end,
            discharge_reason__in=SUCCESSFUL_COMPLETIONS,
        )
        .exclude(Exists(still_prescribed))
    )


def successful_completions(scope: Scope) -> dict[str, Any]:
    """People with a successful completion discharged in the period (`_completions`),
    each person once however many journeys they completed in it, as a number and as a
    share of the people in treatment in it (`in_treatment`, also people): people over
    people, so the share cannot exceed 1.

    Source: NDTMS successful completion (left free of dependence: drug free, alcohol free,
    occasional user); issue #8 and #17."""
    count = _completions(scope).values("client").distinct().count()
    people = in_treatment(scope)
    return Figures(
        {"count": count, "share_of_in_treatment": share(count, people)},
        rates={"share_of_in_treatment": (count, people)},
    )


REPRESENTATION_GROUPS = {
    "opiate": SubstanceGroup.OPIATE,
    "non_opiate_only": SubstanceGroup.NON_OPIATE,
    "non_opiate_and_alcohol": SubstanceGroup.NON_OPIATE_AND_ALCOHOL,
    "alcohol_only": SubstanceGroup.ALCOHOL,
}


def representations_6m(scope: Scope) -> dict[str, dict[str, Any]]:
    """By national substance group: of the successful completions discharged in the period,
    those whose person re-presents (a new triage within 6 calendar months of discharge,
    `with_representation`, H-70), even when the triage falls after the period.

    Source: NDTMS re-presentations within 6 months of a successful completion; issue #17."""
    represented = (
        with_representation(
            Referral.objects.filter(
                provider=scope.provider,
                triage__triage_date__gt=scope.start,
                triage__triage_date__lte=representation_window_end(scope.end),
            )
        )
        .filter(represents_after_id__isnull=False)
        .values("represents_after_id")
    )
    rows = {
        row["substance_group"]: row
        for row in with_substance_group(_completions(scope))
        .values("substance_group")
        .annotate(
            completions=Count("pk"),
            represented=Count("pk", filter=Q(pk__in=Subquery(represented))),
        )
        .order_by()
    }
    figures = {}
    for key, group in REPRESENTATION_GROUPS.items():
        row = rows.get(group.value, {"completions": 0, "represented": 0})
        figures[key] = {
            "completions": row["completions"],
            "represented": row["represented"],
            "rate": share(row["represented"], row["completions"]),
        }
    return figures


def days_to_first_prescription(scope: Scope) -> dict[str, Any]:
    """For each episode whose first OST prescription starts in the period: days from the
    episode's referral to that prescription's start (`TimeToPrescription`'s measure);
    n, mean (1 place) and median.

    Source: issue #17 (the service's "days to a substitute prescription")."""
    # Each episode's first start, grouped once (at national scale a search for an earlier
    # prescription of each one compared every pair of an episode's prescriptions); an
    # episode whose first two prescriptions start on the same day counts once.
    firsts = (
        scope.of_episodes(Prescription.objects.filter(provider=scope.provider))
        .order_by()
        .values("episode_id")
        .annotate(first=Min("start_date"), referred=Min("episode__referral__referral_date"))
        .filter(first__gte=scope.start, first__lte=scope.end)
        .values_list("episode_id", "first", "referred")
    )
    days = [(start - referred).days for _episode, start, referred in firsts]
    if not days:
        return {"n": 0, "mean": None, "median": None}
    return {
        "n": len(days),
        "mean": round(statistics.fmean(days), 1),
        "median": float(statistics.median(days)),
    }


# Naloxone and NSP -------------------------------------------------------------------------


def _kits(scope: Scope) -> KitFigures:
    return kit_figures(
        provider=scope.provider,
        first=scope.start,
        last=scope.end,
        site=scope.site,
        clients=scope.clients() if scope.team else None,
    )


def naloxone(scope: Scope) -> dict[str, Any]:
    """Kits supplied in the period (to clients, to anyone else), kits reported used in it
    (`naloxone.selectors.kit_figures`), and coverage at the period's end: current opiate
    clients holding an in-date kit ÷ all current opiate clients (H-104).

    Source: issue #13 and #17; PHE naloxone guidance (coverage of opiate clients)."""
    kits = _kits(scope)
    opiate_clients = current_opiate_clients(clients=scope.clients(), on=scope.end)
    covered = opiate_clients.aggregate(
        total=Count("pk"), holding=Count("pk", filter=Q(holding_kit(scope.end)))
    )
    return Figures(
        {
            "kits_supplied": kits.supplied,
            "to_clients": kits.to_clients,
            "to_others": kits.supplied - kits.to_clients,
            "kits_reported_used": kits.used,
            "coverage": share(covered["holding"], covered["total"]),
        },
        rates={"coverage": (covered["holding"], covered["total"])},
    )


def naloxone_kits_supplied(scope: Scope) -> int:
    """Kits supplied in the period alone (the monthly trend): `naloxone`'s first figure."""
    return _kits(scope).supplied


def nsp(scope: Scope) -> dict[str, Any] | None:
    """Needle and syringe programme: transactions, distinct people (attributors), items
    given out (sharps bins included) and the sharps return rate, bins returned ÷ bins given
    out in the period (`harmreduction.selectors.nsp_figures`). None under a team filter:
    most transactions are anonymous and belong to no team.

    Source: issue #13 and #17."""
    if scope.team is not None:
        return None
    figures = nsp_figures(
        provider=scope.provider, first=scope.start, last=scope.end, site=scope.site
    )
    return {
        "transactions": figures.transactions,
        "people": figures.people,
        "items_out": figures.items_out,
        "sharps_return_rate": float(figures.return_rate)
        if figures.return_rate is not None
        else None,
    }


# Satisfaction, attendance, OST, outreach ---------------------------------------------------


def satisfaction(scope: Scope) -> dict[str, Any] | None:
    """Responses in the period to the standard satisfaction survey's overall 0-10
    question: in every version of the `standard-satisfaction` key (the shipped one and a
    service's own), the first scale question (`beacon/voice/shipped.py` puts it first; a
    service's version may add more scale questions after it, and those are not counted).
    Each response once: responses, share scoring 10, share scoring 8 or more. None under
    a team filter: most responses are anonymous.

    Source: issue #16 (the shipped standard survey) and #17."""
    if scope.team is not None:
        return None
    overall = (
        Question.objects.filter(survey=OuterRef("question__survey"), kind=QuestionKind.SCALE)
        .order_by("order", "id")
        .values("pk")[:1]
    )
    answers = Answer.objects.filter(
        question__survey__key=STANDARD_SATISFACTION,
        question_id=Subquery(overall),
        number__isnull=False,
        response__provider=scope.provider,
        response__date__gte=scope.start,
        response__date__lte=scope.end,
    )
    if scope.site is not None:
        answers = answers.filter(response__site=scope.site)
    counts = answers.aggregate(
        responses=Count("response", distinct=True),
        tens=Count("response", distinct=True, filter=Q(number=10)),
        eights=Count("response", distinct=True, filter=Q(number__gte=8)),
    )
    return Figures(
        {
            "responses": counts["responses"],
            "share_10": share(counts["tens"], counts["responses"]),
            "share_8_plus": share(counts["eights"], counts["responses"]),
        },
        rates={
            "share_10": (counts["tens"], counts["responses"]),
            "share_8_plus": (counts["eights"], counts["responses"]),
        },
    )


def attendance(scope: Scope) -> dict[str, Any]:
    """Booked appointments that began in the period (`contacts.selectors.
    attendance_appointments`: cancellations by the service are not counted as booked):
    booked, attended, the rate attended ÷ booked, and DNAs.

    Source: issue #12 and #17."""
    counts = scope.narrowed(
        attendance_appointments(provider=scope.provider, first=scope.start, last=scope.end)
    ).aggregate(
        booked=Count("pk"),
        attended=Count("pk", filter=Q(outcome=AppointmentOutcome.ATTENDED)),
        dna=Count("pk", filter=Q(outcome=AppointmentOutcome.DNA)),
    )
    return Figures(
        {
            "booked": counts["booked"],
            "attended": counts["attended"],
            "rate": share(counts["attended"], counts["booked"]),
            "dna": counts["dna"],
        },
        rates={"rate": (counts["attended"], counts["booked"])},
    )


# The instalments `ost` counts: days missed, whatever the outcome, and deliveries made and
# missed. Most instalments were collected with no day missed (a year of them at national
# scale is a million rows); an index on prescribing's Instalment has this very condition.
OST_COUNTED = Q(days_missed__gt=0) | Q(
    outcome__in=(Instalment.Outcome.DELIVERED, Instalment.Outcome.MISSED)
)
# The prescriptions whose instalments go by home delivery (a twentieth of them); an index
# on prescribing's Prescription has this very condition.
HOME_DELIVERY = Q(home_delivery=True)


def ost(scope: Scope) -> dict[str, Any]:
    """Opioid substitution: clients with a prescription current on the period's last day,
    the share of them with supervised consumption on it; in the period, doses missed
    (days of instalments not supplied) at a pharmacy and on home delivery, and home
    deliveries made (delivered) and missed.

    Source: issue #8, #14 and #17."""
    current = scope.narrowed(Prescription.objects.filter(provider=scope.provider)).current(
        on=scope.end
    )
    on_ost = current.aggregate(
        clients=Count("client", distinct=True),
        supervised=Count("client", distinct=True, filter=~Q(supervised_days="")),
    )
    # Missed home deliveries are told from missed collections by the provider's
    # home-delivery prescriptions (`HOME_DELIVERY`, read through its index), not by joining
    # every counted instalment to its prescription; a prescription is one or the other, so
    # the pharmacy's days are the rest. An instalment is its prescription's provider's, as
    # every writer of one copies it (prescribing.services, synth, the import).
    home = Q(
        prescription_id__in=Prescription.objects.filter(HOME_DELIVERY, provider=scope.provider)
        .order_by()
        .values("pk")
    )
    instalments = scope.narrowed(
        Instalment.objects.filter(
            provider=scope.provider, date__gte=scope.start, date__lte=scope.end
        )
        # Only the instalments these figures count.
        .filter(OST_COUNTED),
        "prescription__client",
    ).aggregate(
        missed=Sum("days_missed"),
        missed_home=Sum("days_missed", filter=home),
        delivered=Count("pk", filter=Q(outcome=Instalment.Outcome.DELIVERED)),
        delivery_missed=Count("pk", filter=home & Q(outcome=Instalment.Outcome.MISSED)),
    )
    missed_home = instalments["missed_home"] or 0
    return Figures(
        {
            "clients_on_ost": on_ost["clients"],
            "supervised_share": share(on_ost["supervised"], on_ost["clients"]),
            "missed_doses_pharmacy": (instalments["missed"] or 0) - missed_home,
            "missed_doses_home_delivery": missed_home,
            "home_deliveries_made": instalments["delivered"],
            "home_deliveries_missed": instalments["delivery_missed"],
        },
        rates={"supervised_share": (on_ost["supervised"], on_ost["clients"])},
    )


OUTREACH_KEYS = (
    "volunteer_contacts",
    "naloxone_by_volunteers",
    "referrals_made",
    "referrals_with_outcome",
)


def outreach(scope: Scope) -> dict[str, Any] | None:
    """Peer volunteers' outreach: contacts, naloxone kits they supplied, referrals they
    made and those followed to an outcome (`volunteers.selectors.outreach_figures`).
    None until the volunteers app provides that selector: unavailable, never 0.

    Source: issue #15 and #17."""
    try:
        from beacon.volunteers.selectors import outreach_figures  # type: ignore[attr-defined]
    except ImportError:
        return None
    figures = outreach_figures(
        provider=scope.provider, start=scope.start, end=scope.end, site=scope.site, team=scope.team
    )
    return {key: figures[key] for key in OUTREACH_KEYS}


# Everything at once ------------------------------------------------------------------------

KPIS = {
    "new_presentations": new_presentations,
    "in_treatment": in_treatment,
    "successful_completions": successful_completions,
    "representations_6m": representations_6m,
    "days_to_first_prescription": days_to_first_prescription,
    "naloxone": naloxone,
    "nsp": nsp,
    "satisfaction": satisfaction,
    "attendance": attendance,
    "ost": ost,
    "outreach": outreach,
}


def kpis_for_period(
    *,
    provider: Provider,
    start: datetime.date,
    end: datetime.date,
    site: Site | None = None,
    team: Team | None = None,
) -> dict[str, Any]:
    """Every KPI for the period: the API's "kpis" object, one key per KPI."""
    scope = Scope(provider=provider, start=start, end=end, site=site, team=team)
    return {name: kpi(scope) for name, kpi in KPIS.items()}
