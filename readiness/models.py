"""The data model: a shop's catalogue and promotion plan (the readiness bundle, interfaces.md §2), the scans
run over it, and the people allowed to act on it.

Fields, choices, constraints and ``__str__``, plus the querysets that name a domain rule once ("a waiver in
force", "the latest complete run", "worst severity first"): every read uses them. Business rules that change
state live in services, judgements in checks.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from readiness.checks.results import SEVERITY_RANK


class Platform(models.TextChoices):
    TMALL = "tmall", _("天猫")
    TAOBAO = "taobao", _("淘宝")
    PDD = "pdd", _("拼多多")
    JD = "jd", _("京东")
    DOUYIN = "douyin", _("抖音")


class Role(models.TextChoices):
    OPERATIONS_MANAGER = "operations_manager", _("运营经理")
    LISTING_EDITOR = "listing_editor", _("详情页编辑")
    API_CLIENT = "api_client", _("API 客户端")


class Shop(models.Model):
    code = models.SlugField(_("店铺代码"), max_length=64, unique=True)
    name = models.CharField(_("店铺名称"), max_length=200)
    platform = models.CharField(_("平台"), max_length=16, choices=Platform.choices)
    # Bumped by every import of the shop's catalogue (under the shop's lock): a scan run records the version it
    # started from and is not recorded as complete if an import changed it meanwhile.
    catalogue_version = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("店铺")
        verbose_name_plural = _("店铺")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ShopMembership(models.Model):
    """Who may act on a shop, and as what."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "shop"], name="membership_user_shop_unique")]
        verbose_name = _("店铺成员")
        verbose_name_plural = _("店铺成员")

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop.code}: {self.get_role_display()}"


class Promotion(models.Model):
    """A sale event with its phases; readiness is always judged against one promotion."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="promotions")
    code = models.SlugField(_("活动代码"), max_length=64)
    name = models.CharField(_("活动名称"), max_length=200)
    presale_start = models.DateTimeField(_("预售开始"), null=True, blank=True)
    final_payment_start = models.DateTimeField(_("尾款开始"), null=True, blank=True)
    sale_start = models.DateTimeField(_("正式开售"))
    sale_end = models.DateTimeField(_("活动结束"))
    expected_orders = models.PositiveIntegerField(_("预计订单数"), default=0)
    # {"华东": 0.45, ...}: share of orders per destination region.
    destinations = models.JSONField(_("收货地区占比"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["shop", "-sale_start"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "code"], name="promotion_shop_code_unique"),
            models.CheckConstraint(condition=Q(sale_end__gt=F("sale_start")), name="promotion_sale_end_after_start"),
            # The phases in order (presale, final payment, sale): the bundle validator refuses the rest too.
            models.CheckConstraint(
                condition=Q(presale_start__isnull=True) | Q(presale_start__lte=F("sale_start")),
                name="promotion_presale_not_after_sale",
            ),
            models.CheckConstraint(
                condition=Q(final_payment_start__isnull=True) | Q(final_payment_start__lte=F("sale_start")),
                name="promotion_final_payment_not_after_sale",
            ),
            models.CheckConstraint(
                condition=Q(presale_start__isnull=True)
                | Q(final_payment_start__isnull=True)
                | Q(presale_start__lte=F("final_payment_start")),
                name="promotion_presale_not_after_final_payment",
            ),
        ]
        verbose_name = _("大促活动")
        verbose_name_plural = _("大促活动")

    def __str__(self) -> str:
        return f"{self.name} ({self.shop.code}/{self.code})"


class CourierPlan(models.Model):
    """One courier in a promotion's shipping plan."""

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="couriers")
    code = models.SlugField(_("快递代码"), max_length=32)
    name = models.CharField(_("快递名称"), max_length=100)
    planned_share = models.DecimalField(_("计划占比"), max_digits=5, decimal_places=4)
    daily_capacity = models.PositiveIntegerField(_("日揽收能力"))
    regions = models.JSONField(_("覆盖地区"), default=list, blank=True)
    supports_intercept = models.BooleanField(_("支持拦截"), default=False)

    class Meta:
        ordering = ["promotion", "-planned_share", "code"]
        constraints = [
            models.UniqueConstraint(fields=["promotion", "code"], name="courier_promotion_code_unique"),
            models.CheckConstraint(
                condition=Q(planned_share__gte=0) & Q(planned_share__lte=1), name="courier_share_0_1"
            ),
        ]
        verbose_name = _("快递计划")
        verbose_name_plural = _("快递计划")

    def __str__(self) -> str:
        return f"{self.name} {self.planned_share:.0%}"


