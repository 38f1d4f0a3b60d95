"""Query rows → what the templates show: labels in the active language, money, links, and a listing's fields cut
into highlighted segments. Templates then only loop and print (no custom template tags)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.models import ImageKind, Promotion
from readiness.web import formatting, highlight, suggestions
from readiness.web.queries import ListingDetail

EDITABLE = ("title", "subtitle", "description")


# A rule's name for people (the change history, exports): never its id. A rule not named here yet reads as its
# check's name (the id's first part), or as the id itself when even that is unknown.
RULE_LABELS = {
    "stock.coverage_low": gettext_lazy("库存覆盖不足"),
    "stock.coverage_tight": gettext_lazy("库存覆盖偏紧"),
    "stock.overstock": gettext_lazy("库存积压"),
    "gift_stock.insufficient": gettext_lazy("赠品库存不足"),
    "gift_stock.first_n_above_stock": gettext_lazy("前 N 名赠品超过库存"),
    "couriers.none_planned": gettext_lazy("未规划快递"),
    "couriers.top_share": gettext_lazy("单一快递占比过高"),
    "couriers.hhi": gettext_lazy("快递过于集中"),
    "couriers.region_uncovered": gettext_lazy("地区无快递覆盖"),
    "couriers.region_few_couriers": gettext_lazy("地区快递过少"),
    "couriers.capacity_short": gettext_lazy("快递运力不足"),
    "couriers.courier_over_capacity": gettext_lazy("快递超出承诺运力"),
    "couriers.no_intercept": gettext_lazy("快递不支持拦截"),
    "presale.not_labelled": gettext_lazy("预售未标注"),
    "presale.ship_date_not_stated": gettext_lazy("未写明发货时间"),
    "presale.ship_by_missing": gettext_lazy("预售缺少发货日期"),
    "presale.ship_date_differs": gettext_lazy("页面发货时间与计划不符"),
    "presale.ship_date_beyond_limit": gettext_lazy("预售发货超出时限"),
    "presale.ship_before_stock": gettext_lazy("发货早于到货"),
    "presale.flag_missing": gettext_lazy("预售标识缺失"),
    "presale.in_stock_claim": gettext_lazy("预售商品宣称现货"),
    "presale.vague_ship_time": gettext_lazy("发货时间表述模糊"),
    "presale.ship_time_missing": gettext_lazy("预售文案缺少发货时间"),
    "gifts.not_described": gettext_lazy("赠品未说明"),
    "gifts.not_named_on_page": gettext_lazy("页面未写明赠品"),
    "gifts.description_incomplete": gettext_lazy("赠品说明不完整"),
    "rebates.review_cashback": gettext_lazy("好评返现"),
    "rebates.review_cashback_disguised": gettext_lazy("变相好评返现"),
    "rebates.prize_without_official_activity": gettext_lazy("抽奖未经平台官方活动"),
    "rebates.prize_rules_undisclosed": gettext_lazy("抽奖规则未公示"),
    "price.reference_unverifiable": gettext_lazy("划线价无法核实"),
    "price.reference_above_recent_low": gettext_lazy("划线价高于近期最低价"),
    "price.raised_before_sale": gettext_lazy("活动前先涨价"),
    "price.lowest_claim": gettext_lazy("最低价宣称"),
    "price.misleading_wording": gettext_lazy("误导性价格表述"),
    "price.platform_activity": gettext_lazy("冒用平台活动名义"),
    "price.reference_price": gettext_lazy("参考价表述"),
    "price.unsupported_basis": gettext_lazy("划线价依据不明"),
    "extreme.superlative": gettext_lazy("最高级用语"),
    "extreme.first": gettext_lazy("“第一”类用语"),
    "extreme.absolute": gettext_lazy("绝对化用语"),
    "extreme.disparaging": gettext_lazy("贬低他人"),
    "extreme.false_designation": gettext_lazy("虚假称号"),
    "extreme.famous_trademark": gettext_lazy("“驰名商标”用语"),
    "extreme.ranking": gettext_lazy("排名用语"),
    "extreme.standard_grade": gettext_lazy("“国家级”等级用语"),
    "extreme.state_name": gettext_lazy("使用国家机关名义"),
    "extreme.top_grade": gettext_lazy("“顶级”类用语"),
    "extreme.award_title": gettext_lazy("奖项称号"),
    "extreme.limited_claim": gettext_lazy("限定性绝对用语"),
    "extreme.training_promise": gettext_lazy("培训效果承诺"),
    "medical.breast_milk_likeness": gettext_lazy("配方食品比附母乳"),
    "medical.cosmetics_efficacy": gettext_lazy("化妆品功效宣称"),
    "medical.cosmetics_medical": gettext_lazy("化妆品医疗用语"),
    "medical.device_confusion": gettext_lazy("与医疗器械混淆"),
    "medical.disease_claim": gettext_lazy("疾病治疗宣称"),
    "medical.disease_mention": gettext_lazy("提及疾病"),
    "medical.endorsement": gettext_lazy("医疗机构或医生推荐"),
    "medical.food_function": gettext_lazy("普通食品功能宣称"),
    "medical.guarantee": gettext_lazy("功效保证"),
    "medical.health_claim": gettext_lazy("健康功效宣称"),
    "medical.weight_loss": gettext_lazy("减肥宣称"),
    "review.inducement": gettext_lazy("诱导好评"),
    "spec.mismatch": gettext_lazy("参数不一致"),
    "spec.length_mismatch": gettext_lazy("尺寸不一致"),
    "spec.net_exceeds_gross": gettext_lazy("净含量大于毛重"),
    "spec.ambiguous_unit": gettext_lazy("单位含糊"),
    "spec.mass_volume_review": gettext_lazy("重量与容量待核对"),
    "spec.charge_energy_review": gettext_lazy("电量参数待核对"),
    "spec.size_review": gettext_lazy("尺寸待核对"),
    "image.unreadable": gettext_lazy("图片无法读取"),
    "after_sales.no_plan": gettext_lazy("缺少售后方案"),
    "after_sales.auto_refund_off": gettext_lazy("未开启未发货自动退款"),
    "after_sales.auto_refund_shipped_on": gettext_lazy("已发货自动退款开启"),
    "after_sales.auto_accept_returns_off": gettext_lazy("未开启自动同意退货"),
    "after_sales.no_agents": gettext_lazy("没有客服"),
    "after_sales.understaffed": gettext_lazy("客服人手不足"),
    "after_sales.role_understaffed": gettext_lazy("岗位人手不足"),
    "after_sales.no_fast_refund_plan": gettext_lazy("缺少极速退款方案"),
    "after_sales.dispute_rate_high": gettext_lazy("纠纷退款率过高"),
    "after_sales.quality_rate_high": gettext_lazy("品质退款率过高"),
    "after_sales.self_completion_low": gettext_lazy("自主完结率过低"),
    "after_sales.refund_only_slow": gettext_lazy("仅退款处理过慢"),
    "after_sales.return_refund_slow": gettext_lazy("退货退款处理过慢"),
    "after_sales.problem_listing": gettext_lazy("售后问题商品"),
}
_RULE_CHECKS = {
    "extreme": "listing_text",
    "medical": "listing_text",
    "review": "listing_text",
    "spec": "spec_consistency",
    "image": "listing_text",
    "presale": "presale_label",
}


_SOURCES = {
    "web": gettext_lazy("网页"),
    "api": gettext_lazy("通过 API"),
    "import": gettext_lazy("导入"),
    "replace": gettext_lazy("批量替换"),
}


def source_label(source: str) -> str:
    """Where an edit came from (web, api, import, a find and replace), for the change history."""
    return str(_SOURCES.get(source, source))


def rule_label(rule: str) -> str:
    if rule in RULE_LABELS:
        return str(RULE_LABELS[rule])
    prefix = rule.partition(".")[0]
    label = formatting.check_label(_RULE_CHECKS.get(prefix, prefix))
    return label if label != _RULE_CHECKS.get(prefix, prefix) else rule


# Names of the evidence a check keeps (the issue page, the export); a key not named here is shown as it is.
EVIDENCE_LABELS = {
    "coverage": gettext_lazy("库存覆盖率"),
    "on_hand": gettext_lazy("现有库存"),
    "needed": gettext_lazy("所需数量"),
    "forecast_units": gettext_lazy("预测销量"),
    "safety_stock": gettext_lazy("安全库存"),
    "safety_stock_derived": gettext_lazy("安全库存按比例推算"),
    "shortfall_units": gettext_lazy("缺口数量"),
    "inbound_counted": gettext_lazy("计入的在途库存"),
    "inbound_too_late": gettext_lazy("晚到的在途库存"),
    "inbound_after_sale_start": gettext_lazy("开售后到货"),
    "fail_below": gettext_lazy("低于此值为错误"),
    "warn_below": gettext_lazy("低于此值为警告"),
    "overstock_above": gettext_lazy("高于此值为积压"),
    "compensation_per_order": gettext_lazy("每单赔付"),
    "compensation_basis": gettext_lazy("赔付依据"),
    "affected_orders": gettext_lazy("受影响订单"),
    "late_orders": gettext_lazy("延迟订单"),
    "citation": gettext_lazy("法规依据"),
    "penalty": gettext_lazy("处罚"),
    "gift": gettext_lazy("赠品"),
    "gift_stock": gettext_lazy("赠品库存"),
    "per_order": gettext_lazy("每单赠送"),
    "first_n": gettext_lazy("前 N 名"),
    "orders_with_gift": gettext_lazy("含赠品订单"),
    "factor": gettext_lazy("系数"),
    "required": gettext_lazy("需要"),
    "missing": gettext_lazy("缺少"),
    "described_on_page": gettext_lazy("页面已说明"),
    "named_on_page": gettext_lazy("页面已写明"),
    "quantity": gettext_lazy("数量"),
    "spec": gettext_lazy("规格"),
    "period": gettext_lazy("期限"),
    "method": gettext_lazy("方式"),
    "kind": gettext_lazy("种类"),
    "couriers": gettext_lazy("快递"),
    "courier": gettext_lazy("快递"),
    "planned_share": gettext_lazy("计划占比"),
    "shares": gettext_lazy("占比"),
    "share": gettext_lazy("占比"),
    "top_share": gettext_lazy("最大占比"),
    "top_share_max": gettext_lazy("最大占比上限"),
    "hhi": gettext_lazy("集中度（HHI）"),
    "hhi_max": gettext_lazy("集中度上限"),
    "region": gettext_lazy("地区"),
    "min_per_region": gettext_lazy("每地区最少快递数"),
    "capacity": gettext_lazy("运力"),
    "committed_capacity": gettext_lazy("承诺运力"),
    "required_capacity": gettext_lazy("所需运力"),
    "capacity_factor": gettext_lazy("运力系数"),
    "peak_day_parcels": gettext_lazy("峰值日包裹数"),
    "peak_day_share": gettext_lazy("峰值日占比"),
    "peak_day_backlog": gettext_lazy("峰值日积压"),
    "parcels_per_order": gettext_lazy("每单包裹数"),
    "expected_orders": gettext_lazy("预计订单"),
    "per_courier": gettext_lazy("各快递"),
    "covered_share": gettext_lazy("覆盖占比"),
    "redundant_share": gettext_lazy("冗余占比"),
    "ship_by": gettext_lazy("承诺发货日期"),
    "stated_date": gettext_lazy("页面写明的日期"),
    "stated": gettext_lazy("页面写明"),
    "max_delay_days": gettext_lazy("最长延迟天数"),
    "delay_days": gettext_lazy("延迟天数"),
    "handling_days": gettext_lazy("处理天数"),
    "limit_verified": gettext_lazy("期限已核实"),
    "presale_start": gettext_lazy("预售开始"),
    "final_payment_start": gettext_lazy("尾款开始"),
    "sale_start": gettext_lazy("开售时间"),
    "arrives": gettext_lazy("到货时间"),
    "available_by_ship_by": gettext_lazy("发货日前可用"),
    "label": gettext_lazy("标签"),
    "price": gettext_lazy("价格"),
    "list_price": gettext_lazy("划线价"),
    "lowest_recent": gettext_lazy("近期最低价"),
    "lowest_date": gettext_lazy("最低价日期"),
    "lookback_days": gettext_lazy("回看天数"),
    "from_price": gettext_lazy("原价"),
    "to_price": gettext_lazy("现价"),
    "from_date": gettext_lazy("起始日期"),
    "to_date": gettext_lazy("结束日期"),
    "raise": gettext_lazy("涨幅"),
    "tolerance": gettext_lazy("容差"),
    "average_price": gettext_lazy("平均价"),
    "source": gettext_lazy("来源"),
    "prize": gettext_lazy("奖品"),
    "official_activity_id": gettext_lazy("官方活动编号"),
    "condition": gettext_lazy("条件"),
    "free_order": gettext_lazy("免单"),
    "days": gettext_lazy("天数"),
    "date": gettext_lazy("日期"),
    "time": gettext_lazy("时间"),
    "units": gettext_lazy("件数"),
    "window": gettext_lazy("时段"),
    "ratio": gettext_lazy("比例"),
    "cs_agents": gettext_lazy("客服人数"),
    "agents_needed": gettext_lazy("所需客服"),
    "role": gettext_lazy("岗位"),
    "dispute_refund_rate": gettext_lazy("纠纷退款率"),
    "quality_refund_rate": gettext_lazy("品质退款率"),
    "self_completion_rate": gettext_lazy("自主完结率"),
    "refund_self_completion_rate": gettext_lazy("退款自主完结率"),
    "refund_only_completion_hours": gettext_lazy("仅退款完结时长（小时）"),
    "return_refund_completion_hours": gettext_lazy("退货退款完结时长（小时）"),
    "requests_total": gettext_lazy("售后申请总数"),
    "rates_source": gettext_lazy("比率来源"),
    "auto_refund_unshipped": gettext_lazy("未发货自动退款"),
    "auto_refund_shipped": gettext_lazy("已发货自动退款"),
    "auto_accept_returns": gettext_lazy("自动同意退货"),
    "min": gettext_lazy("下限"),
    "max": gettext_lazy("上限"),
    "listing_id": gettext_lazy("商品ID"),
    "sku": gettext_lazy("SKU"),
    "title": gettext_lazy("标题"),
    "description": gettext_lazy("描述"),
    "field": gettext_lazy("字段"),
    "text": gettext_lazy("原文"),
    "category": gettext_lazy("类别"),
    "scanner_rule": gettext_lazy("扫描规则"),
    "stages_hours": gettext_lazy("各阶段时长（小时）"),
    "quality_amount": gettext_lazy("品质问题数量"),
    "counted_from": gettext_lazy("起算"),
    "counted_from_date": gettext_lazy("起算日期"),
    "related": gettext_lazy("相关内容"),
}


def evidence_label(key: str) -> str:
    return str(EVIDENCE_LABELS[key]) if key in EVIDENCE_LABELS else key


def evidence_items(evidence: Any) -> list[tuple[str, str]]:
    """A finding's evidence as (name, value) pairs, named for people."""
    return [(evidence_label(key), value) for key, value in formatting.evidence_items(evidence)]


