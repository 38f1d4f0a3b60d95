"""The after-sale wave after a sale and the agents it needs per role and day (docs/after_sales.md). Pure: numpy and
scipy, no Django.

Model, in three steps (every number a rule-pack value under ``after_sales``):

1. **Requests per type**: expected orders × requests per paid order of each type (仅退款 before and after shipment,
   退货退款, 换货, 补寄) — the shop's own rates from its records when it has enough of them, else the pack's
   ``default_rates``.
2. **Arrival by day**: each type's requests arrive after the sale ends with a gamma-distributed delay
   (``arrival_mean_days``, ``arrival_shape``): day d gets F(d+1) − F(d) of them, F the gamma CDF. The wave is
   taken to be over after ``wave_days`` days: the tail beyond is folded back proportionally (so the days add up
   to the total), which overstates each day by that tail's share (under 3% with the defaults).
3. **Agents per role and day**: a request of type t costs ``handling_minutes.t.<role>`` agent minutes in each
   role (an auto-approved one a share of its 后台处理 minutes). Work that arrives on a day must be done within
   the role's ``completion_days`` (a fluid queue with a deadline): staffed level, each day's work spread evenly
   over its target days, so day d needs Σ work(d−T+1..d) / T hours, done by agents working
   ``agent_hours_per_day`` at ``max_occupancy``. Live roles (buyers waiting in chat: 查件, 投诉接待) must also
   answer ``service_level`` of contacts within ``answer_minutes`` during the working hours: Erlang C (M/M/n),
   with Erlang B from the Poisson distribution (scipy), and the larger of the two counts is needed.

Invariants (tests/readiness/aftersales/test_forecast.py): zero orders → zero requests and zero agents; more
orders → no fewer agents on any day in any role; a plan with at least the agents needed has no shortfall.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import stats

from readiness.aftersales.metrics import REQUEST_TYPES, ROLES
from readiness.rulepacks import RulePack

ALL_ROLES = "全部"  # a plan that gives only a head count (cs_agents) is compared per day on the total


@dataclasses.dataclass(frozen=True, slots=True)
class DayForecast:
    date: dt.date
    requests: int
    requests_by_type: Mapping[str, float]
    work_hours: Mapping[str, float]
    agents_needed: Mapping[str, int]

    @property
    def agents_total(self) -> int:
        return sum(self.agents_needed.values())


@dataclasses.dataclass(frozen=True, slots=True)
class Forecast:
    expected_orders: int
    rates: Mapping[str, float]
    rates_source: str  # "records" or "defaults"
    days: Sequence[DayForecast]

    @property
    def requests_total(self) -> int:
        return sum(day.requests for day in self.days)

    def peak(self, role: str) -> int:
        return max((day.agents_needed.get(role, 0) for day in self.days), default=0)

    @property
    def peak_total(self) -> int:
        return max((day.agents_total for day in self.days), default=0)

    def to_dict(self) -> dict[str, object]:
        return {
            "requests_total": self.requests_total,
            "rates": dict(self.rates),
            "rates_source": self.rates_source,
            "days": [
                {
                    "date": day.date.isoformat(),
                    "requests": day.requests,
                    "agents_needed": dict(day.agents_needed),
                }
                for day in self.days
            ],
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Shortfall:
    """A day on which a role (or the whole team, ``全部``) has fewer agents planned than needed."""

    date: dt.date
    role: str
    needed: int
    planned: int


def arrival_shares(rules: RulePack, days: int) -> dict[str, np.ndarray]:
    """Per request type, the share of its requests arriving on each day after the sale (summing to 1)."""
    shares = {}
    edges = np.arange(days + 1, dtype=float)
    for kind in REQUEST_TYPES:
        mean = max(rules.number(f"after_sales.arrival_mean_days.{kind}"), 1e-6)
        shape = max(rules.number(f"after_sales.arrival_shape.{kind}"), 1e-6)
        cdf = stats.gamma.cdf(edges, a=shape, scale=mean / shape)
        daily = np.diff(cdf)
        total = daily.sum()
        shares[kind] = daily / total if total > 0 else np.full(days, 1 / days)
    return shares


def handling_minutes(rules: RulePack, *, auto_refund_unshipped: bool, auto_accept_returns: bool) -> np.ndarray:
    """Agent minutes per request: a (type × role) matrix, lowered for what the auto tools approve."""
    matrix = np.array(
        [[rules.number(f"after_sales.handling_minutes.{kind}.{role}") for role in ROLES] for kind in REQUEST_TYPES]
    )
    auto_share = rules.number("after_sales.auto_tools.auto_approved_share")
    processing = ROLES.index("后台处理")
    if auto_refund_unshipped:
        matrix[REQUEST_TYPES.index("refund_only_unshipped"), processing] *= auto_share
    if auto_accept_returns:
        agree = rules.number("after_sales.auto_tools.return_agree_share")
        matrix[REQUEST_TYPES.index("return_refund"), processing] *= 1 - agree * (1 - auto_share)
    return matrix


def erlang_c_agents(
    load: float, *, handle_minutes: float, answer_minutes: float, level: float, occupancy: float
) -> int:
    """The fewest agents n such that an M/M/n queue with offered load ``load`` (Erlangs) answers ``level`` of
    contacts within ``answer_minutes`` and runs at most at ``occupancy``; 0 without load."""
    if load <= 0:
        return 0
    low = max(1, math.ceil(load / occupancy - 1e-9))
    n = np.arange(low, low + 200 + math.ceil(4 * math.sqrt(load)))
    # Erlang B from the Poisson distribution (stable for large n), then Erlang C.
    blocking = stats.poisson.pmf(n, load) / stats.poisson.cdf(n, load)
    waiting = n * blocking / (n - load * (1 - blocking))
    answered = 1 - waiting * np.exp(-(n - load) * answer_minutes / handle_minutes)
    ok = np.nonzero(answered >= level)[0]
    return int(n[ok[0]]) if ok.size else int(n[-1])


def forecast_wave(
    *,
    expected_orders: int,
    start: dt.date,
    rules: RulePack,
    rates: Mapping[str, float] | None = None,
    auto_refund_unshipped: bool = False,
    auto_accept_returns: bool = False,
) -> Forecast:
    """Requests and agents per role for each day from ``start`` (the day after the sale ends)."""
    days = max(rules.integer("after_sales.wave_days"), 1)
    source = "records" if rates is not None else "defaults"
    used = {kind: float((rates or {}).get(kind, 0.0)) for kind in REQUEST_TYPES}
    if rates is None:
        used = {kind: rules.number(f"after_sales.default_rates.{kind}") for kind in REQUEST_TYPES}
    orders = max(expected_orders, 0)
    shares = arrival_shares(rules, days)
    # requests[type, day]
    requests = np.array([orders * used[kind] * shares[kind] for kind in REQUEST_TYPES])
    minutes = handling_minutes(
        rules, auto_refund_unshipped=auto_refund_unshipped, auto_accept_returns=auto_accept_returns
    )
    work = minutes.T @ requests / 60.0  # hours[role, day]
    hours_per_agent = rules.number("after_sales.agent_hours_per_day") * rules.number("after_sales.max_occupancy")
    needed = np.zeros((len(ROLES), days), dtype=int)
    live = set(rules.texts("after_sales.live.roles"))
    for r, role in enumerate(ROLES):
        target = max(rules.integer(f"after_sales.completion_days.{role}"), 1)
        # Day d carries 1/T of the work of each of the last T days (zero before the wave).
        level = np.convolve(work[r], np.full(target, 1.0 / target))[:days]
        fluid = np.ceil(level / hours_per_agent - 1e-9).astype(int) if hours_per_agent > 0 else np.zeros(days, int)
        needed[r] = np.maximum(fluid, 0)
        if role in live:
            for d in range(days):
                needed[r, d] = max(needed[r, d], _live_agents(level[d], rules))
    day_list = []
    for d in range(days):
        by_type = {kind: float(requests[i, d]) for i, kind in enumerate(REQUEST_TYPES)}
        day_list.append(
            DayForecast(
                date=start + dt.timedelta(days=d),
                requests=round(sum(by_type.values())),
                requests_by_type=by_type,
                work_hours={role: float(work[r, d]) for r, role in enumerate(ROLES)},
                agents_needed={role: int(needed[r, d]) for r, role in enumerate(ROLES)},
            )
        )
    return Forecast(expected_orders=orders, rates=used, rates_source=source, days=tuple(day_list))


def _live_agents(work_hours: float, rules: RulePack) -> int:
    hours = rules.number("after_sales.agent_hours_per_day")
    if work_hours <= 0 or hours <= 0:
        return 0
    load = work_hours / hours  # Erlangs: busy agent-hours per working hour
    return erlang_c_agents(
        load,
        handle_minutes=rules.number("after_sales.live.contact_minutes"),
        answer_minutes=rules.number("after_sales.live.answer_minutes"),
        level=rules.number("after_sales.live.service_level"),
        occupancy=rules.number("after_sales.max_occupancy"),
    )


def shortfalls(forecast: Forecast, *, roles: Mapping[Any, int], cs_agents: int) -> list[Shortfall]:
    """Days and roles where the plan has fewer agents than needed. A plan by role is compared role by role; a
    plan that gives only ``cs_agents`` is compared with the day's total."""
    out = []
    for day in forecast.days:
        if roles:
            for role in ROLES:
                need = day.agents_needed.get(role, 0)
                have = int(roles.get(role, 0))
                if need > have:
                    out.append(Shortfall(date=day.date, role=role, needed=need, planned=have))
        elif day.agents_total > cs_agents:
            out.append(Shortfall(date=day.date, role=ALL_ROLES, needed=day.agents_total, planned=cs_agents))
    return out
