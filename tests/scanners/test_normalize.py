"""Normalisation: folding keeps lengths, squeezing keeps a map back to the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scanners.normalize import CLAUSE, INVISIBLE, SENTENCE, SOFT, filler_levels, fold, normalize_term, squeeze


@given(st.text())
def test_fold_never_changes_the_length(text: str) -> None:
    assert len(fold(text)) == len(text)


@given(st.text())
def test_squeeze_maps_every_kept_character_back(text: str) -> None:
    folded = fold(text)
    sq = squeeze(folded)
    for i, ch in enumerate(sq.text):
        assert folded[sq.to_original(i)] == ch
    if sq.text:
        start, end = sq.span(0, len(sq.text))
        assert squeeze(folded[start:end]).text == sq.text


def test_fold_examples() -> None:
    assert fold("國家級產品") == "国家级产品"
    assert fold("ＮＯ．１") == "no．1"  # the full-width dot is filler and stays where it is
    assert fold("ТОР1") == "top1"  # Cyrillic look-alikes
    assert fold("第①名") == "第1名"
    assert fold("zuì jiā") == "zui jia"
    assert fold("𝐓𝐎𝐏") == "top"
    assert fold("冣佳 第壹") == "最佳 第一"


def test_normalised_keys() -> None:
    assert normalize_term("No. 1") == "no1"
    assert normalize_term("最\u200b佳") == "最佳"
    assert normalize_term("好.评.返.现") == "好评返现"


def test_filler_levels() -> None:
    levels = filler_levels()
    assert levels["\u200b"] == INVISIBLE
    assert levels[" "] == SOFT and levels["*"] == SOFT and levels["."] == SOFT
    assert levels["，"] == CLAUSE and levels["、"] == CLAUSE
    assert levels["。"] == SENTENCE and levels["\n"] == SENTENCE and levels["！"] == SENTENCE
    for content in "最a1%#¥℃":
        assert content not in levels