def listing_url(promotion: Any, listing_id: str) -> str:
    """The listing's page (reverse: the id is a URL segment, never pasted in); none for an id stored before ids
    had to be slugs, which no URL can carry."""
    try:
        return reverse("listing", args=[promotion.shop.code, promotion.code, listing_id])
    except NoReverseMatch:
        return ""


def issue(row: dict[str, Any], promotion: Promotion, now: dt.datetime | None = None) -> dict[str, Any]:
    """An issue row (``queries.ISSUE_FIELDS``) with labels and links added."""
    now = now or timezone.now()
    row = dict(row)
    row["severity_label"] = formatting.severity_label(row["severity"])
    row["check_label"] = formatting.check_label(row["check_name"])
    row["owner_label"] = formatting.owner_label(row["owner"])
    row["exposure_text"] = formatting.yuan_range(row.get("exposure_min"), row.get("exposure_max"))
    row["overdue"] = bool(row.get("deadline") and row["deadline"] < now)
    row["evidence_items"] = evidence_items(row.get("evidence"))
    row["field_label"] = formatting.field_label(row["field"], html=True) if row.get("field") else ""
    row["message"] = formatting.finding_text(row, "message")
    row["remediation"] = formatting.finding_text(row, "remediation")
    listing_id = row.get("listing__listing_id")
    row["listing_url"] = listing_url(promotion, listing_id) if listing_id else ""
    if listing_id and row.get("pk"):
        row["listing_url"] += f"#finding-{row['pk']}"
    if row.get("same_kind"):
        query = urlencode({"owner": row["owner"], "check": row["check_name"], "rule": row["rule"]})
        row["kind_url"] = reverse("issues", args=[promotion.shop.code, promotion.code]) + "?" + query
    return row


