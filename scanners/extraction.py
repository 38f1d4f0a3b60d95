"""Quantity extraction from one piece of text: atoms, then quantities assembled from them.

An *atom* is a number followed by a unit (500g, 三斤, 2万毫安). One compiled expression (built by
:mod:`scanners.units`) is tried where a run of numeral characters begins, and finds every atom. Anchored
expressions around each atom then join atoms into

* ranges (3-5kg, 三到五斤, 1.5kg±0.1kg), compounds (一斤半, 1斤2两, 1米8) and L×W×H sizes (30×20×10cm);
* multipacks (500g*2袋, 2袋×500g, 500g/袋×2, 10片/盒×3盒, 12×330ml): the total, the measure of one
  package and the number of packages;

and read the words around them: bounds and approximations (约4kg, 6斤起), 共/每 (a total, per package),
a qualifier (净重, 毛重, 额定, 电芯) and a role (a gift, a reference amount, an input condition). The
result is a :class:`Quantity` with its span in the text, its value an interval in the base unit of its
dimension. :mod:`scanners.quantities` runs this sentence by sentence and is the public entry.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from scanners.numerals import MULT_SCALE, NUMERAL_CLASS, int_value, match_number, normalize, parse_number
from scanners.units import PRODUCT, REFERENCE, Tables, UnitInfo, get_tables, unit_of

__all__ = ["Quantity", "candidate_runs", "extract_text"]


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
    resolution: float = 0.0  # place value of the last stated digit, in base unit (1 kg for 5kg, 0.5 斤 for 一斤半)
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
    tables = get_tables()
    units, word_with_one = tables.units, tables.word_with_one
    atoms: list[_Atom] = []
    for m in _atom_matches(norm, tables):
        arabic, mult, cn = m.group("arabic", "mult", "cn")
        parsed = parse_number(arabic, mult, cn)
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
        if start > 1 and norm[start - 1] == "/" and _denominator(norm, start - 1, low):
            continue
        glued_x = start > 0 and norm[start - 1] in "xX" and not _times_x(norm, start - 1)
        if start > 1 and norm[start - 1] in "-_" and norm[start - 2].isascii() and norm[start - 2].isalpha():
            # XR-500W: part of a model number.
            glued_x = True
        scale = MULT_SCALE.get(mult, 1.0) if mult else 1.0
        atoms.append(_Atom(start, m.end(), start, low, high, res, unit, glued_x, scale))
    return atoms


def _denominator(norm: str, slash: int, value: float) -> bool:
    """Whether the number after the / at ``slash`` divides a larger bare number before it (100/1支: a ratio,
    not one item); 250g/500g (a unit before the /) and 12/24瓶 (alternatives) are read as they are."""
    k = slash
    while k > 0 and norm[k - 1].isdigit():
        k -= 1
    if k == slash or slash - k > 6 or (k > 0 and not (norm[k - 1].isspace() or "\u4e00" <= norm[k - 1] <= "\u9fff")):
        return False  # a decimal (29.9/3斤), a price (¥30/3斤) or a model number (A100/1支) before the /
    return int(norm[k:slash]) > value


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
# fraction of the cost: the atom expression's leading lookbehinds defeat re's fast prefix scan. A speed
# measure that pays where sentences are new (bench/quantity_bench.py: 36.8 µs per real title, 40.2 µs with
# atom.finditer(); docs/benchmarks.md).
def candidate_runs(norm: str, unit_first: frozenset[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of the runs of numeral characters an atom may begin in: a unit follows (after at
    most one space or tab), or 两 follows the run's first character (三两). No atom begins elsewhere."""
    return [m.span() for m in _candidate_pattern(unit_first).finditer(norm)]


@lru_cache(maxsize=4)
def _candidate_pattern(unit_first: frozenset[str]) -> re.Pattern[str]:
    # Whole runs of NUMERAL_RUN (the look-behind after the first character, and the possessive *+), then
    # what follows the run (2024年, 99%, 11月 are no quantities) or what it holds. Starting with the class
    # lets re skip to the next numeral character at C speed.
    n = NUMERAL_CLASS
    units = "".join(re.escape(c) for c in sorted(unit_first))
    return re.compile(rf"{n}(?<!{n}{n})(?:{n}*+(?=[ \t]?[{units}])|(?={n}*?两){n}*+)")


def _atom_matches(norm: str, tables: Tables) -> list[re.Match[str]]:
    atom = tables.atom
    resume = 0
    found: list[re.Match[str]] = []
    for start, end in candidate_runs(norm, tables.unit_first):
        p = max(start, resume)
        while p < end:
            m = atom.match(norm, p)
            if m is None:
                p += 1
                continue
            found.append(m)
            resume = p = m.end()
            if p < len(norm) and norm[p].isdigit():
                # 15g8盒: a count glued to a measure's unit (the atom expression wants no letter before a number)
                glued = tables.glued_count.match(norm, p)
                if glued is not None:
                    found.append(glued)
                    resume = p = glued.end()
    return found


_STORAGE_SIZES = frozenset({1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128, 256, 512, 1024, 2048})


