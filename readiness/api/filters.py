"""django-filter filter sets: the query parameters of the list endpoints (documented in the schema)."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from readiness.api.serializers import CHECKS, FINDING_STATUSES, SEVERITIES
from readiness.models import Finding, Waiver, waiver_in_force_q


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class StableOrderingFilter(filters.OrderingFilter):
    """Ordering with the primary key as the last tie-breaker, so that pages never overlap or skip rows."""

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


class FindingFilter(filters.FilterSet):
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


class WaiverFilter(filters.FilterSet):
    active = filters.BooleanFilter(method="filter_active", help_text="in force (not lifted, not expired)")
    rule = filters.CharFilter()
    listing = filters.CharFilter(field_name="listing__listing_id")

    class Meta:
        model = Waiver
        fields: list[str] = []

    def filter_active(self, queryset: QuerySet[Waiver], name: str, value: bool) -> QuerySet[Waiver]:
        return queryset.filter(waiver_in_force_q()) if value else queryset.exclude(waiver_in_force_q())
