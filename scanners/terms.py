"""The wording lexicon: terms, citations and word classes loaded from ``scanners/lexicon/*.toml``.

The lexicon is data, not code. A term file holds ``[[group]]`` tables; every term of a group shares the
group's rule id, category, severity, citation key, message, suggestion and context rules unless the term
overrides them (see ``docs/scanners.md`` for the format). ``citations.toml`` holds the one table of legal
citations that terms refer to by key, so an article number or a penalty changes in one place.
``context.toml`` holds the word classes that context rules consult (what may follow 第一, which nouns
name a service rather than the goods, ...).

Terms are compiled into a :class:`Matcher`: one Aho-Corasick automaton (pyahocorasick) over normalised
keys, built once per process for the built-in lexicon and once per distinct set of shop terms.
"""

from __future__ import annotations

import enum
import functools
import itertools
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick

from scanners.findings import Category, Severity
from scanners.memo import BoundedMemo
from scanners.normalize import (
    LEXICON_DIR,
    SOFT,
    filler_levels,
    normalize_term,
    pinyin_table,
    soft_filler_class,
    squeeze,
)

#: Listing kinds the rules distinguish (see ``kinds.toml``).
KINDS = frozenset({"food", "health_food", "cosmetics", "drug", "medical_device", "other", "unknown"})
PLATFORMS = frozenset({"tmall", "taobao", "pdd", "jd", "douyin"})


class Role(enum.StrEnum):
    TERM = "term"  # reported when its context rules keep it
    CUE = "cue"  # never reported alone; context rules look for it near a term (reward words near 好评)
    GUARD = "guard"  # an ordinary word that swallows a term's first or last character (积极 + 致力)
    ALLOW = "allow"  # a shop's or listing's own name: a term inside it is not reported


class Via(enum.StrEnum):
    """How a key spells its term."""

    TERM = "term"
    VARIANT = "variant"  # a listed sound-alike or look-alike spelling (醉佳)
    PINYIN = "pinyin"  # all or part of the term spelt in pinyin (zuijia, zui佳)
    HOMOPHONE = "homophone"  # one character replaced by another of the same reading (醉佳, 养旰)


@dataclass(frozen=True, slots=True)
class Citation:
    """A legal basis, referred to from term files by ``key``."""

    key: str
    text: str
    penalty: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class Term:
    """One lexicon entry with every inherited group setting resolved."""

    text: str
    rule: str
    category: Category
    severity: Severity
    citation: str
    message: str
    suggestion: str
    contexts: tuple[str, ...] = ()
    role: Role = Role.TERM
    cue_class: str = ""
    kinds: frozenset[str] | None = None
    exclude_kinds: frozenset[str] = frozenset()
    platforms: frozenset[str] | None = None
    presale_only: bool = False
    citation_by_kind: Mapping[str, str] = field(default_factory=dict)
    severity_by_kind: Mapping[str, Severity] = field(default_factory=dict)
    #: A suggestion that fits the listing kind better than the group's (显瘦 suits clothes, not tea).
    suggestion_by_kind: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    #: The normalised form of ``text`` (folded, no filler), which context rules reason about.
    norm: str = ""

    def __post_init__(self) -> None:
        if not self.norm:
            object.__setattr__(self, "norm", normalize_term(self.text))

    def applies(self, kind: str, platform: str | None, presale: bool) -> bool:
        """Whether the term is checked on a listing of this kind, platform and presale state."""
        if self.presale_only and not presale:
            return False
        if self.platforms is not None and platform not in self.platforms:
            return False
        if kind in self.exclude_kinds:
            return False
        return self.kinds is None or kind in self.kinds

    def citation_key(self, kind: str) -> str:
        return self.citation_by_kind.get(kind, self.citation)

    def severity_for(self, kind: str) -> Severity:
        return self.severity_by_kind.get(kind, self.severity)

    def suggestion_for(self, kind: str) -> str:
        return self.suggestion_by_kind.get(kind, self.suggestion)


