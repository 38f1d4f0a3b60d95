"""A candidate hit in its context, and the registry of context rules.

The matcher proposes candidates; a *context rule* (named in the lexicon, written in :mod:`scanners.extreme`
and :mod:`scanners.claims`) looks at the words around one candidate and decides: report it as the lexicon
says, report it differently (a warning for a claim limited in time, an info for an award), or drop it
(an exemption). Rules run per candidate, which is rare, so they may be written plainly.

Context is read from the folded text (same offsets as the original), skipping filler below a chosen
separator level: ``after(hit, 4)`` is the next four content characters up to the next space or punctuation
mark, ``after(hit, 12, CLAUSE)`` reads through spaces up to the next comma.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from scanners.findings import Severity
from scanners.normalize import (
    CLAUSE,
    SENTENCE,
    SOFT,
    filler_below_pattern,
    filler_levels,
    normalize_term,
    separator_pattern,
)
from scanners.terms import Key, Lexicon, Term, default_lexicon

__all__ = [
    "CLAUSE",
    "KEEP",
    "SENTENCE",
    "SOFT",
    "Doc",
    "Hit",
    "ListingContext",
    "Outcome",
    "context_rule",
    "rules",
]


#: How many content characters on each side of a hit the rules may read ...
_SIDE = 64
#: ... found within this many folded characters (the rest is filler); nothing beyond is ever read, which
#: lets :mod:`scanners.wording` memoise verdicts by the text within this distance of a hit.
READ_LIMIT = 3 * _SIDE


# Indexed by separator level: the characters that stop a reader, and the filler a reader skips.
_SEPARATORS = [separator_pattern(level) for level in range(5)]
_BELOW = [filler_below_pattern(level) for level in range(5)]
_ANY_FILLER = filler_below_pattern(5)
_LEVELS = filler_levels()


@dataclass(frozen=True, slots=True)
class ListingContext:
    """What the rules know about the listing a text belongs to."""

    #: The listing's category as given (free text: "food", "化妆品", ...).
    category: str | None = None
    #: The listing kind (see ``kinds.toml``); ``None`` until resolved from the category or the text,
    #: which is done only when some candidate needs it.
    kind: str | None = None
    presale: bool = False
    platform: str | None = None
    #: Some SKU states the basis of its reference price (``list_price_basis``).
    list_price_basis: bool = False


@functools.lru_cache(maxsize=512)
def _kind_of_category(category: str) -> str | None:
    lexicon = default_lexicon()
    cat = normalize_term(category)
    # The longest category word found decides ("茶具" is a tea set, not tea).
    found, found_len = None, 0
    for kind, words in lexicon.kind_keywords.items():
        for w in words:
            if len(w) > found_len and w in cat:
                found, found_len = kind, len(w)
    return found


def resolve_kind(category: str | None, folded_text: str, lexicon: Lexicon) -> str:
    """The listing kind: from the category when it names one, else from the product nouns of the text.

    A category that names no kind ("家居用品" is ``other``; an unknown word is also ``other``) still says
    the goods are not food or cosmetics; without any category the first product noun decides.
    """
    if category:
        kind = _kind_of_category(category)
        if kind is not None:
            return kind
    head = folded_text[:400]
    best, best_pos = "unknown", len(head) + 1
    for start, _, i in lexicon.kind_matcher.find(head):
        if start < best_pos:
            best, best_pos = lexicon.kind_matcher.payloads[i][0].term.text, start
    if best == "unknown" and category:
        return "other"
    return best


@dataclass(slots=True)
class Doc:
    """One text being scanned (several fields joined by line breaks, see :mod:`scanners.wording`)."""

    original: str
    text: str  # folded: same length and offsets as ``original``
    listing: ListingContext
    lexicon: Lexicon
    hits: list[Hit] = field(default_factory=list)
    _cues: list[Hit] | None = None

    def cue_hits(self) -> list[Hit]:
        """Cue occurrences (reward words ...), found on first request."""
        if self._cues is None:
            from scanners.wording import find_keys  # the matcher lives with the pipeline

            self._cues = [Hit(self, s, e, k) for s, e, k in find_keys(self.lexicon.cue_matcher, self.text)]
            self._cues = [h for h in self._cues if not guarded(h)]
        return self._cues

    def cue_hits_in(self, lo: int, hi: int) -> list[Hit]:
        """Cue occurrences inside ``[lo, hi)`` only (cheaper than the whole text)."""
        from scanners.wording import find_keys

        hits = [Hit(self, lo + s, lo + e, k) for s, e, k in find_keys(self.lexicon.cue_matcher, self.text[lo:hi])]
        return [h for h in hits if not guarded(h)]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A context rule's verdict on a kept candidate; ``None`` fields keep the lexicon's value."""

    severity: Severity | None = None
    rule: str | None = None
    message: str | None = None
    suggestion: str | None = None
    citation: str | None = None
    #: Widen the reported span (original offsets), for example to cover 最 plus the adjective after it.
    start: int | None = None
    end: int | None = None


