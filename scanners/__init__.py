"""Listing scanners: pure Python, no Django, no database, no settings.

The public API is what ``__all__`` names; everything else is internal.
"""

from __future__ import annotations

from scanners.findings import Category, Finding, Related, Severity

__all__ = ["Category", "Finding", "Related", "Severity"]
