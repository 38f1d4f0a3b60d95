"""The labelled table: every case's expected findings, and nothing else at error or warning severity."""

from __future__ import annotations

import pytest

from scanners import Severity, scan_text
from tests.scanners.wording_cases import Case, find_nth, load_cases

CASES = load_cases()


def test_the_table_is_large_and_covers_every_category() -> None:
    assert len(CASES) >= 300
    rules = {e.rule.split(".")[0] for c in CASES for e in c.expected}
    assert {"extreme", "medical", "review", "price", "presale"} <= rules
    assert sum(1 for c in CASES if not c.expected) >= 100


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    findings = scan_text(case.text, "description", category=case.category, presale=case.presale)
    for f in findings:
        assert case.text[f.start : f.end] == f.text
    remaining = [f for f in findings]
    for exp in case.expected:
        start = find_nth(case.text, exp.text, exp.occurrence)
        assert start >= 0, f"bad case: {exp.text!r} not in text"
        match = [
            f
            for f in remaining
            if f.rule == exp.rule
            and f.start == start
            and f.end == start + len(exp.text)
            and (f.severity == exp.severity if exp.severity else f.severity != Severity.INFO)
        ]
        assert match, f"expected {exp} in {[(f.rule, f.text, f.start, f.severity.value) for f in findings]}"
        remaining.remove(match[0])
    unexpected = [(f.rule, f.text, f.start, f.severity.value) for f in remaining if f.severity != Severity.INFO]
    assert not unexpected, f"unexpected findings {unexpected}"


def test_memoised_verdicts_match_fresh_ones() -> None:
    """Verdicts are memoised by surrounding text; a second pass and a cold pass must agree."""
    from scanners import wording

    def run() -> list[list[tuple[str, int, int, str]]]:
        return [
            [
                (f.rule, f.start, f.end, f.severity.value)
                for f in scan_text(c.text, category=c.category, presale=c.presale)
            ]
            for c in CASES
        ]

    warm = run()
    again = run()
    wording.clear_memos()
    cold = run()
    assert warm == again == cold


def test_a_verdict_memoised_for_one_text_is_never_reused_for_another() -> None:
    """Verdicts are memoised by the hit's sentence, so a rule that reads the whole listing (a gift's count, 护眼's
    backing, a liquor or a nutrient named elsewhere) must be listed in ``wording._DOC_WIDE``: scanning the real
    batches one text after another gives what scanning each with empty memo tables gives."""
    import tomllib
    from pathlib import Path

    from scanners import wording

    texts = []
    for path in sorted((Path(__file__).parent / "cases").glob("real_*.toml")):
        with path.open("rb") as fh:
            texts += [(c["t"], c.get("cat"), c.get("presale", False)) for c in tomllib.load(fh)["case"]]

    def findings(text: str, cat: str | None, presale: bool) -> list[tuple[str, int, int, str]]:
        return [(f.rule, f.start, f.end, f.severity.value) for f in scan_text(text, category=cat, presale=presale)]

    wording.clear_memos()
    in_sequence = [findings(*t) for t in texts]
    each_cold = []
    for t in texts:
        wording.clear_memos()
        each_cold.append(findings(*t))
    assert in_sequence == each_cold
