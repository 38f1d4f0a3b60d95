"""Edits and waivers: validated, audited, and reflected in the shop's score."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from readiness import selectors
from readiness.imports.bundle import parse_bundle
from readiness.imports.writing import bundle_import
from readiness.models import Listing, ListingRevision, Waiver
from readiness.services import imports, listings, waivers
from readiness.services.errors import Conflict, ServiceError
from tests.factories import UserFactory, bundle_dict

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock_problem(start_scan: Any) -> Any:
    data = bundle_dict(listings=2)
    data["listings"][0]["skus"][0]["stock"] = 10
    promotion = bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False))).promotion
    return start_scan(promotion)


def test_waiver_requires_reason(stock_problem: Any) -> None:
    finding = stock_problem.findings.get(check_name="stock")
    with pytest.raises(ServiceError, match="豁免需要填写理由") as caught:
        waivers.waiver_create(finding=finding, user=UserFactory(), reason="   ")
    assert caught.value.errors == [{"path": "reason", "message": "必填"}]
    assert not Waiver.objects.exists()


def test_waiver_raises_score_and_lift_lowers_it_again(stock_problem: Any) -> None:
    finding = stock_problem.findings.get(check_name="stock")
    user = UserFactory()
    waiver = waivers.waiver_create(finding=finding, user=user, reason="仓库确认补货 11/8 到货")
    assert selectors.latest_run(promotion=stock_problem.promotion).score == 100
    with pytest.raises(Conflict):
        waivers.waiver_create(finding=finding, user=user, reason="again")
    waivers.waiver_lift(waiver=waiver, user=user)
    assert selectors.latest_run(promotion=stock_problem.promotion).score == stock_problem.score
    waiver.refresh_from_db()
    assert waiver.lifted_by == user and waiver.lifted_at is not None  # the audit trail stays
    with pytest.raises(Conflict):
        waivers.waiver_lift(waiver=waiver, user=user)


def test_expired_waiver_no_longer_counts(stock_problem: Any) -> None:
    finding = stock_problem.findings.get(check_name="stock")
    waiver = waivers.waiver_create(
        finding=finding, user=UserFactory(), reason="临时", expires_at=timezone.now() + timedelta(hours=1)
    )
    assert waiver.fingerprint in selectors.active_waivers(shop=waiver.shop)
    assert waiver.fingerprint not in selectors.active_waivers(shop=waiver.shop, now=timezone.now() + timedelta(days=1))


def test_waiver_in_the_past_is_refused(stock_problem: Any) -> None:
    finding = stock_problem.findings.get(check_name="stock")
    with pytest.raises(ServiceError, match="到期时间已过"):
        waivers.waiver_create(finding=finding, user=UserFactory(), reason="x", expires_at=timezone.now())


def test_listing_edit_is_audited_and_rescanned(stock_problem: Any) -> None:
    listing = Listing.objects.get(listing_id="L101")
    user = UserFactory()
    listings.listing_update_text(
        listing=listing, changes={"title": "新标题 250g", "specs": {"净含量": "250g"}}, user=user
    )
    revision = ListingRevision.objects.get(listing=listing)
    assert revision.changed_by == user
    assert revision.changes["title"] == {"old": "明前龙井 250g 第1款", "new": "新标题 250g"}
    assert Listing.objects.get(pk=listing.pk).title == "新标题 250g"


def test_listing_edit_rejects_bad_input(stock_problem: Any) -> None:
    listing = Listing.objects.get(listing_id="L101")
    with pytest.raises(ServiceError) as caught:
        listings.listing_update_text(
            listing=listing, changes={"title": 5, "price": "1", "specs": ["x"]}, user=UserFactory()
        )
    assert {e["path"] for e in caught.value.errors} == {"price"}
    with pytest.raises(ServiceError) as caught:
        listings.listing_update_text(listing=listing, changes={"title": 5, "specs": ["x"]}, user=UserFactory())
    assert {e["path"] for e in caught.value.errors} == {"title", "specs"}
    assert not ListingRevision.objects.exists()


def test_import_job_imports_and_scans(django_capture_on_commit_callbacks: Any) -> None:
    from readiness.models import JobStatus

    raw = json.dumps(bundle_dict(listings=3), ensure_ascii=False).encode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = imports.import_job_create(raw=raw, user=UserFactory())
    # the job's task, then the scan it starts: both sent on commit, run eagerly here
    while callbacks:
        pending, callbacks[:] = list(callbacks), []
        for callback in pending:
            callback()
    job.refresh_from_db()  # the scan's finish completed the job: nothing refreshes it on read
    assert job.status == JobStatus.COMPLETE, job.errors
    assert job.finished_at == job.run.finished_at
    assert job.run is not None and job.run.status == "complete"
    assert "商品 新建 3" in job.summary
    assert bytes(job.payload) == b""
    progress = selectors.import_job_progress(job=job)
    assert progress["done"] == progress["total"] == 3


def test_import_job_refuses_bad_bundle_synchronously() -> None:
    from readiness.imports.bundle import BundleError
    from readiness.models import ImportJob

    data = bundle_dict(listings=3)
    data["listings"][2]["skus"][0]["stock"] = "x"
    with pytest.raises(BundleError) as caught:
        imports.import_job_create(raw=json.dumps(data).encode(), user=UserFactory())
    assert caught.value.errors[0].path == "listings[2].skus[0].stock"
    assert not ImportJob.objects.exists()


def test_import_job_for_another_shop_is_refused() -> None:
    from readiness.imports.bundle import BundleError
    from tests.factories import ShopFactory

    with pytest.raises(BundleError, match="导入包有 1 处错误") as caught:
        imports.import_job_create(raw=json.dumps(bundle_dict()).encode(), user=UserFactory(), shop=ShopFactory())
    assert caught.value.errors[0].path == "shop.code"
