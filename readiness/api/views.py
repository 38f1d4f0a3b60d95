"""The REST API, one view per operation: check access, validate the input, call a service or a selector, return
the output serializer. Two URLs carry two operations each (a listing: GET and PATCH; a finding's waiver: POST and
DELETE); their views are combined by inheritance at the end of this module.

Access (``readiness.api.permissions``): any member of a shop may read it; importing needs the api_client or
operations_manager role, editing listing text and waiving need listing_editor or operations_manager. A shop the
user is not a member of answers 404, as does every object in it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from readiness import selectors
from readiness.api import examples, queries, reports
from readiness.api import serializers as s
from readiness.api.filters import FindingFilter, WaiverFilter
from readiness.api.negotiation import ProblemAwareNegotiation
from readiness.api.openapi import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, ApiAutoSchema, problems
from readiness.api.parsers import BundleParser, LimitedJSONParser, body_bytes
from readiness.api.permissions import Capability, job_access, object_access, promotion_access, shop_access
from readiness.api.scan import first_per_field, scan_listings
from readiness.imports.bundle import Bundle
from readiness.models import Finding, Promotion, ScanRun, Shop, Waiver
from readiness.services.imports import import_job_create
from readiness.services.listings import listing_update_text
from readiness.services.waivers import waiver_create, waiver_lift

READ, IMPORT, EDIT, WAIVE = Capability.READ, Capability.IMPORT, Capability.EDIT_LISTING, Capability.WAIVE


# ---- plumbing ---------------------------------------------------------------------------------------------------


class PerUserRateThrottle(UserRateThrottle):
    """DRF's per-user throttle (a token belongs to one user, so this is per token), with the rate read on each
    request rather than at import, so that ``override_settings`` and a changed API_THROTTLE_RATE apply."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class Pagination(PageNumberPagination):
    """Page numbers from 1; ``page`` and ``page_size`` that are not integers in range are refused with 400 (DRF
    would answer 404 for ``page=abc`` and silently use the default for ``page_size=abc``). A page past the last
    one is 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    last_page_strings = ()

    def get_page_size(self, request: Request) -> int:
        return _query_int(request, "page_size", default=self.page_size, maximum=self.max_page_size)

    def get_page_number(self, request: Request, paginator: Any) -> int:
        return _query_int(request, "page", default=1)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        page, size = super().get_schema_operation_parameters(view)
        page["schema"] = {"type": "integer", "minimum": 1, "default": 1}
        page["description"] = "page number from 1 (400 if not a positive integer, 404 past the last page)"
        size["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size, "default": self.page_size}
        size["description"] = f"rows per page, 1 to {self.max_page_size} (400 otherwise)"
        return [page, size]


def _query_int(request: Request, name: str, *, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= (maximum or int(raw)):
        return int(raw)
    if maximum is None:
        message = _("应为正整数，收到 %(value)r") % {"value": raw}
    else:
        message = _("应为 1 到 %(maximum)d 之间的整数，收到 %(value)r") % {"maximum": maximum, "value": raw}
    raise ValidationError({name: [message]})


class ApiView(APIView):
    schema = ApiAutoSchema()
    renderer_classes = [JSONRenderer]
    content_negotiation_class = ProblemAwareNegotiation
    parser_classes = [LimitedJSONParser]
    throttle_classes = [PerUserRateThrottle]


# A paginated, filtered list. (A comment, not a docstring: the schema would show it as every list's description.)
# ``queryset`` is only for the schema (the model of the filter set): the views get their rows from ``queries``,
# scoped to a shop the user may read.
class ListApiView(GenericAPIView):
    schema = ApiAutoSchema()
    renderer_classes = [JSONRenderer]
    content_negotiation_class = ProblemAwareNegotiation
    throttle_classes = [PerUserRateThrottle]
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]


# ---- shops and promotions -----------------------------------------------------------------------------------------


class ShopListApi(ListApiView):
    queryset = Shop.objects.none()

    @extend_schema(
        operation_id="shops_list",
        tags=["shops"],
        summary="The shops you are a member of",
        examples=[examples.SHOP],
        responses={200: s.ShopOutputSerializer(many=True), **problems(*LIST_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(queries.shops_with_role(user=request.user))
        data = s.ShopOutputSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


class PromotionListApi(ListApiView):
    queryset = Promotion.objects.none()

    @extend_schema(
        operation_id="promotions_list",
        tags=["shops"],
        summary="A shop's promotions with their latest score",
        examples=[examples.PROMOTION],
        responses={200: s.PromotionOutputSerializer(many=True), **problems(*LIST_ERRORS)},
    )
    def get(self, request: Request, shop: str) -> Response:
        shop_obj = shop_access(request.user, shop, READ)
        page = self.paginate_queryset(queries.promotions_of(shop=shop_obj))
        data = s.PromotionOutputSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


# ---- bundles and jobs ------------------------------------------------------------------------------------------------


class BundleCreateApi(ApiView):
    parser_classes = [BundleParser]

    @extend_schema(
        operation_id="bundles_create",
        tags=["bundles"],
        summary="Push a readiness bundle: validated now, imported and scanned by a worker",
        description=(
            "The body is a readiness bundle (interfaces.md §2) for the shop of the URL, at most BUNDLE_MAX_BYTES. "
            "It is validated synchronously: 400 lists every JSON path in error. Then a job imports it and scans "
            "the shop; poll the job's `url` until `status` is `complete`."
        ),
        request=Bundle,
        parameters=[
            OpenApiParameter(
                "Location",
                OpenApiTypes.URI,
                OpenApiParameter.HEADER,
                response=[202],
                required=True,
                description="the job's URL",
            ),
        ],
        examples=[examples.BUNDLE_REQUEST, examples.JOB_QUEUED, examples.INVALID_BUNDLE],
        responses={
            202: OpenApiResponse(s.JobOutputSerializer, description="Accepted; `Location` is the job's URL"),
            **problems(*WRITE_ERRORS),
        },
    )
    def post(self, request: Request, shop: str) -> Response:
        shop_obj = shop_access(request.user, shop, IMPORT)
        job = import_job_create(raw=body_bytes(request.data), user=request.user, shop=shop_obj)
        context = {"request": request, "progress": selectors.import_job_progress(job=job)}
        data = s.JobOutputSerializer(job, context=context).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class JobDetailApi(ApiView):
    @extend_schema(
        operation_id="jobs_retrieve",
        tags=["bundles"],
        summary="An import job: state, progress and, once complete, links to the report",
        examples=[examples.JOB_COMPLETE],
        responses={200: s.JobOutputSerializer, **problems(*READ_ERRORS)},
    )
    def get(self, request: Request, id: int) -> Response:
        job = job_access(request.user, queries.job_by_id(pk=id))
        context = {"request": request, "progress": selectors.import_job_progress(job=job)}
        return Response(s.JobOutputSerializer(job, context=context).data)


# ---- readiness, findings, runs ---------------------------------------------------------------------------------------


class ReadinessApi(ApiView):
    @extend_schema(
        operation_id="readiness_retrieve",
        tags=["readiness"],
        summary="The readiness report of the latest scan (interfaces.md §3)",
        description=(
            "Exactly `python manage.py readiness_report --format json`. If the promotion was never scanned, a scan "
            "is started on the workers and the answer is 202 (`Location`: this URL, ask again after `Retry-After`); "
            "409 while that first scan is still in progress. Send the `ETag` back in `If-None-Match`: 304 while "
            "the report has not changed."
        ),
        parameters=[
            OpenApiParameter("If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description="an ETag"),
            OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304]),
        ],
        examples=[examples.READINESS_REPORT],
        responses={
            200: s.ReadinessReportSerializer,
            202: OpenApiResponse(s.ScanStartedSerializer, description="A first scan has started; ask again"),
            304: OpenApiResponse(description="Not modified (the ETag matched)"),
            **problems(*READ_ERRORS, 409),
        },
    )
    def get(self, request: Request, shop: str, promotion: str) -> HttpResponse:
        promo = promotion_access(request.user, shop, promotion, READ)
        current = reports.current_run(promotion=promo)
        if isinstance(current, ScanRun):  # the first scan has just been started on the workers
            body = {"status": current.status, "run": current.pk, "detail": _("扫描已开始，请稍后再次请求")}
            return Response(
                body, status=status.HTTP_202_ACCEPTED, headers={"Location": request.path, "Retry-After": "5"}
            )
        return reports.response_for(request, current)


class FindingListApi(ListApiView):
    queryset = Finding.objects.none()
    filterset_class = FindingFilter

    @extend_schema(
        operation_id="findings_list",
        tags=["findings"],
        summary="The findings of the latest scan, filtered and paginated",
        description="Findings of the newest complete scan run (empty before the first scan). `status` is `waived` "
        "while a waiver is in force for the finding (then `waiver` says who, why and until when), else `open`. "
        "Pages carry an `ETag`: `If-None-Match` answers 304 while the scan's results and waivers are unchanged.",
        parameters=[
            OpenApiParameter("If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description="an ETag"),
            OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304]),
            OpenApiParameter(
                "ordering",
                OpenApiTypes.STR,
                many=True,
                style="form",
                explode=True,
                enum=[value for value, _label in FindingFilter.base_filters["ordering"].extra["choices"]],
                description="Sort by these fields in turn, `-` for descending; repeat the parameter "
                "(`ordering=-severity&ordering=id`) or separate them with commas (`ordering=-severity,id`). "
                "`severity` is worst first; the id breaks ties. Default: id.",
            ),
        ],
        examples=[examples.FINDING],
        responses={
            200: s.FindingOutputSerializer(many=True),
            304: OpenApiResponse(description="Not modified (the ETag matched)"),
            **problems(*LIST_ERRORS),
        },
    )
    def get(self, request: Request, shop: str, promotion: str) -> HttpResponse:
        promo = promotion_access(request.user, shop, promotion, READ)
        # A bad query is a 400 even when If-None-Match would match ("*" matches any page): check it first.
        filterset = FindingFilter(request.query_params, queryset=Finding.objects.none(), request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        self.paginator.get_page_size(request)
        self.paginator.get_page_number(request, None)
        state = reports.latest_run_state(promotion_id=promo.pk)
        return reports.cached_page(request, state, lambda: self.page_of_findings(promo, state))

    def page_of_findings(self, promo: Promotion, state: reports.RunState | None) -> Any:
        run_id = state.run_id if state is not None else None
        findings = queries.run_findings(run_id=run_id, shop_id=promo.shop_id, promotion_code=promo.code)
        rows = self.paginate_queryset(self.filter_queryset(findings))
        waivers = queries.waivers_of(shop_id=promo.shop_id, findings=rows)
        data = s.FindingOutputSerializer(rows, many=True, context={"waivers": waivers}).data
        return self.get_paginated_response(data).data


class RunListApi(ListApiView):
    queryset = ScanRun.objects.none()

    @extend_schema(
        operation_id="runs_list",
        tags=["readiness"],
        summary="Scan history with scores, newest first (for trends)",
        examples=[examples.RUN],
        responses={200: s.RunOutputSerializer(many=True), **problems(*LIST_ERRORS)},
    )
    def get(self, request: Request, shop: str, promotion: str) -> Response:
        promo = promotion_access(request.user, shop, promotion, READ)
        page = self.paginate_queryset(queries.runs_of(promotion=promo))
        totals = queries.finding_totals(run.pk for run in page)
        return self.get_paginated_response(s.RunOutputSerializer(page, many=True, context={"totals": totals}).data)


# ---- listings ---------------------------------------------------------------------------------------------------------


def _listing_response(request: Request, shop: Shop, listing_id: str) -> Response:
    listing = queries.listing_of(shop=shop, listing_id=listing_id)
    if listing is None:
        raise NotFound()
    findings = list(queries.listing_findings(listing=listing))
    waivers = queries.waivers_of(shop_id=shop.pk, findings=findings)
    return Response(s.ListingOutputSerializer(listing, context={"findings": findings, "waivers": waivers}).data)


class ListingDetailApi(ApiView):
    @extend_schema(
        operation_id="listings_retrieve",
        tags=["listings"],
        summary="A listing with its current findings",
        examples=[examples.LISTING],
        parameters=[OpenApiParameter("listing", OpenApiTypes.STR, OpenApiParameter.PATH, description="its id")],
        responses={200: s.ListingOutputSerializer, **problems(*READ_ERRORS)},
    )
    def get(self, request: Request, shop: str, listing: str) -> Response:
        return _listing_response(request, shop_access(request.user, shop, READ), listing)


class ListingUpdateApi(ApiView):
    @extend_schema(
        operation_id="listings_partial_update",
        tags=["listings"],
        summary="Edit a listing's text and re-scan it",
        description="Changes title, subtitle, description and/or specs (the edit is kept with who and when), "
        "re-scans the listing in the latest run of each promotion and returns it with its new findings.",
        parameters=[OpenApiParameter("listing", OpenApiTypes.STR, OpenApiParameter.PATH, description="its id")],
        request=s.ListingUpdateInputSerializer,
        examples=[examples.LISTING_PATCH, examples.LISTING],
        responses={200: s.ListingOutputSerializer, **problems(*WRITE_ERRORS)},
    )
    def patch(self, request: Request, shop: str, listing: str) -> Response:
        shop_obj = shop_access(request.user, shop, EDIT)
        listing_obj = queries.listing_of(shop=shop_obj, listing_id=listing)
        if listing_obj is None:
            raise NotFound()
        changes = s.ListingUpdateInputSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        listing_update_text(listing=listing_obj, changes=changes.validated_data, user=request.user, source="api")
        return _listing_response(request, shop_obj, listing)


# ---- waivers ----------------------------------------------------------------------------------------------------------


def _finding(request: Request, pk: int, need: Capability) -> Finding:
    finding = queries.finding_by_id(pk=pk)
    return object_access(request.user, finding, finding.run.shop_id if finding else None, need)


class WaiverCreateApi(ApiView):
    @extend_schema(
        operation_id="waivers_create",
        tags=["waivers"],
        summary="Waive a finding (with a reason; optionally until a time)",
        description="The waiver follows the finding's fingerprint into later scans; the score is recomputed.",
        request=s.WaiverInputSerializer,
        examples=[examples.WAIVER_REQUEST, examples.WAIVER],
        responses={201: s.WaiverOutputSerializer, **problems(*WRITE_ERRORS, 409)},
    )
    def post(self, request: Request, id: int) -> Response:
        finding = _finding(request, id, WAIVE)
        data = s.WaiverInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        waiver = waiver_create(finding=finding, user=request.user, **data.validated_data)
        return Response(
            s.WaiverOutputSerializer(queries.waiver_record(pk=waiver.pk)).data, status=status.HTTP_201_CREATED
        )


class WaiverLiftApi(ApiView):
    @extend_schema(
        operation_id="waivers_destroy",
        tags=["waivers"],
        summary="Lift a finding's waiver (the record stays, with who lifted it and when)",
        examples=[examples.WAIVER],
        responses={200: s.WaiverOutputSerializer, **problems(*READ_ERRORS, 409)},
    )
    def delete(self, request: Request, id: int) -> Response:
        finding = _finding(request, id, WAIVE)
        waiver = queries.unlifted_waiver(finding=finding)
        if waiver is None:
            raise NotFound(_("该问题没有被豁免"))
        waiver_lift(waiver=waiver, user=request.user)
        return Response(s.WaiverOutputSerializer(queries.waiver_record(pk=waiver.pk)).data)


class WaiverListApi(ListApiView):
    queryset = Waiver.objects.none()
    filterset_class = WaiverFilter

    @extend_schema(
        operation_id="waivers_list",
        tags=["waivers"],
        summary="The audit trail: every waiver of a shop, with who created and lifted it, and when",
        examples=[examples.WAIVER],
        responses={200: s.WaiverOutputSerializer(many=True), **problems(*LIST_ERRORS)},
    )
    def get(self, request: Request, shop: str) -> Response:
        shop_obj = shop_access(request.user, shop, READ)
        page = self.paginate_queryset(self.filter_queryset(queries.shop_waivers(shop=shop_obj)))
        return self.get_paginated_response(s.WaiverOutputSerializer(page, many=True).data)


# ---- stateless scan ---------------------------------------------------------------------------------------------------


class ScanRateThrottle(PerUserRateThrottle):
    """POST /scan's own budget per user, on top of the general one."""

    scope = "scan"


