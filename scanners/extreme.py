"""Context rules for extreme wording (广告法 第九条(三)) and the exemptions of the SAMR 2023
《广告绝对化用语执法指南》.

The rules generalise over what a phrase is about rather than listing exceptions:

- what follows 最: an evaluation of the goods (最佳, 最靓) is a claim; time, order, position and discourse
  words (最终, 最初, 最后, 最上层, 最重要的是) are not; a limit stated with a number or a parameter
  (最大承重150kg, 最高80℃) is a specification; 最好 before a verb is advice (最好三天内吃完);
- what follows 第一: a classifier or an ordinal noun (第一次, 第一眼, 第一章, 第一时间) is an ordinal;
  名/品牌/家 after a ranking domain (销量, 全国, 行业) is a ranking claim;
- what the phrase describes: the shop's service or culture (诚信第一, 最用心的服务), a goal (致力于做到
  最好), a comparison within the shop's own range (本店最大的一款) are not about the goods' superiority;
- the guide's other exemptions: usage advice (最佳饮用温度), grades of a standard (特级, 一级 with GB/T),
  names, models and trademarks (allow-list, ®/™, 型号 TOP-1), awards conferred under national rules
  (荣获…第一名, 国家级高新技术企业 -> info), and claims limited to a time or a region
  (2024年双11京东自营销量第一 -> warning: keep the evidence).

The word classes the rules consult are data (``lexicon/context.toml``).
"""

from __future__ import annotations

import re

from scanners.context import (
    CLAUSE,
    KEEP,
    SENTENCE,
    SOFT,
    ContextRule,
    Hit,
    Outcome,
    claim_negated,
    mentioned,
)
from scanners.findings import Severity
from scanners.normalize import filler_levels, strip_filler
from scanners.terms import Via

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DIGIT = re.compile(r"[0-9]")
_CUT_CHARS = frozenset("。.!?;\n,，！？；…")
_LEVELS = filler_levels()
# A national, industry or local standard named anywhere in the listing backs its grade words.
_STANDARD = re.compile(
    r"gb/?t?\s*\d|国标|国家标准|行业标准|地方标准|团体标准|执行标准|产品标准号|(?:sb|ny|qb|lb|gh)/t\s*\d"
)
_IDENTIFIER = re.compile(r"码|号|标识|编码|id|uid|sn")

AWARD = Outcome(
    severity=Severity.INFO,
    rule="extreme.award_title",
    message="“{text}”出自依国家有关规定评定的奖项或称号，可以如实使用；请保留证书或评定文件备查，并写明评定机构和年份",
    suggestion="注明评定机构与年份，如“2023年获评国家级高新技术企业”",
)
LIMITED = Outcome(
    severity=Severity.WARNING,
    rule="extreme.limited_claim",
    message="“{text}”限定了时间、平台或地域，属于可证明的事实陈述；须保留销量、排名等数据来源证据，并在页面注明来源和统计范围",
    suggestion="注明数据来源、统计时间和范围，如“据XX平台数据，2024年双11期间XX类目销量第一”",
)


# -- shared checks ---------------------------------------------------------------------------------------


def named(hit: Hit) -> bool:
    """The hit is part of a name, model, trademark or patent ("TOP-1型号", "极品®", "型号：NO.1")."""
    after = hit.raw_after(2)
    if "®" in after or "™" in after or "©" in after:
        return True
    if _known_name(hit):
        return True
    before = hit.raw_before(12)
    for i in range(len(before) - 1, -1, -1):
        if before[i] in _CUT_CHARS:
            before = before[i + 1 :]
            break
    if "《" in before and "》" not in before:
        return True  # the title of a work: 《第一炉香》
    # "型号 TOP-1", "型号：TOP-1": a model word right before; "品牌：最生活": a label with a colon or quote.
    stripped = before.rstrip(" \t:：\"“”'‘’「『【[(（")
    bare = strip_filler(stripped)
    if hit.ends_with(bare, "name_markers"):
        return True
    if stripped != before.rstrip(" \t") and hit.ends_with(bare, "name_labels"):
        return True
    tail = hit.after(3, SOFT)
    if not (tail and hit.starts_with(tail, "name_suffixes")) or hit.starts_with(tail, "name_suffix_not"):
        return False
    return not hit.search(hit.before(8, CLAUSE), "ranking_domain")  # "天猫TOP1旗舰店" ranks the shop


def _known_name(hit: Hit) -> bool:
    """The hit lies inside a brand or company name of ``known_names`` ("完美日记")."""
    key = hit.key.key
    if not any(key in name for name in hit.lexicon.words["known_names"]):
        return False  # PERFORMANCE: most terms are in no name; named() runs for every extreme candidate
    after = hit.after(4, SOFT)
    before = hit.before(3, SOFT)
    for k in range(len(before) + 1):
        name = hit.starts_with(before[len(before) - k :] + key + after, "known_names")
        if name is not None and len(name) >= k + len(key):
            return True
    return False


