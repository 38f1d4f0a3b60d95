"""Scoring: pure arithmetic over check results (no database)."""

from __future__ import annotations

import pytest

from readiness.checks import CheckResult, Issue
from readiness.rulepacks import load_rule_pack
from readiness.scoring import grade_for, item_score, score, tally

RULES = load_rule_pack("tmall")
CHECK_NAMES = list(RULES.weights)


def issue(check: str, severity: str = "error", listing_id: str | None = "L1", n: int = 0) -> Issue:
    return Issue(
        check=check,
        rule=f"{check}.rule{n}",
        severity=severity,  # type: ignore[arg-type]
        message="问题",
        remediation="修改",
        owner="operations",
        listing_id=listing_id,
        sku=f"S{n}",
    )


def results(*issues: Issue, listings: tuple[str, ...] = ("L1", "L2")) -> list[CheckResult]:
    return [
        CheckResult(check=name, issues=tuple(i for i in issues if i.check == name), examined=2, listing_ids=listings)
        for name in CHECK_NAMES
    ]


def test_clean_shop_scores_100_grade_a() -> None:
    result = score(results(), set(), RULES)
    assert (result.score, result.grade) == (100, "A")
    assert {c.status for c in result.checks} == {"pass"}
    assert [(item.listing_id, item.score, item.status) for item in result.listings] == [
        ("L1", 100, "pass"),
        ("L2", 100, "pass"),
    ]


@pytest.mark.parametrize(
    ("errors", "warnings", "expected"),
    [
        (0, 0, 100.0),
        (0, 1, 97.0),
        (0, 3, 91.0),
        (0, 4, 90.0),  # warnings are capped at 10 points
        (0, 100, 90.0),
        (1, 0, 75.0),
        (2, 0, 56.25),
        (1, 4, 67.5),
    ],
)
def test_item_score(errors: int, warnings: int, expected: float) -> None:
    assert (
        item_score(
            tally(
                [issue("stock", "error", n=i) for i in range(errors)]
                + [issue("stock", "warning", n=100 + i) for i in range(warnings)],
                set(),
            ),
            RULES,
        )
        == expected
    )


def test_no_error_means_at_least_90_however_many_warnings() -> None:
    many = [issue(name, "warning", n=i) for name in CHECK_NAMES for i in range(20)]
    result = score(results(*many), set(), RULES)
    assert result.score >= 90
    assert result.grade == "A"
    assert {c.status for c in result.checks} == {"warn"}


def test_infos_never_count() -> None:
    infos = [issue(name, "info", n=i) for name in CHECK_NAMES for i in range(5)]
    result = score(results(*infos), set(), RULES)
    assert result.score == 100
    assert {c.status for c in result.checks} == {"pass"}
    assert result.tally.infos == 5 * len(CHECK_NAMES)


@pytest.mark.parametrize("check", CHECK_NAMES)
def test_one_error_anywhere_costs_visibly_and_drops_below_a(check: str) -> None:
    result = score(results(issue(check)), set(), RULES)
    assert result.score <= 89
    assert result.grade != "A"
    assert result.check(check).status == "fail"
    assert result.check(check).score == 75


def test_each_further_error_costs_more() -> None:
    previous = score(results(), set(), RULES).raw
    for n in range(1, 30):
        errors = [issue(CHECK_NAMES[i % len(CHECK_NAMES)], n=i) for i in range(n)]
        current = score(results(*errors), set(), RULES).raw
        assert current < previous, f"error #{n} did not lower the score"
        previous = current


def test_errors_cost_by_weight() -> None:
    heavy = score(results(issue("stock"), issue("stock", n=1), issue("stock", n=2)), set(), RULES)  # weight 20
    light = score(results(issue("gifts"), issue("gifts", n=1), issue("gifts", n=2)), set(), RULES)  # weight 5
    assert heavy.raw < light.raw
    # stock: 100 × 0.75³ = 42.19 → weighted (80 × 100 + 20 × 42.19) / 100 = 88.44, × 0.89 (open errors) = 78.7
    assert heavy.score == 79
    assert heavy.check("stock").score == 42


def test_waived_issues_do_not_count_but_are_marked() -> None:
    error = issue("stock")
    result = score(results(error), {error.fingerprint}, RULES)
    assert result.score == 100
    assert result.check("stock").status == "waived"
    assert result.check("stock").tally.waived == 1
    assert result.listing("L1").status == "waived"
    assert result.listing("L1").score == 100


def test_partly_waived_check_keeps_its_open_status() -> None:
    first, second = issue("stock", n=1), issue("stock", "warning", n=2)
    result = score(results(first, second), {first.fingerprint}, RULES)
    assert result.check("stock").status == "warn"
    assert result.score >= 90


def test_listing_scores_and_statuses() -> None:
    result = score(
        results(
            issue("stock", listing_id="L1"),
            issue("price", "warning", listing_id="L2"),
            issue("couriers", listing_id=None),
        ),
        set(),
        RULES,
    )
    assert (result.listing("L1").score, result.listing("L1").status) == (75, "fail")
    assert (result.listing("L2").score, result.listing("L2").status) == (97, "warn")
    with pytest.raises(KeyError):
        result.listing("L3")


def test_listing_known_only_from_an_issue_is_scored() -> None:
    result = score(results(issue("listing_text", listing_id="L9"), listings=()), set(), RULES)
    assert [item.listing_id for item in result.listings] == ["L9"]


@pytest.mark.parametrize(
    ("value", "grade"),
    [(100, "A"), (90, "A"), (89, "B"), (80, "B"), (79, "C"), (70, "C"), (69, "D"), (60, "D"), (59, "F"), (0, "F")],
)
def test_grade_boundaries(value: int, grade: str) -> None:
    assert grade_for(value, RULES) == grade


def test_weights_and_grades_come_from_the_rule_pack() -> None:
    rules = load_rule_pack("tmall", {"weights.stock": 0, "grades.A": 95})
    result = score(results(issue("stock")), set(), rules)
    assert result.check("stock").weight == 0
    # The stock error no longer weighs in the average, but an open error still keeps the score below A.
    assert result.score == 89
    assert grade_for(94, rules) == "B"


def test_error_cap_is_configurable() -> None:
    rules = load_rule_pack("tmall", {"scoring.max_score_with_errors": 100})
    assert score(results(issue("gifts")), set(), rules).score == 99  # 100 - 5 × 25% (weight 5 of 100)
    assert score(results(issue("gifts")), set(), RULES).score == 88  # 98.75 × 0.89


def test_score_is_an_integer_between_0_and_100() -> None:
    errors = [issue(name, n=i) for name in CHECK_NAMES for i in range(40)]
    result = score(results(*errors), set(), RULES)
    assert result.score == 0
    assert result.grade == "F"
    assert result.tally.errors == 40 * len(CHECK_NAMES)
