"""Test data: factory_boy factories for models, and builders for readiness bundles (plain dicts)."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from readiness import models
from readiness.imports.bundle import example_bundle


class UserFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-only")


class ShopFactory(factory.django.DjangoModelFactory[models.Shop]):
    class Meta:
        model = models.Shop

    code = factory.Sequence(lambda n: f"shop-{n}")
    name = factory.Sequence(lambda n: f"测试旗舰店{n}")
    platform = models.Platform.TMALL


class MembershipFactory(factory.django.DjangoModelFactory[models.ShopMembership]):
    class Meta:
        model = models.ShopMembership

    user = factory.SubFactory(UserFactory)
    shop = factory.SubFactory(ShopFactory)
    role = models.Role.OPERATIONS_MANAGER


class PromotionFactory(factory.django.DjangoModelFactory[models.Promotion]):
    class Meta:
        model = models.Promotion

    shop = factory.SubFactory(ShopFactory)
    code = factory.Sequence(lambda n: f"d11-{n}")
    name = "2026 双11"
    sale_start = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=10))
    sale_end = factory.LazyAttribute(lambda o: o.sale_start + timezone.timedelta(days=1))
    expected_orders = 1000


def sku_dict(listing_id: str, j: int) -> dict[str, Any]:
    return {
        "code": f"{listing_id}-{j}",
        "name": f"{250 * (j + 1)}g",
        "price": "59.90",
        "list_price": "79.90",
        "list_price_basis": "厂商建议零售价",
        "stock": 1200,
        "inbound": [{"units": 500, "arrives": "2026-11-05"}],
        "forecast_units": 1000,
        "safety_stock": 100,
        "price_history": [{"date": f"2026-11-{day:02d}", "lowest_price": "62.00"} for day in range(3, 10)],
    }


def listing_dict(i: int, skus: int = 2) -> dict[str, Any]:
    listing_id = f"L{100 + i}"
    return {
        "id": listing_id,
        "category": "tea",
        "title": f"明前龙井 250g 第{i}款",
        "subtitle": "杭州产区",
        "description": "茶汤清澈，滋味鲜爽。活动期间（11月10日20:00至11月11日24:00）下单即赠定制木勺1把（榉木，长12cm），随单发出，赠完即止。",
        "specs": {"净含量": "250g", "保质期": "18个月"},
        "presale": {"enabled": False, "ship_by": None, "label": ""},
        "gifts": [
            {
                "name": "定制木勺",
                "sku_code": "G1",
                "stock": 3000,
                "per_order": 1,
                "first_n": None,
                "described_on_page": True,
            }
        ],
        "rebates": [{"kind": "coupon", "text": "满199减20", "official_activity_id": None}],
        "skus": [sku_dict(listing_id, j) for j in range(skus)],
    }


def bundle_dict(listings: int = 3, skus: int = 2) -> dict[str, Any]:
    """The example bundle (``readiness/demo/example-bundle.json``) with ``listings`` tea listings of ``skus`` SKUs."""
    data = example_bundle()
    data["listings"] = [listing_dict(i, skus) for i in range(listings)]
    return data
