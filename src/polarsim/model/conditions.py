"""Lasting events (sanctions, war, retrenchment, commodity prices, unrest) compiled
into per-year arrays once per scenario. Mechanisms read them by year index; no event
touches a tie. Each event type writes its own part (`compile` in its module of
polarsim.scenario.event_types)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from polarsim.scenario.events import COMMODITIES, Codes
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


def compile_conditions(s: Scenario) -> Conditions:
    years = s.years
    T, P, S = len(years), len(s.powers), len(s.states)
    c = Conditions(
        sanctioned_power=np.zeros((T, P)),
        sanctions_on_power=np.zeros((T, P, P)),
        sanctions_on_state=np.zeros((T, S, P)),
        war=np.zeros((T, P)),
        budget_factor=np.ones((T, P)),
        price=np.ones((T, len(COMMODITIES))),
        unrest=np.zeros((T, S)),
    )
    codes = Codes(s.power_codes, s.state_codes, list(s.institutions))
    for ev in s.events:
        ev.compile(c, years, codes)
    on_power = c.sanctions_on_power
    return dataclasses.replace(c, sanctioned_power=on_power.max(axis=2) if P else np.zeros((T, 0)))
