"""How values read on the pages: money in yuan, time left before a phase, names of checks, owners, severities.

Labels come from the model choices (translated with the active language); a name the choices do not know yet
(checks may be added) is shown as it is.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from readiness.models import Check, CheckStatus, OwnerRole, Severity

_CHECKS = dict(Check.choices)
_OWNERS = dict(OwnerRole.choices)
_SEVERITIES = dict(Severity.choices)
_STATUSES = dict(CheckStatus.choices)


def check_label(name: str) -> str:
    return str(_CHECKS.get(name, name))


def owner_label(name: str) -> str:
    return str(_OWNERS.get(name, name)) if name else _("未指定")


def severity_label(name: str) -> str:
    return str(_SEVERITIES.get(name, name))


def status_label(name: str) -> str:
    return str(_STATUSES.get(name, name))


WAN = Decimal(10000)


def _wan_number(value: Decimal) -> str:
    return f"{(value / WAN).quantize(Decimal('0.01')).normalize():f}"


def _in_wan() -> bool:
    """Large money in 万 in the Chinese interface (¥20万); the English one writes the number out."""
    return (translation.get_language() or "zh-hans").startswith("zh")


def yuan(amount: Decimal | int | float | None) -> str:
    """¥52,800 (¥5.28万 in Chinese from ¥1万 up) — cents only below ¥100 (a fine range has no cents worth reading)."""
    if amount is None:
        return "—"
    value = Decimal(amount)
    if value >= WAN and _in_wan():
        return f"¥{_wan_number(value)}万"
    if value == value.to_integral_value() or value >= 100:
        return f"¥{value:,.0f}"
    return f"¥{value:,.2f}"


def yuan_range(low: Decimal | None, high: Decimal | None) -> str:
    """¥200 – ¥4,672, or ¥20万–100万 when both ends are in 万."""
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        return yuan(high if high is not None else low)
    if Decimal(low) >= WAN and _in_wan():
        return f"¥{_wan_number(Decimal(low))}万–{_wan_number(Decimal(high))}万"
    return f"{yuan(low)} – {yuan(high)}"


def time_left(at: dt.datetime, now: dt.datetime) -> str:
    """ "还有 3 天 4 小时" / "已过 2 天" (the page's script keeps it current)."""
    seconds = int((at - now).total_seconds())
    past = seconds < 0
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        amount = _("%(days)d 天 %(hours)d 小时") % {"days": days, "hours": hours}
    elif hours:
        amount = _("%(hours)d 小时 %(minutes)d 分") % {"hours": hours, "minutes": minutes}
    else:
        amount = _("%(minutes)d 分") % {"minutes": minutes}
    return _("已过 %(amount)s") % {"amount": amount} if past else _("还有 %(amount)s") % {"amount": amount}


def evidence_items(evidence: Any) -> list[tuple[str, str]]:
    """Evidence as (name, value) pairs for a definition list; nested values as compact JSON."""
    if not isinstance(evidence, dict):
        return []
    out = []
    for key, value in evidence.items():
        if key == "image_text":  # the whole text read in a picture: the listing page shows the picture itself
            continue
        if isinstance(value, dict | list):
            text = json.dumps(value, ensure_ascii=False)
        elif value is None:
            text = "—"
        else:
            text = str(value)
        out.append((str(key), text))
    return out


def field_label(field: str) -> str:
    """A finding's field as a person reads it: 标题, 规格参数·净含量, SKU 1 名称."""
    if field == "title":
        return _("标题")
    if field == "subtitle":
        return _("副标题")
    if field == "description":
        return _("详情描述")
    if field == "presale.label":
        return _("预售标签")
    if field.startswith("specs."):
        return _("规格参数·%(name)s") % {"name": field[len("specs.") :]}
    if field.startswith("images[") and field.endswith("]"):
        index = field[len("images[") : -1]
        return _("第 %(number)s 张图片") % {"number": int(index) + 1 if index.isdigit() else index}
    if field.startswith("skus[") and field.endswith("].name"):
        index = field[len("skus[") : -len("].name")]
        return _("SKU %(number)s 名称") % {"number": int(index) + 1 if index.isdigit() else index}
    return field
