"""What every API error must look like: problem details, and nothing that looks like a traceback."""

from __future__ import annotations

import json
from typing import Any


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is problem details with this status (and nothing that looks like a traceback)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["type"].startswith("urn:readiness:problem:")
    assert body["title"] and body["detail"]
    assert "Traceback" not in response.content.decode()
    return body