class ServicePlan(models.Model):
    """A promotion's after-sale plan and the shop's current after-sale rates."""

    promotion = models.OneToOneField(Promotion, on_delete=models.CASCADE, related_name="service")
    auto_refund_unshipped = models.BooleanField(_("未发货自动退款"), default=False)
    auto_accept_returns = models.BooleanField(_("自动同意退货"), default=False)
    cs_agents = models.PositiveIntegerField(_("客服人数"), default=0)
    dispute_refund_rate = models.FloatField(_("纠纷退款率"), null=True, blank=True)
    refund_self_completion_rate = models.FloatField(_("退款自主完结率"), null=True, blank=True)
    roles = models.JSONField(_("各岗位客服人数"), default=dict, blank=True)  # {"后台处理": 4, "查件": 2, …}
    auto_refund_shipped = models.BooleanField(_("已发货自动退款"), default=False)
    fast_refund_plan = models.BooleanField(_("无法拦截件快速退款方案"), default=False)

    class Meta:
        verbose_name = _("售后计划")
        verbose_name_plural = _("售后计划")

    def __str__(self) -> str:
        return f"{self.promotion}: {self.cs_agents} 名客服"


# The listing's columns a plan sets (bundle or spreadsheet), in the order the import writes them and the readiness
# input reads them back: one list, so a new column cannot be written but never read (or the other way round).
LISTING_PLAN_FIELDS = (
    "category",
    "title",
    "subtitle",
    "description",
    "specs",
    "presale_enabled",
    "presale_ship_by",
    "presale_label",
)


class ListingQuerySet(models.QuerySet["Listing"]):
    def active(self) -> ListingQuerySet:
        return self.filter(archived_at__isnull=True)


