"""The NDTMS monthly return's records and their validation: which journeys it holds, the
Beacon value of every item, each row as the dataset version writes it, and each record's
missing or invalid items with the page that fixes them.

Rows are read with `.iterator()` in chunks (their modalities and care plans prefetched a
chunk at a time), so memory stays flat however many clients there are (ADR 0009).
"""

import calendar
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from beacon.clients.codes import UNMAPPED, NdtmsConsent
from beacon.core.models import Provider
from beacon.harmreduction.codes import (
    BBV_NDTMS_MAPPINGS,
    SCHEDULE_DAYS,
    HepatitisBOffer,
    HepatitisBSchedule,
    Virus,
    hepatitis_b_vaccination_count,
    hepatitis_c_positive_code,
)
from beacon.harmreduction.models import BloodBorneVirusTest, HepatitisBCourse, HepatitisBDose
from beacon.reporting.datasets import (
    ASSESSMENT,
    BBV,
    CLIENT,
    EPISODE,
    MODALITY,
    PROVIDER,
    REFERRAL,
    TOP,
    TRIAGE,
    DatasetVersion,
    Item,
)
from beacon.treatment.codes import NDTMS_MAPPINGS, DischargeReason
from beacon.treatment.models import (
    Modality,
    RecoveryPlan,
    Referral,
    TreatmentEpisode,
    TreatmentOutcomesProfile,
)

CHUNK = 500
# Every Beacon list's NDTMS codes: the journey's and the client's (treatment.codes), and
# the blood-borne virus work's (harmreduction.codes), each defined once there.
MAPPINGS: dict[Any, Any] = {**NDTMS_MAPPINGS, **BBV_NDTMS_MAPPINGS}
CLOSED = Referral.Status.CLOSED


