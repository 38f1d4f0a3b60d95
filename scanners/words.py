"""Where the words of a sentence begin and end, looked at around a candidate hit only.

A term counts only where it stands as a word of its sentence (or a run of its words). 生发 in 学生发卡 is
the end of 学生 and the start of 发卡, 美白 in 完美白色 the end of 完美 and the start of 白色, 极致 in
积极致力 the end of 积极 and the start of 致力: each time no word of the sentence lies within the hit, and
every word it touches reaches outside it. Such a hit is pieces of two neighbouring words, not the term.

A hit at the end of a longer word that begins before it names another thing (尿酸 in 玻尿酸, hyaluronic
acid), unless that word is itself a term of the lexicon (降血压). A hit that begins a longer word (第一 in
第一次, 减肥 in 减肥茶) or that shares a boundary with the words around it (美白 in 美/白霜: jieba's
dictionary knows 白霜 "hoar frost", but 美 is a word within the hit) is kept: what the compound means is
the context rules' business.

The words come from jieba's dictionary through rjieba (the Rust port jieba-rs, 350k words, no download),
with every term of the lexicon added as a rare user word: present, so that a term no dictionary word
claims is a word of its own, but never preferred over the real words around it. Only the run of Chinese
characters around the hit is segmented (at most :data:`WIDTH` on each side), and only when Chinese
characters touch the hit on both sides: a title's space-separated keywords never reach the segmenter.
jieba's unknown-word model (HMM) is off: only dictionary words can cut across a hit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from scanners.memo import BoundedMemo
from scanners.terms import Lexicon, Via

#: Chinese characters read on each side of a hit: longer than the dictionary's usual words, so the words
#: touching the hit are found whole.
WIDTH = 6
#: The frequency given to the lexicon's terms as user words (jieba's dictionary counts ~60 million word
#: occurrences; a count of 3 is among its rarest words).
USER_WORD_FREQ = 3
#: The frequency given to the lexicon's ``ordinary_compounds`` ("人名牌") and ``shop_words`` ("包邮"): a common
#: word, preferred to the term inside it.
ORDINARY_WORD_FREQ = 2000

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_CLASS = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_HAN_RUN_BEFORE = re.compile(_HAN_CLASS + "{1,%d}$" % WIDTH)  # noqa: UP031 - braces of the regex
_HAN_RUN_AFTER = re.compile(_HAN_CLASS + "{1,%d}" % WIDTH)  # noqa: UP031

Tokenize = Callable[[str], list[tuple[str, int, int]]]


_with_terms: set[int] = set()  # the lexicons whose terms were added (by id; the built-in one in practice)


def _segmenter(lexicon: Lexicon) -> Tokenize:
    """jieba's tokenizer with the lexicon's Chinese terms added (once per process and lexicon)."""
    import rjieba  # loads the dictionary (~0.3 s): only when the first candidate needs it

    if id(lexicon) not in _with_terms:
        for key in lexicon.term_keys:
            if key.via is Via.HOMOPHONE or key.via is Via.VARIANT:
                continue  # sound-alikes stay unknown to the dictionary: see stands_alone
            word = key.key
            if len(word) >= 2 and all(_HAN.match(c) for c in word) and not rjieba.has_word(word):
                rjieba.add_word(word, USER_WORD_FREQ, None)
        for cls in ("ordinary_compounds", "shop_words"):
            for word in lexicon.words.get(cls, ()):
                if not rjieba.has_word(word):
                    rjieba.add_word(word, ORDINARY_WORD_FREQ, None)
        _with_terms.add(id(lexicon))
    return _tokenize


_KEYS: list[tuple[int, frozenset[str]]] = []  # the term keys of the lexicon last asked for


def _keys(lexicon: Lexicon) -> frozenset[str]:
    if not _KEYS or _KEYS[0][0] != id(lexicon):
        _KEYS[:] = [(id(lexicon), frozenset(k.key for k in lexicon.term_keys))]
    return _KEYS[0][1]


def _tokenize(text: str) -> list[tuple[str, int, int]]:
    import rjieba

    return rjieba.tokenize(text, hmm=False)


# PERFORMANCE: verdicts by the window segmented and the hit's place in it. Shops repeat their sentences;
# scan_bench.py measures what this pays.
_SPLIT: BoundedMemo[tuple[str, int, int], bool] = BoundedMemo(16384)


def clear_memo() -> None:
    _SPLIT.clear()


def split_across_words(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether ``text[start:end]`` (folded text) is made of pieces of the words around it.

    True only when Chinese characters touch the hit on both sides and every word of the segmented
    window that overlaps the hit also reaches outside it.
    """
    if start == 0 or end >= len(text):
        return False
    if not (
        _HAN.match(text, start - 1) and _HAN.match(text, end) and _HAN.match(text, start) and _HAN.match(text, end - 1)
    ):
        return False
    hit = text[start:end]
    if not all(_HAN.match(c) for c in hit):
        if _SPACE.search(hit) and _HAN.match(hit, len(hit) - 1):
            return _head_of_next_keyword(text, start, end, lexicon)
        return False  # filler or Latin inside the hit: an evasion or a mixed spelling, not a compound
    left = _HAN_RUN_BEFORE.search(text, max(0, start - WIDTH), start)
    right = _HAN_RUN_AFTER.match(text, end)
    lpart = left.group() if left is not None else ""
    rpart = right.group() if right is not None else ""
    window = lpart + hit + rpart
    s, e = len(lpart), len(lpart) + len(hit)
    memo_key = (window, s, e)
    verdict = _SPLIT.get(memo_key)
    if verdict is None:
        verdict = _pieces_only(_segmenter(lexicon)(window), s, e, _keys(lexicon))
        _SPLIT.put(memo_key, verdict)
    return verdict


