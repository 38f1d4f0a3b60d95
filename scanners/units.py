"""Units and the words around quantities: the data files, compiled once per process.

``data/units.toml`` names every unit with its spellings, its dimension and a pint expression; pint is asked
once, lazily, for the factor of every unit into its dimension's base unit (g, ml, mm, mAh, Wh, W, or a
count), so that extraction only multiplies floats. ``data/quantity_words.toml`` holds the words read
around a quantity: range and multiplication signs, bounds and approximations (约, 左右, 起, 不少于),
共/每 (a total, per package), qualifiers (净重, 毛重, 额定, 电芯) and roles (a gift, a reference amount
such as 每100g, an input condition such as 适用220V). :func:`get_tables` compiles both into the
expressions of :class:`Tables`, which :mod:`scanners.extraction` runs.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from scanners.numerals import ARABIC, CN, INT, MULT, NUMERAL_DIGITS

__all__ = [
    "CONDITION",
    "GIFT",
    "OTHER",
    "PRODUCT",
    "REFERENCE",
    "Ending",
    "Tables",
    "UnitInfo",
    "base_unit",
    "get_tables",
    "pint_factors",
    "unit_info",
    "unit_of",
]

#: Roles of a quantity: what it is about.
PRODUCT = "product"  # the product itself: compared with the spec table
GIFT = "gift"  # 赠50g
REFERENCE = "reference"  # 每100g, 5元/500g
CONDITION = "condition"  # 适用220V, 身高160-175cm, 承重150kg
OTHER = "other"  # sales figures, ordinals, model numbers written with a unit


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A unit of ``data/units.toml`` with its factor into the dimension's base unit."""

    symbol: str
    dimension: str
    factor: float
    base_unit: str
    auxiliary: bool
    ambiguous_with: str | None
    screen_like: bool


def _load_toml(name: str) -> dict[str, Any]:
    with resources.files("scanners.data").joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


def pint_factors(units: Sequence[Mapping[str, Any]], dims: Mapping[str, Any], defs: Iterable[str]) -> list[float]:
    """Ask pint, once, for every unit's factor into its dimension's base unit.

    pint is slow to import (~0.25 s) and slow per conversion, so it is only used here, at load time;
    the extractor multiplies plain floats.
    """
    import pint  # imported lazily: nothing else needs it

    try:
        # pint's own cache of its parsed definition files (in the user's cache folder): ~0.04 s instead of
        # ~0.4 s for every process that scans, CLI runs and Celery workers alike.
        registry: Any = pint.UnitRegistry(cache_folder=":auto:")
    except Exception:  # no usable cache folder (a read-only home, ...): parse the files again
        registry = pint.UnitRegistry()
    for definition in defs:
        registry.define(definition)
    factors = []
    for unit in units:
        base = dims[unit["dimension"]]["pint"]
        factors.append(float(registry.Quantity(1, unit["pint"]).to(base).magnitude))
    return factors


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so 及以上 wins over 以上)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True, slots=True)
class Ending:
    """An expression anchored at the end of a window, with the characters it can end with.

    Most quantities are preceded by none of those characters, and looking at one character is much
    cheaper than running the expression: a speed measure that pays where sentences are new (bench/
    quantity_bench.py: 36.8 µs per real title with it, 40.4 µs without; docs/benchmarks.md).
    """

    pattern: re.Pattern[str]
    last: frozenset[str]
    skip: str = " \t"  # trailing characters the expression allows after its last word

    def search(self, text: str, lo: int, end: int) -> re.Match[str] | None:
        k = end - 1
        while k >= lo and text[k] in self.skip:
            k -= 1
        if k < lo or text[k] not in self.last:
            return None
        return self.pattern.search(text, lo, end)


def _ending(pattern: str, words: Iterable[str], skip: str = " \t") -> Ending:
    return Ending(re.compile(pattern), frozenset(w[-1] for w in words if w), skip)


@dataclass(frozen=True, slots=True)
class Tables:
    units: dict[str, UnitInfo]  # alias (lower-cased unless case-sensitive) -> unit
    by_symbol: dict[str, UnitInfo]
    base_units: dict[str, str]
    atom: re.Pattern[str]
    glued_count: re.Pattern[str]  # a count right after another quantity's unit (15g8盒), same groups as atom
    after_compound_half: re.Pattern[str]
    after_liang: re.Pattern[str]
    after_decimetre_digit: re.Pattern[str]
    after_per: re.Pattern[str]
    after_times: re.Pattern[str]
    after_suffix: re.Pattern[str]
    gap_range: re.Pattern[str]
    gap_times: re.Pattern[str]
    gap_tolerance: re.Pattern[str]
    before_range: Ending
    before_times: Ending
    before_dims: Ending
    before_prefix: Ending
    before_total: Ending
    before_each: Ending
    before_reference: Ending
    before_price: Ending
    before_qualifier: Ending
    after_qualifier: re.Pattern[str]
    qualifier_of: dict[str, str]  # qualifier word -> qualifier
    after_qualifier_of: dict[str, str]
    qualifier_dimensions: dict[str, frozenset[str]]  # qualifier -> the dimensions it may qualify (if limited)
    bound_of: dict[str, str]  # prefix/suffix word -> approx/min/max
    approx_fraction: float
    word_with_one: Ending  # words ending in 一 (统一, 唯一)
    role_pattern: re.Pattern[str]  # one named group per role
    not_roles: re.Pattern[str]
    network_g: re.Pattern[str]
    storage_g: re.Pattern[str]
    unit_first: frozenset[str]  # characters a unit can begin with


