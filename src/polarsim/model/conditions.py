"""Lasting events (sanctions, war, retrenchment, commodity prices, unrest) compiled
into per-year arrays once per scenario. Mechanisms read them by year index; no event
touches a tie."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from polarsim.scenario.events import COMMODITIES
from polarsim.scenario.schema import Scenario


@dataclass(frozen=True)
class Conditions:
    sanctioned_power: np.ndarray  # (T, P) strongest sanction intensity on each power
    sanctions_on_power: np.ndarray  # (T, P_target, P_imposer) intensity
    sanctions_on_state: np.ndarray  # (T, S_target, P_imposer) intensity
    war: np.ndarray  # (T, P) share of capacity diverted
    budget_factor: np.ndarray  # (T, P) retrenchment multiplier of budgets
    price: np.ndarray  # (T, C) commodity price multipliers, C = COMMODITIES
    unrest: np.ndarray  # (T, S) intensity


def _span(ev, years: range) -> slice:
    first = max(ev.year, years.start)
    last = min(ev.end_year if ev.end_year is not None else years.stop - 1, years.stop - 1)
    return slice(first - years.start, max(first, last + 1) - years.start)


def compile_conditions(s: Scenario) -> Conditions:
    years = s.years
    T, P, S = len(years), len(s.powers), len(s.states)
    pi = {c: i for i, c in enumerate(s.powers)}
    si = {c: i for i, c in enumerate(s.states)}
    on_power = np.zeros((T, P, P))
    on_state = np.zeros((T, S, P))
    war = np.zeros((T, P))
    budget = np.ones((T, P))
    price = np.ones((T, len(COMMODITIES)))
    unrest = np.zeros((T, S))
    for ev in s.events:
        if ev.type not in ("sanctions", "war", "retrenchment", "commodity_shock", "unrest"):
            continue
        if ev.year > years.stop - 1 or (ev.end_year is not None and ev.end_year < years.start):
            continue
        sl = _span(ev, years)
        if ev.type == "sanctions":
            imp = [pi[c] for c in ev.imposers]
            target = on_power[sl, pi[ev.target]] if ev.target in pi else on_state[sl, si[ev.target]]
            target[:, imp] = np.maximum(target[:, imp], ev.intensity)
        elif ev.type == "war":
            war[sl, pi[ev.power]] = np.maximum(war[sl, pi[ev.power]], ev.capacity_diverted)
        elif ev.type == "retrenchment":
            budget[sl, pi[ev.power]] *= 1.0 + ev.budget_change
        elif ev.type == "commodity_shock":
            price[sl, COMMODITIES.index(ev.commodity)] *= 1.0 + ev.price_change
        elif ev.type == "unrest":
            unrest[sl, si[ev.state]] = np.maximum(unrest[sl, si[ev.state]], ev.intensity)
    return Conditions(
        sanctioned_power=on_power.max(axis=2) if P else np.zeros((T, 0)),
        sanctions_on_power=on_power,
        sanctions_on_state=on_state,
        war=war,
        budget_factor=budget,
        price=price,
        unrest=unrest,
    )
