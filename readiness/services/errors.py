"""The errors services raise when the domain refuses a request."""

from __future__ import annotations

from collections.abc import Sequence


class ServiceError(Exception):
    """A request the domain refuses. The API maps it to a problem-details response with ``status``."""

    status = 400

    def __init__(self, message: str, *, errors: Sequence[dict[str, str]] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


class Conflict(ServiceError):
    status = 409
