"""Error messages in the NHS.UK style for every form field, made from the field's label.

Django's own ("This field is required.", "Ensure this value has at most 100 characters (it
has 5000).", "Select a valid choice.") never reach a page: `nhs_error_messages` replaces each
one a field still carries with a sentence that names the field ("Enter the goal", "Notes
must be 2000 characters or fewer"), and keeps every message a form set itself. The form
bases in `beacon/core/forms.py` run it on every field, also those a form adds in __init__.
"""

import re

from django import forms

from beacon.core.dates import DayMonthYearField

# Words a label starts with that keep their capital inside a sentence.
KEEP_CAPITAL = re.compile(r"^(NHS|TOP|OST|GP|NDTMS|API|ODS|[A-Z]{2,}\b|I\b)")
# What a label may end with that has no place in a message.
OPTIONAL_MARK = re.compile(r"\s*\((optional|if any)\)\s*$", re.IGNORECASE)
CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Select)


def _django_defaults(field: forms.Field) -> set[str]:
    """Every message Django's own field classes give by default, as text."""
    defaults = set()
    for klass in type(field).__mro__:
        if klass.__module__.startswith("django."):
            defaults |= {str(m) for m in getattr(klass, "default_error_messages", {}).values()}
    return defaults


def _name(label: str) -> str:
    """The label as the name of a thing inside a sentence: "Date of birth" → "date of birth"."""
    text = OPTIONAL_MARK.sub("", label).strip().rstrip(":")
    if text and not KEEP_CAPITAL.match(text):
        text = text[0].lower() + text[1:]
    return text.replace("%", "%%")


def _subject(label: str) -> str:
    """The label as the subject of a sentence: "Notes (optional)" → "Notes"."""
    text = OPTIONAL_MARK.sub("", label).strip().rstrip(":").replace("%", "%%")
    return text[:1].upper() + text[1:]


def _is_choice(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField) or (
        isinstance(field.widget, CHOICE_WIDGETS)
    )


def _required_message(field: forms.Field, label: str) -> str:
    if label.endswith("?"):
        values = {str(value) for value, _ in getattr(field, "choices", [])} - {""}
        return "Select yes or no" if values == {"yes", "no"} else "Select an answer"
    if isinstance(field, forms.BooleanField):
        return f"Confirm: {_name(label)}"
    if _is_choice(field):
        return f"Select {_name(label)}"
    return f"Enter {_name(label)}"


def nhs_messages_for(field: forms.Field, label: str) -> dict[str, str]:
    """The NHS-style message of each error code `field` can give."""
    name, subject = _name(label), _subject(label)
    messages = {
        "required": _required_message(field, label),
        "blank": _required_message(field, label),
        "null": _required_message(field, label),
        "invalid_choice": f"Select one of the choices for {name}",
        "invalid_list": f"Select one of the choices for {name}",
        "invalid_pk_value": f"Select one of the choices for {name}",
        "max_length": f"{subject} must be %(limit_value)s characters or fewer",
        "min_length": f"{subject} must be %(limit_value)s characters or more",
        "min_value": f"{subject} must be %(limit_value)s or more",
        "max_value": f"{subject} must be %(limit_value)s or less",
        "step_size": f"{subject} must be a multiple of %(limit_value)s",
        "max_digits": f"{subject} must have %(max)s digits or fewer",
        "max_decimal_places": f"Enter {name} with fewer digits after the decimal point "
        "(%(max)s at most)",
        "max_whole_digits": f"Enter {name} with fewer digits before the decimal point "
        "(%(max)s at most)",
    }
    if label.endswith("?"):
        # A question's name does not fit a sentence: say what answer to give.
        for code in ("invalid_choice", "invalid_list", "invalid_pk_value"):
            messages[code] = messages["required"]
    if isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"{subject} must be a number"
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{subject} must be a whole number"
    elif isinstance(field, forms.TimeField):
        messages["invalid"] = f"{subject} must be a time in 24-hour numbers, like 14:30"
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = "Enter an email address in the correct format, like name@example.com"
    elif isinstance(field, forms.DateField | DayMonthYearField):
        messages["invalid"] = f"{subject} must be a real date"
    else:
        messages["invalid"] = f"Enter {name} in the correct format"
    return messages


def _codes_it_can_give(field: forms.Field) -> set[str]:
    """The codes of the errors `field` can raise: its own, and its validators' length,
    range and (for an email) format."""
    # A model form's field also answers for its model field's validators (a range or a
    # length the model checks), by the same codes.
    codes = set(field.error_messages) | {"blank", "null"}
    for attribute in ("max_length", "min_length", "min_value", "max_value", "step_size"):
        if getattr(field, attribute, None) is not None:
            codes.add(attribute)
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        codes |= {"min_value", "max_value"}
    if isinstance(field, forms.CharField):
        codes |= {"max_length", "min_length"}
    if isinstance(field, forms.EmailField):
        codes.add("invalid")
    if isinstance(field, forms.DecimalField):
        codes |= {"max_digits", "max_decimal_places", "max_whole_digits"}
    return codes


def nhs_error_messages(field: forms.Field, label: str = "") -> None:
    """Give `field` an NHS-style message for every Django default it still has, and for the
    length and range its validators check. Messages a form set itself stay, and so do the
    messages of the validators a form gave (a postcode's, a registration's)."""
    label = str(label or field.label or "this")
    defaults = _django_defaults(field)
    ours = nhs_messages_for(field, label)
    current = field.error_messages
    for code in _codes_it_can_give(field) & set(ours):
        if code not in current or str(current[code]) in defaults:
            current[code] = ours[code]


def nhs_form_messages(form: forms.BaseForm) -> None:
    """`nhs_error_messages` on every field of `form`, named by its label (or its name)."""
    for name, field in form.fields.items():
        nhs_error_messages(field, str(field.label or name.replace("_", " ").capitalize()))


class NhsMessagesMixin:
    """Every field of the form answers in NHS-style messages, whenever the field was added."""

    def full_clean(self):
        nhs_form_messages(self)  # type: ignore[arg-type]
        super().full_clean()  # type: ignore[misc]