def month_period(month: str) -> tuple[datetime.date, datetime.date]:
    """The first and last days of a month written YYYY-MM; ValueError when it is not one."""
    year, _, number = month.partition("-")
    if not (len(year) == 4 and len(number) == 2 and year.isdigit() and number.isdigit()):
        raise ValueError(f"{month!r} is not a month written YYYY-MM, for example 2026-10")
    first = datetime.date(int(year), int(number), 1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def return_journeys(
    *, provider: Provider, first: datetime.date, last: datetime.date
) -> QuerySet[Referral]:
    """The journeys (referrals) a return for first..last holds: referred by its end, and
    not over before it began (an episode discharged before it, or a referral closed
    without treatment before it). A referral closes without treatment at its triage, so
    one referred in an earlier month and closed at a triage in this one is in this
    month's return (H-243)."""
    closed_in_or_after = Q(referral_date__gte=first) | Q(triage__triage_date__gte=first)
    # "No discharge date" is read of an episode that exists: a referral with no episode
    # has none either, and must not pass for an open one (every closed referral did).
    not_treated = Q(episode__isnull=True) & (~Q(status=CLOSED) | closed_in_or_after)
    treated = Q(episode__isnull=False) & (
        Q(episode__discharge_date__isnull=True) | Q(episode__discharge_date__gte=first)
    )
    live = not_treated | treated
    return Referral.objects.filter(provider=provider, referral_date__lte=last).filter(live)


def _rows_queryset(journeys: QuerySet[Referral], *, last: datetime.date) -> QuerySet[Referral]:
    """The journeys with what their rows read, as it stood at the month's end `last`: the
    episode's interventions, care plans and latest TOPs, the client's hepatitis C tests
    and hepatitis B courses (with their doses), and whether Beacon holds an earlier
    treatment of the client (PREVTR). Each prefetch is one query a chunk (ADR 0009)."""
    earlier_treatment = TreatmentEpisode.objects.filter(
        client_id=OuterRef("client_id"), start_date__lt=OuterRef("referral_date")
    ).exclude(referral_id=OuterRef("pk"))
    return (
        journeys.select_related("client", "triage", "assessment", "episode", "provider")
        .annotate(treated_before=Exists(earlier_treatment))
        .prefetch_related(
            Prefetch(
                "episode__modalities", queryset=Modality.objects.order_by("referred_date", "id")
            ),
            Prefetch(
                "episode__recovery_plans",
                queryset=RecoveryPlan.objects.order_by("agreed_on", "id").only(
                    "id", "episode_id", "agreed_on"
                ),
            ),
            Prefetch(
                "episode__tops",
                queryset=TreatmentOutcomesProfile.objects.filter(completed_on__lte=last).order_by(
                    "-completed_on", "-id"
                ),
                to_attr="return_tops",
            ),
            Prefetch(
                "client__bbv_tests",
                queryset=BloodBorneVirusTest.objects.filter(
                    virus=Virus.HEPATITIS_C, offered_on__lte=last
                ).order_by("-offered_on", "-id"),
                to_attr="return_hep_c_tests",
            ),
            Prefetch(
                "client__hepatitis_b",
                queryset=HepatitisBCourse.objects.filter(offered_on__lte=last)
                .order_by("-offered_on", "-id")
                .prefetch_related(
                    Prefetch(
                        "doses",
                        queryset=HepatitisBDose.objects.filter(given_on__lte=last),
                        to_attr="return_doses",
                    )
                ),
                to_attr="return_hep_b_courses",
            ),
        )
        .order_by("pk")
    )


def _related(record: Any, name: str) -> Any:
    """A one-to-one's record, or None when there is none yet."""
    return getattr(record, name, None)


def _assessment(journey: Referral, name: str) -> Any:
    """An assessment's answer; None (never asked) when there is no assessment yet, so that
    "no second substance" is sent only when an assessment says so."""
    assessment = _related(journey, "assessment")
    return getattr(assessment, name) if assessment is not None else None


def _episode(journey: Referral, name: str) -> Any:
    episode = _related(journey, "episode")
    return getattr(episode, name) if episode is not None else None


def _care_plan_date(journey: Referral) -> datetime.date | None:
    episode = _related(journey, "episode")
    plans = list(episode.recovery_plans.all()) if episode is not None else []
    return plans[0].agreed_on if plans else None


def _latest_top(journey: Referral) -> TreatmentOutcomesProfile | None:
    """The episode's latest TOP completed by the month's end, or None."""
    episode = _related(journey, "episode")
    tops = getattr(episode, "return_tops", []) if episode is not None else []
    return tops[0] if tops else None


def _top(name: str) -> "Value":
    """A TOP answer of the latest TOP; None (sent empty) when not disclosed or no TOP."""

    def value(journey: Referral, modality: Modality | None) -> Any:
        top = _latest_top(journey)
        return getattr(top, name) if top is not None else None

    return value


def _injected(journey: Referral, modality: Modality | None) -> bool | None:
    """INJECT (injected in the past 28 days): read from the TOP's injecting days."""
    days = _top("injecting_days")(journey, modality)
    return None if days is None else days > 0


def _hep_c(journey: Referral) -> BloodBorneVirusTest | None:
    tests = getattr(journey.client, "return_hep_c_tests", [])
    return tests[0] if tests else None


def _hep_c_tested_on(journey: Referral) -> datetime.date | None:
    tested = [t.tested_on for t in getattr(journey.client, "return_hep_c_tests", []) if t.tested_on]
    return max(tested) if tested else None


def _hep_c_positive(journey: Referral) -> str | None:
    """HEPCPOS of the latest hepatitis C result back by the month's end."""
    for test in getattr(journey.client, "return_hep_c_tests", []):
        if test.result:
            return hepatitis_c_positive_code(test.virus, test.result)
    return None


def _hep_b(journey: Referral) -> HepatitisBCourse | None:
    courses = getattr(journey.client, "return_hep_b_courses", [])
    return courses[0] if courses else None


def _hep_b_vaccinations(journey: Referral) -> str | None:
    """HEPBVAC: the doses of the latest accepted course given by the month's end."""
    course = _hep_b(journey)
    if course is None or course.offer != HepatitisBOffer.ACCEPTED:
        return None
    doses = len(course.return_doses)  # type: ignore[attr-defined]  # the prefetch's to_attr
    schedule = SCHEDULE_DAYS.get(HepatitisBSchedule(course.schedule)) if course.schedule else None
    completed = schedule is not None and doses >= len(schedule)
    return hepatitis_b_vaccination_count(doses, completed=completed) or None


def _postcode(journey: Referral) -> str:
    return "" if journey.client.no_fixed_abode else journey.client.postcode


Value = Callable[[Referral, Modality | None], Any]

# Each Beacon value an item may carry (datasets.Item.value), read from a journey and, for
# the modality items, the one modality its row is for.
VALUES: dict[str, Value] = {
    "first_initial": lambda j, m: j.client.first_name[:1].upper(),
    "last_initial": lambda j, m: j.client.last_name[:1].upper(),
    "date_of_birth": lambda j, m: j.client.date_of_birth,
    "sex": lambda j, m: j.client.sex,
    "ethnicity": lambda j, m: j.client.ethnicity,
    "referral_date": lambda j, m: j.referral_date,
    "agency": lambda j, m: j.provider.ndtms_agency_code,
    "client_number": lambda j, m: j.client.client_number,
    "journey_id": lambda j, m: j.pk,
    "postcode": lambda j, m: _postcode(j),
    "gp_practice_code": lambda j, m: j.client.gp_practice_code,
    # The risk flag records "pregnant"; unflagged is not "not pregnant" (H-225).
    "pregnant": lambda j, m: True if j.client.pregnant else None,
    "housing_need": lambda j, m: _assessment(j, "housing_need"),
    "parental_status": lambda j, m: _assessment(j, "parental_status"),
    "employment_status": lambda j, m: _assessment(j, "employment_status"),
    "drug1": lambda j, m: _assessment(j, "primary_substance"),
    "drug1_age": lambda j, m: _assessment(j, "primary_age_first_use"),
    "drug1_route": lambda j, m: _assessment(j, "primary_route"),
    "drug2": lambda j, m: _assessment(j, "secondary_substance"),
    "drug3": lambda j, m: _assessment(j, "tertiary_substance"),
    "injecting_status": lambda j, m: _assessment(j, "injecting_status"),
    "drinking_days": lambda j, m: _assessment(j, "drinking_days"),
    "alcohol_units": lambda j, m: _assessment(j, "alcohol_units_typical_day"),
    "referral_source": lambda j, m: j.source,
    "triage_date": lambda j, m: getattr(_related(j, "triage"), "triage_date", None),
    "care_plan_date": lambda j, m: _care_plan_date(j),
    "discharge_date": lambda j, m: _episode(j, "discharge_date"),
    "discharge_reason": lambda j, m: _episode(j, "discharge_reason"),
    "modality_type": lambda j, m: m.modality_type if m else None,
    "modality_referred_date": lambda j, m: m.referred_date if m else None,
    "modality_setting": lambda j, m: m.setting if m else None,
    "modality_id": lambda j, m: m.pk if m else None,
    "modality_first_offered": lambda j, m: m.first_appointment_offered if m else None,
    "modality_start": lambda j, m: m.start_date if m else None,
    "modality_end": lambda j, m: m.end_date if m else None,
    "modality_exit": lambda j, m: m.exit_reason if m else None,
    "ndtms_consent": lambda j, m: j.client.ndtms_consent,
    # Y when Beacon holds an earlier treatment; not known otherwise (treatment elsewhere,
    # or before Beacon, is not recorded): never a "no" it cannot know (H-225).
    "previously_treated": lambda j, m: True if getattr(j, "treated_before", False) else None,
    "hep_c_status": lambda j, m: getattr(_hep_c(j), "offer", None),
    "hep_c_tested_on": lambda j, m: _hep_c_tested_on(j),
    # 99 is the only HEPCTD code known ("not asked", §3.4): sent when Beacon holds no
    # hepatitis C offer; once one is held, the code for it is unknown and it is sent empty.
    "hep_c_not_asked": lambda j, m: None if _hep_c(j) else "99",
    "hep_c_positive": lambda j, m: _hep_c_positive(j),
    "hep_b_status": lambda j, m: getattr(_hep_b(j), "offer", None),
    "hep_b_vaccinations": lambda j, m: _hep_b_vaccinations(j),
    "top_date": lambda j, m: getattr(_latest_top(j), "completed_on", None),
    "top_id": lambda j, m: getattr(_latest_top(j), "pk", None),
    "top_stage": lambda j, m: getattr(_latest_top(j), "stage", None),
    **{
        key: _top(field)
        for key, field in {
            "top_alcohol_days": "alcohol_days",
            "top_opiate_days": "opiate_days",
            "top_crack_days": "crack_days",
            "top_cocaine_days": "cocaine_days",
            "top_amphetamine_days": "amphetamine_days",
            "top_cannabis_days": "cannabis_days",
            "top_other_drug_days": "other_drug_days",
            "top_injecting_days": "injecting_days",
            "top_shared_equipment": "shared_equipment",
            "top_shop_theft_days": "shop_theft_days",
            "top_drug_selling_days": "drug_selling_days",
            "top_other_theft_days": "other_theft_days",
            "top_assault_days": "assault_days",
            "top_psychological_health": "psychological_health",
            "top_paid_work_days": "paid_work_days",
            "top_education_days": "education_days",
            "top_acute_housing_problem": "acute_housing_problem",
            "top_at_risk_of_eviction": "at_risk_of_eviction",
            "top_physical_health": "physical_health",
            "top_quality_of_life": "quality_of_life",
        }.items()
    },
    "top_injected": _injected,
}


def _age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


Check = Callable[[Any, Referral], str]

# The extra rules of an item (datasets.Item.checks): each gives why a present value is
# invalid, or "" (Canary's pre-export checks, §3.1-3.2).
CHECKS: dict[str, Check] = {
    "born_after_1902": lambda born, j: (
        "" if born.year > 1902 else "the year of birth is 1902 or before"
    ),
    "adult_at_referral": lambda born, j: (
        ""
        if _age_on(born, j.referral_date) >= 18
        else "the client was under 18 when referred: this is the adult dataset"
    ),
    "not_before_referral": lambda day, j: (
        "" if day >= j.referral_date else "the triage date is before the referral date"
    ),
}


def _empty(raw: Any) -> bool:
    return raw is None or raw == ""


def _code_of(code_list: Any, raw: Any) -> Any:
    try:
        member = code_list(raw)
    except ValueError:
        return UNMAPPED
    return MAPPINGS[code_list].codes.get(member, UNMAPPED)


def _code(item: Item, raw: Any) -> Any:
    assert item.code_list is not None
    return _code_of(item.code_list, raw)


def item_cell(item: Item, raw: Any, version: DatasetVersion) -> str:
    """How the version writes one item's Beacon value."""
    if item.fixed:
        return item.fixed
    if not item.value or _empty(raw):
        # "" is an answer of "none" on a record that exists; None was never asked.
        return item.when_empty if raw == "" and item.when_empty else version.empty
    if item.code_list is not None:
        code = _code(item, raw)
        return version.empty if code is UNMAPPED else str(code)
    if isinstance(raw, bool):
        return "Y" if raw else "N"
    if isinstance(raw, datetime.date):
        return raw.strftime(version.date_format)
    return str(raw)


def item_problem(item: Item, raw: Any, journey: Referral) -> str:
    """Why an item's value cannot be sent as it is, or ""."""
    if not item.value or item.fixed:
        return ""
    if _empty(raw):
        return (item.missing or "missing: NDTMS requires it") if item.required else ""
    if item.code_list is not None and _code(item, raw) is UNMAPPED:
        label = dict(item.code_list.choices).get(raw, raw)
        return f"“{label}” has no NDTMS code in this dataset version"
    for check in item.checks:
        why = CHECKS[check](raw, journey)
        if why:
            return why
    return ""


def _row_modalities(journey: Referral) -> list[Modality | None]:
    if _consent_refused(journey):
        return [None]
    episode = _related(journey, "episode")
    modalities = list(episode.modalities.all()) if episode is not None else []
    return modalities or [None]


def _raw_values(journey: Referral, modality: Modality | None, version: DatasetVersion) -> dict:
    return {
        item.name: VALUES[item.value](journey, modality) for item in version.items if item.value
    }


def _consent_refused(journey: Referral) -> bool:
    return journey.client.ndtms_consent == NdtmsConsent.REFUSED


def journey_rows(journey: Referral, version: DatasetVersion) -> Iterator[list[str]]:
    """A journey's rows: one per modality (MODID tells them apart; Canary sends one), or
    one without modality items before any modality. A client who does not agree to NDTMS
    gives one row with only the version's consent items, every other item blank (H-241)."""
    if _consent_refused(journey):
        raw = _raw_values(journey, None, version)
        yield [
            item_cell(item, raw.get(item.name), version)
            if item.name in version.without_consent
            else version.blank
            for item in version.items
        ]
        return
    for modality in _row_modalities(journey):
        raw = _raw_values(journey, modality, version)
        yield [item_cell(item, raw.get(item.name), version) for item in version.items]


Progress = Callable[[Iterator[Referral]], Iterator[Referral]]


def return_rows(
    *,
    provider: Provider,
    first: datetime.date,
    last: datetime.date,
    version: DatasetVersion,
    progress: Progress | None = None,
) -> Iterator[list[str]]:
    """Every row of the return, streamed from the database a chunk at a time; `progress`
    wraps the journeys (the command's progress bar)."""
    journeys = _rows_queryset(return_journeys(provider=provider, first=first, last=last), last=last)
    iterator = journeys.iterator(chunk_size=CHUNK)
    for journey in progress(iterator) if progress else iterator:
        yield from journey_rows(journey, version)


ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Issue:
    """One item of one journey that cannot be sent as it is, and where to fix it. An error
    stops the return being submitted (H-241, H-244); a warning is sent as it is, and said."""

    client_number: str
    client_name: str
    journey_id: int
    item: str
    why: str
    fix_url: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def fix_link(fix: str, journey: Referral, modality: Modality | None) -> str:
    """The page that fixes an item of this journey (the journey page when none better)."""
    client_number = journey.client.client_number
    triage, assessment, episode = (
        _related(journey, "triage"),
        _related(journey, "assessment"),
        _related(journey, "episode"),
    )
    if fix == CLIENT:
        return reverse("clients:edit", args=[client_number])
    if fix == REFERRAL:
        return reverse("treatment:referral_edit", args=[journey.pk])
    if fix == TRIAGE:
        return reverse("treatment:triage_edit" if triage else "treatment:triage", args=[journey.pk])
    if fix == ASSESSMENT:
        name = "treatment:assessment_edit" if assessment else "treatment:assessment"
        return reverse(name, args=[journey.pk])
    if fix == EPISODE and episode is not None:
        return reverse("treatment:episode_edit", args=[episode.pk])
    if fix == MODALITY and modality is not None:
        return reverse("treatment:modality_edit", args=[modality.pk])
    if fix == BBV:
        return reverse("harmreduction:client_bbv", args=[client_number])
    if fix == TOP:
        top = _latest_top(journey)
        if top is not None:
            return reverse("treatment:top_edit", args=[top.pk])
        return reverse("treatment:tops", args=[client_number])
    if fix == PROVIDER:
        return reverse("admin:core_provider_change", args=[journey.provider_id])
    return reverse("treatment:journey", args=[client_number])


Problem = tuple[str, str, str]  # (item, why, the record that fixes it)


def _date_text(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def _discharge_pairs(raw: dict, journey: Referral, modality: Modality | None) -> list[Problem]:
    """DISD and DISRSN are sent together or not at all (a reason with no code counts as
    not sent: the file would hold a date alone)."""
    if "DISD" not in raw or "DISRSN" not in raw:
        return []
    date, reason = raw["DISD"], raw["DISRSN"]
    reason_sent = not _empty(reason) and _code_of(DischargeReason, reason) is not UNMAPPED
    if not _empty(date) and _empty(reason):
        return [("DISRSN", "a discharge date with no discharge reason", EPISODE)]
    if _empty(date) and reason_sent:
        return [("DISD", "a discharge reason with no discharge date", EPISODE)]
    return []


def _modality_in_journey(raw: dict, journey: Referral, modality: Modality | None) -> list[Problem]:
    """An intervention starts on or after it was referred and ends on or after it started,
    and neither starts nor ends after the journey's discharge."""
    if modality is None:
        return []
    found: list[Problem] = []
    start, end, discharged = modality.start_date, modality.end_date, raw.get("DISD")
    if start and end and end < start:
        found.append(("MODEND", "the intervention ends before it starts", MODALITY))
    if discharged and start and start > discharged:
        why = f"the intervention starts after the discharge ({_date_text(discharged)})"
        found.append(("MODST", why, MODALITY))
    if discharged and end and end > discharged:
        why = f"the intervention ends after the discharge ({_date_text(discharged)})"
        found.append(("MODEND", why, MODALITY))
    if discharged and start and not end:
        why = f"the journey was discharged ({_date_text(discharged)}): the intervention has no end"
        found.append(("MODEND", why, MODALITY))
    return found


def _referral_first(raw: dict, journey: Referral, modality: Modality | None) -> list[Problem]:
    """The referral comes first: not after its triage (the TRIAGED check) or assessment."""
    assessment = _related(journey, "assessment")
    if assessment is not None and assessment.assessment_date < journey.referral_date:
        assessed = _date_text(assessment.assessment_date)
        return [("REFLD", f"the referral date is after the assessment ({assessed})", REFERRAL)]
    return []


def _no_future_dates(raw: dict, journey: Referral, modality: Modality | None) -> list[Problem]:
    today = timezone.localdate()
    return [
        (name, f"the date {_date_text(value)} is in the future", "")
        for name, value in raw.items()
        if isinstance(value, datetime.date) and value > today
    ]


def _closed_at_triage(raw: dict, journey: Referral, modality: Modality | None) -> list[Problem]:
    """A journey closed at triage has no discharge in Beacon, and no discharge reason for
    it has a known code: it is sent without DISD and DISRSN, and said (H-248)."""
    triage = _related(journey, "triage")
    if journey.status != CLOSED or triage is None or _related(journey, "episode") is not None:
        return []
    why = (
        f"closed at triage on {_date_text(triage.triage_date)} "
        f"({triage.get_outcome_display().lower()}): Beacon holds no NDTMS discharge reason "
        "for a journey closed without treatment, so DISD and DISRSN are sent empty"
    )
    return [("DISD", why, TRIAGE)]


CrossCheck = Callable[[dict, Referral, Modality | None], list[Problem]]

# Rules across a row's items (datasets.DatasetVersion.cross_checks names them). A problem's
# fix "" means the item's own record (datasets.Item.fix).
CROSS_CHECKS: dict[str, CrossCheck] = {
    "discharge_date_and_reason_together": _discharge_pairs,
    "interventions_within_the_journey": _modality_in_journey,
    "referral_before_triage_and_assessment": _referral_first,
    "no_future_dates": _no_future_dates,
}
# Rules whose findings are sent as they are, and said (DatasetVersion.record_warnings).
RECORD_WARNINGS: dict[str, CrossCheck] = {"closed_at_triage": _closed_at_triage}


def _row_problems(
    journey: Referral, modality: Modality | None, version: DatasetVersion
) -> Iterator[tuple[Item, str, str, str]]:
    """(item, why, fix, severity) of each problem of one row: its items, the rules across
    them, then what is sent as it is but said."""
    raw = _raw_values(journey, modality, version)
    items = {item.name: item for item in version.items}
    refused = _consent_refused(journey)
    for item in version.items:
        if refused and item.name not in version.without_consent:
            continue  # not sent: nothing of it to fix
        why = item_problem(item, raw.get(item.name), journey)
        if why:
            yield item, why, item.fix, ERROR
    if refused:
        return
    for rules, severity in (
        ((CROSS_CHECKS[name] for name in version.cross_checks), ERROR),
        ((RECORD_WARNINGS[name] for name in version.record_warnings), WARNING),
    ):
        for rule in rules:
            for item_name, why, fix in rule(raw, journey, modality):
                if item_name in items:
                    yield items[item_name], why, fix or items[item_name].fix, severity


def journey_issues(journey: Referral, version: DatasetVersion) -> list[Issue]:
    """A journey's missing and invalid items, each once (its rows share client items)."""
    found: dict[tuple[str, str], Issue] = {}
    for modality in _row_modalities(journey):
        for item, why, fix, severity in _row_problems(journey, modality, version):
            if (item.name, why) not in found:
                found[(item.name, why)] = Issue(
                    client_number=journey.client.client_number,
                    client_name=journey.client.full_name,
                    journey_id=journey.pk,
                    item=item.name,
                    why=why,
                    fix_url=fix_link(fix, journey, modality),
                    severity=severity,
                )
    return list(found.values())


def return_issues(
    *, provider: Provider, first: datetime.date, last: datetime.date, version: DatasetVersion
) -> Iterator[Issue]:
    """Every missing or invalid item of the return's records, journey by journey."""
    journeys = _rows_queryset(return_journeys(provider=provider, first=first, last=last), last=last)
    for journey in journeys.iterator(chunk_size=CHUNK):
        yield from journey_issues(journey, version)


@dataclass
class IssueCounts:
    """How many errors and warnings a return's records have."""

    errors: int = 0
    warnings: int = 0

    @property
    def total(self) -> int:
        return self.errors + self.warnings


def return_issue_counts(
    *, provider: Provider, first: datetime.date, last: datetime.date, version: DatasetVersion
) -> IssueCounts:
    """The errors and warnings of the return, counted as they are read (none held)."""
    counts = IssueCounts()
    for issue in return_issues(provider=provider, first=first, last=last, version=version):
        if issue.is_error:
            counts.errors += 1
        else:
            counts.warnings += 1
    return counts


class IssuePages:
    """The return's issues as a sequence `Paginator` can page without holding them all: one
    pass over the journeys counts every issue and keeps only the slice of the page asked
    for (ADR 0009: memory holds a page, not the month)."""

    def __init__(
        self,
        *,
        provider: Provider,
        first: datetime.date,
        last: datetime.date,
        version: DatasetVersion,
        per_page: int,
        page: int,
    ) -> None:
        self._provider, self._first, self._last, self._version = provider, first, last, version
        self._wanted = slice((page - 1) * per_page, page * per_page)
        self.counts = IssueCounts()
        self._kept: list[Issue] = []
        self._read(self._wanted)

    def _read(self, wanted: slice) -> None:
        counts, kept = IssueCounts(), []
        issues = return_issues(
            provider=self._provider, first=self._first, last=self._last, version=self._version
        )
        for index, issue in enumerate(issues):
            if issue.is_error:
                counts.errors += 1
            else:
                counts.warnings += 1
            if wanted.start <= index < wanted.stop:
                kept.append(issue)
        self.counts, self._kept, self._wanted = counts, kept, wanted

    def count(self) -> int:
        return self.counts.total

    def __len__(self) -> int:
        return self.counts.total

    def __getitem__(self, wanted: slice) -> list[Issue]:
        start, stop = wanted.start or 0, wanted.stop
        if start != self._wanted.start or stop > self._wanted.stop:
            # Another page than the one asked for (past the last: the paginator's last).
            self._read(slice(start, stop))
        return self._kept[: stop - start]


def version_gaps(version: DatasetVersion) -> list[tuple[str, str]]:
    """(item, why) for what no record can fix: items Beacon records nothing for yet, and
    Beacon values whose NDTMS code is not known (treatment.codes.ndtms_unmapped_values)."""
    from beacon.treatment.codes import ndtms_unmapped_values

    sent = set(version.columns)
    gaps = [(name, why) for name, why in version.gaps.items() if name in sent]
    for item, _key, label in ndtms_unmapped_values():
        if any(name in sent for name in item.split("/")):
            gaps.append((item, f"“{label}” has no known NDTMS code"))
    return gaps
