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
    page_text,
    presale_label,
    price,
    rebates,
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
        "listing_text": page_text.listing_text,
        "spec_consistency": page_text.spec_consistency,
        "price": price.check,
        "after_sales": after_sales.check,
    }
)

# Checks that judge data alone (they need no scanner findings; presale_label and gifts add findings when given).
DATA_CHECKS = ("stock", "gift_stock", "couriers", "presale_label", "gifts", "rebates", "price", "after_sales")

# Checks of the shop's plan as a whole (couriers, service): run them once per scan, not once per chunk of
# listings. The others look at listings one by one and run per chunk of a scan run (services.scans); the run's
# results are rebuilt from the chunks' stored findings (selectors.run_results).
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
