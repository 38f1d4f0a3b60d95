"""The score trend as a server-rendered SVG line chart (geometry only; the template draws it).

Why SVG from the server and not a JavaScript chart library: there is no build step and no network at run time
(a library would have to be vendored and kept up to date for one small chart), the chart then works without
JavaScript, prints, and stays accessible — the template gives it a title, a description and the same numbers
as a table. A few dozen points need nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    score: int
    grade: str
    when: dt.datetime | None
    run: int


@dataclass(frozen=True, slots=True)
class GridLine:
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    points: tuple[Point, ...]
    grid: tuple[GridLine, ...]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    @property
    def first(self) -> Point | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None


def trend_chart(
    runs: Sequence[dict[str, object]],
    *,
    width: int = 640,
    height: int = 200,
    left: int = 36,
    right: int = 16,
    top: int = 12,
    bottom: int = 28,
) -> Chart:
    """Place each run's score (0–100) on a chart, oldest on the left, runs evenly spaced (scans are irregular
    in time, and what matters is the direction)."""
    usable = [r for r in runs if r.get("score") is not None]
    plot_w = width - left - right
    plot_h = height - top - bottom
    n = len(usable)
    points = []
    for i, run in enumerate(usable):
        x = left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))
        score = int(run["score"])  # type: ignore[call-overload]
        y = top + plot_h * (1 - score / 100)
        when = run.get("finished_at")
        points.append(
            Point(
                x=x,
                y=y,
                score=score,
                grade=str(run.get("grade") or ""),
                when=when if isinstance(when, dt.datetime) else None,
                run=int(run.get("pk") or 0),  # type: ignore[call-overload]
            )
        )
    grid = tuple(GridLine(y=top + plot_h * (1 - v / 100), label=str(v)) for v in (0, 25, 50, 75, 100))
    return Chart(width, height, left, right, top, bottom, tuple(points), grid)
