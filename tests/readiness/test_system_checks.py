"""The system checks readiness.E001-E004: a bad rule pack or override fails at start-up, named."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from readiness import rulepacks, system_checks
from tests.factories import ShopFactory

PACKS = Path(rulepacks.__file__).resolve().parent


def _ids(messages: list[Any]) -> list[str]:
    return [m.id for m in messages if m.id and m.id.startswith("readiness.")]


@pytest.mark.django_db
def test_the_shipped_packs_and_lists_pass() -> None:
    assert _ids(checks.run_checks(databases=["default"])) == []


@pytest.fixture
def packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the rule packs that a test may break (the pack cache is cleared before and after)."""
    for pack in PACKS.glob("*.toml"):
        shutil.copy(pack, tmp_path / pack.name)
    monkeypatch.setattr(rulepacks, "_DIR", tmp_path)
    rulepacks._pack_data.cache_clear()
    yield tmp_path
    rulepacks._pack_data.cache_clear()


def test_a_pack_that_does_not_load_is_readiness_e001(packs: Path) -> None:
    pdd = packs / "pdd.toml"
    pdd.write_text(pdd.read_text(encoding="utf-8") + "\n[no_such_table]\nx = 1\n", encoding="utf-8")
    errors = system_checks.rule_packs_load()
    assert _ids(errors) == ["readiness.E001"]
    assert "pdd" in errors[0].msg and "no_such_table" in errors[0].msg
    with pytest.raises(SystemCheckError, match=r"readiness\.E001"):
        call_command("check")


def test_a_missing_pack_is_readiness_e001(packs: Path) -> None:
    (packs / "jd.toml").unlink()
    assert _ids(system_checks.rule_packs_load()) == ["readiness.E001"]


@pytest.mark.django_db
def test_an_override_that_no_longer_applies_is_readiness_e002() -> None:
    from readiness.models import ShopRuleOverride

    shop = ShopFactory(code="acme-pdd", platform="pdd")
    ShopRuleOverride.objects.create(shop=shop, key="stock.fail_below", value=0.8)
    assert system_checks.shop_overrides_apply(databases=["default"]) == []
    ShopRuleOverride.objects.create(shop=shop, key="stock.no_such_threshold", value=1)
    errors = system_checks.shop_overrides_apply(databases=["default"])
    assert _ids(errors) == ["readiness.E002"]
    assert "acme-pdd" in errors[0].msg and "no_such_threshold" in errors[0].msg
    assert system_checks.shop_overrides_apply() == []  # without --database: no queries


def test_platform_lists_that_disagree_are_readiness_e003(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system_checks, "PLATFORMS", ("tmall", "taobao", "pdd", "jd"))
    errors = system_checks.platform_lists_agree()
    assert _ids(errors) == ["readiness.E003", "readiness.E003"]
    assert {e.obj for e in errors} == {"models.Platform", "scanners"}


def test_severity_lists_that_disagree_are_readiness_e004(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system_checks, "SEVERITIES", ("error", "warning"))
    assert _ids(system_checks.severity_lists_agree()) == ["readiness.E004", "readiness.E004"]
