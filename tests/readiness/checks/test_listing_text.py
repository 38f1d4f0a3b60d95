"""Listing text: wording findings of the scanners become issues with highlight, fine range and deadline."""

from __future__ import annotations

from decimal import Decimal

import pytest

from readiness.checks.page_text import listing_text
from tests.readiness.checks.builders import PRESALE_START, context, finding, listing, promotion, sku

D = Decimal


@pytest.mark.parametrize(
    ("category", "severity", "exposure"),
    [
        pytest.param("extreme_wording", "error", (D("200000"), D("1000000")), id="广告法 第五十七条"),
        pytest.param("medical_claim", "error", (D("100000"), D("200000")), id="广告法 第五十八条"),
        pytest.param("review_inducement", "error", (D("200000"), D("1000000")), id="反不正当竞争法"),
        pytest.param("price_claim", "warning", (D("50000"), D("500000")), id="price fraud, warning"),
        pytest.param("extreme_wording", "info", (None, None), id="an info has no exposure"),
    ],
)
def test_wording_categories_table(category: str, severity: str, exposure: tuple[D | None, D | None]) -> None:
    findings = {"L1": [finding(category, severity=severity)]}
    result = listing_text(context([listing("L1")], findings=findings))
    assert len(result.issues) == 1
    issue = result.issues[0]
    assert (issue.check, issue.category, issue.severity) == ("listing_text", category, severity)
    assert (issue.exposure_min, issue.exposure_max) == exposure


@pytest.mark.parametrize(
    ("category", "included"),
    [
        ("extreme_wording", True),
        ("medical_claim", True),
        ("review_inducement", True),
        ("price_claim", True),
        ("spec_mismatch", False),
        ("presale_label", False),
        ("gift_disclosure", False),
    ],
)
def test_routing(category: str, included: bool) -> None:
    findings = {"L1": [finding(category)]}
    assert bool(listing_text(context([listing("L1")], findings=findings)).issues) is included


def test_highlight_citation_suggestion_owner_deadline() -> None:
    # Demo P39: 顶级 at title [0, 2).
    f = finding(
        "extreme_wording",
        listing_id="L133",
        field="title",
        start=0,
        end=2,
        text="顶级",
        rule="extreme.superlative",
        citation="广告法 第九条(三)",
        suggestion="优选",
        message="绝对化用语「顶级」",
    )
    issue = listing_text(context([listing("L133")], findings={"L133": [f]})).issues[0]
    assert (issue.listing_id, issue.field, issue.start, issue.end, issue.text) == ("L133", "title", 0, 2, "顶级")
    assert issue.is_text
    assert issue.rule == "extreme.superlative"
    assert issue.message == "绝对化用语「顶级」"
    assert issue.citation == "广告法 第九条(三)"
    assert issue.suggestion == "优选"
    assert "优选" in issue.remediation
    assert issue.owner == "listing_editor"
    assert issue.deadline == PRESALE_START
    assert issue.evidence["span"] == [0, 2]


def test_citation_falls_back_to_the_rule_pack() -> None:
    issue = listing_text(context([listing("L1")], findings={"L1": [finding("extreme_wording")]})).issues[0]
    assert issue.citation == "《广告法》第九条(三)"


def test_deadline_without_presale_is_sale_start() -> None:
    promo = promotion(presale_start=None, final_payment_start=None)
    issue = listing_text(context([listing("L1")], promo=promo, findings={"L1": [finding("medical_claim")]})).issues[0]
    assert issue.deadline == promo.sale_start


def test_sku_name_field_points_at_the_sku() -> None:
    item = listing("L1", skus=[sku("L1-1"), sku("L1-2")])
    f = finding("extreme_wording", field="skus[1].name")
    issue = listing_text(context([item], findings={"L1": [f]})).issues[0]
    assert issue.sku == "L1-2"


def test_findings_are_sorted_and_keyed_by_listing() -> None:
    findings = {
        "L2": [finding("extreme_wording", listing_id="L2", field="title", start=5, end=7)],
        "L1": [
            finding("extreme_wording", listing_id="L1", field="title", start=9, end=11),
            finding("extreme_wording", listing_id="L1", field="description", start=0, end=2),
        ],
    }
    result = listing_text(context([listing("L1"), listing("L2")], findings=findings))
    assert [(i.listing_id, i.field, i.start) for i in result.issues] == [
        ("L1", "description", 0),
        ("L1", "title", 9),
        ("L2", "title", 5),
    ]
    assert result.listing_ids == ("L1", "L2")


def test_a_new_scanner_category_is_not_dropped() -> None:
    # Categories may be added to the scanners (never renamed): until routed, they land in listing_text.
    from scanners.findings import Category

    f = finding("extreme_wording")
    object.__setattr__(f, "category", "cosmetic_claim")  # a category this code does not know yet
    assert listing_text(context([listing("L1")], findings={"L1": [f]})).issues[0].category == "cosmetic_claim"
    assert "cosmetic_claim" not in set(Category)


def test_no_findings_no_issues() -> None:
    result = listing_text(context([listing("L1"), listing("L2")]))
    assert result.issues == ()
    assert result.examined == 2


def test_findings_of_listings_outside_the_context_are_ignored() -> None:
    # A chunk of listings may be given every finding of the shop: it reports only its own.
    findings = {
        "L1": [finding("extreme_wording", listing_id="L1")],
        "L9": [finding("extreme_wording", listing_id="L9")],
    }
    result = listing_text(context([listing("L1")], findings=findings))
    assert [i.listing_id for i in result.issues] == ["L1"]
