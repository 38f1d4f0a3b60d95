"""The wording scanner: lexicon matching, context rules, findings with exact original offsets.

Pipeline for one text (or all fields of one listing joined by line breaks, scanned in one pass):

1. :func:`scanners.normalize.fold` (length-preserving, so offsets are shared with the original);
2. one Aho-Corasick pass over the folded text - or, only when the evasion pre-filter sees two characters
   of one key on either side of soft filler, over the *squeezed* text (filler deleted) with a map back;
3. candidate checks that need no context: Latin/digit word boundaries, no clause break inside a term,
   the listing's kind/platform/presale state, allow-listed names and guard words;
4. a longer candidate swallows the shorter ones inside it (全网最低价 over 最低价 over 最);
5. the term's context rules (exemptions of the SAMR guide, negation, pairing, ...);
6. overlapping findings: the more severe, then the longer, wins.

Steps 3-6 run only for texts with candidates; most texts stop after step 2.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from scanners import claims, extreme
from scanners.context import (
    KEEP,
    READ_LIMIT,
    ContextRule,
    Doc,
    Hit,
    ListingContext,
    Outcome,
    guarded,
    resolve_kind,
    with_facts,
)
from scanners.findings import Finding
from scanners.memo import BoundedMemo
from scanners.normalize import SENTENCE, SOFT, filler_levels, fold, normalize_term, separator_pattern
from scanners.options import ScanOptions, allow_matcher, extra_matcher
from scanners.terms import Key, Lexicon, Via, default_lexicon, find_keys
from scanners.words import clear_memo as clear_split_memo
from scanners.words import split_across_words, stands_alone


def _join_rules(*tables: dict[str, ContextRule]) -> dict[str, ContextRule]:
    joined: dict[str, ContextRule] = {}
    for table in tables:
        for name, rule in table.items():
            if name in joined:
                raise ValueError(f"context rule {name!r} is defined twice")
            joined[name] = rule
    return joined


#: Every context rule by the name term files use in ``context = [...]``.
CONTEXT_RULES: dict[str, ContextRule] = _join_rules(extreme.RULES, claims.RULES)

_validated: set[int] = set()


def _lexicon() -> Lexicon:
    """The built-in lexicon, checked once that every context rule it names exists."""
    lexicon = default_lexicon()
    if id(lexicon) not in _validated:
        known = CONTEXT_RULES
        for term in lexicon.terms:
            for name in term.contexts:
                if name not in known:
                    raise ValueError(f"{term.source}: term {term.text!r} names unknown context rule {name!r}")
        _validated.add(id(lexicon))
    return lexicon


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


def _allowed_spans(folded: str, options: ScanOptions | None, names: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of the shop's and the listing's own names (brands, models, trademarks)."""
    spans: list[tuple[int, int]] = []
    if options is not None and options.allow:
        spans.extend((s, e) for s, e, _ in find_keys(allow_matcher(options.allow), folded))
    for name in names:
        key = fold(name)
        if not normalize_term(key):
            continue
        pos = folded.find(key)
        while pos >= 0:
            spans.append((pos, pos + len(key)))
            pos = folded.find(key, pos + 1)
    return spans


def _drop_contained(cands: list[Hit]) -> list[Hit]:
    """Keep only candidates not strictly inside a longer one (the longer spelling decides)."""
    if len(cands) < 2:
        return cands
    cands.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    reach: Hit | None = None  # the kept candidate that reaches furthest right
    for h in cands:
        if reach is not None and h.end <= reach.end and (reach.end - reach.start) > (h.end - h.start):
            continue
        kept.append(h)
        if reach is None or h.end > reach.end:
            reach = h
    return kept


class _Raw:
    """A judged candidate and the span it reports."""

    def __init__(self, start: int, end: int, hit: Hit, outcome: Outcome) -> None:
        self.start = start
        self.end = end
        self.hit = hit
        self.outcome = outcome


