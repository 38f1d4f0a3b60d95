"""The listing editor's pages: the queue of flagged listings, and one listing with its findings highlighted in
place, where the editor edits text, applies a suggestion or waives a finding.

Every change goes through a service (``listing_update_text`` keeps a ``ListingRevision`` with who and when
and re-scans the listing; ``waiver_create`` / ``waiver_lift`` re-score). A form posted by the page's script
(header ``X-Requested-With: fetch``) gets the listing panel back as partial HTML, so the page updates without a
reload; without scripts the same forms post normally and redirect back.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from readiness.capabilities import Capability
from readiness.models import Check, Finding, Listing, ListingImage, Waiver
from readiness.services import images, listings, waivers
from readiness.services.errors import ServiceError
from readiness.web import access, formatting, highlight, presenters, queries, suggestions
from readiness.web.forms import PICTURE_FORMATS, ApplyForm, EditForm, PictureForm, WaiveForm

PANEL_TEMPLATE = "readiness/_listing_panel.html"


# ---- the queue ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest, shop: str, promotion: str) -> HttpResponse:
    scope = access.scope(request, shop, promotion)
    assert scope.promotion is not None
    run = queries.latest_run(scope.promotion)
    category = request.GET.get("category", "")
    check = request.GET.get("check", "")
    check = check if check in Check.values else ""
    page = rows = None
    query = _queue_query(category, check)
    check_choices = []
    if run is not None:
        page = Paginator(queries.queue(run, category=category, check=check), 50).get_page(request.GET.get("page"))
        rows = [
            {
                "row": row,
                "worst_label": formatting.severity_label(row.worst),
                "checks": [formatting.check_label(c) for c in row.checks],
                "url": reverse("listing", args=[scope.shop.code, scope.promotion.code, row.listing_id])
                + "?"
                + _queue_query(category, check, pos=page.start_index() + i),
            }
            for i, row in enumerate(queries.queue_rows(run, list(page.object_list), check=check))
        ]
        present = set(queries.queue_checks(run)) | ({check} if check else set())
        check_choices = [(value, label) for value, label in Check.choices if value in present]
    context = scope.context() | {
        "run": run,
        "page": page,
        "rows": rows,
        "category": category,
        "check": check,
        "query": query,
        "categories": queries.categories(scope.shop),
        "check_choices": check_choices,
        "list_separator": _("、"),
    }
    return render(request, "readiness/queue.html", context)


def _queue_query(category: str, check: str, *, pos: int | None = None) -> str:
    """The queue's filter state as a query string (and a listing's position in it), carried by the links."""
    pairs = [(k, v) for k, v in (("category", category), ("check", check)) if v]
    if pos is not None:
        pairs.append(("pos", str(pos)))
    return urlencode(pairs)


def _nav_query(request: HttpRequest) -> str:
    """The queue state a listing page was opened with, kept by its forms so a plain post comes back to it."""
    pos = request.GET.get("pos", "")
    check = request.GET.get("check", "")
    return _queue_query(
        request.GET.get("category", ""),
        check if check in Check.values else "",
        pos=int(pos) if pos.isdigit() else None,
    )


def _queue_nav(request: HttpRequest, scope: access.Scope, run: Any, listing: Listing) -> dict[str, Any] | None:
    """上一个/下一个 through the queue with the filters the editor came with. A listing no longer on the queue
    (all fixed) is placed by the position it was opened at (``pos``), so 下一个 goes on to the one after it."""
    if run is None:
        return None
    category = request.GET.get("category", "")
    check = request.GET.get("check", "")
    check = check if check in Check.values else ""
    order = queries.queue_order(run, category=category, check=check)
    pos_arg = request.GET.get("pos", "")
    if listing.pk in order:
        index = order.index(listing.pk)
        prev_index, next_index, position = index - 1, index + 1, index + 1
    elif pos_arg.isdigit() and int(pos_arg) >= 1:
        prev_index, next_index, position = int(pos_arg) - 2, int(pos_arg) - 1, None
    else:
        prev_index, next_index, position = -1, 0, None
    prev_pk = order[prev_index] if 0 <= prev_index < len(order) else None
    next_pk = order[next_index] if 0 <= next_index < len(order) else None
    ids = queries.listing_ids([pk for pk in (prev_pk, next_pk) if pk is not None])
    assert scope.promotion is not None

    def link(pk: int | None, index: int) -> str:
        if pk is None:
            return ""
        url = reverse("listing", args=[scope.shop.code, scope.promotion.code, ids[pk]])  # type: ignore[union-attr]
        return f"{url}?{_queue_query(category, check, pos=index + 1)}"

    return {
        "prev_url": link(prev_pk, prev_index),
        "next_url": link(next_pk, next_index),
        "prev_id": ids.get(prev_pk or 0, ""),
        "next_id": ids.get(next_pk or 0, ""),
        "position": position,
        "total": len(order),
        "queue_url": reverse("queue", args=[scope.shop.code, scope.promotion.code])
        + (f"?{_queue_query(category, check)}" if category or check else ""),
    }


# ---- one listing -------------------------------------------------------------------------------------------


def _listing(scope: access.Scope, listing_id: str) -> Listing:
    return get_object_or_404(Listing.objects.filter(shop=scope.shop), listing_id=listing_id)


def listing_context(scope: access.Scope, listing: Listing) -> dict[str, Any]:
    assert scope.promotion is not None
    run = queries.latest_run(scope.promotion)
    detail = queries.listing_detail(run, listing)
    fields, text_findings, other_findings = presenters.listing_fields(detail)
    now_rows = [presenters.issue(v.row, scope.promotion) for v in (*text_findings, *other_findings)]
    for view, row in zip((*text_findings, *other_findings), now_rows, strict=True):
        view.row = row
    return scope.context() | {
        "run": run,
        "listing": listing,
        "detail": detail,
        "fields": fields,
        "text_findings": text_findings,
        "picture_findings": [v for v in other_findings if (v.row.get("field") or "").startswith("images[")],
        "other_findings": [v for v in other_findings if not (v.row.get("field") or "").startswith("images[")],
        "history": _history(detail),
        "pictures": presenters.listing_pictures(queries.listing_pictures(listing), detail, scope),
        "picture_form": PictureForm(),
        "waive_form": WaiveForm(),
        "listing_status_label": formatting.status_label(detail.status) if detail.status else "",
    }


def _history(detail: queries.ListingDetail) -> list[dict[str, Any]]:
    """Edits and waiver decisions on this listing, newest first."""
    entries: list[dict[str, Any]] = []
    for revision in detail.revisions:
        changes = []
        for name, values in (revision.changes or {}).items():
            if name == "specs" and isinstance(values.get("old"), dict) and isinstance(values.get("new"), dict):
                old, new = values["old"], values["new"]
                for key in sorted(set(old) | set(new)):
                    if old.get(key) != new.get(key):
                        changes.append(
                            {
                                "label": formatting.field_label(f"specs.{key}"),
                                "old": old.get(key, ""),
                                "new": new.get(key, ""),
                            }
                        )
                continue
            changes.append(
                {"label": formatting.field_label(name), "old": values.get("old", ""), "new": values.get("new", "")}
            )
        entries.append(
            {
                "at": revision.changed_at,
                "who": revision.changed_by.get_username() if revision.changed_by else _("系统"),
                "kind": "edit",
                "source": revision.source,
                "source_label": "" if revision.source == "web" else presenters.source_label(revision.source),
                "changes": changes,
            }
        )
    for waiver in detail.waivers:
        entries.append(
            {
                "at": waiver.created_at,
                "who": waiver.created_by.get_username(),
                "kind": "waive",
                "rule": presenters.rule_label(waiver.rule),
                "reason": waiver.reason,
                "waiver": waiver,
            }
        )
        if waiver.lifted_at is not None:
            entries.append(
                {
                    "at": waiver.lifted_at,
                    "who": waiver.lifted_by.get_username() if waiver.lifted_by else "",
                    "kind": "lift",
                    "rule": presenters.rule_label(waiver.rule),
                    "reason": waiver.reason,
                }
            )
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


@login_required
@require_GET
def listing_page(request: HttpRequest, shop: str, promotion: str, listing_id: str) -> HttpResponse:
    scope = access.scope(request, shop, promotion)
    listing = _listing(scope, listing_id)
    context = listing_context(scope, listing)
    context["nav"] = _queue_nav(request, scope, context["run"], listing)
    context["nav_query"] = _nav_query(request)
    return render(request, "readiness/listing.html", context)


def _is_partial(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _respond(
    request: HttpRequest,
    scope: access.Scope,
    listing: Listing,
    *,
    message: str = "",
    error: str = "",
    errors: list[str] | None = None,
) -> HttpResponse:
    """The listing panel (to a script) or a redirect to the listing page with a message."""
    nav_query = _nav_query(request)
    if _is_partial(request):
        context = listing_context(scope, listing) | {
            "status_message": message,
            "status_error": error,
            "errors": errors,
            "nav_query": nav_query,
        }
        return render(request, PANEL_TEMPLATE, context, status=400 if error else 200)
    if error:
        messages.error(request, " ".join([error, *(errors or [])]))
    elif message:
        messages.success(request, message)
    assert scope.promotion is not None
    url = reverse("listing", args=[scope.shop.code, scope.promotion.code, listing.listing_id])
    return redirect(f"{url}?{nav_query}" if nav_query else url)


def _scores(scope: access.Scope, listing: Listing | None) -> tuple[int | None, int | None]:
    """The shop's and the listing's score now (None before the first scan, or without a listing)."""
    assert scope.promotion is not None
    run = queries.latest_run(scope.promotion)
    if run is None:
        return None, None
    return run.score, queries.listing_score(run, listing) if listing is not None else None


def _score_change(before: tuple[int | None, int | None], scope: access.Scope, listing: Listing | None) -> str:
    """ "店铺得分 33 → 33，本商品得分 32 → 56。" after a change (empty when there is no scan to compare)."""
    after = _scores(scope, listing)
    if before[0] is None or after[0] is None:
        return ""
    if before[1] is None or after[1] is None:
        return _("店铺得分 %(before)s → %(after)s。") % {"before": before[0], "after": after[0]}
    return _("店铺得分 %(shop_before)s → %(shop_after)s，本商品得分 %(before)s → %(after)s。") % {
        "shop_before": before[0],
        "shop_after": after[0],
        "before": before[1],
        "after": after[1],
    }


def _changes(listing: Listing, field: str, value: str) -> dict[str, Any]:
    if field.startswith("specs."):
        return {"specs": {**(listing.specs or {}), field[len("specs.") :]: value}}
    return {field: value}


def _field_value(listing: Listing, field: str) -> str | None:
    if field in presenters.EDITABLE:
        return str(getattr(listing, field))
    if field.startswith("specs."):
        value = (listing.specs or {}).get(field[len("specs.") :])
        return None if value is None else str(value)
    return None


def _service_errors(exc: ServiceError) -> list[str]:
    return [f"{e.get('path', '')}: {e.get('message', '')}".strip(": ") for e in exc.errors]


@login_required
@require_POST
def listing_edit(request: HttpRequest, shop: str, promotion: str, listing_id: str) -> HttpResponse:
    scope = access.scope(request, shop, promotion, need=Capability.EDIT_LISTING)
    listing = _listing(scope, listing_id)
    form = EditForm(request.POST)
    if not form.is_valid():
        return _respond(request, scope, listing, error=_("无法保存。"), errors=_form_errors(form))
    field = form.cleaned_data["field"]
    value = form.cleaned_data["value"]
    current = _field_value(listing, field) or ""
    if "\r" not in current:
        value = value.replace("\r\n", "\n")  # browsers send textarea line breaks as CRLF
    if field in ("title", "subtitle") or field.startswith("specs."):
        value = value.replace("\r", " ").replace("\n", " ")
    before = _scores(scope, listing)
    try:
        listings.listing_update_text(
            listing=listing, changes=_changes(listing, field, value), user=request.user, source="web"
        )
    except ServiceError as exc:
        listing.refresh_from_db()
        return _respond(
            request,
            scope,
            listing,
            error=_("无法保存：%(error)s") % {"error": exc.message},
            errors=_service_errors(exc),
        )
    return _respond(request, scope, listing, message=_("已保存并重新扫描。") + _score_change(before, scope, listing))


@login_required
@require_POST
def listing_apply(request: HttpRequest, shop: str, promotion: str, listing_id: str) -> HttpResponse:
    """Replace a finding's text with its suggestion, save and re-scan."""
    scope = access.scope(request, shop, promotion, need=Capability.EDIT_LISTING)
    listing = _listing(scope, listing_id)
    form = ApplyForm(request.POST)
    finding = None
    if form.is_valid():
        finding = Finding.objects.filter(
            pk=form.cleaned_data["finding"], listing=listing, run__promotion=scope.promotion
        ).first()
    if finding is None:
        return _respond(request, scope, listing, error=_("这个问题已不存在（页面可能已过期），请刷新后再试。"))
    choices = suggestions.replacements(finding.suggestion)
    choice = form.cleaned_data.get("choice") or 0
    current = _field_value(listing, finding.field)
    if not choices or choice >= len(choices) or current is None:
        return _respond(request, scope, listing, error=_("这个问题没有可以直接套用的建议。"))
    if not highlight.valid(current, finding.start, finding.end, finding.text):
        return _respond(request, scope, listing, error=_("文本在扫描后已被修改，请重新扫描后再套用建议。"))
    assert finding.start is not None and finding.end is not None
    value = suggestions.replace_span(current, finding.start, finding.end, choices[choice])
    before = _scores(scope, listing)
    try:
        listings.listing_update_text(
            listing=listing, changes=_changes(listing, finding.field, value), user=request.user, source="web"
        )
    except ServiceError as exc:
        listing.refresh_from_db()
        return _respond(
            request,
            scope,
            listing,
            error=_("无法保存：%(error)s") % {"error": exc.message},
            errors=_service_errors(exc),
        )
    message = _("已把“%(old)s”改为“%(new)s”。") % {"old": finding.text, "new": choices[choice]}
    return _respond(
        request, scope, listing, message=message + _("已保存并重新扫描。") + _score_change(before, scope, listing)
    )


