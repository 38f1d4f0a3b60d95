"""Rule packs: the thresholds, weights, citations and fine ranges of the readiness checks, as data.

One TOML file per platform (``tmall.toml`` …) inherits from ``default.toml`` and changes only what differs. A
shop's overrides (``ShopRuleOverride`` rows) are dotted keys applied on top: ``{"stock.fail_below": 0.85}``.
An override must name an existing key and keep its type; anything else is a :class:`RulePackError` naming
the key, so a typo in the admin never silently does nothing.

Pure Python (tomllib, no Django): checks and scoring read a :class:`RulePack`, never the database.
"""

from __future__ import annotations

import copy
import difflib
import functools
import math
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from readiness.platforms import PLATFORMS

__all__ = [
    "PLATFORMS",
    "LegalBasis",
    "RulePack",
    "RulePackError",
    "load_rule_pack",
    "rule_keys",
    "validate_overrides",
]

_DIR = Path(__file__).resolve().parent
_MISSING = object()


class RulePackError(ValueError):
    """A rule pack or an override that cannot be used; the message names the key."""


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """The citation and fine range (yuan) of one kind of breach."""

    citation: str
    penalty: str
    fine_min: Decimal | None
    fine_max: Decimal | None
    verified: bool


@dataclass(frozen=True)
class RulePack:
    """A merged rule pack: a platform's values plus a shop's overrides (read-only).

    ``name`` is the platform pack, ``overrides`` the dotted keys the shop changed (as given). Values are read
    with typed accessors: ``rules.number("stock.fail_below")``, ``rules.integer("couriers.min_per_region")``,
    ``rules.money("compensation.late_shipment_cap")`` …
    """

    name: str
    version: str
    overrides: Mapping[str, Any]
    data: Mapping[str, Any] = field(repr=False)

    # ---- typed access ------------------------------------------------------------------------------------

    # Every dotted key → its value, built once: checks read thresholds per SKU, hundreds of thousands of times.
    _index: Mapping[str, Any] = field(init=False, repr=False, compare=False)
    _legal: dict[str, LegalBasis | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Any] = {}

        def walk(node: Mapping[str, Any], prefix: str) -> None:
            for part, value in node.items():
                key = f"{prefix}.{part}" if prefix else part
                index[key] = value
                if isinstance(value, Mapping):
                    walk(value, key)

        walk(self.data, "")
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_legal", {})

    def get(self, key: str, default: Any = _MISSING) -> Any:
        """The value at a dotted key (a read-only mapping for a table); ``default`` or KeyError when absent."""
        try:
            return self._index[key]
        except KeyError:
            if default is not _MISSING:
                return default
            raise KeyError(f"rule pack {self.name!r} has no key {key!r}") from None

    def number(self, key: str) -> float:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RulePackError(f"{key}: expected a number, got {value!r}")
        return float(value)

    def integer(self, key: str) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise RulePackError(f"{key}: expected an integer, got {value!r}")
        return value

    def money(self, key: str) -> Decimal:
        """A number as Decimal (via its decimal text, so 0.3 stays 0.3)."""
        return Decimal(str(self.get(key)))

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str):
            raise RulePackError(f"{key}: expected text, got {value!r}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.get(key)
        if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
            raise RulePackError(f"{key}: expected a list of text, got {value!r}")
        return value

    def flag(self, key: str) -> bool:
        value = self.get(key)
        if not isinstance(value, bool):
            raise RulePackError(f"{key}: expected true or false, got {value!r}")
        return value

    def table(self, key: str) -> Mapping[str, Any]:
        value = self.get(key)
        if not isinstance(value, Mapping):
            raise RulePackError(f"{key}: expected a table, got {value!r}")
        return value

    # ---- derived views -----------------------------------------------------------------------------------

    @property
    def weights(self) -> dict[str, int]:
        """Check name → weight in the overall score."""
        return {name: int(weight) for name, weight in self.table("weights").items()}

    @property
    def grades(self) -> list[tuple[str, float]]:
        """(grade, lowest score) from the best grade down; anything below the last is F."""
        return sorted(((g, float(v)) for g, v in self.table("grades").items()), key=lambda item: -item[1])

    def legal(self, kind: str) -> LegalBasis | None:
        """The legal basis of one kind of breach (``legal.<kind>``), or None when the pack has none."""
        key = f"legal.{kind}"
        if key not in self._legal:  # built once per kind: checks ask per SKU
            self._legal[key] = self._legal_basis(key)
        return self._legal[key]

    def _legal_basis(self, key: str) -> LegalBasis | None:
        entry = self.get(key, None)
        if entry is None:
            return None
        fine_max = Decimal(str(entry.get("fine_max", 0)))
        has_range = fine_max > 0
        return LegalBasis(
            citation=str(entry.get("citation", "")),
            penalty=str(entry.get("penalty", "")),
            fine_min=Decimal(str(entry.get("fine_min", 0))) if has_range else None,
            fine_max=fine_max if has_range else None,
            verified=bool(entry.get("verified", False)),
        )

    def to_dict(self) -> dict[str, Any]:
        """The merged values as plain JSON-ready data (tables → dicts, lists → lists)."""
        thawed: dict[str, Any] = _thaw(self.data)
        return thawed

    def keys(self) -> list[str]:
        """Every dotted leaf key (what an override may name)."""
        return sorted(_leaf_keys(self.data))


def load_rule_pack(platform: str, overrides: Mapping[str, Any] | None = None) -> RulePack:
    """The rule pack of a platform (``tmall``, ``taobao``, ``pdd``, ``jd``, ``douyin``) with a shop's overrides.

    ``overrides`` maps dotted keys to values (``{"stock.fail_below": 0.85}``); a value for a table may be a
    mapping of its keys. Unknown keys and values of the wrong type raise :class:`RulePackError`.
    """
    if platform not in PLATFORMS:
        raise RulePackError(f"unknown platform {platform!r}: expected one of {', '.join(PLATFORMS)}")
    data = copy.deepcopy(_pack_data(platform))
    applied = dict(overrides or {})
    for key, value in applied.items():
        _apply_override(data, key, value)
    _check_consistency(data, applied)
    meta = data.get("meta", {})
    return RulePack(
        name=platform,
        version=str(meta.get("version", "")),
        overrides=MappingProxyType(copy.deepcopy(applied)),
        data=_freeze(data),
    )


def validate_overrides(platform: str, overrides: Mapping[str, Any]) -> None:
    """Raise :class:`RulePackError` if the overrides cannot be applied (for admin forms and imports)."""
    load_rule_pack(platform, overrides)


def rule_keys(platform: str = "tmall") -> list[str]:
    """Every dotted key a shop may override (the same for every platform)."""
    return load_rule_pack(platform).keys()


# ---- loading -------------------------------------------------------------------------------------------------


@functools.cache
def _pack_data(name: str, _depth: int = 0) -> dict[str, Any]:
    if _depth > 5:
        raise RulePackError(f"rule pack {name!r}: inheritance is too deep (a cycle?)")
    path = _DIR / f"{name}.toml"
    if not path.is_file():
        raise RulePackError(f"rule pack file {path.name} not found")
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    parent = data.pop("inherits", None)
    if parent is None:
        return data
    base = copy.deepcopy(_pack_data(str(parent), _depth + 1))
    _merge_pack(base, data, prefix="", pack=name)
    return base


def _merge_pack(base: dict[str, Any], child: Mapping[str, Any], *, prefix: str, pack: str) -> None:
    """A platform pack may change values but not invent keys: a typo there would be silently ignored."""
    for key, value in child.items():
        dotted = f"{prefix}{key}"
        if not prefix and key == "meta":
            base.setdefault("meta", {})
            if isinstance(value, Mapping):
                base["meta"].update(value)
            continue
        if key not in base:
            raise RulePackError(f"rule pack {pack!r}: unknown key {dotted!r} (not in the pack it inherits from)")
        if isinstance(base[key], dict):
            if not isinstance(value, Mapping):
                raise RulePackError(f"rule pack {pack!r}: {dotted!r} must be a table")
            _merge_pack(base[key], value, prefix=f"{dotted}.", pack=pack)
        else:
            base[key] = _coerce(dotted, base[key], value)


def _apply_override(data: dict[str, Any], key: str, value: Any) -> None:
    if not isinstance(key, str) or not key:
        raise RulePackError(f"override key must be a non-empty dotted name, got {key!r}")
    parts = key.split(".")
    if parts[0] == "meta":
        raise RulePackError(f"override {key!r}: the pack's meta data cannot be overridden")
    node: Any = data
    for i, part in enumerate(parts):
        if not isinstance(node, dict) or part not in node:
            raise RulePackError(_unknown_key_message(data, key, ".".join(parts[:i])))
        if i == len(parts) - 1:
            if isinstance(node[part], dict):
                if not isinstance(value, Mapping):
                    raise RulePackError(f"override {key!r}: names a table; give a dotted key for one value")
                for inner, inner_value in value.items():
                    _apply_override(data, f"{key}.{inner}", inner_value)
            else:
                node[part] = _coerce(key, node[part], value)
        else:
            node = node[part]


def _unknown_key_message(data: Mapping[str, Any], key: str, known_prefix: str) -> str:
    candidates = list(_leaf_keys(data))
    close = difflib.get_close_matches(key, candidates, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    where = f" (section {known_prefix!r} exists)" if known_prefix else ""
    return f"unknown rule key {key!r} in overrides{where}{hint}"


def _coerce(key: str, current: Any, value: Any) -> Any:
    """The override value in the type of the value it replaces (ints are accepted where floats are)."""
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise RulePackError(f"override {key!r}: expected true or false, got {value!r}")
        return value
    if isinstance(current, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise RulePackError(f"override {key!r}: expected an integer, got {value!r}")
        return value
    if isinstance(current, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise RulePackError(f"override {key!r}: expected a number, got {value!r}")
        return float(value)
    if isinstance(current, str):
        if not isinstance(value, str):
            raise RulePackError(f"override {key!r}: expected text, got {value!r}")
        return value
    if isinstance(current, list):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise RulePackError(f"override {key!r}: expected a list of text, got {value!r}")
        return list(value)
    raise RulePackError(f"override {key!r}: cannot override a value of type {type(current).__name__}")


_ORDERED = [
    ("stock.fail_below", "stock.warn_below"),
    ("stock.warn_below", "stock.overstock_above"),
]
_SHARES = [
    "stock.safety_stock_share",
    "couriers.top_share_max",
    "couriers.peak_day_share",
    "couriers.no_intercept_warn_share",
    "compensation.late_shipment_rate",
    "compensation.stockout_rate",
    "scoring.warning_weight",
    "scoring.risk_share",
    "price.raise_tolerance",
    "after_sales.dispute_refund_rate_max",
    "after_sales.self_completion_rate_min",
    "after_sales.quality_refund_rate_max",
    "after_sales.problem_alpha",
    "after_sales.max_occupancy",
    "after_sales.auto_tools.auto_approved_share",
    "after_sales.live.service_level",
]
_NON_NEGATIVE = [
    "stock.fail_below",
    "gift_stock.factor",
    "couriers.hhi_max",
    "couriers.min_per_region",
    "couriers.capacity_factor",
    "couriers.parcels_per_order",
    "presale.max_delay_days",
    "presale.handling_days",
    "compensation.late_shipment_cap",
    "compensation.stockout_cap",
    "price.reference_lookback_days",
    "price.raise_lookback_days",
    "after_sales.refund_only_hours_max",
    "after_sales.return_refund_hours_max",
    "after_sales.window_lag_days",
    "after_sales.problem_min_ratio",
    "after_sales.problem_min_orders",
    "after_sales.live.answer_minutes",
    "scoring.exposure_unit",
    "scoring.reference_risk",
    "scoring.reference_issues",
    "deadlines.stock_days_before_sale",
    "deadlines.couriers_days_before_sale",
]


def _check_consistency(data: Mapping[str, Any], overrides: Mapping[str, Any]) -> None:
    """Values that make no sense together (fail above warn, a share above 1) are refused by name."""

    def value(key: str) -> Any:
        node: Any = data
        for part in key.split("."):
            node = node[part]
        return node

    def named(*keys: str) -> str:
        changed = [k for k in keys if k in overrides]
        return ", ".join(changed or keys)

    for low, high in _ORDERED:
        if value(low) > value(high):
            raise RulePackError(f"{named(low, high)}: {low} ({value(low)}) must not exceed {high} ({value(high)})")
    for key in _SHARES:
        if not 0 <= value(key) <= 1:
            raise RulePackError(f"{named(key)}: must be between 0 and 1, got {value(key)}")
    for key in _NON_NEGATIVE:
        if value(key) < 0:
            raise RulePackError(f"{named(key)}: must not be negative, got {value(key)}")
    for check, weight in data["weights"].items():
        if weight < 0:
            raise RulePackError(f"{named(f'weights.{check}')}: must not be negative, got {weight}")
    if sum(data["weights"].values()) <= 0:
        raise RulePackError("weights: at least one check must have a positive weight")
    for grade, low in data["grades"].items():
        if not 0 <= low <= 100:
            raise RulePackError(f"{named(f'grades.{grade}')}: must be between 0 and 100, got {low}")
    for key in (
        "scoring.warning_weight",
        "scoring.exposure_unit",
        "scoring.reference_risk",
        "scoring.reference_issues",
    ):
        if value(key) <= 0:
            raise RulePackError(f"{named(key)}: must be positive, got {value(key)}")
    if not 0 <= value("scoring.max_score_with_errors") <= 100:
        raise RulePackError(f"{named('scoring.max_score_with_errors')}: must be between 0 and 100")
    for section in ("gifts", "rebates", "presale"):
        for key, pattern in data[section].items():
            patterns = pattern if isinstance(pattern, list) else [pattern]
            if key.endswith(("pattern", "patterns")):
                for item in patterns:
                    _compile_check(f"{section}.{key}", item)


def _compile_check(key: str, pattern: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise RulePackError(f"{key}: not a valid regular expression ({exc})") from None


def _leaf_keys(data: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in data.items():
        if not prefix and key == "meta":
            continue
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _leaf_keys(value, f"{dotted}.")
        else:
            yield dotted


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value