@dataclass(frozen=True, slots=True, eq=False)
class Key:
    """One automaton key: a normalised spelling of a term."""

    key: str
    term: Term
    via: Via
    # Keys that begin or end with a Latin letter or digit must not continue a Latin word or a number
    # ("piano1" is no "no1", "第12" is no "第1").
    latin_start: bool
    latin_end: bool
    digit_start: bool
    digit_end: bool


def _alnum_flags(key: str) -> tuple[bool, bool, bool, bool]:
    first, last = key[0], key[-1]
    return (
        first.isascii() and first.isalpha(),
        last.isascii() and last.isalpha(),
        first.isascii() and first.isdigit(),
        last.isascii() and last.isdigit(),
    )


_SEPARATOR_CHARS = frozenset(c for c in "\n。!?;！？；" if filler_levels().get(c, SOFT) > SOFT)
_SEPARATOR_CLASS = "".join(re.escape(c) for c in sorted(_SEPARATOR_CHARS))
_PIECE = re.compile(f"[^{_SEPARATOR_CLASS}]*[{_SEPARATOR_CLASS}]+|[^{_SEPARATOR_CLASS}]+")  # up to and with a separator
_PieceHits = tuple[bool, tuple[tuple[int, int, int], ...]]


class Matcher:
    """An Aho-Corasick automaton over normalised keys, with the evasion pre-filter for those keys.

    The automaton runs over the UTF-8 bytes of the text (seen as Latin-1 characters), not over the
    characters: pyahocorasick scans a node's children linearly, and the root of a lexicon of Chinese terms
    has hundreds of children (one per first character) but only about twenty distinct first bytes. UTF-8
    is self-synchronising, so a byte match is always a character match; offsets are mapped back to
    characters only for the (few) hits.
    """

    def __init__(self, keys: Iterable[Key], pieces: int = 16384) -> None:
        by_key: dict[str, list[Key]] = {}
        for k in keys:
            if k.key:
                by_key.setdefault(k.key, []).append(k)
        self.payloads: list[tuple[Key, ...]] = []
        automaton = ahocorasick.Automaton()
        # Evasion puts filler between two characters of one key. The pre-filter looks at each run of soft
        # filler and asks whether the characters on either side are adjacent in some key.
        pairs: dict[str, set[str]] = {}
        for i, (key, ks) in enumerate(sorted(by_key.items())):
            self.payloads.append(tuple(ks))
            raw = key.encode("utf-8", "surrogatepass")
            automaton.add_word(raw.decode("latin-1"), (i, len(key), len(raw)))
            for a, b in itertools.pairwise(key):
                pairs.setdefault(a, set()).add(b)
        if by_key:
            automaton.make_automaton()
        self.automaton = automaton
        self.empty = not by_key
        self.pairs: dict[str, frozenset[str]] = {a: frozenset(bs) for a, bs in pairs.items()}
        # Soft filler with a pair's first character before it and some pair's second character after it;
        # the exact pair is checked in Python for the (rare) runs this finds.
        seconds = "".join(sorted({re.escape(b) for bs in pairs.values() for b in bs}))
        self._soft_run = re.compile(f"[{soft_filler_class()}]{{1,4}}(?=[{seconds}])") if pairs else None
        # The hits of each piece of text seen (see find_keys); None when a key holds a separator.
        splittable = not any(_SEPARATOR_CHARS.intersection(k) for k in by_key)
        self.pieces: BoundedMemo[str, _PieceHits] | None = BoundedMemo(pieces) if splittable else None

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """``(start, end, payload index)`` in character offsets of every key occurrence in ``text``."""
        if self.empty:
            return []
        raw = text.encode("utf-8", "surrogatepass")
        hits = list(self.automaton.iter(raw.decode("latin-1")))
        if not hits:
            return []
        if len(raw) == len(text):  # ASCII: bytes are characters
            return [(end - nb + 1, end - nb + 1 + n, i) for end, (i, n, nb) in hits]
        # Map byte offsets to character offsets incrementally, in order of start.
        starts = sorted({end - nb + 1 for end, (_, _, nb) in hits})
        char_of: dict[int, int] = {}
        last_b, last_c = 0, 0
        for b in starts:
            last_c += len(raw[last_b:b].decode("utf-8", "surrogatepass"))
            last_b = b
            char_of[b] = last_c
        out: list[tuple[int, int, int]] = []
        for end, (i, n, nb) in hits:
            c = char_of[end - nb + 1]
            out.append((c, c + n, i))
        return out

    def may_be_split(self, folded: str) -> bool:
        """True when some key may occur in ``folded`` with soft filler between two of its characters."""
        if self._soft_run is None:
            return False
        pairs = self.pairs
        for m in self._soft_run.finditer(folded):
            s = m.start()
            if s:
                follow = pairs.get(folded[s - 1])
                if follow is not None and folded[m.end()] in follow:
                    return True
        return False


