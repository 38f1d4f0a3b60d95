"""Readiness score: pure arithmetic over check results (no ORM, no I/O).

Per check (and per listing), over its *open* issues (waived ones are left out, info never counts):

    base  = 100 - min(warning_cap, warning_penalty × warnings)      # warnings alone keep ≥ 100 - cap (90)
    score = base × (1 - error_factor) ** errors                     # each error costs a share (25%) of what is left

Overall = Σ weight × check score / Σ weight (weights from the rule pack); while any error is open it is scaled
by ``max_score_with_errors`` / 100 (89%), so that grade A means "no open error". A shop with no open error
therefore scores at least 90, and every error lowers the unrounded score (``Score.raw``). Grades come from the rule
pack's boundaries (A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F).

Status of a check or a listing: ``fail`` with an open error, ``warn`` with an open warning, ``waived`` when
it had errors or warnings and all of them are waived, else ``pass``.
"""

from __future__ import annotations

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


def item_score(counts: Tally, rules: RulePack) -> float:
    """The unrounded 0–100 score of one check or listing from its open errors and warnings."""
    penalty = rules.number("scoring.warning_penalty") * counts.warnings
    base = 100.0 - min(rules.number("scoring.warning_cap"), penalty)
    return max(0.0, base * (1.0 - rules.number("scoring.error_factor")) ** counts.errors)


def grade_for(value: float, rules: RulePack) -> str:
    """The grade of a (rounded) score from the rule pack's boundaries; F below the lowest."""
    for grade, low in rules.grades:
        if value >= low:
            return grade
    return "F"


def score(results: Sequence[CheckResult], waived: Collection[str], rules: RulePack) -> Score:
    """Score check results; ``waived`` holds the fingerprints of issues waived (they stay in the report).

    Only checks with a positive weight in the rule pack count towards the overall score; their statuses
    are reported all the same.
    """
    waived = frozenset(waived)
    weights = rules.weights
    checks = []
    total_weight = 0
    weighted = 0.0
    for result in results:
        counts = tally(result.issues, waived)
        raw = item_score(counts, rules)
        weight = max(0, weights.get(result.check, 0))
        checks.append(
            CheckScore(
                check=result.check,
                status=counts.status,
                score=round_score(raw),
                raw=raw,
                weight=weight,
                tally=counts,
            )
        )
        total_weight += weight
        weighted += weight * raw
    overall_counts = tally((issue for result in results for issue in result.issues), waived)
    raw_overall = weighted / total_weight if total_weight else 100.0
    if overall_counts.errors:
        # Scaled, not clipped: a clip at 89 would make the second and third small errors cost nothing.
        raw_overall = raw_overall * rules.number("scoring.max_score_with_errors") / 100
    rounded = round_score(raw_overall)
    return Score(
        score=rounded,
        raw=raw_overall,
        grade=grade_for(rounded, rules),
        checks=tuple(checks),
        listings=_listing_scores(results, waived, rules),
        tally=overall_counts,
    )


def _listing_scores(
    results: Sequence[CheckResult], waived: frozenset[str], rules: RulePack
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
        raw = item_score(counts, rules)
        out.append(
            ListingScore(listing_id=listing_id, status=counts.status, score=round_score(raw), raw=raw, tally=counts)
        )
    return tuple(out)


def round_score(value: float) -> int:
    """A 0–100 score as shown and stored: rounded half up, clamped to 0–100."""
    # Half up (Python's round() is banker's rounding: round(88.5) == 88); clamped to 0–100.
    return max(0, min(100, int(value + 0.5)))
