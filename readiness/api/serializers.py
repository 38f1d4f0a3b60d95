"""Input and output serializers, one pair per operation where it has a body.

Input serializers validate shape and types only (paths in error come out as ``listings[3].title``); the rules
live in services. Output serializers only read. A few serializers exist for the schema alone: the bundle
(validated by ``readiness.imports.bundle``, which reports every JSON path in error), the readiness report (built by
``selectors.readiness_report`` and served pre-rendered) and the problem details of every error.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from readiness.imports.bundle import DATE_RANGE, EARLIEST, LATEST, BundleError, validate_listing_text
from readiness.models import Check, CheckStatus, JobStatus, Role, RunStatus, Severity
from readiness.platforms import PLATFORMS, REBATE_KINDS

# The values of the models' choices, as the API's enums (named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
SEVERITIES = [s.value for s in Severity]
CHECKS = [c.value for c in Check]
CHECK_STATUSES = [s.value for s in CheckStatus]
JOB_STATUSES = [s.value for s in JobStatus]
RUN_STATUSES = [s.value for s in RunStatus]
FINDING_STATUSES = ["open", "waived"]


class StrictCharField(serializers.CharField):
    """Text that must be a JSON string (DRF's CharField would take 3 for "3")."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """true or false, nothing else (DRF's BooleanField would take "yes" and 1)."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


@extend_schema_field({"oneOf": [{"type": "string", "minLength": 1, "maxLength": 64}, {"type": "integer"}]})
class ListingIdField(serializers.Field):
    """A listing id: a string, or an integer (as the scanner CLI accepts), returned as a string."""

    default_error_messages = {"invalid": gettext_lazy("应为字符串或整数"), "blank": gettext_lazy("不能为空")}

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        text = str(data)
        if not text:
            self.fail("blank")
        if len(text) > 64:
            raise serializers.ValidationError(_("最多 %(limit)d 个字符") % {"limit": 64})
        return text

    def to_representation(self, value: Any) -> str:
        return str(value)


def _text(max_length: int | None = None, **kwargs: Any) -> serializers.CharField:
    # Listing text is kept exactly as sent: no trimming, blank allowed.
    return StrictCharField(max_length=max_length, allow_blank=True, trim_whitespace=False, **kwargs)


def _absolute(context: dict[str, Any], name: str, **kwargs: Any) -> str:
    path = reverse(name, kwargs=kwargs)
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


# ---- errors (schema only) ------------------------------------------------------------------------------------


class ProblemErrorSerializer(serializers.Serializer):
    path = serializers.CharField(help_text="JSON path of the value in error, e.g. `listings[3].skus[0].stock`")
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """Problem details (RFC 9457), the body of every error response."""

    type = serializers.CharField(help_text="`urn:readiness:problem:<slug>`, e.g. `…:validation-error`")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False, help_text="the request path")
    errors = ProblemErrorSerializer(many=True, required=False, help_text="every value in error (400 only)")


# ---- shops and promotions ----------------------------------------------------------------------------------


class PromotionBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    sale_start = serializers.DateTimeField()
    sale_end = serializers.DateTimeField()


class ShopOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    platform = serializers.ChoiceField(choices=PLATFORMS)
    role = serializers.ChoiceField(
        choices=[r.value for r in Role], allow_null=True, help_text="your role in this shop (null for superusers)"
    )
    listing_count = serializers.IntegerField(help_text="active listings")
    promotions = PromotionBriefSerializer(many=True, source="promotions.all")
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, shop: Any) -> str:
        return _absolute(self.context, "api-promotion-list", shop=shop.code)


class LatestRunSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="latest_run_id")
    score = serializers.IntegerField(source="latest_score", allow_null=True)
    grade = serializers.CharField(source="latest_grade")
    finished_at = serializers.DateTimeField(source="latest_finished_at", allow_null=True)


class PromotionLinksSerializer(serializers.Serializer):
    readiness = serializers.URLField()
    findings = serializers.URLField()
    runs = serializers.URLField()


def promotion_links(context: dict[str, Any], shop: str, promotion: str) -> dict[str, str]:
    kwargs = {"shop": shop, "promotion": promotion}
    return {
        "readiness": _absolute(context, "api-readiness", **kwargs),
        "findings": _absolute(context, "api-finding-list", **kwargs),
        "runs": _absolute(context, "api-run-list", **kwargs),
    }


class PromotionOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    presale_start = serializers.DateTimeField(allow_null=True)
    final_payment_start = serializers.DateTimeField(allow_null=True)
    sale_start = serializers.DateTimeField()
    sale_end = serializers.DateTimeField()
    expected_orders = serializers.IntegerField()
    destinations = serializers.DictField(child=serializers.FloatField())
    latest_run = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    @extend_schema_field(LatestRunSerializer(allow_null=True))
    def get_latest_run(self, promotion: Any) -> dict[str, Any] | None:
        if promotion.latest_run_id is None:
            return None
        return LatestRunSerializer(promotion).data

    @extend_schema_field(PromotionLinksSerializer)
    def get_links(self, promotion: Any) -> dict[str, str]:
        return promotion_links(self.context, promotion.shop.code, promotion.code)


class PresaleSerializer(serializers.Serializer):
    enabled = StrictBooleanField(required=False)
    ship_by = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=f"the promised ship date; a presale without it is reported (presale.ship_by_missing); {DATE_RANGE}",
    )
    label = _text(200, required=False)


# ---- import jobs ----------------------------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()


class _SummaryField(serializers.CharField):
    """A job's stored summary line, said in the language of the request."""

    def to_representation(self, value: Any) -> str:
        from readiness.services.imports import import_summary_text

        return import_summary_text(str(value))


class JobOutputSerializer(serializers.Serializer):
    """An import job; ``progress`` and ``links`` are given in the context (they are not columns)."""

    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=JOB_STATUSES)
    progress = serializers.SerializerMethodField()
    shop = serializers.CharField(source="shop.code", allow_null=True, default=None)
    promotion = serializers.CharField(source="promotion.code", allow_null=True, default=None)
    run = serializers.IntegerField(source="run_id", allow_null=True)
    summary = _SummaryField()
    warnings = serializers.ListField(child=serializers.CharField())
    errors = ProblemErrorSerializer(many=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    links = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, job: Any) -> str:
        return _absolute(self.context, "api-job-detail", id=job.pk)

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, job: Any) -> dict[str, int]:
        return self.context["progress"]

    @extend_schema_field(
        PromotionLinksSerializer(
            allow_null=True, help_text="readiness report, findings and scan history, once complete"
        )
    )
    def get_links(self, job: Any) -> dict[str, str] | None:
        if job.status != JobStatus.COMPLETE or job.promotion is None:
            return None
        return promotion_links(self.context, job.promotion.shop.code, job.promotion.code)


# ---- readiness report (schema only: interfaces.md §3) ---------------------------------------------------------


class ExposureSerializer(serializers.Serializer):
    min = serializers.CharField(allow_null=True, help_text="yuan, a decimal string")
    max = serializers.CharField(allow_null=True)


class ReportWaiverSerializer(serializers.Serializer):
    by = serializers.CharField()
    reason = serializers.CharField()
    at = serializers.DateTimeField(allow_null=True)
    expires = serializers.DateTimeField(allow_null=True)


class RelatedSerializer(serializers.Serializer):
    field = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    start = serializers.IntegerField(required=False)
    end = serializers.IntegerField(required=False)


class ReportIssueSerializer(serializers.Serializer):
    check = serializers.ChoiceField(choices=CHECKS)
    rule = serializers.CharField()
    fingerprint = serializers.CharField(help_text="stable across runs and edits; what a waiver is matched on")
    listing_id = serializers.CharField(allow_null=True)
    sku = serializers.CharField(allow_null=True)
    severity = serializers.ChoiceField(choices=SEVERITIES)
    message = serializers.CharField()
    remediation = serializers.CharField(allow_blank=True)
    evidence = serializers.DictField()
    owner = serializers.CharField(allow_blank=True)
    deadline = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    exposure = ExposureSerializer(allow_null=True)
    status = serializers.ChoiceField(choices=FINDING_STATUSES)
    waiver = ReportWaiverSerializer(allow_null=True)
    category = serializers.CharField(allow_null=True)
    citation = serializers.CharField(allow_null=True)
    field = serializers.CharField(required=False)
    start = serializers.IntegerField(required=False)
    end = serializers.IntegerField(required=False)
    text = serializers.CharField(required=False, allow_blank=True)
    suggestion = serializers.CharField(required=False, allow_blank=True)
    related = RelatedSerializer(required=False)


class CountsSerializer(serializers.Serializer):
    errors = serializers.IntegerField()
    warnings = serializers.IntegerField()
    infos = serializers.IntegerField()
    waived = serializers.IntegerField()


class SummarySerializer(CountsSerializer):
    open_by_owner = serializers.DictField(child=serializers.IntegerField())


