"""Spec-consistency scanner: the spec table against the title, subtitle, description and SKU names.

For every spec-table entry whose name implies a quantity (净含量, 毛重, 容量, 屏幕尺寸, 电池容量, 功率,
件数 …; ``data/spec_names.toml``), the quantities of the same dimension elsewhere on the page are
compared with it (``scanners.quantities`` extracts them; values are intervals in one base unit):

* consistent when the intervals meet within max(1%, half of the last stated decimal digit);
* ``spec.<dimension>_mismatch`` (error) when they do not, ``spec.net_exceeds_gross`` when a net
  quantity is above the gross weight;
* a warning for review when the comparison needs something the page does not give: mass against
  volume (a density), mAh against Wh (a voltage), an ambiguous unit (oz), one length against an
  L×W×H size.

What is *not* flagged, because it is not a contradiction: totals against per-unit values of a
multipack (500g*2袋 against 净含量 500g or 1kg), the variant a SKU offers that the table does not
describe (250g / 500g SKUs), alternatives in one phrase (250g/500g可选), gifts, reference amounts
(每100g), servings (每日喂食量约50g, 1平勺（约4.4g）), input conditions (适用220V), quantities the text
qualifies differently from the spec's name (额定容量 against 电芯容量) or names as another entry's
(裤长3尺 is compared with 裤长 only; 9-14kg beside 适用体重 9-14kg with nothing), one item's weight
without a count of items (单颗约300g: with 约4-6颗 it is compared as count × weight), a carton's size
(包装尺寸：125×65×15cm), entries about different things of a set (床单尺寸 and 被套尺寸), and model numbers
(4741g 4750g 4752g), years, prices and percentages (not quantities at all).
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache, lru_cache
from importlib import resources
from operator import attrgetter
from typing import Any

from scanners.findings import Category, Finding, Related, Severity
from scanners.numerals import int_value
from scanners.quantities import (
    CONDITION,
    GIFT,
    PRODUCT,
    Quantity,
    UnitInfo,
    extract_all,
    normalize,
    reading_extent,
    unit_info,
)

__all__ = ["SpecKind", "scan_specs", "spec_kind"]

_TEXT_FIELDS = (("title", "标题"), ("subtitle", "副标题"), ("description", "详情描述"))
_BRACKETS = re.compile(r"[(（\[【](?P<inner>[^)）\]】]*)[)）\]】]")
_BARE_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_SENTENCE = re.compile(r"[。！？；!?;\n]")
# Quantities in one phrase joined by these are alternatives (250g/500g, 250g或500g).
_ALTERNATIVE_GAP = re.compile(r"[ \t]*(?:/|、|\||或|或者|和)[ \t]*")
_CHOICE_WORDS = ("可选", "任选", "多规格", "多种规格", "规格可选", "自选")
# Typical nominal voltage of a lithium cell, for mAh against Wh when the page states none.
_CELL_VOLTAGE = (3.6, 3.85)
# Densities (g/ml) a product might plausibly have: outside this, mass and volume are about two things.
_DENSITY = (0.2, 5.0)


@dataclass(frozen=True, slots=True)
class SpecKind:
    """A row of ``data/spec_names.toml``: what a spec name says about its value."""

    name: str
    dimensions: frozenset[str]
    qualifier: str | None
    unqualified: bool
    cross: bool
    units: frozenset[str] | None
    count_unit: str | None
    aspect: str | None
    voltage_only: bool
    family: str
    inch_qualifiers: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Rule:
    severity: Severity
    citation: str
    label: str


@dataclass(frozen=True, slots=True)
class _Data:
    kinds: dict[str, SpecKind]  # every name -> its kind
    substrings: tuple[tuple[str, SpecKind], ...]  # names of 2+ characters, longest first
    ignored: tuple[str, ...]  # a name containing one of these is no quantity of the product
    rules: dict[str, _Rule]
    plain_qualifiers: frozenset[str]
    bed_covers: tuple[str, ...]  # products larger than the bed they fit (a quilt, a flat sheet)
    bed_length: tuple[float, float]  # the longer side of a bed, in mm
    bed_width: tuple[float, float]
    plain_objects: frozenset[str]  # words before a spec name that name no object (产品尺寸)
    item_classifiers: frozenset[str]  # classifiers of one item inside the product (颗, 只, 个)
    item_words: re.Pattern[str]  # a quantity stated for one item without a classifier (单果约160g)
    serving: re.Pattern[str]  # a serving word before a quantity (每日喂食量约40-60g)
    not_serving: re.Pattern[str]  # names that contain one (每日坚果)
    # The first characters of the serving and item words: a quick test before the expressions run.
    serving_first: re.Pattern[str]
    item_first: re.Pattern[str]
    # The last characters of the spec names above: a text quantity keeps the words before it (its head, where
    # a name may label it: 裤长3尺) only when they end in one, so that sides differ in nothing else and the
    # comparison memo keeps working on text that never repeats.
    name_ends: frozenset[str]


def _load_toml(name: str) -> dict[str, Any]:
    with resources.files("scanners.data").joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


@cache
def _data() -> _Data:
    names_doc = _load_toml("spec_names.toml")
    kinds: dict[str, SpecKind] = {}
    for row in names_doc["spec"]:
        units = row.get("units")
        for name in row["names"]:
            kinds[_clean_name(name)[0]] = SpecKind(
                name=name,
                dimensions=frozenset(row.get("dimensions", [])),
                qualifier=row.get("qualifier"),
                unqualified=bool(row.get("unqualified", True)),
                cross=bool(row.get("cross", False)),
                units=frozenset(units) if units else None,
                count_unit=row.get("count_unit"),
                aspect=row.get("aspect"),
                voltage_only=bool(row.get("voltage_only", False)),
                family=row.get("family", row["names"][0]),
                inch_qualifiers=frozenset(row.get("inch_qualifiers", [])),
            )
    substrings = tuple(sorted(((n, k) for n, k in kinds.items() if len(n) >= 2), key=lambda p: -len(p[0])))
    rules_doc = _load_toml("spec_rules.toml")
    citations: dict[str, str] = rules_doc["citations"]
    rules = {
        rule_id: _Rule(Severity(row["severity"]), citations[row["citation"]], row["label"])
        for rule_id, row in rules_doc["rule"].items()
    }
    words = _load_toml("quantity_words.toml")
    plain = frozenset(
        name for name, row in words["qualifier"].items() if isinstance(row, dict) and row.get("plain", False)
    )
    return _Data(
        kinds=kinds,
        substrings=substrings,
        ignored=tuple(names_doc["ignore"]["contains"]),
        rules=rules,
        plain_qualifiers=plain,
        bed_covers=tuple(names_doc["bed"]["covers"]),
        bed_length=(float(names_doc["bed"]["length_mm"][0]), float(names_doc["bed"]["length_mm"][1])),
        bed_width=(float(names_doc["bed"]["width_mm"][0]), float(names_doc["bed"]["width_mm"][1])),
        plain_objects=frozenset(names_doc["object"]["plain"]),
        item_classifiers=frozenset(words["item"]["classifiers"]),
        serving=re.compile(
            rf"(?:(?:{_alt(words['serving']['words'])})[^\s，。；！？、,;!?]{{0,{int(words['serving']['window'])}}}"
            rf"|(?:{_alt(words['serving']['adjacent'])})[ \t:：约]*)$"
        ),
        not_serving=re.compile(_alt(words["serving"]["not_words"])),
        serving_first=_first_characters(words["serving"]["words"] + words["serving"]["adjacent"]),
        item_first=_first_characters(words["item"]["words"]),
        name_ends=frozenset(n[-1] for n in kinds if n),
        item_words=re.compile(rf"(?:{_alt(words['item']['words'])})[ \t:：]*$"),
    )


def _first_characters(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted({re.escape(w[0]) for w in words})) + "]")


def _alt(words: Sequence[str]) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _clean_name(name: str) -> tuple[str, str | None]:
    """(name without spaces and brackets, the bracketed part) — 净含量(g) -> (净含量, g)."""
    norm = normalize(name)
    inner = None
    m = _BRACKETS.search(norm)
    if m:
        inner = m.group("inner").strip() or None
        norm = _BRACKETS.sub("", norm)
    return "".join(norm.split()).lower(), inner


@lru_cache(maxsize=2048)
def spec_kind(name: str) -> SpecKind | None:
    """The kind of a spec-table name (净含量, 产品净含量, 净含量(g) …), or None if it is no quantity."""
    data = _data()
    clean, _ = _clean_name(name)
    kind = data.kinds.get(clean)  # a name listed as it is (适用床尺寸), even with a word of [ignore]
    if kind is not None:
        return kind
    if not clean or any(word in clean for word in data.ignored):
        return None
    for sub, kind in data.substrings:
        if sub in clean:
            return kind
    return None


# --------------------------------------------------------------------------- sides and views


@dataclass(frozen=True, slots=True)
class _View:
    """One comparable reading of a quantity: its total, its per-unit measure, or its package count."""

    dimension: str
    classifier: str | None  # for counts: what is counted
    low: float
    high: float
    resolution: float
    aspect: str  # plain, total, per_unit, per_item
    open_count: bool = False  # per package, and the number of packages is not stated (250g/袋)
    single: bool = False  # stated for one package (单箱5斤): open only where the page sells several


@dataclass(frozen=True, slots=True)
class _Side:
    """A quantity located in one field of the listing."""

    field: str
    label: str
    q: Quantity
    qualifier: str | None
    aspect: str
    group: int = -1  # alternatives in one phrase share a group
    sentence: int = 0
    views: tuple[_View, ...] = ()
    gift: str = ""  # a gift named before its quantity (送电池285Wh: 电池): compared only with entries of that name
    item: str = ""  # for one item (aspect per_item): its classifier (单颗约300g: 颗), "*" when none is said (单果)
    head: str = ""  # the words right before the quantity, where a spec name may label it (裤长3尺: 裤长)


@dataclass(frozen=True, slots=True)
class _Spec:
    """A spec-table entry with a quantity."""

    index: int
    name: str
    kind: SpecKind
    sides: tuple[_Side, ...] = ()
    obj: str = ""  # the object the name measures before the name of its kind (床单尺寸: 床单), "" for the product


def _views(q: Quantity, aspect: str, single: bool = False) -> tuple[_View, ...]:
    views: list[_View] = []
    classifier = q.unit if q.dimension == "count" else None
    if q.count is not None:
        views.append(_View(q.dimension, classifier, q.low, q.high, q.resolution * q.count, "total"))
        if q.per_unit_low is not None and q.per_unit_high is not None:
            views.append(_View(q.dimension, classifier, q.per_unit_low, q.per_unit_high, q.resolution, "per_unit"))
        if q.counts:
            views.append(_View("count", q.counts, q.count, q.count, 0.0, "plain"))
    else:
        per_unit = aspect == "per_unit"
        views.append(
            _View(
                q.dimension,
                classifier,
                q.low,
                q.high,
                q.resolution,
                aspect,
                per_unit and not single,
                per_unit and single,
            )
        )
    return tuple(views)


def _aspect(q: Quantity, kind: SpecKind | None = None) -> str:
    if kind is not None and kind.aspect:
        return kind.aspect
    if q.per_unit:
        return "per_unit"
    if q.total:
        return "total"
    return "plain"


# --------------------------------------------------------------------------- comparison


def _meets(alo: float, ahi: float, ares: float, blo: float, bhi: float, bres: float) -> bool:
    """Whether two intervals agree within max(1%, half of the last stated digit of the more precise side).

    The more precise side decides: 11斤 (stated to the 斤, ±250 g) is not 5kg (stated to the kg), while
    8寸 (203.2 mm) is 20cm (stated to the cm, ±5 mm). A resolution of 0 is an exact count.
    """
    if alo > bhi:
        gap, ref = alo - bhi, alo
    elif blo > ahi:
        gap, ref = blo - ahi, blo
    else:
        return True
    ref = abs(ref)
    return gap <= max(0.01 * ref, min(ares, bres) / 2) + 1e-9 * ref


def _view_meets(a: _View, b: _View) -> bool:
    if a.dimension != b.dimension:
        return False
    if a.dimension == "count" and a.classifier and b.classifier and a.classifier != b.classifier:
        return False
    if _meets(a.low, a.high, a.resolution, b.low, b.high, b.resolution):
        return True
    if a.dimension == "data":
        # Storage is sold in decimal (1TB = 1000GB) and binary (1TB = 1024GB) prefixes alike.
        for f in (1.024, 1 / 1.024):
            if _meets(a.low * f, a.high * f, a.resolution * f, b.low, b.high, b.resolution):
                return True
    # One side per package with no count stated, the other in all: a whole number of packages
    # reconciles them (250g/袋 against 净含量 1kg).
    if a.open_count != b.open_count and a.aspect != b.aspect:
        per, whole = (a, b) if a.open_count else (b, a)
        # Midpoints, so that approximate values (每袋约250g) reconcile as exact ones do.
        if per.low > 0 and math.isfinite(per.high) and math.isfinite(whole.high):
            k = round((whole.low + whole.high) / (per.low + per.high))
            if 2 <= k <= 1000 and _meets(
                per.low * k, per.high * k, per.resolution * k, whole.low, whole.high, whole.resolution
            ):
                return True
    return False


def _comparable(a: _View, b: _View) -> bool:
    if a.dimension != b.dimension:
        return False
    if a.dimension == "count" and (not a.classifier or not b.classifier or a.classifier != b.classifier):
        return False
    return True


def _dims_meet(a: Quantity, b: Quantity) -> bool | None:
    """L×W×H against L×W×H or one length: True, False, or None (a length that is none of the sides)."""
    sides_a = sorted(a.dims or (a.low,))
    sides_b = sorted(b.dims or (b.low,))
    shorter, longer = (sides_a, sides_b) if len(sides_a) <= len(sides_b) else (sides_b, sides_a)
    left = list(longer)
    for s in shorter:
        hit = next((x for x in left if _meets(s, s, a.resolution, x, x, b.resolution)), None)
        if hit is None:
            return None if len(shorter) == 1 else False
        left.remove(hit)
    return True


def _sides_meet(a: _Side, b: _Side) -> bool:
    """Whether two sides state the same quantity; of two multipacks, the totals decide (250ml×12 and
    250ml×16 share the package, not the contents)."""
    if a.q.count is not None and b.q.count is not None and a.q.dims is None and b.q.dims is None:
        return any(_view_meets(va, vb) for va in a.views for vb in b.views if va.aspect == vb.aspect == "total")
    return _sides_overlap(a, b)


def _sides_overlap(a: _Side, b: _Side) -> bool:
    """Whether two sides share some reading (a multipack's package counts): enough to tell what a text
    quantity is about (250ml*12盒*2 is about the 容量 250ml*12盒, not about 重量)."""
    if a.q.dims is not None or b.q.dims is not None:
        return bool(_dims_meet(a.q, b.q))
    return any(_view_meets(va, vb) for va in a.views for vb in b.views)


def _agrees_as(side: _Side, other: _Side, spec: _Spec | None) -> bool:
    """Whether ``other`` (another entry's value) states ``side`` in what ``spec`` compares of it, or, with no
    spec, in its own dimension: of 200ml*24盒, 数量 24盒 states the count, and 净含量 is compared with the
    200 ml and the 4.8 L, which 数量 says nothing about."""
    if side.q.dims is not None or other.q.dims is not None:
        return bool(_dims_meet(side.q, other.q))
    if spec is None:
        views = [v for v in side.views if v.dimension == side.q.dimension]
    else:
        views = [v for v in side.views if any(_comparable(v, w) for s in spec.sides for w in s.views)]
    return any(_view_meets(v, w) for v in views for w in other.views)


def _multiple_meets(side: _Side, spec_side: _Side, units: int) -> bool:
    """Whether a quantity is ``units`` times the spec's, or the spec ``units`` times the quantity: one of
    them is stated for all the units the page hands over, the other for one."""
    if side.q.dimension == "count" or side.q.count is not None:
        return False  # a count, or a multipack whose total is already stated
    for f in (1 / units, float(units)):
        scaled = [replace(v, low=v.low * f, high=v.high * f, resolution=v.resolution * f) for v in side.views]
        if any(_view_meets(a, b) for a in scaled for b in spec_side.views):
            return True
    return False


def _is_single(side: _Side) -> bool:
    return any(v.single for v in side.views)


def _opened(side: _Side) -> _Side:
    return replace(side, views=_views(side.q, side.aspect))


# --------------------------------------------------------------------------- the scanner


class _FieldSides:
    """The product quantities of one field, and the selections of them that spec tables compare; and four
    facts about the whole listing that the field states: the classifiers of which it counts several
    packages (3袋, 2箱装), how many units the page hands over, by a count of packages (3支装: 3) or a
    buy-N-get-M offer (买一送一: 2), the offers alone, and its counts of items (约4-6颗: 颗, 3.6 to 6.6)."""

    __slots__ = ("counted", "items", "multiples", "offers", "selected", "sides")

    def __init__(
        self,
        sides: tuple[_Side, ...],
        counted: frozenset[str] = frozenset(),
        multiples: frozenset[int] = frozenset(),
        items: frozenset[tuple[str, float, float]] = frozenset(),
        offers: frozenset[int] = frozenset(),
    ) -> None:
        self.sides = sides
        self.counted = counted
        self.multiples = multiples
        self.items = items
        self.offers = offers
        self.selected: dict[tuple[frozenset[str], bool], tuple[int, tuple[_Side, ...]]] = {}

    def select(self, dims: frozenset[str], counted: bool) -> tuple[int, tuple[_Side, ...]]:
        """The sides a table with these dimensions compares, with their token (0 when there are none)."""
        if not self.sides:
            return 0, ()
        got = self.selected.get((dims, counted))
        if got is None:
            chosen = tuple(s for s in self.sides if s.q.dimension in dims or (counted and s.q.count is not None))
            got = (_token(chosen), chosen) if chosen else (0, ())
            self.selected[(dims, counted)] = got
        return got


_NO_SIDES = _FieldSides(())


@lru_cache(maxsize=8192)
def _field_sides(field_name: str, label: str, value: str) -> _FieldSides:
    """The product quantities of one field (cached: SKU names and descriptions repeat across listings)."""
    # Everything but the choice words, the offers and a bed is read before the last quantity, within the
    # extent that the quantities depend on: titles that differ only after it ("坚果礼盒 500g 2024新款 … 58号")
    # share one entry.
    offers = _offers(value)
    extent = reading_extent(value)
    if not extent:
        return _FieldSides((), multiples=offers, offers=offers) if offers else _NO_SIDES
    # A bed (适用1.5米床) is read after its quantity: such fields are taken whole.
    prefix = value if "床" in value else value[:extent]
    found = _prefix_sides(field_name, label, prefix, any(w in value for w in _CHOICE_WORDS))
    if not offers:
        return found
    return _FieldSides(found.sides, found.counted, found.multiples | offers, found.items, offers)


# 买一送一, 买2件送1件, 买二赠一: the buyer receives N+M units, and a total stated for all of them (到手共1000g)
# is N+M times the unit's quantity.
_OFFER = re.compile(
    r"买[ \t]*(?P<n>[1-9]|[一二两三四五六七八九十])[ \t]*(?:[件个袋盒瓶罐包份支条只箱桶套])?[ \t]*"
    r"[送赠][ \t]*(?P<m>[1-9]|[一二两三四五六七八九十])(?![0-9.])"
)


def _offers(value: str) -> frozenset[int]:
    if "买" not in value:
        return frozenset()
    units = set()
    for m in _OFFER.finditer(normalize(value)):
        n, k = int_value(m.group("n")), int_value(m.group("m"))
        if n is not None and k is not None and n + k >= 2:
            units.add(n + k)
    return frozenset(units)


@lru_cache(maxsize=8192)
def _prefix_sides(field_name: str, label: str, value: str, choice: bool) -> _FieldSides:
    sides, counted, multiples, items = _quantity_sides(field_name, label, value, choice)
    return _FieldSides(sides, counted, multiples, items) if sides or counted or items else _NO_SIDES


def _quantity_sides(
    field_name: str, label: str, value: str, choice: bool
) -> tuple[tuple[_Side, ...], frozenset[str], frozenset[int], frozenset[tuple[str, float, float]]]:
    sides: list[_Side] = []
    found = extract_all(value)
    qualifiers = _data_qualifiers(value, found)
    beds = _bed_sizes(value, found)
    models = _model_series(value, found) if len(found) > 1 else frozenset()
    gifts = {q.start: noun for q in found if q.role == GIFT and (noun := _gift_noun(value, q))}
    data = _data()
    # 一袋, 一盒 in prose is "a bag", "a box": never read as a count of one.
    quantities = [
        q
        for i, q in enumerate(found)
        if (q.role == PRODUCT or i in qualifiers or i in beds or q.start in gifts)
        and not _article(q)
        and i not in models
        and not _serving(value, q, data)
    ]
    if not quantities:
        return (), frozenset(), frozenset(), frozenset()
    qualifier_of = {found[i].start: qualifier for i, qualifier in qualifiers.items()}
    for i, bed in beds.items():
        qualifier_of[found[i].start] = bed
    quantities = _packs(value, quantities)
    counted = frozenset(_counted(quantities))
    items = frozenset(
        (q.unit, q.low, q.high)
        for q in quantities
        if q.dimension == "count" and q.role == PRODUCT and q.unit in data.item_classifiers
    )
    # Counts of packages by themselves (3支装, 2箱), not the count of a multipack (whose total is stated).
    multiples = frozenset(n for q in quantities if q.count is None and (n := _package_count(q)) is not None)
    group = 0
    prev: Quantity | None = None
    sentence = 0
    last_end = 0
    for q in quantities:
        sentence += len(_SENTENCE.findall(value, last_end, q.start))
        last_end = q.start
        joined = (
            prev is not None
            and prev.dimension == q.dimension
            and _ALTERNATIVE_GAP.fullmatch(value, prev.end, q.start) is not None
        )
        if not joined:
            group += 1
        item = _item(value, q, data)
        aspect = "per_item" if item else _aspect(q)
        head = value[max(0, q.start - _HEAD) : q.start].rstrip(_HEAD_FILLER) if q.start else ""
        sides.append(
            _Side(
                field=field_name,
                label=label,
                q=q,
                qualifier=qualifier_of.get(q.start, q.qualifier),
                aspect=aspect,
                group=0 if choice else group,
                sentence=sentence,
                views=_views(q, aspect, aspect == "per_unit" and _single(value, q)),
                gift=gifts.get(q.start, ""),
                item=item,
                head=head if head and head[-1] in data.name_ends else "",
            )
        )
        prev = q
    return tuple(sides), counted, multiples, items


# How far before a quantity a spec name labelling it is looked for (裤长3尺, 净含量：500g), and the signs
# between the name and the number.
_HEAD = 8
_HEAD_FILLER = " \t:：=为是约"


def _item(value: str, q: Quantity, data: _Data) -> str:
    """The classifier of the one item a quantity is stated for (单颗约300-450g: 颗, 每只20-25g: 只, 约500g/只:
    只), "*" when the page says one item without a classifier (单果约160-180g), else "" (the quantity is
    the product's, or a package's: 每袋250g)."""
    if q.dimension == "count" or q.count is not None:
        return ""
    if q.per_unit and q.counts in data.item_classifiers:
        return q.counts or ""
    lo = max(0, q.start - 6)
    if data.item_first.search(value, lo, q.start) and data.item_words.search(value, lo, q.start):
        return "*"
    return ""


def _serving(value: str, q: Quantity, data: _Data) -> bool:
    """Whether a quantity is an amount to serve, dose or feed (成猫每日喂食量约40-60g, 1平勺（约4.4g）), which
    says nothing of the package's contents."""
    lo = max(0, q.start - 12)
    if data.serving_first.search(value, lo, q.start) is None:
        return False
    window = value[lo : q.start]
    if data.not_serving.search(window):
        window = data.not_serving.sub(lambda m: " " * len(m.group()), window)
    return data.serving.search(window) is not None


_SERIES_GAP = re.compile(r"[ \t]*(?:[/、,，|][ \t]*)?")


def _model_series(value: str, found: Sequence[Quantity]) -> frozenset[int]:
    """Quantities that are model numbers written like measures: two or more of one unit in a row whose
    values differ by at most 1% (宏基电源适配器4741g 4750g 4752g: no shop sells 4741 g and 4750 g variants of
    one thing), while variants are far apart (3斤 5斤 10斤)."""
    out: set[int] = set()
    i, n = 0, len(found)
    while i < n - 1:
        j = i
        while (
            j + 1 < n
            and found[j + 1].unit == found[i].unit
            and found[j + 1].is_point
            and found[j].is_point
            and found[j + 1].count is None
            and found[j + 1].dims is None
            and _SERIES_GAP.fullmatch(value, found[j].end, found[j + 1].start) is not None
        ):
            j += 1
        if j > i and found[i].count is None and found[i].dims is None:
            values = [q.low for q in found[i : j + 1]]
            top = max(values)
            if len(set(values)) == len(values) and top - min(values) <= 0.01 * top:
                out.update(range(i, j + 1))
        i = j + 1
    return frozenset(out)


_GIFT_NOUN = re.compile(r"(?:送|赠|附赠|赠送)(?P<noun>[\u4e00-\u9fff]{2,4})[ \t:：]*$")


def _gift_noun(value: str, q: Quantity) -> str:
    """The thing a gift is, when it is named between the gift word and its quantity (送电池285Wh)."""
    m = _GIFT_NOUN.search(value, max(0, q.start - 8), q.start)
    return m.group("noun") if m else ""


def _single(value: str, q: Quantity) -> bool:
    """Whether a per-package quantity is stated for one package with 单 (单箱5-6斤), not 每 (每袋250g)."""
    if q.counts is None or q.count is not None:
        return False
    head = value[max(0, q.start - 6) : q.start].rstrip(" \t:：")
    return head.endswith(q.counts) and head[: -len(q.counts)].rstrip(" \t").endswith("单")


def _counted(quantities: Sequence[Quantity]) -> Iterator[str]:
    """The classifiers of which several packages are stated (3袋, 共2箱, 500g*2袋)."""
    for q in quantities:
        if q.count is not None and q.count >= 2 and q.counts:
            yield q.counts
        elif q.dimension == "count" and q.per_unit is False and _package_count(q) is not None:
            yield q.unit


def _data_qualifiers(value: str, found: Sequence[Quantity]) -> dict[int, str]:
    """8G+256G, 12GB+512GB: a phone's or a computer's memory and storage, in that order (the + is no gift)."""
    out: dict[int, str] = {}
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        if a.dimension == b.dimension == "data" and value[a.end : b.start].strip(" \t") == "+" and a.low < b.low:
            out[i] = a.qualifier or "ram"
            out[i + 1] = b.qualifier or "storage"
    return out


_BED_AFTER = re.compile(r"[ \t]*的?[ \t]*床")


def _bed_sizes(value: str, found: Sequence[Quantity]) -> dict[int, str]:
    """Lengths that name the bed a product is made for. Before 床 (适用1.5米床, 1.8m床垫, 1.5m/1.8m床) they are
    "bed", the width of a bed-sized product, unless the field is about a product larger than its bed (a
    quilt, a flat sheet); there, and for metres of a bed's width in a field that names a bed (四件套 1.2m),
    they are "bed_fit": the bed, compared only with a 适用床尺寸 entry."""
    if "床" not in value:
        return {}
    data = _data()
    qualifier = "bed_fit" if any(w in value for w in data.bed_covers) else "bed"
    out: dict[int, str] = {}
    for i, q in enumerate(found):
        if q.unit == "m" and q.is_point and q.dims is None and data.bed_width[0] <= q.low <= data.bed_width[1]:
            out[i] = "bed_fit"
    i, n = 0, len(found)
    while i < n:
        q = found[i]
        if q.dimension != "length" or q.role not in (PRODUCT, CONDITION):
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and found[j + 1].dimension == "length"
            and _ALTERNATIVE_GAP.fullmatch(value, found[j].end, found[j + 1].start) is not None
        ):
            j += 1
        if _BED_AFTER.match(value, found[j].end):
            out.update(dict.fromkeys(range(i, j + 1), qualifier))
        i = j + 1
    return out


# A measure per package and the number of packages said apart, next to each other: 每袋250g，共3袋,
# 250g/袋 共4袋, 共3袋，每袋250g. Together they are a multipack, whose total is compared (without the count,
# 250g/袋 only says that the total is a whole number of 250g). A measure followed by N袋装 (250g 两袋装) is
# read both ways, as the measure of one bag (a multipack, 500 g) and of all of them (its per-package view).
_PACK_AFTER = re.compile(r"[ \t]*[,，、]?[ \t]*(?:共计|一共|总共|合计|总计|共)?[ \t]*")
_PACK_LEAD = re.compile(r"(?:(?:每|单)[ \t]*(\w)|共计|一共|总共|合计|总计|共)[ \t]*$")
_PACK_BEFORE = re.compile(r"[ \t]*[,，、:：]?[ \t]*(?:每|单)[^\d。！？；!?;\n]{0,4}")


def _package_count(n: Quantity) -> int | None:
    """The number of packages a count quantity states, when it is a whole number of at least 2."""
    if n.dimension != "count" or not n.is_point or not math.isfinite(n.low) or n.low < 2 or n.low != int(n.low):
        return None
    return int(n.low)


def _packs(value: str, quantities: list[Quantity]) -> list[Quantity]:
    out = list(quantities)
    joined: set[int] = set()  # counts that became part of a multipack (共3袋 of 每袋250g，共3袋)
    for i, q in enumerate(quantities):
        if q.count is not None or q.total:
            continue
        if q.dimension == "count" and not (q.per_unit and q.counts is not None and q.counts != q.unit):
            continue  # a count measures a package only when it is stated per package (5片/盒 共3盒)
        if not q.per_unit:
            # 250g 两袋装, and a count glued to the measure: 15g8盒
            n = quantities[i + 1] if i + 1 < len(quantities) else None
            if n is None or n.total or n.counts is None or n.dimension != "count":
                continue
            packed = value[n.end : n.end + 1] == "装"
            if not packed and n.start != q.end:
                continue
            count = _package_count(n)
            if count is not None and not value[q.end : n.start].strip(" \t"):
                out[i] = _multipack(value, q, count, n.counts, q.start, n.end + 1 if packed else n.end)
            continue
        if q.counts is None:
            continue
        for j in (i + 1, i - 1):
            if not 0 <= j < len(quantities):
                continue
            n = quantities[j]
            count = _package_count(n)
            if count is None or not n.total or n.counts != q.counts:
                continue
            if j > i and _PACK_AFTER.fullmatch(value, q.end, n.start) is None:
                continue
            if j < i and (
                _PACK_BEFORE.fullmatch(value, n.end, q.start) is None or q.counts not in value[n.end : q.start]
            ):
                continue
            start, end = min(q.start, n.start), max(q.end, n.end)
            lead = _PACK_LEAD.search(value, max(0, start - 6), start)  # the span starts at 每袋 or 共
            if lead is not None and (lead.group(1) is None or lead.group(1) == q.counts):
                start = lead.start()
            out[i] = _multipack(value, q, count, q.counts, start, end)
            joined.add(j)
            break
    return [q for k, q in enumerate(out) if k not in joined] if joined else out


def _multipack(value: str, q: Quantity, count: int, counts: str, start: int, end: int) -> Quantity:
    return replace(
        q,
        start=start,
        end=end,
        text=value[start:end],
        low=q.low * count,
        high=q.high * count,
        counts=counts,
        count=count,
        per_unit_low=q.low,
        per_unit_high=q.high,
        per_unit=False,
        total=True,
    )


def _article(q: Quantity) -> bool:
    return q.dimension == "count" and q.count is None and q.low == q.high == 1 and q.text[:1] == "一"


@lru_cache(maxsize=4096)
def _spec_sides(name: str, value: str, kind: SpecKind) -> tuple[_Side, ...]:
    field_name = f"specs.{name}"
    label = f"规格表{name}"
    found = [q for q in extract_all(value) if q.role == PRODUCT and q.dimension in kind.dimensions]
    if not found:
        bare = _bare_quantity(name, value, kind)
        found = [bare] if bare is not None else []
    sides = []
    for q in found:
        aspect = _aspect(q, kind)
        sides.append(_Side(field_name, label, q, kind.qualifier, aspect, group=0, views=_views(q, aspect)))
    return tuple(sides)


def _bare_quantity(name: str, value: str, kind: SpecKind) -> Quantity | None:
    """A spec value that is a bare number: the unit comes from the name (净含量(g), 件数)."""
    m = _BARE_NUMBER.search(normalize(value))
    if m is None or value[: m.start()].strip() or value[m.end() :].strip():
        return None
    _, inner = _clean_name(name)
    info: UnitInfo | None = None
    if inner:
        found = extract_all("1" + inner)
        if found and found[0].end == 1 + len(inner):
            info = unit_info(found[0].unit)
    if info is None and kind.count_unit:
        info = unit_info(kind.count_unit)
    if info is None or info.dimension not in kind.dimensions:
        return None
    number = float(m.group())
    decimals = len(m.group().split(".", 1)[1]) if "." in m.group() else 0
    return Quantity(
        start=m.start(),
        end=m.end(),
        text=value[m.start() : m.end()],
        low=number * info.factor,
        high=number * info.factor,
        unit=info.symbol,
        dimension=info.dimension,
        base_unit=info.base_unit,
        counts=info.symbol if info.dimension == "count" else None,
        resolution=(10.0**-decimals) * info.factor,
    )


def _listing_fields(listing: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    get = listing.get
    for key, label in _TEXT_FIELDS:
        value = get(key)
        if isinstance(value, str) and value:
            out.append((key, label, value))
    skus = get("skus")
    if type(skus) is list or (isinstance(skus, Sequence) and not isinstance(skus, str)):
        for i, sku in enumerate(skus):
            if type(sku) is dict or isinstance(sku, Mapping):
                value = sku.get("name")
                if isinstance(value, str) and value:
                    out.append((f"skus[{i}].name", f"SKU「{value}」", value))
    return out


def scan_specs(listing: Mapping[str, Any]) -> list[Finding]:
    """Return the ``spec_mismatch`` findings of one listing (the ``listings[]`` dict of the bundle).

    Each finding points at the quantity in the text (``field``/``start``/``end``/``text``) and carries the
    spec-table side in ``related``; the message states both values in one unit.
    """
    specs_value = listing.get("specs")
    if not isinstance(specs_value, Mapping) or not specs_value:
        return []
    table = _table(specs_value)
    if table is None:
        return []  # no entry with a quantity: nothing to compare
    # Only quantities that can meet a spec entry (see _Table.dims); what the comparison sees is then fully
    # described by the table's token and the tokens of the fields' selected quantities.
    key = [table.token]
    text_sides: list[_Side] = []
    dims, counted = table.dims, table.counted
    packages: frozenset[str] = frozenset()
    multiples: frozenset[int] = frozenset()
    offers: frozenset[int] = frozenset()
    items: frozenset[tuple[str, float, float]] = frozenset()
    for field_name, label, value in _listing_fields(listing):
        field_sides = _field_sides(field_name, label, value)
        token, sides = field_sides.select(dims, counted)
        if token:
            key.append(token)
            text_sides.extend(sides)
        if field_sides.counted:
            packages |= field_sides.counted
        if field_sides.multiples:
            multiples |= field_sides.multiples
        if field_sides.offers:
            offers |= field_sides.offers
        if field_sides.items:
            items |= field_sides.items
    if text_sides and (packages or multiples or items):
        key.append(_token((packages, multiples, offers, items)))
    memo_key = tuple(key)
    found = _CHECKS.get(memo_key)
    if found is None:
        checker = _Checker(table, text_sides, None, packages, multiples, offers, items)
        found = tuple(checker.run())
        if len(_CHECKS) >= _CHECKS_MAX:
            _CHECKS.clear()
        _CHECKS[memo_key] = found
    if not found:
        return []
    listing_id = listing.get("id")
    if listing_id is None:
        return list(found)
    lid = str(listing_id)
    return [_with_listing_id(f, lid) for f in found]


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
_FINDING_VALUES = attrgetter(*_FINDING_FIELDS)
_LISTING_ID = _FINDING_FIELDS.index("listing_id")


def _with_listing_id(f: Finding, listing_id: str) -> Finding:
    values = list(_FINDING_VALUES(f))
    values[_LISTING_ID] = listing_id
    return Finding(*values)


# ---- caches
#
# Listings of one shop share spec tables, SKU names and description templates, and the comparison of one
# listing is a function of its spec table and of the quantities selected from its text. Both are reduced
# to small integer *tokens*: equal content gets the same token (interned by value), and a token is never
# given to other content (a counter, never reset), so a memo keyed by tokens can miss but never confuse two
# listings. Findings are memoised without the listing id, which is set on the way out. All bounded.

_TOKENS: dict[object, int] = {}
_TOKENS_MAX = 65536
_NEXT_TOKEN = itertools.count(1)  # 0: no quantity selected
_CHECKS: dict[tuple[int, ...], tuple[Finding, ...]] = {}
_CHECKS_MAX = 16384


def _token(content: object) -> int:
    token = _TOKENS.get(content)
    if token is None:
        if len(_TOKENS) >= _TOKENS_MAX:
            _TOKENS.clear()
        token = _TOKENS[content] = next(_NEXT_TOKEN)
    return token


@dataclass(frozen=True, slots=True)
class _Table:
    """The quantity entries of a spec table, and which text quantities they can be compared with."""

    specs: tuple[_Spec, ...]
    voltages: tuple[float, ...]
    # Dimensions of the entries and their counterparts (mass and volume, mAh and Wh); multipacks when a
    # count is specified.
    dims: frozenset[str]
    counted: bool
    token: int
    # Every entry with a quantity, as (name without spaces and brackets, name, dimensions of its value):
    # a spec name before a text quantity says which entry the quantity is about (裤长3尺).
    names: tuple[tuple[str, str, frozenset[str]], ...] = ()
    # The quantities of entries that are no quantity of the product (适用体重 9-14kg), by entry name.
    claims: tuple[tuple[str, Quantity], ...] = ()


def _table(specs_value: Mapping[Any, Any]) -> _Table | None:
    items = tuple(specs_value.items())
    # Cached by the entries when every value is a string (int 1, float 1.0 and True hash alike).
    if all(type(v) is str for _, v in items):
        try:
            return _cached_table(items)
        except TypeError:  # an unhashable name
            pass
    return _build_table(items)


@lru_cache(maxsize=4096)
def _cached_table(items: tuple[tuple[Any, str], ...]) -> _Table | None:
    return _build_table(items)


def _build_table(items: tuple[tuple[Any, Any], ...]) -> _Table | None:
    specs: list[_Spec] = []
    voltages: list[float] = []
    names: list[tuple[str, str, frozenset[str]]] = []
    claims: list[tuple[str, Quantity]] = []
    for index, (name, value) in enumerate(items):
        if not isinstance(name, str) or not isinstance(value, str | int | float) or isinstance(value, bool):
            continue
        kind = spec_kind(name)
        text = value if isinstance(value, str) else str(value)
        if kind is None:
            found = _claimed(text)
            claims.extend((name, q) for q in found)
            if found:
                names.append((_clean_name_of(name), name, frozenset(q.dimension for q in found)))
            continue
        if kind.voltage_only:
            voltages.extend(q.low for q in extract_all(text) if q.dimension == "voltage" and q.is_point)
            continue
        spec = _Spec(index, name, kind, _spec_sides(name, text, kind), _object(name))
        if spec.sides:
            specs.append(spec)
            names.append((_clean_name_of(name), name, frozenset(s.q.dimension for s in spec.sides)))
    if not specs:
        return None
    dims = {side.q.dimension for spec in specs for side in spec.sides}
    if dims & {"mass", "volume"} and any(spec.kind.cross for spec in specs):
        dims |= {"mass", "volume"}
    if dims & {"charge", "energy"}:
        dims |= {"charge", "energy"}
    # Longest names first: 单果重量 labels 单果重量3两 before 重量 would.
    names.sort(key=lambda n: -len(n[0]))
    content = (tuple(specs), tuple(voltages), tuple(names), tuple(claims))
    return _Table(
        tuple(specs), tuple(voltages), frozenset(dims), "count" in dims, _token(content), tuple(names), tuple(claims)
    )


@lru_cache(maxsize=4096)
def _clean_name_of(name: str) -> str:
    return _clean_name(name)[0]


@lru_cache(maxsize=4096)
def _claimed(text: str) -> tuple[Quantity, ...]:
    """The quantities of an entry that is no quantity of the product (适用体重 9-14kg, 适用腰围 86-100cm): a text
    quantity equal to one of them states that entry (纸尿裤 L38片（9-14kg）is for a baby of 9-14 kg) and is
    compared with nothing else."""
    if not any(c.isdigit() for c in text):
        return ()
    return tuple(
        q
        for q in extract_all(text)
        if q.role in (PRODUCT, CONDITION) and q.dimension not in ("count", "voltage", "data") and q.dims is None
    )


@lru_cache(maxsize=4096)
def _object(name: str) -> str:
    """What a spec name measures when it is read through a shorter name it contains: 床单尺寸 -> 床单,
    被套尺寸 -> 被套; "" for a name listed as it is (产品尺寸) or a word that names no object (商品毛重)."""
    data = _data()
    clean = _clean_name_of(name)
    if clean in data.kinds:
        return ""
    for sub, _kind in data.substrings:
        at = clean.find(sub)
        if at >= 0:
            head = clean[:at]
            return "" if not head or head in data.plain_objects else head
    return ""


def _same_family(a: SpecKind, b: SpecKind) -> bool:
    return a.family == b.family or "any" in (a.family, b.family)


class _Checker:
    """Compares one listing's spec entries with its text; collects findings."""

    def __init__(
        self,
        table: _Table,
        text_sides: list[_Side],
        listing_id: str | None,
        counted: frozenset[str] = frozenset(),
        multiples: frozenset[int] = frozenset(),
        offers: frozenset[int] = frozenset(),
        items: frozenset[tuple[str, float, float]] = frozenset(),
    ):
        self.specs = list(table.specs)
        specs = self.specs
        # 单箱5斤 is the one box the listing sells, unless the page sells several boxes (2箱装): then it is
        # per package like 每箱5斤, and the total a whole number of them.
        self.text_sides = [_opened(s) if s.q.counts in counted and _is_single(s) else s for s in text_sides]
        self.voltages = list(table.voltages)
        self.listing_id = listing_id
        # How many units the page hands over: its counts of packages and buy-N-get-M offers, and the
        # spec table's own counts (数量 3支).
        self.multiples = multiples | frozenset(
            n for spec in specs for s in spec.sides if (n := _package_count(s.q)) is not None
        )
        self.offers = offers
        self.data = _data()
        # Counts of items (16-20只, 数量 12个): what a quantity stated for one item is multiplied by.
        self.items = items | frozenset(
            (s.q.unit, s.q.low, s.q.high)
            for spec in specs
            for s in spec.sides
            if s.q.dimension == "count" and s.q.unit in self.data.item_classifiers
        )
        self.names = table.names
        self.claims = table.claims
        self.owners: dict[int, str | None] = {}  # by id() of the text side
        self.findings: dict[tuple[str, int, int], Finding] = {}
        self.by_field: dict[str, list[_Side]] = {}
        for side in self.text_sides:
            self.by_field.setdefault(side.field, []).append(side)

    # ---- which spec entries a side is compared with

    def _effective(self, qualifier: str | None) -> str | None:
        return None if qualifier is None or qualifier in self.data.plain_qualifiers else qualifier

    def _targets(self, side: _Side, spec: _Spec) -> bool:
        """Whether ``side`` is compared with ``spec`` for equality."""
        if side.gift and side.gift not in spec.name:
            return False  # a gift is compared only with the entry named after it (电池容量 for 送电池)
        kind = spec.kind
        if side.qualifier is not None and side.qualifier == kind.qualifier:
            return True
        if kind.qualifier == "gross" or side.qualifier == "gross":
            return False  # handled by the net/gross relation
        if side.qualifier in kind.inch_qualifiers and all(s.q.unit == "inch" and s.q.dims is None for s in spec.sides):
            return True  # a cake's 尺寸 8英寸 is its diameter: 直径约15cm states it too
        if self._effective(side.qualifier) is not None:
            return False
        if not kind.unqualified:
            return False
        if kind.units is not None and side.q.unit not in kind.units:
            return False
        return True

    def _relation(self, side: _Side, spec: _Spec) -> str | None:
        """ "le" when side must not exceed spec (content against 毛重), "ge" for the reverse."""
        if side.q.dimension not in ("mass", "volume") or side.gift:
            return None
        if spec.kind.qualifier == "gross" and side.qualifier != "gross":
            if self._effective(side.qualifier) is None:
                return "le"
        if side.qualifier == "gross" and spec.kind.qualifier != "gross":
            if self._effective(spec.kind.qualifier) is None:
                return "ge"
        return None

    # ---- the run

    def run(self) -> list[Finding]:
        for spec in self.specs:
            dims = {s.q.dimension for s in spec.sides}
            good = self._good_views(spec)
            variants = self._sku_variants(spec)
            for field_name, sides in self._sides_by_field(spec):
                self._check_field(spec, field_name, sides, dims, good, variants)
        return sorted(self.findings.values(), key=Finding.sort_key)

    def _sides_by_field(self, spec: _Spec) -> Iterator[tuple[str, list[_Side]]]:
        yield from self.by_field.items()
        # Spec against spec, each pair once: a later entry is checked against an earlier one of the
        # same family (净含量 with 毛重 and 规格, never 洗涤容量 with 重量) that measures the same object
        # (床单尺寸 and 被套尺寸 are two things of one set).
        for other in self.specs:
            if (
                other.index > spec.index
                and _same_family(spec.kind, other.kind)
                and not (spec.obj and other.obj and spec.obj != other.obj)
            ):
                yield f"specs.{other.name}", list(other.sides)

    def _good_views(self, spec: _Spec) -> list[_Side]:
        """Quantities anywhere on the page that agree with the spec: what else they imply is vouched for."""
        good: list[_Side] = []
        for side in self.text_sides:
            if any(self._targets(side, spec) and _sides_meet(side, s) for s in spec.sides):
                good.append(side)
        return good

    def _sku_variants(self, spec: _Spec) -> list[_Side] | None:
        """SKU quantities when the SKUs offer sizes of which the spec describes one, else None."""
        skus = [s for s in self.text_sides if s.field.startswith("skus[") and self._targets(s, spec)]
        if len(skus) < 2:
            return None
        distinct: list[_Side] = []
        for s in skus:
            if not any(_sides_meet(s, d) for d in distinct):
                distinct.append(s)
        if len(distinct) < 2:
            return None
        if not any(_sides_meet(s, sp) for s in skus for sp in spec.sides):
            return None
        return skus

    def _check_field(
        self,
        spec: _Spec,
        field_name: str,
        sides: list[_Side],
        dims: set[str],
        good: list[_Side],
        variants: list[_Side] | None,
    ) -> None:
        same = [s for s in sides if s.q.dimension in dims]
        excused_groups: set[int] = set()
        excused_sentences: set[int] = set()
        pending: list[tuple[_Side, _Side, str]] = []  # (text side, spec side, rule)
        for side in same:
            verdict = self._verdict(side, spec, good, variants)
            if verdict is None:
                continue
            if verdict == "ok":
                excused_groups.add(side.group)
                excused_sentences.add(side.sentence)
                continue
            pending.append((side, *verdict))
        for side, spec_side, rule in pending:
            if side.group in excused_groups:
                continue  # another alternative of the same phrase agrees
            if field_name == "description" and side.sentence in excused_sentences and rule != "spec.net_exceeds_gross":
                continue  # a long text: the sentence also states the right value (a gross weight states another)
            self._add(rule, side, spec_side, spec)
        if not same:
            self._check_cross(spec, sides, dims)

    def _verdict(
        self, side: _Side, spec: _Spec, good: list[_Side], variants: list[_Side] | None
    ) -> str | tuple[_Side, str] | None:
        """ "ok", (spec side, rule) for a finding, or None when the side is not compared at all."""
        owner = self._owner(side)
        if owner is not None and owner != spec.name:
            return None  # 裤长3尺 is about the 裤长 entry, 9-14kg (适用体重 9-14kg) about the baby
        if side.qualifier == "bed" or (side.qualifier == "bed_fit" and spec.kind.qualifier == "bed"):
            return self._bed_verdict(side, spec)
        if side.qualifier == "bed_fit":  # against anything but a 适用床尺寸 entry, what the text says it is
            if side.q.role != PRODUCT:
                return None
            side = replace(side, qualifier=side.q.qualifier)
        targeted = self._targets(side, spec)
        relation = None if targeted else self._relation(side, spec)
        if not targeted and relation is None:
            return None
        # Agreement with any entry of the table (a washing machine's 10kg is its 洗涤容量, not 重量), in
        # what the two entries share: 200ml*24盒 agreeing with 数量 24盒 says nothing of its 200ml.
        for other in self.specs:
            if other is spec or other.kind.qualifier == "gross" or side.field == f"specs.{other.name}":
                continue
            if (self._targets(side, other) or self._effective(side.qualifier) is None) and any(
                _agrees_as(side, s, spec) for s in other.sides
            ):
                return "ok"
        if relation is not None:
            return self._relation_verdict(side, spec, relation)
        if (side.aspect == "per_item") != (spec.kind.aspect == "per_item"):
            return self._item_verdict(side, spec)
        if any(_sides_meet(side, s) for s in spec.sides):
            return "ok"
        if self.offers and side.q.total and side.q.count is None:
            # A total on a page that offers N+M units (买一送一 到手共1500g) is N+M units of the entry: no
            # other number of packages (500g/袋: any whole number) reconciles it.
            if any(_multiple_meets(side, s, k) for k in self.offers for s in spec.sides):
                return "ok"
        else:
            if any(_sides_meet(side, g) for g in good if g is not side):
                return "ok"
            if variants is not None and (side in variants or any(_sides_meet(side, v) for v in variants)):
                return "ok"
            if any(_multiple_meets(side, s, k) for k in self.multiples for s in spec.sides):
                return "ok"  # 买一送一 到手共1000g, 3支装 2.25L against 750ml a unit
        comparable = [s for s in spec.sides if self._is_comparable(side, s)]
        if not comparable:
            return None
        spec_side = comparable[0]
        if side.q.dims is not None or spec_side.q.dims is not None:
            scalar = spec_side.q if side.q.dims is not None else side.q
            if scalar.dims is None and scalar.unit == "inch":
                return None  # 24寸 luggage, 55寸 screens: a nominal size, not one side of L×W×H
            if _dims_meet(side.q, spec_side.q) is None:
                if any(g.q.dims is not None for g in good):
                    return None  # the page states the size (180*48厘米): a lone length is something else
                return spec_side, "spec.size_review"
        if side.q.ambiguous_with is not None or spec_side.q.ambiguous_with is not None:
            return self._ambiguous_verdict(side, spec_side)
        return spec_side, f"spec.{side.q.dimension}_mismatch"

    def _bed_verdict(self, side: _Side, spec: _Spec) -> str | tuple[_Side, str] | None:
        """The bed a product is made for (适用1.5米床) against its size: the width of a bed-sized W×L (or a
        床宽 entry). Sizes that are no bed's (a quilt's 200×230) are not compared. A bed entry is the bed
        itself, or its mattress (适用床垫尺寸 1500×2000mm: a 1.5 m bed, not the 1.8米双人床 of the title)."""
        q = side.q
        low, high = (min(q.dims), min(q.dims)) if q.dims else (q.low, q.high)
        for spec_side in spec.sides:
            if spec.kind.qualifier == "bed":  # 适用床尺寸 1.5m: the bed itself
                if spec_side.q.dims is not None:
                    width = self._bed_width(spec, spec_side.q)
                else:
                    width = spec_side.q.low if spec_side.q.is_point else None
            elif side.qualifier == "bed":
                width = self._bed_width(spec, spec_side.q)
            else:
                width = None
            if width is None:
                continue
            if _meets(low, high, q.resolution, width, width, spec_side.q.resolution):
                return "ok"
            return spec_side, "spec.length_mismatch"
        return None

    def _bed_width(self, spec: _Spec, q: Quantity) -> float | None:
        if q.dimension != "length":
            return None
        if q.dims is None:
            return q.low if spec.kind.qualifier == "width" and q.is_point else None
        sides = sorted(q.dims, reverse=True)
        if len(sides) < 2:
            return None
        length, width = sides[0], sides[1]
        (min_length, max_length), (min_width, max_width) = self.data.bed_length, self.data.bed_width
        if min_length <= length <= max_length and min_width <= width <= max_width:
            return width
        return None

    def _is_comparable(self, side: _Side, spec_side: _Side) -> bool:
        if side.q.dimension != spec_side.q.dimension:
            return False
        if side.q.dims is not None or spec_side.q.dims is not None:
            return True
        return any(_comparable(a, b) for a in side.views for b in spec_side.views)

    def _relation_verdict(self, side: _Side, spec: _Spec, relation: str) -> str | tuple[_Side, str] | None:
        for spec_side in spec.sides:
            if spec_side.q.dimension != side.q.dimension:
                continue
            net, gross = (side, spec_side) if relation == "le" else (spec_side, side)
            if net.q.low <= gross.q.high or _meets(
                net.q.low, net.q.low, net.q.resolution, gross.q.high, gross.q.high, gross.q.resolution
            ):
                return "ok"
            return spec_side, "spec.net_exceeds_gross"
        return None

    def _ambiguous_verdict(self, side: _Side, spec_side: _Side) -> str | tuple[_Side, str]:
        """oz is an ounce or a fluid ounce: quiet if either reading agrees, else ask for review."""
        for alt in (side, spec_side):
            q = alt.q
            if q.ambiguous_with is None:
                continue
            other = spec_side if alt is side else side
            reread = _reread(q, q.ambiguous_with)
            if reread is not None and other.q.dimension == reread.dimension:
                views = _views(reread, alt.aspect)
                if any(_view_meets(a, b) for a in views for b in other.views):
                    return "ok"
        return spec_side, "spec.ambiguous_unit"

    def _explained(self, side: _Side, spec: _Spec) -> bool:
        """Whether another entry of the table states this quantity (a kettle's 1.7L is its 容量, which the
        重量 entry has nothing to say about) in its own dimension: 数量 12盒 states the count of 205ml*12盒,
        not its 205ml."""
        return any(
            other is not spec
            and side.field != f"specs.{other.name}"
            and any(_agrees_as(side, s, None) for s in other.sides)
            for other in self.specs
        )

    def _owner(self, side: _Side) -> str | None:
        """The entry a text quantity is about when the text says so: a spec name right before it (裤长3尺 is the
        裤长 entry's, not 腰围's), or the value of an entry that is no quantity of the product (9-14kg beside
        适用体重 9-14kg is the baby's weight, not the pack's)."""
        if side.field.startswith("specs."):
            return None
        key = id(side)
        if key in self.owners:
            return self.owners[key]
        owner = None
        # A name that ends a longer one the text qualifies otherwise is no label (待机功率≤1W is no 功率).
        if side.head and self._effective(side.qualifier) is None:
            for clean, name, dims in self.names:
                if len(clean) >= 2 and side.head.endswith(clean) and side.q.dimension in dims:
                    owner = name
                    break
        if owner is None and side.q.dims is None:
            q = side.q
            for name, claim in self.claims:
                if (
                    claim.dimension == q.dimension
                    and _meets(q.low, q.low, q.resolution, claim.low, claim.low, claim.resolution)
                    and _meets(q.high, q.high, q.resolution, claim.high, claim.high, claim.resolution)
                ):
                    owner = name
                    break
        self.owners[key] = owner
        return owner

    def _item_verdict(self, side: _Side, spec: _Spec) -> str | tuple[_Side, str] | None:
        """One item's quantity (单颗约300-450g, or a 单果重量 entry) against the product's: compared only as
        the count of items times the item (约4-6颗 × 300-450 g against 净含量 1.8kg), never on its own; and
        not with one package's (单袋净含量), which the page does not say how many items hold."""
        if spec.kind.aspect == "per_unit" or side.aspect == "per_unit":
            return None
        for spec_side in spec.sides:
            if spec_side.q.dimension != side.q.dimension:
                continue
            one, whole = (side, spec_side) if side.aspect == "per_item" else (spec_side, side)
            counts = [(low, high) for unit, low, high in self.items if self._counts_items(one.item, unit)]
            if not counts:
                return None
            for low, high in counts:
                if _meets(
                    one.q.low * low,
                    one.q.high * high,
                    one.q.resolution * high,
                    whole.q.low,
                    whole.q.high,
                    whole.q.resolution,
                ):
                    return "ok"
            return spec_side, f"spec.{side.q.dimension}_mismatch"
        return None

    def _counts_items(self, item: str, unit: str) -> bool:
        """Whether a count of ``unit`` counts the items a quantity is stated for: the same classifier, 个 (which
        counts anything), or any item's for 单果 (which names none)."""
        return not item or item == "*" or item == unit or "个" in (item, unit)

    def _check_cross(self, spec: _Spec, sides: list[_Side], dims: set[str]) -> None:
        """A field with no quantity of the spec's dimension: mass against volume, mAh against Wh."""
        for spec_side in spec.sides:
            dim = spec_side.q.dimension
            if dim in ("mass", "volume") and spec.kind.cross:
                other_dim = "volume" if dim == "mass" else "mass"
                for side in sides:
                    if side.q.dimension != other_dim or not self._targets(side, spec) or self._explained(side, spec):
                        continue
                    if side.aspect == "per_item" or self._owner(side) not in (None, spec.name):
                        continue  # one item (单颗约300g), or a quantity the text says is another entry's
                    if side.qualifier is not None and side.qualifier != spec.kind.qualifier and dim == "volume":
                        continue  # 重量约250g against 容量 350ml: the text says it is the item's weight
                    if side.q.ambiguous_with == dim or spec_side.q.ambiguous_with == other_dim:
                        verdict = self._ambiguous_verdict(side, spec_side)
                        if verdict != "ok":
                            self._add("spec.ambiguous_unit", side, spec_side, spec)
                        continue
                    if _plausible_density(side.q, spec_side.q):
                        self._add("spec.mass_volume_review", side, spec_side, spec)
            elif dim in ("charge", "energy"):
                other_dim = "energy" if dim == "charge" else "charge"
                for side in sides:
                    if side.q.dimension != other_dim or not self._targets(side, spec) or self._explained(side, spec):
                        continue
                    self._charge_energy(spec, spec_side, side)

    def _charge_energy(self, spec: _Spec, spec_side: _Side, side: _Side) -> None:
        charge, energy = (spec_side.q, side.q) if spec_side.q.dimension == "charge" else (side.q, spec_side.q)
        if self.voltages:
            v_low, v_high, known = min(self.voltages), max(self.voltages), True
        else:
            v_low, v_high, known = _CELL_VOLTAGE[0], _CELL_VOLTAGE[1], False
        # mAh × V / 1000 = Wh
        lo, hi = charge.low * v_low / 1000, charge.high * v_high / 1000
        if _meets(lo, hi, charge.resolution * v_high / 1000, energy.low, energy.high, energy.resolution):
            return
        self._add(f"spec.{side.q.dimension}_mismatch" if known else "spec.charge_energy_review", side, spec_side, spec)

    # ---- findings

    def _add(self, rule_id: str, side: _Side, spec_side: _Side, spec: _Spec) -> None:
        rule = self.data.rules[rule_id]
        # One finding per quantity: the first comparison that fails is the one reported, an error before a
        # warning (99.9Wh against 额定能量 74Wh is wrong, whatever a review against 20000mAh would say).
        key = (side.field, side.q.start, side.q.end)
        held = self.findings.get(key)
        if held is not None and (held.severity is Severity.ERROR or rule.severity is not Severity.ERROR):
            return
        message = _message(rule_id, side, spec_side, spec)
        self.findings[key] = Finding(
            rule=rule_id,
            category=Category.SPEC_MISMATCH,
            severity=rule.severity,
            field=side.field,
            start=side.q.start,
            end=side.q.end,
            text=side.q.text,
            message=message,
            citation=rule.citation,
            suggestion=_suggestion(rule_id, side.q, spec_side.q),
            listing_id=self.listing_id,
            related=Related(field=spec_side.field, text=spec_side.q.text, start=spec_side.q.start, end=spec_side.q.end),
        )


def _reread(q: Quantity, dimension: str) -> Quantity | None:
    """``q`` read in the other meaning of its unit (oz as fluid ounce)."""
    alternatives = {("oz", "volume"): "fl oz"}
    symbol = alternatives.get((q.unit, dimension))
    own = unit_info(q.unit)
    info = unit_info(symbol) if symbol else None
    if info is None or own is None:
        return None
    scale = info.factor / own.factor
    return Quantity(
        start=q.start,
        end=q.end,
        text=q.text,
        low=q.low * scale,
        high=q.high * scale,
        unit=info.symbol,
        dimension=info.dimension,
        base_unit=info.base_unit,
        counts=q.counts,
        count=q.count,
        per_unit_low=None if q.per_unit_low is None else q.per_unit_low * scale,
        per_unit_high=None if q.per_unit_high is None else q.per_unit_high * scale,
        per_unit=q.per_unit,
        total=q.total,
        bound=q.bound,
        resolution=q.resolution * scale,
    )


def _plausible_density(a: Quantity, b: Quantity) -> bool:
    """Whether a mass and a volume could be one product's (a density within _DENSITY): 500g against 500ml is
    reviewed, 3.6g of protein against 250ml is about something else. A multipack is read in all and per
    package (205ml*12盒 against 净含量 205g: the carton's 205 ml)."""
    mass, volume = (a, b) if a.dimension == "mass" else (b, a)
    if not (math.isfinite(mass.high) and math.isfinite(volume.high)) or volume.low <= 0:
        return False
    for m in (mass.low, mass.per_unit_low):
        for v in (volume.low, volume.per_unit_low):
            if m is not None and v is not None and v > 0 and _DENSITY[0] <= m / v <= _DENSITY[1]:
                return True
    return False


# --------------------------------------------------------------------------- messages

_DISPLAY_UNITS = {
    "mass": (("g", 1.0), ("kg", 1000.0)),
    "volume": (("ml", 1.0), ("L", 1000.0)),
    "length": (("mm", 1.0), ("cm", 10.0), ("m", 1000.0)),
    "charge": (("mAh", 1.0),),
    "energy": (("Wh", 1.0), ("kWh", 1000.0)),
    "power": (("W", 1.0), ("kW", 1000.0)),
    "data": (("GB", 1.0), ("TB", 1000.0)),
}
_ACCEPTED_DISPLAY = {"g", "kg", "ml", "L", "mm", "cm", "m", "inch", "mAh", "Ah", "Wh", "kWh", "W", "kW", "GB", "TB"}


def _display_unit(q: Quantity) -> tuple[str, float]:
    """The unit both sides of a message are stated in: the spec's own unit when it is a common one."""
    if q.dimension == "count":
        return q.unit, 1.0
    if q.unit in _ACCEPTED_DISPLAY:
        info = unit_info(q.unit)
        if info is not None:
            return ("英寸" if q.unit == "inch" else q.unit), info.factor
    units = _DISPLAY_UNITS.get(q.dimension, ((q.base_unit, 1.0),))
    magnitude = q.low if math.isfinite(q.low) and q.low > 0 else q.high
    chosen = units[0]
    for symbol, factor in units:
        if magnitude >= factor:
            chosen = (symbol, factor)
    return chosen


def _number(x: float) -> str:
    text = f"{x:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def _amount(low: float, high: float, unit: tuple[str, float]) -> str:
    symbol, factor = unit
    if math.isinf(high):
        return f"≥{_number(low / factor)}{symbol}"
    if low == 0 and high > 0:
        return f"≤{_number(high / factor)}{symbol}"
    if low == high:
        return f"{_number(low / factor)}{symbol}"
    return f"{_number(low / factor)}-{_number(high / factor)}{symbol}"


def _describe(q: Quantity, unit: tuple[str, float]) -> str:
    """三斤 -> 三斤（1.5kg）; 500g*2袋 -> 500g*2袋（共1kg）; 1kg in kg -> 1kg."""
    if q.dims is not None:
        return f"{q.text}（{'×'.join(_number(d / unit[1]) for d in q.dims)}{unit[0]}）"
    amount = _amount(q.low, q.high, unit)
    if q.count is not None:
        return f"{q.text}（共{amount}）"
    if "".join(normalize(q.text).split()).lower() == amount.lower():
        return q.text
    return f"{q.text}（{amount}）"


def _message(rule_id: str, side: _Side, spec_side: _Side, spec: _Spec) -> str:
    unit = _display_unit(spec_side.q)
    if spec_side.q.dimension != side.q.dimension:
        spec_text = _describe(spec_side.q, unit)
        text = _describe(side.q, _display_unit(side.q))
    else:
        spec_text, text = _describe(spec_side.q, unit), _describe(side.q, unit)
    where = side.label if not side.field.startswith("specs.") else f"规格表{side.field[6:]}"
    head = f"规格表{spec.name} {spec_text}，{where}写 {text}"
    tails = {
        "spec.net_exceeds_gross": "净含量大于毛重，至少有一处有误",
        "spec.mass_volume_review": "重量与体积无法直接比较（缺少密度），请核对",
        "spec.charge_energy_review": "未标注电压，无法换算 mAh 与 Wh，请核对",
        "spec.ambiguous_unit": "单位含义不明（如 oz 可指重量盎司或液量盎司），请核对",
        "spec.size_review": "该长度不是规格表尺寸中的任何一边，请核对",
    }
    return f"{head}，{tails.get(rule_id, '两者不一致')}"


def _suggestion(rule_id: str, q: Quantity, spec_q: Quantity) -> str | None:
    """The spec's value in the unit the text uses (三斤 against 1kg -> 2斤)."""
    if not rule_id.endswith("_mismatch") or q.count is not None or q.dims is not None or spec_q.dims is not None:
        return None
    if not spec_q.is_point or not math.isfinite(spec_q.low) or q.dimension != spec_q.dimension:
        return None
    info = unit_info(q.unit)
    if info is None:
        return None
    symbol = q.unit if q.unit != "inch" else "英寸"
    return f"{_number(spec_q.low / info.factor)}{symbol}"