class Listing(models.Model):
    """A product page. Listings missing from a later bundle are archived, never deleted."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="listings")
    listing_id = models.CharField(_("商品ID"), max_length=64)
    category = models.CharField(_("类目"), max_length=64, blank=True)
    title = models.CharField(_("标题"), max_length=500, blank=True)
    subtitle = models.CharField(_("副标题"), max_length=500, blank=True)
    description = models.TextField(_("详情描述"), blank=True)
    specs = models.JSONField(_("规格参数"), default=dict, blank=True)
    presale_enabled = models.BooleanField(_("预售"), default=False)
    presale_ship_by = models.DateField(_("预售最晚发货日"), null=True, blank=True)
    presale_label = models.CharField(_("预售标签"), max_length=200, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["shop", "listing_id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "listing_id"], name="listing_shop_id_unique"),
        ]
        indexes = [models.Index(fields=["shop", "archived_at"], name="listing_shop_archived_idx")]
        verbose_name = _("商品")
        verbose_name_plural = _("商品")

    def __str__(self) -> str:
        return f"{self.listing_id} {self.title[:40]}"


class Sku(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="skus")
    code = models.CharField(_("SKU 编码"), max_length=64)
    name = models.CharField(_("SKU 名称"), max_length=200, blank=True)
    price = models.DecimalField(_("售价"), max_digits=12, decimal_places=2)
    list_price = models.DecimalField(_("划线价"), max_digits=12, decimal_places=2, null=True, blank=True)
    list_price_basis = models.CharField(_("划线价依据"), max_length=200, blank=True)
    stock = models.PositiveIntegerField(_("现有库存"))
    forecast_units = models.PositiveIntegerField(_("预测销量"), default=0)
    safety_stock = models.PositiveIntegerField(_("安全库存"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)  # index in the listing's skus[] (field skus[<i>].name)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    class Meta:
        ordering = ["listing", "position"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "code"], name="sku_listing_code_unique"),
            models.CheckConstraint(condition=Q(price__gte=0), name="sku_price_not_negative"),
        ]
        verbose_name = _("SKU")
        verbose_name_plural = _("SKU")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InboundShipment(models.Model):
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="inbound")
    units = models.PositiveIntegerField(_("数量"))
    arrives = models.DateTimeField(_("到货时间"))

    class Meta:
        ordering = ["sku", "arrives"]
        verbose_name = _("在途入库")
        verbose_name_plural = _("在途入库")

    def __str__(self) -> str:
        return f"{self.sku.code} +{self.units} @ {self.arrives:%Y-%m-%d}"


class PriceHistory(models.Model):
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="price_history")
    date = models.DateField(_("日期"))
    lowest_price = models.DecimalField(_("最低成交价"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["sku", "date"]
        constraints = [models.UniqueConstraint(fields=["sku", "date"], name="price_history_sku_date_unique")]
        verbose_name = _("价格记录")
        verbose_name_plural = _("价格记录")

    def __str__(self) -> str:
        return f"{self.sku.code} {self.date}: ¥{self.lowest_price}"


class Gift(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="gifts")
    name = models.CharField(_("赠品"), max_length=200)
    sku_code = models.CharField(_("赠品编码"), max_length=64, blank=True)
    stock = models.PositiveIntegerField(_("赠品库存"))
    per_order = models.PositiveIntegerField(_("每单数量"), default=1)
    first_n = models.PositiveIntegerField(_("前 N 名"), null=True, blank=True)
    described_on_page = models.BooleanField(_("页面已说明"), default=False)

    class Meta:
        ordering = ["listing", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(per_order__gte=1), name="gift_per_order_at_least_1"),
            models.CheckConstraint(
                condition=Q(first_n__isnull=True) | Q(first_n__gte=1), name="gift_first_n_at_least_1"
            ),
        ]
        verbose_name = _("赠品")
        verbose_name_plural = _("赠品")

    def __str__(self) -> str:
        return self.name


class RebateKind(models.TextChoices):
    REVIEW_CASHBACK = "review_cashback", _("好评返现")
    FREE_ORDER = "free_order", _("免单")
    RANKING_CASHBACK = "ranking_cashback", _("排名返现")
    COUPON = "coupon", _("优惠券")
    FULL_REDUCTION = "full_reduction", _("满减")
    OTHER = "other", _("其他")


class Rebate(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="rebates")
    kind = models.CharField(_("类型"), max_length=32, choices=RebateKind.choices)
    text = models.CharField(_("活动文案"), max_length=500, blank=True)
    official_activity_id = models.CharField(_("官方活动ID"), max_length=64, blank=True)

    class Meta:
        ordering = ["listing", "id"]
        verbose_name = _("返现/优惠")
        verbose_name_plural = _("返现/优惠")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:30]}"


class RunStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("扫描中")
    COMPLETE = "complete", _("已完成")
    FAILED = "failed", _("失败")


class ScanRunQuerySet(models.QuerySet["ScanRun"]):
    def complete(self) -> ScanRunQuerySet:
        """Runs that finished: every chunk scanned, scored, check results stored."""
        return self.filter(status=RunStatus.COMPLETE)

    def latest_first(self) -> ScanRunQuerySet:
        """Newest finish first (ties by id): ``complete().latest_first().first()`` is the run a report shows."""
        return self.order_by("-finished_at", "-pk")


class ScanRun(models.Model):
    """One scan of a shop against a promotion. Earlier runs are kept for history and trends."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="scan_runs")
    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="scan_runs")
    status = models.CharField(_("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING)
    chunks_total = models.PositiveIntegerField(default=0)
    listings_total = models.PositiveIntegerField(default=0)
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=1, blank=True)
    rule_pack = models.CharField(_("规则包"), max_length=32, blank=True)
    overrides = models.JSONField(_("店铺覆盖"), default=dict, blank=True)
    catalogue_version = models.PositiveBigIntegerField(default=0, editable=False)  # the shop's, when it started
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScanRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["shop", "promotion", "-created_at"], name="scanrun_latest_idx")]
        verbose_name = _("扫描记录")
        verbose_name_plural = _("扫描记录")

    def __str__(self) -> str:
        return f"#{self.pk} {self.shop.code}/{self.promotion.code} {self.status}"


class Check(models.TextChoices):
    STOCK = "stock", _("库存")
    GIFT_STOCK = "gift_stock", _("赠品库存")
    COURIERS = "couriers", _("快递组合")
    PRESALE_LABEL = "presale_label", _("预售标注")
    GIFTS = "gifts", _("赠品说明")
    REBATES = "rebates", _("返现活动")
    LISTING_TEXT = "listing_text", _("页面文案")
    SPEC_CONSISTENCY = "spec_consistency", _("参数一致")
    PRICE = "price", _("价格")
    AFTER_SALES = "after_sales", _("售后准备")


