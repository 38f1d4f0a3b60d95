"""One small bounded memo table, the only kind the scanners keep between listings."""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedMemo(Generic[K, V]):
    """A dict that forgets everything once it holds ``limit`` entries.

    Emptying at once rather than evicting one entry at a time (LRU) keeps a hit at one dict lookup; the
    tables hold verdicts that are cheap to recompute, so a refill costs little. ``None`` is never stored
    as a value: :meth:`get` returns it for a miss.
    """

    __slots__ = ("data", "limit")

    def __init__(self, limit: int) -> None:
        self.data: dict[K, V] = {}
        self.limit = limit

    def get(self, key: K) -> V | None:
        return self.data.get(key)

    def put(self, key: K, value: V) -> None:
        if len(self.data) >= self.limit:
            self.data.clear()
        self.data[key] = value

    def clear(self) -> None:
        self.data.clear()

    def __len__(self) -> int:
        return len(self.data)
