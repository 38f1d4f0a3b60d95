"""Context rules for efficacy/medical claims, review inducement, price wording and presale wording."""

from __future__ import annotations

import re

from scanners.context import CLAUSE, KEEP, SENTENCE, SOFT, ContextRule, Hit, Outcome, mentioned, work_topic
from scanners.findings import Severity
from scanners.normalize import separator_pattern

_DIGIT = re.compile(r"[0-9]")


def _adjacent(first: Hit, second: Hit, gap: int = 1) -> bool:
    """``second`` follows ``first`` within ``gap`` characters in the same sentence."""
    if not 0 <= second.start - first.end <= gap:
        return False
    return _SENTENCE_END.search(first.doc.text, first.end, second.start) is None


_SENTENCE_END = separator_pattern(SENTENCE)


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


def medical(hit: Hit) -> Outcome | None:
    """A disease, treatment or efficacy claim; not a disclaimer ("不能代替药物治疗疾病"), a style word
    (治愈系, 特效妆), the topic of a work ("糖尿病防治教材") or a quoted mention."""
    if negated(hit, "negators"):
        return None
    tail = hit.after(3, SOFT)
    if hit.starts_with(tail, "style_suffixes") and not hit.starts_with(tail, "style_not"):
        return None
    if not hit.term.norm.endswith("级") and hit.starts_with(hit.after(4, SOFT), "material_nouns"):
        return None  # "抗菌树脂", "抗菌材料": a property of a tool's material (but 医用级硅胶 is a grade claim)
    if work_topic(hit) or mentioned(hit):
        return None
    return KEEP


REGISTERED_PRODUCT = Outcome(
    severity=Severity.INFO,
    message="“{text}”出现在药品、医疗器械、兽药或保健食品的页面上：宣传内容须与注册证或批准文件载明的适应症、功能一致，请保留注册证或批准文号备查",
    suggestion="核对注册证或批准文件载明的适应症、功能；超出部分删除",
)


def visual_effects(hit: Hit) -> Outcome | None:
    """特效 as visual effects ("全特效LOL", "炫酷特效", "特效镜头"), not a special efficacy."""
    if hit.ends_with(hit.before(3, SOFT), "graphics_lead") or hit.starts_with(hit.after(4, SOFT), "graphics_after"):
        return None
    return KEEP


def registered(hit: Hit) -> Outcome | None:
    """A drug, medical device, veterinary drug or health food (by its category, or by a registration or
    filing number anywhere in the listing) may state its approved indication: information with a reminder."""
    listing = hit.listing
    if not (listing.registered or listing.kind in ("drug", "medical_device")):
        return KEEP
    if listing.kind == "health_food" and hit.term.norm in hit.lexicon.words["registered_functions"]:
        return registered_function(hit)  # checked against the health food's own registration
    return REGISTERED_PRODUCT


CLAIMED = Outcome(
    severity=Severity.ERROR,
    rule="medical.disease_claim",
    message="“{text}”声称对疾病或症状有治疗、缓解或预防作用，非药品、医疗器械的商品不得宣传",
)