class CheckStatus(models.TextChoices):
    PASS = "pass", _("通过")
    WARN = "warn", _("警告")
    FAIL = "fail", _("未通过")
    WAIVED = "waived", _("已豁免")


class Severity(models.TextChoices):
    ERROR = "error", _("错误")
    WARNING = "warning", _("警告")
    INFO = "info", _("提示")


class OwnerRole(models.TextChoices):
    OPERATIONS = "operations", _("运营")
    LISTING_EDITOR = "listing_editor", _("详情页编辑")
    WAREHOUSE = "warehouse", _("仓储")
    LOGISTICS = "logistics", _("物流")
    CUSTOMER_SERVICE = "customer_service", _("客服")


class CheckResult(models.Model):
    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="check_results")
    check_name = models.CharField(_("检查项"), max_length=32, choices=Check.choices)
    status = models.CharField(_("状态"), max_length=8, choices=CheckStatus.choices)
    score = models.PositiveSmallIntegerField(_("得分"))
    weight = models.PositiveSmallIntegerField(_("权重"))

    class Meta:
        ordering = ["run", "check_name"]
        constraints = [models.UniqueConstraint(fields=["run", "check_name"], name="checkresult_run_check_unique")]
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")

    def __str__(self) -> str:
        return f"{self.check_name}: {self.status} {self.score}"


def severity_rank(field: str = "severity") -> Case:
    """The order of severities (``checks.results.SEVERITY_RANK``: error 0, warning 1, info 2) as SQL."""
    return Case(
        *(
            When(**{field: name}, then=Value(rank))
            for name, rank in SEVERITY_RANK.items()
            if rank < max(SEVERITY_RANK.values())
        ),
        default=Value(max(SEVERITY_RANK.values())),
        output_field=IntegerField(),
    )


class Finding(models.Model):
    """One issue a scan found: a check's issue, or a scanner's finding in a listing's text (with offsets)."""

    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="findings")
    check_name = models.CharField(_("检查项"), max_length=32, choices=Check.choices)
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, null=True, blank=True, related_name="findings")
    sku_code = models.CharField(max_length=64, blank=True)
    rule = models.CharField(_("规则"), max_length=64)
    category = models.CharField(_("类别"), max_length=32, blank=True)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices)
    message = models.TextField(_("说明"))
    remediation = models.TextField(_("整改建议"), blank=True)
    # The gettext templates and params of message and remediation ({"message": {"t": …, "p": {…}}, …}), so that
    # the web pages show them in the active language (readiness.web.formatting.finding_text); null for rows
    # written before it and for scanner texts, which then show the stored Chinese text.
    message_args = models.JSONField(null=True, blank=True)
    evidence = models.JSONField(_("依据"), default=dict, blank=True)
    owner = models.CharField(_("负责人"), max_length=32, choices=OwnerRole.choices, blank=True)
    deadline = models.DateTimeField(_("截止时间"), null=True, blank=True)
    exposure_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    exposure_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # Text findings (interfaces.md §1): code-point offsets into the field's original value.
    field = models.CharField(max_length=200, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    text = models.CharField(max_length=500, blank=True)
    citation = models.CharField(_("法规依据"), max_length=200, blank=True)
    suggestion = models.CharField(_("替换建议"), max_length=200, blank=True)
    related = models.JSONField(null=True, blank=True)
    # Stable across runs and edits that move offsets: a waiver is matched on it.
    fingerprint = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["run", "listing_id", "field", "start"]
        indexes = [
            models.Index(fields=["run", "check_name"], name="finding_run_check_idx"),
            models.Index(fields=["run", "listing"], name="finding_run_listing_idx"),
        ]
        verbose_name = _("发现的问题")
        verbose_name_plural = _("发现的问题")

    def __str__(self) -> str:
        return f"[{self.severity}] {self.rule}: {self.message[:50]}"


class SeenIssue(models.Model):
    """An error or warning found for a promotion by any scan since its first: one row per fingerprint, kept when
    the issue is fixed, so that progress (fixed or waived of all found) and the score (``scoring``) count it.
    Written with the findings (``services.scans``); the latest severity and money at risk win."""

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="seen_issues")
    fingerprint = models.CharField(max_length=64)
    check_name = models.CharField(max_length=32)
    severity = models.CharField(max_length=8)
    listing_id = models.CharField(max_length=64, blank=True)  # the shop's listing id ("" for shop-level issues)
    exposure_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["promotion", "fingerprint"], name="seen_issue_promotion_fingerprint")
        ]

    def __str__(self) -> str:
        return f"{self.check_name} {self.severity} {self.fingerprint[:12]}"