def _render(template: str, text: str, hit: Hit, lexicon: Lexicon, citation_key: str) -> str:
    c = lexicon.citations.get(citation_key)
    return (
        template.replace("{text}", text)
        .replace("{term}", hit.term.text)
        .replace("{citation}", c.text if c else citation_key)
        .replace("{penalty}", c.penalty if c else "")
    )


# PERFORMANCE: context verdicts, memoised by what the rules can see. Listing pages are templated - the
# same after-sale footer, the same shipping paragraph on every listing of a shop - so the same phrase in
# the same sentence is judged once. No rule reads past a sentence end (every read stops at level SENTENCE
# or lower) nor further than context.READ_LIMIT characters, so the key is the hit's sentence (bounded by
# both) and the listing state the rules consult. Not used with allow-listed names or shop terms (they
# change neighbouring hits). A dropped candidate is stored as (None, 0, 0).
_VERDICTS: BoundedMemo[tuple[object, ...], tuple[Outcome | None, int, int]] = BoundedMemo(16384)
_DOC_WIDE = frozenset(
    {"grade", "gift_unstated", "eye_care", "liquor", "nutrient_backed", "breed_trait", "presale_schedule"}
)  # rules that read the whole text: never memoised
_SENTENCE_END = separator_pattern(SENTENCE)


def clear_memos() -> None:
    """Forget every memoised verdict (tests compare memoised verdicts with fresh ones)."""
    _VERDICTS.clear()
    _GUARDED.clear()
    clear_split_memo()


def _sentence_window(hit: Hit) -> tuple[int, int]:
    text = hit.doc.text
    lo = max(0, hit.start - READ_LIMIT)
    back = text[lo : hit.start][::-1]
    m = _SENTENCE_END.search(back)
    start = hit.start - m.start() - 1 if m is not None else lo
    hi = min(len(text), hit.end + READ_LIMIT)
    m = _SENTENCE_END.search(text, hit.end, hi)
    end = m.end() if m is not None else hi
    return start, end


def _judge(hit: Hit, cacheable: bool) -> Outcome | None:
    """Run the hit's context rules (memoised; see above); ``None`` drops the candidate."""
    term = hit.term
    if cacheable and not _DOC_WIDE.intersection(term.contexts):
        listing = hit.doc.listing
        ws, we = _sentence_window(hit)
        key = (
            hit.key,
            hit.doc.text[ws:we],
            hit.start - ws,
            hit.end - hit.start,
            listing.kind,
            listing.presale,
            listing.platform,
            listing.list_price_basis,
            listing.registered,
            listing.virtual,
            listing.presale_unmarked,
            listing.pet,
            listing.beauty_device,
            listing.fitness,
            listing.agri,
            listing.work,
        )
        cached = _VERDICTS.get(key)
        if cached is not None:
            verdict = cached[0]
            return None if verdict is None else _shift(verdict, hit.start, cached[1], cached[2])
        outcome = _run_rules(hit)
        if outcome is None:
            _VERDICTS.put(key, (None, 0, 0))
        else:
            rel_start = (outcome.start - hit.start) if outcome.start is not None else 0
            rel_end = (outcome.end - hit.start) if outcome.end is not None else hit.end - hit.start
            _VERDICTS.put(key, (outcome, rel_start, rel_end))
        return outcome
    return _run_rules(hit)


# PERFORMANCE: guard verdicts (context.guarded), memoised by all that guarded() reads: the key's guards and
# the folded text within twice the longest guard on either side of the hit (its reach in both of its
# passes), with the hit's place in it. Titles put the same words around the same terms ("送礼首选 家用"),
# and the check with filler removed is the costly one.
_GUARDED: BoundedMemo[tuple[str, str, int, int], bool] = BoundedMemo(16384)
_GUARD_REACH: dict[str, int] = {}  # per key of the lexicon: bounded by its size
_guard_lexicon: list[Lexicon] = []  # the lexicon the two tables above belong to


