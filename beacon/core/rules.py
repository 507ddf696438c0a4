"""Permissions of the core app: audit log and API tokens."""

import rules

from beacon.core.permissions import is_manager

rules.add_perm("core.view_audit_log", is_manager)
rules.add_perm("core.manage_api_tokens", is_manager)
rules.add_perm("core.manage_integration_accounts", is_manager)
# A manager unlocks the accounts of their own provider (the selector scopes to it).
rules.add_perm("core.unlock_accounts", is_manager)

# Every signed-in member of a provider has a home page; what it shows depends on the role.
rules.add_perm(
    "core.view_home", rules.is_authenticated & rules.predicate(lambda u: u.provider_id is not None)
)

# Everyone signed in to a provider sees the tokens that act as them and accepts those
# a manager issued for them.
rules.add_perm(
    "core.accept_api_tokens",
    rules.is_authenticated & rules.predicate(lambda u: u.provider_id is not None),
)

# Alerts are addressed to a person: anyone signed in to a provider reads their own.
rules.add_perm(
    "core.view_alerts",
    rules.is_authenticated & rules.predicate(lambda u: u.provider_id is not None),
)

# Texts to clients: a manager words them and sees what was sent and what failed.
rules.add_perm("core.manage_texts", is_manager)
