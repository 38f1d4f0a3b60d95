"""Loader of the labelled wording cases (``cases/wording.toml``), shared by the tests."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

CASES_FILE = Path(__file__).with_name("cases") / "wording.toml"


@dataclass(frozen=True)
class Expected:
    rule: str
    text: str
    occurrence: int
    severity: str | None


@dataclass(frozen=True)
class Case:
    index: int
    text: str
    expected: tuple[Expected, ...]
    category: str | None
    presale: bool
    why: str

    @property
    def is_violation(self) -> bool:
        return any(e.severity != "info" for e in self.expected)

    @property
    def id(self) -> str:
        return f"{self.index:03d}-{self.text[:18]}"


def parse_expected(spec: str) -> Expected:
    rule, _, rest = spec.partition(":")
    severity = None
    for sev in ("error", "warning", "info"):
        if rest.endswith(":" + sev):
            rest, severity = rest[: -len(sev) - 1], sev
            break
    occurrence = 1
    if "@" in rest:
        rest, _, n = rest.rpartition("@")
        occurrence = int(n)
    return Expected(rule, rest, occurrence, severity)


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    out: list[Case] = []
    for i, raw in enumerate(data["case"], start=1):
        out.append(
            Case(
                index=i,
                text=raw["t"],
                expected=tuple(parse_expected(s) for s in raw["e"]),
                category=raw.get("cat"),
                presale=bool(raw.get("presale", False)),
                why=raw.get("why", ""),
            )
        )
    return out


def find_nth(text: str, sub: str, n: int) -> int:
    pos = -1
    for _ in range(n):
        pos = text.find(sub, pos + 1)
        if pos < 0:
            return -1
    return pos
