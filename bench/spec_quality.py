"""Spec-consistency judgement on labelled listings: right/total by expected outcome.

    .venv/bin/python bench/spec_quality.py                          # tests/scanners/cases/specs.toml
    .venv/bin/python bench/spec_quality.py /path/to/batch.toml -v   # a blind batch, listing the misses

A file holds ``[[case]]`` tables in the format of ``tests/scanners/cases/specs.toml``: a spec table, the page
text, and ``expect`` = consistent (no finding), mismatch (an error finding; ``text``/``field``/``rule``/
``related`` narrow which one) or review (warnings only). A case is right when the scanner's findings meet
the same conditions as in ``tests/scanners/test_specs.py``.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanners.findings import Finding, Severity  # noqa: E402
from scanners.specs import scan_specs  # noqa: E402


def listing_of(case: dict[str, Any]) -> dict[str, Any]:
    listing: dict[str, Any] = {"id": "L1"}
    for key in ("title", "subtitle", "description", "specs"):
        if key in case:
            listing[key] = case[key]
    if "skus" in case:
        listing["skus"] = [{"code": f"S{i}", "name": name} for i, name in enumerate(case["skus"])]
    return listing


def verdict(case: dict[str, Any], findings: list[Finding]) -> bool:
    """Whether the findings are what the case expects."""
    errors = [f for f in findings if f.severity is Severity.ERROR]
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    if case["expect"] == "consistent":
        return not findings
    if case["expect"] == "mismatch":
        candidates = errors
    else:
        if errors:
            return False
        candidates = warnings
    for key in ("rule", "field", "text"):
        if key in case:
            candidates = [f for f in candidates if getattr(f, key) == case[key]]
    if "related" in case:
        candidates = [f for f in candidates if f.related is not None and f.related.field == case["related"]]
    if "related_text" in case:
        candidates = [f for f in candidates if f.related is not None and f.related.text == case["related_text"]]
    return bool(candidates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("file", type=Path, nargs="?", default=ROOT / "tests" / "scanners" / "cases" / "specs.toml")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every case that is not right")
    args = parser.parse_args()
    cases = tomllib.loads(args.file.read_text(encoding="utf-8"))["case"]
    totals: dict[str, list[int]] = {}
    for case in cases:
        findings = scan_specs(listing_of(case))
        right = verdict(case, findings)
        tally = totals.setdefault(case["expect"], [0, 0])
        tally[0] += right
        tally[1] += 1
        if not right and args.verbose:
            got = [(f.rule, f.field, f.text, f.related.text if f.related else None) for f in findings]
            print(f"MISS [{case['expect']}] {case['name']}: {got}")
    right = sum(t[0] for t in totals.values())
    total = sum(t[1] for t in totals.values())
    parts = ", ".join(f"{name} {t[0]}/{t[1]}" for name, t in sorted(totals.items()))
    print(f"{args.file.name}: {right}/{total} right ({parts})")


if __name__ == "__main__":
    main()