def waiver_in_force_q(now: dt.datetime | None = None, prefix: str = "") -> Q:
    """A waiver in force: not lifted and not expired at ``now`` (default: now). The one definition of the rule;
    ``prefix`` applies it through a relation (``"waivers__"``). The raw SQL of ``api/reports.py`` repeats it
    for speed, pinned to this by ``tests/readiness/test_rules.py``."""
    now = now or timezone.now()
    return Q(**{f"{prefix}lifted_at__isnull": True}) & (
        Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})
    )


class WaiverQuerySet(models.QuerySet["Waiver"]):
    def in_force(self, now: dt.datetime | None = None) -> WaiverQuerySet:
        """Waivers in force at ``now`` (not lifted, not expired)."""
        return self.filter(waiver_in_force_q(now))

    def with_in_force(self, name: str = "in_force", now: dt.datetime | None = None) -> WaiverQuerySet:
        """Every waiver, annotated with whether it is in force at ``now`` (lifted and expired ones stay listed)."""
        return self.annotate(**{name: ExpressionWrapper(waiver_in_force_q(now), output_field=BooleanField())})


class Waiver(models.Model):
    """A decision to accept one finding, with who, why and until when. Lifting keeps the record."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="waivers")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, null=True, blank=True, related_name="waivers")
    fingerprint = models.CharField(max_length=64)
    rule = models.CharField(max_length=64)
    reason = models.TextField(_("理由"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="waivers_created")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waivers_lifted",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = WaiverQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="waiver_reason_required"),
            # At most one waiver in force per finding fingerprint; lifted ones stay for the audit trail.
            models.UniqueConstraint(
                fields=["shop", "fingerprint"],
                condition=Q(lifted_at__isnull=True),
                name="waiver_one_active_per_fingerprint",
            ),
        ]
        verbose_name = _("豁免")
        verbose_name_plural = _("豁免")

    def __str__(self) -> str:
        return f"{self.rule} waived by {self.created_by}: {self.reason[:30]}"


class ScanChunk(models.Model):
    """One slice of a scan run's listings, scanned by one task. Completion is counted from these rows, so a
    chunk that runs twice (a redelivered task) is counted once."""

    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    listing_count = models.PositiveIntegerField(default=0)
    listing_pks = models.JSONField(default=list, blank=True)  # the listings this chunk scans
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # What each check examined in this chunk ({check: {examined, listing_ids, notes}}), for scoring at the end.
    checks = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="scanchunk_run_index_unique")]
        verbose_name = _("扫描分片")
        verbose_name_plural = _("扫描分片")

    def __str__(self) -> str:
        return f"run {self.run_id} chunk {self.index}: {'done' if self.done_at else 'pending'}"


class ShopRuleOverride(models.Model):
    """A shop's own value for one threshold of its platform's rule pack (dotted key, e.g. stock.fail_below)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="rule_overrides")
    key = models.CharField(_("规则键"), max_length=100)
    value = models.JSONField(_("取值"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["shop", "key"]
        constraints = [models.UniqueConstraint(fields=["shop", "key"], name="ruleoverride_shop_key_unique")]
        verbose_name = _("规则覆盖")
        verbose_name_plural = _("规则覆盖")

    def __str__(self) -> str:
        return f"{self.shop.code}: {self.key} = {self.value}"


class TermKind(models.TextChoices):
    ALLOW = "allow", _("白名单（品牌/型号/商标）")
    EXTRA = "extra", _("自定义违规词")


class ShopTerm(models.Model):
    """A shop's own lexicon entries: names the scanner must not flag, or extra terms it must."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="terms")
    kind = models.CharField(_("类型"), max_length=8, choices=TermKind.choices)
    term = models.CharField(_("词语"), max_length=100)
    category = models.CharField(_("类别"), max_length=32, blank=True)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices, blank=True)
    suggestion = models.CharField(_("替换建议"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["shop", "kind", "term"]
        constraints = [models.UniqueConstraint(fields=["shop", "kind", "term"], name="shopterm_unique")]
        verbose_name = _("店铺词库")
        verbose_name_plural = _("店铺词库")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.term}"


class ListingRevision(models.Model):
    """Every edit of a listing's text, with who and when (the audit trail of fixes)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(_("修改内容"))  # {"title": {"old": ..., "new": ...}, ...}
    source = models.CharField(max_length=16, default="web")  # web, api, import

    class Meta:
        ordering = ["listing", "-changed_at"]
        verbose_name = _("商品修改记录")
        verbose_name_plural = _("商品修改记录")

    def __str__(self) -> str:
        return f"{self.listing.listing_id} @ {self.changed_at:%Y-%m-%d %H:%M} by {self.changed_by}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    IMPORTING = "importing", _("导入中")
    SCANNING = "scanning", _("扫描中")
    COMPLETE = "complete", _("已完成")
    FAILED = "failed", _("失败")


class ImportJob(models.Model):
    """A bundle accepted for import: validated when it arrived, imported and scanned by a worker.

    The payload is kept in the database (not on a local disk) so that a worker on another machine can read it;
    it is cleared once the import has run.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, null=True, blank=True, related_name="import_jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    source = models.CharField(max_length=16, default="bundle")  # bundle, xlsx, csv
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    payload = models.BinaryField(blank=True, default=b"")
    summary = models.TextField(blank=True)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    promotion = models.ForeignKey(Promotion, on_delete=models.SET_NULL, null=True, blank=True)
    run = models.ForeignKey(ScanRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_jobs")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return f"import #{self.pk} ({self.source}) {self.status}"


class ImportMapping(models.Model):
    """A shop's spreadsheet column mapping (column header → bundle field), remembered between uploads."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="import_mapping")
    mapping = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("表格列映射")
        verbose_name_plural = _("表格列映射")

    def __str__(self) -> str:
        return f"{self.shop.code}: {len(self.mapping)} columns"


# ---- listing pictures (docs/images.md) ---------------------------------------------------------------------------


class ImageKind(models.TextChoices):
    MAIN = "main", _("主图")
    DETAIL = "detail", _("详情图")
    SKU = "sku", _("SKU图")


class ImageSource(models.TextChoices):
    BUNDLE = "bundle", _("导入")
    UPLOAD = "upload", _("上传")


class ImageBlob(models.Model):
    """The bytes of a picture the workers cannot fetch again (a bundle's ``path`` file, an upload, a fetched
    URL), stored once by content hash so every worker machine reads the same bytes."""

    sha256 = models.CharField(max_length=64, unique=True)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("图片文件")
        verbose_name_plural = _("图片文件")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size} B)"


