"""The check registry, run_checks, the context and the issue fingerprint."""

from __future__ import annotations

import dataclasses

import pytest

from readiness.checks import (
    CHECKS,
    DATA_CHECKS,
    LISTING_CHECKS,
    SHOP_CHECKS,
    CheckContext,
    Issue,
    run_checks,
)
from readiness.imports.bundle import parse_bundle
from readiness.models import Check, OwnerRole
from readiness.rulepacks import load_rule_pack
from tests.factories import bundle_dict
from tests.readiness.checks.builders import context, finding, listing


def test_registry_names_are_the_check_choices_in_report_order() -> None:
    assert list(CHECKS) == [choice.value for choice in Check]
    assert set(DATA_CHECKS) <= set(CHECKS)


def test_run_checks_returns_one_result_per_check_in_order() -> None:
    results = run_checks(context([listing("L1")]))
    assert [r.check for r in results] == list(CHECKS)


def test_run_checks_subset_and_unknown_names() -> None:
    assert [r.check for r in run_checks(context(), ["price", "stock"])] == ["stock", "price"]
    with pytest.raises(ValueError, match="stok"):
        run_checks(context(), ["stok"])


def test_context_from_a_parsed_bundle() -> None:
    import json

    parsed = parse_bundle(json.dumps(bundle_dict())).bundle
    ctx = CheckContext.from_bundle(parsed, rules=load_rule_pack(parsed.shop.platform))
    assert ctx.shop == parsed.shop
    assert len(ctx.listings) == len(parsed.listings)
    assert [r.check for r in run_checks(ctx)] == list(CHECKS)


def test_every_owner_is_an_owner_role() -> None:
    ctx = context(
        [listing("L1", title="茶")],
        couriers=[],
        service_data=None,
        findings={"L1": [finding(c) for c in ("extreme_wording", "spec_mismatch", "presale_label")]},
    )
    owners = {issue.owner for result in run_checks(ctx) for issue in result.issues}
    assert owners
    assert owners <= {role.value for role in OwnerRole}


def _issue(**changes: object) -> Issue:
    base = Issue(
        check="listing_text",
        rule="extreme.superlative",
        severity="error",
        message="绝对化用语",
        remediation="删除",
        owner="listing_editor",
        listing_id="L1",
        field="title",
        start=3,
        end=5,
        text="最佳",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_fingerprint_is_stable_when_offsets_message_or_numbers_change() -> None:
    fp = _issue().fingerprint
    assert len(fp) == 64
    assert _issue(start=10, end=12).fingerprint == fp
    assert _issue(message="另一种说法", evidence={"coverage": 0.5}, severity="warning").fingerprint == fp


@pytest.mark.parametrize(
    "changes",
    [
        {"check": "presale_label"},
        {"rule": "extreme.first"},
        {"listing_id": "L2"},
        {"sku": "L1-1"},
        {"field": "subtitle"},
        {"text": "第一"},
    ],
)
def test_fingerprint_changes_with_what_the_problem_is(changes: dict[str, object]) -> None:
    assert _issue(**changes).fingerprint != _issue().fingerprint


def test_shop_and_listing_checks_partition_the_registry() -> None:
    assert set(SHOP_CHECKS) | set(LISTING_CHECKS) == set(CHECKS)
    assert not set(SHOP_CHECKS) & set(LISTING_CHECKS)