@cache
def get_tables() -> Tables:
    """Load the data files and compile every expression (once per process)."""
    units_doc = _load_toml("units.toml")
    words = _load_toml("quantity_words.toml")
    dims: dict[str, Any] = units_doc["dimensions"]
    unit_rows: list[dict[str, Any]] = units_doc["unit"]
    factors = pint_factors(unit_rows, dims, units_doc["pint"]["definitions"])

    units: dict[str, UnitInfo] = {}
    by_symbol: dict[str, UnitInfo] = {}
    alias_patterns: list[tuple[str, str]] = []
    classifiers: list[str] = []
    for row, factor in zip(unit_rows, factors, strict=True):
        dim = row["dimension"]
        info = UnitInfo(
            symbol=row["symbol"],
            dimension=dim,
            factor=factor,
            base_unit=dims[dim]["base"],
            auxiliary=bool(dims[dim].get("auxiliary", False)),
            ambiguous_with=row.get("ambiguous_with"),
            screen_like=bool(row.get("screen_like", False)),
        )
        by_symbol[info.symbol] = info
        case_sensitive = bool(row.get("case_sensitive", False))
        not_before = row.get("not_before", [])
        for alias in row["aliases"]:
            key = alias if case_sensitive else alias.lower()
            if key in units:
                raise ValueError(f"units.toml: alias {alias!r} is defined twice")
            units[key] = info
            body = re.escape(alias)
            if not case_sensitive and alias.isascii():
                body = f"(?i:{body})"
            if alias[-1].isascii() and alias[-1].isalpha():
                # 5ml, not 5mlx (10Wh is matched by the longer Wh); but 500gx2 is a multipack.
                body += "(?:(?![A-Za-z])|(?=[xX][ \t]*[0-9一二三四五六七八九十两]))"
            if not_before:
                body += f"(?!{_alt(not_before)})"
            alias_patterns.append((alias, body))
        if dim == "count":
            classifiers.extend(row["aliases"])

    alias_patterns.sort(key=lambda p: (-len(p[0]), p[0]))
    unit_alt = "|".join(body for _, body in alias_patterns)
    number = rf"(?:(?P<arabic>{ARABIC})(?P<mult>{MULT})?|(?P<cn>{CN}))"
    atom = re.compile(rf"{number}[ \t]?(?P<unit>{unit_alt})")
    classifier = _alt(classifiers)

    interval = words["interval"]
    pack = words["pack"]
    times = _alt(pack["times"])
    qual = words["qualifier"]
    qualifier_of: dict[str, str] = {}
    after_qualifier_of: dict[str, str] = {}
    qualifier_dimensions: dict[str, frozenset[str]] = {}
    for name, entry in qual.items():
        if not isinstance(entry, dict):
            continue
        if "dimensions" in entry:
            qualifier_dimensions[name] = frozenset(entry["dimensions"])
        for word in entry.get("before", []):
            qualifier_of.setdefault(word, name)
        for word in entry.get("after", []):
            after_qualifier_of.setdefault(word, name)
    bound_of = (
        {w: "approx" for w in interval["approx_before"] + interval["approx_after"]}
        | {w: "min" for w in interval["min_before"] + interval["min_after"]}
        | {w: "max" for w in interval["max_before"] + interval["max_after"]}
    )
    role = words["role"]
    window = int(role["window"])
    # Spaces and punctuation end a phrase: a title is a row of phrases separated by spaces.
    phrase = rf"[^\s，。；！？、,;!?()（）【】\[\]]{{0,{window}}}$"
    role_pattern = re.compile(
        "(?:"
        + "|".join(
            f"(?P<{name}>{_alt(role[key])})"
            for name, key in ((GIFT, "gift"), (REFERENCE, "nutrient"), (CONDITION, "condition"), (OTHER, "other"))
        )
        + f"){phrase}"
    )
    unit_first = frozenset(c for alias, _ in alias_patterns for c in (alias[0], alias[0].upper(), alias[0].lower()))
    prefix_words = interval["approx_before"] + interval["min_before"] + interval["max_before"]
    suffix_words = interval["approx_after"] + interval["min_after"] + interval["max_after"]
    # "+" is a lower bound (3斤+) unless another number follows (500g+200g is a sum).
    suffix_alt = "|".join(
        (re.escape(w) + "(?![0-9])") if w == "+" else re.escape(w)
        for w in sorted(set(suffix_words), key=lambda w: (-len(w), w))
    )
    return Tables(
        units=units,
        by_symbol=by_symbol,
        base_units={name: row["base"] for name, row in dims.items()},
        atom=atom,
        glued_count=re.compile(rf"(?P<arabic>[0-9]{{1,4}})(?![0-9])(?P<mult>(?!))?(?P<cn>(?!))?(?P<unit>{classifier})"),
        after_compound_half=re.compile(r"半(?![价年天月个小份])"),
        after_liang=re.compile(rf"(?P<n>[0-9]|[{NUMERAL_DIGITS}两])两"),
        after_decimetre_digit=re.compile(
            rf"(?P<d>[0-9]|[一二三四五六七八九])(?![0-9.]|[{NUMERAL_DIGITS}十]|[ \t]?(?:{unit_alt}))"
        ),
        after_per=re.compile(rf"[ \t]*/[ \t]*(?P<cls>{classifier})"),
        after_times=re.compile(
            rf"[ \t]*(?:{_alt(pack['pack_suffix'])})?[ \t]*(?:{times})[ \t]*(?P<n>{INT})"
            rf"(?![0-9.])[ \t]?(?P<cls>{classifier})?"
        ),
        after_suffix=re.compile(rf"[ \t]?(?P<w>{suffix_alt})"),
        gap_range=re.compile(rf"[ \t]*(?:{_alt(interval['range_between'])})[ \t]*"),
        gap_tolerance=re.compile(r"[ \t]*(?:±|\+/-|\+-)[ \t]*"),
        gap_times=re.compile(rf"[ \t]*(?:{_alt(pack['pack_suffix'])})?[ \t]*(?:{times})[ \t]*"),
        before_range=_ending(
            rf"(?:(?P<arabic>{ARABIC})(?P<mult>{MULT})?|(?P<cn>{CN}))"
            rf"[ \t]*(?:{_alt(interval['range_between'])})[ \t]*$",
            interval["range_between"],
        ),
        before_times=_ending(rf"(?<![0-9A-Za-z.])(?P<n>[0-9]+)[ \t]*(?:{times})[ \t]*$", pack["times"]),
        before_dims=_ending(
            rf"(?<![0-9A-Za-z.])(?P<dims>(?:[0-9]+(?:\.[0-9]+)?[ \t]*(?:{times})[ \t]*){{1,2}})$", pack["times"]
        ),
        before_prefix=_ending(rf"(?P<w>{_alt(prefix_words)})[ \t]*$", prefix_words),
        before_total=_ending(rf"(?:{_alt(pack['total_before'])})[ \t]*$", pack["total_before"]),
        before_each=_ending(rf"(?:每|单)[ \t]*(?P<cls>{classifier})[ \t:：]*$", classifiers, skip=" \t:："),
        before_reference=_ending(rf"(?:{_alt(role['reference'])})[ \t]*$", role["reference"]),
        # A price per amount: ¥29.9/3斤, 19.9元/500g.
        before_price=_ending(r"(?:[¥￥$][ \t]*[0-9][0-9.,]*|[0-9][0-9.,]*[ \t]*(?:元|块))[ \t]*/[ \t]*$", ["/"]),
        before_qualifier=_ending(
            rf"(?P<q>{_alt(qualifier_of)})(?:{_alt(qual['filler'])})*$", [*qualifier_of, *qual["filler"]], skip=""
        ),
        after_qualifier=re.compile(rf"[ \t]?(?!{_alt(qual['not_after'])})(?P<q>{_alt(after_qualifier_of)})"),
        qualifier_of=qualifier_of,
        after_qualifier_of=after_qualifier_of,
        qualifier_dimensions=qualifier_dimensions,
        bound_of=bound_of,
        approx_fraction=float(interval["approx_fraction"]),
        word_with_one=_ending(rf"(?:{_alt(words['numeral']['words_ending_in_one'])})$", ["一"], skip=""),
        role_pattern=role_pattern,
        not_roles=re.compile(_alt(role["not_roles"])),
        # 5G手机 is a network generation, not five grams.
        network_g=re.compile(r"[ \t]?(?:手机|网络|全网通|双模|信号|路由|通信|芯片|套餐|流量|卡|CPE|cpe)"),
        # 256G, 8G+256G, 16G内存 are storage.
        storage_g=re.compile(r"[ \t]?(?:\+|内存|运存|存储|储存|RAM|ROM|ram|rom|固态|硬盘|显存|闪存|U盘|SSD|ssd|版)"),
        unit_first=unit_first,
    )


def unit_info(symbol: str) -> UnitInfo | None:
    """The unit whose canonical symbol is ``symbol`` (as in ``Quantity.unit``), or None."""
    return get_tables().by_symbol.get(symbol)


def base_unit(dimension: str) -> str:
    """The base unit of a dimension (g for mass, ml for volume …)."""
    return get_tables().base_units[dimension]


def unit_of(alias: str) -> UnitInfo | None:
    """The unit of a spelling as it is written (5KG, 5kg), or None."""
    units = get_tables().units
    return units.get(alias) or units.get(alias.lower())
