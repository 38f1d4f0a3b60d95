"""Text normalisation that keeps every match traceable to the original characters.

Two steps, both designed so that an offset found in normalised text maps back to the original value:

1. :func:`fold` is *length-preserving*: every character is replaced by exactly one character
   (traditional -> simplified, full-width -> half-width, upper -> lower case, Unicode compatibility forms
   such as circled digits and mathematical letters, and a small table of look-alike characters).
   Offsets into the folded text are offsets into the original text.
2. :func:`squeeze` deletes *filler* (spaces, punctuation, symbols, zero-width and other invisible
   characters) and keeps a map back to the folded text. It is only needed when a term may have been
   split by filler ("最 佳", "第\u200b一"), which :class:`Folded` callers detect cheaply first.

Every filler character has a *level* that tells how strongly it separates text:

- 0: invisible (zero-width, joiners, variation selectors, combining marks) - never a separator;
- 1: spaces and decorative symbols (``* ~ - . / | ★``) - separate keywords in titles;
- 2: clause punctuation (``，、：（）“”``);
- 3: sentence ends and line breaks (``。！？；\\n``).

Context rules use the levels to decide how far a phrase reaches; the matcher allows only level 0-1 filler
inside a term, so two sentences are never joined into one term.

The tables are built once per process from Unicode data, OpenCC and ``lexicon/normalize.toml``.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

# The package's folder, not this file's: compiled, this module is loaded from build/mypyc (scanners/_native.py).
LEXICON_DIR = Path(str(resources.files("scanners"))) / "lexicon"

#: Filler levels (see the module docstring).
INVISIBLE, SOFT, CLAUSE, SENTENCE = 0, 1, 2, 3

# Kept as content although Unicode calls them punctuation or symbols: they carry meaning for the rules
# ("100%", "#1", "¥99", "60℃").
_KEEP = frozenset("%‰#¥$€£℃℉°")
_SENTENCE = frozenset("。.!?;…\n\r\x0b\x0c\u2028\u2029")
_CLAUSE = frozenset(",、:()[]{}《》〈〉「」『』“”‘’〔〕〖〗【】︑")
# Characters that render as nothing or as blank space although Unicode files them as letters.
_INVISIBLE_EXTRA = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u180e")
# "." is both a sentence end and the dot of "No.1": treated as a soft separator, like the others that
# evasion uses between characters.
_SOFT_OVERRIDE = frozenset(".")

# Code point ranges examined when building the tables: the BMP, mathematical alphanumerics (used to
# dodge filters: "𝐓𝐎𝐏"), enclosed alphanumerics, emoji and tag characters.
_RANGES = ((0x0000, 0x10000), (0x1D400, 0x1D800), (0x1F000, 0x1FC00), (0xE0000, 0xE0080), (0xE0100, 0xE01F0))
# Astral filler is matched by whole blocks (emoji and symbols, tags, variation selectors): a character class
# with hundreds of astral ranges defeats the regex engine's bitmap and makes every search ~15x slower.
_ASTRAL_FILLER = ((0x1F000, 0x1FC00, SOFT), (0xE0000, 0xE0080, INVISIBLE), (0xE0100, 0xE01F0, INVISIBLE))
_ASTRAL_CLASS = "".join(f"{chr(lo)}-{chr(hi - 1)}" for lo, hi, _ in _ASTRAL_FILLER)


@dataclass(frozen=True, slots=True)
class _Tables:
    fold_map: dict[int, str]
    needs_fold: re.Pattern[str]
    needs_fold_lower: re.Pattern[str]
    level: dict[str, int]
    filler_run: re.Pattern[str]
    soft_class: str
    pinyin: dict[str, tuple[str, ...]]


def _load_normalize_data() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    with (LEXICON_DIR / "normalize.toml").open("rb") as fh:
        data = tomllib.load(fh)
    lookalikes: dict[str, str] = {}
    for target, sources in data["lookalikes"].items():
        for src in sources:
            if len(src) != 1 or len(target) != 1:
                raise ValueError(f"normalize.toml: look-alike {src!r} -> {target!r} must map one character")
            lookalikes[src] = target
    # Pinyin spellings: every reading pypinyin gives a character (readings.toml, GB2312), then the listed ones.
    with (LEXICON_DIR / "readings.toml").open("rb") as fh:
        readings = tomllib.load(fh)["readings"]
    by_char: dict[str, list[str]] = {}
    for reading, chars in readings.items():
        for ch in chars:
            by_char.setdefault(ch, []).append(reading)
    for ch, v in data["pinyin"].items():
        for s in v if isinstance(v, list) else [v]:
            if str(s) not in by_char.setdefault(ch, []):
                by_char[ch].append(str(s))
    pinyin = {ch: tuple(spellings) for ch, spellings in by_char.items()}
    return lookalikes, pinyin


def _t2s_map(chars: list[str]) -> dict[str, str]:
    """Traditional -> simplified, one character at a time so lengths never change."""
    import opencc  # imported lazily: only needed when the tables are first built

    converter = opencc.OpenCC("t2s")
    # One call with a separator converts each character on its own: phrase rules never span two of them.
    converted = converter.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - defensive, OpenCC keeps line breaks
        return {}
    return {a: b for a, b in zip(chars, converted, strict=True) if len(b) == 1 and b != a}


def _filler_level(ch: str) -> int | None:
    if ch in _KEEP:
        return None
    if ch in _INVISIBLE_EXTRA:
        return INVISIBLE
    if ch in _SOFT_OVERRIDE:
        return SOFT
    if ch in _SENTENCE:
        return SENTENCE
    if ch in _CLAUSE:
        return CLAUSE
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Mn", "Me") or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0000 <= ord(ch) <= 0xE01EF:
        return INVISIBLE
    if cat in ("Zl", "Zp"):
        return SENTENCE
    if cat == "Cc":
        return SOFT if ch in "\t\x1c\x1d\x1e\x1f\x85" or ch.isspace() else INVISIBLE
    if cat[0] in "PZ" or cat in ("Sk", "So", "Sm"):
        return SOFT
    return None


def _class(chars: list[str]) -> str:
    """A regex character class body for ``chars`` (compressed into ranges)."""
    codes = sorted({ord(c) for c in chars})
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = chr(codes[i]), chr(codes[j])
        parts.append(re.escape(lo) if i == j else f"{re.escape(lo)}-{re.escape(hi)}")
        i = j + 1
    return "".join(parts)


@functools.cache
def _tables() -> _Tables:
    lookalikes, pinyin = _load_normalize_data()
    cjk = [chr(c) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for c in range(*r)]
    t2s = _t2s_map(cjk)

    def fold_char(ch: str) -> str:
        out = ch
        nfkc = unicodedata.normalize("NFKC", out)
        if len(nfkc) == 1:
            out = nfkc
        # Latin letters with tone marks or accents ("zuì") fold to the bare letter.
        if "\u00c0" <= out <= "\u024f" or "\u1e00" <= out <= "\u1eff":
            base = unicodedata.normalize("NFKD", out)[0]
            if base.isascii():
                out = base
        low = out.lower()
        if len(low) == 1:
            out = low
        out = t2s.get(out, out)
        out = lookalikes.get(out, out)
        out = t2s.get(out, out)
        return out

    fold_map: dict[int, str] = {}
    level: dict[str, int] = {}
    for lo, hi in _RANGES:
        for code in range(lo, hi):
            if 0xD800 <= code <= 0xDFFF:
                continue
            ch = chr(code)
            folded = fold_char(ch)
            lvl = _filler_level(folded)
            if lvl is not None and code < 0x10000:
                # The stronger of the two readings: "。" stays a sentence end although it has no ASCII form.
                own = _filler_level(ch)
                level[ch] = lvl if own is None else max(lvl, own)
                continue
            if folded != ch:
                fold_map[code] = folded
    for lo, hi, lvl in _ASTRAL_FILLER:
        for code in range(lo, hi):
            if code not in fold_map:
                level[chr(code)] = lvl
    bmp_level = [c for c in level if ord(c) < 0x10000]
    soft = [c for c in bmp_level if level[c] <= SOFT]
    return _Tables(
        fold_map=fold_map,
        # BMP characters exactly, astral ones by a superset range (the translation leaves others as they are).
        needs_fold=re.compile("[" + _class([chr(c) for c in fold_map if c < 0x10000]) + "\U00010000-\U0010ffff]+"),
        # What may still need folding once str.lower has run.
        needs_fold_lower=re.compile(
            "["
            + _class(
                [chr(c) for c in fold_map if c < 0x10000 and len(chr(c).lower()) == 1 and chr(c).lower() == chr(c)]
            )
            + "\U00010000-\U0010ffff]"
        ),
        level=level,
        filler_run=re.compile("[" + _class(bmp_level) + _ASTRAL_CLASS + "]+"),
        soft_class=_class(soft) + _ASTRAL_CLASS,
        pinyin=pinyin,
    )


def fold(text: str) -> str:
    """Length-preserving normalisation: ``len(fold(s)) == len(s)`` and offsets are shared.

    Traditional -> simplified, full-width -> half-width, lower case, compatibility forms, look-alikes.
    Filler is left in place (see :func:`squeeze`).
    """
    tables = _tables()
    # Upper-case Latin letters are the usual reason to fold ("USB", "XL"): str.lower runs at C speed and
    # only what else needs folding (traditional characters, full-width forms, look-alikes) goes through
    # the table.
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two ("İ"): translate one by one instead
        low = text
    if tables.needs_fold_lower.search(low) is not None:
        table = tables.fold_map
        low = tables.needs_fold.sub(lambda m: m.group().translate(table), low)
    if "—" in low or "―" in low or "─" in low:
        low = _DASH_ONE.sub(_one, low)
    return low


# A dash right after 第 or 唯 and before a Chinese character stands in for 一 ("第—品牌", "唯—"): elsewhere a
# dash is punctuation ("北京—上海"), so this is read in context, not folded by the table.
_DASH_ONE = re.compile("([第唯])[—―─](?=[\u4e00-\u9fff])")


def _one(m: re.Match[str]) -> str:
    return m.group(1) + "一"


def filler_levels() -> dict[str, int]:
    """The filler characters and their separator level (0-3). Characters not in it are content."""
    return _tables().level


@functools.cache
def separator_pattern(level: int) -> re.Pattern[str]:
    """Filler characters of separator level ``level`` or higher."""
    lv = _tables().level
    bmp = [c for c, x in lv.items() if x >= level and ord(c) < 0x10000]
    astral = "".join(f"{chr(lo)}-{chr(hi - 1)}" for lo, hi, x in _ASTRAL_FILLER if x >= level)
    return re.compile("[" + _class(bmp) + astral + "]" if bmp or astral else "(?!)")


@functools.cache
def filler_below_pattern(level: int) -> re.Pattern[str]:
    """Runs of filler characters below separator level ``level`` (what a reader skips)."""
    lv = _tables().level
    bmp = [c for c, x in lv.items() if x < level and ord(c) < 0x10000]
    astral = "".join(f"{chr(lo)}-{chr(hi - 1)}" for lo, hi, x in _ASTRAL_FILLER if x < level)
    return re.compile("[" + _class(bmp) + astral + "]+" if bmp or astral else "(?!)")


@functools.cache
def nonspace_filler_pattern() -> re.Pattern[str]:
    """Any filler character other than the ASCII space."""
    lv = _tables().level
    bmp = [c for c in lv if ord(c) < 0x10000 and c != " "]
    return re.compile("[" + _class(bmp) + _ASTRAL_CLASS + "]")


def strip_filler(text: str) -> str:
    """``text`` without any filler (already folded text; offsets are not kept)."""
    if nonspace_filler_pattern().search(text) is None:
        return text.replace(" ", "")
    return _tables().filler_run.sub("", text)


def soft_filler_class() -> str:
    """Regex character-class body of the filler allowed inside a term (levels 0 and 1)."""
    return _tables().soft_class


def pinyin_table() -> dict[str, tuple[str, ...]]:
    """Toneless pinyin of the characters whose pinyin spellings the lexicon matches."""
    return _tables().pinyin


@dataclass(frozen=True, slots=True)
class Squeezed:
    """Folded text with filler deleted, and the map back to folded (= original) offsets."""

    text: str
    _norm_starts: tuple[int, ...]
    _orig_starts: tuple[int, ...]

    def to_original(self, index: int) -> int:
        """Original offset of the squeezed character at ``index``."""
        k = bisect_right(self._norm_starts, index) - 1
        return self._orig_starts[k] + (index - self._norm_starts[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering squeezed ``[start, end)``, filler inside included."""
        return self.to_original(start), self.to_original(end - 1) + 1


def squeeze(folded: str) -> Squeezed:
    """Delete filler from already folded text, keeping the offset map."""
    pieces: list[str] = []
    norm_starts: list[int] = [0]
    orig_starts: list[int] = [0]
    pos = 0
    norm = 0
    for m in _tables().filler_run.finditer(folded):
        if m.start() > pos:
            pieces.append(folded[pos : m.start()])
            norm += m.start() - pos
        pos = m.end()
        norm_starts.append(norm)
        orig_starts.append(pos)
    pieces.append(folded[pos:])
    return Squeezed("".join(pieces), tuple(norm_starts), tuple(orig_starts))


def normalize_term(term: str) -> str:
    """The key a term is matched by: folded, filler deleted ("No.1" -> "no1", "國家級" -> "国家级")."""
    return squeeze(fold(term)).text