# ---- a listing's fields with highlights ----------------------------------------------------------------------


@dataclass(slots=True)
class SegmentView:
    text: str
    marked: bool
    css: str = ""
    findings: str = ""  # space-separated finding ids (data-findings)
    anchors: list[str] = field(default_factory=list)  # ids where findings start, for links from the side list
    title: str = ""  # plain-text reason, for the native tooltip when scripts are off
    describedby: str = ""
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class FieldView:
    name: str  # the finding field: title, specs.净含量, skus[0].name …
    label: str
    value: str
    editable: bool
    segments: list[SegmentView] = field(default_factory=list)
    multiline: bool = False
    dom_id: str = ""
    open_findings: int = 0


@dataclass(slots=True)
class FindingView:
    row: dict[str, Any]
    located: bool  # highlighted in a field (offsets still match the text)
    related_located: bool
    related_label: str
    related_text: str
    replacements: list[tuple[int, str, str]]  # (index, word, the word marked as shop data)
    waiver: Any


def listing_fields(detail: ListingDetail) -> tuple[list[FieldView], list[FindingView], list[FindingView]]:
    """The listing's text fields with every finding highlighted, the text findings for the side list, and the
    other findings (stock, gifts, rebates …) that have no place in a text."""
    listing = detail.listing
    fields: list[FieldView] = [
        FieldView("title", _("标题"), listing.title, True),
        FieldView("subtitle", _("副标题"), listing.subtitle, True),
        FieldView("description", _("详情描述"), listing.description, True, multiline=True),
    ]
    for name, value in (listing.specs or {}).items():
        label = formatting.field_label(f"specs.{name}", html=True)  # the spec's name is shop data
        fields.append(FieldView(f"specs.{name}", label, str(value), True))
    for i, sku in enumerate(detail.skus):
        fields.append(FieldView(f"skus[{i}].name", _("SKU %(code)s 名称") % {"code": sku.code}, sku.name, False))
    if listing.presale_enabled or listing.presale_label:
        fields.append(FieldView("presale.label", _("预售标签"), listing.presale_label, False))
    by_name = {f.name: f for f in fields}
    for i, f in enumerate(fields):
        f.dom_id = f"field-{i}"

    spans: dict[str, list[highlight.Span]] = {}
    text_views: list[FindingView] = []
    other_views: list[FindingView] = []
    for row in detail.findings:
        target = by_name.get(row["field"] or "")
        located = target is not None and highlight.valid(target.value, row["start"], row["end"], row["text"])
        related = row.get("related") or None
        related_field = by_name.get(related.get("field", "")) if isinstance(related, dict) else None
        related_span = _related_span(related_field, related) if related_field is not None else None
        if located and target is not None:
            spans.setdefault(target.name, []).append(
                highlight.Span(row["pk"], row["start"], row["end"], row["severity"], "main", bool(row["waived"]))
            )
            if not row["waived"] and row["severity"] != "info":
                target.open_findings += 1
        if related_span is not None and related_field is not None:
            spans.setdefault(related_field.name, []).append(
                highlight.Span(row["pk"], *related_span, row["severity"], "related", bool(row["waived"]))
            )
        replacements: list[tuple[int, str, str]] = []
        if located and target is not None and target.editable and not row["waived"]:
            words = suggestions.replacements(row.get("suggestion"))
            replacements = [(i, word, formatting.data_html(word)) for i, word in enumerate(words)]
        view = FindingView(
            row=row,
            located=located,
            related_located=related_span is not None,
            related_label=formatting.field_label(related["field"], html=True) if isinstance(related, dict) else "",
            related_text=str(related.get("text", "")) if isinstance(related, dict) else "",
            replacements=replacements,
            waiver=row.get("waiver"),
        )
        (text_views if located else other_views).append(view)

    # The side list follows the page: field by field, left to right.
    order = {f.name: i for i, f in enumerate(fields)}
    text_views.sort(key=lambda v: (order.get(v.row["field"], 99), v.row["start"] or 0, v.row["end"] or 0))
    rows_by_pk = {row["pk"]: row for row in detail.findings}
    for f in fields:
        cut = highlight.segments(f.value, spans.get(f.name, []))
        firsts = highlight.first_segment_ids(cut)
        anchors: dict[int, list[str]] = {}
        for (pk, role), index in firsts.items():
            anchors.setdefault(index, []).append(f"hl-{pk}-{role}")
        f.segments = [_segment_view(i, seg, anchors, rows_by_pk) for i, seg in enumerate(cut)]
    return fields, text_views, other_views


