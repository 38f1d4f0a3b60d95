"""No citation a user reads holds a placeholder ("条文序号待核对" and the like), and the articles and fine ranges
agree with docs/domain.md ("Citations (verified against the law texts)"), in every platform's rule pack and in
the wording lexicon (issue 17)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from readiness.platforms import PLATFORMS
from readiness.rulepacks import load_rule_pack
from scanners.terms import default_lexicon

PACKS = sorted(PLATFORMS)  # every platform pack; each inherits default.toml
PLACEHOLDER = re.compile(r"待核对|待确认|待补|待定|待查|核对后|TODO|TBD|FIXME|XXX|\?|？|…|\.\.\.|条文序号|\{[a-z_]*\}")


def _legal(platform: str) -> dict[str, tuple[str, str, Decimal | None, Decimal | None]]:
    rules = load_rule_pack(platform)
    out = {}
    for kind in rules.table("legal"):
        basis = rules.legal(kind)
        assert basis is not None
        out[kind] = (basis.citation, basis.penalty, basis.fine_min, basis.fine_max)
    return out


@pytest.mark.parametrize("platform", PACKS)
def test_rule_pack_citations_hold_no_placeholder(platform: str) -> None:
    rules = load_rule_pack(platform)
    texts = [text for citation, penalty, _min, _max in _legal(platform).values() for text in (citation, penalty)]
    texts.append(rules.text("compensation.late_shipment_citation"))
    assert len(texts) > 10
    bad = [text for text in texts if PLACEHOLDER.search(text)]
    assert not bad, bad


def test_lexicon_citations_hold_no_placeholder() -> None:
    citations = default_lexicon().citations
    assert len(citations) > 10
    bad = [(c.key, c.text, c.penalty) for c in citations.values() if PLACEHOLDER.search(c.text + c.penalty)]
    assert not bad, bad


@pytest.mark.parametrize("platform", PACKS)
def test_articles_and_fines_match_the_domain(platform: str) -> None:
    legal = _legal(platform)
    citation, penalty, low, high = legal["extreme_wording"]
    assert "第九条(三)" in citation and "第五十七条" in penalty and (low, high) == (200000, 1000000)
    citation, penalty, low, high = legal["medical_claim"]
    assert "第十七条" in citation and "第七十三条" in citation and "第五十八条" in penalty
    assert (low, high) == (100000, 200000)
    citation, penalty, low, high = legal["review_inducement"]
    assert "第九条(五)" in citation and "反不正当竞争法" in penalty and (low, high) == (200000, 1000000)
    assert "第十六条" in legal["reference_price"][0]  # 前七日内最低成交价: 第十六条, not 第十三条
    assert "第八条" in legal["gift_disclosure"][0]


def test_lexicon_articles_match_the_domain() -> None:
    citations = default_lexicon().citations
    assert (
        citations["ad_law_9_3"].text.endswith("第九条(三)")
        and "二十万元以上一百万元以下" in citations["ad_law_9_3"].penalty
    )
    assert "第五十八条" in citations["ad_law_17"].penalty
    assert (
        "第五十五条" in citations["ad_law_28"].penalty and "二十万元以上一百万元以下" in citations["ad_law_28"].penalty
    )
    assert citations["price_rules_16"].text.endswith("第十六条")
    assert "二十万元以上一百万元以下" in citations["unfair_competition_online_9_5"].penalty
