"""``{{ listing.category|category_name }}``: a stored category as its Chinese name (:mod:`readiness.categories`)."""

from __future__ import annotations

from django import template

from readiness import categories

register = template.Library()


@register.filter
def category_name(value: str | None) -> str:
    return categories.category_name(value or "")