class ReportCheckSerializer(serializers.Serializer):
    check = serializers.ChoiceField(choices=CHECKS)
    status = serializers.ChoiceField(choices=CHECK_STATUSES)
    score = serializers.IntegerField()
    weight = serializers.IntegerField()
    examined = serializers.IntegerField()
    counts = CountsSerializer(allow_null=True)
    notes = serializers.ListField(child=serializers.CharField())
    issues = ReportIssueSerializer(many=True)


class ReportListingSerializer(serializers.Serializer):
    listing_id = serializers.CharField()
    score = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CHECK_STATUSES)
    errors = serializers.IntegerField()
    warnings = serializers.IntegerField()


class RulePackSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField()
    overrides = serializers.DictField()


class ReadinessReportSerializer(serializers.Serializer):
    """The readiness report of interfaces.md §3 (the same as ``readiness_report --format json``)."""

    shop = serializers.CharField()
    promotion = serializers.CharField()
    run = serializers.IntegerField(help_text="the scan run the report is of")
    score = serializers.IntegerField(min_value=0, max_value=100)
    grade = serializers.CharField()
    computed_at = serializers.DateTimeField()
    rule_pack = RulePackSerializer()
    summary = SummarySerializer()
    checks = ReportCheckSerializer(many=True)
    listings = ReportListingSerializer(many=True)


# ---- findings ------------------------------------------------------------------------------------------------


class FindingWaiverSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    by = serializers.CharField(source="created_by.get_username")
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)


class FindingOutputSerializer(serializers.Serializer):
    """A finding of a scan run; ``waivers`` (fingerprint → waiver in force) is given in the context."""

    id = serializers.IntegerField()
    run = serializers.IntegerField(source="run_id")
    promotion = serializers.CharField(source="promotion_code")
    check = serializers.ChoiceField(source="check_name", choices=CHECKS)
    rule = serializers.CharField()
    category = serializers.CharField(allow_blank=True)
    severity = serializers.ChoiceField(choices=SEVERITIES)
    status = serializers.SerializerMethodField()
    waiver = serializers.SerializerMethodField()
    listing_id = serializers.CharField(source="listing_code", allow_null=True)
    sku = serializers.CharField(source="sku_code", allow_blank=True)
    field = serializers.CharField(allow_blank=True)
    start = serializers.IntegerField(allow_null=True)
    end = serializers.IntegerField(allow_null=True)
    text = serializers.CharField(allow_blank=True)
    message = serializers.CharField()
    remediation = serializers.CharField(allow_blank=True)
    citation = serializers.CharField(allow_blank=True)
    suggestion = serializers.CharField(allow_blank=True)
    related = serializers.DictField(allow_null=True)
    evidence = serializers.DictField()
    owner = serializers.CharField(allow_blank=True)
    deadline = serializers.DateTimeField(allow_null=True)
    exposure_min = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    exposure_max = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    fingerprint = serializers.CharField()

    def _waiver(self, finding: Any) -> Any:
        return self.context.get("waivers", {}).get(finding.fingerprint)

    @extend_schema_field(serializers.ChoiceField(choices=FINDING_STATUSES))
    def get_status(self, finding: Any) -> str:
        return "waived" if self._waiver(finding) is not None else "open"

    @extend_schema_field(FindingWaiverSerializer(allow_null=True))
    def get_waiver(self, finding: Any) -> dict[str, Any] | None:
        waiver = self._waiver(finding)
        return FindingWaiverSerializer(waiver).data if waiver is not None else None

    # Plain attributes, copied as they are (the declared fields above are the schema).
    _PLAIN = (("id", "pk"), ("run", "run_id"), ("promotion", "promotion_code"), ("check", "check_name"),
              ("rule", "rule"), ("category", "category"), ("severity", "severity"))  # fmt: skip
    _PLAIN_TAIL = ("field", "start", "end", "text", "message", "remediation", "citation", "suggestion", "related",
                   "evidence", "owner")  # fmt: skip

    def to_representation(self, finding: Any) -> dict[str, Any]:
        # The hot path of a findings page (up to 500 rows): the same output as DRF's field-by-field
        # representation of the fields declared above (a test holds the two equal), several times faster.
        data = {name: getattr(finding, attr) for name, attr in self._PLAIN}
        data["status"] = self.get_status(finding)
        data["waiver"] = self.get_waiver(finding)
        data["listing_id"] = finding.listing_code
        data["sku"] = finding.sku_code
        data.update((name, getattr(finding, name)) for name in self._PLAIN_TAIL)
        fields = self.fields
        data["deadline"] = fields["deadline"].to_representation(finding.deadline) if finding.deadline else None
        for name in ("exposure_min", "exposure_max"):
            value = getattr(finding, name)
            data[name] = fields[name].to_representation(value) if value is not None else None
        data["fingerprint"] = finding.fingerprint
        return data


