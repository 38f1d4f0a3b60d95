"""The readiness bundle (interfaces.md §2): parse and validate it into plain dataclasses.

Structure and types are checked by pydantic (a strict JSON schema built from the dataclasses below); rules
that span fields (sale_end after sale_start, unique SKU codes per listing, …) are checked afterwards, with
the same error shape. Every error names its JSON path (``listings[3].skus[0].stock``) and what was
expected; unknown fields are ignored with a warning; all errors are reported at once, up to a cap.

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
from collections.abc import Iterable, Iterator
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


@dataclasses.dataclass(frozen=True, slots=True)
class BundleIssue:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class BundleError(Exception):
    """A bundle that cannot be imported. ``errors`` lists every problem found (up to MAX_ERRORS)."""

    def __init__(self, errors: list[BundleIssue], total: int | None = None) -> None:
        self.errors = errors
        self.total = total if total is not None else len(errors)
        super().__init__(self.summary())

    def summary(self) -> str:
        more = f" (showing the first {len(self.errors)})" if self.total > len(self.errors) else ""
        return f"invalid bundle: {self.total} error(s){more}"

    def lines(self) -> list[str]:
        return [str(issue) for issue in self.errors]


# ---- field types ------------------------------------------------------------------------------------------


def _storable_text(value: str) -> str:
    # PostgreSQL refuses NUL in text and lone surrogates cannot be encoded: refuse them here, with a path.
    if _UNSTORABLE.search(value) is None:  # one C-level scan on the common path
        return value
    if "\x00" in value:
        raise ValueError("text must not contain the NUL character (\\u0000)")
    raise ValueError("text must be valid Unicode (it contains a lone surrogate)")


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


def _money_input(value: Any) -> Any:
    # Money is a decimal string; a JSON integer is accepted, a float is not (it would lose cents).
    if type(value) is not str and type(value) is not int:  # bool is an int subclass: refused here too
        raise ValueError('expected money as a decimal string such as "59.90"')
    try:
        amount = Decimal(value)
    except ArithmeticError:
        raise ValueError(f'expected money as a decimal string such as "59.90", got {value!r}') from None
    if not amount.is_finite():
        raise ValueError(f"expected a finite amount of money, got {value!r}")
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
        raise ValueError(f"expected a date {DATE_RANGE}, got {value!r}")


def _aware(value: Any) -> Any:
    """ISO 8601 text → aware datetime; a value without a zone (or a bare date) is Asia/Shanghai."""
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 date-time string such as 2026-11-10T20:00:00+08:00")
    try:
        if len(value) == 10:
            parsed = dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
        else:
            parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected an ISO 8601 date-time such as 2026-11-10T20:00:00+08:00, got {value!r}") from None
    _in_range(parsed.date(), value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)


def _date(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 date string such as 2026-11-15")
    try:
        day = dt.date.fromisoformat(value[:10]) if len(value) == 10 else dt.datetime.fromisoformat(value).date()
    except ValueError:
        raise ValueError(f"expected an ISO 8601 date such as 2026-11-15, got {value!r}") from None
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
            raise ValueError("spec names must not be empty")
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
    ship_by: Annotated[Date | None, Field(description="required when enabled")] = None
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
        raise BundleError([BundleIssue("", f"expected an object, got {_describe(changes)}")])
    unknown = sorted(str(key) for key in set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise BundleError([BundleIssue(key, "not an editable field") for key in unknown])
    try:
        return dict(_LISTING_TEXT.validate_python(changes))
    except ValidationError as exc:
        issues = _pydantic_issues(exc)
        raise BundleError(issues[:MAX_ERRORS], total=len(issues)) from None


def json_schema(*, ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
    """The JSON Schema of a bundle, from the same types that validate it (``$defs`` holds the nested objects).
    Cross-field rules (sale_end after sale_start, unique ids, shares adding up) are in descriptions only."""
    return _ADAPTER.json_schema(mode="validation", ref_template=ref_template)


# Messages for pydantic's error types, in the words of the bundle (what was expected).
_EXPECTED = {
    "int_type": "expected an integer",
    "int_from_float": "expected an integer, not a fraction",
    "float_type": "expected a number",
    "string_type": "expected a string",
    "bool_type": "expected true or false",
    "dict_type": "expected an object",
    "list_type": "expected an array",
    "dataclass_type": "expected an object",
    "model_type": "expected an object",
    "missing": "required field is missing",
    "decimal_type": 'expected money as a decimal string such as "59.90"',
    "decimal_parsing": 'expected money as a decimal string such as "59.90"',
}


_BOUNDS = {
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "string_too_long": "must be at most {max_length} characters",
    "string_too_short": "must not be empty",
    "too_short": "must have at least {min_length} item(s)",
    "decimal_max_places": "must have at most {decimal_places} decimal places",
    "decimal_max_digits": "must have at most {max_digits} digits",
    "string_pattern_mismatch": "must contain only letters, digits, '-' and '_'",
}


def json_path(loc: Iterable[str | int]) -> str:
    """('listings', 3, 'skus', 0, 'stock') → 'listings[3].skus[0].stock'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _describe(value: Any) -> str:
    if isinstance(value, dict | list):
        return "an object" if isinstance(value, dict) else "an array"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _pydantic_issues(error: ValidationError) -> list[BundleIssue]:
    issues = []
    for err in error.errors(include_url=False):
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "lax-", "strict-")))]
        # Pydantic names the branch of a union ("list[...]", "int", "constrained-str"); the user knows none.
        loc = [p for p in loc if not (isinstance(p, str) and ("[" in p or p in {"int", "str", "float", "decimal"}))]
        kind = err["type"]
        ctx = err.get("ctx", {})
        if kind == "value_error":
            message = str(ctx.get("error", err["msg"]))
        elif kind in _BOUNDS:
            message = _BOUNDS[kind].format(**ctx)
        else:
            message = _EXPECTED.get(kind, err["msg"][:1].lower() + err["msg"][1:])
        if "input" in err and kind not in {"missing", "value_error"} and not kind.startswith("decimal_max"):
            message = f"{message}, got {_describe(err['input'])}"
        issues.append(BundleIssue(json_path(loc), message))
    return issues