def goal(hit: Hit) -> bool:
    """The phrase states an aim, not a property of the goods ("致力于做到最好", "追求极致"); not when the
    superlative is what the shop hands over ("只为把最好的呈现给你": the goods given are the best)."""
    if hit.before(1, SOFT) == "把" and _HANDED.search(hit.after(10, CLAUSE)):
        return False
    before = hit.before(16, CLAUSE)
    m = hit.search(before, "goal_markers")
    if (
        m is None
        and hit.search(before, "goal_builders")
        and hit.starts_with(hit.term.norm[-2:] + hit.after(3, SOFT), "entity_ranks")
    ):
        return True  # "打造硒产业第一品牌": a brand the company sets out to build
    if m is None:
        return False
    if m.group() in ("只为", "为了") and _PROVIDED.search(before[m.end() :]):
        return False  # "只为提供最佳的按摩体验": the purpose the goods were made for, which they are said to serve
    return "已" not in before[max(0, m.start() - 2) : m.start()]  # "已发展成为行业第一": reached, no aim


#: Providing, right after 只为/为了 and before the superlative: what the goods give ("只为提供最佳的体验").
_PROVIDED = re.compile(r"^(?:给你|给您|您|你|大家)?(?:提供|带来|奉上|献上|呈现|打造)(?:给你|给您|您|你|大家)?$")


_HANDED = re.compile(
    r"(?:的)?[^，。！？]{0,6}?(?:给|献给|带给|送给|呈现给|奉献给|留给)(?:你|您|大家|顾客|消费者|宝宝|家人)"
)


def about_service(hit: Hit, tail: str) -> bool:
    """The phrase describes the shop's service or culture, not the goods ("最贴心的服务", "服务第一")."""
    if hit.starts_with(tail, "service_nouns"):
        return True
    # "最真诚的态度", "极致的服务": the noun the phrase modifies, after 的.
    de = tail.find("的")
    if 0 <= de <= 3 and hit.starts_with(tail[de + 1 :], "service_nouns"):
        return True
    return bool(hit.ends_with(hit.before(4, SOFT), "service_nouns"))


def _ranked_against_others(hit: Hit) -> bool:
    before = hit.before(12, CLAUSE) + strip_filler(hit.text)
    return bool(hit.search(before, "unlimited_scope") or hit.search(before, "ranking_domain"))


def self_comparison(hit: Hit) -> bool:
    """A comparison within the shop's or brand's own range ("本店最大的一款", "本系列最轻")."""
    before = hit.before(20, CLAUSE)
    if not (hit.search(before, "self_markers") or hit.ends_with(before, "self_markers_adjacent")):
        return False
    return not hit.search(before + strip_filler(hit.text), "unlimited_scope")


def award(hit: Hit) -> bool:
    """Conferred by an award or a title ("荣获…大赛第一名", "被评为国家级…")."""
    return bool(hit.search(hit.before(24, CLAUSE), "award_verbs"))


def limited(hit: Hit) -> bool:
    """Limited to a stated time, platform, channel or region, or attributed to a data source.

    The limit must qualify the claim: it is looked for in the claim's own clause, in a bracket right after
    it ("销量第一（2024年10月）"), or - for a data source ("据尼尔森数据，…") - anywhere in the sentence.
    """
    window = hit.before(32, CLAUSE) + "|" + hit.after(12, CLAUSE)
    raw = hit.raw_after(1)
    if raw in ("(", "（"):
        window += "|" + hit.after(16, SENTENCE)
    if hit.search(window, "limited_time") or hit.search(window, "limited_scope"):
        return True
    return bool(hit.search(hit.before(60, SENTENCE), "limited_source"))


def work_title(hit: Hit) -> bool:
    """Part of the title of a work named in the clause ("天下第一福 书法真迹", "王者之王 漫画全集"): the term
    runs on into more of the title. A term that directly qualifies the work ("顶级教材") is a claim."""
    if not hit.search(hit.before(12, CLAUSE) + "|" + hit.after(12, CLAUSE), "titled_works"):
        return False
    tail = hit.after(3, SOFT)
    if not tail or not _CJK.match(tail[0]) or tail[0] == "的":
        return False
    return not hit.starts_with(tail, "work_nouns")


def names_a_thing(hit: Hit, *, titles: bool = True) -> bool:
    """The term names a thing rather than praising the goods: a name, model or trademark, a work's title,
    a game, server or item of a virtual-goods listing; or it is mentioned (quoted in a warning) or
    disclaimed ("不是最好的"). Never when the phrase ranks the goods against others."""
    if named(hit) or mentioned(hit) or claim_negated(hit):
        return True
    if not hit.listing.virtual and not titles:
        return False
    before = hit.before(12, CLAUSE)  # what ranks the name from outside it ("销量第一的…")
    if hit.search(before, "unlimited_scope") or hit.search(before, "ranking_domain"):
        return False
    return hit.listing.virtual or work_title(hit)


def common(hit: Hit, tail: str, *, ranking: bool = False) -> Outcome | None:
    """Exemptions shared by every extreme term: names, goals, what the goods are made for, service, awards,
    limited claims.

    A service is exempt as a priority ("服务第一"), not when it is ranked against others ("业界第一的售后").
    """
    if names_a_thing(hit) or goal(hit):
        return None
    if hit.ends_with(hit.before(5, SOFT), "made_for"):
        return None  # "专为顶级豪华车型设计": what the goods are made for, not the goods
    if about_service(hit, tail) and not _ranked_against_others(hit):
        return None
    if award(hit):
        return AWARD
    if ranking and limited(hit):
        return LIMITED
    return KEEP


