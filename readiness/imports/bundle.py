"""The readiness bundle (interfaces.md §2): parse and validate it into plain dataclasses.

Structure and types are checked by pydantic (a strict JSON schema built from the dataclasses below); rules
that span fields (sale_end after sale_start, unique SKU codes per listing, …) are checked on the decoded data
alongside, so all errors are reported at once, up to a cap. Only integrity is refused (data that cannot be
stored or means nothing); a plan with gaps imports and the checks report it (docs/checks.md, "Refused or
reported"). Every error keeps its JSON path (``listings[3].skus[0].stock``) for programs and says, in Chinese
(or the active language), what was expected of what a person knows: 商品 L101「标题」的 SKU L101-2：库存应为
整数，收到 "many". Unknown fields are ignored with a warning.

The dataclasses are also the input of the readiness checks: selectors build the same objects from the
database, so a check never needs the ORM.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import json
import re
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    with_config,
)
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12

from readiness.platforms import ImageKindName, PlatformName, RebateKindName

FORMAT = "readiness-bundle/1"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_ERRORS = 100
# Column limits of the database, so that a bundle that validates also fits.
MAX_INT = 2**31 - 1
# Pictures per listing (a detail page is rarely more than 30).
MAX_IMAGES = 60


def gettext_noop(message: str) -> str:
    """Marks a Chinese source message for translation; it is translated when shown (:func:`translate`)."""
    return message


_translator: Callable[[str], str] = gettext_noop


def set_translator(translator: Callable[[str], str]) -> None:
    """Install the function that translates a message into the active language (the app installs Django's
    ``gettext`` when it starts; this module stays free of Django)."""
    global _translator
    _translator = translator


def translate(message: str) -> str:
    return _translator(message)


@dataclasses.dataclass(frozen=True, slots=True)
class Msg:
    """A Chinese message template with ``{name}`` placeholders; parameters may be messages themselves. It is
    rendered in the active language when shown, so an English request reads English."""

    template: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def render(self) -> str:
        params = {k: v.render() if isinstance(v, Msg) else v for k, v in self.params.items()}
        text = translate(self.template)
        return text.format(**params) if params else text


@dataclasses.dataclass(frozen=True, slots=True)
class BundleIssue:
    """One problem of a bundle: its JSON ``path`` (for programs) and a message for people, in Chinese (or the
    active language), that names the thing a person knows (商品 L101「标题」的 SKU L101-2) and what is wrong.

    ``template`` and ``params`` say what is wrong; ``subject`` (when known) is what it is wrong with."""

    path: str
    template: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    subject: Msg | None = None

    @property
    def problem(self) -> str:
        """What is wrong, without the subject."""
        return Msg(self.template, self.params).render().strip()  # an empty {field} label leaves a space

    @property
    def message(self) -> str:
        """The whole message in the active language: subject and problem."""
        if self.subject is None:
            return self.problem
        return translate(gettext_noop("{subject}：{problem}")).format(
            subject=self.subject.render(), problem=self.problem
        )

    def __str__(self) -> str:
        return (
            translate(gettext_noop("{message}（{path}）")).format(message=self.message, path=self.path)
            if self.path
            else self.message
        )


class BundleError(Exception):
    """A bundle that cannot be imported. ``errors`` lists every problem found (up to MAX_ERRORS)."""

    def __init__(self, errors: list[BundleIssue], total: int | None = None) -> None:
        self.errors = errors
        self.total = total if total is not None else len(errors)
        super().__init__(self.summary())

    def summary(self) -> str:
        text = Msg(gettext_noop("导入包有 {total} 处错误"), {"total": self.total}).render()
        if self.total > len(self.errors):
            text += Msg(gettext_noop("（列出前 {shown} 处）"), {"shown": len(self.errors)}).render()
        return text

    def lines(self) -> list[str]:
        return [str(issue) for issue in self.errors]


class Problem(ValueError):
    """A validator's complaint as a message template (the field's label is filled in as ``{field}``)."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(field="", **params))


# ---- field types ------------------------------------------------------------------------------------------


def _storable_text(value: str) -> str:
    # PostgreSQL refuses NUL in text and lone surrogates cannot be encoded: refuse them here, with a path.
    if _UNSTORABLE.search(value) is None:  # one C-level scan on the common path
        return value
    if "\x00" in value:
        raise Problem(gettext_noop("{field}不能包含空字符（\\u0000）"))
    raise Problem(gettext_noop("{field}不是有效的 Unicode 文字（含孤立代理字符）"))


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


# Text with the length limit of its database column (written out: a type alias must be static for mypy).
Code = Annotated[str, Strict(), Field(min_length=1, max_length=64), AfterValidator(_storable_text)]
CourierName = Annotated[str, Strict(), Field(min_length=0, max_length=100), AfterValidator(_storable_text)]
Name = Annotated[str, Strict(), Field(min_length=0, max_length=200), AfterValidator(_storable_text)]
LongText = Annotated[str, Strict(), Field(min_length=0, max_length=500), AfterValidator(_storable_text)]
Body = Annotated[str, Strict(), Field(min_length=0, max_length=100_000), AfterValidator(_storable_text)]
BODY_MAX_LENGTH = 100_000  # the longest text of the format (a description)
Count = Annotated[int, Strict(), Field(ge=0, le=MAX_INT)]
Share = Annotated[float, Strict(), Field(ge=0, le=1)]
Rate = Share
Str = Annotated[str, Strict(), AfterValidator(_storable_text)]
# Codes that go into URLs (shop, promotion, courier, listing): what Django's <slug:> converter matches.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
Slug = Annotated[Str, Field(min_length=1, max_length=64, pattern=SLUG_PATTERN)]  # shop and promotion codes
ListingId = Annotated[
    str, Strict(), Field(min_length=1, max_length=64, pattern=SLUG_PATTERN), AfterValidator(_storable_text)
]
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