def _head_of_next_keyword(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """A hit across a space whose last piece begins a longer word after it (大礼 包邮 is no 大礼包): a title's
    keywords, the end of one and the head of the next. "最 佳" is still an evasion (佳 stands alone)."""
    last = _SPACE_RUN.split(text[start:end])[-1]
    right = _HAN_RUN_AFTER.match(text, end)
    if not last or right is None:
        return False
    window = last + right.group()
    memo_key = ("\x00" + window, 0, len(last))  # marked: no verdict of split_across_words or stands_alone
    verdict = _SPLIT.get(memo_key)
    if verdict is None:
        verdict = any(ts == 0 and te > len(last) for _, ts, te in _segmenter(lexicon)(window))
        _SPLIT.put(memo_key, verdict)
    return verdict


_SPACE = re.compile(r"\s")
_SPACE_RUN = re.compile(r"\s+")


#: The last character of a disease name that heads a compound (鼻炎, 糖尿病, 失眠症, 肺癌).
_DISEASE_HEADS = frozenset("炎病症癌")


def _pieces_only(tokens: list[tuple[str, int, int]], s: int, e: int, keys: frozenset[str]) -> bool:
    touching = 0
    for word, ts, te in tokens:
        if te <= s or ts >= e:
            continue
        if s <= ts and te <= e:
            return False  # a word within the hit
        if ts < s and te >= e:
            # The hit ends a longer word that begins before it (尿酸 in 玻尿酸): another thing, unless that
            # word is itself a term (降血压 holds 血压) or the hit begins it (美白霜 is still 美白), or the
            # hit is a disease that heads the longer word: 过敏性鼻炎 and 结肠炎 are kinds of 鼻炎 and 肠炎.
            if te == e and word[-1] in _DISEASE_HEADS:
                return False
            return word not in keys
        touching += 1
    return touching >= 2


def stands_alone(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether a sound-alike spelling (醉佳, 养旰) stands on its own: it is no word of the dictionary, and no
    word of its sentence reaches into it from outside (陶醉 + 佳酿, 兄弟 + 一起, 此地 + 一).

    Stricter than :func:`split_across_words`: a real term may share a character with a neighbouring word,
    an evasion is an odd spelling that ordinary text does not produce.
    """
    hit = text[start:end]
    segment = _segmenter(lexicon)
    import rjieba

    if rjieba.has_word(hit):
        return False
    left = _HAN_RUN_BEFORE.search(text, max(0, start - WIDTH), start)
    right = _HAN_RUN_AFTER.match(text, end)
    lpart = left.group() if left is not None else ""
    rpart = right.group() if right is not None else ""
    if not lpart and not rpart:
        return True
    window = lpart + hit + rpart
    s, e = len(lpart), len(lpart) + len(hit)
    memo_key = (window, s, -e)  # negative end: not a verdict of split_across_words
    verdict = _SPLIT.get(memo_key)
    if verdict is None:
        verdict = all(ts >= s and te <= e for _, ts, te in segment(window) if ts < e and te > s)
        _SPLIT.put(memo_key, verdict)
    return verdict
