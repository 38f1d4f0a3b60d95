"""The score trend as a server-rendered SVG line chart (geometry only; the template draws it).

Why SVG from the server and not a JavaScript chart library: there is no build step and no network at run time
(a library would have to be vendored and kept up to date for one small chart), the chart then works without
JavaScript, prints, and stays accessible — the template gives it a title, a description and the same numbers
as a table. A few dozen points need nothing more.
"""

from __future__ import annotations

import datetime as dt
import math
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


# ---- charts of the 售后 page: a metric's weekly values, and the wave's agents per role and day ----------------


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    x: float
    y: float
    value: float
    label: str


@dataclass(frozen=True, slots=True)
class SeriesChart:
    """One metric over time, on a 0..top scale, with its threshold as a dashed line (same geometry as
    :class:`Chart`; missing values are gaps, not zeros)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    points: tuple[SeriesPoint, ...]
    labels: tuple[tuple[float, str], ...]  # x and text of each period on the axis
    grid: tuple[GridLine, ...]
    threshold_y: float | None

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def last(self) -> SeriesPoint | None:
        return self.points[-1] if self.points else None


def _nice_top(value: float) -> float:
    """A round upper bound at or above ``value`` (1, 2, 2.5, 5 × 10^k)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * 10**exponent
        if top >= value:
            return float(top)
    return float(10 ** (exponent + 1))


def series_chart(
    values: Sequence[float | None],
    labels: Sequence[str],
    *,
    threshold: float | None = None,
    fmt: str = "{:.0%}",
    width: int = 300,
    height: int = 120,
    left: int = 44,
    right: int = 8,
    top: int = 10,
    bottom: int = 22,
) -> SeriesChart:
    """Place a metric's values (evenly spaced periods, oldest left) on a chart with its threshold."""
    known = [v for v in values if v is not None]
    top_value = _nice_top(max([*known, threshold or 0.0, 0.0]) * 1.1)
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(values)

    def x_of(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y_of(v: float) -> float:
        return top + plot_h * (1 - v / top_value)

    points = tuple(
        SeriesPoint(x=x_of(i), y=y_of(v), value=v, label=labels[i]) for i, v in enumerate(values) if v is not None
    )
    grid = tuple(GridLine(y=y_of(top_value * f), label=fmt.format(top_value * f)) for f in (0, 0.5, 1))
    axis = tuple((x_of(i), labels[i]) for i in range(n) if i in (0, n - 1))
    return SeriesChart(
        width, height, left, right, top, bottom, points, axis, grid, y_of(threshold) if threshold is not None else None
    )


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # index of the stacked series (its colour)
    value: int
    title: str


@dataclass(frozen=True, slots=True)
class BarChart:
    """Stacked bars per day (agents per role), with the plan as a line across (one value, or one per day)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bars: tuple[Bar, ...]
    labels: tuple[tuple[float, str], ...]
    grid: tuple[GridLine, ...]
    plan: str  # polyline points of the plan; empty without one
    series: tuple[str, ...]

    @property
    def plot_right(self) -> int:
        return self.width - self.right


def stacked_bars(
    labels: Sequence[str],
    stacks: Sequence[tuple[str, Sequence[int]]],
    *,
    plan: Sequence[int] | None = None,
    width: int = 640,
    height: int = 220,
    left: int = 36,
    right: int = 12,
    top: int = 12,
    bottom: int = 28,
) -> BarChart:
    """Bars of ``stacks`` (name, value per label) stacked per label, and ``plan`` per label as a step line."""
    n = len(labels)
    totals = [sum(values[i] for _name, values in stacks) for i in range(n)]
    top_value = _nice_top(max([*totals, *(plan or []), 1]) * 1.05)
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / max(n, 1)
    bar_w = slot * 0.7
    bars = []
    for i in range(n):
        base = 0
        for s, (name, values) in enumerate(stacks):
            value = values[i]
            if value:
                y_top = top + plot_h * (1 - (base + value) / top_value)
                bars.append(
                    Bar(
                        x=left + slot * i + (slot - bar_w) / 2,
                        y=y_top,
                        width=bar_w,
                        height=plot_h * value / top_value,
                        series=s,
                        value=value,
                        title=f"{labels[i]} {name}: {value}",
                    )
                )
            base += value
    step = max(1, math.ceil(top_value / 4))
    grid = tuple(
        GridLine(y=top + plot_h * (1 - v / top_value), label=str(v)) for v in range(0, int(top_value) + 1, step)
    )
    plan_points = ""
    if plan:
        points = []
        for i, value in enumerate(plan):
            y = top + plot_h * (1 - value / top_value)
            points += [f"{left + slot * i:.1f},{y:.1f}", f"{left + slot * (i + 1):.1f},{y:.1f}"]
        plan_points = " ".join(points)
    axis = tuple((left + slot * (i + 0.5), labels[i]) for i in range(n) if i % max(1, n // 7) == 0)
    return BarChart(
        width, height, left, right, top, bottom, tuple(bars), axis, grid, plan_points, tuple(name for name, _ in stacks)
    )