# -- 最 ----------------------------------------------------------------------------------------------------


def _zui_advice(hit: Hit, adj: str, tail: str, before: str) -> bool:
    """最好/最佳/最宜 as advice on use, timing or storage ("开封后最好三天内吃完", "最佳饮用温度")."""
    if len(adj) == 2 and adj[0] == "好" and adj[1] in "用吃喝穿看听玩闻洗戴":
        adj, tail = "好", adj[1:] + tail  # 最好用温水: 最好 + 用温水
    if adj not in ("好", "佳", "宜", "适宜", "合适", "适合", "好是"):
        return False
    if (
        hit.search(before, "usage_before")
        or hit.search(before, "usage_condition")
        or hit.search(before, "cooking_methods")
    ):
        return True  # "开封后最好…", "冲泡3分钟后口感最佳", "8℃饮用最佳", "清蒸最佳"
    if hit.ends_with(before, "maxim_leads"):
        return True  # "适合的才是最好的": a saying about choosing, no claim about the goods
    if adj == "佳" and hit.ends_with(before, "keep_verbs") and hit.starts_with(tail.lstrip("的"), "served_qualities"):
        return True  # "真空封存，留住最佳口感": food kept at its own best, as storage advice says
    if adj == "佳" and (not before or before == hit.starts_with(before, "served_qualities")):
        earlier = hit.before(12 + len(before) + 1, SENTENCE)[: -len(before) or None]
        if hit.search(earlier, "usage_condition"):
            return True  # "85度水温冲泡，口感最佳": the condition stands in the clause before
    if adj == "好":
        # 最好 + a verb phrase is "had better": 最好三天内吃完, 最好选择正规渠道. 最好 + 的/nothing is a claim.
        if not tail or tail[0] in "的地了啦呀哦!":
            return False
        if _DIGIT.match(tail):
            return True
        starter = hit.starts_with(tail, "advice_starters")
        if starter:
            rest = tail[len(starter) :]
            return bool(rest) and rest[0] not in "的了啦呀哦" and not hit.starts_with(rest, "claim_nouns")
        if tail[0] in "用吃喝穿看听玩闻洗戴":
            rest = tail[1:]
            return bool(rest) and rest[0] not in "的了啦呀哦" and not hit.starts_with(rest, "claim_nouns")
        return False
    return bool(hit.starts_with(tail, "usage_after"))


def _zui_limit(hit: Hit, adj: str, tail: str, before: str) -> bool:
    """A limit of the product's own range: 最大承重150kg, 最高可达80℃, 温度最高80℃, 最多可放20件."""
    if not hit.starts_with(adj, "scalar_adj"):
        return False
    t = tail
    lead = hit.starts_with(t, "number_lead")
    if lead:
        t = t[len(lead) :]
    if _DIGIT.match(t) or hit.starts_with(t, "cn_numbers") or hit.starts_with(t, "limit_time"):
        return True
    if hit.starts_with(t, "whole_amounts"):
        return True  # 最高全额返现: a cap of a rebate, up to all of it
    if hit.starts_with(adj, "extent_adj") and hit.starts_with(tail, "param_nouns"):
        return True  # 最大承重, 最高温度: the name of a limit, even without its number
    param = hit.starts_with(tail, "param_nouns")
    if param and _param_number(hit, tail[len(param) :]):
        return True  # 最长续航12小时, 最强吸力可达3000Pa (not "最强续航 行动电源 20000mAh")
    if hit.starts_with(adj, "extent_adj") and _DIGIT.search(tail[:8]):
        return True  # 最低充值金额为10元: an extent stated with its number
    return bool(hit.ends_with(before, "param_nouns") and _DIGIT.search(tail[:8]))


def _param_number(hit: Hit, rest: str) -> bool:
    """The parameter's own number follows it, after at most a linking word ("续航可达12小时", "吸力3000Pa")."""
    lead = hit.starts_with(rest, "number_lead")
    if lead:
        rest = rest[len(lead) :]
    return bool(_DIGIT.match(rest) or hit.starts_with(rest, "cn_numbers") or hit.starts_with(rest, "limit_time"))


def _clean_after_zui(hit: Hit, cont: str) -> bool:
    """What follows 最 is an ordinary word (最终, 最大化) - unless a longer evaluation matches (最先进), or the
    goods' own process is said to keep the most ("冷冻干燥技术最大程度保留肉质营养"; advice on a pot to brew in,
    "这类壶可以最大限度地留住清香" after 冲泡, stays advice)."""
    clean = hit.starts_with(cont, "zui_clean")
    if clean is None:
        return False
    if clean in ("大程度", "大限度"):
        rest = cont[len(clean) :]
        rest = rest[1:] if rest.startswith("地") else rest
        if hit.starts_with(rest, "keep_verbs"):
            before, after = hit.sentence()
            return hit.search(before + "|" + after, "usage_before") is not None
    adj = hit.starts_with(cont, "zui_error_adj")
    return adj is None or len(adj) <= len(clean)


