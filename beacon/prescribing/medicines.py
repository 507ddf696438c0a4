"""The OST medicine list: each product by its dm+d name, form, strength and take-home rule.

A prescription names one of these by `code`; anything else is an unknown medicine. The
codes are Beacon's own (dm+d concept ids are not recorded here: they were not checked
against the dm+d browser). Prolonged-release buprenorphine is given by a healthcare
professional and is never a take-home supply (clinical rules reference, section 2b).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from beacon.core.presenters import quantity_text


class Substance(models.TextChoices):
    METHADONE = "methadone", "Methadone"
    BUPRENORPHINE = "buprenorphine", "Buprenorphine"


class Form(models.TextChoices):
    ORAL_SOLUTION = "oral_solution", "Oral solution"
    SUBLINGUAL_TABLET = "sublingual_tablet", "Sublingual tablet"
    PROLONGED_RELEASE_INJECTION = "prolonged_release_injection", "Prolonged-release injection"


@dataclass(frozen=True)
class Medicine:
    code: str
    name: str  # as dm+d names the product
    substance: str
    form: str
    strength: Decimal
    strength_unit: str  # "mg/ml" for a solution, "mg" a tablet or a syringe
    take_home_allowed: bool
    # Only injections: the days one injection lasts (weekly 7, monthly 28).
    injection_interval_days: int | None = None
    dose_unit: str = "mg"

    @property
    def is_injection(self) -> bool:
        return self.injection_interval_days is not None

    @property
    def strength_text(self) -> str:
        return quantity_text(self.strength, self.strength_unit)


def _methadone_solution(*, sugar_free: bool) -> Medicine:
    return Medicine(
        code="methadone-1mg-ml-oral-solution" + ("-sf" if sugar_free else ""),
        name="Methadone 1mg/ml oral solution" + (" sugar free" if sugar_free else ""),
        substance=Substance.METHADONE,
        form=Form.ORAL_SOLUTION,
        strength=Decimal(1),
        strength_unit="mg/ml",
        take_home_allowed=True,
    )


def _buprenorphine_tablet(mg: int) -> Medicine:
    return Medicine(
        code=f"buprenorphine-{mg}mg-sublingual-tablets",
        name=f"Buprenorphine {mg}mg sublingual tablets",
        substance=Substance.BUPRENORPHINE,
        form=Form.SUBLINGUAL_TABLET,
        strength=Decimal(mg),
        strength_unit="mg",
        take_home_allowed=True,
    )


def _buvidal(mg: int, ml: str, days: int) -> Medicine:
    return Medicine(
        code=f"buvidal-{mg}mg-{'weekly' if days == 7 else 'monthly'}",
        name=f"Buvidal {mg}mg/{ml}ml prolonged-release solution for injection pre-filled syringes",
        substance=Substance.BUPRENORPHINE,
        form=Form.PROLONGED_RELEASE_INJECTION,
        strength=Decimal(mg),
        strength_unit="mg",
        take_home_allowed=False,
        injection_interval_days=days,
    )


MEDICINES: dict[str, Medicine] = {
    m.code: m
    for m in [
        _methadone_solution(sugar_free=True),
        _methadone_solution(sugar_free=False),
        _buprenorphine_tablet(2),
        _buprenorphine_tablet(8),
        # Weekly and monthly strengths: reference section 2b (Camurus; NHS Borders for 160 mg).
        _buvidal(8, "0.16", 7),
        _buvidal(16, "0.32", 7),
        _buvidal(24, "0.48", 7),
        _buvidal(32, "0.64", 7),
        _buvidal(64, "0.18", 28),
        _buvidal(96, "0.27", 28),
        _buvidal(128, "0.36", 28),
        _buvidal(160, "0.45", 28),
    ]
}

MEDICINE_CHOICES = [(m.code, m.name) for m in MEDICINES.values()]


def medicine_get(code: str) -> Medicine | None:
    return MEDICINES.get(code)


def medicines_of(substance: str) -> list[Medicine]:
    return [m for m in MEDICINES.values() if m.substance == substance]


def weekday_names(days: str) -> str:
    """'012345' -> 'Monday, Tuesday, …'; supervised days are stored as weekday digits."""
    names = [datetime.date(2024, 1, 1 + int(d)).strftime("%A") for d in sorted(set(days))]
    return ", ".join(names) or "None"
