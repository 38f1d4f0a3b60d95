"""Find and replace across a shop's listings: the same extreme word usually sits on many pages.

A GET with ``find`` and ``replace`` shows every change it would make (listing, field, before and after with the
match highlighted), each with a ticked box; the POST applies the ticked ones through
``services.listings.listings_replace`` (validated, revised like a manual edit, re-scanned, all or nothing) and
comes back to the same search, which then shows what is left. Both need the capability to edit listing text.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from readiness.capabilities import Capability
from readiness.services import listings
from readiness.services.errors import ServiceError
from readiness.web import access, formatting

TEMPLATE = "readiness/replace.html"
CONTEXT_CHARS = 24  # characters shown either side of a match in a long text


class ReplaceForm(forms.Form):
    find = forms.CharField(label=gettext_lazy("查找"), max_length=listings.MAX_FIND_LENGTH)
    replace = forms.CharField(label=gettext_lazy("替换为"), max_length=listings.MAX_FIND_LENGTH, required=False)


def _excerpt(text: str, spans: tuple[tuple[int, int], ...]) -> list[dict[str, Any]]:
    """The text around the matches as segments (``marked`` for a match), long stretches between them elided."""
    segments: list[dict[str, Any]] = []
    at = 0
    for start, end in spans:
        gap = text[at:start]
        if at == 0 and len(gap) > CONTEXT_CHARS + 1:
            gap = "…" + gap[-CONTEXT_CHARS:]
        elif len(gap) > 2 * CONTEXT_CHARS + 1:
            gap = gap[:CONTEXT_CHARS] + "…" + gap[-CONTEXT_CHARS:]
        segments.append({"text": gap, "marked": False})
        segments.append({"text": text[start:end], "marked": True})
        at = end
    tail = text[at:]
    if len(tail) > CONTEXT_CHARS + 1:
        tail = tail[:CONTEXT_CHARS] + "…"
    segments.append({"text": tail, "marked": False})
    return [s for s in segments if s["text"] or s["marked"]]


def _rows(preview: listings.ReplacePreview, scope: access.Scope) -> list[dict[str, Any]]:
    assert scope.promotion is not None
    return [
        {
            "change": change,
            "value": f"{change.listing_pk}:{change.digest}:{change.field}",
            "label": formatting.field_label(change.field),
            "before": _excerpt(change.before, change.spans),
            "after": _excerpt(change.after, change.after_spans),
            "count": len(change.spans),
            "url": reverse("listing", args=[scope.shop.code, scope.promotion.code, change.listing_id]),
        }
        for change in preview.changes
    ]


def _page(
    request: HttpRequest, scope: access.Scope, form: ReplaceForm, *, error: str = "", errors: list[str] | None = None
) -> HttpResponse:
    preview = None
    if form.is_bound and form.is_valid() and not error:
        try:
            preview = listings.listings_replace_preview(
                shop=scope.shop, find=form.cleaned_data["find"], replace=form.cleaned_data["replace"]
            )
        except ServiceError as exc:
            error = exc.message
    context = scope.context() | {
        "form": form,
        "preview": preview,
        "rows": _rows(preview, scope) if preview else [],
        "error": error,
        "errors": errors or [],
        "max_listings": listings.MAX_REPLACE_LISTINGS,
        "max_changes": listings.MAX_REPLACE_CHANGES,
    }
    bad = bool(error) or (form.is_bound and not form.is_valid())
    return render(request, TEMPLATE, context, status=400 if bad else 200)


@login_required
@require_GET
def replace_page(request: HttpRequest, shop: str, promotion: str) -> HttpResponse:
    scope = access.scope(request, shop, promotion, need=Capability.EDIT_LISTING)
    return _page(request, scope, ReplaceForm(request.GET if "find" in request.GET else None))


def _refs(values: list[str]) -> list[listings.ChangeRef] | None:
    """The ticked boxes (``<listing pk>:<digest>:<field>``), or None if one is malformed."""
    refs = []
    for value in values:
        pk, _sep, rest = value.partition(":")
        digest, _sep, field = rest.partition(":")
        if not pk.isdigit() or len(digest) != 16 or not field:
            return None
        refs.append(listings.ChangeRef(listing_pk=int(pk), field=field, digest=digest))
    return refs


@login_required
@require_POST
def replace_apply(request: HttpRequest, shop: str, promotion: str) -> HttpResponse:
    scope = access.scope(request, shop, promotion, need=Capability.EDIT_LISTING)
    form = ReplaceForm(request.POST)
    refs = _refs(request.POST.getlist("change"))
    if not form.is_valid():
        return _page(request, scope, form)
    if refs is None:
        return _page(request, scope, form, error=_("提交的修改无法识别（页面可能已过期），请重新预览。"))
    find, replace = form.cleaned_data["find"], form.cleaned_data["replace"]
    try:
        result = listings.listings_replace(
            shop=scope.shop, find=find, replace=replace, selected=refs, user=request.user
        )
    except ServiceError as exc:
        details = [f"{e.get('path', '')}: {e.get('message', '')}".strip(": ") for e in exc.errors]
        return _page(request, scope, form, error=exc.message, errors=details)
    done = len({c.listing_pk for c in result.applied})
    if result.applied:
        messages.success(
            request,
            _("已把“%(find)s”替换为“%(replace)s”：%(listings)s 个商品、%(changes)s 处，已重新扫描。")
            % {"find": find, "replace": replace, "listings": done, "changes": len(result.applied)},
        )
    if result.skipped:
        where = _("、").join(f"{s.listing_id} {formatting.field_label(s.field)}" for s in result.skipped)
        messages.error(
            request,
            _("%(n)s 处在预览之后被修改过或已归档，没有替换，请重新预览后核对：%(where)s")
            % {"n": len(result.skipped), "where": where},
        )
    assert scope.promotion is not None
    url = reverse("replace", args=[scope.shop.code, scope.promotion.code])
    return HttpResponseRedirect(f"{url}?{urlencode({'find': find, 'replace': replace})}")
