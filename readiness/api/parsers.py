"""Request bodies with a size limit, refused with 413 before they are read whole.

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` guards ``request.body`` only; DRF parsers read the stream themselves, so
the limits are enforced here: first on ``Content-Length``, then on the bytes actually read.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework.parsers import BaseParser, JSONParser

from readiness.api.errors import PayloadTooLarge

# Bodies of the other JSON endpoints (a listing edit, a waiver, a stateless scan). Settings may override.
DEFAULT_JSON_MAX_BYTES = 10 * 1024 * 1024


def _read_limited(stream: IO[bytes], parser_context: Mapping[str, Any] | None, limit: int, what: str) -> bytes:
    request = (parser_context or {}).get("request")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
    except ValueError:
        length = 0
    message = f"{what} is larger than {limit} bytes"
    if length > limit:
        raise PayloadTooLarge(f"{message} ({length} bytes sent)")
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise PayloadTooLarge(message)
    return raw


class BundleParser(BaseParser):
    """A readiness bundle as raw bytes: ``readiness.imports.bundle`` decodes and validates it (every path in error)."""

    media_type = "application/json"

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> bytes:
        return _read_limited(stream, parser_context, settings.BUNDLE_MAX_BYTES, "the bundle")


class LimitedJSONParser(JSONParser):
    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = getattr(settings, "API_JSON_MAX_BYTES", DEFAULT_JSON_MAX_BYTES)
        raw = _read_limited(stream, parser_context, limit, "the request body")
        return super().parse(io.BytesIO(raw), media_type, parser_context)


def body_bytes(data: Any) -> bytes:
    """What ``BundleParser`` read (DRF gives an empty dict for an empty body)."""
    return data if isinstance(data, bytes) else b""