def _guarded(hit: Hit) -> bool:
    lexicon = hit.doc.lexicon
    if not _guard_lexicon or _guard_lexicon[0] is not lexicon:
        _GUARDED.clear()
        _GUARD_REACH.clear()
        _guard_lexicon[:] = [lexicon]
    key = hit.key.key
    guards = lexicon.guards_by_key.get(key)
    if not guards:
        return False
    reach = _GUARD_REACH.get(key)
    if reach is None:
        reach = _GUARD_REACH[key] = 2 * max(len(g) for g, *_ in guards)
    text = hit.doc.text
    lo = max(0, hit.start - reach)
    memo_key = (key, text[lo : hit.end + reach], hit.start - lo, hit.end - hit.start)
    verdict = _GUARDED.get(memo_key)
    if verdict is None:
        verdict = guarded(hit)
        _GUARDED.put(memo_key, verdict)
    return verdict


def _split(hit: Hit) -> bool:
    """The hit is pieces of the words around it (学生 + 发卡 is no 生发): see :mod:`scanners.words`.

    Pinyin spellings and the shop's own terms are not segmented (the dictionary knows neither).
    """
    key = hit.key
    if key.via is Via.PINYIN or key.term.source == "shop":
        return False
    if key.via is Via.HOMOPHONE:
        return not stands_alone(hit.doc.text, hit.start, hit.end, hit.doc.lexicon)
    return split_across_words(hit.doc.text, hit.start, hit.end, hit.doc.lexicon)


def _shift(outcome: Outcome, start: int, rel_start: int, rel_end: int) -> Outcome:
    if outcome.start is None and outcome.end is None:
        return outcome
    return Outcome(
        outcome.severity,
        outcome.rule,
        outcome.message,
        outcome.suggestion,
        outcome.citation,
        start + rel_start,
        start + rel_end,
    )


def _run_rules(hit: Hit) -> Outcome | None:
    registry = CONTEXT_RULES
    outcome: Outcome = KEEP
    for name in hit.term.contexts:
        verdict = registry[name](hit)
        if verdict is None:
            return None
        if verdict is not KEEP:
            outcome = verdict if outcome is KEEP else _merge(outcome, verdict)
    return outcome


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

    # The kept spans never overlap, so sorted by (start, end) only the two neighbours of a candidate can overlap it:
    # a bisection instead of a comparison with every kept span (text full of hits was quadratic: 16,000
    # characters of 最佳 took 10 s).
    kept: list[_Raw] = []
    spans: list[tuple[int, int]] = []
    for r in sorted(raws, key=rank):
        i = bisect_left(spans, (r.start, r.end))
        if i > 0 and not (r.end <= spans[i - 1][0] or spans[i - 1][1] <= r.start):
            continue
        if i < len(spans) and not (r.end <= spans[i][0] or spans[i][1] <= r.start):
            continue
        spans.insert(i, (r.start, r.end))
        kept.append(r)
    return kept


def _presale_stated(
    found: list[tuple[int, int, Key]], original: str, folded: str, listing: ListingContext, lexicon: Lexicon
) -> bool:
    """Some presale word of the text (预售, 付尾款 ...) says the goods are presold, not that they are not."""
    doc: Doc | None = None
    for start, end, key in found:
        if key.term.rule != _PRESALE_FLAG_RULE or "presale_unmarked" not in key.term.contexts:
            continue  # a presale word, not a hint read by its own rule ("4月初陆续发货")
        if doc is None:
            doc = Doc(original=original, text=folded, listing=listing, lexicon=lexicon)
        hit = Hit(doc, start, end, key)
        if _well_formed(folded, start, end, key) and not guarded(hit) and not claims.presale_denied(hit):
            return True
    return False


_PRESALE_FLAG_RULE = "presale.flag_missing"


