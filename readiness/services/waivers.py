"""Writes of waivers: accepting one finding with a reason, and lifting the waiver again. Both re-score."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from readiness.models import Finding, Waiver
from readiness.services.errors import Conflict, ServiceError
from readiness.services.scans import shop_runs_rescore


def waiver_create(*, finding: Finding, user: Any, reason: str, expires_at: dt.datetime | None = None) -> Waiver:
    """Accept one finding with a reason. The waiver follows the finding's fingerprint into later scans."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("a waiver needs a reason", errors=[{"path": "reason", "message": "required"}])
    if expires_at is not None and expires_at <= timezone.now():
        raise ServiceError("expiry is in the past", errors=[{"path": "expires_at", "message": "must be in the future"}])
    shop = finding.run.shop
    with transaction.atomic():
        if Waiver.objects.filter(shop=shop, fingerprint=finding.fingerprint, lifted_at__isnull=True).exists():
            raise Conflict("this finding is already waived")
        waiver = Waiver(
            shop=shop,
            listing_id=finding.listing_id,
            fingerprint=finding.fingerprint,
            rule=finding.rule,
            reason=reason[:2000],
            created_by=user,
            expires_at=expires_at,
        )
        waiver.full_clean()
        waiver.save()
        shop_runs_rescore(shop=shop)
    return waiver


def waiver_lift(*, waiver: Waiver, user: Any) -> Waiver:
    """End a waiver. The record stays, with who lifted it and when."""
    if waiver.lifted_at is not None:
        raise Conflict("this waiver was already lifted")
    with transaction.atomic():
        waiver.lifted_at = timezone.now()
        waiver.lifted_by = user
        waiver.save(update_fields=["lifted_at", "lifted_by"])
        shop_runs_rescore(shop=waiver.shop)
    return waiver
