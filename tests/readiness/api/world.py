"""The data the API tests run against: two scanned shops, each with an open finding, a waived one and a job."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from readiness.imports.bundle import parse_bundle
from readiness.imports.writing import bundle_import
from readiness.models import Finding, ImportJob, JobStatus, Promotion, Role, Shop
from readiness.services import scans, waivers
from tests.factories import UserFactory, bundle_dict

ROLES = [Role.OPERATIONS_MANAGER, Role.LISTING_EDITOR, Role.API_CLIENT]


def problem_bundle(shop_code: str = "acme-tmall", listings: int = 3) -> dict[str, Any]:
    """A bundle with a stock problem (L100-0 short) and a text finding (最佳 in L101's title)."""
    data = bundle_dict(listings=listings)
    data["shop"]["code"] = shop_code
    data["shop"]["name"] = f"{shop_code} 旗舰店"
    data["listings"][0]["skus"][0]["stock"] = 10
    data["listings"][1]["title"] = "最佳 明前龙井 250g"
    data["listings"][2]["skus"][0]["stock"] = 545  # coverage (545 + 500) / 1100 = 0.95: a warning
    return data


@dataclass
class ShopWorld:
    shop: Shop
    promotion: Promotion
    listing_id: str  # a listing with findings
    finding: Finding  # open, to waive
    waived: Finding  # waived (by the shop's operations manager)
    job: ImportJob


@dataclass
class World:
    own: ShopWorld  # the shop every role token is a member of
    other: ShopWorld  # a shop none of them is a member of
    tokens: dict[str, str] = field(default_factory=dict)  # role → token on ``own``
    other_token: str = ""  # operations manager of ``other``


def build_shop(code: str) -> ShopWorld:
    summary = bundle_import(parsed=parse_bundle(json.dumps(problem_bundle(code), ensure_ascii=False)))
    run = scans.scan_run_sync(promotion=summary.promotion)
    findings = list(run.findings.order_by("pk"))
    assert len(findings) >= 2, [(f.check_name, f.rule) for f in findings]
    stock = next(f for f in findings if f.check_name == "stock")
    waived = next(f for f in findings if f.check_name == "listing_text")
    waivers.waiver_create(finding=waived, user=UserFactory(username=f"{code}-boss"), reason="已确认")
    job = ImportJob.objects.create(
        shop=summary.shop, promotion=summary.promotion, run=run, status=JobStatus.COMPLETE, summary=summary.line()
    )
    return ShopWorld(summary.shop, summary.promotion, stock.listing.listing_id, stock, waived, job)
