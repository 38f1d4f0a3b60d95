"""The readiness checks of interfaces.md §3: one module per check, each a pure function over plain data.

``check(ctx: CheckContext) -> CheckResult`` — no ORM, no scanners: the context carries the shop's plan (the
dataclasses of :mod:`readiness.imports.bundle`), the merged rule pack and the scanner findings per listing.

    ctx = CheckContext.from_bundle(bundle, rules=load_rule_pack("tmall"), findings_by_listing=findings)
    results = run_checks(ctx)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

from readiness.checks import (
    after_sales,
    couriers,
    gift_stock,
    gifts,
    listing_text,
    presale_label,
    price,
    rebates,
    spec_consistency,
    stock,
)
from readiness.checks.results import (
    CUSTOMER_SERVICE,
    LISTING_EDITOR,
    LOGISTICS,
    OPERATIONS,
    SEVERITY_RANK,
    WAREHOUSE,
    CheckContext,
    CheckResult,
    Issue,
)

__all__ = [
    "CHECKS",
    "CUSTOMER_SERVICE",
    "DATA_CHECKS",
    "LISTING_CHECKS",
    "LISTING_EDITOR",
    "LOGISTICS",
    "OPERATIONS",
    "SEVERITY_RANK",
    "SHOP_CHECKS",
    "WAREHOUSE",
    "CheckContext",
    "CheckFunction",
    "CheckResult",
    "Issue",
    "merge_results",
    "run_checks",
]

CheckFunction = Callable[[CheckContext], CheckResult]

# Check name → function, in the report's order (interfaces.md §3; names are never renamed).
CHECKS: Mapping[str, CheckFunction] = MappingProxyType(
    {
        "stock": stock.check,
        "gift_stock": gift_stock.check,
        "couriers": couriers.check,
        "presale_label": presale_label.check,
        "gifts": gifts.check,
        "rebates": rebates.check,
        "listing_text": listing_text.check,
        "spec_consistency": spec_consistency.check,
        "price": price.check,
        "after_sales": after_sales.check,
    }
)

# Checks that judge data alone (they need no scanner findings; presale_label and gifts add findings when given).
DATA_CHECKS = ("stock", "gift_stock", "couriers", "presale_label", "gifts", "rebates", "price", "after_sales")

# Checks of the shop's plan as a whole (couriers, service): run them once per scan, not once per chunk of
# listings. The others look at listings one by one and may run per chunk (see merge_results).
SHOP_CHECKS = ("couriers", "after_sales")
LISTING_CHECKS = tuple(name for name in CHECKS if name not in SHOP_CHECKS)


def run_checks(ctx: CheckContext, names: Iterable[str] | None = None) -> list[CheckResult]:
    """Run every check (or those named, in registry order) and return their results.

    An unknown name is a ValueError: a typo must not silently skip a check.
    """
    wanted = list(CHECKS) if names is None else list(names)
    unknown = [name for name in wanted if name not in CHECKS]
    if unknown:
        raise ValueError(f"unknown check(s): {', '.join(unknown)}; known: {', '.join(CHECKS)}")
    return [CHECKS[name](ctx) for name in CHECKS if name in wanted]


def merge_results(results: Iterable[CheckResult]) -> list[CheckResult]:
    """Combine results of the same check (e.g. from chunks of listings) into one per check, in registry order.

    Issues are concatenated and sorted, ``examined`` is summed, listing ids and notes are united.
    """
    merged: dict[str, CheckResult] = {}
    for result in results:
        previous = merged.get(result.check)
        if previous is None:
            merged[result.check] = result
            continue
        merged[result.check] = CheckResult(
            check=result.check,
            issues=previous.issues + result.issues,
            examined=previous.examined + result.examined,
            listing_ids=tuple(dict.fromkeys(previous.listing_ids + result.listing_ids)),
            notes=tuple(dict.fromkeys(previous.notes + result.notes)),
        )
    order = {name: i for i, name in enumerate(CHECKS)}
    return [
        CheckResult(
            check=r.check,
            issues=tuple(sorted(r.issues, key=Issue.sort_key)),
            examined=r.examined,
            listing_ids=r.listing_ids,
            notes=r.notes,
        )
        for r in sorted(merged.values(), key=lambda r: order.get(r.check, len(order)))
    ]