def scan_fields(
    fields: Sequence[tuple[str, str]],
    listing: ListingContext,
    *,
    options: ScanOptions | None = None,
    allow: Sequence[str] | Callable[[], Sequence[str]] = (),
    listing_id: str | None = None,
) -> list[Finding]:
    """Scan several fields of one listing in one pass; findings carry offsets into each field's value.

    ``allow`` adds names known from the listing itself (its brand and model) to the shop's allow-list; a
    callable is called only when some candidate needs the names.
    """
    values = [v for _, v in fields]
    original = "\n".join(values)
    if not original:
        return []
    folded = fold(original)
    lexicon = _lexicon()
    if listing.kind is None:
        listing = ListingContext(
            category=listing.category,
            kind=resolve_kind(listing.category, folded, lexicon),
            presale=listing.presale,
            platform=listing.platform,
            list_price_basis=listing.list_price_basis,
        )
    kind = listing.kind or "unknown"
    found = find_keys(lexicon.matcher_for(kind, listing.presale), folded)
    if options is not None and options.extra_terms:
        found += find_keys(extra_matcher(options.extra_terms), folded)
    if not found:
        return []  # the common case: nothing to judge
    listing = with_facts(listing, folded, lexicon, {name for _, _, key in found for name in key.term.contexts})
    if not listing.presale and _presale_stated(found, original, folded, listing, lexicon):
        # 预售 in the text of a listing not marked presale: judge it as the presale it says it is.
        listing = listing.replaced(presale=True, presale_unmarked=True)
        found = find_keys(lexicon.matcher_for(kind, True), folded)
        if options is not None and options.extra_terms:
            found += find_keys(extra_matcher(options.extra_terms), folded)
    doc = Doc(original=original, text=folded, listing=listing, lexicon=lexicon)
    cands: list[Hit] = []
    # PERFORMANCE: a cosmetic's efficacy words reach goods of kind "other" only to be judged as a beauty device's
    # claims (claims.beauty_device); on other goods they are dropped here, before guards, segmentation and rules.
    not_device = kind == "other" and not listing.beauty_device
    for start, end, key in found:
        if not_device and "beauty_device" in key.term.contexts:
            continue
        if key.term.applies(kind, listing.platform, listing.presale) and _well_formed(folded, start, end, key):
            cands.append(Hit(doc, start, end, key))
    if not cands:
        return []
    cands = [h for h in cands if not _guarded(h) and not _split(h)]
    names = allow() if callable(allow) else allow
    allowed = _allowed_spans(folded, options, names) if (names or (options and options.allow)) else []
    if allowed:
        cands = [h for h in cands if not any(s <= h.start and h.end <= e for s, e in allowed)]
    cands = _drop_contained(cands)
    doc.hits.extend(cands)

    raws: list[_Raw] = []
    cacheable = not allowed and not (options is not None and options.extra_terms)
    for hit in cands:
        outcome = _judge(hit, cacheable)
        if outcome is None:
            continue
        start = hit.start if outcome.start is None else outcome.start
        end = hit.end if outcome.end is None else outcome.end
        raws.append(_Raw(start, end, hit, outcome))
    if not raws:
        return []

    starts: list[int] = []
    pos = 0
    for v in values:
        starts.append(pos)
        pos += len(v) + 1
    findings: list[Finding] = []
    for raw in _resolve_overlaps(raws, kind):
        fi = bisect_right(starts, raw.start) - 1
        fstart = starts[fi]
        start, end = raw.start - fstart, raw.end - fstart
        value = values[fi]
        if end > len(value):  # defensive: spans never cross a field, whose separator is a sentence end
            continue
        term, out = raw.hit.term, raw.outcome
        citation_key = out.citation or term.citation_key(kind)
        text = value[start:end]
        findings.append(
            Finding(
                rule=out.rule or term.rule,
                category=term.category,
                severity=out.severity or term.severity_for(kind),
                field=fields[fi][0],
                start=start,
                end=end,
                text=text,
                message=_render(out.message or term.message, text, raw.hit, lexicon, citation_key),
                citation=lexicon.citation_text(citation_key),
                suggestion=_render(
                    out.suggestion if out.suggestion is not None else term.suggestion_for(kind),
                    text,
                    raw.hit,
                    lexicon,
                    citation_key,
                )
                or None,
                listing_id=listing_id,
            )
        )
    findings.sort(key=Finding.sort_key)
    return findings


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
    ctx = ListingContext(category=category, presale=presale, platform=options.platform if options else None)
    return scan_fields([(field, text)], ctx, options=options, listing_id=listing_id)
