"""The after-sales endpoints of interfaces.md §4: push records as JSON rows, read the after-sales report.

Access as for the other endpoints (``readiness.api.permissions``): pushing records needs the IMPORT capability
(api_client, operations_manager), reading the report READ (any member); a shop the user is not a member of is 404.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from readiness.aftersales.reporting import after_sales_report
from readiness.aftersales.services import after_sales_import_json
from readiness.api.openapi import READ_ERRORS, WRITE_ERRORS, problems
from readiness.api.permissions import Capability, promotion_access, shop_access
from readiness.api.serializers import ReportIssueSerializer
from readiness.api.views import ApiView
from readiness.imports.bundle import DATE_RANGE, EARLIEST, LATEST

# ---- serializers (input validated by readiness.aftersales.records, which names every bad row) -----------------


class AfterSalesRecordsInputSerializer(serializers.Serializer):
    records = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="after-sale requests, one object per row keyed by the headers of interfaces.md §4 "
        "(退款编号, 订单编号, 商品ID, 售后类型, 发货状态, 退款原因, 退款金额, 申请时间, 完结时间, 退款状态, 平台介入, 判责 …)",
    )
    paid_orders = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="paid orders per day: 日期, 支付订单数 and optionally 商品ID",
    )


class AfterSalesImportOutputSerializer(serializers.Serializer):
    shop = serializers.CharField()
    records = serializers.IntegerField(help_text="rows of records in the request")
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    paid_order_rows = serializers.IntegerField()
    warnings = serializers.ListField(child=serializers.CharField())


class AfterSalesMetricsSerializer(serializers.Serializer):
    dispute_refund_rate = serializers.FloatField(allow_null=True)
    self_completion_rate = serializers.FloatField(allow_null=True)
    refund_only_completion_hours = serializers.FloatField(allow_null=True)
    return_refund_completion_hours = serializers.FloatField(allow_null=True)
    quality_refund_rate = serializers.FloatField(allow_null=True)


class AfterSalesStagesSerializer(serializers.Serializer):
    agree = serializers.FloatField(allow_null=True)
    buyer_ship = serializers.FloatField(allow_null=True)
    in_transit = serializers.FloatField(allow_null=True)
    inspect_and_refund = serializers.FloatField(allow_null=True)


class AfterSalesWindowSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class AfterSalesThresholdSerializer(serializers.Serializer):
    value = serializers.FloatField()
    bound = serializers.ChoiceField(choices=["max", "min"], help_text="max: at most the value; min: at least")
    key = serializers.CharField()


class AfterSalesThresholdsSerializer(serializers.Serializer):
    dispute_refund_rate = AfterSalesThresholdSerializer()
    self_completion_rate = AfterSalesThresholdSerializer()
    refund_only_completion_hours = AfterSalesThresholdSerializer()
    return_refund_completion_hours = AfterSalesThresholdSerializer()
    quality_refund_rate = AfterSalesThresholdSerializer()


class AfterSalesCountsSerializer(serializers.Serializer):
    closed = serializers.IntegerField()
    disputes = serializers.IntegerField()
    self_closed = serializers.IntegerField()
    quality_orders = serializers.IntegerField()
    open_requests = serializers.IntegerField()
    requests_in_window = serializers.IntegerField()


class AfterSalesWeekSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    metrics = AfterSalesMetricsSerializer()


class AfterSalesListingSerializer(serializers.Serializer):
    listing_id = serializers.CharField()
    paid_orders = serializers.IntegerField(allow_null=True)
    quality_refund_rate = serializers.FloatField(allow_null=True)
    top_reasons = serializers.ListField(child=serializers.CharField())
    quality_orders = serializers.IntegerField()
    problem = serializers.BooleanField()


class AfterSalesPageFindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    field = serializers.CharField()
    text = serializers.CharField()
    related_text = serializers.CharField()


class AfterSalesProblemSerializer(serializers.Serializer):
    listing_id = serializers.CharField()
    paid_orders = serializers.IntegerField()
    quality_refund_rate = serializers.FloatField()
    top_reasons = serializers.ListField(child=serializers.CharField())
    quality_orders = serializers.IntegerField()
    shop_rate = serializers.FloatField()
    p_value = serializers.FloatField()
    q_value = serializers.FloatField(help_text="p-value after the Benjamini–Hochberg correction")
    wilson_interval = serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2)
    page_findings = AfterSalesPageFindingSerializer(many=True)


class AfterSalesForecastDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    requests = serializers.IntegerField()
    agents_needed = serializers.DictField(
        child=serializers.IntegerField(), help_text="agents per role: 后台处理, 查件, 疑难件, 投诉接待"
    )


class AfterSalesPlanSerializer(serializers.Serializer):
    roles = serializers.DictField(child=serializers.IntegerField(), help_text="service.roles of the bundle")
    cs_agents = serializers.IntegerField()


class AfterSalesShortfallSerializer(serializers.Serializer):
    date = serializers.DateField()
    role = serializers.CharField(help_text="a role, or 全部 when the plan gives only cs_agents")
    needed = serializers.IntegerField()
    planned = serializers.IntegerField()


class AfterSalesForecastSerializer(serializers.Serializer):
    requests_total = serializers.IntegerField()
    rates = serializers.DictField(child=serializers.FloatField(), help_text="requests per paid order by type")
    rates_source = serializers.ChoiceField(choices=["records", "defaults"])
    start = serializers.DateField(allow_null=True)
    days = AfterSalesForecastDaySerializer(many=True)
    planned = AfterSalesPlanSerializer()
    shortfalls = AfterSalesShortfallSerializer(many=True)


class AfterSalesReportSerializer(serializers.Serializer):
    """The after-sales report of interfaces.md §4 (the same as ``after_sales_report --format json``)."""

    shop = serializers.CharField()
    promotion = serializers.CharField()
    as_of = serializers.DateField()
    window_days = serializers.IntegerField()
    window = AfterSalesWindowSerializer()
    source = serializers.ChoiceField(choices=["records", "service"])
    paid_orders = serializers.IntegerField(allow_null=True)
    metrics = AfterSalesMetricsSerializer()
    thresholds = AfterSalesThresholdsSerializer()
    return_refund_stages_hours = AfterSalesStagesSerializer()
    counts = AfterSalesCountsSerializer()
    trend = AfterSalesWeekSerializer(many=True)
    listings = AfterSalesListingSerializer(many=True)
    problem_listings = AfterSalesProblemSerializer(many=True)
    forecast = AfterSalesForecastSerializer()
    issues = ReportIssueSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class AfterSalesQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False, help_text=f"the report's date (default today, Asia/Shanghai; {DATE_RANGE})"
    )

    def validate_as_of(self, value: dt.date) -> dt.date:
        # The report's window reaches back from this date: outside the range dates mean nothing (and overflow).
        if not EARLIEST <= value <= LATEST:
            raise serializers.ValidationError(
                _("应为 %(earliest)s 到 %(latest)s 之间的日期") % {"earliest": EARLIEST, "latest": LATEST}
            )
        return value


_METRICS = {"dispute_refund_rate": 0.0004, "self_completion_rate": 0.97, "refund_only_completion_hours": 11.5,
            "return_refund_completion_hours": 96.0, "quality_refund_rate": 0.012}  # fmt: skip
REPORT_EXAMPLE = OpenApiExample(
    "report",
    response_only=True,
    status_codes=["200"],
    value={
        "shop": "acme-tmall",
        "promotion": "d11-2026",
        "as_of": "2026-11-01",
        "window_days": 30,
        "window": {"start": "2026-10-03", "end": "2026-11-01"},
        "source": "records",
        "paid_orders": 12000,
        "metrics": _METRICS,
        "thresholds": {
            "dispute_refund_rate": {"value": 0.001, "bound": "max", "key": "after_sales.dispute_refund_rate_max"},
            "self_completion_rate": {"value": 0.95, "bound": "min", "key": "after_sales.self_completion_rate_min"},
            "refund_only_completion_hours": {"value": 24.0, "bound": "max", "key": "after_sales.refund_only_hours_max"},
            "return_refund_completion_hours": {"value": 120.0, "bound": "max",
                                               "key": "after_sales.return_refund_hours_max"},
            "quality_refund_rate": {"value": 0.01, "bound": "max", "key": "after_sales.quality_refund_rate_max"},
        },
        "return_refund_stages_hours": {"agree": 6.0, "buyer_ship": 30.0, "in_transit": 40.0, "inspect_and_refund": 20.0},
        "counts": {"closed": 900, "disputes": 5, "self_closed": 873, "quality_orders": 144, "open_requests": 40,
                   "requests_in_window": 950},
        "trend": [{"week_start": "2026-10-26", "metrics": _METRICS}],
        "listings": [{"listing_id": "L100", "paid_orders": 900, "quality_refund_rate": 0.031,
                      "top_reasons": ["描述不符", "质量问题"], "quality_orders": 28, "problem": True}],
        "problem_listings": [
            {"listing_id": "L100", "paid_orders": 900, "quality_refund_rate": 0.031, "top_reasons": ["描述不符", "质量问题"],
             "quality_orders": 28, "shop_rate": 0.012, "p_value": 0.00002, "q_value": 0.0004,
             "wilson_interval": [0.0216, 0.0446],
             "page_findings": [{"rule": "spec.mismatch", "field": "specs.净含量", "text": "500g", "related_text": "1kg"}]}
        ],
        "forecast": {
            "requests_total": 2600,
            "rates": {"refund_only_unshipped": 0.04, "refund_only_shipped": 0.02, "return_refund": 0.05,
                      "exchange": 0.005, "reship": 0.005},
            "rates_source": "records",
            "start": "2026-11-12",
            "days": [{"date": "2026-11-12", "requests": 420,
                      "agents_needed": {"后台处理": 5, "查件": 3, "疑难件": 2, "投诉接待": 1}}],
            "planned": {"roles": {"后台处理": 4, "查件": 3, "疑难件": 2, "投诉接待": 1}, "cs_agents": 10},
            "shortfalls": [{"date": "2026-11-12", "role": "后台处理", "needed": 5, "planned": 4}],
        },
        "issues": [],
        "notes": ["rates from the shop's records (2026-10-03 – 2026-11-01)"],
    },
)  # fmt: skip


# ---- views ----------------------------------------------------------------------------------------------------


class AfterSalesRecordsApi(ApiView):
    @extend_schema(
        operation_id="after_sales_records_create",
        tags=["after-sales"],
        summary="Import after-sale records and paid orders as JSON rows (all or nothing)",
        description="The rows of the CSV/XLSX format (interfaces.md §4) as objects keyed by their headers. "
        "Idempotent by 退款编号: a row sent again updates the stored one. 400 names every bad row and column "
        "(`records[3].退款金额`); nothing is written then.",
        request=AfterSalesRecordsInputSerializer,
        examples=[
            OpenApiExample(
                "records",
                request_only=True,
                value={
                    "records": [
                        {
                            "退款编号": "RF1001",
                            "订单编号": "OD2001",
                            "商品ID": "L100",
                            "售后类型": "仅退款",
                            "发货状态": "未发货",
                            "退款原因": "不想要了",
                            "退款金额": "59.90",
                            "申请时间": "2026-10-20 10:00:00",
                            "完结时间": "2026-10-20 10:05:00",
                            "退款状态": "退款成功",
                            "平台介入": "否",
                        }
                    ],
                    "paid_orders": [{"日期": "2026-10-20", "支付订单数": 420}],
                },
            ),
            OpenApiExample(
                "imported",
                response_only=True,
                status_codes=["200"],
                value={
                    "shop": "acme-tmall",
                    "records": 1,
                    "created": 1,
                    "updated": 0,
                    "unchanged": 0,
                    "paid_order_rows": 1,
                    "warnings": [],
                },
            ),
        ],
        responses={200: AfterSalesImportOutputSerializer, **problems(*WRITE_ERRORS)},
    )
    def post(self, request: Request, shop: str) -> Response:
        shop_obj = shop_access(request.user, shop, Capability.IMPORT)
        AfterSalesRecordsInputSerializer(data=request.data).is_valid(raise_exception=True)
        summary = after_sales_import_json(shop=shop_obj, data=request.data)
        return Response(summary.to_dict())


class AfterSalesReportApi(ApiView):
    @extend_schema(
        operation_id="after_sales_retrieve",
        tags=["after-sales"],
        summary="The after-sales report: metrics, problem listings, the wave and its staffing (interfaces.md §4)",
        description="Exactly `python manage.py after_sales_report --format json`. Rates are fractions, durations "
        "hours, `null` where there is nothing to divide by.",
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, OpenApiParameter.QUERY, description="default: today")],
        examples=[REPORT_EXAMPLE],
        responses={200: AfterSalesReportSerializer, **problems(400, *READ_ERRORS)},
    )
    def get(self, request: Request, shop: str, promotion: str) -> Response:
        promo = promotion_access(request.user, shop, promotion, Capability.READ)
        # A plain dict, not the QueryDict: DRF reads an empty form value of an optional field as absent, and
        # `as_of=` is a malformed date, not a request for today.
        query = AfterSalesQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        return Response(after_sales_report(promotion=promo, as_of=query.validated_data.get("as_of")))
