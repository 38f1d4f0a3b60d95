"""Readiness score: pure arithmetic over check results (no ORM, no I/O).

The score is the share of the promotion's risk that has been dealt with, so that it moves with the work: every
error or warning fixed or waived raises it, by its share of the risk, and nothing open means 100.

Each error or warning carries *risk points* (``issue_points``)::

    points = check weight × severity factor × (1 + log10(1 + exposure_max / exposure_unit))

with the check weights of the rule pack (``weights.*``: stock 20 … gifts 5), severity factor 1 for an error and
``scoring.warning_weight`` (0.25) for a warning, and the money at risk (the upper end of the issue's exposure
in ¥, per ``scoring.exposure_unit`` = ¥1万) on a log scale: a ¥100万 fine weighs three times an issue with
no money attached, not a thousand times. Infos carry no points.

Over a set of issues (the whole promotion, one check, or one listing)::

    score = 100 × (1 − ½ × open points / (seen points + 100) − ½ × open issues / (seen issues + 5))

(``scoring.risk_share`` ½, ``scoring.reference_risk`` 100, ``scoring.reference_issues`` 5). *open* are the
errors and warnings neither fixed nor waived; *seen* are all errors and warnings found for the promotion since
its first scan: the open and waived ones of this run plus ``resolved`` ones (found by an earlier scan or before
a re-scan, no longer found now). Half by the risk, half by how many, so that every fix shows even next to far
bigger risks; the references keep a shop whose few issues are all open above zero (one stock error alone: 83).
Fixing or waiving an issue lowers the open points and count and leaves the seen ones as they were, so the score
rises, always; nothing open gives 100. While any error is open the overall
score is scaled by ``scoring.max_score_with_errors`` / 100 (89%), so that grade A still means "no open error".
Grades come from the rule pack's boundaries (A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F), with a Chinese label
for people in the web pages (优秀, 良好 …; the report and the API keep the letter, interfaces.md §3).

Status of a check or a listing: ``fail`` with an open error, ``warn`` with an open warning, ``waived`` when
it had errors or warnings and all of them are waived, else ``pass``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from readiness.checks.results import CheckResult, Issue
from readiness.rulepacks import RulePack

PASS = "pass"
WARN = "warn"
FAIL = "fail"
WAIVED = "waived"


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts of issues by state (open errors/warnings/infos, waived ones) and, where the caller sums it (the
    dashboard), the money at risk of the open ones. Tallies add up: ``a + b``."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0
    waived: int = 0
    exposure_min: Decimal = Decimal(0)
    exposure_max: Decimal = Decimal(0)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            errors=self.errors + other.errors,
            warnings=self.warnings + other.warnings,
            infos=self.infos + other.infos,
            waived=self.waived + other.waived,
            exposure_min=self.exposure_min + other.exposure_min,
            exposure_max=self.exposure_max + other.exposure_max,
        )

    @property
    def open(self) -> int:
        """Open errors and warnings (what still needs work)."""
        return self.errors + self.warnings

    @property
    def has_exposure(self) -> bool:
        return bool(self.exposure_min or self.exposure_max)

    @property
    def status(self) -> str:
        if self.errors:
            return FAIL
        if self.warnings:
            return WARN
        if self.waived:
            return WAIVED
        return PASS


@dataclass(frozen=True, slots=True)
class CheckScore:
    check: str
    status: str
    score: int
    raw: float
    weight: int
    tally: Tally


@dataclass(frozen=True, slots=True)
class ListingScore:
    listing_id: str
    status: str
    score: int
    raw: float
    tally: Tally


@dataclass(frozen=True, slots=True)
class Score:
    """The overall score (0–100, rounded) and grade, with the per-check and per-listing scores."""

    score: int
    raw: float
    grade: str
    checks: tuple[CheckScore, ...]
    listings: tuple[ListingScore, ...]
    tally: Tally

    def check(self, name: str) -> CheckScore:
        """The score of one check (KeyError if it was not run)."""
        for item in self.checks:
            if item.check == name:
                return item
        raise KeyError(name)

    def listing(self, listing_id: str) -> ListingScore:
        """The score of one listing (KeyError if no check examined it)."""
        for item in self.listings:
            if item.listing_id == listing_id:
                return item
        raise KeyError(listing_id)


def tally(issues: Iterable[Issue], waived: Collection[str]) -> Tally:
    """Count issues: waived errors/warnings apart, info never counts against anything."""
    errors = warnings = infos = n_waived = 0
    for issue in issues:
        if issue.severity == "info":
            infos += 1
        elif issue.fingerprint in waived:
            n_waived += 1
        elif issue.severity == "error":
            errors += 1
        else:
            warnings += 1
    return Tally(errors=errors, warnings=warnings, infos=infos, waived=n_waived)


@dataclass(frozen=True, slots=True)
class Resolved:
    """An error or warning found for the promotion earlier and no longer found (fixed, or its listing gone):
    it still counts in the seen points, so that its fix keeps raising the score."""

    check: str
    severity: str
    exposure_max: Decimal | None = None
    listing_id: str | None = None


def issue_points(check: str, severity: str, exposure_max: Decimal | float | None, rules: RulePack) -> float:
    """The risk points of one error or warning (0 for an info, or for a check of weight 0)."""
    if severity == "info":
        return 0.0
    weight = max(0, rules.weights.get(check, 0))
    factor = 1.0 if severity == "error" else rules.number("scoring.warning_weight")
    money = max(0.0, float(exposure_max or 0))
    return weight * factor * (1.0 + math.log10(1.0 + money / rules.number("scoring.exposure_unit")))


def risk_score(open_points: float, seen_points: float, open_count: int, seen_count: int, rules: RulePack) -> float:
    """The unrounded 0–100 score of a set of issues from its open and seen risk points and its open and seen
    errors and warnings (how many)."""
    share = rules.number("scoring.risk_share")
    by_risk = open_points / (max(seen_points, open_points) + rules.number("scoring.reference_risk"))
    by_count = open_count / (max(seen_count, open_count) + rules.number("scoring.reference_issues"))
    return max(0.0, 100.0 * (1.0 - share * by_risk - (1.0 - share) * by_count))


@dataclass(slots=True)
class _Points:
    open: float = 0.0
    seen: float = 0.0
    open_count: int = 0
    seen_count: int = 0

    def add(self, points: float, counted: bool, is_open: bool) -> None:
        self.seen += points
        self.seen_count += counted
        if is_open:
            self.open += points
            self.open_count += counted

    def score(self, rules: RulePack) -> float:
        return risk_score(self.open, self.seen, self.open_count, self.seen_count, rules)


def grade_for(value: float, rules: RulePack) -> str:
    """The grade of a (rounded) score from the rule pack's boundaries; F below the lowest."""
    for grade, low in rules.grades:
        if value >= low:
            return grade
    return "F"


