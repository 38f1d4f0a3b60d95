"""``{{ run.rule_pack|rule_pack_name }}``: a rule pack by the name of its platform (天猫), never its code."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from readiness.models import Platform

register = template.Library()

_NAMES = dict(Platform.choices)


@register.filter
def rule_pack_name(value: str | None) -> str:
    # the packs are named after the platforms (readiness/rulepacks/<platform>.toml); ``default`` is the base all inherit
    return str(_NAMES.get(value or "", gettext("通用")))
