"""Writes of listings: editing a listing's text, with its revision kept and the listing re-scanned."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from readiness.imports import bundle
from readiness.models import Listing, ListingRevision
from readiness.services.errors import ServiceError
from readiness.services.scans import listing_rescan

EDITABLE_FIELDS = ("title", "subtitle", "description", "specs")


def listing_update_text(*, listing: Listing, changes: dict[str, Any], user: Any, source: str = "web") -> Listing:
    """Change a listing's text (title, subtitle, description, specs), keep who changed what and when, and
    re-scan the listing so its findings and the shop's score are current."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ServiceError(
            _("只能编辑标题、副标题、描述和规格"),
            errors=[{"path": key, "message": _("不是可编辑的字段")} for key in unknown],
        )
    _validate_text_changes(changes)
    diff = {
        name: {"old": getattr(listing, name), "new": value}
        for name, value in changes.items()
        if getattr(listing, name) != value
    }
    if not diff:
        return listing
    with transaction.atomic():
        for name, values in diff.items():
            setattr(listing, name, values["new"])
        listing.full_clean()
        listing.save(update_fields=[*diff, "updated_at"])
        ListingRevision.objects.create(listing=listing, changed_by=user, changes=diff, source=source)
        listing_rescan(listing=listing)
    return listing


def _validate_text_changes(changes: dict[str, Any]) -> None:
    errors = []
    limits = {"title": 500, "subtitle": 500, "description": 100_000}
    for name, limit in limits.items():
        if name not in changes:
            continue
        value = changes[name]
        if not isinstance(value, str):
            errors.append({"path": name, "message": _("应为字符串")})
        elif len(value) > limit:
            errors.append({"path": name, "message": _("最多 %(limit)d 个字符") % {"limit": limit}})
        elif bundle._UNSTORABLE.search(value):
            errors.append({"path": name, "message": _("文本不能包含 NUL 字符或不成对的代理字符")})
    if "specs" in changes:
        specs = changes["specs"]
        if not isinstance(specs, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, str) and len(k) <= 100 and len(v) <= 500
            for k, v in specs.items()
        ):
            errors.append({"path": "specs", "message": _("应为“规格名 → 文本”的对象")})
    if errors:
        raise ServiceError(_("商品文本无效"), errors=errors)
