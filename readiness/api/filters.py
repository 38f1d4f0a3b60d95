"""django-filter filter sets: the query parameters of the list endpoints (documented in the schema)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from django_filters.widgets import CSVWidget

from readiness.api.serializers import CHECKS, FINDING_STATUSES, SEVERITIES
from readiness.models import Finding, Waiver, waiver_in_force_q


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


EMPTY_PART = "(empty)"


class RepeatedOrCSVWidget(CSVWidget):
    """``?ordering=-severity,id`` and ``?ordering=-severity&ordering=id`` alike, in the order given.

    django-filter's CSV widget reads only the last of repeated parameters, which is what client generators send for
    an array parameter (openapi-python-client does, whatever ``explode`` says): the other fields were dropped."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str] | None:
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]] if name in data else []
        if not values:
            return None
        # An empty part (`ordering=`, `ordering=id,`) is no field: it becomes a value no choice matches, so it is
        # refused (400) like any other unknown field (the choice field itself lets an empty value through).
        return [part or EMPTY_PART for value in values for part in str(value).split(",")]


class StableOrderingFilter(filters.OrderingFilter):
    """Ordering by one or several fields (comma-separated or repeated), with the primary key as the last tie-breaker,
    so that pages never overlap or skip rows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", RepeatedOrCSVWidget)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        qs = super().filter(qs, value)
        if not value:
            return qs
        # An empty value (a shop-level finding has no listing) sorts as the smallest, on every database: SQLite puts
        # NULL first ascending, PostgreSQL last, so a client's pages differed between the two.
        terms = [
            (F(term[1:]).desc(nulls_last=True) if term.startswith("-") else F(term).asc(nulls_first=True))
            if isinstance(term, str)
            else term
            for term in qs.query.order_by
        ]
        return qs.order_by(*terms, "pk")


class StrictFilterSet(filters.FilterSet):
    """A filter given with an empty value (`status=`, `active=`) is refused (400), not read as "no filter": the
    schema's enums and booleans admit no empty string (found by schemathesis's negative data)."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        getlist = getattr(self.data, "getlist", None)
        for name in self.filters:
            if getlist is not None and "" in getlist(name):
                self.form.add_error(name if name in self.form.fields else None, _("不能为空"))
                valid = False
        return valid


class FindingFilter(StrictFilterSet):
    category = filters.CharFilter(help_text="scanner category, e.g. extreme_wording")
    # distinct=False: no multi-valued join here, and DISTINCT over whole rows would sort every finding of the run.
    severity = filters.MultipleChoiceFilter(
        choices=_choices(SEVERITIES), distinct=False, help_text="repeat for several"
    )
    check = filters.MultipleChoiceFilter(field_name="check_name", choices=_choices(CHECKS), distinct=False)
    status = filters.ChoiceFilter(choices=_choices(FINDING_STATUSES), method="filter_status")
    listing = filters.CharFilter(field_name="listing__listing_id", help_text="the listing's id in the shop")
    rule = filters.CharFilter()
    ordering = StableOrderingFilter(
        fields=(("severity_rank", "severity"), ("check_name", "check"), ("listing__listing_id", "listing"),
                ("rule", "rule"), ("category", "category"), ("deadline", "deadline"), ("id", "id")),
        help_text="`severity` is worst first; default: id",
    )  # fmt: skip

    class Meta:
        model = Finding
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet[Finding], name: str, value: str) -> QuerySet[Finding]:
        # ``waived`` is an alias set by the selector (a waiver in force for the finding's fingerprint).
        return queryset.filter(waived=value == "waived")


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (as OpenAPI clients send a boolean), refused otherwise: django-filter's BooleanFilter
    reads anything else as "no filter", so a typo silently returned every row."""

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).lower()
        if text not in ("true", "false"):
            # The value goes in as a parameter: django-filter formats the message with them, and a value holding
            # "%" (?active=50%) pre-formatted into the text broke that formatting (a 500 instead of a 400).
            raise forms.ValidationError(
                _("应为 true 或 false，收到 %(value)r"), code="invalid", params={"value": value}
            )
        return text == "true"


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The text as sent (django-filter's BooleanWidget would already have turned a typo into "no filter").
        kwargs["widget"] = forms.TextInput
        super().__init__(*args, **kwargs)


class WaiverFilter(StrictFilterSet):
    active = StrictBooleanFilter(method="filter_active", help_text="in force (not lifted, not expired)")
    rule = filters.CharFilter()
    listing = filters.CharFilter(field_name="listing__listing_id")

    class Meta:
        model = Waiver
        fields: list[str] = []

    def filter_active(self, queryset: QuerySet[Waiver], name: str, value: bool) -> QuerySet[Waiver]:
        return queryset.filter(waiver_in_force_q()) if value else queryset.exclude(waiver_in_force_q())