def zui(hit: Hit) -> Outcome | None:
    """最 + evaluation; "史上最"/"全网最" + evaluation. What follows 最 decides."""
    canonical = hit.term.norm
    zui_at = canonical.find("最")
    # What follows 最: the rest of the key (最佳 -> 佳), then the text after the hit.
    n_key_after = len(canonical) - zui_at - 1
    generic = n_key_after == 0
    cont = (canonical[zui_at + 1 :] + hit.after(8, CLAUSE)) if not generic else hit.after(8)
    if not cont or _clean_after_zui(hit, cont):
        return None
    skip = hit.starts_with(cont, "zui_transparent") if generic else None
    n_skip = len(skip) if skip else 0
    rest = cont[n_skip:]
    if not rest or _clean_after_zui(hit, rest):
        return None
    if not generic:
        adj = canonical[zui_at + 1 :]
    else:
        found = hit.starts_with(rest, "zui_error_adj") or hit.starts_with(rest, "zui_warning_adj")
        if found is None:
            if not _CJK.match(rest[0]):
                return None  # 最 before a number or a Latin word that is no listed evaluation
            found = rest[0]
        adj = found
    tail = cont[n_skip + len(adj) :]
    before = hit.before(12, CLAUSE)
    if (
        names_a_thing(hit, titles=False)
        or hit.search(before, "mandatory_subjects")
        or hit.search(before, "person_subjects")
    ):
        return None  # "母乳是婴儿最好的食物": the statement infant formula must carry, about breast milk
    # A comparison frame ("业界最高续航20小时", "同级别中屏幕最大") ranks the goods: no advice, no own limit.
    framed = hit.search(before, "comparison_frames") is not None
    if not framed and (_zui_advice(hit, adj, tail, before) or _zui_limit(hit, adj, tail, before)):
        return None
    t = tail[1:] if tail.startswith("的") else tail
    if hit.starts_with(adj, "self_desc_adj") and hit.starts_with(t, "self_desc_nouns"):
        return None  # 最大的特点是…: describes a feature of the goods, compares with nothing
    if hit.starts_with(adj, "extent_adj") and hit.starts_with(t, "range_nouns") and not _ranked_against_others(hit):
        return None  # 最小的一款只有手掌大: a size within the shop's own range
    de = tail.find("的", 0, 3)  # the adjective may run on past the word read ("最可敬的养蜂人")
    if tail.startswith("的是") or (adj in ("让人", "令人") and "的是" in tail[:6]) or tail[de:].startswith("的是"):
        return None  # "最让人惊喜的是它的续航", "最治愈的是…": introduces a feature or a moment, ranks nothing
    if de >= 0 and (
        hit.starts_with(tail[de + 1 :], "people_nouns") or hit.starts_with(tail[de + 1 :], "abstract_nouns")
    ):
        return None  # "最好的朋友", "对我们最大的鼓励": a person or a feeling, not the goods
    if (about_service(hit, tail) and not _ranked_against_others(hit)) or goal(hit) or self_comparison(hit):
        return None
    if named(hit):
        return None
    widen = hit.extend_to(hit.after_positions(n_skip + len(adj))) if generic else KEEP
    if award(hit):
        return _with_span(AWARD, widen)
    if limited(hit):
        return _with_span(LIMITED, widen)
    if hit.starts_with(adj, "zui_warning_adj") and not hit.starts_with(adj, "zui_error_adj"):
        return _with_span(
            Outcome(
                severity=Severity.WARNING,
                message="“{text}”是最高级的主观评价，易被认定为绝对化用语；请改为客观描述或提供依据",
            ),
            widen,
        )
    return widen


def _with_span(o: Outcome, span: Outcome) -> Outcome:
    return Outcome(o.severity, o.rule, o.message, o.suggestion, o.citation, span.start, span.end)


# -- 第一, NO.1, TOP1 -----------------------------------------------------------------------------------


_ORDINAL_HEADS = ("第一", "第1", "首个")


