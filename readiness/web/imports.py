"""Uploads: a readiness bundle (JSON) or a catalogue spreadsheet (XLSX/CSV) for one shop and promotion.

A spreadsheet is turned into a bundle of the shop's current data with the rows applied (``readiness.imports.spreadsheet``)
and then goes through ``imports.import_job_create`` like any bundle: validated whole before anything is
written, imported and scanned by a Celery task. Problems are listed by row and column (or JSON path) and
nothing is imported while there is any. The job page polls ``import_job_progress`` for its progress bar.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness import selectors
from readiness.capabilities import Capability
from readiness.imports import spreadsheet
from readiness.imports.bundle import BundleError
from readiness.models import ImportJob, JobStatus
from readiness.services import imports
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
    posted = mapping_from_post(request.POST, list(table.headers))
    mapping = posted or spreadsheet.guess_mapping(table.headers, mappings.remembered_mapping(scope.shop))
    mapping_view = _mapping_context(table, mapping)
    problems = spreadsheet.mapping_issues(table.headers, mapping)
    if problems:
        return _page(request, scope, form, status=400, issues=[issue_view(i) for i in problems], mapping=mapping_view)
    if posted is not None:
        mappings.remember_mapping(scope.shop, spreadsheet.mapping_to_store(table.headers, mapping))
    base = spreadsheet.bundle_to_json(selectors.readiness_input(promotion=scope.promotion))
    result = spreadsheet.apply_table(base, table, mapping)
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
    if posted is None:
        mappings.remember_mapping(scope.shop, spreadsheet.mapping_to_store(table.headers, mapping))
    return redirect("import-job", scope.shop.code, scope.promotion.code, job.pk)


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