def find_keys(matcher: Matcher, folded: str) -> list[tuple[int, int, Key]]:
    """``(start, end, key)`` in original offsets for every occurrence of a key of ``matcher``."""
    if matcher.empty:
        return []
    payloads = matcher.payloads
    out: list[tuple[int, int, Key]] = []
    hits = _direct_hits(matcher, folded)
    if hits is not None:
        for s, e, i in hits:
            out.extend((s, e, k) for k in payloads[i])
    elif matcher.may_be_split(folded):
        sq = squeeze(folded)
        for s, e, i in matcher.find(sq.text):
            start, end = sq.span(s, e)
            out.extend((start, end, k) for k in payloads[i])
    else:
        for s, e, i in matcher.find(folded):
            out.extend((s, e, k) for k in payloads[i])
    return out


def _direct_hits(matcher: Matcher, folded: str) -> list[tuple[int, int, int]] | None:
    """``matcher.find(folded)`` when the pre-filter sees no split key in ``folded``, else None.

    PERFORMANCE: the hits are memoised per sentence-sized piece of text (``matcher.pieces``). Keys hold no
    filler (normalize_term deletes it), so a key never spans a separator (filler above SOFT: the line
    breaks between fields and the sentence ends), the automaton is back at its root after one, and no run
    of soft filler reaches across one: the hits of a text are those of its pieces, shifted, and the
    pre-filter finds a split key in the text iff it finds one in a piece. Spec values, SKU names and
    shops' footers repeat across listings; scan_bench.py measures what this pays on each corpus.
    """
    memo = matcher.pieces
    if memo is None:
        return matcher.find(folded) if not matcher.may_be_split(folded) else None
    hits: list[tuple[int, int, int]] = []
    pos = 0
    for piece in _PIECE.findall(folded):
        got = memo.get(piece)
        if got is None:
            got = (matcher.may_be_split(piece), tuple(matcher.find(piece)))
            memo.put(piece, got)
        split, found = got
        if split:
            return None
        if found:
            hits.extend([(s + pos, e + pos, i) for s, e, i in found] if pos else found)
        pos += len(piece)
    return hits


