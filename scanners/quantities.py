"""Quantity extraction: every quantity in a text, with its span in the original text.

``extract_quantities("坚果 500g*2袋 约1斤")`` finds the multipack (1000 g in all, 500 g a bag, 2 bags) and
the approximate 一斤 (450-550 g). Values are intervals in the base unit of their dimension (g, ml, mm,
mAh, Wh, W, or a count): a single value is a point, ranges (3-5kg, 三到五斤), approximations (约4kg,
4kg左右) and bounds (6斤起, 不少于500g) are wider.

How it works, and why so:

* The text is first normalised with a one-to-one character table (full-width digits and letters, dashes,
  traditional numerals), so offsets in the normalised text are offsets in the original text.
* One compiled regular expression, tried where a run of numeral characters begins, finds every *atom*: a
  number followed by a unit. The units, their spellings and their pint expressions live in
  ``data/units.toml``; pint is asked once, lazily, for the factor of every unit into its dimension's base
  unit, and the hot path only multiplies floats.
* Chinese numerals are located by the regular expression (so spans stay exact) and converted by
  ``chinese2digits``, after the two fixes it needs: the colloquial 一千二 (1200, not 1002) and the word 两,
  which is the numeral two before a unit (两斤, 两袋) and the unit liang after a number (三两 = 150 g).
* Anchored expressions around each atom then join atoms into ranges, multipacks (500g*2袋, 2袋×500g,
  500g/袋×2, 10片/盒×3盒, 12×330ml), compounds (一斤半, 1斤2两, 1米8) and L×W×H sizes, and read the words
  around them: bounds and approximations, 共/每 (total or per unit), a qualifier (净重, 毛重, 额定, 电芯)
  and a role (a gift, a reference amount such as 每100g, an input condition such as 适用220V).
"""

from __future__ import annotations

import math
import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache, lru_cache
from importlib import resources
from operator import attrgetter
from typing import Any

import chinese2digits

__all__ = [
    "CONDITION",
    "GIFT",
    "OTHER",
    "PRODUCT",
    "REFERENCE",
    "Quantity",
    "UnitInfo",
    "base_unit",
    "extract_all",
    "extract_quantities",
    "normalize",
    "reading_extent",
    "unit_info",
]

#: Roles of a quantity: what it is about.
PRODUCT = "product"  # the product itself: compared with the spec table
GIFT = "gift"  # 赠50g
REFERENCE = "reference"  # 每100g, 5元/500g
CONDITION = "condition"  # 适用220V, 身高160-175cm, 承重150kg
OTHER = "other"  # sales figures, ordinals, model numbers written with a unit


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity found in a text.

    ``text == original[start:end]``. ``low``/``high`` are in ``base_unit`` (``high`` may be ``inf`` for
    an open bound such as 6斤起). For a multipack they are the total, and ``per_unit_low``/``per_unit_high``
    the measure of one package; ``count`` is the number of packages and ``counts`` their classifier.
    """

    start: int
    end: int
    text: str
    low: float
    high: float
    unit: str  # canonical symbol of the unit as written: "kg" for 公斤, "斤", "ml", "inch" for 寸
    dimension: str  # mass, volume, length, charge, energy, power, count (voltage, data: auxiliary)
    base_unit: str  # the unit of low/high: g, ml, mm, mAh, Wh, W, "" for counts
    counts: str | None = None  # what is counted: the classifier (袋, 盒, 支, 片, 包, 抽 …)
    count: int | None = None  # packages in a multipack (500g*2袋 -> 2)
    per_unit_low: float | None = None  # one package of a multipack or of 500g/袋
    per_unit_high: float | None = None
    per_unit: bool = False  # the quantity is stated per package (500g/袋, 每袋500g)
    total: bool = False  # the quantity is stated as a total (共24盒, a multipack multiplied out)
    bound: str = "exact"  # exact, range, approx, min, max
    resolution: float = 0.0  # place value of the last stated decimal digit, in base unit (0 for integers)
    qualifier: str | None = None  # net, gross, weight, rated, cell, max, output, screen … (from the text)
    role: str = PRODUCT  # product, gift, reference, condition, other
    ambiguous_with: str | None = None  # another dimension the unit may mean (oz: volume)
    dims: tuple[float, ...] | None = None  # the sides of an L×W×H size, in base unit

    @property
    def is_point(self) -> bool:
        """True when the quantity is one value rather than an interval."""
        return self.low == self.high

    @property
    def value(self) -> float | None:
        """The value in base unit when the quantity is a point, else None."""
        return self.low if self.low == self.high else None


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


# --------------------------------------------------------------------------- normalisation

# One code point to one code point, so that offsets survive: full-width ASCII, dashes and tildes,
# multiplication signs, traditional and financial numerals.
_NORMALISE_PAIRS: dict[str, str] = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_NORMALISE_PAIRS.update(
    {
        "\u3000": " ",
        "\u00a0": " ",
        "\u2014": "-",
        "\u2013": "-",
        "\u2012": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u301c": "~",
        "\u223c": "~",
        "\u00d7": "*",
        "\u2715": "*",
        "\u2716": "*",
        "\u2573": "*",
        "\u3007": "零",
        "壹": "一",
        "贰": "二",
        "貳": "二",
        "叁": "三",
        "參": "三",
        "肆": "四",
        "伍": "五",
        "陆": "六",
        "陸": "六",
        "柒": "七",
        "捌": "八",
        "玖": "九",
        "拾": "十",
        "佰": "百",
        "仟": "千",
        "萬": "万",
        "兩": "两",
        "億": "亿",
        "\u2033": "″",
    }
)
# Full-width punctuation of ordinary Chinese prose stays as it is (the expressions accept both forms),
# so that most texts need no translation at all; the full-width comma is a clause break, never a
# thousands separator.
for _c in "，：；！？（）":
    del _NORMALISE_PAIRS[_c]
_NORMALISE_TABLE = str.maketrans(_NORMALISE_PAIRS)
# str.translate looks every character up in a dict; most texts need no change at all, and a character
# class finds that out at C speed.
_NEEDS_NORMALISING = re.compile("[" + "".join(re.escape(c) for c in _NORMALISE_PAIRS) + "]")


def normalize(text: str) -> str:
    """Return ``text`` with full-width forms, dashes and traditional numerals folded, same length."""
    if _NEEDS_NORMALISING.search(text) is None:
        return text
    return text.translate(_NORMALISE_TABLE)


# --------------------------------------------------------------------------- data tables


def _load_toml(name: str) -> dict[str, Any]:
    with resources.files("scanners.data").joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


def _pint_factors(units: Sequence[Mapping[str, Any]], dims: Mapping[str, Any], defs: Iterable[str]) -> list[float]:
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


_NUMERAL_DIGITS = "零一二三四五六七八九"
_CN_DIGIT_VALUE = {c: i for i, c in enumerate(_NUMERAL_DIGITS)} | {"两": 2}

# An Arabic number: not glued to a word or another number on its left (iPhone15, X200, 1.5's "5").
# "x"/"X" may precede it: 2袋x500g. Whether such an atom stands is decided later.
_ARABIC = r"(?<![0-9A-WYZa-wyz.])(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+(?:\.[0-9]+)?)"
# 万 and 千 multiply an Arabic number (2万毫安, 5千毫安) unless they begin a unit (5千克, 3千瓦);
# W is the internet shorthand for 万 before a charge unit (2W毫安).
_MULT = r"(?:万|千(?![克瓦米伏])|[wW](?=\s?(?:毫安|[mM][aA][hH])))"
# One character of a Chinese numeral. 两 is the numeral only first or after 百千万亿零 (两斤, 一千两百);
# after another digit (三两, 十两) it is the unit liang.
_CN_CHAR = r"(?:[零一二三四五六七八九十百万亿]|千(?![克瓦米伏])|(?<=[百千万亿零])两)"
_CN = rf"(?:半|(?:两|{_CN_CHAR}){_CN_CHAR}*(?:点[{_NUMERAL_DIGITS}]+)?)"
_INT = r"(?:[0-9]+|[一二三四五六七八九十两]{1,3})"


@dataclass(frozen=True, slots=True)
class _Ending:
    """An expression anchored at the end of a window, with the characters it can end with.

    Most quantities are preceded by none of those characters, and looking at one character is much
    cheaper than running the expression.
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


