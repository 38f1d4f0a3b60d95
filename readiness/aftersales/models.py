"""After-sale records and daily paid orders of a shop (interfaces.md §4). Imported by ``readiness.models``."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    REFUND_ONLY = "refund_only", _("仅退款")
    RETURN_REFUND = "return_refund", _("退货退款")
    EXCHANGE = "exchange", _("换货")
    RESHIP = "reship", _("补寄")


class RefundStatus(models.TextChoices):
    SUCCESS = "success", _("退款成功")
    CLOSED = "closed", _("退款关闭")
    OPEN = "open", _("处理中")


class Liability(models.TextChoices):
    NONE = "", _("无")
    SELLER = "seller", _("卖家")
    BUYER = "buyer", _("买家")


class AfterSaleRecord(models.Model):
    """One after-sale request (退款/售后单), unique in its shop by 退款编号: a re-import updates it."""

    shop = models.ForeignKey("readiness.Shop", on_delete=models.CASCADE, related_name="after_sale_records")
    refund_id = models.CharField(_("退款编号"), max_length=64)
    order_id = models.CharField(_("订单编号"), max_length=64)
    listing_id = models.CharField(_("商品ID"), max_length=64)
    sku_code = models.CharField(_("商家编码"), max_length=64, blank=True)
    kind = models.CharField(_("售后类型"), max_length=16, choices=RequestKind.choices)
    shipped = models.BooleanField(_("已发货"))
    reason = models.CharField(_("退款原因"), max_length=64)
    amount = models.DecimalField(_("退款金额"), max_digits=12, decimal_places=2)
    requested_at = models.DateTimeField(_("申请时间"))
    seller_handled_at = models.DateTimeField(_("商家处理时间"), null=True, blank=True)
    buyer_shipped_at = models.DateTimeField(_("买家退货时间"), null=True, blank=True)
    seller_received_at = models.DateTimeField(_("商家收货时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完结时间"), null=True, blank=True)
    status = models.CharField(_("退款状态"), max_length=8, choices=RefundStatus.choices)
    intervened = models.BooleanField(_("平台介入"), default=False)
    liability = models.CharField(_("判责"), max_length=8, choices=Liability.choices, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        ordering = ["shop", "requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "refund_id"], name="aftersale_shop_refund_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="aftersale_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=F("requested_at")),
                name="aftersale_closed_after_request",
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "closed_at"], name="aftersale_shop_closed_idx"),
            models.Index(fields=["shop", "requested_at"], name="aftersale_shop_requested_idx"),
            models.Index(fields=["shop", "order_id", "requested_at"], name="aftersale_shop_order_idx"),
        ]
        verbose_name = _("售后记录")
        verbose_name_plural = _("售后记录")

    def __str__(self) -> str:
        return f"{self.refund_id} {self.get_kind_display()} {self.reason}"


class PaidOrders(models.Model):
    """支付订单数 of one day, for the whole shop (``listing_id`` empty) or one listing."""

    shop = models.ForeignKey("readiness.Shop", on_delete=models.CASCADE, related_name="paid_orders")
    date = models.DateField(_("日期"))
    listing_id = models.CharField(_("商品ID"), max_length=64, blank=True)
    orders = models.PositiveIntegerField(_("支付订单数"))

    class Meta:
        ordering = ["shop", "date", "listing_id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "date", "listing_id"], name="paidorders_shop_date_listing_unique")
        ]
        verbose_name = _("支付订单数")
        verbose_name_plural = _("支付订单数")

    def __str__(self) -> str:
        return f"{self.date} {self.listing_id or '全店'}: {self.orders}"