#: Keep the candidate as the lexicon describes it.
KEEP = Outcome()

ContextRule = Callable[["Hit"], Outcome | None]
_RULES: dict[str, ContextRule] = {}


def context_rule(name: str) -> Callable[[ContextRule], ContextRule]:
    """Register a context rule under the name term files use in ``context = [...]``."""

    def register(fn: ContextRule) -> ContextRule:
        if name in _RULES:
            raise ValueError(f"context rule {name!r} registered twice")
        _RULES[name] = fn
        return fn

    return register


def rules() -> dict[str, ContextRule]:
    """The registered context rules by name."""
    return _RULES


@dataclass(slots=True, eq=False)
class Hit:
    """One candidate: a key of the lexicon found at ``[start, end)`` (original offsets) in a :class:`Doc`."""

    doc: Doc
    start: int
    end: int
    key: Key
    _sides: dict[tuple[bool, int], tuple[str, list[int]]] = field(default_factory=dict)

    @property
    def term(self) -> Term:
        return self.key.term

    @property
    def text(self) -> str:
        """The folded text of the hit, filler included."""
        return self.doc.text[self.start : self.end]

    @property
    def spaced(self) -> bool:
        """Whether filler sits between the characters of the hit ("最 佳")."""
        return self.end - self.start != len(self.key.key)

    @property
    def lexicon(self) -> Lexicon:
        return self.doc.lexicon

    @property
    def listing(self) -> ListingContext:
        return self.doc.listing

    @property
    def seg_stop(self) -> int:
        """Separator level that ends the hit's own phrase.

        A space ends a keyword in a title ("销量第一 眼霜"), unless the hit itself is spelt out with
        spaces or is one character, where a space is the evasion, not a boundary ("第 一 眼", "最 终").
        """
        if self.end - self.start == 1 or self.spaced:
            return CLAUSE
        return SOFT

    # -- reading the context ------------------------------------------------------------------------------

    def after_positions(self, n: int, stop: int | None = None, at: int | None = None) -> list[int]:
        """Offsets of up to ``n`` content characters after the hit, not crossing a separator >= ``stop``."""
        stop = self.seg_stop if stop is None else stop
        levels = filler_levels()
        text = self.doc.text
        out: list[int] = []
        i = self.end if at is None else at
        limit = min(len(text), self.end + READ_LIMIT)
        while i < limit and len(out) < n:
            lvl = levels.get(text[i])
            if lvl is None:
                out.append(i)
            elif lvl >= stop:
                break
            i += 1
        return out

    def before_positions(self, n: int, stop: int | None = None, at: int | None = None) -> list[int]:
        """Offsets (in reading order) of up to ``n`` content characters before the hit."""
        stop = self.seg_stop if stop is None else stop
        levels = filler_levels()
        text = self.doc.text
        out: list[int] = []
        i = (self.start if at is None else at) - 1
        floor = max(-1, self.start - READ_LIMIT - 1)
        while i > floor and len(out) < n:
            lvl = levels.get(text[i])
            if lvl is None:
                out.append(i)
            elif lvl >= stop:
                break
            i -= 1
        out.reverse()
        return out

    def after(self, n: int, stop: int | None = None) -> str:
        """Up to ``n`` content characters after the hit (filler skipped), folded."""
        chars, cut = self._side(True, n)
        return chars[: min(n, cut[self.seg_stop if stop is None else stop])]

    def before(self, n: int, stop: int | None = None) -> str:
        """Up to ``n`` content characters before the hit (filler skipped), folded, in reading order."""
        if n <= 0:
            return ""
        chars, cut = self._side(False, n)
        k = min(n, cut[self.seg_stop if stop is None else stop])
        return chars[:k][::-1]

    def _side(self, right: bool, need: int) -> tuple[str, list[int]]:
        """The content characters on one side of the hit (away from it, not past a sentence end) and, per
        separator level, how many of them come before the first separator of that level.

        Computed once per hit, side and size (16 characters, or 64 when a rule reads further); every read
        of that side is then a slice.
        """
        size = 16 if need <= 16 else _SIDE
        key = (right, size)
        got = self._sides.get(key)
        if got is not None:
            return got
        text = self.doc.text
        if right:
            chunk = text[self.end : self.end + min(3 * size, READ_LIMIT)]
        else:
            chunk = text[max(0, self.start - min(3 * size, READ_LIMIT)) : self.start][::-1]
        cut = [size] * 5
        if _ANY_FILLER.search(chunk) is None:
            got = (chunk[:size], cut)
        else:
            levels = _LEVELS
            chars: list[str] = []
            for c in chunk:
                lv = levels.get(c)
                if lv is None:
                    chars.append(c)
                    if len(chars) >= size:
                        break
                    continue
                n = len(chars)
                for stop in range(1, lv + 1):
                    if cut[stop] > n:
                        cut[stop] = n
                if lv >= SENTENCE:
                    break
            got = ("".join(chars), cut)
        self._sides[key] = got
        return got

    def raw_after(self, n: int) -> str:
        """The next ``n`` folded characters, filler included (for marks such as ® or a hyphen)."""
        return self.doc.text[self.end : self.end + n]

    def raw_before(self, n: int) -> str:
        return self.doc.text[max(0, self.start - n) : self.start]

    def sentence(self) -> tuple[str, str]:
        """The content of the hit's sentence before and after it."""
        return self.before(60, SENTENCE), self.after(60, SENTENCE)

    # -- word classes ---------------------------------------------------------------------------------------

    def starts_with(self, s: str, cls: str) -> str | None:
        """The longest word of class ``cls`` that ``s`` begins with."""
        if not s:
            return None
        for w in self.doc.lexicon.prefix_index[cls].get(s[0], ()):
            if s.startswith(w):
                return w
        return None

    def ends_with(self, s: str, cls: str) -> str | None:
        """The longest word of class ``cls`` that ``s`` ends with."""
        if not s:
            return None
        for w in self.doc.lexicon.suffix_index[cls].get(s[-1], ()):
            if s.endswith(w):
                return w
        return None

    def search(self, s: str, cls: str) -> re.Match[str] | None:
        """The first occurrence in ``s`` of a word (or pattern) of class ``cls``."""
        return self.doc.lexicon.patterns[cls].search(s)

    def cues(self, cue_class: str, lo: int | None = None, hi: int | None = None) -> list[Hit]:
        """Cue hits of one class in the same text, or in ``[lo, hi)`` (reward words near 好评 ...)."""
        hits = self.doc.cue_hits() if lo is None or hi is None else self.doc.cue_hits_in(lo, hi)
        return [h for h in hits if h.term.cue_class == cue_class]

    def extend_to(self, positions: list[int]) -> Outcome:
        """An outcome whose span also covers the given content characters."""
        if not positions:
            return KEEP
        return Outcome(start=min(self.start, positions[0]), end=max(self.end, positions[-1] + 1))


