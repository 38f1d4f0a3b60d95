"""The plain types of the readiness checks: their input (:class:`CheckContext`) and output (:class:`Issue`,
:class:`CheckResult`). No ORM: services build a context from the database (``selectors.readiness_input``) or
from a parsed bundle, and store the issues as ``Finding`` rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    from readiness.aftersales.metrics import AfterSalesFacts
    from readiness.imports.bundle import CourierData, ListingData, PromotionData, ServiceData, ShopData
    from readiness.rulepacks import RulePack
    from scanners.findings import Finding

# The severities, worst first: the one order every sort and every SQL ``severity_rank`` uses.
SeverityName = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = get_args(SeverityName)
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}

# Owner roles (readiness.models.OwnerRole values; repeated here so that checks need no Django).
OPERATIONS = "operations"
LISTING_EDITOR = "listing_editor"
WAREHOUSE = "warehouse"
LOGISTICS = "logistics"
CUSTOMER_SERVICE = "customer_service"


@dataclass(frozen=True)
class Issue:
    """One problem a check found: what, how bad, what to do, who must do it by when, and what it may cost.

    ``evidence`` holds the numbers the rule used (JSON-ready: money as decimal strings). ``exposure_min`` and
    ``exposure_max`` estimate the money at risk in yuan (compensation owed, or a fine range) and are None
    where the domain gives no basis. Text issues (from scanner findings) also carry the field, the code-point
    span ``[start, end)`` in the field's original value, the text, a citation and a suggestion.
    """

    check: str
    rule: str
    severity: SeverityName
    message: str
    remediation: str
    owner: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    deadline: dt.datetime | None = None
    exposure_min: Decimal | None = None
    exposure_max: Decimal | None = None
    listing_id: str | None = None
    sku: str | None = None
    # Where in the data or the page: a text field ("title", "specs.净含量", "skus[0].name") for text issues
    # (with start/end), or a data location ("couriers[ems]", "destinations.西北", "rebates[0]").
    field: str | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None
    citation: str = ""
    suggestion: str | None = None
    category: str = ""
    related: Mapping[str, Any] | None = None

    @functools.cached_property
    def fingerprint(self) -> str:
        """A stable id for waivers: the same problem keeps it across runs and across edits that move offsets.

        Hash of check, rule, listing, SKU, field and text (never the offsets, the message or the numbers, which
        change when other text is edited or stock moves).
        """
        key = [self.check, self.rule, self.listing_id or "", self.sku or "", self.field or "", self.text or ""]
        return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()

    @property
    def is_text(self) -> bool:
        """True for an issue that highlights a span of a listing's text."""
        return self.field is not None and self.start is not None and self.end is not None

    def sort_key(self) -> tuple[int, str, str, str, int, str]:
        return (
            SEVERITY_RANK.get(self.severity, 9),
            self.listing_id or "",
            self.sku or "",
            self.field or "",
            self.start if self.start is not None else -1,
            self.rule,
        )


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict material: its issues, and what it looked at (so a listing with no issue still
    gets a score, and a check with nothing to examine says so)."""

    check: str
    issues: tuple[Issue, ...] = ()
    examined: int = 0  # items examined: SKUs, gifts, couriers, listings …
    listing_ids: tuple[str, ...] = ()  # listings the check examined (empty for shop-level checks)
    notes: tuple[str, ...] = ()  # why something was skipped (e.g. "no couriers planned"), for the report


@dataclass(frozen=True)
class CheckContext:
    """The input of every check: the shop's plan for one promotion, the rule pack, and scanner findings.

    The first five fields are those of :class:`readiness.imports.bundle.Bundle`; :meth:`from_bundle` builds a context
    from a Bundle (or anything with the same attributes).
    """

    shop: ShopData
    promotion: PromotionData
    couriers: Sequence[CourierData]
    service: ServiceData | None
    listings: Sequence[ListingData]
    rules: RulePack
    # Scanner findings per listing id, for the text checks (listing_text, spec_consistency, presale_label,
    # gifts). The checks never run the scanners themselves.
    findings_by_listing: Mapping[str, Sequence[Finding]] = field(default_factory=dict)
    now: dt.datetime | None = None
    # What the shop's after-sale records say (issue 18); None when not looked up (then the bundle's service rates
    # are judged, as when the shop has no records).
    after_sales: AfterSalesFacts | None = None

    @classmethod
    def from_bundle(
        cls,
        bundle: Any,
        *,
        rules: RulePack,
        findings_by_listing: Mapping[str, Sequence[Finding]] | None = None,
        now: dt.datetime | None = None,
        after_sales: AfterSalesFacts | None = None,
    ) -> CheckContext:
        """A context from a :class:`readiness.imports.bundle.Bundle` (or an object with the same attributes)."""
        return cls(
            shop=bundle.shop,
            promotion=bundle.promotion,
            couriers=tuple(bundle.couriers),
            service=bundle.service,
            listings=tuple(bundle.listings),
            rules=rules,
            findings_by_listing=dict(findings_by_listing or {}),
            now=now,
            after_sales=after_sales,
        )


class Text(str):
    """A message of ours: the Chinese text itself (what the report and the API show, interfaces.md §3), which keeps
    its gettext template and params so that the web pages can show it in the active language
    (``readiness.web.formatting.finding_text``). A param may be a Text too (a fragment of ours); other params are
    data (names, codes, numbers as written) and are never translated.

    The template is marked for the catalogue where it is written (``gettext_noop``: one home per message); ``%``
    in it is written ``%%`` when it has params."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, params: Mapping[str, Any] | None = None) -> Text:
        values = {k: v if isinstance(v, Text) else str(v) for k, v in (params or {}).items()}
        obj = super().__new__(cls, template % values if values else template)
        obj.template = template
        obj.params = values
        return obj

    def spec(self) -> dict[str, Any]:
        """JSON-ready: ``{"t": template, "p": {name: str | spec}}`` (Finding.message_args)."""
        return {"t": self.template, "p": {k: v.spec() if isinstance(v, Text) else v for k, v in self.params.items()}}

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> Text:
        if "list" in spec:
            return TextList(
                (Text.from_spec(i) if isinstance(i, dict) else i for i in spec["list"]), spec.get("sep", "、")
            )
        params = {k: Text.from_spec(v) if isinstance(v, dict) else v for k, v in (spec.get("p") or {}).items()}
        return Text(spec["t"], params)


class TextList(Text):
    """Items joined as a list (``、`` in Chinese, ``, `` in English; ``；`` for clauses): each item data or a Text."""

    items: list[Any]
    separator: str

    def __new__(cls, items: Iterable[Any], separator: str = "、") -> TextList:
        values = [i if isinstance(i, Text) else str(i) for i in items]
        obj = str.__new__(cls, separator.join(values))
        obj.template, obj.params, obj.items, obj.separator = separator, {}, values, separator
        return obj

    def spec(self) -> dict[str, Any]:
        return {"list": [i.spec() if isinstance(i, Text) else i for i in self.items], "sep": self.separator}


def msg(template: str, /, **params: Any) -> Text:
    """A message from its Chinese template (marked for translation here) and its params."""
    return Text(gettext_noop(template), params)


def gettext_noop(template: str) -> str:
    """Marks a template for the catalogue without translating it (the checks stay free of Django)."""
    return template
