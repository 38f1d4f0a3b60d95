"""A rule-pack key the app retired must not break a shop that once overrode it (migration 0005)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from readiness.models import ShopRuleOverride
from tests.factories import ShopFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("readiness.migrations.0005_retire_max_orders_per_agent")


def test_overrides_of_retired_keys_are_removed_and_others_kept() -> None:
    shop = ShopFactory()
    ShopRuleOverride.objects.create(shop=shop, key="after_sales.max_orders_per_agent", value=800)
    ShopRuleOverride.objects.create(shop=shop, key="stock.fail_below", value=0.8)
    migration.remove_retired_overrides(apps, None)
    assert list(ShopRuleOverride.objects.values_list("key", flat=True)) == ["stock.fail_below"]