def disease_mention(hit: Hit) -> Outcome | None:
    """A disease or symptom named in selling text: a warning; with an effect verb before it a claim.

    Named right after a reported treatment claim ("治疗失眠") it is part of that claim, reported once.
    """
    for other in hit.doc.hits:
        if other is not hit and other.term.category is hit.term.category and _adjacent(other, hit):
            return None
    relief = hit.ends_with(hit.before(6, SOFT), "relief_words")
    if relief:  # "再也不失眠", "从此告别便秘": a promise that the disease goes away
        start = hit.before_positions(len(relief), SOFT)[0]
        return Outcome(CLAIMED.severity, CLAIMED.rule, CLAIMED.message, None, None, start, hit.end)
    if medical(hit) is None:
        return None
    modifier = hit.ends_with(hit.before(2, SOFT), "content_modifiers")
    if modifier and not hit.ends_with(hit.before(2 + len(modifier), SOFT), "effect_verbs"):
        return None  # "低胆固醇配方", "无糖": a nutrient content, not a disease (but 减少脱发 is a claim)
    after_verb = hit.starts_with(hit.after(3, SOFT), "effect_after")
    if after_verb:  # "皮炎修复", "失眠改善": the effect named after the disease
        end = hit.after_positions(len(after_verb), SOFT)[-1] + 1
        return Outcome(CLAIMED.severity, CLAIMED.rule, CLAIMED.message, None, None, hit.start, end)
    if hit.search(hit.before(8, CLAUSE) + "|" + hit.after(10, CLAUSE), "disease_advice"):
        return None  # "感冒期间请多喝水": a caution
    if hit.search(hit.sentence()[0], "caution_headings"):
        return None  # "不适宜人群：孕妇、乳母、糖尿病患者": the label's list of who should not take it
    verb = hit.search(hit.before(6, CLAUSE), "effect_verbs")
    if verb is not None:
        start = hit.before_positions(6, CLAUSE)[verb.start()]
        return Outcome(CLAIMED.severity, CLAIMED.rule, CLAIMED.message, None, None, start, hit.end)
    return KEEP


REGISTERED = Outcome(
    severity=Severity.INFO,
    message="“{text}”是保健功能声称；页面已标示保健食品注册或备案号，请核对与注册证、备案凭证载明的功能一致",
)


def registered_function(hit: Hit) -> Outcome | None:
    """A health function claimed by a health food that names its registration or filing number
    (国食健注G2019…, 食健备G…, 卫食健字…): the claim is lawful if it is the registered one (info)."""
    if hit.listing.kind != "health_food" or hit.term.norm not in hit.lexicon.words["registered_functions"]:
        return KEEP
    before, after = hit.sentence()  # the sentence only: verdicts are memoised per sentence
    if hit.search(before + "|" + after, "health_registration"):
        return REGISTERED
    return KEEP


def weight_number(hit: Hit) -> Outcome | None:
    """瘦/减/掉 + an amount of body weight ("轻松瘦20斤", "一个月掉10斤") claims weight loss."""
    tail = hit.after(6, SOFT)
    m = _WEIGHT_AMOUNT.match(tail)
    if m is None:
        return None
    return hit.extend_to(hit.after_positions(m.end(), SOFT))


_WEIGHT_AMOUNT = re.compile(r"(?:了|掉|下|去)?(?:[0-9]+|[一二两三四五六七八九十几]+)(?:多|来)?(?:斤|公斤|kg|磅)")


def fake_comparison(hit: Hit) -> Outcome | None:
    """ "不要998，只要98": an invented reference price."""
    if not _DIGIT.match(hit.after(2, SOFT)):
        return None
    _, after = hit.sentence()
    if hit.search(after, "current_price") is None:
        return None
    return KEEP


# -- review inducement -----------------------------------------------------------------------------------


def _review(hit: Hit, stop: int) -> Outcome | None:
    if negated(hit, "review_negators", window=10) or mentioned(hit):
        return None
    if hit.starts_with(hit.after(3, SOFT), "review_not_request"):
        return None  # 好评如潮, 好评率: describes reviews, asks for none
    if hit.search(hit.after(12, CLAUSE), "review_withdrawn"):
        return None  # "评价有礼活动已结束"
    window = hit.before(16, SENTENCE) + hit.after(24, SENTENCE)
    if hit.lexicon.patterns["reward_chars"].search(window) is None:
        return None  # no reward word anywhere near: the common "感谢您的好评"
    before = hit.before_positions(16, stop)
    after = hit.after_positions(18, stop)
    lo = before[0] if before else hit.start
    hi = after[-1] + 1 if after else hit.end
    far = hit.after_positions(24, SENTENCE) if stop < SENTENCE else []
    hi_sentence = max(hi, far[-1] + 1) if far else hi
    cues = hit.cues("reward", lo, hi_sentence)
    if hi_sentence > hi:
        # A reward that opens the next clause still answers the request: "评价满15字带3张图，返2元".
        for cue in cues:
            if hi <= cue.start and _clause_initial(cue):
                hi = max(hi, cue.end)
                break
    best: Hit | None = None
    for cue in cues:
        if cue.start >= lo and cue.end <= hi and not (hit.start <= cue.start and cue.end <= hit.end):
            # The nearest reward; of two starting at the same place the longer (返现 over 返).
            key = (abs(cue.start - hit.start), -(cue.end - cue.start))
            if best is None or key < (abs(best.start - hit.start), -(best.end - best.start)):
                best = cue
    if best is None:
        return None  # a review word with no reward in reach: "感谢您的好评"
    return Outcome(start=min(hit.start, best.start), end=max(hit.end, best.end))


def _clause_initial(cue: Hit) -> bool:
    """The cue opens its clause, after at most a linking word ("，即返", "，可以领取", "，马上送")."""
    lead = cue.before(4, CLAUSE)
    return not lead or lead in cue.lexicon.words["clause_openers"]


def review(hit: Hit) -> Outcome | None:
    """好评/评价 + a reward (返现, 红包, 送, 有礼...) in the same clause; a request ("给个好评，…立减10元")
    reaches the whole sentence."""
    if hit.ends_with(hit.before(3, SOFT), "review_request"):
        return _review(hit, SENTENCE)
    return _review(hit, CLAUSE)


def review_strong(hit: Hit) -> Outcome | None:
    """五星好评/晒图/追评 + a reward anywhere in the same sentence ("五星好评，返现5元")."""
    return _review(hit, SENTENCE)


# -- price -----------------------------------------------------------------------------------------------


def price_lowest(hit: Hit) -> Outcome | None:
    """全网最低价, 史上最低价: within the shop's own range it needs evidence rather than removal."""
    if negated(hit, "negators") or mentioned(hit):
        return None
    canonical = hit.text
    before_s, after_s = hit.sentence()
    compared = hit.search(before_s + "|" + after_s, "reference_price_words") is not None
    if (
        not compared
        and not hit.search(hit.before(6, CLAUSE) + canonical, "price_scope")
        and _DIGIT.search(hit.after(6, SENTENCE))
    ):
        return None  # "最低价99元", "最低价格区间99-199元": the product's own price range, stated
    before = hit.before(16, CLAUSE)
    if hit.search(before, "self_markers") and not hit.search(before + hit.text, "unlimited_scope"):
        return Outcome(
            severity=Severity.WARNING,
            message="“{text}”限于本店范围，须能证明确为本店同款商品的最低价，并注明比较范围和时间",
        )
    return KEEP


def price_reference(hit: Hit) -> Outcome | None:
    """原价/市场价/专柜价 with an amount: a reference price needs a stated basis."""
    before, after = hit.sentence()
    window = before[-24:] + after[:30]
    if hit.search(window, "price_basis"):
        return None  # the basis is stated ("原价为前7日最低成交价")
    tail = hit.after(8, SENTENCE)
    if not (_DIGIT.search(tail) or (hit.search(window, "current_price") and _DIGIT.search(window))):
        return None  # "日常价与活动价以页面为准": no amount, no price comparison
    if hit.listing.list_price_basis:
        return Outcome(
            severity=Severity.INFO,
            message="“{text}”是划线/参考价格；SKU 已登记依据，请确认页面同时展示了依据说明",
        )
    return KEEP


def price_fraud(hit: Hit) -> Outcome | None:
    """跳楼价, 亏本甩卖, 出厂价: unfounded price wording; a negation ("非出厂价") is not a claim, nor is
    最后一天 about shipping ("年前发货最后一天")."""
    if negated(hit, "negators", window=4) or mentioned(hit):
        return None
    if hit.term.norm in ("最后一天", "仅此一天"):
        before, after = hit.sentence()
        if hit.search(before[-12:] + "|" + after[:12], "logistics_words"):
            return None
    return KEEP


def presale_unmarked(hit: Hit) -> Outcome | None:
    """预售 stated in the text of a listing not marked presale: the presale wording rules are applied and
    the missing flag is reported (a warning). Negated ("非预售", "现货非预售") it states the opposite."""
    if not hit.listing.presale_unmarked:
        return None
    if presale_denied(hit):
        return None
    return KEEP


def presale_denied(hit: Hit) -> bool:
    """ "非预售", "不是预售", "无需预售": the text says the goods are not presold."""
    b = hit.before(4, CLAUSE)
    if b and hit.ends_with(b, "instock_negators"):
        return True
    a = hit.after(1, CLAUSE)
    if (b and b[-1] in "与和及或跟") or (a and a in "与和及或跟、/"):
        return True  # "现货与预售分开下单": names the two kinds of goods the shop sells
    return negated(hit, "negators", window=4)


# -- presale ---------------------------------------------------------------------------------------------


def presale_vague(hit: Hit) -> Outcome | None:
    """尽快发货/陆续发货 on a presale listing, unless the same sentence gives the time ("11月18日前陆续发出")."""
    before, after = hit.sentence()
    if hit.search(before + "|" + after, "explicit_ship"):
        return None
    return KEEP


def channel_cheaper(hit: Hit) -> Outcome | None:
    """比聚划算更便宜, 比超市便宜: cheaper than a named channel, with or without an amount."""
    m = _CHEAPER_WORD.match(hit.after(8, CLAUSE))
    if m is None:
        return None
    return hit.extend_to(hit.after_positions(m.end(), CLAUSE))


_CHEAPER_WORD = re.compile(r"(?:还|都|更|要)?(?:便宜|划算|实惠|低|省|优惠)")


def platform_price(hit: Hit) -> Outcome | None:
    """A platform's name right before a price of the goods ("小红书1瓶155", "京东卖199元"), not before a
    time or another number ("京东48小时送达", "天猫超市")."""
    m = _PLATFORM_PRICE.match(hit.after(12, CLAUSE))
    if m is None:
        return None
    return hit.extend_to(hit.after_positions(m.end(), CLAUSE))


_PLATFORM_PRICE = re.compile(
    r"(?:上|的)?(?:卖|售价?|价格?|要|都要|标价)?(?:一|[0-9]+)?[瓶盒件支袋罐套片包]?(?:卖|要|都要)?[¥￥]?[0-9]+(?:\.[0-9]+)?"
    r"(?:元|块|rmb)?(?![0-9a-z\u4e00-\u9fff])|(?:上|的)?(?:卖|售价?|价格?|要|都要|标价)[¥￥]?[0-9]+(?:\.[0-9]+)?(?:元|块)"
)


def relative_price(hit: Hit) -> Outcome | None:
    """ "比平时便宜一百": a comparison with a reference price."""
    m = _CHEAPER.search(hit.after(12, CLAUSE))
    if m is None:
        return None  # "比平时更划算": no amount, no price comparison to check
    return hit.extend_to(hit.after_positions(m.end(), CLAUSE))


# A cheaper-than wording with an amount: "便宜一百", "低了50元", "省一半", "便宜3折".
_CHEAPER = re.compile(
    r"(?:便宜|低|省|少|降)了?(?:[0-9]+|[一二两三四五六七八九十百千几半]+)(?:多|来)?(?:元|块|折|成|倍|%)?"
)


def presale_stock(hit: Hit) -> Outcome | None:
    """现货 on a presale listing, unless negated (非现货, 不支持现货) or sold out (现货已售罄)."""
    b = hit.before(5, CLAUSE)
    if b and hit.ends_with(b, "instock_negators"):
        return None
    a = hit.after(1, CLAUSE)
    if (b and b[-1] in "与和及或跟") or (a and a in "与和及或跟、/"):
        return None  # "预售款与现货分开拍": names the two kinds of goods, promises nothing
    if hit.starts_with(hit.after(5, CLAUSE), "instock_gone"):
        return None
    return KEEP


