"""The Jinja2 environment for Beacon's pages: NHS.UK macros, static files, URLs, permissions."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from beacon.core import presenters
from beacon.core.form_fields import (
    field_anchor,
    nhsuk_field_params,
    page_has_errors,
    summary_text,
)
from beacon.core.jinja_filters import indent
from beacon.core.navigation import menu_for, signed_in
from beacon.core.pagination import page_link
from beacon.core.permissions import user_can


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    options["loader"] = ChoiceLoader(
        [options["loader"], PackageLoader("nhsuk_frontend_jinja", "templates")]
    )
    # The NHS.UK macros read optional nested parameters, which needs ChainableUndefined.
    options["undefined"] = ChainableUndefined
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)  # noqa: S701 (Django's backend turns autoescape on)
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_messages": get_messages,
            "can": user_can,
            "settings": settings,
            "nhsuk_field_params": nhsuk_field_params,
            "field_anchor": field_anchor,
            "page_has_errors": page_has_errors,
            "summary_text": summary_text,
            "menu_for": menu_for,
            "signed_in": signed_in,
            "page_link": page_link,
        }
    )
    env.filters.update(
        {
            "date_uk": presenters.date_uk,
            "datetime_uk": presenters.datetime_uk,
            "nhs_number": presenters.nhs_number,
            "yes_no": presenters.yes_no,
            "phone": presenters.phone_uk,
            "quantity": presenters.quantity_text,
            # The same output as Jinja's, faster on NHS.UK's nested components.
            "indent": indent,
        }
    )
    return env