class ScanApi(ApiView):
    throttle_classes = [PerUserRateThrottle, ScanRateThrottle]

    @extend_schema(
        operation_id="scan_create",
        tags=["scan"],
        summary="Scan listings without storing anything: listings in, findings out",
        description=(
            "The scanner CLI over HTTP (interfaces.md §1): a JSON array of `listings[]` objects, or "
            '`{"listings": [...], "platform": "tmall"}`. At most API_SCAN_MAX_LISTINGS listings (default 500) '
            "and API_SCAN_MAX_CHARS characters of text (default 1,000,000) per request; at most "
            "API_SCAN_MAX_FINDINGS_PER_FIELD findings per field of a listing are listed (`omitted` counts the rest). "
            "Scanning costs CPU in the web process, so this endpoint has its own rate (API_SCAN_THROTTLE_RATE)."
        ),
        request=PolymorphicProxySerializer(
            component_name="Scan",
            serializers=[s.ScanInputSerializer, s.ScanListingSerializer(many=True)],
            resource_type_field_name=None,
            many=False,
        ),
        examples=[examples.SCAN_REQUEST, examples.SCAN_RESPONSE],
        responses={200: s.ScanOutputSerializer, **problems(400, 401, 403, 406, 413, 415, 429, 500)},
    )
    def post(self, request: Request) -> Response:
        context = {"max_listings": settings.API_SCAN_MAX_LISTINGS, "max_chars": settings.API_SCAN_MAX_CHARS}
        data = s.ScanInputSerializer(data=request.data, context=context)
        data.is_valid(raise_exception=True)
        listings = data.validated_data["listings"]
        findings = scan_listings(listings=listings, platform=data.validated_data.get("platform"))
        counts = {severity: sum(f["severity"] == severity for f in findings) for severity in s.SEVERITIES}
        shown = first_per_field(findings, settings.API_SCAN_MAX_FINDINGS_PER_FIELD)
        return Response(
            {"listings": len(listings), "counts": counts, "findings": shown, "omitted": len(findings) - len(shown)}
        )


# ---- URLs with two operations ----------------------------------------------------------------------------------------


# (No docstrings here: the schema would take them for the operations' descriptions.)
class ListingApi(ListingDetailApi, ListingUpdateApi):
    pass  # GET and PATCH /shops/{shop}/listings/{listing}


class FindingWaiverApi(WaiverCreateApi, WaiverLiftApi):
    pass  # POST and DELETE /findings/{id}/waiver


class NotFoundApi(APIView):
    """Every other path under /api/: a problem-details 404 for any method (never Django's HTML page)."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = ProblemAwareNegotiation
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise NotFound(_("%(path)s 不是 API 的地址，见 %(docs)s") % {"path": request.path, "docs": reverse("api-docs")})

    post = put = patch = delete = head = options = get
