"""Output serializers with a hand-written fast path agree with DRF's generic field-by-field output."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers

from readiness import selectors
from readiness.api import queries
from readiness.api.serializers import FindingOutputSerializer
from tests.readiness.api.world import World

pytestmark = pytest.mark.django_db


def test_finding_fast_path_equals_the_declared_fields(world: World) -> None:
    run = selectors.latest_run(promotion=world.own.promotion)
    # Give one finding every optional value, so that each conversion is compared.
    run.findings.filter(pk=world.own.finding.pk).update(
        deadline=timezone.now() + timedelta(days=2), exposure_min=Decimal("12.5"), exposure_max=Decimal("99999"),
        related={"field": "specs.净含量", "text": "500g"},
    )  # fmt: skip
    findings = list(queries.run_findings(run_id=run.pk, shop_id=world.own.shop.pk, promotion_code=run.promotion.code))
    waivers = queries.waivers_of(shop_id=world.own.shop.pk, findings=findings)
    assert waivers and len(findings) >= 3
    serializer = FindingOutputSerializer(context={"waivers": waivers})
    for finding in findings:
        generic = serializers.Serializer.to_representation(serializer, finding)
        fast = serializer.to_representation(finding)
        assert fast == dict(generic) and list(fast) == list(generic), finding.pk