_MONEY = gettext_noop('{field}应为金额文字，如 "59.90"，收到 {got}')
_DATETIME = gettext_noop("{field}应为 ISO 8601 日期时间，如 2026-11-10T20:00:00+08:00，收到 {got}")
_DATE = gettext_noop("{field}应为 ISO 8601 日期，如 2026-11-15，收到 {got}")


def _money_input(value: Any) -> Any:
    # Money is a decimal string; a JSON integer is accepted, a float is not (it would lose cents).
    if type(value) is not str and type(value) is not int:  # bool is an int subclass: refused here too
        raise Problem(_MONEY, got=_describe(value))
    try:
        amount = Decimal(value)
    except ArithmeticError:
        raise Problem(_MONEY, got=_describe(value)) from None
    if not amount.is_finite():
        raise Problem(gettext_noop("{field}应为有限的金额，收到 {got}"), got=_describe(value))
    return amount


MoneyIn = Annotated[
    Money,
    BeforeValidator(_money_input),
    # Both forms the validator accepts (a schema of strings only made a valid integer look invalid to clients
    # and to schemathesis's invalid-data run).
    WithJsonSchema(
        {
            "oneOf": [
                {"type": "string", "format": "decimal", "pattern": r"^\d{0,10}(?:\.\d{0,2})?$"},
                {"type": "integer", "minimum": 0, "maximum": 9_999_999_999},
            ],
            "description": 'yuan as a decimal string such as "59.90" (a JSON integer is accepted, a float is not)',
        }
    ),
]


# Dates a plan can mean. Outside them a date is a typo (0053 for 2053), and one before 1901 would come back with
# Asia/Shanghai's local mean time offset (+08:05:43), which is not RFC 3339: refused here, with the range.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)
DATE_RANGE = f"between {EARLIEST.isoformat()} and {LATEST.isoformat()}"


def _in_range(day: dt.date, value: str) -> None:
    if not EARLIEST <= day <= LATEST:
        raise Problem(
            gettext_noop("{field}应在 {earliest} 至 {latest} 之间，收到 {got}"),
            earliest=EARLIEST.isoformat(),
            latest=LATEST.isoformat(),
            got=_describe(value),
        )


def _aware(value: Any) -> Any:
    """ISO 8601 text → aware datetime; a value without a zone (or a bare date) is Asia/Shanghai."""
    if not isinstance(value, str):
        raise Problem(_DATETIME, got=_describe(value))
    try:
        if len(value) == 10:
            parsed = dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
        else:
            parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise Problem(_DATETIME, got=_describe(value)) from None
    _in_range(parsed.date(), value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)


def _date(value: Any) -> Any:
    if not isinstance(value, str):
        raise Problem(_DATE, got=_describe(value))
    try:
        day = dt.date.fromisoformat(value[:10]) if len(value) == 10 else dt.datetime.fromisoformat(value).date()
    except ValueError:
        raise Problem(_DATE, got=_describe(value)) from None
    _in_range(day, value)
    return day


DateTime = Annotated[
    dt.datetime,
    BeforeValidator(_aware),
    Field(description=f"ISO 8601, {DATE_RANGE}; a date or a time without a zone is Asia/Shanghai"),
]
Date = Annotated[dt.date, BeforeValidator(_date), Field(description=f"ISO 8601, {DATE_RANGE}")]


def _specs(value: dict[str, str]) -> dict[str, str]:
    for key in value:
        _storable_text(key)
        if not key.strip():
            raise Problem(gettext_noop("规格参数名不能为空"))
    return value


Specs = Annotated[
    dict[Annotated[Str, Field(max_length=100)], Annotated[Str, Field(max_length=500)]], AfterValidator(_specs)
]

# Types are strict field by field (a JSON string is never read as a number, nor 1 as true).
STRICT = ConfigDict(allow_inf_nan=False)


