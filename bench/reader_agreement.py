"""How far two blind human readers agree on the real-text batches, and where the scanner stands between them.

    .venv/bin/python bench/reader_agreement.py

``tests/scanners/cases/reader2_*.toml`` hold a second reader's labels for texts of the blind batches
(``real_<batch>.toml``), written without seeing the first labels, the scanners or their output. Printed: the
second reader scored against the first labels as if it were a checker (recall, clean rate: the ceiling a checker
can expect when its judge is one reader), the scanner against each reader, and the scanner on the texts both
readers agree on. A text counts as flagged by the scanner when it reports an ``error`` or ``warning``.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanners import Severity, scan_text  # noqa: E402

CASES = ROOT / "tests" / "scanners" / "cases"


def _scanner_flags(case: dict) -> bool:
    findings = scan_text(case["t"], "description", category=case.get("cat"), presale=case.get("presale", False))
    return any(f.severity in (Severity.ERROR, Severity.WARNING) for f in findings)


def _line(name: str, pairs: list[tuple[bool, bool]]) -> str:
    tp = sum(1 for truth, got in pairs if truth and got)
    fn = sum(1 for truth, got in pairs if truth and not got)
    fp = sum(1 for truth, got in pairs if not truth and got)
    tn = sum(1 for truth, got in pairs if not truth and not got)
    recall = tp / (tp + fn) if tp + fn else 1.0
    clean = tn / (tn + fp) if tn + fp else 1.0
    return f"  {name:44} recall {recall:6.1%} ({tp}/{tp + fn})   clean rate {clean:6.1%} ({tn}/{tn + fp})"


def _kappa(pairs: list[tuple[bool, bool]]) -> float:
    n = len(pairs)
    agree = sum(1 for a, b in pairs if a == b) / n
    pa, pb = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    return (agree - chance) / (1 - chance) if chance < 1 else 1.0


def report(path: Path) -> None:
    with path.open("rb") as fh:
        second = tomllib.load(fh)["case"]
    first: dict[tuple[str, str], dict] = {}
    for batch in sorted({c["batch"] for c in second}):
        with (CASES / f"real_{batch}.toml").open("rb") as fh:
            for c in tomllib.load(fh)["case"]:
                first[(batch, c["t"])] = c
    rows = []
    for c in second:
        one = first[(c["batch"], c["t"])]
        rows.append((bool(one["v"]), bool(c["v"]), _scanner_flags(one)))
    print(
        f"{path.relative_to(ROOT)}: {len(rows)} texts, first reader {sum(r[0] for r in rows)} violations, "
        f"second reader {sum(r[1] for r in rows)}; Cohen's kappa {_kappa([(a, b) for a, b, _ in rows]):.2f}"
    )
    print(_line("second reader judged by the first", [(a, b) for a, b, _ in rows]))
    print(_line("first reader judged by the second", [(b, a) for a, b, _ in rows]))
    print(_line("scanner judged by the first reader", [(a, s) for a, _, s in rows]))
    print(_line("scanner judged by the second reader", [(b, s) for _, b, s in rows]))
    print(_line("scanner where both readers agree", [(a, s) for a, b, s in rows if a == b]))


def main() -> None:
    for path in sorted(CASES.glob("reader2_*.toml")):
        report(path)
        print()


if __name__ == "__main__":
    main()