def first(hit: Hit) -> Outcome | None:
    """第一 and its spellings: an ordinal unless it ranks the goods."""
    canonical = hit.term.norm
    head = next((h for h in _ORDINAL_HEADS if canonical.startswith(h)), None)
    after = hit.after(6)
    if head is not None:
        # What follows 第一 decides: the rest of the key (第一名 -> 名) and then the text after the hit.
        tail = canonical[len(head) :] + after
        if tail[:1] and tail[0] in "百千万十零两":
            return None  # 第一百零八: a larger ordinal
        if hit.raw_after(1) in ("-", "~", "～", "—", "至", "到", "、", ","):
            span = hit.after(6, CLAUSE)
            rest = span.lstrip("0123456789一二三四五六七八九十至到")
            if rest != span and hit.starts_with(rest, "ordinal_strong"):
                return None  # 第1-4卷, 第一~三册: a range of ordinals
        claim_noun = hit.starts_with(tail, "first_claim_nouns")
        if not claim_noun and hit.starts_with(tail, "ordinal_strong"):
            return None
        before = hit.before(12, CLAUSE)
        ranked = bool(hit.search(before, "ranking_domain"))
        if not ranked and not claim_noun and _LIST_HEADING.match(hit.raw_after(4)):
            return None  # "第一梳：清晨洗漱后…", "第一招:": the heading of a numbered step
        if not claim_noun:
            weak = hit.starts_with(tail, "ordinal_weak")
            if weak == "名":
                rest = tail[1:]
                if hit.search(rest[:5], "buyer_words") or hit.starts_with(rest, "ordinal_strong"):
                    return None
            elif weak and (not ranked or before.endswith("的")):
                return None  # 我们的第一家店, 品牌的第一款: possessive, an ordinal
        if hit.ends_with(before, "value_subjects") and not ranked:
            return None  # 诚信第一, 顾客第一: a priority, not a ranking
        if "第二" in hit.after(16, SENTENCE) or "第二" in hit.before(16, SENTENCE):
            return None  # 友谊第一，比赛第二
        if not claim_noun and _PRODUCT_FORM_NAME.match(tail):
            return None  # "第一防御液" (First Defense): the name of a preparation
    else:
        tail = after
        if canonical.endswith(_ORDINAL_HEADS) and hit.starts_with(tail, "ordinal_strong"):
            return None  # 销量第一次突破百万: "for the first time"
        before = hit.before(12, CLAUSE)
        ranked = bool(hit.search(before, "ranking_domain"))
        latin = hit.key.latin_start or canonical.startswith(("no", "top", "number", "#"))
        if latin and _model_spelling(hit) and not ranked:
            return None
        if canonical.startswith("#") and not ranked and _shade_code(hit):
            return None
    if named(hit):
        return None
    return common(hit, tail, ranking=True)


def _shade_code(hit: Hit) -> bool:
    """ "#1白奶油棉花糖", "色号#1", "#1 #21": a shade or a code in a range of them, not a rank."""
    before, after = hit.sentence()
    if _COLOUR.match(after) or before.endswith(("色号", "色", "号", "颜色")):
        return True
    return _HASH_CODE.search(before + "|" + after) is not None


_COLOUR = re.compile(r"[白黑红粉蓝绿黄紫灰棕橘橙裸金银米咖杏青]")
_HASH_CODE = re.compile(r"#\s?[0-9]+")


#: 第一 + one or two characters + the form of a preparation, ending the word: a product's name ("第一防御液+…").
_PRODUCT_FORM_NAME = re.compile(r"[\u4e00-\u9fff]{1,2}(?:液|霜|膏|丸|片|粉|乳|露|贴|胶囊|口服液)(?![\u4e00-\u9fff])")

_LIST_HEADING = re.compile(r"[\u4e00-\u9fff]{0,2}\s*[:：]")


def _model_spelling(hit: Hit) -> bool:
    """ "TOP-1", "No-1A": a hyphenated or alphanumeric code reads as a model, not a rank."""
    raw = hit.doc.text[hit.start : hit.end]
    after = hit.raw_after(1)
    if after and (after.isascii() and after.isalnum()):
        return True
    return "-" in raw or "_" in raw


# -- other extreme terms ---------------------------------------------------------------------------------


def claim(hit: Hit) -> Outcome | None:
    """An extreme word with no ordinary reading (顶级, 极品, 首选...): only the shared exemptions apply,
    technical terms (顶级域名: a top-level domain) and a way of cooking right before (辣炒绝佳: advice)."""
    if hit.starts_with(hit.after(4, SOFT), "technical_nouns"):
        return None
    if hit.search(hit.before(6, CLAUSE), "cooking_methods"):
        return None
    return common(hit, hit.after(10, CLAUSE))


def banned_wording(hit: Hit) -> Outcome | None:
    """Wording the law bans outright on goods and in ads (驰名商标, 商标法 第十四条): a conferred title is no
    exemption (国家商标局认定的中国驰名商标 is still banned); only a mention or a denial is."""
    if mentioned(hit) or claim_negated(hit):
        return None
    return KEEP


def ranking(hit: Hit) -> Outcome | None:
    """A ranking or sales claim (销量冠军, 销冠): limited in time or place it needs evidence (warning)."""
    return common(hit, hit.after(10, CLAUSE), ranking=True)


def ranked_only(hit: Hit) -> Outcome | None:
    """冠军 ranks the goods only after a ranking domain ("品类冠军", "行业冠军"); "冠军联名款" names a person."""
    if hit.search(hit.before(8, CLAUSE), "ranking_domain"):
        return KEEP
    return None


def ranked_among(hit: Hit) -> Outcome | None:
    """A place among the first few (前三, 十大) ranks the goods or their maker only after a scope of ranking
    ("全网销量前三", "世界三大美发品牌之一", "位居淘宝化妆品销售前五位"); "前100名下单送…" counts buyers, "三大优势"
    counts selling points and "中国十大名茶之一" places a kind of goods, not the maker.

    前N ranks when the clause ends after it or goes on with what is ranked (位, 强, 的牙刷); N大 when a maker's
    rank (品牌, 企业) follows within a few characters, and the span then reaches it.
    """
    if not hit.search(hit.before(10, CLAUSE), "ranking_domain"):
        return None
    tail = hit.after(8, CLAUSE)
    if hit.term.norm.endswith("大"):
        m = hit.search(tail[:7], "entity_ranks")
        if m is None:
            return None
        outcome = common(hit, tail, ranking=True)
        if outcome is KEEP:
            return hit.extend_to(hit.after_positions(m.end(), CLAUSE))
        return outcome
    rest = tail[1:] if tail.startswith("名") else tail
    if rest and not tail.startswith("的") and not hit.starts_with(rest, "rank_tails"):
        return None
    return common(hit, tail, ranking=True)


