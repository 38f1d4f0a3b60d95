"""The lexicon is data: terms, citations and word classes load, validate and drive the findings."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from scanners import LexiconError, default_lexicon, load_lexicon, scan_text
from scanners.normalize import LEXICON_DIR
from scanners.terms import Role
from scanners.wording import CONTEXT_RULES


def test_several_hundred_terms_across_every_category() -> None:
    lexicon = default_lexicon()
    reported = [t for t in lexicon.terms if t.role is Role.TERM]
    assert len(reported) >= 600
    by_category = Counter(str(t.category) for t in reported)
    assert set(by_category) == {
        "extreme_wording",
        "medical_claim",
        "review_inducement",
        "price_claim",
        "presale_label",
        "gift_disclosure",
    }
    # Gifts are few words read in context (a value, an unnamed gift word); the others are vocabularies.
    assert all(n >= (10 if c == "gift_disclosure" else 20) for c, n in by_category.items()), by_category


def test_every_term_has_a_known_citation_a_message_and_known_context_rules() -> None:
    lexicon = default_lexicon()
    known = CONTEXT_RULES
    for t in lexicon.terms:
        if t.role is not Role.TERM:
            continue
        assert t.citation in lexicon.citations, t
        assert t.message and t.rule, t
        assert all(c in known for c in t.contexts), t
        for key in t.citation_by_kind.values():
            assert key in lexicon.citations


def test_the_automaton_is_built_once_per_process() -> None:
    assert default_lexicon() is default_lexicon()
    assert default_lexicon().matcher is default_lexicon().matcher


def test_a_citation_is_changed_in_data_without_code(tmp_path: Path) -> None:
    copy = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, copy)
    path = copy / "citations.toml"
    text = path.read_text(encoding="utf-8").replace(
        'text = "网络反不正当竞争暂行规定 第九条(五)"', 'text = "反不正当竞争法（2025修订）第十条"'
    )
    path.write_text(text, encoding="utf-8")
    lexicon = load_lexicon(copy)
    assert lexicon.citation_text("unfair_competition_online_9_5") == "反不正当竞争法（2025修订）第十条"
    # The built-in lexicon is untouched.
    (f,) = scan_text("好评返现")
    assert f.citation == "网络反不正当竞争暂行规定 第九条(五)"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('citation = "ad_law_9_3"', 'citation = "no_such_key"'), "no_such_key"),
        (('context = ["zui"]', 'context = ["zui"]\nbogus = 1'), "unknown keys"),
        (('severity = "error"', 'severity = "fatal"'), "fatal"),
    ],
)
def test_malformed_term_files_are_rejected_with_the_place(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    copy = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, copy)
    path = copy / "extreme.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        load_lexicon(copy)


def test_the_readings_table_agrees_with_pypinyin() -> None:
    """Sound-alikes are found by reading (lexicon/readings.toml), which is pypinyin's, written out."""
    pytest.importorskip("pypinyin", reason="pypinyin is a development dependency (pip install -e .[dev])")
    from scanners._readings import READINGS_FILE, readings_from_pypinyin, render

    assert READINGS_FILE.read_text(encoding="utf-8") == render(readings_from_pypinyin())


def test_homophone_spellings_come_from_readings_not_a_list() -> None:
    from scanners.terms import homophone_keys

    keys = homophone_keys("最佳")
    assert "醉佳" in keys and "罪佳" in keys and "最家" in keys
    assert "最佳" not in keys
    assert homophone_keys("最") == []  # one character would match every homophone in ordinary text


def test_anchor_words_of_context_rules_swallow_no_other_term() -> None:
    """A candidate inside a longer one is dropped before the context rules run (wording.py, step 4). Anchor
    words that count only with the words around them (就好, 不疼, 吃了, 价值) must therefore hold no other
    term: "不失眠" as an anchor would swallow 失眠, which its own rule reports after 不."""
    from scanners.claims import ANCHOR_CONTEXTS

    lexicon = default_lexicon()
    terms = [t for t in lexicon.terms if t.role is Role.TERM]
    anchors = [t for t in terms if ANCHOR_CONTEXTS.intersection(t.contexts)]
    assert len(anchors) >= 100
    others = {t.norm for t in terms if not ANCHOR_CONTEXTS.intersection(t.contexts)}
    # 掉 (weight lost, only with an amount: "掉10斤") inside 杀掉, 掉发, 不掉 does no harm. Nor does an organ that
    # counts only after a caring verb (保护肠道: health_effect) inside an organ's trouble (肠道问题: body_trouble),
    # which the same verbs make a claim.
    after_verb = {t.norm for t in terms if "health_effect" in t.contexts}
    swallowed = {
        (a.norm, o)
        for a in anchors
        for o in others
        if o != a.norm and o in a.norm and o != "掉" and not ("body_trouble" in a.contexts and o in after_verb)
    }
    assert not swallowed, sorted(swallowed)