def _unknown_fields(data: Any, cls: Any, path: str) -> Iterator[BundleIssue]:
    """Warn about fields the format does not define (they are ignored, not imported)."""
    if not isinstance(data, dict):
        return
    fields = _nested_fields(cls)
    if not data.keys() <= fields.keys():
        for key in data:
            if key not in fields:
                yield BundleIssue(f"{path}.{key}" if path else key, "unknown field, ignored")
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


def _cross_field_issues(bundle: Bundle) -> Iterator[BundleIssue]:
    promo = bundle.promotion
    if promo.sale_end <= promo.sale_start:
        yield BundleIssue("promotion.sale_end", f"must be after sale_start ({promo.sale_start.isoformat()})")
    phases = [
        ("presale_start", promo.presale_start),
        ("final_payment_start", promo.final_payment_start),
        ("sale_start", promo.sale_start),
    ]
    known = [(name, when) for name, when in phases if when is not None]
    for (earlier, first), (later, second) in itertools.pairwise(known):
        if second < first:
            yield BundleIssue(f"promotion.{later}", f"must not be before {earlier} ({first.isoformat()})")
    total = sum(promo.destinations.values())
    if promo.destinations and abs(total - 1.0) > 0.01:
        yield BundleIssue("promotion.destinations", f"shares must add up to 1.0, got {total:.4g}")

    seen_couriers: dict[str, int] = {}
    for i, courier in enumerate(bundle.couriers):
        if courier.code in seen_couriers:
            yield BundleIssue(
                f"couriers[{i}].code",
                f"duplicate courier code {courier.code!r} (also couriers[{seen_couriers[courier.code]}])",
            )
        seen_couriers.setdefault(courier.code, i)
    shares = sum(c.planned_share for c in bundle.couriers)
    if bundle.couriers and abs(shares - 1.0) > 0.01:
        yield BundleIssue("couriers", f"planned_share values must add up to 1.0, got {shares:.4g}")

    seen_listings: dict[str, int] = {}
    for i, listing in enumerate(bundle.listings):
        if listing.id in seen_listings:
            yield BundleIssue(
                f"listings[{i}].id",
                f"duplicate listing id {listing.id!r} (also listings[{seen_listings[listing.id]}])",
            )
        seen_listings.setdefault(listing.id, i)
        seen_skus: dict[str, int] = {}
        for j, sku in enumerate(listing.skus):
            if sku.code in seen_skus:
                yield BundleIssue(
                    f"listings[{i}].skus[{j}].code",
                    f"duplicate SKU code {sku.code!r} in this listing (also skus[{seen_skus[sku.code]}])",
                )
            seen_skus.setdefault(sku.code, j)
            seen_dates: set[dt.date] = set()
            for k, point in enumerate(sku.price_history):
                if point.date in seen_dates:
                    yield BundleIssue(
                        f"listings[{i}].skus[{j}].price_history[{k}].date",
                        f"duplicate date {point.date.isoformat()}",
                    )
                seen_dates.add(point.date)
        for j, image in enumerate(listing.images):
            where = f"listings[{i}].images[{j}]"
            if (image.url is None) == (image.path is None):
                yield BundleIssue(where, "expected exactly one of url and path")
            elif image.url is not None and urlsplit(image.url).scheme.lower() not in ("http", "https"):
                yield BundleIssue(f"{where}.url", "expected an http or https URL")
            elif image.path is not None and (
                image.path.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", image.path)
            ):
                yield BundleIssue(f"{where}.path", "expected a path inside the bundle's folder (relative, without ..)")
        if listing.presale is not None and listing.presale.enabled and listing.presale.ship_by is None:
            yield BundleIssue(f"listings[{i}].presale.ship_by", "required when presale is enabled")


