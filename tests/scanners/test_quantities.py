"""Quantity extraction: a labelled table (cases/quantities.toml), properties, and the libraries' quirks."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanners.quantities import Quantity, base_unit, extract_all, extract_quantities, normalize, unit_info

CASES_FILE = Path(__file__).parent / "cases" / "quantities.toml"
CASES: list[dict[str, Any]] = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))["case"]


def _span(text: str, expected: dict[str, Any], after: int) -> tuple[int, int]:
    start = text.index(expected["text"], after)
    return start, start + len(expected["text"])


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_extraction_table(case: dict[str, Any]) -> None:
    text = case["text"]
    found = extract_quantities(text)
    if case.get("none"):
        assert found == [], [q.text for q in found]
        return
    expected = case["expect"]
    assert [q.text for q in found] == [e["text"] for e in expected]
    after = 0
    for q, e in zip(found, expected, strict=True):
        start, end = _span(text, e, after)
        after = end
        assert (q.start, q.end) == (start, end)
        assert text[q.start : q.end] == q.text
        low, high = (e["value"], e["value"]) if "value" in e else (e.get("low"), e.get("high"))
        if low is not None:
            assert q.low == pytest.approx(low, rel=1e-5)
        if high is not None:
            assert q.high == pytest.approx(high, rel=1e-5)
        if "per_unit" in e:
            assert q.per_unit_low == pytest.approx(e["per_unit"])
        for key in ("unit", "dimension", "counts", "count", "bound", "role", "qualifier"):
            if key in e:
                assert getattr(q, key) == e[key], key


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 100


def test_base_units() -> None:
    assert [base_unit(d) for d in ("mass", "volume", "length", "charge", "energy", "power")] == [
        "g",
        "ml",
        "mm",
        "mAh",
        "Wh",
        "W",
    ]


@pytest.mark.parametrize(
    ("symbol", "factor"),
    [
        ("斤", 500),
        ("两", 50),
        ("台斤", 600),
        ("lb", 453.59237),
        ("oz", 28.349523125),
        ("fl oz", 29.5735295625),
        ("inch", 25.4),
        ("尺", 1000 / 3),
        ("Ah", 1000),
        ("kW", 1000),
        ("kWh", 1000),
    ],
)
def test_factors_come_from_pint(symbol: str, factor: float) -> None:
    info = unit_info(symbol)
    assert info is not None
    assert info.factor == pytest.approx(factor, rel=1e-12)


@pytest.mark.parametrize("cache_home", ["writable", "unusable"])
def test_factors_with_and_without_pint_cache_folder(
    cache_home: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scanners.units import pint_factors

    # pint keeps its parsed definitions in the user's cache folder; when there is none, it parses them again.
    home = tmp_path / "cache" if cache_home == "writable" else tmp_path / "file" / "cache"
    if cache_home == "unusable":
        (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    units = [{"dimension": "mass", "pint": "jin"}, {"dimension": "volume", "pint": "fluid_ounce"}]
    dims = {"mass": {"pint": "gram"}, "volume": {"pint": "milliliter"}}
    for _ in range(2):  # the second registry reads the cache when there is one
        factors = pint_factors(units, dims, ["jin = 500 * gram"])
        assert factors == [pytest.approx(500.0), pytest.approx(29.5735295625)]
    assert (home / "pint").is_dir() == (cache_home == "writable")


def test_normalize_keeps_length() -> None:
    text = "１．５ｋｇ×２袋～３袋，两斤〇两"
    assert len(normalize(text)) == len(text)
    assert normalize("１．５ｋｇ") == "1.5kg"


def test_voltage_and_storage_are_recognised_but_not_returned() -> None:
    text = "3.7V 256G"
    assert [q.dimension for q in extract_all(text)] == ["voltage", "data"]
    assert extract_quantities(text) == []


def test_results_are_frozen_quantities() -> None:
    (q,) = extract_quantities("500g")
    assert isinstance(q, Quantity)
    assert q.is_point and q.value == 500
    with pytest.raises(AttributeError):
        q.low = 1  # type: ignore[misc]


def test_chinese2digits_quirk_is_corrected() -> None:
    """chinese2digits reads the colloquial 一千二 as 1002; the extractor says 1200."""
    chinese2digits = pytest.importorskip("chinese2digits")
    assert chinese2digits.chineseToDigits("一千二") == "1002"
    (q,) = extract_quantities("一千二毫安")
    assert q.low == 1200


def test_cn2an_reads_the_unit_liang_as_a_digit() -> None:
    """Why cn2an is not used: it turns the unit in 三两 into the digit two (32)."""
    cn2an = pytest.importorskip("cn2an")
    assert cn2an.transform("三两", "cn2an") == "32"
    (q,) = extract_quantities("三两")
    assert (q.low, q.unit) == (150, "两")


def test_bad_input_is_no_quantity() -> None:
    assert extract_quantities("") == []
    assert extract_quantities(None) == []  # type: ignore[arg-type]
    assert extract_quantities("9" * 400 + "kg") == []


_ALPHABET = st.sampled_from(
    list(
        "0123456789０１２３４５６７８９.,-~～*×xX/+ 　约起左右以上内不少于共每袋盒支片包抽件只粒两斤半"
        "一二三四五六七八九十百千万亿零点kgKGmlLcmM寸英尺米克升毫安时WwVvGgozlbfl磅台赠送净毛重额定电芯屏"
    )
)


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=40) | st.text(max_size=40))
def test_arbitrary_text_never_crashes_and_spans_map_back(text: str) -> None:
    previous_end = 0
    for q in extract_all(text):
        assert text[q.start : q.end] == q.text
        assert 0 <= q.start < q.end <= len(text)
        assert q.start >= previous_end  # in order, never overlapping
        previous_end = q.end
        assert q.low <= q.high
        assert not math.isnan(q.low) and not math.isnan(q.high)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U盘 128GB 高速", [("128GB", None)]),  # 高 qualifies lengths only, and 高速 is no height
        ("街机7寸高清大屏", [("7寸", None)]),  # 高清 is no height
        ("16G运行内存 1T固态", [("16G", "ram"), ("1T", "storage")]),  # 运行内存 is the 16G's, not the 1T's
        ("8G/1T/2G独显", [("8G", None), ("1T", None), ("2G", "graphics")]),
        ("30mm宽*15mm高1500张", [("30mm", "width"), ("15mm", "height"), ("1500张", None)]),
    ],
)
def test_qualifiers_belong_to_one_quantity_and_dimension(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(q.text, q.qualifier) for q in extract_all(text)] == expected


def test_storage_sizes_in_terabytes() -> None:
    found = extract_all("移动硬盘 2T 1TB 童装T恤")
    assert [(q.text, q.dimension, q.unit) for q in found] == [("2T", "data", "TB"), ("1TB", "data", "TB")]
    assert found[0].low == pytest.approx(2000)  # in GB


@pytest.mark.parametrize(
    ("text", "resolution"),
    [("5kg", 1000), ("1.5kg", 100), ("11斤", 500), ("一斤半", 250), ("1斤2两", 50), ("8寸", 25.4), ("2.5万毫安", 1000)],
)
def test_resolution_is_the_place_value_of_the_last_stated_digit(text: str, resolution: float) -> None:
    (q,) = extract_quantities(text)
    assert q.resolution == pytest.approx(resolution)