@dataclass(frozen=True)
class Lexicon:
    """The compiled built-in lexicon."""

    terms: tuple[Term, ...]
    citations: Mapping[str, Citation]
    words: Mapping[str, tuple[str, ...]]
    patterns: Mapping[str, re.Pattern[str]]
    kind_keywords: Mapping[str, tuple[str, ...]]
    kind_nouns: Mapping[str, tuple[str, ...]]
    #: Every reported term (for tools; scanning uses :meth:`matcher_for`).
    matcher: Matcher
    #: Cues (run only when a rule asks for them).
    cue_matcher: Matcher
    #: Guard words that may cut across a key, by key: ``{key: ((guard, offset, probe, probe_char), ...)}``:
    #: the key starts ``offset`` characters into the guard (negative: the guard starts inside the key), and
    #: ``probe_char`` is the guard's character at ``probe`` relative to the key start - one just outside
    #: the key, compared first to reject most candidates with one character test.
    guards_by_key: Mapping[str, tuple[tuple[str, int, int, str], ...]]
    #: Word classes by first and by last character, longest words first (fast prefix/suffix tests).
    prefix_index: Mapping[str, Mapping[str, tuple[str, ...]]]
    suffix_index: Mapping[str, Mapping[str, tuple[str, ...]]]
    #: Product nouns that reveal the listing kind, as an automaton (payload: the kind).
    kind_matcher: Matcher
    term_keys: tuple[Key, ...] = ()
    _by_state: dict[tuple[str, bool], Matcher] = field(default_factory=dict)

    def matcher_for(self, kind: str, presale: bool) -> Matcher:
        """The automaton of the terms that can apply to a listing of this kind and presale state.

        Presale wording and kind-specific terms (cosmetics efficacy, food functions) stay out of the
        automaton of listings they cannot apply to, so ordinary words among them (发货, 睡眠) cost nothing
        there. Built on first use, once per (kind, presale).
        """
        got = self._by_state.get((kind, presale))
        if got is None:
            keys = [
                k
                for k in self.term_keys
                if (presale or not k.term.presale_only)
                and kind not in k.term.exclude_kinds
                and (k.term.kinds is None or kind in k.term.kinds)
            ]
            got = Matcher(keys)
            self._by_state[(kind, presale)] = got
        return got

    def citation_text(self, key: str) -> str:
        """The citation text for ``key``; an unknown key is taken as literal text (shop terms)."""
        c = self.citations.get(key)
        return c.text if c is not None else key

    def word_class(self, name: str) -> tuple[str, ...]:
        """The normalised words of one class of ``context.toml``, longest first."""
        return self.words[name]


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


_GROUP_KEYS = {
    "rule",
    "category",
    "severity",
    "citation",
    "citation_by_kind",
    "severity_by_kind",
    "suggestion_by_kind",
    "message",
    "suggestion",
    "context",
    "pinyin",
    "digits",
    "kinds",
    "exclude_kinds",
    "platforms",
    "presale_only",
    "role",
    "cue_class",
    "terms",
    "followed_by",
    "note",
}
_TERM_KEYS = {
    "term",
    "severity",
    "suggestion",
    "message",
    "context",
    "pinyin",
    "digits",
    "variants",
    "kinds",
    "exclude_kinds",
    "platforms",
    "citation",
    "rule",
}


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"{where}: expected a list of strings")
    return tuple(value)


def _kind_set(value: Any, where: str) -> frozenset[str]:
    kinds = frozenset(_str_list(value, where))
    unknown = kinds - KINDS
    if unknown:
        raise LexiconError(f"{where}: unknown listing kinds {sorted(unknown)}")
    return kinds


def _pinyin_keys(text: str) -> list[str]:
    """Keys that spell some or all characters of ``text`` in pinyin (zui佳, 最jia, zuijia)."""
    table = pinyin_table()
    options: list[tuple[str, ...]] = []
    for ch in text:
        spellings = table.get(ch, ())
        options.append((ch, *spellings))
    if all(len(o) == 1 for o in options):
        return []
    if len(text) > 5:  # mixed spellings of long terms are not seen in practice; keep the full pinyin only
        full = [o[1] if len(o) > 1 else o[0] for o in options]
        return ["".join(full)]
    return ["".join(p) for p in itertools.product(*options) if "".join(p) != text]


@functools.cache
def _homophones() -> dict[str, str]:
    """``{character: the other characters of its reading}`` (``lexicon/readings.toml``, from pypinyin)."""
    with (LEXICON_DIR / "readings.toml").open("rb") as fh:
        data = tomllib.load(fh)
    out: dict[str, str] = {}
    for chars in data["readings"].values():
        for ch in chars:
            out[ch] = chars.replace(ch, "")
    return out


def homophone_keys(text: str) -> list[str]:
    """``text`` with one character replaced by a homophone (最佳 -> 醉佳, 罪佳, 最家 ...).

    Only for terms of two to four Chinese characters: a single character would match every homophone in
    ordinary text. Whether a hit is an evasion or an ordinary word is decided where it is found
    (:func:`scanners.words.stands_alone`).
    """
    if not 2 <= len(text) <= 4:
        return []
    table = _homophones()
    if not all(ch in table for ch in text):
        return []
    return [text[:i] + h + text[i + 1 :] for i, ch in enumerate(text) for h in table[ch]]


