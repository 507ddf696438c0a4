"""Turns a Django form field into the parameters of the matching NHS.UK component.

Pages call the `form_field` macro in `core/forms.jinja`, which uses this, so no page
writes component HTML by hand.
"""

import re

from django import forms
from django.forms.boundfield import BoundField
from jinja2 import pass_context

from beacon.core.dates import DayMonthYearWidget

DJANGO_EMPTY_LABEL = "---------"
WIDTHS = {"date": None, "number": "5", "tel": "20", "postcode": "10"}


def component_for(bound_field: BoundField) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, DayMonthYearWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


def text_limit(field: forms.Field) -> int | None:
    """The most characters a field takes: its max_length, or a limit a form gave a field
    whose service checks the length (`field.text_limit`)."""
    return getattr(field, "max_length", None) or getattr(field, "text_limit", None)


def _value_as_text(bound_field: BoundField):
    value = bound_field.value()
    if value is None:
        return ""
    return bound_field.field.widget.format_value(value) or ""


def nhsuk_field_params(bound_field: BoundField, **overrides) -> dict:
    """Parameters for nhsukInput, nhsukSelect, nhsukTextarea, nhsukCheckboxes, nhsukRadios
    or nhsukDateInput."""
    field = bound_field.field
    widget = field.widget
    component = component_for(bound_field)
    params: dict = {
        "id": bound_field.auto_id,
        "name": bound_field.html_name,
        "hint": {"text": str(field.help_text)} if field.help_text else None,
        "errorMessage": {"text": " ".join(str(e) for e in bound_field.errors)}
        if bound_field.errors
        else None,
        # No maxlength: a browser would cut pasted text silently; text over the limit is
        # refused with a message instead, and a text area counts the characters left.
        "attributes": {
            key: value
            for key, value in widget.attrs.items()
            if key not in {"class", "id", "maxlength"} and value is not False
        },
        "classes": widget.attrs.get("class", ""),
    }
    label = str(bound_field.label)
    if component == "date":
        params["namePrefix"] = bound_field.html_name
        params["fieldset"] = {"legend": {"text": label, "size": "s"}}
        params["values"] = widget.parts(bound_field.value())
    elif component in {"checkboxes", "radios"}:
        selected = {str(v) for v in (bound_field.value() or [])}
        if component == "radios":
            selected = {str(bound_field.value())} if bound_field.value() is not None else set()
        params["idPrefix"] = bound_field.auto_id
        params["fieldset"] = {"legend": {"text": label, "size": "s"}}
        params["items"] = [
            {"value": str(value), "text": str(text), "checked": str(value) in selected}
            for value, text in field.choices
            if str(value) != ""
        ]
    elif component == "checkbox":
        params["component"] = "checkboxes"
        params["idPrefix"] = bound_field.auto_id
        params["items"] = [
            {
                "value": "on",
                "text": label,
                "checked": bool(bound_field.value()),
                "id": bound_field.auto_id,
                "hint": params.pop("hint"),
            }
        ]
    elif component == "select":
        current = "" if bound_field.value() is None else str(bound_field.value())
        params["label"] = {"text": label}
        params["items"] = [
            {
                "value": str(value),
                # Django's "---------" empty line says nothing: it reads "Choose…".
                "text": "Choose…" if str(text) == DJANGO_EMPTY_LABEL else str(text),
                "selected": str(value) == current,
            }
            for value, text in field.choices
        ]
    elif component == "textarea":
        params["label"] = {"text": label}
        params["value"] = _value_as_text(bound_field)
        params["rows"] = widget.attrs.get("rows", 4)
        limit = text_limit(field)
        if limit:
            # The NHS.UK character count: how many characters are left, as they type.
            params["component"] = "character_count"
            params["maxlength"] = limit
    else:
        params["label"] = {"text": label}
        params["type"] = getattr(widget, "input_type", "text")
        # A refused password is never sent back to the browser.
        hide_value = isinstance(widget, forms.PasswordInput) and not widget.render_value
        params["value"] = "" if hide_value else _value_as_text(bound_field)
        if params["type"] in WIDTHS and WIDTHS[params["type"]]:
            params["width"] = WIDTHS[params["type"]]
    params["component"] = params.get("component", component)
    if params["component"] in {"checkboxes", "radios"}:
        # The boxes carry their own ids (from idPrefix); one on the wrapper would duplicate one.
        params.pop("id", None)
    params.update(overrides)
    return params


def field_anchor(bound_field: BoundField) -> str:
    """Where the error summary links to: the field's input (the day box of a date)."""
    if component_for(bound_field) == "date":
        return f"{bound_field.auto_id}-day"
    return bound_field.auto_id


def _forms_in(value) -> list[forms.BaseForm]:
    if isinstance(value, forms.BaseForm):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, forms.BaseForm)]
    return []


@pass_context
def page_has_errors(context) -> bool:
    """Whether a form the page shows was sent back with errors: its title then starts with
    "Error: ", as the NHS.UK error summary pattern asks."""
    return any(
        form.is_bound and form.errors
        for value in context.get_all().values()
        for form in _forms_in(value)
    )


def summary_text(bound_field: BoundField, error: str) -> str:
    """A field's error as the error summary lists it: the message alone when it names the
    field ("Enter the goal"), else after the field's label, so every line says which."""
    label = str(bound_field.label or "")
    name = re.sub(r"\s*\((optional|if any)\)\s*$", "", label, flags=re.IGNORECASE).strip()
    if not name or name.casefold().rstrip("?") in str(error).casefold():
        return str(error)
    return f"{label}: {error}"
