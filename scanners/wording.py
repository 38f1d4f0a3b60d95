"""The wording scanner: lexicon matching, context rules, findings with exact original offsets.

Pipeline for one text (or several fields of one listing joined by line breaks, scanned in one pass):

1. :func:`scanners.normalize.fold` (length-preserving, so offsets are shared with the original);
2. one Aho-Corasick pass over the folded text - or, only when the evasion pre-filter sees a character of a
   key followed by soft filler, over the *squeezed* text (filler deleted) with a map back;
3. candidate checks that need no context: Latin/digit word boundaries, no sentence break inside a term,
   the listing's kind/platform/presale state, allow-listed names and guard words;
4. a longer candidate swallows the shorter ones inside it (全网最低价 over 最低价 over 最);
5. the term's context rules (exemptions of the SAMR guide, negation, pairing, ...);
6. overlapping findings: the more severe, then the longer, wins.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Importing the rule modules registers their context rules.
from scanners import claims as _claims  # noqa: F401
from scanners import extreme as _extreme  # noqa: F401
from scanners.context import Doc, Hit, ListingContext, Outcome, rules
from scanners.findings import Finding, Severity
from scanners.normalize import SOFT, filler_levels, fold, normalize_term, squeeze
from scanners.options import ScanOptions, allow_matcher, extra_matcher
from scanners.terms import Key, Lexicon, Matcher, Role, default_lexicon


def _validate_contexts(lexicon: Lexicon) -> None:
    known = rules()
    for term in lexicon.terms:
        for name in term.contexts:
            if name not in known:
                raise ValueError(f"{term.source}: term {term.text!r} names unknown context rule {name!r}")


_validated: set[int] = set()


def _lexicon() -> Lexicon:
    lexicon = default_lexicon()
    if id(lexicon) not in _validated:
        _validate_contexts(lexicon)
        _validated.add(id(lexicon))
    return lexicon


def _matches(matcher: Matcher, folded: str) -> list[tuple[int, int, Key]]:
    """``(start, end, key)`` in original offsets for every key occurrence."""
    if matcher.empty:
        return []
    out: list[tuple[int, int, Key]] = []
    payloads = matcher.payloads
    if matcher.may_be_split(folded):
        sq = squeeze(folded)
        for end_idx, (i, length) in matcher.automaton.iter(sq.text):
            start, end = sq.span(end_idx - length + 1, end_idx + 1)
            for k in payloads[i]:
                out.append((start, end, k))
    else:
        for end_idx, (i, length) in matcher.automaton.iter(folded):
            for k in payloads[i]:
                out.append((end_idx - length + 1, end_idx + 1, k))
    return out


def _is_ascii_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_ascii_digit(ch: str) -> bool:
    return ch.isascii() and ch.isdigit()


def _well_formed(folded: str, start: int, end: int, key: Key) -> bool:
    """Word-boundary and filler checks that need no context rule."""
    if end - start != len(key.key):
        # Filler inside the term: only invisible characters, spaces and symbols, at most four in a row;
        # a comma or a sentence end between two characters means they belong to different phrases.
        levels = filler_levels()
        run = 0
        for ch in folded[start:end]:
            lvl = levels.get(ch)
            if lvl is None:
                run = 0
                continue
            run += 1
            if lvl > SOFT or run > 4:
                return False
    before = folded[start - 1] if start > 0 else ""
    after = folded[end] if end < len(folded) else ""
    if key.latin_start and before and _is_ascii_letter(before):
        return False
    if key.latin_end and after and _is_ascii_letter(after):
        return False
    if key.digit_start and before and _is_ascii_digit(before):
        return False
    return not (key.digit_end and after and _is_ascii_digit(after))


def _blocked(hit: Hit, shields: Sequence[Hit]) -> bool:
    """A term inside an allowed name, or cut across by an ordinary word (guard), is no term."""
    for s in shields:
        if s.start <= hit.start and hit.end <= s.end and (s.end - s.start) > (hit.end - hit.start):
            return True
        if s.term.role is Role.GUARD and (
            (s.start < hit.start < s.end < hit.end) or (hit.start < s.start < hit.end < s.end)
        ):
            return True
        if s.term.role is Role.ALLOW and s.start <= hit.start and hit.end <= s.end:
            return True
    return False


def _drop_contained(cands: list[Hit]) -> list[Hit]:
    """Keep only candidates not strictly inside a longer one (the longer spelling decides)."""
    cands.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    for h in cands:
        inside = False
        for k in kept:
            if k.start <= h.start and h.end <= k.end and (k.end - k.start) > (h.end - h.start):
                inside = True
                break
        if not inside:
            kept.append(h)
    return kept


@dataclass(frozen=True, slots=True)
class _Raw:
    start: int
    end: int
    hit: Hit
    outcome: Outcome


def _render(template: str, text: str, hit: Hit, lexicon: Lexicon, citation_key: str) -> str:
    c = lexicon.citations.get(citation_key)
    return (
        template.replace("{text}", text)
        .replace("{term}", hit.term.text)
        .replace("{citation}", c.text if c else citation_key)
        .replace("{penalty}", c.penalty if c else "")
    )


def scan_fields(
    fields: Sequence[tuple[str, str]],
    listing: ListingContext,
    *,
    options: ScanOptions | None = None,
    allow: Sequence[str] = (),
    listing_id: str | None = None,
) -> list[Finding]:
    """Scan several fields of one listing in one pass; findings carry offsets into each field's value.

    ``allow`` adds names known from the listing itself (its brand and model) to the shop's allow-list.
    """
    values = [v for _, v in fields]
    starts: list[int] = []
    pos = 0
    for v in values:
        starts.append(pos)
        pos += len(v) + 1
    original = "\n".join(values)
    if not original:
        return []
    folded = fold(original)
    lexicon = _lexicon()
    found = _matches(lexicon.matcher, folded)
    if options is not None and options.extra_terms:
        found += _matches(extra_matcher(options.extra_terms), folded)
    if not any(k.term.role is Role.TERM for _, _, k in found):
        return []  # the common case: nothing to judge

    allowed = set(options.allow) if options is not None else set()
    allowed.update(a for a in allow if a)
    if allowed:
        found += _matches(allow_matcher(frozenset(a for a in allowed if normalize_term(a))), folded)

    doc = Doc(original=original, text=folded, listing=listing, lexicon=lexicon)
    cands: list[Hit] = []
    cues: list[Hit] = []
    shields: list[Hit] = []
    for start, end, key in found:
        if not _well_formed(folded, start, end, key):
            continue
        hit = Hit(doc, start, end, key)
        role = key.term.role
        if role is Role.TERM:
            if key.term.applies(listing.kind, listing.platform, listing.presale):
                cands.append(hit)
        elif role is Role.CUE:
            cues.append(hit)
        else:
            shields.append(hit)
    cands = [h for h in cands if not _blocked(h, shields)]
    doc.hits.extend(c for c in cues if not _blocked(c, shields))
    cands = _drop_contained(cands)
    doc.hits.extend(cands)

    registry = rules()
    raws: list[_Raw] = []
    for hit in cands:
        outcome: Outcome | None = Outcome()
        for name in hit.term.contexts:
            verdict = registry[name](hit)
            if verdict is None:
                outcome = None
                break
            outcome = _merge(outcome, verdict)
        if outcome is None:
            continue
        start = hit.start if outcome.start is None else outcome.start
        end = hit.end if outcome.end is None else outcome.end
        raws.append(_Raw(start, end, hit, outcome))

    findings: list[Finding] = []
    for raw in _resolve_overlaps(raws, listing.kind):
        fi = bisect_right(starts, raw.start) - 1
        fstart = starts[fi]
        start, end = raw.start - fstart, raw.end - fstart
        value = values[fi]
        if end > len(value):  # defensive: spans never cross a field, whose separator is a sentence end
            continue
        term, out = raw.hit.term, raw.outcome
        citation_key = out.citation or term.citation_key(listing.kind)
        text = value[start:end]
        severity = out.severity or term.severity_for(listing.kind)
        findings.append(
            Finding(
                rule=out.rule or term.rule,
                category=term.category,
                severity=severity,
                field=fields[fi][0],
                start=start,
                end=end,
                text=text,
                message=_render(out.message or term.message, text, raw.hit, lexicon, citation_key),
                citation=lexicon.citation_text(citation_key),
                suggestion=(out.suggestion if out.suggestion is not None else term.suggestion) or None,
                listing_id=listing_id,
            )
        )
    findings.sort(key=Finding.sort_key)
    return findings


def _merge(a: Outcome, b: Outcome) -> Outcome:
    return Outcome(
        severity=b.severity or a.severity,
        rule=b.rule or a.rule,
        message=b.message or a.message,
        suggestion=b.suggestion if b.suggestion is not None else a.suggestion,
        citation=b.citation or a.citation,
        start=b.start if b.start is not None else a.start,
        end=b.end if b.end is not None else a.end,
    )


def _resolve_overlaps(raws: list[_Raw], kind: str) -> list[_Raw]:
    """One finding per stretch of text: the most severe, then the longest, then the earliest."""

    def rank(r: _Raw) -> tuple[int, int, int]:
        sev = r.outcome.severity or r.hit.term.severity_for(kind)
        return (sev.rank, -(r.end - r.start), r.start)

    kept: list[_Raw] = []
    for r in sorted(raws, key=rank):
        if all(r.end <= k.start or k.end <= r.start for k in kept):
            kept.append(r)
    return kept


def scan_text(
    text: str,
    field: str = "text",
    *,
    category: str | None = None,
    presale: bool = False,
    options: ScanOptions | None = None,
    listing_id: str | None = None,
) -> list[Finding]:
    """Scan the text of one field for extreme, efficacy, review-inducement, price and presale wording.

    ``category`` is the listing's category (``food``, ``化妆品``, ...; inferred from the text when
    omitted); ``presale`` turns on the presale wording rules (vague ship promises, 现货). Findings are
    sorted by start; ``text[f.start:f.end] == f.text`` for each.
    """
    from scanners.listing import listing_context  # here, to keep the module graph acyclic

    ctx = listing_context(
        category=category,
        texts=(text,),
        presale=presale,
        platform=options.platform if options else None,
    )
    return scan_fields([(field, text)], ctx, options=options, listing_id=listing_id)


def severity_counts(findings: Sequence[Finding]) -> Mapping[Severity, int]:
    """How many findings there are of each severity."""
    counts = dict.fromkeys(Severity, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts
