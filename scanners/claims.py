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


def _extend_by(hit: Hit, pattern: re.Pattern[str], n: int) -> Outcome | None:
    """The hit widened over what ``pattern`` matches right after it (within ``n`` characters of its clause), or
    dropped when nothing matches: the shape of the rules that need a figure or a word after their anchor."""
    m = pattern.match(hit.after(n, CLAUSE))
    if m is None:
        return None
    return hit.extend_to(hit.after_positions(m.end(), CLAUSE))


def _reach_back(hit: Hit, cls: str, n: int, stop: int) -> Outcome | None:
    """The hit widened back to the first word of class ``cls`` within ``n`` characters before it (not past
    ``stop``), or dropped when there is none: the shape of the rules that need a word before their anchor."""
    before = hit.before(n, stop)
    m = hit.lexicon.patterns[cls].search(before)
    if m is None:
        return None
    return Outcome(start=hit.before_positions(len(before) - m.start(), stop)[0])


# -- efficacy and medical --------------------------------------------------------------------------------


def medical(hit: Hit) -> Outcome | None:
    """A disease, treatment or efficacy claim; not a disclaimer ("不能代替药物治疗疾病"), a style word
    (治愈系, 特效妆), the topic of a work ("糖尿病防治教材") or a quoted mention."""
    if negated(hit, "negators"):
        return None
    tail = hit.after(3, SOFT)
    if hit.starts_with(tail, "style_suffixes") and not hit.starts_with(tail, "style_not"):
        return None
    grade = hit.term.norm.endswith("级") or hit.term.norm.startswith(("医用", "医疗", "医学"))
    if not grade and hit.starts_with(hit.after(4, SOFT), "material_nouns"):
        return None  # "抗菌树脂", "抗菌材料": a property of a tool's material (but 医用级硅胶, 医用316不锈钢 are grade claims)
    if work_topic(hit) or mentioned(hit):
        return None
    if hit.term.norm.endswith("过敏") and hit.after(1, SOFT) == "原":
        return None  # "除甲醛过敏原": allergens, a thing an air purifier removes
    if hit.starts_with(hit.after(4, SOFT), "non_disease_targets"):
        return None  # "专治雾霾 PM2.5甲醛", "专治油污": a pollutant or dirt, not a disease
    return KEEP


#: Contexts of anchor words (a verb, 效果, 就好, 价值) that count only with the words their rule reads around
#: them: beside a disease they are no reported claim that already covers it ("赶走湿气"), and they may hold
#: no other term (tests/scanners/test_lexicon.py).
ANCHOR_CONTEXTS = frozenset(
    (
        "microbe_kill",
        "potency",
        "symptom_gone",
        "quick_cure",
        "effect_hype",
        "age_number",
        "endorsed",
        "concern_gone",
        "consumption_result",
        "body_trouble",
        "vision_number",
        "health_made",
        "gift_value",
        "deal_value",
        "gift_vague",
        "channel_price",
        "price_last",
    )
)


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
    if listing.pet and hit.term.rule == "medical.health_claim" and not _RESISTANCE.search(hit.term.norm):
        return PET_NUTRITION  # "呵护消化健康", "改善体质" on cat food; resistance and immunity (强化抵抗力) stay claims
    if listing.kind == "health_food" and not listing.registered and _in_product_name(hit):
        return HEALTH_FOOD_NAME
    if not (listing.registered or listing.kind in ("drug", "medical_device")):
        return KEEP
    if _asserts_cure(hit):
        return CURE_ASSERTED  # 第十六条: no registration allows a guaranteed cure
    if listing.kind == "health_food" and hit.term.norm in hit.lexicon.words["registered_functions"]:
        return registered_function(hit)  # checked against the health food's own registration
    if not listing.registered and listing.kind == "medical_device" and _device_cure(hit):
        return UNREGISTERED_INDICATION
    return REGISTERED_PRODUCT


def beauty_device(hit: Hit) -> Outcome | None:
    """Skin and hair efficacy of cosmetics (淡纹, 祛痘, 紧致, 细胞修复) on goods that are not cosmetics: claimed by a
    beauty device (射频美容仪, 微电流瘦脸仪) it needs the device's registration, not an efficacy evaluation - a
    warning, or a reminder when the page names its registration; on other goods (a dress, a lamp) it is no
    claim of theirs. On cosmetics (and unknown goods) the cosmetics rules decide."""
    listing = hit.listing
    if listing.kind not in ("other", "unknown"):
        return KEEP
    if not listing.beauty_device:
        return None if listing.kind == "other" else KEEP
    return REGISTERED_PRODUCT if listing.registered else DEVICE_EFFICACY


DEVICE_EFFICACY = Outcome(
    severity=Severity.WARNING,
    message="“{text}”是美容仪器的功效宣称：仪器不是化妆品，不能按化妆品宣称功效；射频类美容设备须取得第三类医疗器械注册证，"
    "其他仪器的功效须有检测依据，且不得使用医疗用语",
    suggestion="射频类设备标示医疗器械注册证号，宣传不超出注册证载明的适用范围；其他仪器删除皮肤功效和医疗用语，只写工作方式和使用感受",
    citation="beauty_device",
)


def exercise_goal(hit: Hit) -> Outcome | None:
    """Weight loss as the goal of exercise equipment ("跳绳 健身减肥", "动感单车 运动减脂"): what the buyer trains
    for, not an effect the goods promise - unless the machine does the exercise ("懒人", "甩脂机")."""
    listing = hit.listing
    if (
        listing.fitness
        and listing.kind in ("other", "unknown")
        and hit.term.norm in hit.lexicon.words["exercise_goals"]
    ):
        return None
    return KEEP


def agri_input(hit: Hit) -> Outcome | None:
    """Efficacy and yield wording (增产, 亩产, 一喷就死) counts where the listing is a farm input (农药, 复合肥, 种子)."""
    return KEEP if hit.listing.agri else None


def height_target(hit: Hit) -> Outcome | None:
    """冲向/迈向/长到 + a height ("冲向一米八", "男生170冲向175", "长到180cm"): a growth target promised."""
    return _extend_by(hit, _HEIGHT, 8)


_HEIGHT = re.compile(
    r"(?:1米[5-9][0-9]?|一米[五六七八九][0-9一二三四五六七八九十]?|1[5-9][0-9](?:\.[0-9])?)\s*(?:cm|厘米|公分)?"
)


def days_to_pass(hit: Hit) -> Outcome | None:
    """N天过 + an exam or a level ("15天过初级", "30天过四级"): passing promised in a set time."""
    level = hit.starts_with(hit.after(4, SOFT), "exam_levels")
    days = _DAYS.search(hit.before(4, SOFT))
    if days is None or level is None:
        return None
    start = hit.before_positions(4, SOFT)[days.start()]
    end = hit.after_positions(len(level), SOFT)[-1] + 1
    return Outcome(start=start, end=end)


_DAYS = re.compile(r"[0-9一二三四五六七八九十百]+$")


def healing_adjective(hit: Hit) -> Outcome | None:
    """治愈 after a degree or a feeling ("软萌治愈", "很治愈", "超级治愈"): the adjective heart-warming, said of a
    figurine or a film, no cure."""
    if hit.ends_with(hit.before(4, SOFT), "healing_degree"):
        return None
    return KEEP


def breed_trait(hit: Hit) -> Outcome | None:
    """抗病 of livestock, seedlings or seeds ("太湖猪苗 抗病能力强", "抗病品种"): a trait of the breed or the
    variety, not a claim that the goods prevent disease."""
    if hit.search(hit.doc.text, "breed_nouns"):
        return None
    return KEEP


CURE_ASSERTED = Outcome(
    severity=Severity.ERROR,
    rule="medical.guarantee",
    citation="ad_law_16",
    message="“{text}”断言或保证疗效（根治、治愈、克星、限期见效），或宣称任何注册都不会批准的功效（亚健康）：药品、医疗器械广告也不得含有表示功效的断言或保证（{penalty}）",
    suggestion="删除断言和期限；只写注册证或说明书载明的适应症",
)


def _asserts_cure(hit: Hit) -> bool:
    """A cure asserted or promised by a date on a drug's or a device's page ("3天根治脚气", "30天实现HPV转阴",
    "早泄神药", "迅速清除体内HPV病毒"): what 广告法 第十六条 bans in every medical ad, registered or not. A
    disease named after a verb counts when the verb is said to act at once or for good."""
    before = hit.before(10, CLAUSE)
    if hit.term.rule == "medical.disease_mention":
        return _CURE_AT_ONCE_VERB.search(before) is not None
    if hit.term.rule != "medical.disease_claim":
        return False
    if hit.term.norm in hit.lexicon.words["cure_assertions"]:
        return True
    return _CURE_BY_DATE.search(before) is not None or _CURE_AT_ONCE.search(before) is not None


#: A cure at once or for good right before the claim ("彻底治愈", "永久告别"), or before a verb that clears a
#: named disease ("迅速清除体内HPV"); 快速 is left out, since an OTC's onset (快速退烧) is stated on its label.
_AT_ONCE = r"(?:彻底|完全|永久|永不|一次性|立即|立刻|即刻|马上|迅速)(?:地|就|可|能|可以|能够)*"
_CURE_AT_ONCE = re.compile(_AT_ONCE + "$")
_CURE_AT_ONCE_VERB = re.compile(_AT_ONCE + r"(?:清除|消除|根除|去除|杀灭|治好|治疗|摆脱|告别)(?:体内|身体|身上|掉)?$")

#: A time limit right before the claim ("3天根治", "30天实现", "20分钟就").
_CURE_BY_DATE = re.compile(
    r"(?:[0-9一二三四五六七八九十两半]+(?:个)?(?:天|日|周|星期|月|分钟|小时|疗程))"
    r"(?:内|之内|就|即|便|可|能|实现|彻底|快速|迅速)*$"
)


def disease_nemesis(hit: Hit) -> Outcome | None:
    """克星/救星 right after a disease's name or an organ in trouble ("宠物皮肤病克星", "肠胃不好的救星"): the goods
    defeat a disease; "蟑螂克星", "油污克星", "懒人救星" name pests, dirt and people."""
    before = hit.before(8, SOFT)
    for tail in ("不好的", "问题的", "困扰的", "人群的", "不好", "问题", "困扰", "人的", "的"):
        if before.endswith(tail):
            before = before[: -len(tail)]
            break
    if hit.ends_with(before[-1:], "disease_endings") or hit.ends_with(before, "troubled_organs"):
        return KEEP  # "宠物皮肤病克星", "肠胃不好的救星"
    return None


def teat_design(hit: Hit) -> Outcome | None:
    """仿母乳 of a bottle's teat or a breast pump ("仿母乳设计 奶瓶", "仿母乳奶嘴"): the shape of a part, not formula
    likened to breast milk."""
    before, after = hit.sentence()
    if hit.search(before + "|" + after, "teat_words"):
        return None
    return KEEP


def toothpaste_own(hit: Hit) -> Outcome | None:
    """Caries prevented, said of a toothpaste in the same phrase ("儿童防蛀牙膏", "含氟防蛀"): a toothpaste may
    claim it with its efficacy evaluation (牙膏监督管理办法); on other goods (an electric toothbrush, whose gift may
    be a toothpaste) it is a claim to prove."""
    before, after = hit.before(12, CLAUSE), hit.after(12, CLAUSE)
    if after.startswith("膏") or hit.search(before + "|" + after, "toothpaste_words"):
        return None  # 防蛀牙 + 膏: the toothpaste's name
    return KEEP


def warming_spot(hit: Hit) -> Outcome | None:
    """暖宫 in a list of the places a heating pad warms ("暖腰暖腹暖宫", "暖宫暖腰暖胃"): where it heats, no claim."""
    before, after = hit.before(10, SENTENCE), hit.after(10, SENTENCE)
    if hit.search(before + "|" + after, "warming_spots"):
        return None
    return KEEP


def _device_cure(hit: Hit) -> bool:
    """A medical device's page claims a cure (专治鼻炎, 治疗糖尿病) - not the device's own name (治疗仪, 理疗贴)."""
    if hit.term.rule != "medical.disease_claim":
        return False
    return not hit.starts_with(hit.after(2, SOFT), "device_nouns")


#: On pets the claims that stay warnings: resistance and immunity, the gut regulated, tear stains removed, heat cleared.
_RESISTANCE = re.compile(r"免疫|抵抗力|调理肠胃|肠胃调理|调节肠胃|泪痕|清火|降燥")

PET_NUTRITION = Outcome(
    severity=Severity.INFO,
    message="“{text}”是宠物用品的营养或功能说明：宠物饲料标签不得声称预防、治疗疾病，功能性声称须有依据，请核对",
    suggestion="保留营养成分和功能声称的依据；不写疾病名称和疗效",
)

UNREGISTERED_INDICATION = Outcome(
    severity=Severity.WARNING,
    message="“{text}”是医疗器械的疗效宣传，但页面没有标示医疗器械注册证号或备案号：医疗器械广告须显著标示注册证号，宣传内容不得超出注册证载明的适用范围",
    suggestion="在页面标示医疗器械注册证号（械注准/械备），并核对宣传内容与注册证载明的适用范围一致",
)

HEALTH_FOOD_NAME = Outcome(
    severity=Severity.INFO,
    message="“{text}”是保健食品产品名称的一部分：名称须与注册证书或备案凭证一致（2023年起新注册的名称不得含功能字样），请在页面标示批准文号",
    suggestion="核对产品名称与注册证书一致，并标示保健食品注册或备案号",
)


def _in_product_name(hit: Hit) -> bool:
    """The function word is part of a health food's product name: right before its dosage form ("碧生源减肥茶",
    "左旋肉碱减肥片"), not a claim the text makes."""
    if hit.term.rule not in ("medical.weight_loss", "medical.food_function"):
        return False  # a disease word is no function a name may carry ("降压茶")
    return hit.starts_with(hit.after(3, SOFT), "health_food_forms") is not None


#: Contexts of words that name a condition and claim only with a verb of their own (过敏 in 过敏性鼻炎): a
#: disease named after them is no part of a claim they report.
_NAMES_A_CONDITION = frozenset({"cosmetic_effect", "concern_gone"})

CLAIMED = Outcome(
    severity=Severity.ERROR,
    rule="medical.disease_claim",
    message="“{text}”声称对疾病或症状有治疗、缓解或预防作用，非药品、医疗器械的商品不得宣传",
)


def disease_mention(hit: Hit) -> Outcome | None:
    """A disease or symptom named in selling text: a warning; with an effect verb before it a claim.

    Named right after a reported treatment claim ("治疗失眠") it is part of that claim, reported once. Soreness
    eased by a massage is no disease (massage_comfort).
    """
    if massage_comfort(hit):
        return None
    for other in hit.doc.hits:
        if (
            other is not hit
            and other.term.category is hit.term.category
            and _adjacent(other, hit)
            and not ANCHOR_CONTEXTS.intersection(other.term.contexts)
            and not _NAMES_A_CONDITION.intersection(other.term.contexts)
        ):
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
    if hit.listing.agri:
        return None  # "氢氧化铜 针对细菌性溃疡": a pesticide names the plant disease it targets
    verb = hit.search(hit.before(6, CLAUSE), "effect_verbs")
    if verb is not None:
        start = hit.before_positions(6, CLAUSE)[verb.start()]
        return Outcome(CLAIMED.severity, CLAIMED.rule, CLAIMED.message, None, None, start, hit.end)
    if hit.listing.pet:
        return PET_NUTRITION  # "洁齿磨牙除口臭" on a dog chew, "宠物用感冒药": named, not cured or prevented
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
    if hit.starts_with(hit.after(3, SOFT), "bought_at"):
        return None  # "原价买成335元", "原价入手": what someone paid, no price the shop compares with
    tail = hit.after(8, SENTENCE)
    figure = _PRICE_FIGURE.search(hit.after(16, SENTENCE))  # read past the 8 characters: "牙线棒50支" is no "5"
    if not (
        (figure and figure.start() < len(tail))
        or (hit.search(window, "current_price") and _PRICE_FIGURE.search(window))
    ):
        return None  # "日常价与活动价以页面为准": no amount; "线下超市热卖同款，100ml×40瓶": a size, no price
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


_ORDER_CUTOFF = re.compile(
    r"[0-9]{1,2}月[0-9]{1,2}[日号]?(?:[0-9:点]*)?(?:之?[前后]|以[前后]|起)(?:的)?(?:订单|下单|付款|拍下|购买)"
)


def future_ship(hit: Hit) -> Outcome | None:
    """陆续发货 after a month and a part of it ("4月初陆续发货") on a listing not marked presale: the goods ship
    later, so the listing is a presale one (a full date with 起 states an ordinary ship date)."""
    if hit.listing.presale:
        return None
    m = _MONTH_PART.search(hit.before(8, CLAUSE))
    if m is None:
        return None
    return Outcome(start=hit.before_positions(8, CLAUSE)[m.start()], end=hit.end)


_MONTH_PART = re.compile(r"[0-9一二三四五六七八九十]{1,2}月(?:初|中|底|末|上旬|中旬|下旬)(?:开始|起|左右)?$")


def presale_denied(hit: Hit) -> bool:
    """ "非预售", "不是预售", "无需预售": the text says the goods are not presold."""
    b = hit.before(4, CLAUSE)
    if b and hit.ends_with(b, "instock_negators"):
        return True
    a = hit.after(1, CLAUSE)
    if (b and b[-1] in "与和及或跟") or (a and a in "与和及或跟、/"):
        return True  # "现货与预售分开下单": names the two kinds of goods the shop sells
    if hit.term.norm in _DEPOSIT_WORDS and hit.search(hit.after(6, CLAUSE) + "|" + (b or ""), "booking_objects"):
        return True  # "99元订金购车", "定金锁定档期", "酒店预订": a booking, not goods presold
    return negated(hit, "negators", window=4)


_DEPOSIT_WORDS = frozenset({"定金", "订金", "付订金", "付定金", "交定金", "预定", "预订"})


# -- presale ---------------------------------------------------------------------------------------------


def presale_vague(hit: Hit) -> Outcome | None:
    """尽快发货/陆续发货 on a presale listing, unless the same sentence gives the time ("11月18日前陆续发出"; a
    date of the orders, "7月16日后的订单", is none)."""
    before, after = hit.sentence()
    if hit.search(_ORDER_CUTOFF.sub("", before + "|" + after), "explicit_ship"):
        return None
    return KEEP


def channel_cheaper(hit: Hit) -> Outcome | None:
    """比聚划算更便宜, 比超市便宜: cheaper than a named channel, with or without an amount."""
    return _extend_by(hit, _CHEAPER_WORD, 8)


_CHEAPER_WORD = re.compile(r"(?:还|都|更|要)?(?:便宜|划算|实惠|低|省|优惠)")


def platform_price(hit: Hit) -> Outcome | None:
    """A platform's name right before a price of the goods ("小红书1瓶155", "京东卖199元"), not before a
    time or another number ("京东48小时送达", "天猫超市"). Where a coupon follows ("天猫售价69元，领30元券，券后实付39元":
    淘客 copy) the platform is where the goods are sold, and its price the current one there, no reference."""
    out = _extend_by(hit, _PLATFORM_PRICE, 12)
    if out is not None and _COUPON_AFTER.search(hit.after(40, SENTENCE)):
        return None
    return out


_COUPON_AFTER = re.compile(r"券后|实付|领券|优惠券|优惠卷|领取.{0,6}券")


_PLATFORM_PRICE = re.compile(
    r"(?:上|的)?(?:卖|售价?|价格?|要|都要|标价)?(?:一|[0-9]+)?[瓶盒件支袋罐套片包]?(?:卖|要|都要)?[¥￥]?[0-9]+(?:\.[0-9]+)?"
    r"(?:元|块|rmb)?(?![0-9a-z\u4e00-\u9fff])|(?:上|的)?(?:卖|售价?|价格?|要|都要|标价)[¥￥]?[0-9]+(?:\.[0-9]+)?(?:元|块)"
)


def deal_value(hit: Hit) -> Outcome | None:
    """价值 + an amount + 的 + what a group-buy deal sells ("仅售388元！价值494元的6-8人套餐", "价值80元的电影票1张"): the
    deal's reference price, whose basis must be stated. A gift's value is gift.value's ("下单送价值299元的保养套餐")."""
    m = _DEAL_VALUE.match(hit.after(24, CLAUSE))
    if m is None or _gift_verb(hit, 10) is not None:
        return None
    return hit.extend_to(hit.after_positions(m.end(1), CLAUSE))


_DEAL_VALUE = re.compile(
    r"((?:约|高达)?[¥￥]?[0-9]+(?:\.[0-9]+)?元)的?[^，。！？]{0,12}?"
    r"(?:套餐|单人餐|双人餐|[0-9一二两三四五六七八九十]+人餐|自助|午餐|晚餐|午市|门票|电影票|代金券|年卡|次卡|月卡|体验|摄影|写真|婚纱|课程|护理|按摩|足疗|洗浴|住宿|房型|酒店|套票)"
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
    """A skin concern (黑眼圈, 皱纹, 色斑) with an effect verb before it ("消除黑眼圈") or its disappearance
    after it ("斑点淡了一大半") is an efficacy claim."""
    verb = hit.search(hit.before(4, CLAUSE), "cosmetic_verbs")
    if verb is None:
        return concern_gone(hit)  # "斑点淡了一大半": the effect as a result
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
    if hit.search(_ORDER_CUTOFF.sub("", before + "|" + after), "explicit_ship"):
        return None  # a date of the orders ("7月16日后的订单") is no ship time
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


def presale_schedule(hit: Hit) -> Outcome | None:
    """The first deposit or balance word of a presale page that tells its schedule with a figure ("订金10元抵110元",
    "11月1日0点支付尾款") and says nowhere when the goods ship (no ship verb on the page: a vague one is
    presale.vague_ship_time's). A listing that only says it is presale has presale.flag_missing instead."""
    if hit.listing.presale_unmarked:
        return None
    if any(o.start < hit.start for o in hit.doc.hits if "presale_schedule" in o.term.contexts):
        return None  # reported once, at the first such word
    if hit.search(hit.doc.text, "ship_verbs_any"):
        return None
    before, after = hit.sentence()
    if _PAYMENT_WORD.search(hit.term.norm) and not _DIGIT.search(before + after):
        return None  # "超出时间不付尾款，将不予退还定金": the presale's terms, no schedule
    return KEEP


#: A deposit or a balance (the other words of the group say the presale is under way and need no figure).
_PAYMENT_WORD = re.compile(r"订金|定金|尾款")


def health_effect(hit: Hit) -> Outcome | None:
    """A body function with a boosting verb before it ("提高记忆力", "改善睡眠质量") is a health claim; an organ
    that goes on to absorb or digest ("有利于宝宝肠胃吸收") says the food is easy on it, no more."""
    verb = hit.search(hit.before(4, CLAUSE), "boost_verbs")
    if verb is None:
        return None
    if hit.starts_with(hit.after(3, CLAUSE), "digestion_words"):
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
    after = _RISE_AFTER.match(hit.after(10, CLAUSE))
    if m is None and after is None:
        return None
    start = hit.start if m is None else hit.before_positions(8, CLAUSE)[m.start()]
    end = hit.end if after is None else hit.after_positions(after.end(), CLAUSE)[-1] + 1
    return Outcome(start=start, end=end)


# After 涨价/涨到: imminent ("产品涨价在即") or a new price named in money ("双12价涨价至178元"); a bare number
# needs a marker before (预计涨到398), since 水温涨到40度 is no price.
_RISE_AFTER = re.compile(r"在即|(?:至|到)?(?:[¥￥][0-9]+(?:\.[0-9]+)?(?:元|块)?|[0-9]+(?:\.[0-9]+)?(?:元|块))")


# -- efficacy paraphrases built from parts ---------------------------------------------------------------


def age_number(hit: Hit) -> Outcome | None:
    """年轻/回到/减龄 + an age ("年轻20岁", "回到18岁的皮肤"): age reversal promised."""
    return _extend_by(hit, _AGE, 6)


_AGE = re.compile(r"(?:了|到|至)?(?:[0-9]+|[一二两三四五六七八九十几]+)(?:多|来)?岁")


def quick_cure(hit: Hit) -> Outcome | None:
    """就好/就见效 after an amount of use ("吃一盒就好", "用一次就能看到效果", "一贴就灵"): a guaranteed
    cure. A time of preparation is no amount of use ("冲泡3分钟就好")."""
    before = hit.before(8, CLAUSE)
    m = _USE_AMOUNT.search(before)
    if m is None:
        return None
    start = hit.before_positions(8, CLAUSE)[m.start()]
    return Outcome(start=start, end=hit.end)


_USE_AMOUNT = re.compile(
    r"(?:(?:吃|喝|用|服|贴|抹|涂|敷|擦|喷|泡|戴|按|揉|坚持)(?:了|完|上)?"
    r"(?:[0-9]+|[一二两三四五六七八九十几半]+)(?:个|多)?(?:盒|瓶|罐|疗程|贴|包|袋|粒|片|剂|次|周|星期|天|日|个月|月|回|支)"
    r"|一(?:吃|喝|用|服|贴|抹|涂|敷|擦|喷|泡))"
    r"(?:后|以后|之后)?(?:马上|立刻|立马|很快|基本|都|也)?$"
)


def effect_hype(hit: Hit) -> Outcome | None:
    """效果/功效 + a strong word ("效果惊人", "效果超级明显", "效果杠杠的"): efficacy asserted."""
    after = hit.after(8, CLAUSE)
    i = 0
    for _ in range(2):  # up to two linking words: "效果真的非常明显"
        link = hit.starts_with(after[i:], "hype_adverbs") or ("是" if after[i : i + 1] == "是" else None)
        if link is None:
            break
        i += len(link)
    word = hit.starts_with(after[i:], "hype_adjectives")
    if word is None:
        return None
    if negated(hit, "negators", window=4):
        return None
    return hit.extend_to(hit.after_positions(i + len(word), CLAUSE))


def measure_restored(hit: Hit) -> Outcome | None:
    """恢复正常 after a measure of the body ("三个月可使血糖、血压恢复正常"): a cure promised; after anything else
    ("网络恢复正常", "发货恢复正常") an ordinary notice."""
    return _reach_back(hit, "body_measures", 10, SENTENCE)


def more_bought(hit: Hit) -> Outcome | None:
    """A better effect promised for buying more ("拍套餐，效果更佳", "拍3盒效果更明显"): efficacy tied to the quantity
    sold, a course of treatment in disguise. After how it is used ("搭配精华使用效果更佳") it is usage advice."""
    return _reach_back(hit, "buy_more", 10, SENTENCE)


def standalone(hit: Hit) -> Outcome | None:
    """A comparative said of the goods as a whole, ending its clause ("赤灵芝多糖，更有效、更安全"); before a noun
    it qualifies something named ("更安全的守护", "更有效地吸收")."""
    if hit.after(1, CLAUSE) or negated(hit, "negators", window=3):
        return None
    return KEEP


def likened(hit: Hit) -> Outcome | None:
    """A medical or medical-aesthetic procedure the goods are likened to ("相当于打了一次热玛吉", "热玛吉平替",
    "媲美水光针"): the goods claim a medical effect. Named alone (an article about the procedure) it claims nothing."""
    likened_before = _reach_back(hit, "likening_words", 8, CLAUSE)
    if likened_before is not None:
        return likened_before
    after = hit.after(4, CLAUSE)
    tail = hit.starts_with(after, "likening_after")
    if tail is not None:
        return hit.extend_to(hit.after_positions(len(tail), CLAUSE))
    return None


def symptom_gone(hit: Hit) -> Outcome | None:
    """A part of the body + a symptom that stopped ("胃不疼了", "吃了关节不痛", "腰再也不酸"): a cure reported.
    Without a part of the body it describes the goods ("不辣", "不刺激")."""
    before = hit.before(6, CLAUSE)
    stripped = before
    for adverb in ("再也", "也", "都", "就", "再", "已经", "基本", "完全", "一点也", "一点都", "一点儿也"):
        if stripped.endswith(adverb):
            stripped = stripped[: -len(adverb)]
            break
    part = hit.ends_with(stripped, "body_parts")
    if part is None:
        return None
    tail = hit.after(1, CLAUSE)
    if not (tail in ("了", "啦") or len(stripped) < len(before) or _USED.search(before[: len(stripped) - len(part)])):
        return None  # "腰不酸的坐姿": how something is, not a change
    n = len(before) - len(stripped) + len(part)
    start = hit.before_positions(n, CLAUSE)[0]
    end = hit.after_positions(len(tail), CLAUSE)[-1] + 1 if tail in ("了", "啦") else hit.end
    return Outcome(start=start, end=end)


_USED = re.compile(r"(?:吃|喝|用|服|贴|抹|涂|敷|泡)(?:了|完|后)")


def microbe_kill(hit: Hit) -> Outcome | None:
    """杀/消灭/清除 + bacteria, viruses or mites within the clause ("杀死肠道坏菌", "杀肠子里的菌")."""
    if negated(hit, "negators", window=4):
        return None
    after = hit.after(8, CLAUSE)
    m = hit.search(after, "microbe_nouns")
    if m is None:
        return None
    if m.group() == "菌" and hit.ends_with(after[: m.end()], "microbe_not"):
        return None
    return hit.extend_to(hit.after_positions(m.end(), CLAUSE))


def potency(hit: Hit) -> Outcome | None:
    """那方面 + a weakness or a boosting verb ("那方面不行", "增强那方面"): sexual function by euphemism."""
    after = hit.after(5, CLAUSE)
    for i in range(min(3, len(after))):
        word = hit.starts_with(after[i:], "potency_weak")
        if word is not None:
            return hit.extend_to(hit.after_positions(i + len(word), CLAUSE))
    verb = hit.search(hit.before(4, CLAUSE), "boost_verbs")
    if verb is not None:
        return Outcome(start=hit.before_positions(4, CLAUSE)[verb.start()], end=hit.end)
    if hit.term.norm in ("那方面", "那个方面"):
        return None
    return KEEP if hit.search(hit.before(8, CLAUSE) + "|" + after, "potency_weak") else None


def endorsed(hit: Hit) -> Outcome | None:
    """A medical authority + an endorsement in the same clause ("皮肤科专家都推荐", "协和医生同款"); a
    caution ("请在医生指导下使用", "咨询医生") has no endorsement word."""
    if negated(hit, "negators", window=4):
        return None
    after = hit.after(8, CLAUSE)
    m = hit.search(after, "endorsement_words")
    if m is None:
        return None
    if hit.ends_with(hit.before(2, CLAUSE), "negators"):
        return None
    return hit.extend_to(hit.after_positions(m.end(), CLAUSE))


def price_last(hit: Hit) -> Outcome | None:
    """这个价/这价 + the price will not come back ("这个价格错过就没了", "这价以后不会再有"), or "不是这个价"
    after a time ("今天过后就不是这个价了")."""
    after = hit.after(10, CLAUSE)
    m = hit.search(after, "price_last")
    if m is not None:
        if after[: m.start()].endswith(("不", "不会", "绝不", "永不", "没", "也不")):
            return None  # "这个价格不涨", "这个价不会恢复": a promise the other way
        return hit.extend_to(hit.after_positions(m.end(), CLAUSE))
    before = hit.before(10, CLAUSE)
    m = hit.search(before, "price_last")
    if m is not None and hit.search(before, "price_rise_markers"):
        return Outcome(start=hit.before_positions(10, CLAUSE)[m.start()], end=hit.end)
    return None


def concern_gone(hit: Hit) -> Outcome | None:
    """A skin or hair concern + its disappearance ("痘痘全消了", "斑点淡了一大半", "白发变少了"), or with an
    effect verb before it ("去80岁白头发", "告别白发")."""
    if hit.term.contexts[0] == "concern_gone":
        verb = hit.search(hit.before(5, CLAUSE), "cosmetic_verbs")
        if verb is not None and not negated(hit, "negators", window=3):
            return Outcome(start=hit.before_positions(5, CLAUSE)[verb.start()], end=hit.end)
    after = hit.after(8, CLAUSE)
    i = 0
    degree = hit.starts_with(after, "concern_degree")
    if degree is not None:
        i = len(degree)
    word = hit.starts_with(after[i:], "concern_gone")
    if word is None:
        return None
    if negated(hit, "negators", window=3):
        return None
    out = hit.extend_to(hit.after_positions(i + len(word), CLAUSE))
    if hit.term.severity is Severity.INFO and (degree in _TOTAL or word in _TOTAL):
        # an ordinary efficacy (祛痘) promised in full ("闭口全消", "痘痘一扫光"): an absolute result
        return Outcome(start=out.start, end=out.end, severity=Severity.WARNING, message=_TOTAL_MESSAGE)
    return out


_TOTAL = frozenset({"全", "全都", "一扫光", "一扫而光", "全无", "全消", "全部消失", "彻底消失", "根除"})
_TOTAL_MESSAGE = "“{text}”承诺功效完全实现，是绝对化的功效宣称：化妆品功效须有评价依据，不得承诺全部消除"


def consumption_result(hit: Hit) -> Outcome | None:
    """吃了/喝了 + a part of the body + its improvement in the clause ("吃了皮肤变好了", "喝了晚上睡得特别香")."""
    after = hit.after(14, CLAUSE)
    noun = hit.search(after, "result_nouns")
    if noun is None:
        return None
    better = hit.search(after[noun.end() :], "result_better")
    if better is not None and better.start() <= 6:
        between = after[noun.end() : noun.end() + better.start()]
        if "不" in between or "没" in between:
            return None  # "吃了胃口不好": a complaint, not a claim
        return hit.extend_to(hit.after_positions(noun.end() + better.end(), CLAUSE))
    if hit.search(after[: noun.start()], "result_better") is not None and "不" not in after[: noun.start()]:
        return hit.extend_to(hit.after_positions(noun.end(), CLAUSE))  # "喝出水嫩好皮肤"
    return None


def massage_comfort(hit: Hit) -> bool:
    """Fatigue or soreness eased by a massage in the same sentence ("仿真指压按摩，有效缓解肌肉酸痛", "温感热敷，
    深层缓解颈部疲劳") on goods that are neither food nor medicine: the comfort of a massage, no cure."""
    norm = hit.term.norm
    if hit.listing.kind not in ("other", "unknown") or _SORE.search(norm) is None or _SPINE.search(norm):
        return False  # the spine's fatigue (颈椎疲劳) is a trouble of the spine
    before, after = hit.sentence()
    return hit.search(before + "|" + after, "massage_cues") is not None


_SORE = re.compile(r"疲劳|疲惫|劳累|酸痛|酸胀|酸软|僵硬|紧绷")
_SPINE = re.compile(r"颈椎|腰椎|脊椎|脊柱|关节|椎间盘")


def body_trouble(hit: Hit) -> Outcome | None:
    """An organ's trouble (the anchor: 颈椎烦恼, 肠胃问题) with an effect verb before it ("远离颈椎烦恼"); not the
    comfort of a massage (颈部疲劳 on a massager)."""
    if massage_comfort(hit):
        return None
    before = hit.before(4, CLAUSE)
    verb = hit.search(before, "effect_verbs")
    if verb is None or negated(hit, "negators", window=2):
        return None
    return Outcome(start=hit.before_positions(4, CLAUSE)[verb.start()], end=hit.end)


def vision_number(hit: Hit) -> Outcome | None:
    """视力 with a figure regained ("重返5.0视力", "视力恢复到5.0")."""
    m = _VISION_BEFORE.search(hit.before(8, CLAUSE))
    if m is not None:
        return Outcome(start=hit.before_positions(8, CLAUSE)[m.start()], end=hit.end)
    m = _VISION_AFTER.match(hit.after(8, CLAUSE))
    if m is not None:
        return hit.extend_to(hit.after_positions(m.end(), CLAUSE))
    return None


_VISION_BEFORE = re.compile(r"(?:重返|恢复|回到|重回|提升|提高|达到)(?:到|至)?[0-5]\.?[0-9](?:的)?$")
_VISION_AFTER = re.compile(r"(?:就|能|可以|可)?(?:恢复|回到|提升|提高|达到|重返)(?:到|至)?[0-5]\.?[0-9]")


def eye_care(hit: Hit) -> Outcome | None:
    """护眼 names a display mode ("护眼模式"), or states a tested grade when the listing names the standard
    or certificate behind it (国AA级, RG0 无蓝光危害); otherwise it is a health effect to prove."""
    if hit.starts_with(hit.after(4, SOFT), "eye_care_names"):
        return None
    if hit.lexicon.patterns["eye_care_backing"].search(hit.doc.text):
        return None
    return KEEP


def pet_diet(hit: Hit) -> Outcome | None:
    """处方 before pet food ("处方狗罐", "处方粮"): the name of a kind of pet diet."""
    if hit.starts_with(hit.after(3, SOFT), "pet_diet_nouns"):
        return None
    return KEEP


def liquor(hit: Hit) -> Outcome | None:
    """Health wording on a listing whose text or category names a liquor ("黄酒…不伤脾胃，健康养生")."""
    if hit.search(hit.doc.text, "liquor_nouns"):
        return KEEP
    category = (hit.listing.category or "").lower()
    if category == "酒" or hit.search(category, "liquor_categories"):
        return KEEP
    return None


def long_life(hit: Hit) -> Outcome | None:
    """活到/活过 + an old age ("至少活到九十九", "活到100岁"): a long life promised; the set phrases (长命百岁,
    延寿) stand alone."""
    if hit.term.norm not in ("活到", "活过"):
        return None if negated(hit, "negators", window=3) else KEEP
    return _extend_by(hit, _OLD_AGE, 6)


_OLD_AGE = re.compile(
    r"(?:[6-9][0-9]|1[0-9]{2}|[六七八九]十[一二三四五六七八九]?|一百[多零]?[一二三四五六七八九十]*|百)(?:岁|多岁)?"
)


def effect_figure(hit: Hit) -> Outcome | None:
    """A skin or hair concern + a change by a figure ("皱纹量能减少47%", "保湿度提升200%", "毛孔缩小3倍"): a
    quantified efficacy claim."""
    return _extend_by(hit, _CHANGE_FIGURE, 14)


_CHANGE_FIGURE = re.compile(
    r"(?:量|度|率|值|含量|数量|面积|深度|程度)?(?:能|可|可以|竟|就|都|均|平均|最高|最多|高达|明显|显著)?"
    r"(?:减少|降低|下降|提升|提高|增加|增长|改善|淡化|缩小|减淡|减轻|上升|改善率|改善了|减少了|降低了|提升了|提高了|增加了)"
    r"(?:了|达|到|高达|约|近|超过)?[0-9]+(?:\.[0-9]+)?\s*(?:%|％|倍)"
)


def result_figure(hit: Hit) -> Outcome | None:
    """考入/通过率/提分 with a figure or a named school after it ("考入清北50人以上", "升学率98%", "提分30分"):
    a result promised by training. Without one it may describe an exam or a school."""
    after = hit.after(14, CLAUSE)
    m = _RESULT_FIGURE.search(after)
    if m is None or negated(hit, "negators", window=3):
        return None
    return hit.extend_to(hit.after_positions(m.end(), CLAUSE))


_RESULT_FIGURE = re.compile(
    r"(?:[0-9]+(?:\.[0-9]+)?\s*(?:%|％|分|人|名|个|位)|[一二三四五六七八九十百千]+(?:分|人|名|位)|百分之[一二三四五六七八九十百]+"
    r"|清华|北大|清北|名校|重点(?:大学|高校|中学|高中)?|985|211|双一流|一本|重本)"
)


NUTRIENT_BACKED = Outcome(
    severity=Severity.INFO,
    message="“{text}”是营养素功能声称，文中写明了该营养素的含量特征：须符合 GB 28050 的含量要求并使用标准的声称用语",
    suggestion="核对营养成分表；可改为 GB 28050 的标准用语，如“钙有助于骨骼和牙齿的发育”",
)


def nutrient_backed(hit: Hit) -> Outcome | None:
    """补钙 on a food that states its content of the nutrient ("高钙奶粉…补钙", "富含铁"): a nutrient function
    claim with its basis (GB 28050), a reminder; without it (补钙饼干) a health function claimed."""
    nutrient = hit.term.norm.replace("补充", "").replace("补", "").replace("质", "")[:1]
    if nutrient and re.search(
        f"(?:高|富含|含|添加|强化){nutrient}|{nutrient}含量|(?:乳|液体|碳酸|柠檬酸|氨基酸|海藻|葡萄糖酸){nutrient}"
        f"|{nutrient}(?:片|软胶囊|胶囊|咀嚼片|口服液|滴剂)",
        hit.doc.text,
    ):  # the content stated, or the goods are a supplement of the nutrient ("牛乳钙软胶囊", "钙片")
        return NUTRIENT_BACKED
    return KEEP


def pass_promise(hit: Hit) -> Outcome | None:
    """保过/包过 as a promise of passing, not 保过冬 ("一件保过冬": it keeps you warm through the winter)."""
    if hit.after(1, SOFT) in ("冬", "年", "夜", "节"):
        return None
    return KEEP


def gift_tiers(hit: Hit) -> Outcome | None:
    """多买多送 unless the tiers follow ("多买多送：买2送1，买3送2")."""
    if _GIFT_TIER.search(hit.after(16, SENTENCE)):
        return None
    return KEEP


def gift_bare(hit: Hit) -> Outcome | None:
    """满赠/买赠 with nothing after it in its clause but activity words ("品牌内满赠", "满赠活动"), and no
    threshold in its sentence ("双11满赠，满299元赠…"): a gift promotion that states neither gift nor threshold."""
    after = hit.after(6, CLAUSE)
    if after and not hit.starts_with(after, "gift_bare_tails"):
        return None  # "满赠保温杯", "满赠：满299赠…": something is stated
    before, rest = hit.sentence()
    if _THRESHOLD.search(before + "|" + rest) or _GIFT_TIER.search(before + "|" + rest):
        return None
    return KEEP


_HAN_START = re.compile(r"[\u4e00-\u9fff]")

_THRESHOLD = re.compile(r"满[0-9一二两三四五六七八九十百千]+")

_GIFT_TIER = re.compile(
    r"(?:买|拍|满)[0-9一二两三四五六七八九十]+(?:件|个|盒|袋|瓶|份|箱|组)?(?:送|赠)"
    r"|[0-9一二两三四五六七八九十]+(?:件|个|盒|袋|瓶|份|箱|组)减[0-9]+"  # discount tiers ("一件减10元）… (两件减30)")
)

SPECIAL_CERTIFIED = Outcome(
    severity=Severity.INFO,
    message="“{text}”是特殊化妆品功效宣称，页面写明了特殊化妆品注册证：请核对与注册证载明的功效一致，并保留注册证备查",
    suggestion="核对注册证载明的功效；超出部分删除",
)


def special_certified(hit: Hit) -> Outcome | None:
    """A special cosmetic's efficacy (美白, 防脱) in a sentence that names its certificate ("国家美白特证",
    "有证的美白"): the registered efficacy, information with a reminder."""
    before, after = hit.sentence()
    if hit.search(before + "|" + after, "special_certificates"):
        return SPECIAL_CERTIFIED
    return KEEP


def health_made(hit: Hit) -> Outcome | None:
    """健康 … 睡出来/躺出来/喝出来 ("曲度健康睡出来", "健康颈椎只需躺出来"): health made by the goods."""
    before = hit.before(10, CLAUSE)
    m = hit.search(before, "health_made_words")
    if m is None:
        return None
    return Outcome(start=hit.before_positions(10, CLAUSE)[m.start()], end=hit.end)


# -- gifts -------------------------------------------------------------------------------------------------


def _gift_verb(hit: Hit, window: int) -> int | None:
    """Where a gift verb that offers the gift to the buyer starts before the hit (original offset), if any."""
    before = hit.before(window, CLAUSE)
    if not before:
        return None
    positions = hit.before_positions(window, CLAUSE)
    found = [
        f
        for f in hit.lexicon.patterns["gift_verbs"].finditer(before)
        if not _in_ordinary_word(hit, f.group(), positions[f.start()])
    ]
    if not found:
        return None
    m = found[-1]  # the verb nearest the hit
    if m.group() in hit.lexicon.words["gift_existence_verbs"] and not _gift_exists(hit):
        return None  # "有配件", "还有惊喜": what the goods have; "有赠品" offers a gift
    lead = before[: m.start()]
    adjacent = m.end() == len(before) and hit.term.norm in hit.lexicon.words["gift_unnamed"]
    if (
        m.group() == "送"
        and lead
        and not (hit.ends_with(lead, "gift_offer_cues") or _DIGIT.search(lead[-4:]) or adjacent)
    ):
        return None  # "适合送女友", "送长辈": a present the buyer gives; an offer opens its clause, has a cue or
        # hands over a gift word right after it ("热卖送大礼": nobody is called 大礼)
    lo = m.start()
    cue = hit.ends_with(before[:lo], "gift_offer_cues")
    if cue is not None and len(cue) > 1:
        lo -= len(cue)
    return positions[lo]


def _gift_exists(hit: Hit) -> bool:
    """有赠品, 还有精美礼品: a gift offered but not named - unless the word is no gift by name (有配件, 有惊喜), the
    sentence asks ("网站显示有赠品为何没收到？") or names a gift elsewhere ("送粉底液5ml…整点有赠品")."""
    if hit.term.norm not in hit.lexicon.words["gift_existing"]:
        return False
    before, after = hit.sentence()
    if hit.search(before + "|" + after, "question_words"):
        return False
    # in the sentence only (verdicts are memoised by sentence): 送/赠 before something named
    return not any(hit.lexicon.patterns["gift_verbs_named"].finditer(before + "|" + after))


def _in_ordinary_word(hit: Hit, verb: str, at: int) -> bool:
    """A one-character gift verb inside an ordinary word of the lexicon's guards (review.toml: 领导, 领带, 领域):
    no verb at all ("送领导礼品"). 送 and 赠 have their own test above (an offer or a present)."""
    if len(verb) != 1 or verb in ("送", "赠"):
        return False
    text = hit.doc.text
    for guard, off, _, _ in hit.lexicon.guards_by_key.get(verb, ()):
        start = at - off
        if start >= 0 and text[start : start + len(guard)] == guard:
            return True
    return False


def gift_value(hit: Hit) -> Outcome | None:
    """送/赠 ... 价值 + an amount ("下单送价值299元保养套餐", "赠品价值88元"): a gift's stated value."""
    m = _AMOUNT.match(hit.after(10, CLAUSE))
    if m is None:
        return None
    start = _gift_verb(hit, 10)
    if start is None:
        return None
    end = hit.after_positions(m.end(), CLAUSE)[-1] + 1
    return Outcome(start=start, end=end)


_AMOUNT = re.compile(r"(?:高达|约|近|超|超过|达)?[¥￥]?[0-9]+(?:\.[0-9]+)?(?:多|余)?(?:元|块|rmb)?")


def gift_vague(hit: Hit) -> Outcome | None:
    """A gift named only by its value ("抢68元大礼包", "领58元礼包") or by a word that says nothing of
    what it is ("下单送好礼", "神秘礼物", "好礼相送"): what is given must be stated. A description right
    after it ("礼包：保温杯1个") names the gift; 小礼品, 新人礼包 name a kind of gift, if loosely."""
    after = hit.after(4, CLAUSE)
    if hit.starts_with(after, "gift_described") or hit.starts_with(after, "gift_not_vague"):
        return None
    if hit.raw_after(1) in ("：", ":", "(", "（", "【", "["):
        return None
    if mentioned(hit) or negated(hit, "negators", window=3):
        return None
    before = hit.before(12, CLAUSE)
    value = _VALUE_BEFORE.search(before)
    if value is not None:  # "68元大礼包", "99大促礼包": a value or a number instead of the contents
        start = _gift_verb(hit, 12)
        if start is None:
            start = hit.before_positions(12, CLAUSE)[value.start()]
            if not hit.search(before, "gift_verbs"):
                return None
        return Outcome(start=start, end=hit.end)
    if hit.term.norm not in hit.lexicon.words["gift_unnamed"]:
        return None  # "新人礼包": a kind of gift, if a loose one
    if hit.term.norm == "礼包" and _gift_verb(hit, 2) is None:
        return None  # "送新人礼包", "送免费礼包": a word between the verb and 礼包 says what kind of bundle
    if hit.raw_before(1) in ("+", "＋"):  # "【现货当天发+包邮+豪礼】": one of the offers listed
        return KEEP
    start = _gift_verb(hit, 6)
    if start is not None and hit.before(6, CLAUSE)[-4:].find("的") < 0:
        return Outcome(start=start, end=hit.end)
    verb = hit.starts_with(after, "gift_after_verbs")
    if verb is not None and not after[len(verb) :]:  # "好礼相送", but not "赠品 送实用卡包1只": a label, then the gift
        return hit.extend_to(hit.after_positions(len(verb), CLAUSE))
    return None


def gift_unstated(hit: Hit) -> Outcome | None:
    """A gift at random or while it lasts with no number stated in the listing ("先到先得", "随机赠送");
    "前100名" or "限量500份" states the quantity, "新老赠品随机" is about a named gift's packaging."""
    if _GIFT_COUNT.search(hit.doc.text):  # the count may be where the gift is named ("买即送面膜*3，…赠完即止")
        return None
    if not _GIFT_WORD.search(hit.doc.text):
        return None  # "质量很好也很贵,先到先得": stock of the goods, no gift
    after = hit.after(4, CLAUSE)
    if (
        hit.term.norm.endswith("送")
        and after
        and _HAN_START.match(after)
        and not hit.starts_with(after, "gift_unnamed")
        and "品" not in after[:3]
    ):
        return None  # "随机赠送比尔尖兵碳膏气味": the gift is named right after the verb; at random is its scent
    if hit.before(2, SOFT) in ("新老", "新旧"):
        return None
    if negated(hit, "negators", window=3):
        return None
    return KEEP


_GIFT_WORD = re.compile(r"赠|送|礼")
_GIFT_COUNT = re.compile(
    r"前[0-9一二三四五六七八九十百千]+(?:名|位|单|件)|限量?[0-9一二三四五六七八九十百千]+(?:份|个|件|名|套)"
    r"|[0-9一二两三四五六七八九十]+(?:份|个|套|件|只|支|瓶|盒|袋|张|块|片|包)|[*×xX][0-9]+"
    r"|买(?:[1-9]|[一二两三四五六七八九十])(?:件|个|盒|瓶|袋|支|份|套|送|赠)[送赠]?(?:[1-9]|[一二两三四五六七八九十])(?![0-9])"
)

_VALUE_BEFORE = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:元|块)?(?:的)?[\u4e00-\u9fff]{0,4}$")


def channel_price(hit: Hit) -> Outcome | None:
    """A kind of shop or a masked platform + a selling verb or 同款 (the anchor) before a price of the
    goods ("专柜卖398", "超市同款要89元", "某宝要200多"); after 同款 alone the amount needs its 元."""
    tail = hit.after(12, CLAUSE)
    bare = _CHANNEL_SAME.match(tail) if hit.term.norm.endswith("同款") else None
    m = bare or _CHANNEL_PRICE.match(tail)
    if m is None:
        return None
    return hit.extend_to(hit.after_positions(m.end(), CLAUSE))


def paired_price(hit: Hit) -> Outcome | None:
    """售价/零售价 + an amount, then a current price in the same sentence ("售价2199元，促销价1799元"): a reference price
    without its basis, the form of a fictitious original price; 售价 alone ("售价实惠") compares nothing."""
    m = _PAIRED_FIGURE.match(hit.after(12, SENTENCE))
    if m is None:
        return None
    rest = hit.after(40, SENTENCE)[m.end() :]
    cue = hit.search(rest, "current_price")
    if cue is None:
        return None
    now = _PRICE_FIGURE.search(rest[cue.end() : cue.end() + 8])
    if now is None:
        return None
    was, then = _number(m.group()), _number(now.group())
    if was is not None and then is not None and then >= was:
        return None  # "价格1299元，活动价1399元": no lower price, nothing compared down
    if _COUPON_AFTER.search(rest):
        return None  # "售价69元，领30元券，券后实付39元": the price before a coupon, no reference
    return hit.extend_to(hit.after_positions(m.end(), SENTENCE))


