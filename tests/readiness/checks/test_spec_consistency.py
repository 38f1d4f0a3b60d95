"""Spec consistency: spec_mismatch findings become issues and keep both sides."""

from __future__ import annotations

import pytest

from readiness.checks.page_text import spec_consistency
from scanners.findings import Related
from tests.readiness.checks.builders import context, finding, listing


@pytest.mark.parametrize(
    ("field", "start", "end", "text", "severity", "related"),
    [
        pytest.param("title", 16, 19, "一斤半", "error", Related(field="specs.净含量", text="500g"), id="demo P58"),
        pytest.param("specs.毛重", 0, 4, "450g", "error", Related(field="specs.净含量", text="500g"), id="demo P59"),
        pytest.param(
            "title",
            13,
            17,
            "500g",
            "warning",
            Related(field="specs.净含量", text="500ml×15瓶", start=0, end=9),
            id="demo P61: mass vs volume, review",
        ),
    ],
)
def test_spec_mismatch_table(field: str, start: int, end: int, text: str, severity: str, related: Related) -> None:
    f = finding(
        "spec_mismatch",
        listing_id="L138",
        field=field,
        start=start,
        end=end,
        text=text,
        severity=severity,
        related=related,
        rule="spec.mismatch",
    )
    result = spec_consistency(context([listing("L138")], findings={"L138": [f]}))
    assert len(result.issues) == 1
    issue = result.issues[0]
    assert (issue.check, issue.rule, issue.severity) == ("spec_consistency", "spec.mismatch", severity)
    assert (issue.field, issue.start, issue.end, issue.text) == (field, start, end, text)
    assert issue.related == related.to_dict()
    assert issue.evidence["related"] == related.to_dict()
    assert issue.owner == "listing_editor"
    # The domain gives no fine range for a spec mismatch: no exposure is invented.
    assert issue.exposure_min is None and issue.exposure_max is None


def test_other_categories_are_not_spec_issues() -> None:
    findings = {"L1": [finding("extreme_wording"), finding("presale_label")]}
    assert spec_consistency(context([listing("L1")], findings=findings)).issues == ()