def national(hit: Hit) -> Outcome | None:
    """国家级/世界级: a conferred title (国家级高新技术企业, 国家级非遗传承人) is information, not a claim."""
    tail = hit.after(12, CLAUSE)
    t = tail[1:] if tail.startswith("的") else tail
    if hit.starts_with(t, "quality_nouns"):
        return common(hit, tail)  # 国家级品质标准: the goods' quality, no conferred title
    if hit.starts_with(tail, "title_nouns") or hit.search(tail[:10], "title_nouns"):
        return AWARD
    return common(hit, tail)


def authority(hit: Hit) -> Outcome | None:
    """权威 of the goods or the seller ("权威专业的会计网站", "权威品牌"); a third party's authority (权威机构检测,
    第三方权威检测, 权威认证) is where a claim's evidence comes from, not a rank the shop gives itself."""
    if hit.starts_with(hit.after(4, SOFT), "authority_sources") or hit.ends_with(hit.before(4, SOFT), "authority_lead"):
        return None
    return KEEP


def natural_source(hit: Hit) -> Outcome | None:
    """纯植物/纯天然 of one raw material ("纯植物色料", "纯天然提取物"), not of the cosmetic as a whole."""
    if hit.starts_with(hit.after(4, SOFT), "natural_sources"):
        return None
    return KEEP


def favourite_of_many(hit: Hit) -> Outcome | None:
    """最爱 of a group of buyers ("宝妈们的最爱", "宝宝最爱吃的小零食"): a popularity claim without evidence; one
    person's favourite ("女主角最爱的美鞋", "我最爱的一款") ranks nothing."""
    before = hit.before(4, SOFT)
    lead = before[:-1] if before.endswith("的") else before
    if not hit.ends_with(lead, "buyer_groups"):
        return None
    return KEEP


def king_name(hit: Hit) -> Outcome | None:
    """王者 before more of a name ("王者陶瓷", "2匹王者新一级"): a brand or a series. As a claim it ends its phrase
    ("续航王者！", "性价比王者") or is what the goods are called ("堪称王者")."""
    tail = hit.after(1, SOFT)
    if tail and _HAN_OR_LATIN.match(tail) and tail not in ("的", "之", "级"):
        return None
    return KEEP


_HAN_OR_LATIN = re.compile(r"[\u4e00-\u9fffa-z0-9]")


def degree_complement(hit: Hit) -> Outcome | None:
    """极致 after 到/至 says how far a quality goes ("简约到极致", "做到极致"): a degree, not a rank of the goods."""
    if hit.before(1, SOFT) in ("到", "至") or hit.before(2, SOFT) in ("到了", "至了"):
        return None
    return KEEP


def environment(hit: Hit) -> Outcome | None:
    """无污染 before a place ("无污染的环境", "无污染水源") describes where the goods come from."""
    tail = hit.after(6, SOFT)
    if hit.starts_with(tail[1:] if tail.startswith("的") else tail, "origin_nouns"):
        return None
    return KEEP


def replaces_drug(hit: Hit) -> Outcome | None:
    """不可替代 + medical goods ("本品不可替代药品或医疗器械使用"): the mandatory disclaimer of health food."""
    if hit.starts_with(hit.after(4, SOFT), "drug_words"):
        return None
    return KEEP


def timeless(hit: Hit) -> Outcome | None:
    """永不过时: a style that lasts, a matter of taste rather than a promise about the goods."""
    if hit.starts_with(hit.after(3, SOFT), "timeless_words"):
        return None
    return KEEP


def fit(hit: Hit) -> Outcome | None:
    """完美 + a word of fitting together ("完美搭配", "完美融合", "完美贴合") describes how parts match,
    not the goods' superiority; after 更/更加 ("比例更加的完美") it is a comparison of degree, no absolute."""
    if hit.starts_with(hit.after(4, SOFT), "fit_words"):
        return None
    before = hit.before(4, SOFT)
    if before.endswith("的"):
        before = before[:-1]
    if before.endswith(_MORE):
        return None
    if hit.starts_with(hit.after(3, SOFT), "person_after_perfect"):
        return None  # "完美女神值得拥有": the buyer, not the goods
    return KEEP


_MORE = ("更", "更加", "更为", "越发", "愈发", "愈加", "越来越")


def duration(hit: Hit) -> Outcome | None:
    """永久 as the term of a licence or an item ("永久皮肤", "永久会员", "永久使用权") states a duration."""
    if hit.starts_with(hit.after(4, SOFT), "duration_objects"):
        return None
    return KEEP


def grade(hit: Hit) -> Outcome | None:
    """特级/特等/优级: a grade of a standard; backed when the listing names the standard (GB/T …)."""
    if _STANDARD.search(hit.doc.text):
        return None
    return KEEP


