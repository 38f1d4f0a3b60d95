"""Strict validation of real responses against the served OpenAPI document (openapi-core, which validates with
openapi-schema-validator's OAS 3.0 validator and checks formats such as RFC 3339 date-times).

Every response is checked for: a documented status code, a documented content type, a body that validates
strictly (nullable only where the schema admits null, no missing required property, formats), documented headers.
Used by the in-process tests and by the generated-client flow against a live server.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict


@dataclass
class PlainRequest:
    """openapi-core's request protocol over plain values (whatever client sent the request)."""

    method_name: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        self._host_url = f"{parts.scheme}://{parts.netloc}" if parts.netloc else "http://testserver"
        self._path = parts.path
        self.parameters = RequestParameters(
            query=ImmutableMultiDict([(k, v) for k, vs in parse_qs(parts.query).items() for v in vs]),
            header=Headers(dict(self.headers)),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return self._host_url

    @property
    def path(self) -> str:
        return self._path

    @property
    def method(self) -> str:
        return self.method_name.lower()

    @property
    def body(self) -> bytes | None:
        return self.content

    @property
    def content_type(self) -> str:
        return str(self.parameters.header.get("Content-Type", "application/json")).lower()


@dataclass
class PlainResponse:
    status_code: int
    headers: Headers
    data: bytes

    @property
    def content_type(self) -> str:
        return str(self.headers.get("Content-Type", "")).lower()


class StrictSchema:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        # Problem details are JSON too (openapi-core only knows application/json by name).
        config = Config(
            extra_media_type_deserializers={"application/problem+json": json.loads},
            response_properties_default_policy=True,
        )
        self.openapi = OpenAPI.from_dict(dict(document), config=config)

    def check(self, request: PlainRequest, response: PlainResponse) -> None:
        """Raise an AssertionError naming every difference between the response and the schema."""
        errors = list(self.openapi.iter_response_errors(request, response))
        if errors:
            details = [f"{type(e).__name__}: {e}" + "".join(f"\n    {c}" for c in _causes(e)) for e in errors]
            raise AssertionError(
                f"{request.method.upper()} {request.path} → {response.status_code} does not match the schema:\n"
                + "\n".join(details)
                + f"\nbody: {response.data[:500]!r}"
            )

    def check_django(self, response: Any) -> Any:
        """Check a Django test client response (the request is taken from it)."""
        environ = response.wsgi_request.META
        query = environ.get("QUERY_STRING", "")
        url = f"http://testserver{response.wsgi_request.path}" + (f"?{query}" if query else "")
        headers = {k: v for k, v in response.wsgi_request.headers.items()}
        request = PlainRequest(response.wsgi_request.method, url, headers)
        self.check(request, PlainResponse(response.status_code, Headers(dict(response.items())), response.content))
        return json.loads(response.content) if response.content else None


def _causes(error: BaseException) -> list[str]:
    found: list[str] = []
    cause = error.__cause__
    while cause is not None:
        found.append(f"{type(cause).__name__}: {cause}")
        for sub in getattr(cause, "schema_errors", ()) or ():
            found.append(f"  {'/'.join(map(str, sub.absolute_path))}: {sub.message}")
        cause = cause.__cause__
    return found
