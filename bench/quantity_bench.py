"""Quantity extraction: CPU per text as it is, and with each of its speed measures switched off.

    SCANNERS_PURE=1 .venv/bin/python bench/quantity_bench.py
    SCANNERS_PURE=1 .venv/bin/python bench/quantity_bench.py --texts ../shared/data/real/jd_titles.jsonl

The texts are the titles, descriptions and SKU names of the synthetic listings of bench/scan_bench.py
(``--listings``, default 10000), and with ``--texts`` the ``title`` of every line of a JSON Lines file too
(real titles: unique text, which no cache helps). Each measure is switched off by replacing the function
that implements it with the plain version, so the pure modules are needed (``SCANNERS_PURE=1``; a compiled
module does not see the replacement). Every run starts with empty caches; the fastest of ``--repeat`` runs
is shown (CPU time of this process). The code keeps a measure only where it pays; see docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import scan_bench  # noqa: E402

from scanners import extraction, numerals, quantities, units  # noqa: E402


def _texts(listings: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "listings.jsonl"
        scan_bench.generate(path, listings)
        out: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)
            out += [obj.get("title") or "", obj.get("description") or ""]
            out += [sku.get("name") or "" for sku in obj.get("skus") or []]
    return out


def _run(texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        quantities._extract_head.cache_clear()
        started = time.process_time()
        for text in texts:
            quantities.extract_all(text)
        best = min(best, time.process_time() - started)
    return best / len(texts) * 1e6


@contextmanager
def _patched(target: Any, name: str, value: Any) -> Iterator[None]:
    old = getattr(target, name)
    setattr(target, name, value)
    try:
        yield
    finally:
        setattr(target, name, old)


def _plain_normalize(text: str) -> str:
    return text.translate(numerals._NORMALISE_TABLE)


def _variants() -> list[tuple[str, Callable[[], Any]]]:
    return [
        ("as it is", nullcontext),
        (
            "no folding pre-check (str.translate on every text)",
            lambda: _both(
                _patched(extraction, "normalize", _plain_normalize), _patched(quantities, "normalize", _plain_normalize)
            ),
        ),
        (
            "no last-character check of anchored expressions",
            lambda: _patched(units.Ending, "search", lambda self, text, lo, end: self.pattern.search(text, lo, end)),
        ),
        (
            "atom.finditer() instead of candidate runs",
            lambda: _patched(extraction, "_atom_matches", lambda norm, tables: list(tables.atom.finditer(norm))),
        ),
        ("no inert-tail cut (sentence cache kept)", lambda: _patched(quantities, "_inert", lambda: None)),
        ("no sentence cache, no inert-tail cut", lambda: _patched(quantities, "_extract", extraction.extract_text)),
    ]


@contextmanager
def _both(a: Any, b: Any) -> Iterator[None]:
    with a, b:
        yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--listings", type=int, default=10_000, help="synthetic listings (default 10000)")
    parser.add_argument("--texts", type=Path, help="a JSON Lines file whose lines have a title (real titles)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per variant; the fastest is shown (default 3)")
    args = parser.parse_args()
    if os.environ.get("SCANNERS_PURE", "") in ("", "0"):
        sys.exit("run with SCANNERS_PURE=1: the measures are switched off in the pure modules")
    sets = [("benchmark listings", _texts(args.listings))]
    if args.texts:
        lines = args.texts.read_text(encoding="utf-8").splitlines()
        sets.append((args.texts.name, [json.loads(line).get("title") or "" for line in lines if line.strip()]))
    quantities.extract_all("500g")  # load the tables first
    print(f"{'µs per text':52s}" + "".join(f"{name:>22s}" for name, _ in sets))
    print(f"{'(texts)':52s}" + "".join(f"{len(texts):>22d}" for _, texts in sets))
    for label, variant in _variants():
        with variant():
            figures = [_run(texts, args.repeat) for _, texts in sets]
        print(f"{label:52s}" + "".join(f"{x:>22.1f}" for x in figures))


if __name__ == "__main__":
    main()