def _related_span(target: FieldView, related: dict[str, Any]) -> tuple[int, int] | None:
    """Where the other side of a mismatch is: its offsets when given and still true, else its first occurrence."""
    text = str(related.get("text") or "")
    start, end = related.get("start"), related.get("end")
    if isinstance(start, int) and isinstance(end, int) and highlight.valid(target.value, start, end, text or None):
        return start, end
    if text and text in target.value:
        index = target.value.index(text)
        return index, index + len(text)
    return None


def _segment_view(
    index: int, seg: highlight.Segment, anchors: dict[int, list[str]], rows: dict[int, dict[str, Any]]
) -> SegmentView:
    if not seg.marked:
        return SegmentView(seg.text, False, start=seg.start, end=seg.end)
    lines = []
    for span in seg.spans:
        row = rows[span.finding]
        message = formatting.plain_text(formatting.finding_text(row, "message"))
        if span.role == "related":
            lines.append(_("对照：%(message)s") % {"message": message})
        else:
            lines.append(message)
    css = ["hl", f"sev-{seg.severity}"]
    if seg.is_related_only:
        css.append("hl-related")
    return SegmentView(
        text=seg.text,
        marked=True,
        css=" ".join(css),
        findings=" ".join(str(pk) for pk in seg.findings),
        anchors=anchors.get(index, []),
        title="\n".join(lines),
        describedby=" ".join(f"tip-{pk}" for pk in seg.findings),
        start=seg.start,
        end=seg.end,
    )


