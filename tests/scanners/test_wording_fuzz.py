"""Property tests: arbitrary text never crashes the scanner and every offset is exact."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanners import Finding, Severity, scan_listing, scan_text

# Text built from the characters that matter most: term characters, filler of every level, look-alikes,
# full-width and traditional forms, digits and Latin letters - mixed with arbitrary Unicode.
_INTERESTING = list(
    "最佳好第一顶级极品国家首选唯独绝对万能返现评价送红包治疗减肥降血压全网低价原现货尽快陆续发"
    "國級頂極選壹苐冣ＮＯＴＰ１２ｎｏｔｐnotp1TOPNO.#%zuijadiy"
    " \u3000\t\n\r.,，。！？；、：“”（）【】*~-_·/|★♥\u200b\u200c\u200d\u200e\u200f\ufeff\u00ad\u2060\u2061\u2064🔥😀"
    "的了是在我们这款品质保证销量月天元"
)
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(_INTERESTING), max_size=80),
    st.lists(
        st.sampled_from(
            [
                "最佳",
                "第一",
                "销量第一",
                "好评返现",
                "全网最低价",
                "现货",
                "尽快发货",
                "最终",
                "第一次",
                " ",
                "\u200b",
                "。",
                "，",
            ]
        )
        | st.text(max_size=3),
        max_size=12,
    ).map("".join),
)


def _check(text: str, findings: list[Finding]) -> None:
    last = (-1, -1)
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert isinstance(f.severity, Severity)
        assert f.message
        assert (f.start, f.end) >= last or f.field != "text"
        last = (f.start, f.end)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, presale=st.booleans(), category=st.sampled_from([None, "food", "cosmetics", "apparel", "drug"]))
def test_any_text_scans_with_exact_offsets(text: str, presale: bool, category: str | None) -> None:
    _check(text, scan_text(text, category=category, presale=presale))


@settings(max_examples=150, deadline=None)
@given(
    title=texts,
    description=texts,
    spec=texts,
    sku=texts,
    presale=st.booleans(),
)
def test_any_listing_scans_with_exact_offsets(title: str, description: str, spec: str, sku: str, presale: bool) -> None:
    listing = {
        "id": "L1",
        "title": title,
        "description": description,
        "specs": {"净含量": spec, "品牌": "极米"},
        "skus": [{"code": "S1", "name": sku}],
        "presale": {"enabled": presale, "label": sku},
    }
    values = {
        "title": title,
        "description": description,
        "specs.净含量": spec,
        "specs.品牌": "极米",
        "skus[0].name": sku,
        "presale.label": sku,
    }
    for f in scan_listing(listing):
        value = values[f.field]
        assert value[f.start : f.end] == f.text
        assert f.listing_id == "L1"


_FILLER = st.text(
    alphabet=st.sampled_from([" ", "\u200b", "*", "-", ".", "\u00ad", "\ufeff", "~", "·", "\u2060"]),
    min_size=1,
    max_size=3,
)


@settings(max_examples=200, deadline=None)
@given(
    term=st.sampled_from(["最佳", "顶级", "极品", "国家级", "销量第一", "全网最低价", "好评返现"]),
    gaps=st.lists(_FILLER, min_size=6, max_size=6),
    prefix=st.sampled_from(["", "这款", "我们的", "【新品】"]),
    suffix=st.sampled_from(["", "的选择", "产品", "！"]),
)
def test_filler_inside_a_term_is_still_found_with_the_filler_in_the_span(
    term: str, gaps: list[str], prefix: str, suffix: str
) -> None:
    spaced = term[0] + "".join(g + c for g, c in zip(gaps, term[1:], strict=False))
    text = prefix + spaced + suffix
    findings = scan_text(text)
    hits = [f for f in findings if f.severity is not Severity.INFO]
    assert hits, f"{text!r} not flagged"
    assert any(f.start <= len(prefix) and f.end >= len(prefix) + len(spaced) for f in hits), findings
    _check(text, findings)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(texts, min_size=1, max_size=4), category=st.sampled_from([None, "food", "cosmetics"]))
def test_memoised_verdicts_never_differ_from_fresh_ones(parts: list[str], category: str | None) -> None:
    from scanners import wording

    text = "，".join(parts)
    first = scan_text(text, category=category)
    wording.clear_memos()
    assert scan_text(text, category=category) == first
