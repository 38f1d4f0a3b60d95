"""Listing scanners: pure Python, no Django, no database, no settings.

The public API is what ``__all__`` names; everything else is internal.

- :func:`scan_listing` - all findings of one listing (the ``listings[]`` object of the bundle);
- :func:`scan_text` - wording findings of one piece of text for one field;
- :class:`ScanOptions` / :class:`ExtraTerm` - per-shop platform, allow-list and extra terms;
- :func:`default_lexicon` / :func:`load_lexicon` - the compiled lexicon (terms, citations).
"""

from __future__ import annotations

from scanners import _native

#: Whether the mypyc build of the scanning modules is in use (only when built from these very sources).
COMPILED = _native.activate(__path__)

from scanners.findings import Category, Finding, Related, Severity
from scanners.listing import listing_fields, scan_listing, scan_listing_wording
from scanners.options import ExtraTerm, ScanOptions
from scanners.terms import Citation, Lexicon, LexiconError, default_lexicon, load_lexicon
from scanners.wording import scan_text

__all__ = [
    "Category",
    "Citation",
    "ExtraTerm",
    "Finding",
    "Lexicon",
    "LexiconError",
    "Related",
    "ScanOptions",
    "Severity",
    "default_lexicon",
    "listing_fields",
    "load_lexicon",
    "scan_listing",
    "scan_listing_wording",
    "scan_text",
]