def score(
    results: Sequence[CheckResult],
    waived: Collection[str],
    rules: RulePack,
    resolved: Iterable[Resolved] = (),
) -> Score:
    """Score check results; ``waived`` holds the fingerprints of issues waived (they stay in the report),
    ``resolved`` the errors and warnings found for the promotion before and no longer found.

    Checks with weight 0 in the rule pack carry no risk points; their statuses are reported all the same.
    """
    waived = frozenset(waived)
    weights = rules.weights
    by_check: dict[str, _Points] = defaultdict(_Points)
    by_listing: dict[str, _Points] = defaultdict(_Points)
    total = _Points()

    def add(check: str, listing_id: str | None, severity: str, points: float, is_open: bool) -> None:
        counted = severity != "info"
        for bucket in (by_check[check], total, *([by_listing[listing_id]] if listing_id is not None else [])):
            bucket.add(points, counted, is_open)

    for result in results:
        for issue in result.issues:
            points = issue_points(issue.check, issue.severity, issue.exposure_max, rules)
            add(issue.check, issue.listing_id, issue.severity, points, issue.fingerprint not in waived)
    for item in resolved:
        points = issue_points(item.check, item.severity, item.exposure_max, rules)
        add(item.check, item.listing_id, item.severity, points, False)

    checks = []
    for result in results:
        counts = tally(result.issues, waived)
        raw = by_check.get(result.check, _Points()).score(rules)
        checks.append(
            CheckScore(
                check=result.check,
                status=counts.status,
                score=round_score(raw),
                raw=raw,
                weight=max(0, weights.get(result.check, 0)),
                tally=counts,
            )
        )
    overall_counts = tally((issue for result in results for issue in result.issues), waived)
    raw_overall = total.score(rules)
    if overall_counts.errors:
        # Scaled, not clipped: a clip at 89 would make the fixes of the first errors move nothing.
        raw_overall = raw_overall * rules.number("scoring.max_score_with_errors") / 100
    rounded = round_score(raw_overall)
    return Score(
        score=rounded,
        raw=raw_overall,
        grade=grade_for(rounded, rules),
        checks=tuple(checks),
        listings=_listing_scores(results, waived, rules, by_listing),
        tally=overall_counts,
    )


def _listing_scores(
    results: Sequence[CheckResult], waived: frozenset[str], rules: RulePack, points: dict[str, _Points]
) -> tuple[ListingScore, ...]:
    by_listing: dict[str, list[Issue]] = defaultdict(list)
    for result in results:
        for listing_id in result.listing_ids:
            by_listing.setdefault(listing_id, [])
        for issue in result.issues:
            if issue.listing_id is not None:
                by_listing[issue.listing_id].append(issue)
    out = []
    for listing_id in sorted(by_listing):
        counts = tally(by_listing[listing_id], waived)
        raw = points.get(listing_id, _Points()).score(rules)
        out.append(
            ListingScore(listing_id=listing_id, status=counts.status, score=round_score(raw), raw=raw, tally=counts)
        )
    return tuple(out)


def round_score(value: float) -> int:
    """A 0–100 score as shown and stored: rounded half up, clamped to 0–100."""
    # Half up (Python's round() is banker's rounding: round(88.5) == 88); clamped to 0–100.
    return max(0, min(100, int(value + 0.5)))
