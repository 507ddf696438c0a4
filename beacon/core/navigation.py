"""The header menu: each entry shows only to users whose role may open it."""

from django.urls import reverse

from beacon.core.permissions import user_can
from beacon.core.roles import Role
from beacon.core.selectors import alert_counts

# (label, URL name, permission). Apps add their entries here as they arrive.
MENU = [
    ("Home", "core:home", "core.view_home"),
    ("Caseload", "treatment:caseload", "treatment.view_caseload"),
    ("Clients", "clients:search", "clients.view_client"),
    ("Today's round", "delivery:my_round", "delivery.drive_round"),
    ("Delivery days", "delivery:days", "delivery.plan_rounds"),
    ("Vehicles and shifts", "delivery:vehicles", "delivery.manage_setup"),
    ("CD register", "delivery:register_index", "delivery.keep_register"),
    ("Alerts", "core:alerts", "core.view_alerts"),
    ("Audit log", "core:audit_log", "core.view_audit_log"),
    ("API tokens", "core:api_tokens", "core.manage_api_tokens"),
]


# Where a role starts its day; roles not named get the general home page.
HOME_PAGES = {Role.KEYWORKER: "treatment:caseload", Role.DRIVER: "delivery:my_round"}


def menu_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated or (user.needs_two_factor and not user.is_verified()):
        return []
    items = []
    for label, url_name, permission in MENU:
        if url_name == "core:home" and user.role in HOME_PAGES:
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