def _number(figure: str) -> float | None:
    m = _NUMBER.search(figure)
    return float(m.group()) if m else None


_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")

_PAIRED_FIGURE = re.compile(
    r"(?:为|是)?[¥￥]?[0-9]+(?:\.[0-9]+)?(?:元|块)?(?![0-9.]|[a-z%×*]|[克斤升包袋瓶盒片粒支只个件寸米])"
)


def former_price(hit: Hit) -> Outcome | None:
    """之前/平时 + a selling verb (the anchor) + an amount of money ("之前卖199元", "平时要¥89"): the shop's own
    former price. The amount needs its 元 or ¥ ("以前要3天" is no price)."""
    return _extend_by(hit, _MONEY, 12)


#: A figure that may be a price: with its currency, or a bare number that no unit of measure or count follows
#: ("原价199", "市场价3588/箱"; not "100ml", "40瓶", "72h").
_PRICE_FIGURE = re.compile(
    r"[¥￥][0-9]|[0-9]+(?:\.[0-9]+)?(?:多|左右|\+)?(?:元|块|rmb|大洋)"
    r"|(?<![a-z0-9.])[0-9]+(?:\.[0-9]+)?(?![0-9.]|[a-z%×*]|[克斤升包袋瓶盒片粒支只个件寸米度天年月日号周抽层卷张次分秒小时岁倍])"
)

