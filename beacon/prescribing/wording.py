"""The Home Office approved wording for instalment prescribing (Home Office Circular
027/2015, 9 November 2015), from which a prescriber chooses the phrases a prescription uses.

The phrases can be combined to express the prescriber's intention; a prescription stores
the exact text chosen (`Prescription.instalment_wording`), so what was printed stays what
was prescribed even if this list changes. Text as quoted by NHS Greater Glasgow and Clyde
and Numark (reference §3 and §9) [UK-secondary, quoting the UK-primary circular].
"""

from django.db import models


class ApprovedWording(models.TextChoices):
    CLOSED_DAYS = (
        "closed_days",
        "Please dispense instalments due on pharmacy closed days on a prior suitable day.",
    )
    MISSED_COLLECTION = (
        "missed_collection",
        "If an instalment's collection day has been missed, please still dispense the amount "
        "due for any remaining day(s) of that instalment.",
    )
    CONSULT_AFTER_3_DAYS = (
        "consult_after_3_days",
        "Consult the prescriber if 3 or more consecutive days of a prescription have been missed.",
    )
    SUPERVISE_ON_COLLECTION = "supervise", "Supervise consumption on collection days."
    SEPARATE_CONTAINERS = "separate_containers", "Dispense daily doses in separate containers."


# Chosen unless the prescriber chooses otherwise: the missed-dose safeguards (H-04, H-05).
DEFAULT_WORDING = [ApprovedWording.MISSED_COLLECTION, ApprovedWording.CONSULT_AFTER_3_DAYS]


def wording_text(codes: list[str]) -> str:
    """The exact phrases of `codes`, one a line, in the circular's order."""
    chosen = set(codes)
    return "\n".join(w.label for w in ApprovedWording if w.value in chosen)


def wording_lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]
