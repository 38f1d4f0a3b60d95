"""Quantity extraction: every quantity in a text, with its span in the original text.

``extract_quantities("坚果 500g*2袋 约1斤")`` finds the multipack (1000 g in all, 500 g a bag, 2 bags) and
the approximate 一斤 (450-550 g). Values are intervals in the base unit of their dimension (g, ml, mm,
mAh, Wh, W, or a count): a single value is a point, ranges (3-5kg, 三到五斤), approximations (约4kg,
4kg左右) and bounds (6斤起, 不少于500g) are wider.

The work is done in three modules, each readable on its own:

* :mod:`scanners.numerals`: the offset-keeping character folding, and the values of Arabic and Chinese
  numbers (一千二, 三五, 两 as two or as the unit liang);
* :mod:`scanners.units`: the units (``data/units.toml``, factors from pint) and the words read around a
  quantity (``data/quantity_words.toml``), compiled into expressions once per process;
* :mod:`scanners.extraction`: atoms (a number and a unit) joined into ranges, multipacks, compounds and
  sizes, with their bounds, qualifier and role, in one piece of text.

This module is the public entry. It extracts a text sentence by sentence through a bounded cache, and cuts
each sentence after its last possible quantity, so that the sentences and titles that repeat across a
shop's listings are extracted once (see the comments below for why both cuts cannot change the result).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import fields
from functools import cache, lru_cache
from operator import attrgetter

from scanners.extraction import Quantity, candidate_runs, extract_text
from scanners.numerals import NORMALISE_PAIRS, NUMERAL_RUN, normalize
from scanners.units import (
    CONDITION,
    GIFT,
    OTHER,
    PRODUCT,
    REFERENCE,
    Ending,
    Tables,
    UnitInfo,
    base_unit,
    get_tables,
    unit_info,
)

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

_AUXILIARY = frozenset({"voltage", "data"})


@lru_cache(maxsize=8192)
def _extract_head(text: str) -> tuple[Quantity, ...]:
    return extract_text(text)


# The tail of a text after its last candidate run (candidate_runs) and then a CJK character that no
# expression, word list or table of the extractor contains (an *inert* character) cannot change what is
# extracted: no atom begins in it, and every read to the right of a quantity (units, 左右, ×2袋, 毛重 …)
# would have to match the inert character to go on, which nothing but a wildcard can; reads to the left
# end at a quantity. So the tail is cut off before the cache is asked: "坚果礼盒 500g 2024新款 家用 …"
# is extracted as "坚果礼盒 500g 2024" (新 is inert), and titles that differ after their quantities share
# one entry. Checked at load time: if an expression read to the right had a wildcard (., [^…], \w, \S,
# \W, \D, a non-ASCII range), nothing would be cut.
_CODE_CHARS = "一二两半点十百千万亿零净含量重克斤尺米起"  # literals in the code of scanners.extraction


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


def _vocabulary(tables: Tables) -> tuple[frozenset[str], bool]:
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
        elif isinstance(obj, Ending):
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
    add(NORMALISE_PAIRS, "normalise")
    add(NUMERAL_RUN, "numeral_run")
    return frozenset(chars), wild


@cache
def _inert() -> re.Pattern[str] | None:
    """A CJK character no expression of the extractor can match, or None when that cannot be vouched for."""
    vocabulary, wild = _vocabulary(get_tables())
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
# others, the head (up to the inert tail) is extracted, from the cache. A speed measure that pays where
# shops repeat their sentences (bench/quantity_bench.py: 7.0 µs per benchmark text with both, 13.3 µs without
# the cut of the inert tail, 24.0 µs without either); on text that never repeats it costs 16% (36.8 µs per
# real title against 31.7 µs; docs/benchmarks.md).
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
    runs = candidate_runs(norm, get_tables().unit_first)
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
    runs = candidate_runs(norm, get_tables().unit_first)
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
