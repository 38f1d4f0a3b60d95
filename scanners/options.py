"""Per-shop scan settings: platform, allow-list and extra terms.

The Django side stores these per shop and passes a :class:`ScanOptions` to the scan functions; the CLI
builds one from ``--platform`` and ``--shop-lexicon``. Shop terms are compiled into a small automaton of
their own, cached per distinct set of terms, so the built-in automaton is never rebuilt.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanners.findings import Category, Severity
from scanners.normalize import normalize_term
from scanners.terms import PLATFORMS, Key, Matcher, Role, Term, Via, make_keys


@dataclass(frozen=True, slots=True)
class ExtraTerm:
    """A shop's own forbidden term (for instance a competitor's trademark or a word its platform bans)."""

    term: str
    category: Category = Category.EXTREME_WORDING
    severity: Severity = Severity.ERROR
    message: str = ""
    suggestion: str = ""
    #: A key of ``citations.toml`` or a literal citation text.
    citation: str = ""
    rule: str = "shop.extra_term"


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Settings for one scan.

    - ``platform``: ``tmall``, ``taobao``, ``pdd``, ``jd`` or ``douyin``; platform-specific terms apply only
      when it is given.
    - ``allow``: the shop's brand names, model names and trademarks. A term found inside one of them is not
      reported ("最生活" as a brand, "TOP-1" as a model).
    - ``extra_terms``: the shop's own terms, reported like built-in ones.
    """

    platform: str | None = None
    allow: frozenset[str] = field(default_factory=frozenset)
    extra_terms: tuple[ExtraTerm, ...] = ()

    def __post_init__(self) -> None:
        if self.platform is not None and self.platform not in PLATFORMS:
            raise ValueError(f"platform: unknown platform {self.platform!r} (one of {sorted(PLATFORMS)})")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, where: str = "options") -> ScanOptions:
        """Build options from plain data (JSON or TOML), as the Django side stores them.

        ``{"platform": "tmall", "allow": ["极米"], "extra_terms": [{"term": "…", "category": "…",
        "severity": "…", "message": "…", "suggestion": "…", "citation": "…"}]}``. Errors name the path.
        """
        unknown = set(data) - {"platform", "allow", "extra_terms"}
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        platform = data.get("platform")
        if platform is not None and not isinstance(platform, str):
            raise ValueError(f"{where}.platform: expected a string")
        allow = data.get("allow", [])
        if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
            raise ValueError(f"{where}.allow: expected a list of strings")
        extras: list[ExtraTerm] = []
        raw_extras = data.get("extra_terms", [])
        if not isinstance(raw_extras, list):
            raise ValueError(f"{where}.extra_terms: expected a list")
        for i, raw in enumerate(raw_extras):
            path = f"{where}.extra_terms[{i}]"
            if isinstance(raw, str):
                raw = {"term": raw}
            if not isinstance(raw, Mapping):
                raise ValueError(f"{path}: expected a string or a table")
            bad = set(raw) - {"term", "category", "severity", "message", "suggestion", "citation", "rule"}
            if bad:
                raise ValueError(f"{path}: unknown keys {sorted(bad)}")
            term = raw.get("term")
            if not isinstance(term, str) or not normalize_term(term):
                raise ValueError(f"{path}.term: expected a non-empty string")
            cat_raw = raw.get("category", Category.EXTREME_WORDING)
            if cat_raw not in {c.value for c in Category}:
                raise ValueError(
                    f"{path}.category: unknown category {cat_raw!r} (one of {[c.value for c in Category]})"
                )
            sev_raw = raw.get("severity", Severity.ERROR)
            if sev_raw not in {s.value for s in Severity}:
                raise ValueError(f"{path}.severity: unknown severity {sev_raw!r} (error, warning or info)")
            category, severity = Category(cat_raw), Severity(sev_raw)
            extras.append(
                ExtraTerm(
                    term=term,
                    category=category,
                    severity=severity,
                    message=str(raw.get("message", "")),
                    suggestion=str(raw.get("suggestion", "")),
                    citation=str(raw.get("citation", "")),
                    rule=str(raw.get("rule", "shop.extra_term")),
                )
            )
        try:
            return cls(platform=platform, allow=frozenset(allow), extra_terms=tuple(extras))
        except ValueError as exc:
            raise ValueError(f"{where}.{exc}") from exc

    @classmethod
    def from_toml(cls, path: Path, *, platform: str | None = None) -> ScanOptions:
        """Read a shop lexicon file (``allow = [...]`` and ``[[extra_terms]]``)."""
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        if platform is not None:
            data["platform"] = platform
        return cls.from_mapping(data, where=path.name)


_DEFAULT_MESSAGE = "“{text}”是本店设置的禁用词"


@functools.lru_cache(maxsize=128)
def extra_matcher(extra_terms: tuple[ExtraTerm, ...]) -> Matcher:
    """The automaton of a shop's extra terms, built once per distinct set."""
    keys: list[Key] = []
    for extra in extra_terms:
        term = Term(
            text=extra.term,
            rule=extra.rule,
            category=extra.category,
            severity=extra.severity,
            citation=extra.citation,
            message=extra.message or _DEFAULT_MESSAGE,
            suggestion=extra.suggestion,
            source="shop",
        )
        keys.extend(make_keys(term, [(extra.term, Via.TERM)]))
    return Matcher(keys, pieces=1024)


_ALLOW_TERM = Term(
    text="",
    rule="",
    category=Category.EXTREME_WORDING,
    severity=Severity.INFO,
    citation="",
    message="",
    suggestion="",
    role=Role.ALLOW,
)


@functools.lru_cache(maxsize=128)
def allow_matcher(allow: frozenset[str]) -> Matcher:
    """The automaton of a shop's allow-list, built once per distinct list."""
    return Matcher((k for a in sorted(allow) for k in make_keys(_ALLOW_TERM, [(a, Via.TERM)])), pieces=1024)
