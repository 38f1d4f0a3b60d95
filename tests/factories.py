"""Test data: factory_boy factories for models, and builders for readiness bundles (plain dicts)."""

from __future__ import annotations

import copy
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from readiness import models


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


class ListingFactory(factory.django.DjangoModelFactory[models.Listing]):
    class Meta:
        model = models.Listing

    shop = factory.SubFactory(ShopFactory)
    listing_id = factory.Sequence(lambda n: f"L{n}")
    title = "西湖龙井 明前特级 250g"


class SkuFactory(factory.django.DjangoModelFactory[models.Sku]):
    class Meta:
        model = models.Sku

    listing = factory.SubFactory(ListingFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    name = "250g"
    price = "99.00"
    stock = 100


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


BASE_BUNDLE: dict[str, Any] = {
    "format": "readiness-bundle/1",
    "shop": {"code": "acme-tmall", "name": "ACME官方旗舰店", "platform": "tmall"},
    "promotion": {
        "code": "d11-2026",
        "name": "2026 双11",
        "presale_start": "2026-10-20T20:00:00+08:00",
        "final_payment_start": "2026-10-31T20:00:00+08:00",
        "sale_start": "2026-11-10T20:00:00+08:00",
        "sale_end": "2026-11-11T23:59:59+08:00",
        "expected_orders": 20000,
        "destinations": {"华东": 0.45, "华南": 0.25, "华北": 0.15, "西南": 0.10, "西北": 0.05},
    },
    "couriers": [
        {
            "code": "zto",
            "name": "中通快递",
            "planned_share": 0.5,
            "daily_capacity": 9000,
            "regions": ["华东", "华南", "华北", "西南", "西北"],
            "supports_intercept": True,
        },
        {
            "code": "sf",
            "name": "顺丰速运",
            "planned_share": 0.5,
            "daily_capacity": 9000,
            "regions": ["华东", "华南", "华北", "西南", "西北"],
            "supports_intercept": True,
        },
    ],
    "service": {
        "auto_refund_unshipped": True,
        "auto_accept_returns": True,
        "cs_agents": 25,
        "dispute_refund_rate": 0.0004,
        "refund_self_completion_rate": 0.97,
    },
}


def bundle_dict(listings: int = 3, skus: int = 2) -> dict[str, Any]:
    data = copy.deepcopy(BASE_BUNDLE)
    data["listings"] = [listing_dict(i, skus) for i in range(listings)]
    return data
