"""``{{ listing.category|category_name }}``: a stored category as its Chinese name (:mod:`readiness.categories`)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from readiness import categories

register = template.Library()


@register.filter
def category_name(value: str | None) -> str:
    # the product's category names are in the catalogue (English: Tea, Teaware …); a platform's own text is not
    return gettext(categories.category_name(value or ""))
