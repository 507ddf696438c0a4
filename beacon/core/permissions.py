"""Who may do what: the one place views, API and tests ask.

Each app declares its permissions in its own `rules.py` with `rules.add_perm`, built
from the role predicates here. `user_can` consults only those rules, so a Django
superuser gets no silent bypass: what a person may do follows from their role.
"""

from collections.abc import Callable
from functools import wraps

import rules
from django.core.exceptions import PermissionDenied

from beacon.core.roles import Role


def has_role(*roles: Role) -> rules.Predicate:
    allowed = frozenset(roles)
    name = "has_role:" + ",".join(sorted(allowed))

    @rules.predicate(name=name)
    def predicate(user) -> bool:
        return bool(
            user is not None
            and user.is_authenticated
            and user.is_active
            and user.provider_id is not None
            and user.role in allowed
        )

    return predicate


is_keyworker = has_role(Role.KEYWORKER)
is_prescriber = has_role(Role.PRESCRIBER)
is_nurse = has_role(Role.NURSE)
is_driver = has_role(Role.DRIVER)
is_volunteer = has_role(Role.VOLUNTEER)
is_manager = has_role(Role.MANAGER)
is_commissioner = has_role(Role.COMMISSIONER)
is_pharmacist = has_role(Role.PHARMACIST)
is_probation_officer = has_role(Role.PROBATION_OFFICER)
is_clinician = has_role(Role.KEYWORKER, Role.PRESCRIBER, Role.NURSE)


def user_can(user, permission: str, obj=None) -> bool:
    if not rules.perm_exists(permission):
        # An undeclared permission is a programming error, never an allow.
        raise LookupError(f"No rule declared for permission {permission!r}")
    return rules.has_perm(permission, user, obj)


def ensure_can(user, permission: str, obj=None) -> None:
    if not user_can(user, permission, obj):
        raise PermissionDenied


def permission_required(permission: str) -> Callable:
    """View decorator: sign-in is handled by middleware; this refuses the wrong role (403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            ensure_can(request.user, permission)
            return view(request, *args, **kwargs)

        wrapped.beacon_permission = permission
        return wrapped

    return decorator