def _decode(raw: bytes | str) -> Any:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BundleError([BundleIssue("", f"input is not UTF-8 text (bad byte at offset {exc.start})")]) from None

    def reject_constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    try:
        data = json.loads(raw, parse_constant=reject_constant)
        _refuse_unstorable(raw, data)
        return data
    except json.JSONDecodeError as exc:
        raise BundleError(
            [BundleIssue("", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")]
        ) from None
    except (ValueError, RecursionError) as exc:
        raise BundleError([BundleIssue("", f"not valid JSON: {exc}")]) from None


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
    issues = []
    for path, problem in find_unstorable(data, max_depth=10_000):
        issues.append(BundleIssue(path, problem))
    if issues:
        raise BundleError(issues[:MAX_ERRORS], total=len(issues))


def validate_bundle(data: Any) -> ParsedBundle:
    """Validate already-decoded JSON data (see :func:`parse_bundle`)."""
    if not isinstance(data, dict):
        raise BundleError([BundleIssue("", f"expected a JSON object at the top level, got {type(data).__name__}")])
    if data.get("format") != FORMAT:
        raise BundleError([BundleIssue("format", f"expected {FORMAT!r}, got {_describe(data.get('format'))}")])
    try:
        bundle = _ADAPTER.validate_python(data)
    except ValidationError as exc:
        issues = _pydantic_issues(exc)
        raise BundleError(issues[:MAX_ERRORS], total=len(issues)) from None
    issues = list(_cross_field_issues(bundle))
    if issues:
        raise BundleError(issues[:MAX_ERRORS], total=len(issues))
    warnings = list(_unknown_fields(data, Bundle, ""))
    return ParsedBundle(bundle=bundle, warnings=warnings)
