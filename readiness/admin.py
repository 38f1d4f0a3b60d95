from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from readiness import models
from readiness.rulepacks import RulePackError, validate_overrides


class MembershipInline(admin.TabularInline):
    model = models.ShopMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "platform", "updated_at"]
    list_filter = ["platform"]
    search_fields = ["code", "name"]
    inlines = [MembershipInline]


@admin.register(models.ShopMembership)
class ShopMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "shop", "role", "created_at"]
    list_filter = ["role", "shop"]
    search_fields = ["user__username", "shop__code"]
    autocomplete_fields = ["user", "shop"]


class CourierInline(admin.TabularInline):
    model = models.CourierPlan
    extra = 0


class ServiceInline(admin.StackedInline):
    model = models.ServicePlan
    extra = 0


@admin.register(models.Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "shop", "presale_start", "sale_start", "sale_end", "expected_orders"]
    list_filter = ["shop__platform", "shop"]
    search_fields = ["code", "name", "shop__code"]
    date_hierarchy = "sale_start"
    inlines = [CourierInline, ServiceInline]


class SkuInline(admin.TabularInline):
    model = models.Sku
    extra = 0
    fields = [
        "code",
        "name",
        "price",
        "list_price",
        "list_price_basis",
        "stock",
        "forecast_units",
        "archived_at",
    ]


class GiftInline(admin.TabularInline):
    model = models.Gift
    extra = 0


class RebateInline(admin.TabularInline):
    model = models.Rebate
    extra = 0


@admin.register(models.Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["listing_id", "title", "shop", "category", "presale_enabled", "archived_at"]
    list_filter = ["shop", "category", "presale_enabled", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["listing_id", "title", "description"]
    list_select_related = ["shop"]
    inlines = [SkuInline, GiftInline, RebateInline]


@admin.register(models.Sku)
class SkuAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "listing", "price", "list_price", "stock", "forecast_units"]
    list_filter = ["listing__shop"]
    search_fields = ["code", "name", "listing__listing_id"]
    list_select_related = ["listing"]
    raw_id_fields = ["listing"]


@admin.register(models.InboundShipment)
class InboundAdmin(admin.ModelAdmin):
    list_display = ["sku", "units", "arrives"]
    list_filter = ["sku__listing__shop"]
    search_fields = ["sku__code"]
    raw_id_fields = ["sku"]


@admin.register(models.PriceHistory)
class PriceHistoryAdmin(admin.ModelAdmin):
    list_display = ["sku", "date", "lowest_price"]
    list_filter = ["sku__listing__shop", "date"]
    search_fields = ["sku__code"]
    raw_id_fields = ["sku"]


@admin.register(models.Gift)
class GiftAdmin(admin.ModelAdmin):
    list_display = ["name", "listing", "stock", "per_order", "first_n", "described_on_page"]
    list_filter = ["described_on_page", "listing__shop"]
    search_fields = ["name", "listing__listing_id"]
    raw_id_fields = ["listing"]


@admin.register(models.Rebate)
class RebateAdmin(admin.ModelAdmin):
    list_display = ["kind", "text", "listing", "official_activity_id"]
    list_filter = ["kind", "listing__shop"]
    search_fields = ["text", "listing__listing_id"]
    raw_id_fields = ["listing"]


class CheckResultInline(admin.TabularInline):
    model = models.CheckResult
    extra = 0


@admin.register(models.ScanRun)
class ScanRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "shop", "promotion", "status", "score", "grade", "created_at", "finished_at"]
    list_filter = ["status", "shop", "grade"]
    search_fields = ["shop__code", "promotion__code"]
    inlines = [CheckResultInline]


@admin.register(models.Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["rule", "severity", "check_name", "listing", "sku_code", "owner", "deadline", "run"]
    list_filter = ["severity", "check_name", "category", "owner"]
    search_fields = ["rule", "message", "text", "listing__listing_id"]
    raw_id_fields = ["run", "listing"]


@admin.register(models.Waiver)
class WaiverAdmin(admin.ModelAdmin):
    list_display = ["rule", "shop", "listing", "created_by", "created_at", "expires_at", "lifted_at"]
    list_filter = ["shop", ("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["rule", "reason", "fingerprint"]
    raw_id_fields = ["listing"]


class ShopRuleOverrideForm(forms.ModelForm):
    class Meta:
        model = models.ShopRuleOverride
        fields = ["shop", "key", "value", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shop, key = data.get("shop"), data.get("key")
        if shop is not None and key:
            try:
                validate_overrides(shop.platform, {key: data.get("value")})
            except RulePackError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return data


@admin.register(models.ShopRuleOverride)
class ShopRuleOverrideAdmin(admin.ModelAdmin):
    form = ShopRuleOverrideForm
    list_display = ["shop", "key", "value", "note", "updated_at"]
    list_filter = ["shop"]
    search_fields = ["key", "shop__code"]


@admin.register(models.ShopTerm)
class ShopTermAdmin(admin.ModelAdmin):
    list_display = ["term", "kind", "shop", "category", "severity", "suggestion"]
    list_filter = ["kind", "shop", "category"]
    search_fields = ["term", "shop__code"]


@admin.register(models.ListingRevision)
class ListingRevisionAdmin(admin.ModelAdmin):
    list_display = ["listing", "changed_by", "changed_at", "source"]
    list_filter = ["source"]
    search_fields = ["listing__listing_id"]
    raw_id_fields = ["listing"]
