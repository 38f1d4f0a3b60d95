"""Request bodies with limits, refused with a 4xx problem before anything reads them whole or recurses into them.

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` guards ``request.body`` only; DRF parsers read the stream themselves, so
the size limits are enforced here: first on ``Content-Length``, then on the bytes actually read (413). JSON is
decoded by orjson (strict RFC 8259: no NaN, no lone surrogates, no recursion in Python) and then walked once,
without recursion, to refuse nesting deeper than ``API_JSON_MAX_DEPTH`` and text PostgreSQL cannot store (NUL) in
any value or key, each with its JSON path (400). So no endpoint's serializer, service or error message ever sees
such a body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

import orjson
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import BaseParser

from readiness.api.errors import PayloadTooLarge
from readiness.imports.bundle import find_unstorable


def _read_limited(stream: IO[bytes], parser_context: Mapping[str, Any] | None, limit: int, what: str) -> bytes:
    request = (parser_context or {}).get("request")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
    except ValueError:
        length = 0
    message = _("%(what)s超过 %(limit)d 字节") % {"what": what, "limit": limit}
    if length > limit:
        raise PayloadTooLarge(message + _("（收到 %(length)d 字节）") % {"length": length})
    raw = stream.read(limit + 1) if stream is not None else b""
    if len(raw) > limit:
        raise PayloadTooLarge(message)
    return raw


class BundleParser(BaseParser):
    """A readiness bundle as raw bytes: ``readiness.imports.bundle`` decodes and validates it (every path in error)."""

    media_type = "application/json"

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> bytes:
        return _read_limited(stream, parser_context, settings.BUNDLE_MAX_BYTES, _("导入包"))


class LimitedJSONParser(BaseParser):
    """JSON within API_JSON_MAX_BYTES and API_JSON_MAX_DEPTH, with no NUL in any string."""

    media_type = "application/json"

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = _read_limited(stream, parser_context, settings.API_JSON_MAX_BYTES, _("请求体"))
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            if "depth" in str(exc):
                raise ParseError(
                    _("JSON 嵌套过深（最多 %(depth)d 层）") % {"depth": settings.API_JSON_MAX_DEPTH}
                ) from None
            raise ParseError(_("JSON 格式错误：%(error)s") % {"error": _printable(str(exc))}) from None
        check_json(data, max_depth=settings.API_JSON_MAX_DEPTH)
        return data


def check_json(data: Any, *, max_depth: int) -> None:
    """Refuse nesting deeper than ``max_depth`` (ParseError) and NUL or lone surrogates in any string, key or
    value (ValidationError naming each path): ``find_unstorable``, the same walk as for bundles."""
    errors: dict[str, list[str]] = {}
    for path, problem in find_unstorable(data, max_depth=max_depth):
        if problem == "depth":
            raise ParseError(
                _("JSON 在 %(path)s 处嵌套过深（最多 %(depth)d 层）") % {"path": path or _("顶层"), "depth": max_depth}
            )
        if len(errors) < 100:
            errors.setdefault(path or "(top)", []).append(_unstorable_message(problem))
    if errors:
        raise ValidationError(errors)


def _unstorable_message(problem: str) -> str:
    """``find_unstorable``'s English description of a string PostgreSQL cannot store, in the request's language."""
    if problem.startswith("a key contains"):
        return _("键名含有 NUL 字符或单独的代理字符：%(key)s") % {"key": problem.rpartition(": ")[2]}
    return _("文本不得含有 NUL 字符或单独的代理字符")


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\u0000")


def body_bytes(data: Any) -> bytes:
    """What ``BundleParser`` read (DRF gives an empty dict for an empty body)."""
    return data if isinstance(data, bytes) else b""
