"""Integrity the database holds too (docs/checks.md, "Refused or reported"): what the validator refuses can
never be written by another path (the admin, a shell, a later service)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from readiness.models import Gift, Listing, Promotion
from tests.factories import PromotionFactory

pytestmark = pytest.mark.django_db


def _refused(**changes: object) -> None:
    promotion = PromotionFactory()
    for key, value in changes.items():
        setattr(promotion, key, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        promotion.save()


def test_phases_out_of_order_are_refused() -> None:
    promotion = PromotionFactory()
    start = promotion.sale_start
    _refused(presale_start=start + dt.timedelta(days=1))
    _refused(final_payment_start=start + dt.timedelta(hours=1))
    _refused(presale_start=start - dt.timedelta(days=5), final_payment_start=start - dt.timedelta(days=10))


def test_phases_in_order_or_absent_are_stored() -> None:
    promotion = PromotionFactory(presale_start=None, final_payment_start=None)
    start = promotion.sale_start
    promotion.presale_start = start - dt.timedelta(days=20)
    promotion.final_payment_start = start - dt.timedelta(days=10)
    promotion.save()
    promotion.final_payment_start = start  # the same instant is in order
    promotion.save()
    assert Promotion.objects.filter(pk=promotion.pk, final_payment_start=start).exists()


def test_gift_counts_below_one_are_refused() -> None:
    promotion = PromotionFactory()
    listing = Listing.objects.create(shop=promotion.shop, listing_id="L1", title="t")
    Gift.objects.create(listing=listing, name="杯", stock=0, per_order=1, first_n=None)
    for changes in ({"per_order": 0}, {"first_n": 0}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Gift.objects.create(listing=listing, name="杯", stock=1, **changes)