# ---- listings --------------------------------------------------------------------------------------------------


class SkuOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    list_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    stock = serializers.IntegerField()
    archived = serializers.SerializerMethodField()

    @extend_schema_field(serializers.BooleanField())
    def get_archived(self, sku: Any) -> bool:
        return sku.archived_at is not None


class ListingOutputSerializer(serializers.Serializer):
    """A listing with its current findings (given in the context as ``findings``, ``waivers``)."""

    listing_id = serializers.CharField()
    category = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    subtitle = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    specs = serializers.DictField(child=serializers.CharField(allow_blank=True))
    presale = serializers.SerializerMethodField()
    archived_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    skus = SkuOutputSerializer(many=True, source="skus.all")
    findings = serializers.SerializerMethodField()

    @extend_schema_field(PresaleSerializer(allow_null=True))
    def get_presale(self, listing: Any) -> dict[str, Any] | None:
        if not listing.presale_enabled:
            return None
        ship_by = listing.presale_ship_by.isoformat() if listing.presale_ship_by else None
        return {"enabled": True, "ship_by": ship_by, "label": listing.presale_label}

    @extend_schema_field(FindingOutputSerializer(many=True))
    def get_findings(self, listing: Any) -> list[dict[str, Any]]:
        return FindingOutputSerializer(self.context["findings"], many=True, context=self.context).data


class ListingUpdateInputSerializer(serializers.Serializer):
    """The editable text of a listing; give only what changes. Any other field is refused (400).

    Validated by ``bundle.validate_listing_text`` (the one validator of listing text, also the service's); the
    fields describe the body for the schema, pinned to that validator by tests/readiness/api/test_bundle_schema.py.
    """

    refuses_unknown_fields = True  # the schema says additionalProperties: false

    title = _text(500, required=False)
    subtitle = _text(500, required=False)
    description = _text(100_000, required=False)
    specs = serializers.DictField(
        child=_text(500), required=False, help_text="the whole specs object (name → text), replacing the old one"
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        try:
            return validate_listing_text(data)
        except BundleError as exc:
            detail: dict[str, list[str]] = {}
            for issue in exc.errors:
                message = _("不是可编辑的字段") if issue.message == "not an editable field" else issue.message
                detail.setdefault(issue.path or api_settings.NON_FIELD_ERRORS_KEY, []).append(message)
            raise serializers.ValidationError(detail) from None


# ---- waivers ----------------------------------------------------------------------------------------------------


class WaiverInputSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=2000, help_text="why the finding is accepted (kept in the audit trail)")
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=f"in the future (and {DATE_RANGE}); null: until lifted"
    )

    def validate_expires_at(self, value: Any) -> Any:
        # "In the future" is the service's rule (it knows the time of the request); the far end is the format's.
        if value is not None and value.date() > LATEST:
            raise serializers.ValidationError(
                _("应为 %(earliest)s 到 %(latest)s 之间的时间") % {"earliest": EARLIEST, "latest": LATEST}
            )
        return value


class WaiverOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fingerprint = serializers.CharField()
    rule = serializers.CharField()
    listing_id = serializers.CharField(source="listing.listing_id", allow_null=True, default=None)
    reason = serializers.CharField()
    created_by = serializers.CharField(source="created_by.get_username")
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    lifted_by = serializers.CharField(source="lifted_by.get_username", allow_null=True, default=None)
    lifted_at = serializers.DateTimeField(allow_null=True)
    active = serializers.BooleanField(help_text="in force: not lifted and not expired")


# ---- scan runs -----------------------------------------------------------------------------------------------------


class SeverityTotalsSerializer(serializers.Serializer):
    error = serializers.IntegerField()
    warning = serializers.IntegerField()
    info = serializers.IntegerField()


