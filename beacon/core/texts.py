"""What a text to a client may say: default wordings, placeholders, and the words that would
tell a reader it comes from a drug and alcohol service (never in a text).

A text is read on a lock screen, by whoever holds the phone. NHS confidentiality guidance
and GOV.UK Notify's own (do not put sensitive personal information in a message) lead to
one rule: no wording names a service, medicine, clinic or treatment (hazard log H-91).
"""

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError

from beacon.core.models import TextPurpose

# Placeholders each purpose's wording may use, with what they are filled with.
PLACEHOLDERS: dict[str, dict[str, str]] = {
    TextPurpose.APPOINTMENT_REMINDER: {
        "staff_first_name": "first name of the member of staff, e.g. Kai",
        "day": "when, e.g. tomorrow or on Friday 4 June",
        "time": "the time, e.g. 10:30",
        "place": "where, e.g. Harbour Street",
        "service_phone": "the phone number below",
    },
    TextPurpose.DELIVERY_WINDOW: {
        "window_start": "start of the delivery window, e.g. 10:00",
        "window_end": "end of the delivery window, e.g. 12:00",
        "service_phone": "the phone number below",
    },
    TextPurpose.SURVEY_LINK: {
        "link": "the survey's one-time address, e.g. https://…/voice/answer/…",
        "service_phone": "the phone number below",
    },
}

DEFAULT_WORDING: dict[str, str] = {
    TextPurpose.APPOINTMENT_REMINDER: (
        "Reminder: appointment with {staff_first_name} {day} at {time}, {place}. "
        "Reply or call {service_phone} to change."
    ),
    TextPurpose.DELIVERY_WINDOW: (
        "Your delivery is due today between {window_start} and {window_end}. "
        "Reply or call {service_phone} if you will not be in."
    ),
    TextPurpose.SURVEY_LINK: (
        "How did your deliveries go? Tell us in two minutes, without giving your name: "
        "{link} Call {service_phone} with any questions."
    ),
}

# Words that would tell a reader the text is from a drug and alcohol service, matched as
# whole words, any case, with a plural "s" or "es".
CLINICAL_WORDS = (
    "addiction",
    "alcohol",
    "buprenorphine",
    "buvidal",
    "chemist",
    "clinic",
    "clinical",
    "detox",
    "dose",
    "drug",
    "espranor",
    "heroin",
    "keyworker",
    "medication",
    "medicine",
    "methadone",
    "naloxone",
    "needle",
    "opiate",
    "opioid",
    "OST",
    "pharmacy",
    "prescription",
    "recovery",
    "rehab",
    "script",
    "subutex",
    "substance",
    "syringe",
    "treatment",
)
_CLINICAL_RE = re.compile(
    r"\b(" + "|".join(re.escape(word) for word in CLINICAL_WORDS) + r")(?:e?s)?\b", re.IGNORECASE
)
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
_MOBILE_RE = re.compile(r"^07\d{9}$")


def clinical_words_in(text: str, *, provider_name: str = "") -> list[str]:
    """The words of `text` a text may not contain, in order, once each; the provider's own
    name counts as one."""
    found = [match.group(0) for match in _CLINICAL_RE.finditer(text)]
    if provider_name and provider_name.casefold() in text.casefold():
        found.append(provider_name)
    return list(dict.fromkeys(found))


def wording_check(body: str, *, purpose: str, provider_name: str = "") -> None:
    """Refuse a wording with a clinical word, an unknown placeholder or stray braces."""
    words = clinical_words_in(body, provider_name=provider_name)
    if words:
        raise ValidationError(
            {
                "body": "A text must not say what the service is. Take out: "
                + ", ".join(f"“{word}”" for word in words)
            }
        )
    allowed = PLACEHOLDERS[purpose]
    unknown = [name for name in _PLACEHOLDER_RE.findall(body) if name not in allowed]
    if unknown:
        raise ValidationError(
            {
                "body": "Use only these placeholders: "
                + ", ".join("{" + name + "}" for name in allowed)
                + ". Not: "
                + ", ".join("{" + name + "}" for name in unknown)
            }
        )
    if "{" in _PLACEHOLDER_RE.sub("", body) or "}" in _PLACEHOLDER_RE.sub("", body):
        raise ValidationError({"body": "Braces { } go only around a placeholder's name"})


def placeholders_in(body: str) -> list[str]:
    return list(dict.fromkeys(_PLACEHOLDER_RE.findall(body)))


def wording_render(body: str, values: Mapping[str, str]) -> str:
    """The wording with each {placeholder} replaced by its value. Plain substitution, not
    str.format: a manager's wording can reach nothing but the values given."""
    missing = [name for name in placeholders_in(body) if not str(values.get(name) or "").strip()]
    if missing:
        raise ValidationError(
            "The text needs a value for " + ", ".join("{" + name + "}" for name in missing)
        )
    return _PLACEHOLDER_RE.sub(lambda match: " ".join(str(values[match.group(1)]).split()), body)


def mobile_number(phone: str) -> str | None:
    """A UK mobile number in the form Notify takes (07…), or None for any other number."""
    digits = re.sub(r"[\s\-().]", "", phone or "")
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    return digits if _MOBILE_RE.match(digits) else None
