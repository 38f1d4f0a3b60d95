"""Context rules for efficacy/medical claims, review inducement, price wording and presale wording."""

from __future__ import annotations

import re

from scanners.context import CLAUSE, KEEP, SENTENCE, SOFT, Hit, Outcome, context_rule
from scanners.findings import Severity

_DIGIT = re.compile(r"[0-9]")


def negated(hit: Hit, negators: str, window: int = 8) -> bool:
    """A negation shortly before the hit in the same clause ("不能代替药物治疗", "拒绝好评返现").

    Words that merely contain a negating character (非常, 无论, 不错) are removed first.
    """
    before = hit.before(window, CLAUSE)
    if not before:
        return False
    before = hit.lexicon.patterns["not_negation"].sub("　", before)
    for w in hit.lexicon.words[negators]:
        # A negating word anywhere in the window; a single negating character only right before the hit
        # ("不治疗", "非现货"), since 不/无/非 inside other words are common.
        if len(w) > 1 and w in before:
            return True
        if len(w) == 1 and w in before[-2:]:
            return True
    return False


# -- efficacy and medical --------------------------------------------------------------------------------


@context_rule("medical")
def medical(hit: Hit) -> Outcome | None:
    """A disease, treatment or efficacy claim; a disclaimer ("不能代替药物治疗疾病") is not one."""
    if negated(hit, "negators"):
        return None
    return KEEP


# -- review inducement -----------------------------------------------------------------------------------


def _review(hit: Hit, stop: int) -> Outcome | None:
    if negated(hit, "review_negators", window=10):
        return None
    if hit.starts_with(hit.after(3, SOFT), "review_not_request"):
        return None  # 好评如潮, 好评率: describes reviews, asks for none
    before = hit.before_positions(16, stop)
    after = hit.after_positions(18, stop)
    lo = before[0] if before else hit.start
    hi = after[-1] + 1 if after else hit.end
    if stop < SENTENCE:
        # A reward that opens the next clause still answers the request: "评价满15字带3张图，返2元".
        far = hit.after_positions(24, SENTENCE)
        if far and far[-1] + 1 > hi:
            hi_sentence = far[-1] + 1
            for cue in hit.cues("reward"):
                if hi <= cue.start < hi_sentence and _clause_initial(cue):
                    hi = max(hi, cue.end)
                    break
    best: Hit | None = None
    for cue in hit.cues("reward"):
        if cue.start >= lo and cue.end <= hi and not (hit.start <= cue.start and cue.end <= hit.end):
            # The nearest reward; of two starting at the same place the longer (返现 over 返).
            key = (abs(cue.start - hit.start), -(cue.end - cue.start))
            if best is None or key < (abs(best.start - hit.start), -(best.end - best.start)):
                best = cue
    if best is None:
        return None  # a review word with no reward in reach: "感谢您的好评"
    return Outcome(start=min(hit.start, best.start), end=max(hit.end, best.end))


_CLAUSE_OPENERS = frozenset("即可就立再还都也将会")


def _clause_initial(cue: Hit) -> bool:
    """The cue opens its clause, after at most two linking characters ("，即返", "，可领")."""
    lead = cue.before(3, CLAUSE)
    return len(lead) <= 2 and all(c in _CLAUSE_OPENERS for c in lead)


@context_rule("review")
def review(hit: Hit) -> Outcome | None:
    """好评/评价 + a reward (返现, 红包, 送, 有礼...) in the same clause."""
    return _review(hit, CLAUSE)


@context_rule("review_strong")
def review_strong(hit: Hit) -> Outcome | None:
    """五星好评/晒图/追评 + a reward anywhere in the same sentence ("五星好评，返现5元")."""
    return _review(hit, SENTENCE)


# -- price -----------------------------------------------------------------------------------------------


@context_rule("price_lowest")
def price_lowest(hit: Hit) -> Outcome | None:
    """全网最低价, 史上最低价: within the shop's own range it needs evidence rather than removal."""
    if negated(hit, "negators"):
        return None
    canonical = hit.text
    if not hit.search(hit.before(6, CLAUSE) + canonical, "price_scope") and _DIGIT.search(hit.after(6, SENTENCE)):
        return None  # "最低价99元", "最低价格区间99-199元": the product's own price range, stated
    before = hit.before(16, CLAUSE)
    if hit.search(before, "self_markers") and not hit.search(before + hit.text, "unlimited_scope"):
        return Outcome(
            severity=Severity.WARNING,
            message="“{text}”限于本店范围，须能证明确为本店同款商品的最低价，并注明比较范围和时间",
        )
    return KEEP


@context_rule("price_reference")
def price_reference(hit: Hit) -> Outcome | None:
    """原价/市场价/专柜价 with an amount: a reference price needs a stated basis."""
    before, after = hit.sentence()
    window = before[-24:] + after[:30]
    if hit.search(window, "price_basis"):
        return None  # the basis is stated ("原价为前7日最低成交价")
    tail = hit.after(8, SENTENCE)
    if not (_DIGIT.search(tail) or hit.search(window, "current_price")):
        return None  # "恢复原价" without an amount or a comparison is no price comparison
    if hit.listing.list_price_basis:
        return Outcome(
            severity=Severity.INFO,
            message="“{text}”是划线/参考价格；SKU 已登记依据，请确认页面同时展示了依据说明",
        )
    return KEEP


@context_rule("price_fraud")
def price_fraud(hit: Hit) -> Outcome | None:
    """跳楼价, 亏本甩卖, 出厂价: unfounded price wording; a negation ("非出厂价") is not a claim."""
    if negated(hit, "negators", window=4):
        return None
    return KEEP


# -- presale ---------------------------------------------------------------------------------------------


@context_rule("presale_vague")
def presale_vague(hit: Hit) -> Outcome | None:
    """尽快发货/陆续发货 on a presale listing; with an explicit date in the same sentence it is a warning."""
    before, after = hit.sentence()
    if hit.search(before + "|" + after, "explicit_ship"):
        return Outcome(
            severity=Severity.WARNING,
            message="“{text}”是模糊的发货承诺；同一句已写明发货时间，建议删去模糊说法，只保留明确日期",
        )
    return KEEP


@context_rule("presale_stock")
def presale_stock(hit: Hit) -> Outcome | None:
    """现货 on a presale listing, unless negated (非现货, 不支持现货) or sold out (现货已售罄)."""
    b = hit.before(5, CLAUSE)
    if b and hit.ends_with(b, "instock_negators"):
        return None
    if hit.starts_with(hit.after(5, CLAUSE), "instock_gone"):
        return None
    return KEEP
