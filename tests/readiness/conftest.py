from __future__ import annotations

from typing import Any

import pytest

from tests.factories import bundle_dict


@pytest.fixture
def bundle() -> dict[str, Any]:
    """A small valid readiness bundle (3 listings × 2 SKUs) as decoded JSON."""
    return bundle_dict()