def classifier_shou(hit: Hit) -> Outcome | None:
    """首 after a numeral or demonstrative is a classifier (一首选自…, 这首家喻户晓的歌)."""
    b = hit.before(1, SOFT)
    if b and hit.starts_with(b, "numeral_chars"):
        return None
    return KEEP


def own_first(hit: Hit) -> Outcome | None:
    """首款 after the maker that names it ("微软首款双卡手机", "vivo首款折叠屏", "品牌首款"): the first model of its
    own range, an ordinal like 品牌的第一款; not when a scope ranks it (全球首款, 业界首款) or nothing names the maker
    (首款支持…, 这是首款…)."""
    before = hit.before(8, CLAUSE)
    if not before:
        return KEEP
    if hit.ends_with(before, "own_makers") or before.endswith("的"):
        return None
    if hit.search(before, "unlimited_scope") or hit.search(before, "ranking_domain"):
        return KEEP
    if _LATIN_TAIL.search(before):
        return None  # vivo首款, iPhone首款
    if len(before) <= 4 and before == hit.before(8, SENTENCE) and not hit.ends_with(before, "verdict_verbs"):
        return None  # 华为首款…: a name opening the sentence
    return KEEP


_LATIN_TAIL = re.compile(r"[a-z][a-z0-9]+$")


def numeral_wan(hit: Hit) -> Outcome | None:
    """万 after a numeral is a number (十万能量, 千万能不能): not 万能."""
    b = hit.before(1, SOFT)
    if b and (hit.starts_with(b, "numeral_chars") or _DIGIT.match(b)):
        return None
    return KEEP


def unique(hit: Hit) -> Outcome | None:
    """唯一: "唯一的缺点", "唯一码", "唯一性" are ordinary; "全国唯一" is a claim."""
    tail = hit.after(6, SOFT)
    if hit.starts_with(tail, "unique_clean"):
        return None
    if _IDENTIFIER.search(tail[:4]):
        return None  # 唯一防伪码, 唯一序列号: an identifier
    return KEEP


def absolute(hit: Hit) -> Outcome | None:
    """绝对: technical terms (绝对值, 绝对湿度) are ordinary."""
    if hit.starts_with(hit.after(4, SOFT), "absolute_clean") or hit.before(2, SOFT).endswith("相对"):
        return None
    return KEEP


def universal(hit: Hit) -> Outcome | None:
    """万能 as part of a product type (万能胶, 万能充, 万能转换插头) names the goods."""
    if hit.starts_with(hit.after(4, SOFT), "universal_products"):
        return None
    return KEEP


def percent(hit: Hit) -> Outcome | None:
    """100%: a composition (100%纯棉, 棉含量100%) or a service promise is fine; 100%有效 is not."""
    tail = hit.after(6, SOFT)
    if tail.startswith("的"):
        tail = tail[1:]  # "百分百的纯棉面料"
    before = hit.before(6, CLAUSE)
    if _NOT_REACHED.search(before):
        return None  # "很难做到100%": a figure denied, no guarantee
    claim_word = hit.starts_with(tail, "percent_claim")
    material = hit.starts_with(tail, "percent_material") or _material_within(hit)
    if claim_word and (material is None or len(claim_word) >= len(material)):
        return KEEP  # 100%有效, 百分之百纯天然 (a claim beats the material word 纯 inside it)
    if material or hit.ends_with(before, "percent_material_before") or _DRINK_CONTENT.match(tail):
        return None  # … and "100%苹果果汁", "100%生牛乳": a drink's content, a category of the standards
    if hit.starts_with(tail, "percent_service"):
        return None
    if not tail and not hit.before(2, SOFT):
        return None  # a figure standing alone ("修身羽绒服 [100%]"): it qualifies nothing
    return Outcome(severity=Severity.WARNING, message="“{text}”是绝对化的保证，须有检测报告等依据，否则改为客观数据")


_DRINK_CONTENT = re.compile(r"[\u4e00-\u9fff]{0,4}(?:果汁|果蔬汁|蔬菜汁|原汁|原浆|生牛乳|椰子水)")

_NOT_REACHED = re.compile(r"(?:很难|难以|无法|不能|不可能|没法|做不到)(?:做到|达到|保证)?$")


def _material_within(hit: Hit) -> str | None:
    """A fibre named a few characters after 100% ("100%新疆长绒棉", "100%优质双宫茧桑蚕长丝"): the composition, its
    origin and grade in between; or where something of the goods comes from ("100%甜味来自水果")."""
    longer = hit.after(10, SOFT)
    m = hit.search(longer, "percent_fibres")
    if m is not None and m.start() <= 6:
        return m.group()
    source = longer.find("来自")
    return longer[: source + 2] if 0 < source <= 4 else None


def channel_edition(hit: Hit) -> Outcome | None:
    """特供/专供 of a sales channel ("特供款", "电商专供装", "超市专供"): an edition for a retailer or a market, no
    state organ; after a state body ("机关特供", "部队专供") the claim stands, and 专供 counts only beside one
    ("专供部队")."""
    before = hit.before(4, SOFT)
    if hit.ends_with(before, "state_bodies"):
        return KEEP  # "部队专供款": a state body is named
    after = hit.after(4, SOFT)
    if hit.starts_with(after, "channel_editions") or hit.ends_with(before, "channel_suppliers"):
        return None
    if hit.term.norm == "专供" and not hit.starts_with(after, "state_bodies"):
        return None  # "专供陛下娘娘", "药房专供": supplied to someone, no state organ; 特供 alone implies one
    return KEEP


