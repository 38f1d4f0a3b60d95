"""The wave forecast and staffing model: its invariants, and Erlang C against known values."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.aftersales.forecast import ALL_ROLES, erlang_c_agents, forecast_wave, shortfalls
from readiness.aftersales.metrics import REQUEST_TYPES, ROLES
from readiness.rulepacks import load_rule_pack

RULES = load_rule_pack("tmall")
START = dt.date(2026, 11, 12)


def _wave(orders: int, **kwargs: object) -> object:
    return forecast_wave(expected_orders=orders, start=START, rules=RULES, **kwargs)  # type: ignore[arg-type]


def test_zero_orders_zero_requests_zero_agents() -> None:
    wave = forecast_wave(expected_orders=0, start=START, rules=RULES)
    assert wave.requests_total == 0
    assert all(day.agents_total == 0 for day in wave.days)
    assert shortfalls(wave, roles={}, cs_agents=0) == []


def test_days_follow_the_sale_and_add_up() -> None:
    wave = forecast_wave(expected_orders=20000, start=START, rules=RULES)
    assert [d.date for d in wave.days][:2] == [START, START + dt.timedelta(days=1)]
    assert len(wave.days) == RULES.integer("after_sales.wave_days")
    expected = 20000 * sum(RULES.number(f"after_sales.default_rates.{t}") for t in REQUEST_TYPES)
    assert sum(sum(d.requests_by_type.values()) for d in wave.days) == pytest.approx(expected)
    assert wave.rates_source == "defaults"
    assert set(wave.days[0].agents_needed) == set(ROLES)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=200_000), st.integers(min_value=0, max_value=200_000))
def test_more_orders_never_fewer_agents(a: int, b: int) -> None:
    low, high = sorted((a, b))
    small = forecast_wave(expected_orders=low, start=START, rules=RULES)
    big = forecast_wave(expected_orders=high, start=START, rules=RULES)
    for day_small, day_big in zip(small.days, big.days, strict=True):
        for role in ROLES:
            assert day_big.agents_needed[role] >= day_small.agents_needed[role]


def test_a_plan_that_meets_the_forecast_has_no_shortfall() -> None:
    wave = forecast_wave(expected_orders=50000, start=START, rules=RULES)
    plan = {role: wave.peak(role) for role in ROLES}
    assert shortfalls(wave, roles=plan, cs_agents=0) == []
    assert shortfalls(wave, roles={}, cs_agents=wave.peak_total) == []
    one_short = dict(plan, 后台处理=plan["后台处理"] - 1)
    gaps = shortfalls(wave, roles=one_short, cs_agents=0)
    assert gaps and {g.role for g in gaps} == {"后台处理"}
    assert all(g.needed == g.planned + 1 or g.needed > g.planned for g in gaps)
    totals = shortfalls(wave, roles={}, cs_agents=wave.peak_total - 1)
    assert totals and {g.role for g in totals} == {ALL_ROLES}


def test_auto_tools_lower_the_processing_work() -> None:
    manual = forecast_wave(expected_orders=50000, start=START, rules=RULES)
    auto = forecast_wave(
        expected_orders=50000, start=START, rules=RULES, auto_refund_unshipped=True, auto_accept_returns=True
    )
    assert auto.days[0].work_hours["后台处理"] < manual.days[0].work_hours["后台处理"]
    assert auto.days[0].work_hours["查件"] == manual.days[0].work_hours["查件"]


def test_own_rates_replace_the_defaults() -> None:
    rates = dict.fromkeys(REQUEST_TYPES, 0.0) | {"return_refund": 0.2}
    wave = forecast_wave(expected_orders=1000, start=START, rules=RULES, rates=rates)
    assert wave.rates_source == "records"
    assert sum(sum(d.requests_by_type.values()) for d in wave.days) == pytest.approx(200)
    assert all(d.requests_by_type["refund_only_unshipped"] == 0 for d in wave.days)


def test_completion_target_spreads_the_work() -> None:
    # Everything arrives on day one (a tiny mean delay): with a 2-day target, days one and two share it.
    rules = load_rule_pack(
        "tmall",
        {f"after_sales.arrival_mean_days.{t}": 0.001 for t in REQUEST_TYPES}
        | {"after_sales.completion_days.后台处理": 2, "after_sales.live.roles": []},
    )
    wave = forecast_wave(expected_orders=100000, start=START, rules=rules)
    first, second, third = (d.agents_needed["后台处理"] for d in wave.days[:3])
    assert first == second > 0 and third == 0


def _erlang_c_by_hand(n: int, load: float) -> float:
    """Erlang C from its textbook sum (independent of the Poisson form used in the code)."""
    top = load**n / math.factorial(n) * n / (n - load)
    return top / (sum(load**k / math.factorial(k) for k in range(n)) + top)


@pytest.mark.parametrize(("load", "answer", "handle"), [(10.0, 1 / 3, 3.0), (2.5, 2.0, 4.0), (40.0, 0.5, 5.0)])
def test_erlang_c_against_the_textbook_formula(load: float, answer: float, handle: float) -> None:
    agents = erlang_c_agents(load, handle_minutes=handle, answer_minutes=answer, level=0.8, occupancy=1.0)

    def served(n: int) -> float:
        return 1 - _erlang_c_by_hand(n, load) * math.exp(-(n - load) * answer / handle)

    assert served(agents) >= 0.8 > served(agents - 1)


def test_erlang_c_known_case() -> None:
    # 10 Erlangs of 3-minute calls, 80% answered within 20 s: 13 agents reach 79.6%, 14 reach 88.8%.
    assert erlang_c_agents(10.0, handle_minutes=3.0, answer_minutes=1 / 3, level=0.8, occupancy=1.0) == 14
    assert erlang_c_agents(0.0, handle_minutes=3.0, answer_minutes=1 / 3, level=0.8, occupancy=1.0) == 0
    # occupancy caps the load per agent: 10 Erlangs at 85% need at least 12
    assert erlang_c_agents(10.0, handle_minutes=3.0, answer_minutes=60, level=0.1, occupancy=0.85) == 12
