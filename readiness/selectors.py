"""Reads. Querysets with their joins and prefetches live here, not in views."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from readiness.models import Promotion, Shop


def shops_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Shop]:
    """The shops a user may see: those they are a member of (all of them for superusers)."""
    shops = Shop.objects.all()
    if not getattr(user, "is_superuser", False):
        shops = shops.filter(memberships__user_id=user.pk)
    return shops.annotate(
        listing_count=Count("listings", filter=Q(listings__archived_at__isnull=True), distinct=True)
    ).prefetch_related(Prefetch("promotions", queryset=Promotion.objects.order_by("-sale_start")))