def material_grade(hit: Hit) -> Outcome | None:
    """航空级/航天级 before an alloy ("航空级铝合金材质", "航天级钛金材料"): the grade of a material the goods are
    made of, named as the trade names it; of the goods themselves (航空级品质) it is a claim."""
    if hit.starts_with(hit.after(4, SOFT), "alloy_nouns"):
        return None
    return KEEP


def panda(hit: Hit) -> Outcome | None:
    """国宝 as the panda ("国宝熊猫玩偶", "国宝大熊猫"), no national treasure claimed for the goods ("荷兰国宝奶粉")."""
    if hit.after(3, SOFT).startswith(("熊猫", "大熊猫", "滚滚")) or hit.before(2, SOFT).endswith("熊猫"):
        return None
    return KEEP


def staff_title(hit: Hit) -> Outcome | None:
    """金牌 before a person ("金牌司机", "金牌月嫂", "金牌讲师"): a title of the shop's staff, no grade of the goods."""
    if hit.starts_with(hit.after(3, SOFT), "staff_nouns"):
        return None
    return KEEP


def person_endorsing(hit: Hit) -> Outcome | None:
    """世界冠军 before an endorsement ("世界冠军推荐", "世界冠军同款"): athletes who recommend the goods, no rank of
    the goods (an endorsement has rules of its own, 广告法 第三十八条)."""
    if hit.starts_with(hit.after(3, SOFT), "athlete_endorsements"):
        return None
    return KEEP


def unique_piece(hit: Hit) -> Outcome | None:
    """独一无二 of goods made one by one ("纯手工绘制每一个都独一无二", "天然纹理，每件独一无二"): each piece is unique
    in fact, no rank of the goods."""
    if hit.search(hit.before(14, CLAUSE) + "|" + hit.before(24, SENTENCE), "unique_piece_cues"):
        return None
    return KEEP


def ceiling(hit: Hit) -> Outcome | None:
    """天花板 in the slang sense ("行业天花板", "颜值天花板"), not the ceiling of a room."""
    before = hit.before(6, SOFT)
    after = hit.after(3, SOFT)
    if hit.ends_with(before, "ceiling_domains") or before.endswith("界") or after.startswith("级"):
        return common(hit, hit.after(6, CLAUSE))  # "天花板级别的口感" too
    return None


def soundalike(hit: Hit) -> Outcome | None:
    """A sound-alike spelling (弟一, 醉佳) must not be an ordinary word (兄弟一起, 陶醉佳酿)."""
    if hit.key.via is not Via.VARIANT:
        return KEEP
    b = hit.before(1, SOFT)
    if b and hit.starts_with(b + hit.text[:1], "soundalike_words"):
        return None
    return KEEP


def is_filler(ch: str) -> bool:
    """Whether ``ch`` is filler (for tests and diagnostics)."""
    return ch in filler_levels()


def disparage(hit: Hit) -> Outcome | None:
    """秒杀/碾压/完胜 + a comparison target (所有同价位, 一切, 同行, 竞品, 大牌): a disparaging comparison."""
    tail = hit.after(8, CLAUSE)
    m = hit.search(tail[:6], "comparison_targets")
    if m is None:
        return None
    return hit.extend_to(hit.after_positions(m.end(), CLAUSE))


def no_better(hit: Hit) -> Outcome | None:
    """ "没有比这更好的了": a comparison with everything else, when 更 + an evaluation follows."""
    tail = hit.after(12, CLAUSE)
    m = _NO_BETTER.search(tail)
    if m is None:
        return None
    return hit.extend_to(hit.after_positions(m.end(), CLAUSE))


_NO_BETTER = re.compile(r"更(?:好|优|强|棒|便宜|实惠|划算|专业|安全|舒适|耐用|值|美|香|甜|正宗|先进)")


#: The context rules of extreme wording by the name term files give them in ``context = [...]``.
RULES: dict[str, ContextRule] = {
    "zui": zui,
    "degree_complement": degree_complement,
    "king_name": king_name,
    "favourite_of_many": favourite_of_many,
    "natural_source": natural_source,
    "authority": authority,
    "environment": environment,
    "timeless": timeless,
    "replaces_drug": replaces_drug,
    "first": first,
    "claim": claim,
    "banned_wording": banned_wording,
    "ranking": ranking,
    "ranked_only": ranked_only,
    "ranked_among": ranked_among,
    "national": national,
    "duration": duration,
    "fit": fit,
    "grade": grade,
    "classifier_shou": classifier_shou,
    "own_first": own_first,
    "numeral_wan": numeral_wan,
    "unique": unique,
    "absolute": absolute,
    "universal": universal,
    "percent": percent,
    "ceiling": ceiling,
    "unique_piece": unique_piece,
    "staff_title": staff_title,
    "material_grade": material_grade,
    "panda": panda,
    "person_endorsing": person_endorsing,
    "channel_edition": channel_edition,
    "soundalike": soundalike,
    "disparage": disparage,
    "no_better": no_better,
}
