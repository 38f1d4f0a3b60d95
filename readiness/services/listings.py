"""Writes of listings: editing a listing's text, with its revision kept and the listing re-scanned; and find and
replace of a word across a shop's listings (preview, then apply), each change recorded like a manual edit."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from readiness.imports import bundle
from readiness.models import Listing, ListingRevision, Shop
from readiness.services.errors import ServiceError
from readiness.services.scans import listing_rescan, listings_rescan

# Bounds of one find-and-replace: each changed listing is validated, revised and re-scanned in one transaction,
# so the cost of an apply grows with them. A preview shows at most MAX_REPLACE_LISTINGS listings (the rest are
# found again by the next preview once these are done).
MAX_REPLACE_LISTINGS = 100
MAX_REPLACE_CHANGES = 300
MAX_FIND_LENGTH = 100
TEXT_FIELDS = ("title", "subtitle", "description")


def listing_update_text(
    *, listing: Listing, changes: dict[str, Any], user: Any, source: str = "web", rescan: bool = True
) -> Listing:
    """Change a listing's text (title, subtitle, description, specs), keep who changed what and when, and
    re-scan the listing so its findings and the shop's score are current. The changes are validated by
    ``bundle.validate_listing_text``, the one validator of listing text. ``rescan=False`` leaves the re-scan to
    the caller, which changes many listings and re-scans them together."""
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
        if rescan:
            listing_rescan(listing=listing)
    return listing


# ---- find and replace across a shop's listings ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextChange:
    """One field of one listing where the word occurs: its text before and after, and where the matches are."""

    listing_pk: int
    listing_id: str
    listing_title: str
    field: str  # title, subtitle, description or specs.<name>
    before: str
    after: str
    spans: tuple[tuple[int, int], ...]  # the matches in ``before``
    digest: str  # of ``before``: the apply skips the change if the text is no longer this

    @property
    def after_spans(self) -> tuple[tuple[int, int], ...]:
        """The replacements in ``after``."""
        grow = len(self.after) - len(self.before)
        step = grow // len(self.spans) if self.spans else 0
        width = self.spans[0][1] - self.spans[0][0] + step if self.spans else 0
        return tuple((start + i * step, start + i * step + width) for i, (start, _end) in enumerate(self.spans))


@dataclass(frozen=True, slots=True)
class ReplacePreview:
    changes: list[TextChange]  # of the first MAX_REPLACE_LISTINGS listings with a match
    listings: int  # every listing with a match
    truncated: bool


@dataclass(frozen=True, slots=True)
class ChangeRef:
    """A change the editor kept ticked: which field of which listing, and the text's digest they saw."""

    listing_pk: int
    field: str
    digest: str


@dataclass(frozen=True, slots=True)
class SkippedChange:
    listing_id: str  # "" when the listing is no longer the shop's
    field: str


@dataclass(frozen=True, slots=True)
class ReplaceResult:
    applied: list[TextChange]
    skipped: list[SkippedChange]  # changed (or archived) since the preview: left alone, reported


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _check_words(find: str, replace: str) -> None:
    if not find:
        raise ServiceError(_("请输入要查找的文字"), errors=[{"path": "find", "message": _("不能为空")}])
    if len(find) > MAX_FIND_LENGTH or len(replace) > MAX_FIND_LENGTH:
        raise ServiceError(
            _("查找和替换的文字最多 %(n)s 个字") % {"n": MAX_FIND_LENGTH},
            errors=[{"path": "find", "message": _("太长")}],
        )
    if find == replace:
        raise ServiceError(
            _("替换后的文字与查找的文字相同"), errors=[{"path": "replace", "message": _("与查找的文字相同")}]
        )


def _fields(listing: Listing) -> Iterator[tuple[str, str]]:
    for name in TEXT_FIELDS:
        yield name, getattr(listing, name) or ""
    for key, value in (listing.specs or {}).items():
        if isinstance(value, str):
            yield f"specs.{key}", value


def _change(listing: Listing, field: str, text: str, find: str, replace: str) -> TextChange | None:
    spans = []
    at = text.find(find)
    while at != -1:
        spans.append((at, at + len(find)))
        at = text.find(find, at + len(find))
    if not spans:
        return None
    return TextChange(
        listing_pk=listing.pk,
        listing_id=listing.listing_id,
        listing_title=listing.title,
        field=field,
        before=text,
        after=text.replace(find, replace),
        spans=tuple(spans),
        digest=text_digest(text),
    )


def _candidates(shop: Shop, find: str) -> Any:
    """The shop's active listings that may contain ``find`` (a superset, narrowed in SQL; confirmed in Python).
    Specs are JSON: SQLite keeps them with non-ASCII escaped (\\uXXXX), PostgreSQL as the characters."""
    escaped = json.dumps(find)[1:-1]
    match = Q(title__contains=find) | Q(subtitle__contains=find) | Q(description__contains=find)
    match |= Q(specs_text__contains=find) | Q(specs_text__contains=escaped)
    return (
        Listing.objects.filter(shop=shop, archived_at__isnull=True)
        .annotate(specs_text=Cast("specs", TextField()))
        .filter(match)
        .only("pk", "listing_id", *TEXT_FIELDS, "specs")
        .order_by("listing_id")
    )