def guarded(hit: Hit) -> bool:
    """An ordinary word (guard) cuts across the hit or contains it: 积极 + 致力 is no 极致, 首选项 no 首选.

    Compared on the folded text; where filler sits next to the hit ("积极 致力") it is compared again
    with the filler removed.
    """
    guards = hit.doc.lexicon.guards_by_key.get(hit.key.key)
    if not guards:
        return False
    text = hit.doc.text
    s, e = hit.start, hit.end
    n = len(text)
    spaced = hit.spaced
    for g, off, probe, ch in guards:
        at = s - 1 if probe < 0 else e
        if 0 <= at < n and text[at] == ch:
            gs = s - off
            if not spaced and gs >= 0 and text[gs : gs + len(g)] == g:
                return True
    # Filler inside or next to the hit could hide a guard ("积极 致力"): compare once more without it.
    if not spaced and not (0 < s and text[s - 1] in _LEVELS) and not (e < n and text[e] in _LEVELS):
        return False
    longest = max(len(g) for g, *_ in guards)
    lo, hi = max(0, s - 2 * longest), e + 2 * longest
    left = _BELOW[SENTENCE].sub("", text[lo:s])
    window = left + hit.key.key + _BELOW[SENTENCE].sub("", text[e:hi])
    k0 = len(left)
    for g, off, _, _ in guards:
        gs = k0 - off
        if gs >= 0 and window[gs : gs + len(g)] == g:
            return True
    return False
