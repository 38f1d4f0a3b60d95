"""One error shape for every API error: problem details (RFC 9457) as ``application/problem+json``.

    {"type": "urn:readiness:problem:validation-error", "title": "Invalid request", "status": 400,
     "detail": "2 field(s) in error", "instance": "/api/v1/...", "errors": [{"path": "listings[3].title",
     "message": "..."}]}

``problem_exception_handler`` is DRF's EXCEPTION_HANDLER: it maps DRF's own exceptions (401, 403, 404, 405, 406,
415, 429), the domain's (``ServiceError`` → 400, ``Conflict`` → 409, ``BundleError`` → 400 with every JSON path)
and anything unexpected (500, logged here with its traceback, never shown to the client).
"""

from __future__ import annotations

import http
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from readiness.aftersales.records import RecordsError
from readiness.imports.bundle import BundleError
from readiness.services.errors import ServiceError

logger = logging.getLogger("readiness.api")

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:readiness:problem:"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("请求体过大。")
    default_code = "payload-too-large"


class ScanInProgress(exceptions.APIException):
    """A readiness report was asked for while the promotion's first scan is still running."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("该活动正在扫描，请在扫描完成后重试。")
    default_code = "scan-in-progress"


# DRF exception class → problem type slug (the rest use their status code's name).
_SLUGS: dict[type[exceptions.APIException], str] = {
    exceptions.ValidationError: "validation-error",
    exceptions.ParseError: "parse-error",
    exceptions.NotAuthenticated: "not-authenticated",
    exceptions.AuthenticationFailed: "authentication-failed",
    exceptions.PermissionDenied: "permission-denied",
    exceptions.NotFound: "not-found",
    exceptions.MethodNotAllowed: "method-not-allowed",
    exceptions.NotAcceptable: "not-acceptable",
    exceptions.UnsupportedMediaType: "unsupported-media-type",
    exceptions.Throttled: "throttled",
    PayloadTooLarge: "payload-too-large",
    ScanInProgress: "scan-in-progress",
}


# Titles in the language of the request (Accept-Language, see readiness.web.locale); ``type`` never changes.
_TITLES = {
    400: gettext_lazy("请求无效"),
    401: gettext_lazy("未认证"),
    403: gettext_lazy("无权执行此操作"),
    404: gettext_lazy("未找到"),
    405: gettext_lazy("不支持该请求方法"),
    406: gettext_lazy("无法提供所要求的内容类型"),
    409: gettext_lazy("与当前状态冲突"),
    413: gettext_lazy("请求体过大"),
    415: gettext_lazy("不支持的内容类型"),
    429: gettext_lazy("请求过于频繁"),
    500: gettext_lazy("服务器内部错误"),
}


def problem(
    status_code: int,
    *,
    slug: str,
    title: str | None = None,
    detail: str = "",
    errors: Sequence[Mapping[str, str]] | None = None,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    title = str(title or _TITLES.get(status_code) or http.HTTPStatus(status_code).phrase)
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + slug,
        "title": title,
        "status": status_code,
        "detail": printable(detail or title),
    }
    if instance:
        body["instance"] = printable(instance)
    if errors is not None:
        body["errors"] = [{"path": printable(e["path"]), "message": printable(e["message"])} for e in errors]
    return Response(body, status=status_code, headers=dict(headers or {}), content_type=PROBLEM_CONTENT_TYPE)


_UNPRINTABLE = re.compile("[\x00\ud800-\udfff]")


def printable(text: str) -> str:
    """Text an error may echo from the input, made safe to encode and to store: a lone surrogate (which UTF-8
    cannot encode, so rendering the answer would fail) or a NUL becomes its escape (``\\udc80``, ``\\u0000``)."""
    text = str(text)
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def problem_exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response:
    request = context.get("request")
    instance = request.path if request is not None else None
    if isinstance(exc, RequestDataTooBig):  # Django's own limit on request.body
        exc = PayloadTooLarge(_("请求体超过 %(limit)d 字节") % {"limit": settings.API_JSON_MAX_BYTES})
    elif isinstance(exc, TooManyFieldsSent):
        exc = exceptions.ParseError(_("字段过多"))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    set_rollback()

    if isinstance(exc, BundleError):
        errors = [{"path": issue.path, "message": issue.message} for issue in exc.errors]
        detail = ngettext("导入包有 %(count)d 处错误", "导入包有 %(count)d 处错误", exc.total) % {"count": exc.total}
        if exc.total > len(exc.errors):
            detail += _("（列出前 %(shown)d 处）") % {"shown": len(exc.errors)}
        return problem(400, slug="invalid-bundle", title=_("导入包无效"), detail=detail, errors=errors,
                       instance=instance)  # fmt: skip
    if isinstance(exc, RecordsError):
        errors = [{"path": issue.where, "message": issue.message} for issue in exc.errors]
        detail = ngettext(
            "售后数据有 %(count)d 处错误，未导入任何数据", "售后数据有 %(count)d 处错误，未导入任何数据", exc.total
        ) % {"count": exc.total}
        if exc.total > len(exc.errors):
            detail += _("（列出前 %(shown)d 处）") % {"shown": len(exc.errors)}
        return problem(400, slug="invalid-records", title=_("售后记录无效"), detail=detail,
                       errors=errors, instance=instance)  # fmt: skip
    if isinstance(exc, ServiceError):
        slug = "conflict" if exc.status == 409 else "invalid-request"
        return problem(exc.status, slug=slug, detail=exc.message, errors=exc.errors or None, instance=instance)
    if isinstance(exc, exceptions.ValidationError):
        errors = list(flatten_errors(exc.detail))
        detail = ngettext("请求中有 %(count)d 处错误", "请求中有 %(count)d 处错误", len(errors)) % {
            "count": len(errors)
        }
        return problem(400, slug="validation-error", title=_("请求无效"), detail=detail, errors=errors,
                       instance=instance)  # fmt: skip
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
        return problem(exc.status_code, slug=_slug(exc), detail=_text(exc.detail), instance=instance, headers=headers)

    # Anything else is a bug: the traceback goes to the log, the client gets a plain 500.
    logger.error("unhandled error in %s", instance, exc_info=exc)
    return problem(500, slug="server-error", detail=_("发生了意外错误，已记入日志。"), instance=instance)


def _slug(exc: exceptions.APIException) -> str:
    for cls in type(exc).__mro__:
        if cls in _SLUGS:
            return _SLUGS[cls]
    return http.HTTPStatus(exc.status_code).phrase.lower().replace(" ", "-")


def _text(detail: Any) -> str:
    if isinstance(detail, str):
        return str(detail)
    return "; ".join(f"{e['path']}: {e['message']}" if e["path"] else e["message"] for e in flatten_errors(detail))


def flatten_errors(detail: Any, path: str = "") -> Iterator[dict[str, str]]:
    """DRF's nested error detail → [{path, message}] with JSON paths (``listings[3].skus[0].name``).

    Errors that are not about one field (``non_field_errors``) get the path of the object they are about."""
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            if key in ("non_field_errors", api_settings.NON_FIELD_ERRORS_KEY):
                yield from flatten_errors(value, path)
            elif isinstance(key, int):  # ListField and DictField report items by index
                yield from flatten_errors(value, f"{path}[{key}]")
            else:
                yield from flatten_errors(value, f"{path}.{key}" if path else str(key))
    elif isinstance(detail, list | tuple):
        if all(isinstance(item, str) for item in detail):
            for item in detail:
                yield {"path": path, "message": str(item)}
        else:
            for index, item in enumerate(detail):
                if item:  # DRF puts {} for the items of a list that are fine
                    yield from flatten_errors(item, f"{path}[{index}]")
    else:
        yield {"path": path, "message": str(detail)}
