"""Pure helpers of the pages: highlight segments, one-click suggestions, the trend chart, money and time text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from readiness.web import charts, formatting, suggestions
from readiness.web.highlight import Segment, Span, first_segment_ids, segments, valid


def cut(value: str, *spans: Span) -> list[tuple[str, tuple[int, ...]]]:
    return [(s.text, s.findings) for s in segments(value, spans)]


def test_no_spans_is_one_plain_segment() -> None:
    assert cut("顶级龙井") == [("顶级龙井", ())]
    assert segments("", []) == []


def test_exact_offsets_in_code_points() -> None:
    value = "最\u200b佳口感 ＮＯ．１"
    assert cut(value, Span(1, 0, 3, "error"), Span(2, 6, 10, "error")) == [
        ("最\u200b佳", (1,)),
        ("口感 ", ()),
        ("ＮＯ．１", (2,)),
    ]


def test_overlapping_findings_are_split_into_segments() -> None:
    # 减肥刮油: one finding on 减肥 [0,2), one on 减肥刮油 [0,4), one on 刮油 [2,4), one on 油茶 [3,5)
    value = "减肥刮油茶"
    spans = [Span(1, 0, 2, "error"), Span(2, 0, 4, "warning"), Span(3, 2, 4, "error"), Span(4, 3, 5, "info")]
    assert cut(value, *spans) == [("减肥", (1, 2)), ("刮", (2, 3)), ("油", (2, 3, 4)), ("茶", (4,))]
    parts = segments(value, spans)
    assert "".join(p.text for p in parts) == value
    assert [p.severity for p in parts] == ["error", "error", "error", "info"]


def test_nested_and_identical_spans() -> None:
    assert cut("全网最低价", Span(1, 0, 5, "error"), Span(2, 2, 4, "error"), Span(3, 0, 5, "warning")) == [
        ("全网", (1, 3)),
        ("最低", (1, 2, 3)),
        ("价", (1, 3)),
    ]


def test_related_and_waived_spans() -> None:
    parts = segments("500g", [Span(7, 0, 4, "error", role="related")])
    assert parts[0].severity == "related" and parts[0].is_related_only
    parts = segments("顶级", [Span(7, 0, 2, "error", waived=True)])
    assert parts[0].severity == "waived"


def test_spans_outside_the_value_are_ignored() -> None:
    assert cut("abc", Span(1, 2, 9, "error"), Span(2, 1, 1, "error"), Span(3, -1, 2, "error")) == [("abc", ())]


def test_first_segment_of_each_finding() -> None:
    parts = segments("减肥刮油", [Span(1, 0, 4, "error"), Span(2, 2, 4, "error"), Span(1, 0, 2, "error", "related")])
    assert first_segment_ids(parts) == {(1, "main"): 0, (1, "related"): 0, (2, "main"): 1}
    assert isinstance(parts[0], Segment)


@pytest.mark.parametrize(
    ("value", "start", "end", "text", "ok"),
    [
        ("顶级龙井", 0, 2, "顶级", True),
        ("新顶级龙井", 0, 2, "顶级", False),
        ("顶级", 0, 5, None, False),
        ("顶级", None, 2, None, False),
    ],
)
def test_valid(value: str, start: int | None, end: int | None, text: str | None, ok: bool) -> None:
    assert valid(value, start, end, text) is ok


@pytest.mark.parametrize(
    ("suggestion", "words"),
    [
        ("优选、出色", ["优选", "出色"]),
        ("高品质、精选", ["高品质", "精选"]),
        ("1斤", ["1斤"]),
        ("0.5斤", ["0.5斤"]),
        ("安全，或写明检测结果", ["安全"]),
        ("美观、好看", ["美观", "好看"]),
        ("删除排名表述；确有数据的，写明来源、时间和范围", []),
        ("删除，或改为写明具体优惠内容，如“券后立减20元”", []),
        ("改为“X月X日前发货”或“付尾款后N天内发货”", []),
        ("注明评定机构与年份，如“2023年获评国家级高新技术企业”", []),
        ("写明检测数据", []),
        ("", []),
        (None, []),
    ],
)
def test_replacements(suggestion: str | None, words: list[str]) -> None:
    assert suggestions.replacements(suggestion) == words


def test_replace_span() -> None:
    assert suggestions.replace_span("顶级西湖龙井", 0, 2, "高品质") == "高品质西湖龙井"
    with pytest.raises(ValueError, match="outside"):
        suggestions.replace_span("ab", 1, 5, "x")


def test_trend_chart_geometry() -> None:
    when = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    chart = charts.trend_chart(
        [
            {"pk": 1, "score": 40, "grade": "F", "finished_at": when},
            {"pk": 2, "score": None, "grade": "", "finished_at": when},  # a failed run has no score
            {"pk": 3, "score": 100, "grade": "A", "finished_at": when},
        ]
    )
    assert [p.score for p in chart.points] == [40, 100]
    first, last = chart.points
    assert first.x == chart.left and last.x == chart.width - chart.right
    assert last.y == chart.top and first.y > last.y  # higher score, higher on the chart
    assert chart.polyline == f"{first.x:.1f},{first.y:.1f} {last.x:.1f},{last.y:.1f}"
    single = charts.trend_chart([{"pk": 1, "score": 50, "grade": "F", "finished_at": when}])
    assert single.points[0].x == chart.left + (chart.width - chart.left - chart.right) / 2
    assert charts.trend_chart([]).points == ()


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("52800.00"), "¥5.28万"),
        (Decimal("47.40"), "¥47.40"),
        (Decimal("200000"), "¥20万"),
        (Decimal("9999"), "¥9,999"),
        (None, "—"),
    ],
)
def test_yuan(amount: Decimal | None, text: str) -> None:
    assert formatting.yuan(amount) == text


def test_yuan_range_and_time_left() -> None:
    # large money in 万 (issue 17), as the report's table writes it; the English interface writes it out
    assert formatting.yuan_range(Decimal(200000), Decimal(1000000)) == "¥20万–100万"
    assert formatting.yuan_range(Decimal(1000), Decimal(46722)) == "¥1,000 – ¥4.67万"
    with translation.override("en"):
        assert formatting.yuan_range(Decimal(200000), Decimal(1000000)) == "¥200,000 – ¥1,000,000"
    assert formatting.yuan_range(Decimal(5), Decimal(5)) == "¥5"
    now = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    assert formatting.time_left(now + dt.timedelta(days=3, hours=4), now) == "还有 3 天 4 小时"
    assert formatting.time_left(now - dt.timedelta(minutes=5), now) == "已过 5 分"


def test_field_labels() -> None:
    assert formatting.field_label("specs.净含量") == "规格参数·净含量"
    assert formatting.field_label("skus[0].name") == "SKU 1 名称"
    assert formatting.field_label("title") == "标题"