def _zero_keys(spellings: list[str]) -> list[str]:
    """Latin spellings with the letter o written as the digit 0 (top1 -> t0p1)."""
    out: list[str] = []
    for sp in spellings:
        key = normalize_term(sp)
        if "o" in key and re.search("[a-z]o|o[a-z]", key):
            out.append(re.sub("(?<=[a-z])o|o(?=[a-z])", "0", key))
    return out


_DIGITS = {"一": "1"}


def _digit_keys(text: str) -> list[str]:
    """第一 -> 第1: the numeral one written as a digit."""
    if "一" not in text:
        return []
    return [text.replace("一", "1")]


def _build_terms(path: Path, citations: Mapping[str, Citation]) -> list[tuple[Term, list[tuple[str, Via]]]]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    out: list[tuple[Term, list[tuple[str, Via]]]] = []
    for gi, group in enumerate(data.get("group", [])):
        where = f"{path.name} group {gi + 1}"
        extra = set(group) - _GROUP_KEYS
        if extra:
            raise LexiconError(f"{where}: unknown keys {sorted(extra)}")
        role = Role(group.get("role", "term"))
        try:
            category = Category(group.get("category", "extreme_wording"))
            severity = Severity(group.get("severity", "error"))
        except ValueError as exc:
            raise LexiconError(f"{where}: {exc}") from exc
        citation = group.get("citation", "")
        if role is Role.TERM and citation not in citations:
            raise LexiconError(f"{where}: citation key {citation!r} is not in citations.toml")
        by_kind = dict(group.get("citation_by_kind", {}))
        for k, v in by_kind.items():
            if k not in KINDS or v not in citations:
                raise LexiconError(f"{where}: citation_by_kind {k!r} -> {v!r}")
        sev_by_kind = {k: Severity(v) for k, v in group.get("severity_by_kind", {}).items()}
        sugg_by_kind = {str(k): str(v) for k, v in group.get("suggestion_by_kind", {}).items()}
        if set(sugg_by_kind) - KINDS:
            raise LexiconError(f"{where}: suggestion_by_kind names unknown kinds")
        if set(sev_by_kind) - KINDS:
            raise LexiconError(f"{where}: severity_by_kind names unknown kinds")
        platforms = group.get("platforms")
        if platforms is not None and set(_str_list(platforms, where)) - PLATFORMS:
            raise LexiconError(f"{where}: unknown platforms {platforms}")
        raws: list[Any] = list(group.get("terms", []))
        if "followed_by" in group:
            # Each word with each of these after it (a kind of shop + a selling verb: 专柜卖, 超市要): the
            # anchor then occurs only where the rule can apply, not at every 专柜验货.
            words = _str_list(raws, where)
            raws = [w + f for w in words for f in _str_list(group["followed_by"], where)]
        for ti, raw in enumerate(raws):
            spec: dict[str, Any] = {"term": raw} if isinstance(raw, str) else dict(raw)
            twhere = f"{where} term {ti + 1} ({spec.get('term')!r})"
            if set(spec) - _TERM_KEYS:
                raise LexiconError(f"{twhere}: unknown keys {sorted(set(spec) - _TERM_KEYS)}")
            text = spec["term"]
            if not isinstance(text, str) or not normalize_term(text):
                raise LexiconError(f"{twhere}: empty term")
            t_citation = spec.get("citation", citation)
            if role is Role.TERM and t_citation not in citations:
                raise LexiconError(f"{twhere}: citation key {t_citation!r} is not in citations.toml")
            t_platforms = spec.get("platforms", platforms)
            term = Term(
                text=text,
                rule=spec.get("rule", group.get("rule", "")),
                category=category,
                severity=Severity(spec.get("severity", severity)),
                citation=t_citation,
                message=spec.get("message", group.get("message", "")),
                suggestion=spec.get("suggestion", group.get("suggestion", "")),
                contexts=_str_list(spec.get("context", group.get("context", [])), twhere),
                role=role,
                cue_class=group.get("cue_class", ""),
                kinds=(
                    _kind_set(spec["kinds"], twhere)
                    if "kinds" in spec
                    else _kind_set(group["kinds"], where)
                    if "kinds" in group
                    else None
                ),
                exclude_kinds=_kind_set(spec.get("exclude_kinds", group.get("exclude_kinds", [])), twhere),
                platforms=frozenset(t_platforms) if t_platforms is not None else None,
                presale_only=bool(group.get("presale_only", False)),
                citation_by_kind=by_kind,
                severity_by_kind=sev_by_kind,
                suggestion_by_kind=sugg_by_kind if "suggestion" not in spec else {},
                source=path.name,
            )
            if role is Role.TERM and (not term.rule or not term.message):
                raise LexiconError(f"{twhere}: a reported term needs a rule id and a message")
            spellings: list[tuple[str, Via]] = [(text, Via.TERM)]
            spellings += [(v, Via.VARIANT) for v in _str_list(spec.get("variants", []), twhere)]
            if spec.get("pinyin", group.get("pinyin", False)):
                spellings += [(p, Via.PINYIN) for p in _pinyin_keys(normalize_term(text))]
                spellings += [(h, Via.HOMOPHONE) for h in homophone_keys(normalize_term(text))]
            if spec.get("digits", group.get("digits", False)):
                spellings += [(d, Via.VARIANT) for d in _digit_keys(normalize_term(text))]
            # The digit 0 for the letter o in a Latin spelling ("T0P1", "N0.1").
            spellings += [(z, Via.VARIANT) for z in _zero_keys([sp for sp, _ in spellings])]
            out.append((term, spellings))
    return out


