"""Django system checks: what must hold before the app serves anything, checked at start-up.

``manage.py check`` (and ``runserver``) runs the first ones; ``migrate`` and ``check --database default`` also
run the database-tagged one, which reads the shops' overrides. A rule pack that does not load, or a shop's
override that no longer applies (a key renamed in a pack), fails there and then, named, instead of at the first
scan of that shop.

- ``readiness.E001``: a platform's rule pack does not load (bad TOML, wrong types, inconsistent thresholds).
- ``readiness.E002``: a shop's overrides cannot be applied to its platform's rule pack.
- ``readiness.E003``: the platform lists disagree (``readiness.platforms``, the models' choices, the scanners).
- ``readiness.E004``: the severity lists disagree (``checks.results.SEVERITIES``, the models' choices, the
  scanners' ``Severity``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError

from readiness.checks.results import SEVERITIES
from readiness.platforms import PLATFORMS
from readiness.rulepacks import RulePackError, load_rule_pack


@register()
def rule_packs_load(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for platform in PLATFORMS:
        try:
            load_rule_pack(platform)
        except (RulePackError, OSError) as exc:
            errors.append(
                Error(
                    f"the rule pack of {platform} does not load: {exc}",
                    hint=f"fix readiness/rulepacks/{platform}.toml (docs/checks.md lists every key)",
                    obj=f"readiness.rulepacks.{platform}",
                    id="readiness.E001",
                )
            )
    return errors


@register(Tags.database)
def shop_overrides_apply(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not databases:
        return []
    from readiness.models import ShopRuleOverride

    overrides: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    try:
        for code, platform, key, value in ShopRuleOverride.objects.values_list(
            "shop__code", "shop__platform", "key", "value"
        ):
            overrides[(code, platform)][key] = value
    except DatabaseError:  # before the first migrate there is no table, and nothing to check
        return []
    errors: list[CheckMessage] = []
    for (code, platform), values in sorted(overrides.items()):
        try:
            load_rule_pack(platform, values)
        except RulePackError as exc:
            errors.append(
                Error(
                    f"the overrides of shop {code} do not apply to the {platform} rule pack: {exc}",
                    hint="correct or delete the override in the admin (店铺覆盖)",
                    obj=f"shop {code}",
                    id="readiness.E002",
                )
            )
    return errors


@register()
def platform_lists_agree(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from readiness.models import Platform
    from scanners.terms import PLATFORMS as SCANNER_PLATFORMS

    lists = {"models.Platform": tuple(Platform.values), "scanners": tuple(sorted(SCANNER_PLATFORMS))}
    wrong = {name: values for name, values in lists.items() if set(values) != set(PLATFORMS)}
    if tuple(Platform.values) != PLATFORMS:
        wrong["models.Platform"] = tuple(Platform.values)
    return [
        Error(
            f"the platforms of {name} {list(values)} are not those of readiness.platforms {list(PLATFORMS)}",
            hint="add or remove the platform everywhere: readiness/platforms.py, the models' choices (and a "
            "migration), a rule pack, the scanners' lexicon",
            obj=name,
            id="readiness.E003",
        )
        for name, values in wrong.items()
    ]


@register()
def severity_lists_agree(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from readiness.models import Severity
    from scanners.findings import Severity as ScannerSeverity

    lists = {"models.Severity": tuple(Severity.values), "scanners": tuple(s.value for s in ScannerSeverity)}
    return [
        Error(
            f"the severities of {name} {list(values)} are not checks.results.SEVERITIES {list(SEVERITIES)}",
            obj=name,
            id="readiness.E004",
        )
        for name, values in lists.items()
        if values != SEVERITIES
    ]