# ---- the bundle ---------------------------------------------------------------------------------------------


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class ShopData:
    code: Slug
    name: Name
    platform: PlatformName


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class PromotionData:
    code: Slug
    sale_start: DateTime
    sale_end: Annotated[DateTime, Field(description="after sale_start")]
    name: Name = ""
    presale_start: DateTime | None = None
    final_payment_start: DateTime | None = None
    expected_orders: Count = 0
    destinations: dict[Annotated[Str, Field(min_length=1, max_length=32)], Share] = dataclasses.field(
        default_factory=dict
    )


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class CourierData:
    code: Annotated[Str, Field(min_length=1, max_length=32, pattern=SLUG_PATTERN)]
    daily_capacity: Count
    planned_share: Share
    name: CourierName = ""
    regions: list[Annotated[Str, Field(min_length=1, max_length=32)]] = dataclasses.field(default_factory=list)
    supports_intercept: StrictBool = False


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class ServiceData:
    auto_refund_unshipped: StrictBool = False
    auto_accept_returns: StrictBool = False
    cs_agents: Count = 0
    dispute_refund_rate: Rate | None = None
    refund_self_completion_rate: Rate | None = None
    # Issue 18: agents planned per after-sale role, auto-approval of shipped refunds (a risk), and a fast-refund
    # route for parcels that cannot be intercepted during the peak.
    roles: dict[Literal["后台处理", "查件", "疑难件", "投诉接待"], Count] = dataclasses.field(default_factory=dict)
    auto_refund_shipped: StrictBool = False
    fast_refund_plan: StrictBool = False


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class InboundData:
    units: Count
    arrives: DateTime


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class PricePointData:
    date: Date
    lowest_price: MoneyIn


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class SkuData:
    code: Annotated[Code, Field(description="unique within the listing")]
    price: MoneyIn
    stock: Count
    name: Name = ""
    list_price: MoneyIn | None = None
    list_price_basis: Name | None = None
    inbound: list[InboundData] = dataclasses.field(default_factory=list)
    forecast_units: Count = 0
    safety_stock: Count | None = None
    price_history: list[PricePointData] = dataclasses.field(default_factory=list)


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class GiftData:
    name: Annotated[Str, Field(min_length=1, max_length=200)]
    stock: Count
    sku_code: Annotated[Str, Field(max_length=64)] | None = None
    per_order: Annotated[int, Strict(), Field(ge=1, le=MAX_INT)] = 1
    first_n: Annotated[int, Strict(), Field(ge=1, le=MAX_INT)] | None = None
    described_on_page: StrictBool = False


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class RebateData:
    kind: RebateKindName
    text: LongText = ""
    official_activity_id: Annotated[Str, Field(max_length=64)] | None = None


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class PresaleData:
    enabled: StrictBool = False
    ship_by: Annotated[
        Date | None,
        Field(
            description="the latest ship date; a presale without it imports and is reported (presale.ship_by_missing)"
        ),
    ] = None
    label: Name = ""


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class ImageData:
    """A listing picture (docs/images.md): exactly one of ``url`` (fetched by the workers) and ``path`` (a file
    relative to the bundle file, read at import)."""

    url: Annotated[Str, Field(min_length=1, max_length=2000)] | None = None
    path: Annotated[Str, Field(min_length=1, max_length=500)] | None = None
    kind: ImageKindName = "detail"


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class ListingData:
    # A listing id goes into URLs (the API's and the pages'): platforms' item ids are digits and merchants' codes
    # letters, digits, '-' and '_'; anything else ('/', '../', spaces, '=') is refused here, with its path.
    id: ListingId
    category: Annotated[Str, Field(max_length=64)] = ""
    title: LongText = ""
    subtitle: LongText = ""
    description: Body = ""
    specs: Specs = dataclasses.field(default_factory=dict)
    presale: PresaleData | None = None
    gifts: list[GiftData] = dataclasses.field(default_factory=list)
    rebates: list[RebateData] = dataclasses.field(default_factory=list)
    skus: list[SkuData] = dataclasses.field(default_factory=list)
    images: Annotated[list[ImageData], Field(max_length=MAX_IMAGES)] = dataclasses.field(default_factory=list)


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class Bundle:
    format: Annotated[str, WithJsonSchema({"type": "string", "enum": [FORMAT]})]
    shop: Annotated[ShopData, Field(description="must be the shop of the URL")]
    promotion: PromotionData
    couriers: list[CourierData] = dataclasses.field(default_factory=list)
    service: ServiceData | None = None
    listings: list[ListingData] = dataclasses.field(default_factory=list)


@with_config(STRICT)
@dataclasses.dataclass(frozen=True, slots=True)
class ParsedBundle:
    bundle: Bundle
    warnings: list[BundleIssue]


_ADAPTER = TypeAdapter(Bundle)


EXAMPLE = Path(__file__).resolve().parent.parent / "demo" / "example-bundle.json"


def example_bundle() -> dict[str, Any]:
    """The example bundle (``readiness/demo/example-bundle.json``) as decoded JSON: the one example of the format
    that the API docs show, the tests build on (``tests.factories.bundle_dict``) and the benchmarks scale up."""
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


# ---- editing a listing's text -----------------------------------------------------------------------------------


class ListingText(TypedDict, total=False):
    """The editable text of a listing: an edit gives only what changes (``specs`` whole). The same types and limits
    as the listing of a bundle, so an edited listing is one a bundle could carry."""

    title: LongText
    subtitle: LongText
    description: Body
    specs: Specs


EDITABLE_FIELDS: tuple[str, ...] = tuple(ListingText.__annotations__)
_LISTING_TEXT = TypeAdapter(ListingText)


