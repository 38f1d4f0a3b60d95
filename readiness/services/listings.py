"""Writes of listings: editing a listing's text, with its revision kept and the listing re-scanned."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from readiness.imports import bundle
from readiness.models import Listing, ListingRevision
from readiness.services.errors import ServiceError
from readiness.services.scans import listing_rescan


def listing_update_text(*, listing: Listing, changes: dict[str, Any], user: Any, source: str = "web") -> Listing:
    """Change a listing's text (title, subtitle, description, specs), keep who changed what and when, and
    re-scan the listing so its findings and the shop's score are current. The changes are validated by
    ``bundle.validate_listing_text``, the one validator of listing text."""
    try:
        changes = bundle.validate_listing_text(changes)
    except bundle.BundleError as exc:
        errors = [{"path": issue.path, "message": issue.message} for issue in exc.errors]
        if all(issue.message == "not an editable field" for issue in exc.errors):
            raise ServiceError(
                _("只能编辑标题、副标题、描述和规格"),
                errors=[{"path": e["path"], "message": _("不是可编辑的字段")} for e in errors],
            ) from None
        raise ServiceError(_("商品文本无效"), errors=errors) from None
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