def make_keys(term: Term, spellings: Sequence[tuple[str, Via]]) -> list[Key]:
    """The automaton keys of one term."""
    keys: list[Key] = []
    seen: set[str] = set()
    for spelling, via in spellings:
        key = normalize_term(spelling)
        if not key or key in seen:
            continue
        seen.add(key)
        keys.append(Key(key, term, via, *_alnum_flags(key)))
    return keys


def _load_citations(path: Path) -> dict[str, Citation]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    out: dict[str, Citation] = {}
    for key, entry in data.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            raise LexiconError(f"{path.name}: [{key}] needs a text")
        out[key] = Citation(key, entry["text"], entry.get("penalty", ""), entry.get("note", ""))
    return out


def _load_words(path: Path) -> tuple[dict[str, tuple[str, ...]], dict[str, re.Pattern[str]]]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    words: dict[str, tuple[str, ...]] = {}
    for name, values in data.get("words", {}).items():
        normalised = {normalize_term(v) for v in _str_list(values, f"{path.name} words.{name}")}
        normalised.discard("")
        # Longest first, so that a prefix test reports the longest word that matches.
        words[name] = tuple(sorted(normalised, key=lambda w: (-len(w), w)))
    patterns: dict[str, re.Pattern[str]] = {}
    for name, values in data.get("patterns", {}).items():
        try:
            patterns[name] = re.compile("|".join(f"(?:{v})" for v in _str_list(values, name)))
        except re.error as exc:
            raise LexiconError(f"{path.name} patterns.{name}: {exc}") from exc
    # Every word class is also available as one alternation, for "does this window contain any of them".
    for name, ws in words.items():
        patterns.setdefault(name, re.compile("|".join(re.escape(w) for w in ws) or "(?!)"))
    return words, patterns


