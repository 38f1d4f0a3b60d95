"""Who may see what: every page of a shop is looked up among the user's shops (``selectors.shops_for_user``,
the same membership rule as the API), so another shop's pages answer 404, never 403 — a URL does not tell
whether a shop exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest

from readiness.models import Promotion, Shop
from readiness.selectors import shops_for_user


@dataclass(slots=True)
class Scope:
    """The shop and promotion a page is about, and the user's shops for the switcher."""

    shops: list[Shop]
    shop: Shop
    promotion: Promotion | None

    def context(self) -> dict[str, Any]:
        return {"nav_shops": self.shops, "shop": self.shop, "promotion": self.promotion}


def user_shops(request: HttpRequest) -> list[Shop]:
    return list(shops_for_user(user=request.user))


def scope(request: HttpRequest, shop_code: str, promotion_code: str | None = None) -> Scope:
    """The user's shop ``shop_code`` (and its promotion ``promotion_code``), or 404. Two queries: the user's
    shops and their promotions (prefetched), which the shop switcher shows anyway."""
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
    return Scope(shops=shops, shop=shop, promotion=promotion)
