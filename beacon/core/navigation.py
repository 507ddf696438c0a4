"""The header menu and the home page's worklist: each entry and section shows only to users
whose role may open it."""

import datetime

from django.urls import reverse

from beacon.core.models import User
from beacon.core.permissions import user_can
from beacon.core.presenters import Worklist
from beacon.core.registry import home_pages, menu_entries, worklist_sections
from beacon.core.selectors import alert_counts


def signed_in(request) -> bool:
    """Signed in fully: the password and, for staff, the second factor too. Until then the
    header shows neither the menu nor whose account it is."""
    user = request.user
    return user.is_authenticated and not (user.needs_two_factor and not user.is_verified())


def menu_for(request) -> list[dict]:
    user = request.user
    if not signed_in(request):
        return []
    items = []
    for entry in sorted(menu_entries, key=lambda entry: entry.order):
        label, url_name, permission = entry.label, entry.url_name, entry.permission
        if url_name == "core:home" and user.role in home_pages:
            continue  # their home is another menu entry
        if user_can(user, permission):
            href = reverse(url_name)
            if url_name == "core:alerts":
                total, unread = alert_counts(user=user)
                if not total:
                    continue  # nobody needs an empty alerts page in their menu
                label = f"Alerts ({unread} new)" if unread else label
            items.append(
                {
                    "text": label,
                    "href": href,
                    "current": request.path.startswith(href) and href != "/",
                }
            )
    return items


def worklist_for(*, user: User, today: datetime.date) -> list[Worklist]:
    """The sections of the user's worklist that the apps registered for their role and that
    their permissions allow, in order; a section with nothing to show is left out."""
    sections = sorted(
        (
            section
            for section in worklist_sections
            if user.role in section.roles and user_can(user, section.permission)
        ),
        key=lambda section: section.order,
    )
    built = (section.build(user=user, today=today) for section in sections)
    return [worklist for worklist in built if worklist is not None]