def presale_fast(hit: Hit) -> Outcome | None:
    """ "48小时内发货" on a presale is fine when it counts from the final payment or the goods' arrival."""
    before, _ = hit.sentence()
    if hit.search(before[-16:], "presale_start_points"):
        return None
    return KEEP


def cosmetic_effect(hit: Hit) -> Outcome | None:
    """A skin concern (黑眼圈, 皱纹, 色斑) with an effect verb before it ("消除黑眼圈") is an efficacy claim."""
    verb = hit.search(hit.before(4, CLAUSE), "cosmetic_verbs")
    if verb is None:
        return None
    start = hit.before_positions(4, CLAUSE)[verb.start()]
    return Outcome(start=start, end=hit.end)


def presale_order(hit: Hit) -> Outcome | None:
    """按(付款)顺序: a vague ship time unless the sentence gives one; next to 陆续发货 it is reported once."""
    before, after = hit.sentence()
    if hit.search(before + "|" + after, "explicit_ship"):
        return None
    for other in hit.doc.hits:
        if other is not hit and other.term.category is hit.term.category and _adjacent(hit, other, gap=2):
            return None
    return KEEP


def presale_ship(hit: Hit) -> Outcome | None:
    """A ship verb qualified by a vague marker ("陆续安排寄出", "有货再发") with no explicit time given."""
    before, after = hit.sentence()
    if hit.search(before + "|" + after, "explicit_ship"):
        return None
    for other in hit.doc.hits:  # a listed phrase already covers it ("尽快发货")
        if other is not hit and other.term.category is hit.term.category and other.start <= hit.start < other.end:
            return None
    near = hit.before(8, CLAUSE)
    m = hit.search(near, "vague_ship_markers")
    if m is not None:
        start = hit.before_positions(8, CLAUSE)[m.start()]
        return Outcome(start=start, end=hit.end)
    tail = hit.after(14, CLAUSE)
    m = hit.search(tail, "vague_ship_after")
    if m is not None:  # "发货时间视工厂排产情况而定"
        return hit.extend_to(hit.after_positions(m.end(), CLAUSE))
    return None


def health_effect(hit: Hit) -> Outcome | None:
    """A body function with a boosting verb before it ("提高记忆力", "改善睡眠质量") is a health claim."""
    verb = hit.search(hit.before(4, CLAUSE), "boost_verbs")
    if verb is None:
        return None
    if negated(hit, "negators", window=8):
        return None
    start = hit.before_positions(4, CLAUSE)[verb.start()]
    return Outcome(start=start, end=hit.end)


def price_rise(hit: Hit) -> Outcome | None:
    """涨价/恢复原价 announced as imminent ("卖完涨价", "明天恢复原价") to hurry buyers."""
    if negated(hit, "negators", window=4):
        return None  # "不涨价", "绝不提价"
    if hit.term.norm == "恢复原价":
        return KEEP
    near = hit.before(8, CLAUSE)
    m = hit.search(near, "price_rise_markers")
    if m is None:
        return None
    start = hit.before_positions(8, CLAUSE)[m.start()]
    return Outcome(start=start, end=hit.end)


#: The context rules of efficacy, review, price and presale wording by the name term files give them in ``context = [...]``.
RULES: dict[str, ContextRule] = {
    "medical": medical,
    "disease_mention": disease_mention,
    "registered_function": registered_function,
    "weight_number": weight_number,
    "fake_comparison": fake_comparison,
    "review": review,
    "review_strong": review_strong,
    "price_lowest": price_lowest,
    "price_reference": price_reference,
    "price_fraud": price_fraud,
    "presale_vague": presale_vague,
    "relative_price": relative_price,
    "channel_cheaper": channel_cheaper,
    "platform_price": platform_price,
    "presale_stock": presale_stock,
    "presale_fast": presale_fast,
    "cosmetic_effect": cosmetic_effect,
    "presale_order": presale_order,
    "presale_ship": presale_ship,
    "health_effect": health_effect,
    "price_rise": price_rise,
    "registered": registered,
    "visual_effects": visual_effects,
    "presale_unmarked": presale_unmarked,
}