@login_required
@require_POST
def listing_picture_upload(request: HttpRequest, shop: str, promotion: str, listing_id: str) -> HttpResponse:
    """Add a picture to the listing; the workers read its text and re-scan the listing (never this request).
    A picture is listing text: the same capability as an edit."""
    scope = access.scope(request, shop, promotion, need=Capability.EDIT_LISTING)
    listing = _listing(scope, listing_id)
    form = PictureForm(request.POST, request.FILES)
    if not form.is_valid():
        return _respond(request, scope, listing, error=_("无法上传。"), errors=_form_errors(form))
    upload = form.cleaned_data["image"]
    upload.seek(0)
    images.listing_image_upload(listing=listing, data=upload.read(), kind=form.cleaned_data["kind"])
    return _respond(request, scope, listing, message=_("图片已上传，文字识别在后台进行，完成后问题列表会更新。"))


@login_required
@require_GET
def listing_picture(request: HttpRequest, shop: str, promotion: str, image: int) -> HttpResponse:
    """A listing picture's bytes, for the listing page (only the shop's own, only image formats, sandboxed)."""
    scope = access.scope(request, shop, promotion)
    row = get_object_or_404(ListingImage.objects.filter(listing__shop=scope.shop).exclude(sha256=""), pk=image)
    data = queries.picture_bytes(row.sha256)
    content_type = PICTURE_FORMATS.get(queries.picture_format(data) or "") if data is not None else None
    if data is None or content_type is None:
        raise Http404("no picture")
    response = HttpResponse(data, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, max-age=86400, immutable"  # by content hash: it never changes
    return response


def _form_errors(form: Any) -> list[str]:
    return [
        f"{form.fields[name].label or name}: {error}" if name != "__all__" else str(error)
        for name, errs in form.errors.items()
        for error in errs
    ]


def _next_url(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


@login_required
@require_POST
def finding_waive(request: HttpRequest, shop: str, promotion: str, finding: int) -> HttpResponse:
    """Accept one finding with a reason (it stays listed, marked waived, and no longer counts)."""
    scope = access.scope(request, shop, promotion, need=Capability.WAIVE)
    row = get_object_or_404(Finding.objects.select_related("run__shop", "listing"), pk=finding, run__shop=scope.shop)
    form = WaiveForm(request.POST)
    message = error = ""
    errors: list[str] = []
    if form.is_valid():
        before = _scores(scope, row.listing)
        try:
            waivers.waiver_create(
                finding=row,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expires_at=form.cleaned_data.get("expires_at"),
            )
        except ServiceError as exc:
            error = exc.message
            errors = _service_errors(exc)
        else:
            message = _("已豁免。") + _score_change(before, scope, row.listing)
    else:
        error = _("请填写豁免理由。")
        errors = _form_errors(form)
    if row.listing is not None and (_is_partial(request) or _next_url(request) is None):
        return _respond(request, scope, row.listing, message=message, error=error, errors=errors)
    if error:
        messages.error(request, " ".join([error, *errors]))
    else:
        messages.success(request, message)
    assert scope.promotion is not None
    return redirect(_next_url(request) or reverse("dashboard", args=[scope.shop.code, scope.promotion.code]))


@login_required
@require_POST
def waiver_lift(request: HttpRequest, shop: str, promotion: str, waiver: int) -> HttpResponse:
    scope = access.scope(request, shop, promotion, need=Capability.WAIVE)
    row = get_object_or_404(Waiver.objects.select_related("listing", "shop"), pk=waiver, shop=scope.shop)
    message = error = ""
    try:
        waivers.waiver_lift(waiver=row, user=request.user)
    except ServiceError as exc:
        error = exc.message
    else:
        message = _("已撤销豁免，问题重新计入得分。")
    if row.listing is not None and (_is_partial(request) or _next_url(request) is None):
        return _respond(request, scope, row.listing, message=message, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    assert scope.promotion is not None
    return redirect(_next_url(request) or reverse("dashboard", args=[scope.shop.code, scope.promotion.code]))
