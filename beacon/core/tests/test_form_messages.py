"""Every form of every app answers in NHS-style messages, never Django's defaults."""

import copy
import importlib
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError

import beacon
from beacon.core.form_messages import NhsMessagesMixin, nhs_error_messages, nhs_form_messages
from beacon.core.forms import Form

# The start of each of Django's own messages a person could meet on a form.
DJANGO_DEFAULTS = (
    "This field is required",
    "Ensure this value",
    "Ensure that there are no more",
    "Enter a valid",
    "Enter a whole number.",
    "Enter a number.",
    "Enter a list of values",
    "Select a valid choice",
    "is not a valid value",
    "This field cannot be",
)


def _form_modules() -> list[str]:
    names = []
    for module in pkgutil.walk_packages(beacon.__path__, "beacon."):
        parts = module.name.split(".")
        if "tests" in parts or "migrations" in parts:
            continue
        if "forms" in parts or parts[-1] in {"views", "forms"}:
            names.append(module.name)
    return names


def every_form_class() -> list[type[forms.BaseForm]]:
    for name in _form_modules():
        importlib.import_module(name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("beacon.") and ".tests" not in sub.__module__:
                found.add(sub)
    return sorted(found, key=lambda klass: f"{klass.__module__}.{klass.__qualname__}")


def _defaults_in(messages) -> list[str]:
    return [str(m) for m in messages if any(d in str(m) for d in DJANGO_DEFAULTS)]


def _messages_of(field: forms.Field) -> list[str]:
    """What the field can say: its messages, and its validators' unless one replaces them."""
    said = list(field.error_messages.values())
    for validator in field.validators:
        own = getattr(validator, "messages", None) or {
            getattr(validator, "code", ""): getattr(validator, "message", "")
        }
        said += [message for code, message in own.items() if code not in field.error_messages]
    return said


def test_the_walk_finds_the_forms_of_every_app():
    apps = {klass.__module__.split(".")[1] for klass in every_form_class()}

    assert {"clients", "treatment", "prescribing", "delivery", "contacts", "core"} <= apps


@pytest.mark.parametrize("form_class", every_form_class(), ids=lambda k: k.__qualname__)
def test_no_form_answers_with_a_django_default_message(form_class):
    assert issubclass(form_class, NhsMessagesMixin), "make it a beacon.core.forms Form"
    form = form_class.__new__(form_class)
    form.fields = copy.deepcopy(form_class.base_fields)
    nhs_form_messages(form)
    found = {
        name: _defaults_in(_messages_of(field))
        for name, field in form.fields.items()
        if _defaults_in(_messages_of(field))
    }

    assert found == {}


def test_an_empty_required_field_says_what_to_enter():
    class Note(Form):
        goal = forms.CharField(label="Goal")
        route = forms.ChoiceField(label="Route", choices=[("oral", "Oral")])

    form = Note({})

    assert form.errors == {"goal": ["Enter goal"], "route": ["Select route"]}


def test_too_long_text_names_the_limit_and_is_kept():
    class Note(Form):
        notes = forms.CharField(label="Notes (optional)", max_length=10, required=False)

    form = Note({"notes": "x" * 11})

    assert form.errors == {"notes": ["Notes must be 10 characters or fewer"]}
    assert form["notes"].value() == "x" * 11


def test_numbers_out_of_range_name_the_range():
    class Count(Form):
        days = forms.IntegerField(label="Days", min_value=0, max_value=28)
        dose = forms.DecimalField(label="Dose", max_digits=4, decimal_places=1)

    assert Count({"days": "29", "dose": "1.25"}).errors == {
        "days": ["Days must be 28 or less"],
        "dose": ["Enter dose with fewer digits after the decimal point (1 at most)"],
    }
    assert Count({"days": "two", "dose": "x"}).errors == {
        "days": ["Days must be a whole number"],
        "dose": ["Dose must be a number"],
    }


def test_a_field_added_after_the_form_was_made_gets_the_messages_too():
    class Late(Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["time"] = forms.TimeField(label="Time sent")

    assert Late({"time": "25:99"}).errors == {
        "time": ["Time sent must be a time in 24-hour numbers, like 14:30"]
    }


def test_a_message_the_form_chose_and_a_validators_own_stay():
    def no_x(value):
        if "x" in value:
            raise ValidationError("Leave out the x", code="invalid")

    field = forms.CharField(
        label="Name", validators=[no_x], error_messages={"required": "Enter their name"}
    )
    nhs_error_messages(field)

    assert field.error_messages["required"] == "Enter their name"
    with pytest.raises(ValidationError, match="Leave out the x"):
        field.clean("x")


def test_a_question_asks_for_an_answer():
    class Question(Form):
        shown = forms.ChoiceField(
            label="Was proof of identity shown?",
            choices=[("yes", "Yes"), ("no", "No")],
            widget=forms.RadioSelect,
        )

    assert Question({}).errors == {"shown": ["Select yes or no"]}


# Answers a form may start with: not facts about a client. A new vehicle is in use; the
# approved instalment wording is the missed-dose pair by design (H-26).
STARTS_ANSWERED = {("VehicleForm", "active"), ("PrescriptionForm", "wording")}


def _is_an_answer(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.BooleanField) or isinstance(
        field.widget, forms.RadioSelect | forms.CheckboxInput | forms.Select
    )


def _model_default(form_class, name: str) -> bool:
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    field = next((f for f in model._meta.fields if f.name == name), None) if model else None
    return field is not None and field.has_default()


@pytest.mark.parametrize("form_class", every_form_class(), ids=lambda k: k.__qualname__)
def test_no_form_starts_with_an_answer_nobody_chose(form_class):
    # H-94: a radio, select or box starts unanswered, so a fact is recorded only when
    # somebody chose it. Model defaults of model forms are cleared by nothing_chosen.
    answered = {
        name
        for name, field in form_class.base_fields.items()
        if _is_an_answer(field)
        and field.initial not in (None, "", [], False)
        and (form_class.__name__, name) not in STARTS_ANSWERED
        and not _model_default(form_class, name)  # the next test
    }

    assert answered == set()


@pytest.mark.django_db
def test_no_model_form_starts_with_its_models_default(provider):
    from beacon.clients.forms import ClientForm
    from beacon.treatment.forms.journey import ModalityForm, TriageForm

    checked = {
        ClientForm(provider=provider): "gender_identity",
        ClientForm(provider=provider): "ndtms_consent",  # "Not asked yet" is the empty answer
        TriageForm(): "outcome",
        ModalityForm(): "setting",
    }
    for form, name in checked.items():
        assert form[name].value() in (None, ""), f"{type(form).__name__}.{name}"
    for form_class in every_form_class():
        meta = getattr(form_class, "_meta", None)
        if getattr(meta, "model", None) is None:
            continue
        for name in form_class.base_fields:
            model_field = next((f for f in meta.model._meta.fields if f.name == name), None)
            if model_field is None or not model_field.has_default() or not model_field.choices:
                continue
            assert (form_class.__name__, name) in {
                (type(f).__name__, n) for f, n in checked.items()
            }, f"{form_class.__name__}.{name} starts on the model's default"


@pytest.mark.django_db
def test_a_model_forms_model_checks_answer_in_the_same_words():
    from beacon.treatment.forms.journey import AssessmentForm

    form = AssessmentForm({"drinking_days": "29"})

    assert form.errors["drinking_days"] == ["Drinking days in the past 28 must be 28 or less"]


def test_a_selects_empty_line_reads_choose_not_dashes():
    from beacon.core.form_fields import nhsuk_field_params

    class Pick(Form):
        route = forms.ChoiceField(label="Route", choices=[("", "---------"), ("oral", "Oral")])

    items = nhsuk_field_params(Pick()["route"])["items"]

    assert [item["text"] for item in items] == ["Choose…", "Oral"]
