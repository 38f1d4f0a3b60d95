"""Numerals in listing text: the character folding that keeps offsets, and the values of numbers.

* :func:`normalize` folds text with a one-to-one character table (full-width digits and letters, dashes,
  traditional and financial numerals), so offsets in the folded text are offsets in the original text.
* The expressions that locate a number (Arabic, with 万/千/W after it, or Chinese) are written here as
  pieces for the unit expressions of :mod:`scanners.units` to join; spans stay exact because the numbers
  are located by those expressions, never by the converter.
* :func:`parse_number` gives a located number's value as ``(low, high, resolution)`` in the unit it is
  written with. Chinese numerals are converted by ``chinese2digits``, after the two fixes it needs: the
  colloquial 一千二 (1200, not 1002) and two digits in a row, which are a range in speech (三五 = 3-5).
  The word 两 is the numeral two before a unit (两斤) and the unit liang after a number (三两 = 150 g):
  the expressions tell which (see ``CN`` below).
"""

from __future__ import annotations

import math
import re

import chinese2digits

__all__ = [
    "ARABIC",
    "CN",
    "INT",
    "MULT",
    "MULT_SCALE",
    "NORMALISE_PAIRS",
    "NUMERAL_CLASS",
    "NUMERAL_DIGITS",
    "NUMERAL_RUN",
    "chinese_value",
    "int_value",
    "match_number",
    "normalize",
    "parse_number",
]

# --------------------------------------------------------------------------- folding


# One code point to one code point, so that offsets survive: full-width ASCII, dashes and tildes,
# multiplication signs, traditional and financial numerals.
NORMALISE_PAIRS: dict[str, str] = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
NORMALISE_PAIRS.update(
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
    del NORMALISE_PAIRS[_c]
_NORMALISE_TABLE = str.maketrans(NORMALISE_PAIRS)
# str.translate looks every character up in a dict; most texts need no change at all, and a character
# class finds that out at C speed: a speed measure that pays (bench/quantity_bench.py: 7.0 µs per benchmark
# text and 36.8 µs per real title with it, 14.4 µs and 50.5 µs without; docs/benchmarks.md).
_NEEDS_NORMALISING = re.compile("[" + "".join(re.escape(c) for c in NORMALISE_PAIRS) + "]")


def normalize(text: str) -> str:
    """Return ``text`` with full-width forms, dashes and traditional numerals folded, same length."""
    if _NEEDS_NORMALISING.search(text) is None:
        return text
    return text.translate(_NORMALISE_TABLE)


# --------------------------------------------------------------------------- locating numbers

NUMERAL_DIGITS = "零一二三四五六七八九"
_CN_DIGIT_VALUE = {c: i for i, c in enumerate(NUMERAL_DIGITS)} | {"两": 2}

# An Arabic number: not glued to a word or another number on its left (iPhone15, X200, 1.5's "5").
# "x"/"X" may precede it: 2袋x500g. Whether such an atom stands is decided later.
ARABIC = r"(?<![0-9A-WYZa-wyz.])(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+(?:\.[0-9]+)?)"
# 万 and 千 multiply an Arabic number (2万毫安, 5千毫安) unless they begin a unit (5千克, 3千瓦);
# W is the internet shorthand for 万 before a charge unit (2W毫安).
MULT = r"(?:万|千(?![克瓦米伏])|[wW](?=\s?(?:毫安|[mM][aA][hH])))"
# One character of a Chinese numeral. 两 is the numeral only first or after 百千万亿零 (两斤, 一千两百);
# after another digit (三两, 十两) it is the unit liang.
_CN_CHAR = r"(?:[零一二三四五六七八九十百万亿]|千(?![克瓦米伏])|(?<=[百千万亿零])两)"
CN = rf"(?:半|(?:两|{_CN_CHAR}){_CN_CHAR}*(?:点[{NUMERAL_DIGITS}]+)?)"
INT = r"(?:[0-9]+|[一二三四五六七八九十两]{1,3})"

# One character of any number, Arabic or Chinese: every quantity begins with one (see
# scanners.extraction.candidate_runs).
NUMERAL_CLASS = "[0-9.,零一二三四五六七八九十百千万亿两半点]"
NUMERAL_RUN = re.compile(NUMERAL_CLASS + "+")


# --------------------------------------------------------------------------- values


def _decimals(digits: str) -> int:
    return len(digits.split(".", 1)[1]) if "." in digits else 0


def chinese_value(numeral: str) -> tuple[float, float, float] | None:
    """(low, high, resolution) of a Chinese numeral; low < high for 三五 (three to five).

    chinese2digits converts the numeral once the two readings it gets wrong are set aside: the
    colloquial 一千二 / 两万五 (chinese2digits: 1002 / 20005) gets its missing unit back, and two plain
    digits in a row (三五, 七八, 两三) are a range in speech, not 35.
    """
    if numeral == "半":
        return 0.5, 0.5, 0.5
    plain = [_CN_DIGIT_VALUE.get(c) for c in numeral]
    if len(numeral) == 2 and None not in plain:
        a, b = plain[0], plain[1]
        assert a is not None and b is not None
        if 0 < a < b <= a + 2:
            return float(a), float(b), 1.0
    # 十五六 -> 15-16
    if len(numeral) == 3 and numeral[0] == "十" and None not in plain[1:]:
        a, b = plain[1], plain[2]
        assert a is not None and b is not None
        if 0 < a < b == a + 1:
            return 10.0 + a, 10.0 + b, 1.0
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
    resolution = 10.0 ** -_decimals(str(converted)) if "点" in numeral else 1.0
    return value, value, resolution


MULT_SCALE = {"万": 10000.0, "千": 1000.0, "w": 10000.0, "W": 10000.0}


def parse_number(arabic: str | None, mult: str | None, cn: str | None) -> tuple[float, float, float] | None:
    """(low, high, resolution) of a matched number, in the unit it is written with."""
    if arabic:
        digits = arabic.replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            return None
        if not math.isfinite(value):
            return None
        resolution = 10.0 ** -_decimals(digits) if "." in digits else 1.0
        if mult:
            scale = MULT_SCALE[mult]
            return value * scale, value * scale, resolution * scale
        return value, value, resolution
    if cn:
        return chinese_value(cn)
    return None


def match_number(m: re.Match[str]) -> tuple[float, float, float] | None:
    return parse_number(m.group("arabic"), m.group("mult"), m.group("cn"))


def int_value(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    parsed = chinese_value(token)
    if parsed is None or parsed[0] != parsed[1] or parsed[0] != int(parsed[0]):
        return None
    return int(parsed[0])
