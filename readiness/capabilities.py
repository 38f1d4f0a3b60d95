"""Who may do what in a shop: the one table of roles and capabilities, read by the API
(``readiness.api.permissions``) and by the web pages (``readiness.web.access``) alike, so a role can never do
through a form what the API refuses it.

A user who is not a member of a shop may do nothing in it (the API and the pages answer 404, as if it did not
exist); a member whose role lacks the capability gets 403. Superusers act as operations managers of every shop.
"""

from __future__ import annotations

import enum
from typing import Any

from readiness.models import Role


class Capability(enum.StrEnum):
    READ = "read"  # shops, promotions, readiness, findings, listings, runs, waivers, jobs
    IMPORT = "import"  # push or upload a bundle or a spreadsheet, change the shop's remembered column mapping
    EDIT_LISTING = "edit_listing"  # change a listing's title, subtitle, description, specs
    WAIVE = "waive"  # waive a finding, lift a waiver
    SCAN = "scan"  # start a re-scan of a promotion from the dashboard


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.OPERATIONS_MANAGER: frozenset(Capability),
    Role.LISTING_EDITOR: frozenset({Capability.READ, Capability.EDIT_LISTING, Capability.WAIVE}),
    Role.API_CLIENT: frozenset({Capability.READ, Capability.IMPORT}),
}


def effective_role(user: Any, role: str | None) -> str | None:
    """The role a user acts with in a shop where their membership says ``role`` (None: not a member)."""
    if getattr(user, "is_superuser", False):
        return Role.OPERATIONS_MANAGER
    return role


def capabilities(user: Any, role: str | None) -> frozenset[Capability]:
    """What the user may do in a shop where their membership says ``role``."""
    role = effective_role(user, role)
    return ROLE_CAPABILITIES.get(role, frozenset()) if role is not None else frozenset()


# Adding a shop is not done *in* a shop, so no membership can allow it. Who runs shops may add one: superusers
# and staff, and an operations manager of any shop (a manager opening the company's second shop is the usual
# case). They become the new shop's operations manager. Listing editors and API clients may not.
SHOP_CREATOR_ROLES = frozenset({Role.OPERATIONS_MANAGER})


def may_add_shop(user: Any, roles: Any) -> bool:
    """Whether ``user``, whose memberships have ``roles``, may add a shop from the web app."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return any(role in SHOP_CREATOR_ROLES for role in roles)
