"""Who may see and do what: every page of a shop is looked up among the user's shops (``selectors.shops_for_user``,
the same membership rule as the API), so another shop's pages answer 404, never 403 — a URL does not tell
whether a shop exists. Every write checks the user's role against the one capability table
(``readiness.capabilities``, which the API uses too) and answers 403 when the role does not allow it; the pages
show only the buttons and forms the role can use (``Scope.can``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest

from readiness.capabilities import Capability, capabilities
from readiness.models import Promotion, Shop, ShopMembership
from readiness.selectors import shops_for_user


@dataclass(slots=True)
class Scope:
    """The shop and promotion a page is about, the user's shops for the switcher, and what the user may do."""

    shops: list[Shop]
    shop: Shop
    promotion: Promotion | None
    allowed: frozenset[Capability] = field(default_factory=frozenset)

    @property
    def can(self) -> dict[str, bool]:
        """For the templates: ``{% if can.waive %}``."""
        return {str(c): c in self.allowed for c in Capability}

    def context(self) -> dict[str, Any]:
        return {"nav_shops": self.shops, "shop": self.shop, "promotion": self.promotion, "can": self.can}


def user_shops(request: HttpRequest) -> list[Shop]:
    """The user's shops, each with ``member_role`` (their role in it; None for a superuser who is no member)."""
    user_id = request.user.pk or 0  # an anonymous user has no pk and is a member of nothing
    role = ShopMembership.objects.filter(shop=OuterRef("pk"), user_id=user_id).values("role")[:1]
    return list(shops_for_user(user=request.user).annotate(member_role=Subquery(role)))


def scope(
    request: HttpRequest, shop_code: str, promotion_code: str | None = None, *, need: Capability = Capability.READ
) -> Scope:
    """The user's shop ``shop_code`` (and its promotion ``promotion_code``), or 404; 403 if the user's role there
    does not allow ``need``. Two queries: the user's shops (with their role) and their promotions (prefetched),
    which the shop switcher shows anyway."""
    shops = user_shops(request)
    shop = next((s for s in shops if s.code == shop_code), None)
    if shop is None:
        raise Http404("no such shop")
    promotion = None
    if promotion_code is not None:
        promotion = next((p for p in shop.promotions.all() if p.code == promotion_code), None)
        if promotion is None:
            raise Http404("no such promotion")
        promotion.shop = shop  # already loaded: spares a query wherever promotion.shop is read
    allowed = capabilities(request.user, getattr(shop, "member_role", None))
    if need not in allowed:
        raise PermissionDenied(f"your role in this shop may not do this ({need})")
    return Scope(shops=shops, shop=shop, promotion=promotion, allowed=allowed)