_MONEY = re.compile(
    r"(?:一|[0-9]+)?[瓶盒件支袋罐套片包斤个]?(?:[¥￥][0-9]+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?(?:多|左右)?(?:元|块|块钱|大洋))"
)

_CHANNEL_PRICE = re.compile(
    r"(?:价?|价格?|都要|要|都|卖|售价?)?(?:一|[0-9]+)?[瓶盒件支袋罐套片包斤]?(?:卖|要)?"
    r"(?:[¥￥]?[0-9]+(?:\.[0-9]+)?(?:多|左右|\+)?(?:元|块|rmb|大洋|块钱)?(?![0-9a-z%]|[家个台位人名次年天])"
    r"|[一二两三四五六七八九几]?[十百千][多]?(?:元|块|块钱)?)"  # "一百多", "两百块", "几十块"
)
_CHANNEL_SAME = re.compile(
    r"(?:的)?(?:卖|要|售价?|价格?)[¥￥]?[0-9]+(?:\.[0-9]+)?(?:多|左右|\+)?(?:元|块)?|[¥￥]?[0-9]+(?:\.[0-9]+)?(?:多|\+)?(?:元|块)"
)


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
    "age_number": age_number,
    "quick_cure": quick_cure,
    "effect_hype": effect_hype,
    "symptom_gone": symptom_gone,
    "measure_restored": measure_restored,
    "paired_price": paired_price,
    "likened": likened,
    "more_bought": more_bought,
    "standalone": standalone,
    "microbe_kill": microbe_kill,
    "potency": potency,
    "gift_value": gift_value,
    "gift_vague": gift_vague,
    "channel_price": channel_price,
    "endorsed": endorsed,
    "price_last": price_last,
    "concern_gone": concern_gone,
    "consumption_result": consumption_result,
    "body_trouble": body_trouble,
    "vision_number": vision_number,
    "special_certified": special_certified,
    "health_made": health_made,
    "warming_spot": warming_spot,
    "toothpaste_own": toothpaste_own,
    "teat_design": teat_design,
    "disease_nemesis": disease_nemesis,
    "presale_schedule": presale_schedule,
    "long_life": long_life,
    "eye_care": eye_care,
    "pet_diet": pet_diet,
    "beauty_device": beauty_device,
    "exercise_goal": exercise_goal,
    "breed_trait": breed_trait,
    "healing_adjective": healing_adjective,
    "agri_input": agri_input,
    "deal_value": deal_value,
    "height_target": height_target,
    "days_to_pass": days_to_pass,
    "liquor": liquor,
    "result_figure": result_figure,
    "gift_tiers": gift_tiers,
    "gift_bare": gift_bare,
    "gift_unstated": gift_unstated,
    "pass_promise": pass_promise,
    "nutrient_backed": nutrient_backed,
    "former_price": former_price,
    "future_ship": future_ship,
    "effect_figure": effect_figure,
}
