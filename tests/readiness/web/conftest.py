from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from readiness.imports.bundle import parse_bundle
from readiness.imports.writing import bundle_import
from readiness.models import Promotion, Role, ScanRun, Shop, ShopMembership
from tests.factories import UserFactory, bundle_dict

# Text the scanners flag, with the exact spans the pages must highlight.
TOP_GRADE = "顶级"  # extreme_wording, title[0:2] of L100
LOWEST = "全网最低价"  # price_claim, title of L100
L100_TITLE = "顶级西湖龙井 明前 250g 全网最低价"
L101_TITLE = "明前龙井 2斤装"  # spec mismatch against specs.净含量 250g


def planted_bundle(listings: int = 3, shop_code: str = "acme-tmall") -> dict[str, Any]:
    """A small shop (bundle_dict) with text problems on L100 and a spec mismatch on L101."""
    data = bundle_dict(listings=listings)
    data["shop"]["code"] = shop_code
    data["listings"][0]["title"] = L100_TITLE
    data["listings"][1]["title"] = L101_TITLE
    data["listings"][2]["category"] = "snacks"
    return data


@dataclass
class ShopSetup:
    shop: Shop
    promotion: Promotion
    run: ScanRun
    user: Any
    client: Client

    def url(self, suffix: str = "") -> str:
        return f"/shops/{self.shop.code}/promotions/{self.promotion.code}/{suffix}"


def import_and_scan(data: dict[str, Any], start_scan: Any) -> tuple[Promotion, ScanRun]:
    promotion = bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False))).promotion
    return promotion, start_scan(promotion)


@pytest.fixture
def setup(start_scan: Any, client: Client) -> ShopSetup:
    """A scanned shop with planted problems and a logged-in member (operations manager)."""
    promotion, run = import_and_scan(planted_bundle(), start_scan)
    user = UserFactory(username="ops")
    ShopMembership.objects.create(user=user, shop=promotion.shop, role=Role.OPERATIONS_MANAGER)
    client.force_login(user)
    return ShopSetup(promotion.shop, promotion, run, user, client)


@pytest.fixture
def other_shop(start_scan: Any) -> ShopSetup:
    """Another scanned shop the logged-in user is not a member of."""
    promotion, run = import_and_scan(planted_bundle(shop_code="rival-tmall"), start_scan)
    owner = UserFactory(username="rival")
    ShopMembership.objects.create(user=owner, shop=promotion.shop, role=Role.OPERATIONS_MANAGER)
    return ShopSetup(promotion.shop, promotion, run, owner, Client())
