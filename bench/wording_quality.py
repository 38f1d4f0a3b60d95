"""Precision and recall of the wording scanners on the project's own labelled sets.

    .venv/bin/python bench/wording_quality.py

- ``tests/scanners/cases/wording.toml``: the parametrized table (expected rule ids and spans);
- ``tests/scanners/cases/wording_binary.toml``: a second set labelled only violation / clean, written after
  the rules and not used to tune them case by case;
- ``tests/scanners/cases/real_*.toml``: real listing text (JD titles, Taobao titles and copy, book copy, ad
  text quoted by regulators) labelled blind by someone who had not seen the scanners: violation or not, the
  kinds (finding categories) and the spans. Evaluation data only (the JD titles may not be shipped): they
  live with the tests, never in the package. Besides recall, clean rate and precision these report *kind
  agreement* (flagged violations whose flags carry every labelled kind) and *span agreement* (labelled
  spans of flagged violations that some flag overlaps).

A text counts as *flagged* when the scanner reports at least one ``error`` or ``warning`` on it (``info``
is not a flag). Printed per set: recall (violations flagged), clean rate (clean texts left clean),
precision (flagged texts that are violations) and, for the table, exact agreement (every expected rule and
span, nothing else). Misses and false alarms are listed so they can be read.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanners import Finding, Severity, scan_text  # noqa: E402

CASES = ROOT / "tests" / "scanners" / "cases"


@dataclass
class Scored:
    name: str
    violations: int = 0
    flagged_violations: int = 0
    clean: int = 0
    flagged_clean: int = 0
    exact: int = 0
    exact_total: int = 0

    def report(self, misses: list[str], alarms: list[str]) -> None:
        recall = self.flagged_violations / self.violations if self.violations else 1.0
        clean_rate = 1 - self.flagged_clean / self.clean if self.clean else 1.0
        flagged = self.flagged_violations + self.flagged_clean
        precision = self.flagged_violations / flagged if flagged else 1.0
        print(f"{self.name}: {self.violations} violations, {self.clean} clean texts")
        print(f"  recall     {recall:6.1%}  ({self.flagged_violations}/{self.violations} violations flagged)")
        print(
            f"  clean rate {clean_rate:6.1%}  ({self.clean - self.flagged_clean}/{self.clean} clean texts left clean)"
        )
        print(f"  precision  {precision:6.1%}  ({self.flagged_violations}/{flagged} flagged texts are violations)")
        if self.exact_total:
            print(f"  exact      {self.exact / self.exact_total:6.1%}  (rule ids and spans as labelled)")
        for m in misses:
            print(f"    missed:      {m}")
        for a in alarms:
            print(f"    false alarm: {a}")


def _flags(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is not Severity.INFO]


def score_table() -> Scored:
    sys.path.insert(0, str(ROOT / "tests" / "scanners"))
    from wording_cases import find_nth, load_cases

    s = Scored("labelled table (tests/scanners/cases/wording.toml)")
    misses, alarms = [], []
    for case in load_cases(CASES / "wording.toml"):
        findings = scan_text(case.text, "description", category=case.category, presale=case.presale)
        flags = _flags(findings)
        if case.is_violation:
            s.violations += 1
            s.flagged_violations += bool(flags)
            if not flags:
                misses.append(case.text)
        else:
            s.clean += 1
            s.flagged_clean += bool(flags)
            if flags:
                alarms.append(f"{case.text}  {[f.text for f in flags]}")
        remaining = list(findings)
        ok = True
        for exp in case.expected:
            start = find_nth(case.text, exp.text, exp.occurrence)
            match = [
                f
                for f in remaining
                if f.rule == exp.rule
                and f.start == start
                and f.end == start + len(exp.text)
                and (f.severity == exp.severity if exp.severity else f.severity is not Severity.INFO)
            ]
            if not match:
                ok = False
                break
            remaining.remove(match[0])
        ok = ok and not _flags(remaining)
        s.exact_total += 1
        s.exact += ok
    s.report(misses, alarms)
    return s


def score_binary() -> Scored:
    with (CASES / "wording_binary.toml").open("rb") as fh:
        data = tomllib.load(fh)
    s = Scored("second set (tests/scanners/cases/wording_binary.toml)")
    misses, alarms = [], []
    for raw in data["case"]:
        flags = _flags(scan_text(raw["t"], "description", category=raw.get("cat"), presale=raw.get("presale", False)))
        if raw["v"]:
            s.violations += 1
            s.flagged_violations += bool(flags)
            if not flags:
                misses.append(raw["t"])
        else:
            s.clean += 1
            s.flagged_clean += bool(flags)
            if flags:
                alarms.append(f"{raw['t']}  {[f.text for f in flags]}")
    s.report(misses, alarms)
    return s


#: The labellers of batches D and later named the kinds in their own words: the finding category each means.
KIND_NAMES = {"efficacy_claim": "medical_claim", "price_wording": "price_claim", "presale_wording": "presale_label"}


def score_real(path: Path) -> Scored:
    """A blind real-text set: recall, clean rate, precision, kind and span agreement."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    s = Scored(f"real text ({path.relative_to(ROOT)})")
    misses, alarms = [], []
    kinds_ok = spans_ok = spans_total = 0
    wrong: list[str] = []
    for raw in data["case"]:
        text = raw["t"]
        flags = _flags(scan_text(text, "description", category=raw.get("cat"), presale=raw.get("presale", False)))
        if raw["v"]:
            s.violations += 1
            s.flagged_violations += bool(flags)
            if not flags:
                misses.append(f"{text}  {raw.get('kinds', [])} {raw.get('spans', [])}")
                continue
            got = {str(f.category) for f in flags}
            if {KIND_NAMES.get(k, k) for k in raw.get("kinds", [])} <= got:
                kinds_ok += 1
            else:
                wrong.append(f"kinds {sorted(got)} for {raw.get('kinds')}: {text}")
            for span in raw.get("spans", []):
                spans_total += 1
                at = text.find(span)
                if at >= 0 and any(f.start < at + len(span) and at < f.end for f in flags):
                    spans_ok += 1
                else:
                    wrong.append(f"span {span!r} not covered by {[f.text for f in flags]}: {text}")
        else:
            s.clean += 1
            s.flagged_clean += bool(flags)
            if flags:
                alarms.append(f"{text}  {[(f.text, f.rule) for f in flags]}")
    s.report(misses, alarms)
    if s.flagged_violations:
        print(
            f"  kinds      {kinds_ok / s.flagged_violations:6.1%}  ({kinds_ok}/{s.flagged_violations} flagged violations)"
        )
    if spans_total:
        print(f"  spans      {spans_ok / spans_total:6.1%}  ({spans_ok}/{spans_total} labelled spans covered)")
    for w in wrong:
        print(f"    disagrees:   {w}")
    return s


def main() -> None:
    a = score_table()
    print()
    b = score_binary()
    print()
    for path in sorted(CASES.glob("real_*.toml")):
        score_real(path)
        print()
    total = Scored("both sets")
    for x in (a, b):
        total.violations += x.violations
        total.flagged_violations += x.flagged_violations
        total.clean += x.clean
        total.flagged_clean += x.flagged_clean
    total.report([], [])


if __name__ == "__main__":
    main()
