"""The finding format shared by every scanner (interfaces.md §1).

A finding points at code-point offsets into the *original* value of one field of one
listing: ``value[start:end] == text`` always holds, whatever normalisation found it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Severity(enum.StrEnum):
    ERROR = "error"  # must be fixed before the sale
    WARNING = "warning"  # fix, or keep evidence that the claim holds
    INFO = "info"

    @property
    def rank(self) -> int:
        """Sort key: errors first."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Category(enum.StrEnum):
    EXTREME_WORDING = "extreme_wording"
    MEDICAL_CLAIM = "medical_claim"
    REVIEW_INDUCEMENT = "review_inducement"
    PRICE_CLAIM = "price_claim"
    SPEC_MISMATCH = "spec_mismatch"
    PRESALE_LABEL = "presale_label"
    GIFT_DISCLOSURE = "gift_disclosure"
    #: A listing image whose text could not be read (too large, not an image, not fetched): not checked.
    IMAGE_UNREADABLE = "image_unreadable"


@dataclass(frozen=True, slots=True)
class Related:
    """The other side of a two-sided finding (a spec mismatch)."""

    field: str
    text: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"field": self.field, "text": self.text}
        if self.start is not None and self.end is not None:
            data["start"] = self.start
            data["end"] = self.end
        return data


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in one field of one listing."""

    rule: str
    category: Category
    severity: Severity
    field: str
    start: int
    end: int
    text: str
    message: str
    citation: str = ""
    suggestion: str | None = None
    listing_id: str | None = None
    related: Related | None = None
    #: For a finding on an image (``field`` ``images[<i>]``): the box around the words in the image's pixels
    #: (x0, y0, x1, y1), and the text recognised in the image, which ``start``/``end`` index.
    box: tuple[int, int, int, int] | None = None
    image_text: str | None = None

    def sort_key(self) -> tuple[str, str, int, int, str]:
        return (self.listing_id or "", self.field, self.start, self.end, self.rule)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of interfaces.md §1 (``related`` only when present)."""
        data: dict[str, Any] = {
            "listing_id": self.listing_id,
            "rule": self.rule,
            "category": str(self.category),
            "severity": str(self.severity),
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "citation": self.citation,
            "suggestion": self.suggestion,
        }
        if self.related is not None:
            data["related"] = self.related.to_dict()
        if self.image_text is not None:
            data["box"] = list(self.box) if self.box is not None else None
            data["image_text"] = self.image_text
        return data