def _load_kinds(path: Path) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """``[category]``: words of a category string per kind; ``[infer]``: product nouns per kind."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    tables: list[dict[str, tuple[str, ...]]] = []
    for section in ("category", "infer"):
        out: dict[str, tuple[str, ...]] = {}
        for kind, values in data.get(section, {}).items():
            if kind not in KINDS:
                raise LexiconError(f"{path.name} [{section}]: unknown kind {kind!r}")
            out[kind] = tuple(w for w in (normalize_term(v) for v in _str_list(values, kind)) if w)
        tables.append(out)
    return tables[0], tables[1]


TERM_FILES = ("extreme.toml", "medical.toml", "review.toml", "price.toml", "presale.toml", "gift.toml")


def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    """Load and compile the lexicon in ``directory`` (the built-in one by default)."""
    citations = _load_citations(directory / "citations.toml")
    words, patterns = _load_words(directory / "context.toml")
    kind_keywords, kind_nouns = _load_kinds(directory / "kinds.toml")
    terms: list[Term] = []
    keys: list[Key] = []
    cue_keys: list[Key] = []
    guards: set[str] = set()
    for name in TERM_FILES:
        for term, spellings in _build_terms(directory / name, citations):
            terms.append(term)
            ks = make_keys(term, spellings)
            if term.role is Role.CUE:
                cue_keys.extend(ks)
            elif term.role is Role.GUARD:
                guards.update(k.key for k in ks)
            else:
                keys.extend(ks)
    spelt = {k.key for k in keys if k.via is not Via.HOMOPHONE}
    keys = [k for k in keys if k.via is not Via.HOMOPHONE or k.key not in spelt]
    kind_keys: list[Key] = []
    for kind, nouns in kind_nouns.items():
        marker = Term(
            text=kind,
            rule="",
            category=Category.EXTREME_WORDING,
            severity=Severity.INFO,
            citation="",
            message="",
            suggestion="",
            role=Role.GUARD,
        )
        kind_keys.extend(make_keys(marker, [(n, Via.TERM) for n in nouns]))
    return Lexicon(
        terms=tuple(terms),
        citations=citations,
        words=words,
        patterns=patterns,
        kind_keywords=kind_keywords,
        kind_nouns=kind_nouns,
        matcher=Matcher(keys),
        cue_matcher=Matcher(cue_keys),
        guards_by_key=guards_for_keys([k.key for k in keys + cue_keys], sorted(guards)),
        prefix_index={name: _index(ws, 0) for name, ws in words.items()},
        suffix_index={name: _index(ws, -1) for name, ws in words.items()},
        kind_matcher=Matcher(kind_keys),
        term_keys=tuple(keys),
    )


def guards_for_keys(keys: Iterable[str], guards: Sequence[str]) -> dict[str, tuple[tuple[str, int, int, str], ...]]:
    """For each key, the guards that overlap it without lying inside it, with their relative offset.

    A guard ``g`` at offset ``off`` (the key starts ``off`` characters into ``g``; negative when the guard
    starts inside the key) blocks the key where the text there spells ``g``.
    """
    by_char: dict[str, list[tuple[str, int]]] = {}
    for g in guards:
        for i, ch in enumerate(g):
            by_char.setdefault(ch, []).append((g, i))
    out: dict[str, tuple[tuple[str, int, int, str], ...]] = {}
    for key in set(keys):
        found: set[tuple[str, int, int, str]] = set()
        for pos in {0, len(key) - 1}:
            for g, i in by_char.get(key[pos], ()):
                off = i - pos  # the key starts `off` characters after the guard starts
                gs, ge = -off, -off + len(g)  # guard span relative to the key start
                inside = gs >= 0 and ge <= len(key)
                overlaps = gs < len(key) and ge > 0
                if overlaps and not inside and (gs < 0 or ge > len(key)):
                    # The guard's characters that fall inside the key must agree with the key.
                    lo, hi = max(gs, 0), min(ge, len(key))
                    if g[lo - gs : hi - gs] == key[lo:hi]:
                        probe = -1 if gs < 0 else len(key)
                        found.add((g, off, probe, g[probe - gs]))
        if found:
            out[key] = tuple(sorted(found))
    return out


def _index(words: tuple[str, ...], at: int) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for w in words:  # already longest first
        out.setdefault(w[at], []).append(w)
    return {ch: tuple(ws) for ch, ws in out.items()}


@functools.cache
def default_lexicon() -> Lexicon:
    """The built-in lexicon, loaded and compiled once per process."""
    return load_lexicon()