def _ending(pattern: str, words: Iterable[str], skip: str = " \t") -> _Ending:
    return _Ending(re.compile(pattern), frozenset(w[-1] for w in words if w), skip)


@dataclass(frozen=True, slots=True)
class _Tables:
    units: dict[str, UnitInfo]  # alias (lower-cased unless case-sensitive) -> unit
    by_symbol: dict[str, UnitInfo]
    base_units: dict[str, str]
    atom: re.Pattern[str]
    after_compound_half: re.Pattern[str]
    after_liang: re.Pattern[str]
    after_decimetre_digit: re.Pattern[str]
    after_per: re.Pattern[str]
    after_times: re.Pattern[str]
    after_suffix: re.Pattern[str]
    gap_range: re.Pattern[str]
    gap_times: re.Pattern[str]
    gap_tolerance: re.Pattern[str]
    before_range: _Ending
    before_times: _Ending
    before_dims: _Ending
    before_prefix: _Ending
    before_total: _Ending
    before_each: _Ending
    before_reference: _Ending
    before_price: _Ending
    before_qualifier: _Ending
    after_qualifier: re.Pattern[str]
    qualifier_of: dict[str, str]  # qualifier word -> qualifier
    after_qualifier_of: dict[str, str]
    bound_of: dict[str, str]  # prefix/suffix word -> approx/min/max
    approx_fraction: float
    word_with_one: _Ending  # words ending in 一 (统一, 唯一)
    role_pattern: re.Pattern[str]  # one named group per role
    role_chars: frozenset[str]  # every character of every role word
    not_roles: re.Pattern[str]
    network_g: re.Pattern[str]
    storage_g: re.Pattern[str]
    unit_first: frozenset[str]  # characters a unit can begin with