def validate_listing_text(changes: Any) -> dict[str, Any]:
    """The one validator of a listing-text edit (API, web editor, service): the changes, or :class:`BundleError`
    with every path in error. A field that cannot be edited is an error of its own, reported alone."""
    if not isinstance(changes, dict):
        raise BundleError([BundleIssue("", gettext_noop("应为对象，收到 {got}"), {"got": _describe(changes)})])
    unknown = sorted(str(key) for key in set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        # The message is a key other modules compare (services.listings, the API serializer): kept as it is.
        raise BundleError([BundleIssue(key, "not an editable field") for key in unknown])
    try:
        return dict(_LISTING_TEXT.validate_python(changes))
    except ValidationError as exc:
        issues = _pydantic_issues(exc, changes)
        raise BundleError(issues[:MAX_ERRORS], total=len(issues)) from None


def json_schema(*, ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
    """The JSON Schema of a bundle, from the same types that validate it (``$defs`` holds the nested objects).
    Cross-field rules (sale_end after sale_start, unique ids) are in descriptions only."""
    return _ADAPTER.json_schema(mode="validation", ref_template=ref_template)


# ---- messages: what is wrong, with what a person knows it by -----------------------------------------------------

# Messages for pydantic's error types, in the words of the bundle (what was expected); ``{field}`` is the field's
# label (库存), ``{got}`` the value received.
_EXPECTED = {
    "int_type": gettext_noop("{field}应为整数，收到 {got}"),
    "int_from_float": gettext_noop("{field}应为整数，不能有小数，收到 {got}"),
    "int_parsing": gettext_noop("{field}应为整数，收到 {got}"),
    "float_type": gettext_noop("{field}应为数字，收到 {got}"),
    "finite_number": gettext_noop("{field}应为有限的数字，收到 {got}"),
    "string_type": gettext_noop("{field}应为文字，收到 {got}"),
    "bool_type": gettext_noop("{field}应为 true 或 false，收到 {got}"),
    "dict_type": gettext_noop("{field}应为对象，收到 {got}"),
    "dataclass_type": gettext_noop("{field}应为对象，收到 {got}"),
    "model_type": gettext_noop("{field}应为对象，收到 {got}"),
    "list_type": gettext_noop("{field}应为数组，收到 {got}"),
    "missing": gettext_noop("缺少{field}"),
    "decimal_type": _MONEY,
    "decimal_parsing": _MONEY,
    "greater_than_equal": gettext_noop("{field}不能小于 {ge}，收到 {got}"),
    "less_than_equal": gettext_noop("{field}不能大于 {le}，收到 {got}"),
    "string_too_long": gettext_noop("{field}最多 {max_length} 个字符，收到 {length} 个"),
    "string_too_short": gettext_noop("{field}不能为空"),
    "too_short": gettext_noop("{field}至少要有 {min_length} 项"),
    "too_long": gettext_noop("{field}最多 {max_length} 项，收到 {actual_length} 项"),
    "decimal_max_places": gettext_noop("{field}最多 {decimal_places} 位小数"),
    "decimal_max_digits": gettext_noop("{field}最多 {max_digits} 位数字"),
    "string_pattern_mismatch": gettext_noop("{field}只能包含字母、数字、“-”和“_”，收到 {got}"),
    "literal_error": gettext_noop("{field}应为 {expected} 之一，收到 {got}"),
}
_INVALID = gettext_noop("{field}无效：{detail}")

# Field name → its label, as people say it (the spreadsheet's column names where there is one).
FIELD_LABELS: dict[str, str] = {
    "format": gettext_noop("格式"),
    "shop": gettext_noop("店铺"),
    "promotion": gettext_noop("活动"),
    "couriers": gettext_noop("快递计划"),
    "service": gettext_noop("客服与售后安排"),
    "listings": gettext_noop("商品列表"),
    "id": gettext_noop("商品ID"),
    "code": gettext_noop("编码"),
    "name": gettext_noop("名称"),
    "platform": gettext_noop("平台"),
    "title": gettext_noop("商品标题"),
    "subtitle": gettext_noop("副标题"),
    "description": gettext_noop("详情描述"),
    "category": gettext_noop("类目"),
    "specs": gettext_noop("规格参数"),
    "presale": gettext_noop("预售设置"),
    "enabled": gettext_noop("是否预售"),
    "ship_by": gettext_noop("预售发货日期"),
    "label": gettext_noop("预售标签"),
    "gifts": gettext_noop("赠品"),
    "rebates": gettext_noop("优惠活动"),
    "skus": gettext_noop("SKU 列表"),
    "images": gettext_noop("图片"),
    "price": gettext_noop("价格"),
    "list_price": gettext_noop("划线价"),
    "list_price_basis": gettext_noop("划线价依据"),
    "stock": gettext_noop("库存"),
    "forecast_units": gettext_noop("预测销量"),
    "safety_stock": gettext_noop("安全库存"),
    "inbound": gettext_noop("在途到货"),
    "units": gettext_noop("到货数量"),
    "arrives": gettext_noop("到货时间"),
    "price_history": gettext_noop("价格记录"),
    "date": gettext_noop("日期"),
    "lowest_price": gettext_noop("最低成交价"),
    "sku_code": gettext_noop("赠品编码"),
    "per_order": gettext_noop("每单数量"),
    "first_n": gettext_noop("前 N 名"),
    "described_on_page": gettext_noop("页面已说明"),
    "kind": gettext_noop("类型"),
    "text": gettext_noop("活动说明"),
    "official_activity_id": gettext_noop("官方活动编号"),
    "url": gettext_noop("图片地址"),
    "path": gettext_noop("图片路径"),
    "sale_start": gettext_noop("正式开售时间"),
    "sale_end": gettext_noop("活动结束时间"),
    "presale_start": gettext_noop("预售开始时间"),
    "final_payment_start": gettext_noop("尾款开始时间"),
    "expected_orders": gettext_noop("预计订单数"),
    "destinations": gettext_noop("收货地区占比"),
    "daily_capacity": gettext_noop("日揽收能力"),
    "planned_share": gettext_noop("计划占比"),
    "regions": gettext_noop("覆盖地区"),
    "supports_intercept": gettext_noop("是否支持拦截"),
    "auto_refund_unshipped": gettext_noop("未发货自动退款"),
    "auto_accept_returns": gettext_noop("自动同意退货"),
    "cs_agents": gettext_noop("客服人数"),
    "dispute_refund_rate": gettext_noop("纠纷退款率"),
    "refund_self_completion_rate": gettext_noop("退款自主完结率"),
    "roles": gettext_noop("各岗位人数"),
    "auto_refund_shipped": gettext_noop("已发货自动退款"),
    "fast_refund_plan": gettext_noop("快速退款方案"),
}
# Fields whose keys are the user's own words: the label names the key.
_KEYED_LABELS = {
    "specs": gettext_noop("规格参数「{name}」"),
    "destinations": gettext_noop("收货地区「{name}」的占比"),
    "roles": gettext_noop("岗位「{name}」的人数"),
}
_OF = gettext_noop("{outer}的{inner}")
_TITLE_SHOWN = 16  # characters of a title shown in a message


def _describe(value: Any) -> Any:
    """The received value as a message shows it: JSON text (shortened), or 对象/数组."""
    if isinstance(value, dict):
        return Msg(gettext_noop("对象"))
    if isinstance(value, list):
        return Msg(gettext_noop("数组"))
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _item(container: Any, key: str, index: int) -> Any:
    items = container.get(key) if isinstance(container, dict) else None
    return items[index] if isinstance(items, list) and 0 <= index < len(items) else None


def _text(item: Any, key: str) -> str | None:
    value = item.get(key) if isinstance(item, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def _listing_subject(listing: Any, index: int) -> Msg:
    listing_id, title = _text(listing, "id"), _text(listing, "title")
    if listing_id is None:
        return Msg(gettext_noop("第 {n} 个商品"), {"n": index + 1})
    if title is None:
        return Msg(gettext_noop("商品 {id}"), {"id": listing_id})
    shown = title if len(title) <= _TITLE_SHOWN else title[: _TITLE_SHOWN - 1] + "…"
    return Msg(gettext_noop("商品 {id}「{title}」"), {"id": listing_id, "title": shown})


def _child_subject(kind: str, item: Any, index: int, outer: Msg) -> Msg:
    n = index + 1
    if kind == "skus":
        code = _text(item, "code")
        if code:
            return Msg(gettext_noop("{outer}的 SKU {code}"), {"outer": outer, "code": code})
        return Msg(gettext_noop("{outer}的第 {n} 个 SKU"), {"outer": outer, "n": n})
    if kind == "price_history" and (day := _text(item, "date")):
        return Msg(gettext_noop("{outer}在 {date} 的价格记录"), {"outer": outer, "date": day})
    return _of(outer, _child_part(kind, item, n))


def _child_part(kind: str, item: Any, n: int) -> Msg:
    if kind == "gifts":
        name = _text(item, "name")
        return (
            Msg(gettext_noop("赠品「{name}」"), {"name": name})
            if name
            else Msg(gettext_noop("第 {n} 个赠品"), {"n": n})
        )
    if kind == "rebates":
        return Msg(gettext_noop("第 {n} 项优惠活动"), {"n": n})
    if kind == "images":
        return Msg(gettext_noop("第 {n} 张图片"), {"n": n})
    if kind == "inbound":
        return Msg(gettext_noop("第 {n} 批到货"), {"n": n})
    return Msg(gettext_noop("第 {n} 条价格记录"), {"n": n})


def _courier_subject(courier: Any, index: int) -> Msg:
    name, code = _text(courier, "name"), _text(courier, "code")
    if name:
        return Msg(gettext_noop("快递「{name}」"), {"name": name})
    if code:
        return Msg(gettext_noop("快递 {code}"), {"code": code})
    return Msg(gettext_noop("第 {n} 个快递"), {"n": index + 1})


def _promotion_subject(promotion: Any) -> Msg:
    name, code = _text(promotion, "name"), _text(promotion, "code")
    if name:
        return Msg(gettext_noop("活动「{name}」"), {"name": name})
    return Msg(gettext_noop("活动 {code}"), {"code": code}) if code else Msg(gettext_noop("活动"))


def _of(outer: Msg, inner: Msg) -> Msg:
    return Msg(_OF, {"outer": outer, "inner": inner})


def locate(data: Any, loc: Iterable[str | int]) -> tuple[Msg | None, Msg]:
    """(what a person knows the place by, the field's label) for a location in a bundle (``data`` as decoded):
    ('listings', 2, 'skus', 0, 'stock') → (商品 L101「明前龙井」的 SKU L101-2, 库存)."""
    parts = list(loc)
    subject: Msg | None = None
    node: Any = data
    if len(parts) >= 2 and parts[0] == "listings" and isinstance(parts[1], int):
        node = _item(data, "listings", parts[1])
        subject = _listing_subject(node, parts[1])
        parts = parts[2:]
        for kinds in (("skus", "gifts", "rebates", "images"), ("inbound", "price_history")):
            if len(parts) >= 2 and parts[0] in kinds and isinstance(parts[1], int):
                kind, index = str(parts[0]), parts[1]
                node = _item(node, kind, index)
                subject = _child_subject(kind, node, index, subject)
                parts = parts[2:]
    elif len(parts) >= 2 and parts[0] == "couriers" and isinstance(parts[1], int):
        subject = _courier_subject(_item(data, "couriers", parts[1]), parts[1])
        parts = parts[2:]
    elif parts and parts[0] == "promotion":
        subject = _promotion_subject(data.get("promotion") if isinstance(data, dict) else None)
        parts = parts[1:]
    elif parts and parts[0] in ("shop", "service") and len(parts) > 1:
        subject = Msg(FIELD_LABELS[str(parts[0])])
        parts = parts[1:]
    return subject, _field_label(parts)


def _field_label(parts: list[str | int]) -> Msg:
    if not parts:
        return Msg("")
    if len(parts) >= 2 and parts[0] in _KEYED_LABELS:
        return Msg(_KEYED_LABELS[str(parts[0])], {"name": parts[1]})
    names = [p for p in parts if isinstance(p, str)]
    if not names:
        return Msg("")
    key = names[-1]
    label = Msg(FIELD_LABELS[key]) if key in FIELD_LABELS else Msg(gettext_noop("字段「{name}」"), {"name": key})
    if isinstance(parts[-1], int):
        return Msg(gettext_noop("{field}（第 {n} 项）"), {"field": label, "n": parts[-1] + 1})
    return label


def issue_at(data: Any, loc: Iterable[str | int], template: str, **params: Any) -> BundleIssue:
    """A problem at a location of the bundle, with its subject and the field's label filled in as ``{field}``."""
    loc = list(loc)
    subject, label = locate(data, loc)
    return BundleIssue(json_path(loc), template, {"field": label} | params, subject)


def json_path(loc: Iterable[str | int]) -> str:
    """('listings', 3, 'skus', 0, 'stock') → 'listings[3].skus[0].stock'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _pydantic_issues(error: ValidationError, data: Any) -> list[BundleIssue]:
    issues = []
    for err in error.errors(include_url=False):
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "lax-", "strict-")))]
        # Pydantic names the branch of a union ("list[...]", "int", "constrained-str"); the user knows none.
        loc = [p for p in loc if not (isinstance(p, str) and ("[" in p or p in {"int", "str", "float", "decimal"}))]
        kind = err["type"]
        ctx = dict(err.get("ctx", {}))
        value = err.get("input")
        params: dict[str, Any] = {"got": _describe(value)}
        if kind == "value_error" and isinstance(ctx.get("error"), Problem):
            problem = ctx["error"]
            issues.append(issue_at(data, loc, problem.template, **problem.params))
            continue
        if kind == "too_long" and isinstance(value, str):
            kind = "string_too_long"
        if kind == "string_too_long":
            params["length"] = len(value) if isinstance(value, str) else "?"
        template = _EXPECTED.get(kind)
        if template is None:
            template = _INVALID
            params["detail"] = str(ctx.get("error", err["msg"]))
        for key, item in ctx.items():
            if key != "error":
                params[key] = item
        if kind == "literal_error":  # "'tmall', 'taobao' or 'jd'" → tmall / taobao / jd
            params["expected"] = " / ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        issues.append(issue_at(data, loc, template, **params))
    return issues


def _unknown_fields(data: Any, cls: Any, path: str) -> Iterator[BundleIssue]:
    """Warn about fields the format does not define (they are ignored, not imported)."""
    if not isinstance(data, dict):
        return
    fields = _nested_fields(cls)
    if not data.keys() <= fields.keys():
        for key in data:
            if key not in fields:
                yield BundleIssue(
                    f"{path}.{key}" if path else key, gettext_noop("未知字段「{name}」，已忽略"), {"name": key}
                )
    for key, targets in fields.items():
        if not targets or key not in data:
            continue
        value = data[key]
        for inner, is_list in targets:
            here = f"{path}.{key}" if path else key
            if is_list and isinstance(value, list):
                for i, item in enumerate(value):
                    yield from _unknown_fields(item, inner, f"{here}[{i}]")
            elif not is_list:
                yield from _unknown_fields(value, inner, here)


@functools.cache
def _nested_fields(cls: Any) -> dict[str, tuple[tuple[Any, bool], ...]]:
    """Field name → the dataclasses it may hold (and whether in a list): computed once per class."""
    hints = typing.get_type_hints(cls, include_extras=True)
    return {name: tuple(_dataclass_targets(hint)) for name, hint in hints.items()}


def _dataclass_targets(hint: Any) -> Iterator[tuple[Any, bool]]:
    origin = typing.get_origin(hint)
    if origin is Annotated:
        yield from _dataclass_targets(typing.get_args(hint)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(hint):
            yield from _dataclass_targets(arg)
    elif origin is list:
        for inner, _ in _dataclass_targets(typing.get_args(hint)[0]):
            yield inner, True
    elif dataclasses.is_dataclass(hint):
        yield hint, False


# ---- rules across fields (integrity: the data would mean nothing) --------------------------------------------------
# Readiness rules (shares adding up to 1, a presale's ship date …) are not here: a plan with gaps imports and the
# checks report the gaps (docs/checks.md, "Refused or reported").


def _parsed(parse: Callable[[Any], Any], value: Any) -> Any:
    """A value parsed as the field type would, or None when it is absent or invalid (pydantic reports that)."""
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError:
        return None


def _shown(when: dt.datetime) -> str:
    return when.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _list(container: Any, key: str) -> list[Any]:
    items = container.get(key) if isinstance(container, dict) else None
    return items if isinstance(items, list) else []


def _cross_field_issues(data: dict[str, Any]) -> Iterator[BundleIssue]:
    """Rules across fields, on the decoded data, so that they run even when other fields are invalid (every
    error at once). A value that does not parse is skipped here: the type check reports it."""
    promo = data.get("promotion")
    if isinstance(promo, dict):
        times = {
            name: _parsed(_aware, promo.get(name))
            for name in ("presale_start", "final_payment_start", "sale_start", "sale_end")
        }
        start, end = times["sale_start"], times["sale_end"]
        if start is not None and end is not None and end <= start:
            yield issue_at(
                data,
                ("promotion", "sale_end"),
                gettext_noop("{field}必须晚于{other}（{when}）"),
                other=Msg(FIELD_LABELS["sale_start"]),
                when=_shown(start),
            )
        known = [(name, times[name]) for name in ("presale_start", "final_payment_start", "sale_start")]
        known = [(name, when) for name, when in known if when is not None]
        for (earlier, first), (later, second) in itertools.pairwise(known):
            if second < first:
                yield issue_at(
                    data,
                    ("promotion", later),
                    gettext_noop("{field}不能早于{other}（{when}）"),
                    other=Msg(FIELD_LABELS[earlier]),
                    when=_shown(first),
                )

    seen_couriers: dict[str, int] = {}
    for i, courier in enumerate(_list(data, "couriers")):
        code = courier.get("code") if isinstance(courier, dict) else None
        if not isinstance(code, str):
            continue
        if code in seen_couriers:
            yield issue_at(
                data,
                ("couriers", i, "code"),
                gettext_noop("快递编码 {code} 重复（第 {other} 个快递也用了它）"),
                code=code,
                other=seen_couriers[code] + 1,
            )
        seen_couriers.setdefault(code, i)

    seen_listings: dict[str, int] = {}
    for i, listing in enumerate(_list(data, "listings")):
        listing_id = listing.get("id") if isinstance(listing, dict) else None
        if isinstance(listing_id, str):
            if listing_id in seen_listings:
                yield issue_at(
                    data,
                    ("listings", i, "id"),
                    gettext_noop("商品ID {id} 重复（第 {other} 个商品也用了它）"),
                    id=listing_id,
                    other=seen_listings[listing_id] + 1,
                )
            seen_listings.setdefault(listing_id, i)
        seen_skus: dict[str, int] = {}
        for j, sku in enumerate(_list(listing, "skus")):
            code = sku.get("code") if isinstance(sku, dict) else None
            if isinstance(code, str):
                if code in seen_skus:
                    yield issue_at(
                        data,
                        ("listings", i, "skus", j, "code"),
                        gettext_noop("SKU 编码 {code} 在该商品中重复（第 {other} 个 SKU 也用了它）"),
                        code=code,
                        other=seen_skus[code] + 1,
                    )
                seen_skus.setdefault(code, j)
            seen_dates: set[dt.date] = set()
            for k, point in enumerate(_list(sku, "price_history")):
                day = _parsed(_date, point.get("date")) if isinstance(point, dict) else None
                if day is None:
                    continue
                if day in seen_dates:
                    yield issue_at(
                        data,
                        ("listings", i, "skus", j, "price_history", k, "date"),
                        gettext_noop("{date} 已有一条价格记录（每天只能有一条）"),
                        date=day.isoformat(),
                    )
                seen_dates.add(day)
        for j, image in enumerate(_list(listing, "images")):
            if not isinstance(image, dict):
                continue
            url, path = image.get("url"), image.get("path")
            if (url is None) == (path is None):
                yield issue_at(
                    data, ("listings", i, "images", j), gettext_noop("图片应给出 url 或 path 之一（只能一个）")
                )
            elif isinstance(url, str) and _scheme(url) not in ("http", "https"):
                yield issue_at(
                    data, ("listings", i, "images", j, "url"), gettext_noop("{field}应为 http 或 https 网址")
                )
            elif isinstance(path, str) and (path.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", path)):
                yield issue_at(
                    data,
                    ("listings", i, "images", j, "path"),
                    gettext_noop("{field}应在导入包所在的文件夹内（相对路径，不含 ..）"),
                )


def _loc(path: str) -> list[str | int]:
    """'listings[1].specs.净含量' → ['listings', 1, 'specs', '净含量'] (the inverse of :func:`json_path`)."""
    loc: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        loc.append(int(index) if index else name)
    return loc


def _scheme(url: str) -> str:
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:  # "http://[" is not a URL at all
        return ""


def _ancestors(path: str) -> Iterator[str]:
    """'listings[1].skus[0].code' → 'listings[1].skus[0]', 'listings[1].skus', 'listings[1]', 'listings'."""
    for match in reversed(list(re.finditer(r"[.\[]", path))):
        yield path[: match.start()]


def _decode(raw: bytes | str) -> Any:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BundleError(
                [
                    BundleIssue(
                        "", gettext_noop("文件不是 UTF-8 编码的文字（第 {offset} 个字节有误）"), {"offset": exc.start}
                    )
                ]
            ) from None

    def reject_constant(name: str) -> Any:
        raise Problem(gettext_noop("不是有效的 JSON：不能使用 {name}"), name=name)

    try:
        data = json.loads(raw, parse_constant=reject_constant)
        _refuse_unstorable(raw, data)
        return data
    except json.JSONDecodeError as exc:
        where = {"error": exc.msg, "line": exc.lineno, "column": exc.colno}
        raise BundleError(
            [BundleIssue("", gettext_noop("不是有效的 JSON：第 {line} 行第 {column} 列，{error}"), where)]
        ) from None
    except Problem as exc:
        raise BundleError([BundleIssue("", exc.template, exc.params)]) from None
    except RecursionError:
        raise BundleError([BundleIssue("", gettext_noop("不是有效的 JSON：嵌套过深"))]) from None
    except ValueError as exc:
        raise BundleError([BundleIssue("", gettext_noop("不是有效的 JSON：{error}"), {"error": str(exc)})]) from None


def parse_bundle(raw: bytes | str) -> ParsedBundle:
    """Parse JSON text into a validated :class:`Bundle`, or raise :class:`BundleError` listing every problem."""
    return validate_bundle(_decode(raw))


# JSON text can only carry a NUL or a lone surrogate as an escape: where there is none, the walk is skipped.
_UNSTORABLE_ESCAPE = re.compile(r"\\u(?:0000|[dD][89abcdefABCDEF][0-9a-fA-F]{2})")
MAX_DEPTH = 32  # objects and arrays; the deepest bundle field (listings[].skus[].price_history[]) is 5 deep


def find_unstorable(data: Any, *, max_depth: int = MAX_DEPTH) -> Iterator[tuple[str, str]]:
    """(JSON path, problem) for every string, key or value, that PostgreSQL cannot store or UTF-8 cannot encode
    (a NUL, a lone surrogate), and ("path", "depth") where nesting goes deeper than ``max_depth`` (then stops).
    Iterative, so the input's depth never becomes Python's. Used for bundles and for every API body."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                yield path, "text must not contain the NUL character or lone surrogates"
        elif isinstance(value, dict | list):
            if depth >= max_depth:
                yield path, "depth"
                return
            if isinstance(value, dict):
                for key, item in value.items():
                    if isinstance(key, str) and _UNSTORABLE.search(key):
                        yield path, f"a key contains the NUL character or a lone surrogate: {key!a}"
                        continue
                    stack.append((item, f"{path}.{key}" if path else str(key), depth + 1))
            else:
                stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))


def _refuse_unstorable(raw: str, data: Any) -> None:
    if _UNSTORABLE_ESCAPE.search(raw) is None:
        return
    issues = [
        issue_at(data, _loc(path), gettext_noop("{field}不能包含空字符（\\u0000）或孤立代理字符"))
        for path, _problem in find_unstorable(data, max_depth=10_000)
    ]
    if issues:
        raise BundleError(issues[:MAX_ERRORS], total=len(issues))


def validate_bundle(data: Any) -> ParsedBundle:
    """Validate already-decoded JSON data (see :func:`parse_bundle`). Every integrity error is reported at
    once: the types and the rules across fields both run, whatever the other found."""
    if not isinstance(data, dict):
        raise BundleError([BundleIssue("", gettext_noop("导入包应为 JSON 对象，收到 {got}"), {"got": _describe(data)})])
    if data.get("format") != FORMAT:
        raise BundleError(
            [issue_at(data, ("format",), gettext_noop("{field}应为 {expected}，收到 {got}"), expected=FORMAT,
                      got=_describe(data.get("format")))]
        )  # fmt: skip
    issues: list[BundleIssue] = []
    bundle = None
    try:
        bundle = _ADAPTER.validate_python(data)
    except ValidationError as exc:
        issues = _pydantic_issues(exc, data)
    # A rule across fields is not repeated where the type check already found its field (or one inside it) wrong.
    exact = {issue.path for issue in issues}
    covered = exact | {ancestor for path in exact for ancestor in _ancestors(path)}
    for issue in _cross_field_issues(data):
        if issue.path not in covered and not any(a in exact for a in _ancestors(issue.path)):
            issues.append(issue)
    if issues or bundle is None:
        raise BundleError(issues[:MAX_ERRORS], total=len(issues))
    warnings = list(_unknown_fields(data, Bundle, ""))
    return ParsedBundle(bundle=bundle, warnings=warnings)