class RunOutputSerializer(serializers.Serializer):
    """A scan run; ``totals`` (run id → findings per severity) is given in the context."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RUN_STATUSES)
    score = serializers.IntegerField(allow_null=True)
    grade = serializers.CharField(allow_blank=True)
    listings = serializers.IntegerField(source="listings_total")
    rule_pack = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    findings = serializers.SerializerMethodField()

    @extend_schema_field(SeverityTotalsSerializer(help_text="findings per severity, waived ones included"))
    def get_findings(self, run: Any) -> dict[str, int]:
        return self.context["totals"][run.pk]


# ---- stateless scan --------------------------------------------------------------------------------------------------


class ScanGiftSerializer(serializers.Serializer):
    name = _text(200)
    described_on_page = StrictBooleanField(required=False)


class ScanRebateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=REBATE_KINDS)
    text = _text(500, required=False)


class ScanSkuSerializer(serializers.Serializer):
    code = _text(64, required=False)
    name = _text(200, required=False)


class ScanListingSerializer(serializers.Serializer):
    """A listing as the scanners read it: the bundle's ``listings[]`` object, only ``id`` required."""

    id = ListingIdField()
    category = _text(64, required=False, allow_null=True)
    title = _text(500, required=False, allow_null=True)
    subtitle = _text(500, required=False, allow_null=True)
    description = _text(100_000, required=False, allow_null=True)
    specs = serializers.DictField(child=_text(500), required=False, allow_null=True)
    presale = PresaleSerializer(required=False, allow_null=True)
    # The lists may be null; their items may not (``many=True, allow_null=True`` would let null items through too).
    gifts = serializers.ListField(child=ScanGiftSerializer(), required=False, allow_null=True)
    rebates = serializers.ListField(child=ScanRebateSerializer(), required=False, allow_null=True)
    skus = serializers.ListField(child=ScanSkuSerializer(), required=False, allow_null=True)


class ScanInputSerializer(serializers.Serializer):
    """``{"listings": [...], "platform": ...}``, or just the array of listings."""

    listings = ScanListingSerializer(many=True, allow_empty=True)
    platform = serializers.ChoiceField(choices=PLATFORMS, required=False, allow_null=True)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, list):  # the bare array: errors are reported at its own paths ([3].title)
            try:
                return super().to_internal_value({"listings": data})
            except serializers.ValidationError as exc:
                detail = exc.detail.get("listings", exc.detail) if isinstance(exc.detail, dict) else exc.detail
                if isinstance(detail, list) and all(isinstance(item, dict) for item in detail):
                    raise serializers.ValidationError(
                        {f"[{i}]": item for i, item in enumerate(detail) if item}
                    ) from None
                raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: detail}) from None
        return super().to_internal_value(data)

    def validate_listings(self, listings: list[Any]) -> list[Any]:
        limit = self.context["max_listings"]
        if len(listings) > limit:
            raise serializers.ValidationError(
                _("每次最多 %(limit)d 个商品（收到 %(count)d 个），请分批发送")
                % {"limit": limit, "count": len(listings)}
            )
        max_chars = self.context.get("max_chars")
        if max_chars is not None:
            chars = sum(_text_size(listing) for listing in listings)
            if chars > max_chars:
                raise serializers.ValidationError(
                    _("每次最多 %(limit)d 个字符的文本（收到 %(count)d 个），请分批发送")
                    % {"limit": max_chars, "count": chars}
                )
        return listings


def _text_size(value: Any) -> int:
    """Characters of text in a validated listing (every string, keys included): what scanning it costs."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(len(str(k)) + _text_size(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return sum(_text_size(v) for v in value)
    return 0


class ScanFindingSerializer(serializers.Serializer):
    """A scanner finding (interfaces.md §1), as ``python -m scanners scan --format jsonl`` prints it."""

    listing_id = serializers.CharField()
    rule = serializers.CharField()
    category = serializers.CharField()
    severity = serializers.ChoiceField(choices=SEVERITIES)
    field = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()
    message = serializers.CharField()
    citation = serializers.CharField(allow_blank=True)
    suggestion = serializers.CharField(allow_null=True, allow_blank=True)
    related = RelatedSerializer(required=False)


class ScanStartedSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["pending", "running", "complete", "failed"])
    run = serializers.IntegerField(help_text="the scan run started")
    detail = serializers.CharField()


class ScanOutputSerializer(serializers.Serializer):
    listings = serializers.IntegerField(help_text="listings scanned")
    counts = SeverityTotalsSerializer(help_text="every finding, by severity (including those omitted)")
    findings = ScanFindingSerializer(many=True)
    omitted = serializers.IntegerField(
        help_text="findings left out of `findings` because one field of a listing had more than "
        "API_SCAN_MAX_FINDINGS_PER_FIELD (default 50)"
    )