@cache
def _tables() -> _Tables:
    """Load the data files and compile every expression (once per process)."""
    units_doc = _load_toml("units.toml")
    words = _load_toml("quantity_words.toml")
    dims: dict[str, Any] = units_doc["dimensions"]
    unit_rows: list[dict[str, Any]] = units_doc["unit"]
    factors = _pint_factors(unit_rows, dims, units_doc["pint"]["definitions"])

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
    number = rf"(?:(?P<arabic>{_ARABIC})(?P<mult>{_MULT})?|(?P<cn>{_CN}))"
    atom = re.compile(rf"{number}[ \t]?(?P<unit>{unit_alt})")
    classifier = _alt(classifiers)

    interval = words["interval"]
    pack = words["pack"]
    times = _alt(pack["times"])
    qual = words["qualifier"]
    qualifier_of: dict[str, str] = {}
    after_qualifier_of: dict[str, str] = {}
    for name, entry in qual.items():
        if not isinstance(entry, dict):
            continue
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
    return _Tables(
        units=units,
        by_symbol=by_symbol,
        base_units={name: row["base"] for name, row in dims.items()},
        atom=atom,
        after_compound_half=re.compile(r"半(?![价年天月个小份])"),
        after_liang=re.compile(rf"(?P<n>[0-9]|[{_NUMERAL_DIGITS}两])两"),
        after_decimetre_digit=re.compile(
            rf"(?P<d>[0-9]|[一二三四五六七八九])(?![0-9.]|[{_NUMERAL_DIGITS}十]|[ \t]?(?:{unit_alt}))"
        ),
        after_per=re.compile(rf"[ \t]*/[ \t]*(?P<cls>{classifier})"),
        after_times=re.compile(
            rf"[ \t]*(?:{_alt(pack['pack_suffix'])})?[ \t]*(?:{times})[ \t]*(?P<n>{_INT})"
            rf"(?![0-9.])[ \t]?(?P<cls>{classifier})?"
        ),
        after_suffix=re.compile(rf"[ \t]?(?P<w>{suffix_alt})"),
        gap_range=re.compile(rf"[ \t]*(?:{_alt(interval['range_between'])})[ \t]*"),
        gap_tolerance=re.compile(r"[ \t]*(?:±|\+/-|\+-)[ \t]*"),
        gap_times=re.compile(rf"[ \t]*(?:{_alt(pack['pack_suffix'])})?[ \t]*(?:{times})[ \t]*"),
        before_range=_ending(
            rf"(?:(?P<arabic>{_ARABIC})(?P<mult>{_MULT})?|(?P<cn>{_CN}))"
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
        after_qualifier=re.compile(rf"[ \t]?(?P<q>{_alt(after_qualifier_of)})"),
        qualifier_of=qualifier_of,
        after_qualifier_of=after_qualifier_of,
        bound_of=bound_of,
        approx_fraction=float(interval["approx_fraction"]),
        word_with_one=_ending(rf"(?:{_alt(words['numeral']['words_ending_in_one'])})$", ["一"], skip=""),
        role_pattern=role_pattern,
        role_chars=frozenset("".join(role["gift"] + role["nutrient"] + role["condition"] + role["other"])),
        not_roles=re.compile(_alt(role["not_roles"])),
        # 5G手机 is a network generation, not five grams.
        network_g=re.compile(r"[ \t]?(?:手机|网络|全网通|双模|信号|路由|通信|芯片|套餐|流量|卡|CPE|cpe)"),
        # 256G, 8G+256G, 16G内存 are storage.
        storage_g=re.compile(r"[ \t]?(?:\+|内存|运存|存储|储存|RAM|ROM|ram|rom|固态|硬盘|显存|闪存|U盘|SSD|ssd|版)"),
        unit_first=unit_first,
    )


def unit_info(symbol: str) -> UnitInfo | None:
    """The unit whose canonical symbol is ``symbol`` (as in ``Quantity.unit``), or None."""
    return _tables().by_symbol.get(symbol)


def base_unit(dimension: str) -> str:
    """The base unit of a dimension (g for mass, ml for volume …)."""
    return _tables().base_units[dimension]


# --------------------------------------------------------------------------- numerals


def _decimals(digits: str) -> int:
    return len(digits.split(".", 1)[1]) if "." in digits else 0


@lru_cache(maxsize=1024)
def _chinese_value(numeral: str) -> tuple[float, float, float] | None:
    """(low, high, resolution) of a Chinese numeral; low < high for 三五 (three to five).

    chinese2digits converts the numeral once the two readings it gets wrong are set aside: the
    colloquial 一千二 / 两万五 (chinese2digits: 1002 / 20005) gets its missing unit back, and two plain
    digits in a row (三五, 七八, 两三) are a range in speech, not 35.
    """
    if numeral == "半":
        return 0.5, 0.5, 0.0
    plain = [_CN_DIGIT_VALUE.get(c) for c in numeral]
    if len(numeral) == 2 and None not in plain:
        a, b = plain[0], plain[1]
        assert a is not None and b is not None
        if 0 < a < b <= a + 2:
            return float(a), float(b), 0.0
    # 十五六 -> 15-16
    if len(numeral) == 3 and numeral[0] == "十" and None not in plain[1:]:
        a, b = plain[1], plain[2]
        assert a is not None and b is not None
        if 0 < a < b == a + 1:
            return 10.0 + a, 10.0 + b, 0.0
    text = numeral
    lower = {"万": "千", "千": "百", "百": "十"}
    if len(text) >= 3 and text[-2] in lower and text[-1] in _CN_DIGIT_VALUE and text[-1] != "零":
        text += lower[text[-2]]
    try:
        converted = chinese2digits.chineseToDigits(text)
        value = float(converted)
    except Exception:  # chinese2digits raises assorted errors on odd runs (万万, 零点); no number then
        return None
    if not math.isfinite(value):
        return None
    resolution = 10.0 ** -_decimals(str(converted)) if "点" in numeral else 0.0
    return value, value, resolution


_MULT_SCALE = {"万": 10000.0, "千": 1000.0, "w": 10000.0, "W": 10000.0}


def _number(arabic: str | None, mult: str | None, cn: str | None) -> tuple[float, float, float] | None:
    """(low, high, resolution) of a matched number, in the unit it is written with."""
    if arabic:
        digits = arabic.replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            return None
        if not math.isfinite(value):
            return None
        resolution = 10.0 ** -_decimals(digits) if "." in digits else 0.0
        if mult:
            scale = _MULT_SCALE[mult]
            return value * scale, value * scale, resolution * scale
        return value, value, resolution
    if cn:
        return _chinese_value(cn)
    return None


def _match_number(m: re.Match[str]) -> tuple[float, float, float] | None:
    return _number(m.group("arabic"), m.group("mult"), m.group("cn"))


def _int_value(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    parsed = _chinese_value(token)
    if parsed is None or parsed[0] != parsed[1] or parsed[0] != int(parsed[0]):
        return None
    return int(parsed[0])


# --------------------------------------------------------------------------- extraction


@dataclass(slots=True)
class _Atom:
    start: int  # start of the expression (may move left for ranges, prefixes, multipacks)
    end: int
    num_start: int  # where the number begins (qualifiers and roles are read before it)
    low: float  # in the written unit
    high: float
    resolution: float
    unit: UnitInfo
    glued_x: bool  # preceded by x/X: only valid as the second half of a multipack (2袋x500g)
    scale: float  # the multiplier written after the number (2万毫安: 10000), else 1


def _atoms(norm: str) -> list[_Atom]:
    tables = _tables()
    units, word_with_one = tables.units, tables.word_with_one
    atoms: list[_Atom] = []
    for m in _atom_matches(norm, tables):
        arabic, mult, cn = m.group("arabic", "mult", "cn")
        parsed = _number(arabic, mult, cn)
        if parsed is None:
            continue
        alias = m.group("unit")
        unit = units.get(alias) or units.get(alias.lower())
        if unit is None:
            continue
        start = m.start()
        low, high, res = parsed
        if norm[start] == "一" and word_with_one.search(norm, max(0, start - 4), start + 1):
            continue  # 统一袋装, 唯一一款: 一 ends a word here, it is no numeral
        if unit.dimension == "count":
            spaced = norm[m.start("unit") - 1] in " \t"
            if spaced or low != int(low) or high != int(high):
                continue  # 1.5袋 is no count; in "11.11 双11" 双 is no classifier
        if alias == "g" or alias == "G":
            unit = _storage_or_mass(norm, m, unit, low)
            if unit is None:
                continue
        glued_x = start > 0 and norm[start - 1] in "xX" and not _times_x(norm, start - 1)
        if start > 1 and norm[start - 1] in "-_" and norm[start - 2].isascii() and norm[start - 2].isalpha():
            # XR-500W: part of a model number.
            glued_x = True
        scale = _MULT_SCALE.get(mult, 1.0) if mult else 1.0
        atoms.append(_Atom(start, m.end(), start, low, high, res, unit, glued_x, scale))
    return atoms


def _times_x(norm: str, x: int) -> bool:
    """Whether the x at ``x`` is a multiplication sign: it follows a number that is not itself part of a
    model name (70x140cm, 2x500g), unlike X200W or A1x200W."""
    k = x
    while k > 0 and (norm[k - 1].isdigit() or norm[k - 1] == "."):
        k -= 1
    if k == x:
        return False
    if k > 0 and norm[k - 1] in "xX":
        return _times_x(norm, k - 1)  # 40x30x20cm
    return not (k > 0 and norm[k - 1].isascii() and (norm[k - 1].isalpha() or norm[k - 1] in "-_"))


# Every atom begins with a numeral character. Scanning for runs of them first and trying the atom
# expression only there gives the same matches as atom.finditer() (leftmost first, no overlaps) at a
# fraction of the cost: the atom expression's leading lookbehinds defeat re's fast prefix scan.
_NUMERAL_CLASS = "[0-9.,零一二三四五六七八九十百千万亿两半点]"
_NUMERAL_RUN = re.compile(_NUMERAL_CLASS + "+")


def _candidate_runs(norm: str, unit_first: frozenset[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of the runs of numeral characters an atom may begin in: a unit follows (after at
    most one space or tab), or 两 follows the run's first character (三两). No atom begins elsewhere."""
    return [m.span() for m in _candidate_pattern(unit_first).finditer(norm)]


@lru_cache(maxsize=4)
def _candidate_pattern(unit_first: frozenset[str]) -> re.Pattern[str]:
    # Whole runs of _NUMERAL_RUN (the look-behind after the first character, and the possessive *+), then
    # what follows the run (2024年, 99%, 11月 are no quantities) or what it holds. Starting with the class
    # lets re skip to the next numeral character at C speed.
    n = _NUMERAL_CLASS
    units = "".join(re.escape(c) for c in sorted(unit_first))
    return re.compile(rf"{n}(?<!{n}{n})(?:{n}*+(?=[ \t]?[{units}])|(?={n}*?两){n}*+)")


def _atom_matches(norm: str, tables: _Tables) -> list[re.Match[str]]:
    atom = tables.atom
    resume = 0
    found: list[re.Match[str]] = []
    for start, end in _candidate_runs(norm, tables.unit_first):
        p = max(start, resume)
        while p < end:
            m = atom.match(norm, p)
            if m is None:
                p += 1
                continue
            found.append(m)
            resume = p = m.end()
    return found


_STORAGE_SIZES = frozenset({1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128, 256, 512, 1024, 2048})


def _storage_or_mass(norm: str, m: re.Match[str], unit: UnitInfo, value: float) -> UnitInfo | None:
    """Tell 500g (mass) from 256G (storage) and 5G (a network); None when it is no quantity."""
    alias = m.group("unit")
    if alias not in ("g", "G"):
        return unit
    tables = _tables()
    after = m.end()
    if value in (2, 3, 4, 5) and tables.network_g.match(norm, after):
        return None
    if alias == "G":
        before_plus = m.start() > 0 and norm[m.start() - 1] == "+"
        if before_plus or tables.storage_g.match(norm, after) or value in _STORAGE_SIZES:
            return tables.by_symbol["GB"]
        # 2.4G / 5.8G are radio bands, 4G / 5G networks: grams only where the text speaks of weight.
        if value in (2, 2.4, 3, 4, 5, 5.2, 5.8) and not _has_mass_context(norm, m.start()):
            return None
    return unit


def _has_mass_context(norm: str, pos: int) -> bool:
    return any(w in norm[max(0, pos - 6) : pos] for w in ("净含量", "重", "克"))


def _extend_compound(norm: str, atom: _Atom) -> None:
    """一斤半, 1斤2两, 一米八: a second number that refines the first."""
    tables = _tables()
    unit = atom.unit
    if unit.dimension in ("mass", "length", "volume"):
        m = tables.after_compound_half.match(norm, atom.end)
        if m and atom.low == atom.high and atom.low == int(atom.low) and atom.low >= 1:
            atom.low += 0.5
            atom.high += 0.5
            atom.end = m.end()
            return
    if unit.symbol == "斤":
        m = tables.after_liang.match(norm, atom.end)
        if m:
            n = _int_value(m.group("n"))
            if n is not None:
                atom.low += n / 10
                atom.high += n / 10
                atom.resolution = 0.0
                atom.end = m.end()
                return
    if unit.symbol in ("m", "尺") and atom.low == atom.high and atom.low == int(atom.low):
        m = tables.after_decimetre_digit.match(norm, atom.end)
        if m:
            d = _int_value(m.group("d"))
            if d is not None:
                atom.low += d / 10
                atom.high += d / 10
                atom.resolution = 0.1
                atom.end = m.end()


@dataclass(slots=True)
class _Draft:
    """A quantity being assembled from one or more atoms."""

    start: int
    end: int
    num_start: int
    low: float  # base unit, total
    high: float
    resolution: float
    unit: UnitInfo
    counts: str | None = None
    count: int | None = None
    per_low: float | None = None
    per_high: float | None = None
    per_unit: bool = False
    total: bool = False
    bound: str = "exact"
    dims: tuple[float, ...] | None = None


def _draft(atom: _Atom) -> _Draft:
    unit = atom.unit
    f = unit.factor
    low, high = atom.low, atom.high
    d = _Draft(atom.start, atom.end, atom.num_start, low * f, high * f, atom.resolution * f, unit)
    if unit.dimension == "count":
        d.counts = unit.symbol
    if low != high:
        d.bound = "range"
    return d


def _assemble(norm: str) -> list[_Draft]:
    """Join atoms into ranges, multipacks and sizes; left to right, each character used once."""
    atoms = _atoms(norm)
    for atom in atoms:
        _extend_compound(norm, atom)
    drafts: list[_Draft] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        floor = drafts[-1].end if drafts else 0
        if atom.start < floor:
            i += 1  # already part of the previous quantity
            continue
        spoken = _spoken_range(norm, atom)
        if spoken is not None:
            d: _Draft | None
            d, used = spoken, 1
        else:
            d, used = _join(norm, atoms, i)
        i += used
        if d is None:
            continue  # X200W, XR-500W: part of a model name
        if d.dims is None and d.count is None:
            _extend_left(norm, d, floor, atom)
            _extend_right(norm, d)
        elif d.count is not None:
            _extend_right_times(norm, d)
        _finish(norm, d, floor)
        drafts.append(d)
    return drafts


def _spoken_range(norm: str, atom: _Atom) -> _Draft | None:
    """一两斤, 一两个: "one or two" of the following unit, not one liang."""
    if atom.unit.symbol != "两" or atom.low != 1:
        return None
    follow = _tables().atom.match(norm, atom.num_start + 1)
    if follow is None or follow.start("unit") != atom.end:
        return None
    unit = _unit_of(follow.group("unit"))
    if unit is None or unit.symbol == "两":
        return None
    return _Draft(
        start=atom.start,
        end=follow.end(),
        num_start=atom.start,
        low=unit.factor,
        high=2 * unit.factor,
        resolution=0.0,
        unit=unit,
        counts=unit.symbol if unit.dimension == "count" else None,
        bound="range",
    )


def _join(norm: str, atoms: list[_Atom], i: int) -> tuple[_Draft | None, int]:
    """The quantity that starts with ``atoms[i]``, joined with the atoms that follow it by a range sign
    (3kg-5kg) or a multiplication sign (500g*2袋, 2袋×500g, 100抽×3包, 30cm×20cm×10cm); and how many atoms
    it used. None when the atom is glued to a model name."""
    tables = _tables()
    atom = atoms[i]
    d = _draft(atom)
    nxt = atoms[i + 1] if i + 1 < len(atoms) else None
    if nxt is None or nxt.start < d.end:
        return (None if atom.glued_x else d), 1
    dim, next_dim = atom.unit.dimension, nxt.unit.dimension
    if tables.gap_range.fullmatch(norm, d.end, nxt.start) and next_dim == dim and dim != "count":
        high = nxt.high * nxt.unit.factor
        if d.low <= high and not atom.glued_x:
            d.high, d.end, d.bound = high, nxt.end, "range"
            d.resolution = max(d.resolution, nxt.resolution * nxt.unit.factor)
            return d, 2
    if tables.gap_tolerance.fullmatch(norm, d.end, nxt.start) and next_dim == dim and not atom.glued_x:
        # 1.5kg±0.1kg: a stated tolerance widens the interval.
        spread = nxt.high * nxt.unit.factor
        d.low, d.high, d.end, d.bound = max(0.0, d.low - spread), d.high + spread, nxt.end, "range"
        return d, 2
    if not tables.gap_times.fullmatch(norm, d.end, nxt.start):
        return (None if atom.glued_x else d), 1
    if _is_pack_pair(atom, nxt):
        # The count is the second atom (500g*2袋, and 100抽×3包 where 抽 is what a package holds)
        # unless only the first is a count (2袋×500g).
        measure, pack = (nxt, atom) if dim == "count" and next_dim != "count" else (atom, nxt)
        count = _as_count(pack)
        if count is not None:
            return _pack_draft(measure, count, pack.unit.symbol, atom.start, nxt.end), 2
    if dim == "length" and next_dim == "length" and not atom.glued_x:
        # 30cm×20cm(×10cm): the sides of a size.
        sides = [atom.high * atom.unit.factor, nxt.high * nxt.unit.factor]
        end, used = nxt.end, 2
        third = atoms[i + 2] if i + 2 < len(atoms) else None
        if (
            third is not None
            and third.unit.dimension == "length"
            and tables.gap_times.fullmatch(norm, end, third.start)
        ):
            sides.append(third.high * third.unit.factor)
            end, used = third.end, 3
        return _dims_draft(d, tuple(sides), end), used
    return (None if atom.glued_x else d), 1


def _unit_of(alias: str) -> UnitInfo | None:
    units = _tables().units
    return units.get(alias) or units.get(alias.lower())


def _is_pack_pair(a: _Atom, b: _Atom) -> bool:
    """500g*2袋, 2袋×500g, 100抽×3包: one side is an integer count of packages."""
    if a.unit.dimension == "count" and b.unit.dimension == "count":
        return _as_count(b) is not None and a.unit.symbol != b.unit.symbol
    if b.unit.dimension == "count":
        return _as_count(b) is not None and a.unit.dimension not in ("voltage", "data")
    if a.unit.dimension == "count":
        return _as_count(a) is not None and b.unit.dimension not in ("voltage", "data")
    return False


def _as_count(atom: _Atom) -> int | None:
    if atom.unit.dimension != "count" or atom.low != atom.high or atom.low != int(atom.low) or atom.low < 1:
        return None
    return int(atom.low)


def _pack_draft(measure: _Atom, count: int, classifier: str, start: int, end: int) -> _Draft:
    f = measure.unit.factor
    per_low, per_high = measure.low * f, measure.high * f
    return _Draft(
        start=start,
        end=end,
        num_start=start,
        low=per_low * count,
        high=per_high * count,
        resolution=measure.resolution * f,
        unit=measure.unit,
        counts=classifier,
        count=count,
        per_low=per_low,
        per_high=per_high,
        total=True,
        bound="range" if per_low != per_high else "exact",
    )


def _dims_draft(d: _Draft, sides: tuple[float, ...], end: int) -> _Draft:
    return _Draft(
        start=d.start,
        end=end,
        num_start=d.num_start,
        low=min(sides),
        high=max(sides),
        resolution=d.resolution,
        unit=d.unit,
        bound="exact",
        dims=sides,
    )


def _extend_left(norm: str, d: _Draft, floor: int, atom: _Atom) -> None:
    """Numbers before the atom: 3-5kg (a range), 12×330ml (a multipack), 30×20×10cm (a size)."""
    tables = _tables()
    lo = max(floor, d.start - 40)
    if d.unit.dimension == "length":
        m = tables.before_dims.search(norm, lo, d.start)
        if m:
            sides = [float(x) * d.unit.factor for x in re.findall(r"[0-9]+(?:\.[0-9]+)?", m.group("dims"))]
            sides.append(d.high)
            d.dims = tuple(sides)
            d.low, d.high = min(sides), max(sides)
            d.start = d.num_start = m.start()
            return
    m = tables.before_range.search(norm, lo, d.start)
    if m and d.bound == "exact":
        parsed = _match_number(m)
        # 1-2万毫安: the multiplier of the second number applies to the first.
        scale = atom.scale if not m.group("mult") else 1.0
        if parsed is not None and parsed[0] == parsed[1] and parsed[0] * scale * d.unit.factor <= d.low:
            d.low = parsed[0] * scale * d.unit.factor
            d.bound = "range"
            d.start = d.num_start = m.start()
            return
    if d.unit.dimension != "count":
        m = tables.before_times.search(norm, lo, d.start)
        if m:
            count = int(m.group("n"))
            if 1 <= count <= 1000:
                d.per_low, d.per_high = d.low, d.high
                d.low *= count
                d.high *= count
                d.count = count
                d.total = True
                d.start = d.num_start = m.start()


def _extend_right(norm: str, d: _Draft) -> None:
    """After the atom: 500g/袋 (per unit), 500g*2袋 and 500g/袋×2 (multipacks)."""
    tables = _tables()
    pos = d.end
    m = tables.after_per.match(norm, pos)
    if m:
        d.per_unit = True
        d.counts = m.group("cls")
        d.end = m.end()
    if d.unit.dimension in ("voltage", "data"):
        return
    _extend_right_times(norm, d)


def _extend_right_times(norm: str, d: _Draft) -> None:
    tables = _tables()
    if d.dims is not None:
        return
    while True:
        m = tables.after_times.match(norm, d.end)
        if not m:
            return
        count = _int_value(m.group("n"))
        cls = m.group("cls")
        if count is None or count < 1 or count > 10000:
            return
        # 30cm×20: not a multipack of lengths unless a classifier says so (1.5m×2根).
        if d.unit.dimension == "length" and cls is None:
            return
        # Never read the number of a following quantity as a count (500g×2kg).
        if cls is None and _tables().atom.match(norm, m.start("n")):
            return
        if d.count is None:
            d.per_low, d.per_high = (d.low, d.high)
            d.count = count
        else:
            d.count *= count
        d.low *= count
        d.high *= count
        d.per_unit = False
        d.total = True
        if cls is not None:
            d.counts = cls
        elif d.counts is None and d.unit.dimension == "count":
            d.counts = d.unit.symbol
        d.end = m.end()


def _finish(norm: str, d: _Draft, floor: int) -> None:
    """Read the words around the quantity: bounds and approximations, 共 (a total), 每袋 (per package)."""
    tables = _tables()
    # Suffixes: 左右, 起, 以上, 以内 …
    m = tables.after_suffix.match(norm, d.end)
    if m and d.bound in ("exact", "range"):
        kind = tables.bound_of[m.group("w")]
        if not (m.group("w") == "起" and d.unit.dimension == "count"):
            _apply_bound(d, kind, tables.approx_fraction)
            d.end = m.end()
    # Prefixes: 约, 不少于, ≥ …
    m = tables.before_prefix.search(norm, max(floor, d.start - 8), d.start)
    if m and d.bound in ("exact", "range"):
        _apply_bound(d, tables.bound_of[m.group("w")], tables.approx_fraction)
        d.start = m.start()
    # 共24盒: a stated total. 每袋500g: per package.
    head = max(floor, d.start - 8)
    if tables.before_total.search(norm, head, d.start):
        d.total = True
    m = tables.before_each.search(norm, head, d.start)
    if m and d.count is None:
        d.per_unit = True
        d.counts = m.group("cls")


def _apply_bound(d: _Draft, kind: str, fraction: float) -> None:
    if kind == "approx":
        d.low *= 1 - fraction
        d.high *= 1 + fraction
    elif kind == "min":
        d.high = math.inf
    elif kind == "max":
        d.low = 0.0
    d.bound = kind


def _role(norm: str, d: _Draft) -> str:
    tables = _tables()
    k = d.num_start
    if tables.before_reference.search(norm, max(0, k - 3), k) or tables.before_price.search(norm, max(0, k - 16), k):
        return REFERENCE
    window = norm[max(0, k - 12) : k]
    if tables.role_chars.isdisjoint(window):
        return PRODUCT  # no character of any role word: the common case, and much cheaper than the search
    m = tables.role_pattern.search(window)
    if m and tables.not_roles.search(window):
        # 送礼 is no gift, 满满 no threshold: blank such words out and look again.
        window = tables.not_roles.sub(lambda w: " " * len(w.group()), window)
        m = tables.role_pattern.search(window)
    return m.lastgroup or PRODUCT if m else PRODUCT


def _qualifier(norm: str, d: _Draft) -> str | None:
    tables = _tables()
    m = tables.before_qualifier.search(norm, max(0, d.num_start - 12), d.num_start)
    if m:
        return tables.qualifier_of[m.group("q")]
    m = tables.after_qualifier.match(norm, d.end)
    if m:
        return tables.after_qualifier_of[m.group("q")]
    return None


def _to_quantity(original: str, norm: str, d: _Draft) -> Quantity:
    unit = d.unit
    return Quantity(
        d.start,
        d.end,
        original[d.start : d.end],
        d.low,
        d.high,
        unit.symbol,
        unit.dimension,
        unit.base_unit,
        d.counts,
        d.count,
        d.per_low,
        d.per_high,
        d.per_unit,
        d.total,
        d.bound,
        d.resolution,
        _qualifier(norm, d),
        _role(norm, d),
        unit.ambiguous_with,
        d.dims,
    )


_AUXILIARY = frozenset({"voltage", "data"})


@lru_cache(maxsize=8192)
def _extract_head(text: str) -> tuple[Quantity, ...]:
    norm = normalize(text)
    return tuple(_to_quantity(text, norm, d) for d in _assemble(norm))


# The tail of a text after its last candidate run (_candidate_runs) and then a CJK character that no
# expression, word list or table of the extractor contains (an *inert* character) cannot change what is
# extracted: no atom begins in it, and every read to the right of a quantity (units, 左右, ×2袋, 毛重 …)
# would have to match the inert character to go on, which nothing but a wildcard can; reads to the left
# end at a quantity. So the tail is cut off before the cache is asked: "坚果礼盒 500g 2024新款 家用 …"
# is extracted as "坚果礼盒 500g 2024" (新 is inert), and titles that differ after their quantities share
# one entry. Checked at load time: if an expression read to the right had a wildcard (., [^…], \w, \S,
# \W, \D, a non-ASCII range), nothing would be cut.
_CODE_CHARS = "一二两半点十百千万亿零净含量重克斤尺米起"  # literals of the code itself (also in the expressions)


def _wildcard(source: str) -> bool:
    """Whether a regular expression may match characters it does not name."""
    i, n, in_class, prev = 0, len(source), False, ""
    while i < n:
        c = source[i]
        if c == "\\":
            nxt = source[i + 1 : i + 2]
            if nxt in ("w", "W", "S", "D", "d", "u", "U", "x", "N") or nxt.isdigit():
                return True  # classes of characters, and characters by code (which may start a range)
            prev = nxt
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            elif c == "-" and prev and i + 1 < n and source[i + 1] != "]":
                high = source[i + 2] if source[i + 1] == "\\" and i + 2 < n else source[i + 1]
                if not (prev.isascii() and high.isascii()):
                    return True
        elif c == "[":
            if source[i + 1 : i + 2] == "^":
                return True
            in_class = True
            if source[i + 1 : i + 2] == "]":
                i += 1  # a literal ] first in a class
            prev = ""
            i += 1
            continue
        elif c == ".":
            return True
        prev = c
        i += 1
    return False


def _vocabulary(tables: _Tables) -> tuple[frozenset[str], bool]:
    """Every character the extractor's expressions, word lists and tables mention; and whether an
    expression other than the role words' (read to the left only) has a wildcard."""
    chars: set[str] = set(_CODE_CHARS)
    wild = False

    def add(obj: object, name: str) -> None:
        nonlocal wild
        if isinstance(obj, str):
            chars.update(obj)
        elif isinstance(obj, re.Pattern):
            chars.update(obj.pattern)
            if name != "role_pattern" and _wildcard(obj.pattern):
                wild = True
        elif isinstance(obj, _Ending):
            add(obj.pattern, name)
            add(obj.last, name)
            add(obj.skip, name)
        elif isinstance(obj, UnitInfo):
            add(obj.symbol, name)
        elif isinstance(obj, Mapping):
            for k, v in obj.items():
                add(k, name)
                add(v, name)
        elif isinstance(obj, frozenset | set | tuple | list):
            for x in obj:
                add(x, name)

    for f in fields(tables):
        add(getattr(tables, f.name), f.name)
    add(_NORMALISE_PAIRS, "normalise")
    add(_NUMERAL_RUN, "numeral_run")
    return frozenset(chars), wild


@cache
def _inert() -> re.Pattern[str] | None:
    """A CJK character no expression of the extractor can match, or None when that cannot be vouched for."""
    vocabulary, wild = _vocabulary(_tables())
    if wild:
        return None
    named = sorted(ord(c) for c in vocabulary if "\u4e00" <= c <= "\u9fff")
    ranges: list[str] = []
    lo = 0x4E00
    for code in [*named, 0xA000]:
        if code > lo:
            ranges.append(f"{chr(lo)}-{chr(code - 1)}" if code - 1 > lo else chr(lo))
        lo = code + 1
    return re.compile("[" + "".join(ranges) + "]")


# A text is extracted sentence by sentence, so that repeated sentences come from the cache: the same
# shipping and after-sale sentences on every listing of a shop. No expression of the extractor reads across
# a sentence end (。！？；): none of the words in the data files contains one, the phrase class of the role
# words and every gap class exclude them, and the look-behinds only test digits and letters. The one read
# that does cross one is the mass context of a capital G (_has_mass_context: 净重。2.4G), so such texts
# are taken as one sentence. Sentences without a candidate run hold no quantity and are skipped; of the
# others, the head (up to the inert tail) is extracted, from the cache.
_SENTENCE_END = re.compile(r"[。！？；]+")
_QUANTITY_FIELDS = tuple(f.name for f in fields(Quantity))
_QUANTITY_VALUES = attrgetter(*_QUANTITY_FIELDS)
_START, _END = _QUANTITY_FIELDS.index("start"), _QUANTITY_FIELDS.index("end")


def _shifted(q: Quantity, offset: int) -> Quantity:
    values = list(_QUANTITY_VALUES(q))
    values[_START] += offset
    values[_END] += offset
    return Quantity(*values)


def _extract(text: str) -> tuple[Quantity, ...]:
    norm = normalize(text)
    runs = _candidate_runs(norm, _tables().unit_first)
    if not runs:
        return ()  # no atom can begin anywhere (numeral runs lie within one sentence)
    size = len(text)
    if "G" in text or "Ｇ" in text:
        ends: list[int] = []
    else:
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        if ends and ends[-1] == size:
            ends.pop()
    inert = _inert()
    out: list[Quantity] = []
    i, n = 0, len(runs)
    while i < n:
        # The sentence of runs[i], and the last candidate run in it.
        k = bisect_right(ends, runs[i][0])
        start = ends[k - 1] if k else 0
        stop = ends[k] if k < len(ends) else size
        j = i
        while j + 1 < n and runs[j + 1][0] < stop:
            j += 1
        m = inert.search(norm, runs[j][1], stop) if inert is not None else None
        found = _extract_head(text[start : m.start() if m is not None else stop])
        if found:
            out.extend([_shifted(q, start) for q in found] if start else found)
        i = j + 1
    return tuple(out)


def reading_extent(text: str) -> int:
    """How much of ``text`` extraction depends on: ``extract_all(text) == extract_all(text[:n])`` for the
    returned ``n``, and every quantity lies within ``text[:n]`` (0: there is none). The rest is the inert
    tail (see _inert), so callers may key their caches on the prefix."""
    norm = normalize(text)
    runs = _candidate_runs(norm, _tables().unit_first)
    if not runs:
        return 0
    inert = _inert()
    m = inert.search(norm, runs[-1][1]) if inert is not None else None
    return m.start() if m is not None else len(text)


def extract_all(text: str) -> tuple[Quantity, ...]:
    """Every quantity in ``text``, including auxiliary ones (voltages, storage sizes)."""
    if not text:
        return ()
    return _extract(text)


def extract_quantities(text: str | None) -> list[Quantity]:
    """Every quantity in ``text``, in order, with spans into ``text`` itself (none for None or a non-string).

    Voltages and storage sizes (220V, 256G) are recognised, so they are never misread as something
    else, but are not returned: they are not quantities a spec table is checked against; nor are sales
    figures and ordinals (月销1万件, 第2件). Gifts, reference amounts and input conditions are returned
    with their ``role``.
    """
    if not isinstance(text, str) or not text:
        return []
    return [q for q in _extract(text) if q.dimension not in _AUXILIARY and q.role != OTHER]