# ---- a listing's pictures with the boxes of their findings ---------------------------------------------------


def _percent(value: float) -> str:
    return f"{max(0.0, min(100.0, value * 100)):.3f}%"


def listing_pictures(pictures: list[dict[str, Any]], detail: ListingDetail, scope: Any) -> list[dict[str, Any]]:
    """Each picture (``queries.listing_pictures``) with the boxes of its findings, placed in percent of the
    picture's size so they stay on the words however the page scales it, in the severity colours of the text
    highlights; a picture that was not read carries the reason."""
    by_field: dict[str, list[dict[str, Any]]] = {}
    for row in detail.findings:
        name = row.get("field") or ""
        if name.startswith("images["):
            by_field.setdefault(name, []).append(row)
    kinds = dict(ImageKind.choices)
    out = []
    for picture in pictures:
        name = f"images[{picture['index']}]"
        width, height = picture.get("width"), picture.get("height")
        boxes, notes = [], []
        for row in by_field.get(name, []):
            box = (row.get("evidence") or {}).get("box")
            if isinstance(box, list) and len(box) == 4 and width and height:
                x0, y0, x1, y1 = box
                boxes.append(
                    {
                        "pk": row["pk"],
                        "css": "sev-waived" if row.get("waived") else f"sev-{row['severity']}",
                        "left": _percent(x0 / width),
                        "top": _percent(y0 / height),
                        "width": _percent((x1 - x0) / width),
                        "height": _percent((y1 - y0) / height),
                        "text": row.get("text") or "",
                        "title": formatting.plain_text(formatting.finding_text(row, "message")),
                    }
                )
            elif row.get("rule") == "image.unreadable":
                notes.append(formatting.finding_text(row, "message"))
        src = ""
        if picture.get("sha256") and scope.promotion is not None:
            src = reverse("listing-picture", args=[scope.shop.code, scope.promotion.code, picture["pk"]])
        out.append(
            picture
            | {
                "field": name,
                "label": formatting.field_label(name),
                "kind_label": kinds.get(picture["kind"], picture["kind"]),
                "src": src,
                "boxes": boxes,
                "notes": notes,
            }
        )
    return out
