"""Writes of waivers: accepting one finding with a reason, and lifting the waiver again. Both re-score."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.models import Finding, Waiver
from readiness.services.errors import Conflict, ServiceError
from readiness.services.scans import shop_runs_rescore


def waiver_create(*, finding: Finding, user: Any, reason: str, expires_at: dt.datetime | None = None) -> Waiver:
    """Accept one finding with a reason. The waiver follows the finding's fingerprint into later scans."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("豁免需要填写理由"), errors=[{"path": "reason", "message": _("必填")}])
    if expires_at is not None and expires_at <= timezone.now():
        raise ServiceError(_("到期时间已过"), errors=[{"path": "expires_at", "message": _("必须是将来的时间")}])
    shop = finding.run.shop
    with transaction.atomic():
        if Waiver.objects.filter(shop=shop, fingerprint=finding.fingerprint, lifted_at__isnull=True).exists():
            raise Conflict(_("该问题已被豁免"))
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
        raise Conflict(_("该豁免已被撤销"))
    with transaction.atomic():
        waiver.lifted_at = timezone.now()
        waiver.lifted_by = user
        waiver.save(update_fields=["lifted_at", "lifted_by"])
        shop_runs_rescore(shop=waiver.shop)
    return waiver
