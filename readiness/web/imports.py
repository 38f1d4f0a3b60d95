"""Uploads: a readiness bundle (JSON) or a catalogue spreadsheet (XLSX/CSV) for one shop and promotion.

A spreadsheet is turned into a bundle of the shop's current data with the rows applied (``readiness.imports.spreadsheet``)
and then goes through ``imports.import_job_create`` like any bundle: validated whole before anything is
written, imported and scanned by a Celery task. Problems are listed by row and column (or JSON path) and
nothing is imported while there is any. The job page polls ``import_job_progress`` for its progress bar.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness import selectors
from readiness.capabilities import Capability, may_add_shop
from readiness.imports import platform_exports, spreadsheet
from readiness.imports.bundle import FORMAT, BundleError, parse_bundle
from readiness.models import ImportJob, JobStatus, Platform, ShopMembership
from readiness.services import imports, shops
from readiness.web import access, mappings
from readiness.web.forms import UploadForm, mapping_from_post

_LABELS = {label for _key, label in spreadsheet.CHOICES}


def issue_view(issue: spreadsheet.RowIssue) -> dict[str, Any]:
    """A row issue with its message in the active language."""
    params = {k: _(v) if isinstance(v, str) and v in _LABELS else v for k, v in issue.params.items()}
    return {"row": issue.row, "column": issue.column, "path": issue.path, "message": _(issue.template).format(**params)}


def _mapping_context(table: spreadsheet.Table, mapping: list[str]) -> dict[str, Any]:
    samples = [[row[i] if i < len(row) else None for _n, row in table.rows[:3]] for i in range(len(table.headers))]
    return {
        "columns": [
            {
                "index": i,
                "header": header,
                "choice": mapping[i] if i < len(mapping) else spreadsheet.IGNORE,
                "samples": [str(v) for v in samples[i] if v not in (None, "")][:3],
            }
            for i, header in enumerate(table.headers)
        ],
        "choices": [(key, _(label)) for key, label in spreadsheet.CHOICES],
        "row_count": len(table.rows),
    }


def _recent_jobs(scope: access.Scope) -> list[ImportJob]:
    jobs = list(
        ImportJob.objects.filter(shop=scope.shop)
        .select_related("created_by", "promotion")
        .defer("payload")
        .order_by("-created_at")[:10]
    )
    for job in jobs:  # shown, never saved: the stored line said again in the reader's language
        job.summary = imports.import_summary_text(job.summary)
        job.source_label = source_label(job.source)
    return jobs


_SOURCES = {"bundle": _lazy("导入包（JSON）"), "xlsx": _lazy("Excel 表格"), "csv": _lazy("CSV 表格")}


def source_label(source: str) -> str:
    """What an import job was made from, for people (the stored code is for programs)."""
    return str(_SOURCES.get(source, source))


def _page(
    request: HttpRequest, scope: access.Scope, form: UploadForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = scope.context() | {"form": form, "jobs": _recent_jobs(scope)} | extra
    return render(request, "readiness/imports.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, shop: str, promotion: str) -> HttpResponse:
    need = Capability.READ if request.method == "GET" else Capability.IMPORT
    scope = access.scope(request, shop, promotion, need=need)
    assert scope.promotion is not None
    if request.method == "GET":
        return _page(request, scope, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, scope, form, status=400)
    upload = form.cleaned_data["file"]
    raw = upload.read()
    name = upload.name.lower()
    if name.endswith(".json"):
        try:
            job = imports.import_job_create(raw=raw, user=request.user, shop=scope.shop, source="bundle")
        except BundleError as exc:
            issues = [
                spreadsheet.RowIssue(None, None, "{message}", {"message": i.message}, path=i.path) for i in exc.errors
            ]
            return _page(request, scope, form, status=400, issues=[issue_view(i) for i in issues], total=exc.total)
        return redirect("import-job", scope.shop.code, scope.promotion.code, job.pk)

    try:
        table = spreadsheet.read_table(raw, name)
    except spreadsheet.CatalogueError as exc:
        return _page(request, scope, form, status=400, issues=[issue_view(i) for i in exc.issues])
    known = platform_exports.recognise(table)
    if known is not None:  # a platform's own export: its columns are known, no mapping is asked or remembered
        table, posted, mapping = known.table, None, known.mapping
    else:
        posted = mapping_from_post(request.POST, list(table.headers))
        mapping = posted or spreadsheet.guess_mapping(table.headers, mappings.remembered_mapping(scope.shop))
    mapping_view = _mapping_context(table, mapping)
    problems = spreadsheet.mapping_issues(table.headers, mapping)
    if problems:
        return _page(request, scope, form, status=400, issues=[issue_view(i) for i in problems], mapping=mapping_view)
    if posted is not None:
        mappings.remember_mapping(scope.shop, spreadsheet.mapping_to_store(table.headers, mapping))
    base = spreadsheet.bundle_to_json(selectors.readiness_input(promotion=scope.promotion))
    result = spreadsheet.apply_table(base, table, mapping, off_shelf=known.off_shelf if known else ())
    if result.issues:
        return _page(
            request, scope, form, status=400, issues=[issue_view(i) for i in result.issues], mapping=mapping_view
        )
    raw_bundle = json.dumps(result.bundle, ensure_ascii=False).encode("utf-8")
    source = "csv" if name.endswith((".csv", ".txt", ".tsv")) else "xlsx"
    try:
        job = imports.import_job_create(raw=raw_bundle, user=request.user, shop=scope.shop, source=source)
    except BundleError as exc:
        issues = [issue_view(result.translate(i.path, i.message)) for i in exc.errors]
        return _page(request, scope, form, status=400, issues=issues, mapping=mapping_view, total=exc.total)
    if known is not None:
        _tell_recognised(request, known, result)
    elif posted is None:
        mappings.remember_mapping(scope.shop, spreadsheet.mapping_to_store(table.headers, mapping))
    return redirect("import-job", scope.shop.code, scope.promotion.code, job.pk)


def _tell_recognised(
    request: HttpRequest, known: platform_exports.Recognised, result: spreadsheet.CatalogueResult
) -> None:
    """What the operator should know of a platform export: its format, and each item left out as not on sale."""
    messages.info(request, _("已识别为%(format)s，按平台列名导入，无需对应列。") % {"format": _(known.format.label)})
    if result.listings_archived:
        messages.info(
            request,
            ngettext(
                "%(count)d 个已有商品不在售（仓库中或已下架），导入后归档。",
                "%(count)d 个已有商品不在售（仓库中或已下架），导入后归档。",
                result.listings_archived,
            )
            % {"count": result.listings_archived},
        )
    for note in known.notes[:20]:
        view = issue_view(note)
        messages.info(request, _("第 %(row)s 行：%(message)s") % {"row": view["row"], "message": view["message"]})


@login_required
@require_GET
def import_template(request: HttpRequest, shop: str, promotion: str) -> HttpResponse:
    """The spreadsheet template: the Chinese headers the mapping recognises and an example row."""
    access.scope(request, shop, promotion)
    response = HttpResponse(
        spreadsheet.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E5%95%86%E5%93%81%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


@login_required
@require_POST
def import_columns(request: HttpRequest, shop: str, promotion: str) -> HttpResponse:
    """The column-mapping fieldset for a chosen spreadsheet (partial HTML, fetched when a file is picked)."""
    scope = access.scope(request, shop, promotion, need=Capability.IMPORT)
    upload = request.FILES.get("file")
    if upload is None:
        return HttpResponse(status=400)
    try:
        table = spreadsheet.read_table(upload.read(), upload.name)
    except spreadsheet.CatalogueError as exc:
        return render(request, "readiness/_mapping.html", {"issues": [issue_view(i) for i in exc.issues]}, status=400)
    known = platform_exports.recognise(table)
    if known is not None:
        label = _(known.format.label)
        return HttpResponse(
            format_html(
                '<p class="card" data-recognised="{}">{}</p>',
                known.format.key,
                _("已识别为%(format)s，按平台列名导入，无需对应列。") % {"format": label},
            )
        )
    mapping = spreadsheet.guess_mapping(table.headers, mappings.remembered_mapping(scope.shop))
    problems = spreadsheet.mapping_issues(table.headers, mapping)
    context = {"mapping": _mapping_context(table, mapping), "issues": [issue_view(i) for i in problems]}
    return render(request, "readiness/_mapping.html", context)


def _job(scope: access.Scope, job: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.defer("payload").select_related("promotion"), pk=job, shop=scope.shop)


def _progress(scope: access.Scope, job: ImportJob) -> dict[str, Any]:
    progress = selectors.import_job_progress(job=job)
    finished = job.status in (JobStatus.COMPLETE, JobStatus.FAILED)
    done, total = progress["done"], max(progress["total"], 1)
    promotion = job.promotion or scope.promotion
    assert promotion is not None
    return {
        "status": job.status,
        "status_label": str(JobStatus(job.status).label) if job.status in JobStatus.values else job.status,
        "done": done,
        "total": total,
        "percent": 100 if job.status == JobStatus.COMPLETE else int(100 * done / total),
        "finished": finished,
        "failed": job.status == JobStatus.FAILED,
        "summary": imports.import_summary_text(job.summary),
        "errors": job.errors or [],
        "dashboard_url": reverse("dashboard", args=[scope.shop.code, promotion.code]),
    }


@login_required
@require_GET
def import_job(request: HttpRequest, shop: str, promotion: str, job: int) -> HttpResponse:
    scope = access.scope(request, shop, promotion)
    row = _job(scope, job)
    row.source_label = source_label(row.source)
    context = scope.context() | {"job": row, "progress": _progress(scope, row)}
    return render(request, "readiness/import_job.html", context)


@login_required
@require_GET
def import_progress(request: HttpRequest, shop: str, promotion: str, job: int) -> JsonResponse:
    scope = access.scope(request, shop, promotion)
    return JsonResponse(_progress(scope, _job(scope, job)))


# ---- adding a shop ------------------------------------------------------------------------------------------


class NewShopForm(UploadForm):
    """A new shop from a bundle (which names the shop and promotion) or a spreadsheet (named here)."""

    shop_code = forms.SlugField(label=_lazy("店铺代码"), max_length=64, required=False)
    shop_name = forms.CharField(label=_lazy("店铺名称"), max_length=200, required=False)
    platform = forms.ChoiceField(label=_lazy("平台"), choices=Platform.choices, required=False)
    promotion_code = forms.SlugField(label=_lazy("活动代码"), max_length=64, required=False, initial="double11")
    promotion_name = forms.CharField(label=_lazy("活动名称"), max_length=200, required=False, initial="双11")
    sale_start = forms.DateTimeField(
        label=_lazy("开售时间"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    sale_end = forms.DateTimeField(
        label=_lazy("结束时间"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and not upload.name.lower().endswith(".json"):
            for key in ("shop_code", "shop_name", "platform", "sale_start", "sale_end", "promotion_code"):
                if not data.get(key):
                    self.add_error(key, _("用表格新建店铺时必填。"))
            start, end = data.get("sale_start"), data.get("sale_end")
            if start and end and end <= start:
                self.add_error("sale_end", _("结束时间必须晚于开售时间。"))
        return data


def _may_add_shop(request: HttpRequest) -> bool:
    roles = ShopMembership.objects.filter(user_id=request.user.pk or 0).values_list("role", flat=True)
    return may_add_shop(request.user, list(roles))


def _new_shop_page(request: HttpRequest, form: NewShopForm, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = {"form": form, "nav_shops": access.user_shops(request)} | extra
    return render(request, "readiness/shop_new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def shop_new(request: HttpRequest) -> HttpResponse:
    """Add a shop: who may is decided by ``capabilities.may_add_shop``; the creator becomes its operations
    manager. Nothing is created when the file has any problem (the shop and its import job are one transaction)."""
    if not _may_add_shop(request):
        raise PermissionDenied("may not add a shop")
    if request.method == "GET":
        return _new_shop_page(request, NewShopForm())
    form = NewShopForm(request.POST, request.FILES)
    if not form.is_valid():
        return _new_shop_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    raw, name = upload.read(), upload.name.lower()
    issues: list[spreadsheet.RowIssue]
    recognised = None
    if name.endswith(".json"):
        try:
            shop_data = parse_bundle(raw).bundle.shop
        except BundleError as exc:
            issues = [
                spreadsheet.RowIssue(None, None, "{message}", {"message": i.message}, path=i.path) for i in exc.errors
            ]
            return _new_shop_page(request, form, status=400, issues=[issue_view(i) for i in issues])
        code, shop_name, platform, source = shop_data.code, shop_data.name, shop_data.platform, "bundle"
    else:
        data = form.cleaned_data
        code, shop_name, platform = data["shop_code"], data["shop_name"], data["platform"]
        try:
            table = spreadsheet.read_table(raw, name)
        except spreadsheet.CatalogueError as exc:
            return _new_shop_page(request, form, status=400, issues=[issue_view(i) for i in exc.issues])
        recognised = platform_exports.recognise(table)
        if recognised is not None:
            table, mapping = recognised.table, recognised.mapping
        else:
            mapping = spreadsheet.guess_mapping(table.headers)
        problems = spreadsheet.mapping_issues(table.headers, mapping)
        if problems:
            return _new_shop_page(request, form, status=400, issues=[issue_view(i) for i in problems])
        base = {
            "format": FORMAT,
            "shop": {"code": code, "name": shop_name, "platform": platform},
            "promotion": {
                "code": data["promotion_code"],
                "name": data["promotion_name"] or data["promotion_code"],
                "sale_start": data["sale_start"].isoformat(),
                "sale_end": data["sale_end"].isoformat(),
            },
            "listings": [],
        }
        result = spreadsheet.apply_table(
            base, table, mapping, off_shelf=recognised.off_shelf if recognised is not None else ()
        )
        if result.issues:
            return _new_shop_page(request, form, status=400, issues=[issue_view(i) for i in result.issues])
        raw = json.dumps(result.bundle, ensure_ascii=False).encode("utf-8")
        source = "csv" if name.endswith((".csv", ".txt", ".tsv")) else "xlsx"
    try:
        with transaction.atomic():
            shop = shops.shop_create(code=code, name=shop_name, platform=platform, user=request.user)
            job = imports.import_job_create(raw=raw, user=request.user, shop=shop, source=source)
    except shops.ShopExists:
        form.add_error("shop_code", _("店铺代码 %(code)s 已存在。") % {"code": code})
        return _new_shop_page(request, form, status=400)
    except BundleError as exc:
        issues = [
            spreadsheet.RowIssue(None, None, "{message}", {"message": i.message}, path=i.path) for i in exc.errors
        ]
        return _new_shop_page(request, form, status=400, issues=[issue_view(i) for i in issues], total=exc.total)
    messages.success(request, _("已新建店铺 %(name)s，正在导入。") % {"name": shop.name})
    if recognised is not None:
        messages.info(
            request, _("已识别为%(format)s，按平台列名导入，无需对应列。") % {"format": _(recognised.format.label)}
        )
    promotion = parse_bundle(raw).bundle.promotion.code
    return redirect("import-job", shop.code, promotion, job.pk)
