"""Findings highlighted in place: a field's text cut into segments at every finding boundary.

Pure (no Django). Offsets are code points into the field's original value, as the scanners report them
(interfaces.md §1), and Python ``str`` indexes code points, so ``value[start:end] == text`` holds here too.
Overlapping findings are handled by splitting: a segment covered by two findings lists both, and is
rendered once with the worse severity.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from readiness.checks.results import SEVERITY_RANK


@dataclass(frozen=True, slots=True)
class Span:
    """A finding's place in one field: ``role`` is "main" for the finding itself, "related" for the other side
    of a spec mismatch."""

    finding: int
    start: int
    end: int
    severity: str
    role: str = "main"
    waived: bool = False


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    start: int
    end: int
    spans: tuple[Span, ...] = ()

    @property
    def marked(self) -> bool:
        return bool(self.spans)

    @property
    def findings(self) -> tuple[int, ...]:
        seen: dict[int, None] = {}
        for span in self.spans:
            seen.setdefault(span.finding, None)
        return tuple(seen)

    @property
    def severity(self) -> str:
        """The worst severity of the open findings here ("related" when only the other side of a mismatch,
        "waived" when every finding here is waived)."""
        main = [s for s in self.spans if s.role == "main" and not s.waived]
        if main:
            return min((s.severity for s in main), key=lambda sev: SEVERITY_RANK.get(sev, 9))
        if any(s.role == "related" and not s.waived for s in self.spans):
            return "related"
        return "waived"

    @property
    def is_related_only(self) -> bool:
        return all(s.role == "related" for s in self.spans)


def valid(value: str, start: int | None, end: int | None, text: str | None = None) -> bool:
    """Whether a span still fits the value (the text may have been edited since the scan)."""
    if start is None or end is None or not 0 <= start < end <= len(value):
        return False
    return text is None or value[start:end] == text


def segments(value: str, spans: Iterable[Span]) -> list[Segment]:
    """Cut ``value`` at every span boundary; each segment lists the spans that cover it entirely.

    Spans outside the value or empty are ignored. Adjacent text without any span is one plain segment.
    """
    usable = [s for s in spans if 0 <= s.start < s.end <= len(value)]
    if not usable:
        return [Segment(value, 0, len(value))] if value else []
    cuts = sorted({0, len(value), *(s.start for s in usable), *(s.end for s in usable)})
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        covering = tuple(s for s in usable if s.start <= a and s.end >= b)
        if out and not covering and not out[-1].spans:
            prev = out[-1]
            out[-1] = Segment(prev.text + value[a:b], prev.start, b)
            continue
        out.append(Segment(value[a:b], a, b, covering))
    return out


def first_segment_ids(all_segments: Sequence[Segment]) -> dict[tuple[int, str], int]:
    """For each (finding, role), the index of its first segment: that mark gets the anchor id the side list
    links to."""
    firsts: dict[tuple[int, str], int] = {}
    for i, segment in enumerate(all_segments):
        for span in segment.spans:
            firsts.setdefault((span.finding, span.role), i)
    return firsts