def listings_replace_preview(*, shop: Shop, find: str, replace: str) -> ReplacePreview:
    """Every change replacing ``find`` by ``replace`` would make in the shop's active listings (a read: nothing is
    written). At most MAX_REPLACE_LISTINGS listings are listed; ``listings`` counts all that match."""
    _check_words(find, replace)
    changes: list[TextChange] = []
    matched = 0
    for listing in _candidates(shop, find).iterator(chunk_size=500):
        found = [c for name, text in _fields(listing) if (c := _change(listing, name, text, find, replace))]
        if not found:
            continue
        matched += 1
        if matched <= MAX_REPLACE_LISTINGS:
            changes.extend(found)
    return ReplacePreview(changes=changes, listings=matched, truncated=matched > MAX_REPLACE_LISTINGS)


def _field_text(listing: Listing, field: str) -> str | None:
    if field in TEXT_FIELDS:
        return getattr(listing, field) or ""
    if field.startswith("specs."):
        value = (listing.specs or {}).get(field[len("specs.") :])
        return value if isinstance(value, str) else None
    return None


def listings_replace(
    *, shop: Shop, find: str, replace: str, selected: Sequence[ChangeRef], user: Any, source: str = "replace"
) -> ReplaceResult:
    """Replace ``find`` by ``replace`` in the fields the editor kept ticked, all or nothing in one transaction:
    each changed listing is validated by ``bundle.validate_listing_text``, gets a revision like a manual edit,
    and the changed listings are re-scanned together. A field whose text is no longer what the preview showed
    (its digest differs: someone edited it since) is skipped and reported, never overwritten. More than
    MAX_REPLACE_LISTINGS listings or MAX_REPLACE_CHANGES changes at once is refused."""
    _check_words(find, replace)
    refs = list(dict.fromkeys(selected))
    if not refs:
        raise ServiceError(_("没有选中任何修改"), errors=[{"path": "change", "message": _("至少选一处")}])
    wanted = {ref.listing_pk for ref in refs}
    if len(refs) > MAX_REPLACE_CHANGES or len(wanted) > MAX_REPLACE_LISTINGS:
        raise ServiceError(
            _(
                "一次最多替换 %(listings)s 个商品、%(changes)s 处文字（这次选了 %(chosen_listings)s 个商品、%(chosen)s 处），请少选一些，分几次替换。"
            )
            % {
                "listings": MAX_REPLACE_LISTINGS,
                "changes": MAX_REPLACE_CHANGES,
                "chosen_listings": len(wanted),
                "chosen": len(refs),
            },
            errors=[{"path": "change", "message": _("选中的修改太多")}],
        )
    applied: list[TextChange] = []
    skipped: list[SkippedChange] = []
    with transaction.atomic():
        # Locked until the end: no edit can slip in between the comparison below and the write.
        rows = {
            listing.pk: listing
            for listing in Listing.objects.select_for_update().filter(
                shop=shop, archived_at__isnull=True, pk__in=wanted
            )
        }
        by_listing: dict[int, list[TextChange]] = defaultdict(list)
        for ref in refs:
            listing = rows.get(ref.listing_pk)
            text = _field_text(listing, ref.field) if listing is not None else None
            change = _change(listing, ref.field, text, find, replace) if listing and text is not None else None
            if change is None or change.digest != ref.digest:
                skipped.append(SkippedChange(listing_id=listing.listing_id if listing else "", field=ref.field))
                continue
            by_listing[ref.listing_pk].append(change)
        for pk, listing_changes in by_listing.items():
            listing = rows[pk]
            changes: dict[str, Any] = {}
            for change in listing_changes:
                if change.field.startswith("specs."):
                    specs = changes.setdefault("specs", dict(listing.specs or {}))
                    specs[change.field[len("specs.") :]] = change.after
                else:
                    changes[change.field] = change.after
            try:
                listing_update_text(listing=listing, changes=changes, user=user, source=source, rescan=False)
            except ServiceError as exc:
                raise ServiceError(
                    _("商品 %(listing)s 替换后无法保存：%(error)s，所有修改均未保存。")
                    % {"listing": listing.listing_id, "error": exc.message},
                    errors=[
                        {"path": f"{listing.listing_id}.{e.get('path', '')}", "message": e.get("message", "")}
                        for e in exc.errors
                    ],
                ) from None
            applied.extend(listing_changes)
        listings_rescan(shop_id=shop.pk, listing_pks=sorted(by_listing))
    return ReplaceResult(applied=applied, skipped=skipped)