def _storage_or_mass(norm: str, m: re.Match[str], unit: UnitInfo, value: float) -> UnitInfo | None:
    """Tell 500g (mass) from 256G (storage) and 5G (a network); None when it is no quantity."""
    alias = m.group("unit")
    if alias not in ("g", "G"):
        return unit
    tables = get_tables()
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
    tables = get_tables()
    unit = atom.unit
    if unit.dimension in ("mass", "length", "volume"):
        m = tables.after_compound_half.match(norm, atom.end)
        if m and atom.low == atom.high and atom.low == int(atom.low) and atom.low >= 1:
            atom.low += 0.5
            atom.high += 0.5
            atom.resolution = 0.5
            atom.end = m.end()
            return
    if unit.symbol == "斤":
        m = tables.after_liang.match(norm, atom.end)
        if m:
            n = int_value(m.group("n"))
            if n is not None:
                atom.low += n / 10
                atom.high += n / 10
                atom.resolution = 0.1
                atom.end = m.end()
                return
    if unit.symbol in ("m", "尺") and atom.low == atom.high and atom.low == int(atom.low):
        m = tables.after_decimetre_digit.match(norm, atom.end)
        if m:
            d = int_value(m.group("d"))
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
    follow = get_tables().atom.match(norm, atom.num_start + 1)
    if follow is None or follow.start("unit") != atom.end:
        return None
    unit = unit_of(follow.group("unit"))
    if unit is None or unit.symbol == "两":
        return None
    return _Draft(
        start=atom.start,
        end=follow.end(),
        num_start=atom.start,
        low=unit.factor,
        high=2 * unit.factor,
        resolution=unit.factor,
        unit=unit,
        counts=unit.symbol if unit.dimension == "count" else None,
        bound="range",
    )


def _join(norm: str, atoms: list[_Atom], i: int) -> tuple[_Draft | None, int]:
    """The quantity that starts with ``atoms[i]``, joined with the atoms that follow it by a range sign
    (3kg-5kg) or a multiplication sign (500g*2袋, 2袋×500g, 100抽×3包, 30cm×20cm×10cm); and how many atoms
    it used. None when the atom is glued to a model name."""
    tables = get_tables()
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
    tables = get_tables()
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
        parsed = match_number(m)
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
    tables = get_tables()
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
    tables = get_tables()
    if d.dims is not None:
        return
    while True:
        m = tables.after_times.match(norm, d.end)
        if not m:
            return
        count = int_value(m.group("n"))
        cls = m.group("cls")
        if count is None or count < 1 or count > 10000:
            return
        # 30cm×20: not a multipack of lengths unless a classifier says so (1.5m×2根).
        if d.unit.dimension == "length" and cls is None:
            return
        # Never read the number of a following quantity as a count (500g×2kg).
        if cls is None and get_tables().atom.match(norm, m.start("n")):
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
    tables = get_tables()
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
    tables = get_tables()
    k = d.num_start
    if tables.before_reference.search(norm, max(0, k - 3), k) or tables.before_price.search(norm, max(0, k - 16), k):
        return REFERENCE
    window = norm[max(0, k - 12) : k]
    m = tables.role_pattern.search(window)
    if m and tables.not_roles.search(window):
        # 送礼 is no gift, 满满 no threshold: blank such words out and look again.
        window = tables.not_roles.sub(lambda w: " " * len(w.group()), window)
        m = tables.role_pattern.search(window)
    return m.lastgroup or PRODUCT if m else PRODUCT


def _qualifier(norm: str, d: _Draft, taken: int) -> tuple[str | None, int]:
    """The word before or after the quantity that says which kind it is, and where the word after it
    begins (-1 when it is none or before it). A word that qualifies other dimensions only is no qualifier
    of this quantity (高 is a height, not in 128GB 高速), and a word the previous quantity took after it is
    not read again before this one (16G运行内存 1T固态: 运行内存 is the 16G's)."""
    tables = get_tables()
    limits = tables.qualifier_dimensions
    dimension = d.unit.dimension
    m = tables.before_qualifier.search(norm, max(0, d.num_start - 12), d.num_start)
    if m and m.start() != taken:
        qualifier = tables.qualifier_of[m.group("q")]
        if qualifier not in limits or dimension in limits[qualifier]:
            return qualifier, -1
    m = tables.after_qualifier.match(norm, d.end)
    if m:
        qualifier = tables.after_qualifier_of[m.group("q")]
        if qualifier not in limits or dimension in limits[qualifier]:
            return qualifier, m.start("q")
    return None, -1


def _to_quantity(original: str, norm: str, d: _Draft, qualifier: str | None) -> Quantity:
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
        qualifier,
        _role(norm, d),
        unit.ambiguous_with,
        d.dims,
    )


def extract_text(text: str) -> tuple[Quantity, ...]:
    """Every quantity in ``text`` (auxiliary ones included), with spans into ``text``."""
    norm = normalize(text)
    out: list[Quantity] = []
    taken = -1  # where the word the previous quantity took as its qualifier after it begins
    for d in _assemble(norm):
        qualifier, taken = _qualifier(norm, d, taken)
        out.append(_to_quantity(text, norm, d, qualifier))
    return tuple(out)