class ImageReading(models.Model):
    """What OCR read in a picture, by content hash: shared by every listing, scan and shop, so an unchanged
    picture is never read twice. ``text`` is ``scanners.images.ImageText.to_dict()``; a picture that was not
    read has ``error`` (why, for the editor) instead."""

    sha256 = models.CharField(max_length=64, unique=True)
    text = models.JSONField(null=True, blank=True)
    error_code = models.CharField(max_length=32, blank=True)
    error = models.CharField(max_length=300, blank=True)
    engine = models.CharField(max_length=64)
    seconds = models.FloatField(default=0.0)
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("图片文字识别")
        verbose_name_plural = _("图片文字识别")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} {'error: ' + self.error_code if self.error_code else 'read'}"


class ListingImage(models.Model):
    """A picture of a listing: from the bundle (``url`` fetched by the workers, or a ``path`` file stored at
    import) or uploaded on the listing page. ``sha256`` is its content once known; ``fetch_error`` says why a
    URL could not be fetched."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="images")
    source = models.CharField(max_length=8, choices=ImageSource.choices, default=ImageSource.BUNDLE)
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("图片类型"), max_length=8, choices=ImageKind.choices, default=ImageKind.DETAIL)
    url = models.CharField(max_length=2000, blank=True)
    path = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    fetch_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["listing", "source", "position"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "source", "position"], name="listing_image_position_unique"),
        ]
        indexes = [models.Index(fields=["sha256"], name="listing_image_sha_idx")]
        verbose_name = _("商品图片")
        verbose_name_plural = _("商品图片")

    def __str__(self) -> str:
        return f"{self.listing_id} {self.kind} #{self.position}"


# After-sale records live with their feature (readiness/aftersales/); imported here so Django registers them.
from readiness.aftersales.models import AfterSaleRecord, PaidOrders  # noqa: E402, F401
