"""The product's listing categories: one code, one Chinese name, and the words platforms use for it.

A listing's ``category`` is stored as the code when the platform's text names a known category (茶叶,
``茶/咖啡/冲饮>>红茶`` and ``tea`` are all ``tea``), else as the text itself. Pages always show the Chinese
name (:func:`category_name`), so a shop whose data mixes ``tea`` and 茶叶 sees one 茶叶 in the queue filter.
Pure: no Django. The scanners read the stored value (codes and Chinese names are both in their kinds table).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


def gettext_noop(message: str) -> str:
    """Marks a name for translation (the pages translate it; ``makemessages`` collects it)."""
    return message


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name: str  # Chinese, shown on every page (translated by the pages: locale/en has each)
    words: tuple[str, ...] = ()  # platform category texts (one level of a category path) that mean this category


CATEGORIES: tuple[Category, ...] = (
    Category(
        "tea",
        gettext_noop("茶叶"),
        (
            "茶",
            "茶叶",
            "红茶",
            "绿茶",
            "白茶",
            "乌龙茶",
            "黑茶",
            "黄茶",
            "普洱",
            "普洱茶",
            "花茶",
            "花草茶",
            "茶饮",
            "养生茶",
        ),
    ),
    Category("teaware", gettext_noop("茶具"), ("茶具", "茶器", "茶壶", "茶杯", "茶盘", "功夫茶具", "茶具/茶盘/茶道")),
    Category(
        "food",
        gettext_noop("食品"),
        ("食品", "粮油", "米面", "粮油米面", "调味品", "粮油调味", "咖啡/麦片/冲饮", "茶/咖啡/冲饮"),
    ),
    Category("snack", gettext_noop("零食"), ("零食", "snacks", "休闲零食", "坚果", "零食/坚果/特产", "糕点", "饼干")),
    Category("gift_box", gettext_noop("礼盒"), ("礼盒", "礼品", "礼品礼盒", "节日礼盒")),
    Category("health_food", gettext_noop("保健食品"), ("保健食品", "保健品", "营养品", "保健食品/膳食营养补充食品")),
    Category(
        "cosmetics",
        gettext_noop("美妆护肤"),
        ("美妆", "化妆品", "护肤", "彩妆", "美容护肤/美体/精油", "彩妆/香水/美妆工具"),
    ),
    Category("womens_apparel", gettext_noop("女装"), ("女装", "女装/女士精品", "女士精品")),
    Category("mens_apparel", gettext_noop("男装"), ("男装",)),
)

_BY_CODE = {c.code: c for c in CATEGORIES}
# Category paths as platforms print them: 食品>茶叶>红茶, 茶/咖啡/冲饮>>红茶, 茶叶 - 红茶.
_PATH_SEPARATOR = re.compile(r"\s*(?:>>|>|→|＞|»|\s-\s|\|)\s*")


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


_BY_WORD = {_fold(word): c for c in CATEGORIES for word in (c.code, c.name, *c.words)}


def find(text: str) -> Category | None:
    """The category a platform's category text names: the whole text first (女装/女士精品 is one Taobao name),
    then each level of its path, the most specific level first, then each part split on ``/``."""
    text = text.strip()
    if not text:
        return None
    found = _BY_WORD.get(_fold(text))
    if found is not None:
        return found
    levels = [level for level in _PATH_SEPARATOR.split(text) if level]
    for level in reversed(levels):
        found = _BY_WORD.get(_fold(level))
        if found is not None:
            return found
    for level in reversed(levels):
        for part in reversed(level.split("/")):
            found = _BY_WORD.get(_fold(part))
            if found is not None:
                return found
    return None


def category_code(text: str) -> str:
    """What an import stores for a platform's category text: the code of a known category, else the text."""
    found = find(text)
    return found.code if found is not None else text.strip()


def category_name(value: str) -> str:
    """The Chinese name shown for a stored category (a code, a Chinese name or a platform's text)."""
    found = _BY_CODE.get(value) or find(value)
    return found.name if found is not None else value


def names(values: Iterable[str]) -> list[str]:
    """The distinct Chinese names of stored category values, sorted (one entry per category)."""
    return sorted({category_name(v) for v in values if v})


def values_named(name: str, values: Iterable[str]) -> list[str]:
    """The stored values among ``values`` shown as ``name`` (for filtering by the name a page shows; a code or
    a platform's text is taken as the name it shows, so older links with ``?category=tea`` still work)."""
    shown = category_name(name)
    return [v for v in values if v and category_name(v) == shown]
