"""Writes of shops: a shop added from the web app, its creator made its operations manager."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from readiness.models import Role, Shop, ShopMembership


class ShopExists(Exception):
    """A shop with this code exists already (adding it again would import into someone else's shop)."""


def shop_create(*, code: str, name: str, platform: str, user: Any) -> Shop:
    """A new shop with ``user`` as its operations manager (a superuser, who sees every shop, is made one too so
    the shop stays theirs if the flag is taken away). Raises ``ShopExists`` for a code in use."""
    if Shop.objects.filter(code=code).exists():
        raise ShopExists(code)
    shop = Shop(code=code, name=name, platform=platform)
    shop.full_clean(validate_unique=False)  # the database decides, below: two people may add one code at once
    try:
        with transaction.atomic():
            shop.save()
            ShopMembership.objects.create(user=user, shop=shop, role=Role.OPERATIONS_MANAGER)
    except IntegrityError as exc:  # the same code added by someone else since the check above
        raise ShopExists(code) from exc
    return shop
