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

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from scanners.findings import Severity
from scanners.normalize import CLAUSE, SENTENCE, SOFT, filler_levels
from scanners.terms import Key, Lexicon, Role, Term

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


@dataclass(frozen=True, slots=True)
class ListingContext:
    """What the rules know about the listing a text belongs to."""

    kind: str = "unknown"
    presale: bool = False
    platform: str | None = None
    #: The listing names a national/industry standard (GB/T ...), so grade words are backed.
    mentions_standard: bool = False
    #: Some SKU states the basis of its reference price (``list_price_basis``).
    list_price_basis: bool = False


@dataclass(slots=True)
class Doc:
    """One text being scanned (several fields joined by line breaks, see :mod:`scanners.wording`)."""

    original: str
    text: str  # folded: same length and offsets as ``original``
    listing: ListingContext
    lexicon: Lexicon
    hits: list[Hit] = field(default_factory=list)


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
        levels = filler_levels()
        return any(c in levels for c in self.doc.text[self.start : self.end])

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
        while i < len(text) and len(out) < n:
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
        while i >= 0 and len(out) < n:
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
        text = self.doc.text
        return "".join(text[i] for i in self.after_positions(n, stop))

    def before(self, n: int, stop: int | None = None) -> str:
        """Up to ``n`` content characters before the hit (filler skipped), folded, in reading order."""
        text = self.doc.text
        return "".join(text[i] for i in self.before_positions(n, stop))

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
        for w in self.doc.lexicon.words[cls]:
            if s.startswith(w):
                return w
        return None

    def ends_with(self, s: str, cls: str) -> str | None:
        """The longest word of class ``cls`` that ``s`` ends with."""
        if not s:
            return None
        for w in self.doc.lexicon.words[cls]:
            if s.endswith(w):
                return w
        return None

    def search(self, s: str, cls: str) -> re.Match[str] | None:
        """The first occurrence in ``s`` of a word (or pattern) of class ``cls``."""
        return self.doc.lexicon.patterns[cls].search(s)

    def cues(self, cue_class: str) -> list[Hit]:
        """Cue hits of one class in the same text (reward words for review inducement...)."""
        return [h for h in self.doc.hits if h.term.role is Role.CUE and h.term.cue_class == cue_class]

    def extend_to(self, positions: list[int]) -> Outcome:
        """An outcome whose span also covers the given content characters."""
        if not positions:
            return KEEP
        return Outcome(start=min(self.start, positions[0]), end=max(self.end, positions[-1] + 1))
