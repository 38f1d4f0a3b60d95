"""How values read on the pages: money in yuan, time left before a phase, names of checks, owners, severities.

Labels come from the model choices (translated with the active language); a name the choices do not know yet
(checks may be added) is shown as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from html import unescape
from typing import Any

from django.utils import translation
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.checks.results import Text
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


def field_label(field: str, *, html: bool = False) -> str:
    """A finding's field as a person reads it: 标题, 规格参数·净含量, SKU 1 名称 (with ``html``, a spec's name is
    marked as shop data)."""
    if field == "title":
        return _("标题")
    if field == "subtitle":
        return _("副标题")
    if field == "description":
        return _("详情描述")
    if field == "presale.label":
        return _("预售标签")
    if field.startswith("specs."):
        name = field[len("specs.") :]
        if html:
            return mark_safe(escape(_("规格参数·%(name)s")) % {"name": data_html(name)})
        return _("规格参数·%(name)s") % {"name": name}
    if field.startswith("images[") and field.endswith("]"):
        index = field[len("images[") : -1]
        return _("第 %(number)s 张图片") % {"number": int(index) + 1 if index.isdigit() else index}
    if field.startswith("skus[") and field.endswith("].name"):
        index = field[len("skus[") : -len("].name")]
        return _("SKU %(number)s 名称") % {"number": int(index) + 1 if index.isdigit() else index}
    return field


# ---- messages in the active language -------------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def data_html(value: Any) -> SafeString:
    """Shop data inside a sentence of ours (a name, a code, the listing's own words, a number as written): never
    translated, and marked so (``translate="no"``; ``lang="zh"`` when it is Chinese)."""
    text = str(value)
    lang = ' lang="zh"' if _HAN.search(text) else ""
    return format_html('<span class="data" translate="no"{}>{}</span>', mark_safe(lang), text)


def _spec_html(spec: Mapping[str, Any]) -> SafeString:
    if "list" in spec:
        separator = _(spec.get("sep") or "、")
        return mark_safe(
            escape(separator).join(_spec_html(i) if isinstance(i, dict) else data_html(i) for i in spec["list"])
        )
    template = escape(_(spec["t"]))
    params = {k: _spec_html(v) if isinstance(v, dict) else data_html(v) for k, v in (spec.get("p") or {}).items()}
    return mark_safe(template % params if params else template)


def plain_text(markup: str) -> str:
    """The text of a rendered message, for an attribute (a title): tags dropped, entities read."""
    return unescape(strip_tags(markup))


def text_html(value: Any) -> SafeString:
    """A message of ours (a ``checks.results.Text`` or its spec) in the active language, its data marked; any
    other text (a message stored before templates were kept) as it is, escaped."""
    if isinstance(value, Text):
        return _spec_html(value.spec())
    if isinstance(value, dict) and ("t" in value or "list" in value):
        return _spec_html(value)
    return escape(value or "")


# Scanner findings (wording, spec) carry the scanners' Chinese lexicon text: other languages get one sentence per
# category here, around the offending words (shop data).
SCANNER_MESSAGES = {
    "extreme_wording": gettext_lazy("“%(text)s”是广告法禁止的绝对化用语。"),
    "medical_claim": gettext_lazy("“%(text)s”是普通商品不得宣传的疾病、医疗或保健功效。"),
    "review_inducement": gettext_lazy("“%(text)s”以利益诱导买家好评或晒图。"),
    "price_claim": gettext_lazy("“%(text)s”是无法证明或引人误解的价格表述。"),
    "presale_label": gettext_lazy("“%(text)s”与预售的发货承诺不符或含糊。"),
    "gift_disclosure": gettext_lazy("“%(text)s”没有说清赠品。"),
    "spec_mismatch": gettext_lazy("“%(text)s”与页面其他位置的规格不一致。"),
    "image_unreadable": gettext_lazy("图片无法读取，未能检查其中的文字。"),
}


def finding_text(row: Mapping[str, Any], name: str) -> SafeString:
    """A finding's ``message`` or ``remediation`` (a query row of Finding) in the active language.

    From its template and params (``message_args``) when it has them; a scanner's message by its category (in
    Chinese the lexicon's own words, with the quoted shop text marked as data); otherwise the stored text."""
    spec = (row.get("message_args") or {}).get(name)
    if spec:
        return _spec_html(spec)
    stored = str(row.get(name) or "")
    quoted = str(row.get("text") or "")
    if name != "message" or not row.get("category") or not quoted:
        return escape(stored)
    if (translation.get_language() or "zh-hans").startswith("zh"):
        parts = stored.split(f"“{quoted}”")
        if len(parts) == 1:
            return escape(stored)
        return mark_safe(format_html("“{}”", data_html(quoted)).join(escape(p) for p in parts))
    template = SCANNER_MESSAGES.get(str(row["category"]))
    if template is None:
        return escape(stored)
    return mark_safe(escape(str(template)) % {"text": data_html(quoted)})
