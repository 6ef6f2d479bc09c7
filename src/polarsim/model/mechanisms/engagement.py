"""Powers' regional budgets and their allocation over states and arenas."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from polarsim.model.doctrines import allocation_weights

if TYPE_CHECKING:
    from polarsim.scenario.parameters import EngagementParams


def budgets(
    gdp_power: np.ndarray,
    budget_pct_gdp: np.ndarray,
    war: np.ndarray,
    budget_factor: np.ndarray,
    sanctioned: np.ndarray,
    prm: EngagementParams,
) -> np.ndarray:
    """USD m per year each power spends in the region, after war, retrenchment and
    sanctions take their part."""
    b = gdp_power * budget_pct_gdp / 100.0
    return b * (1.0 - war) * budget_factor * (1.0 - prm.sanctions_budget_cut * sanctioned)


def strategic_value(
    gdp_state: np.ndarray,
    endowments: np.ndarray,
    transit: np.ndarray,
    threat: np.ndarray,
    prm: EngagementParams,
) -> np.ndarray:
    """(3, S) value of each state to an outside power, per arena. endowments (S, 3) are
    hydrocarbons, minerals, hydro. gdp_state and threat may carry leading axes (years):
    (..., S) gives (..., 3, S), each year's values those of its own call."""
    size = (gdp_state / gdp_state.mean(axis=-1, keepdims=True)) ** prm.state_mass_elasticity
    hc, mi, hy = endowments.T
    endowment_weight = prm.endowment_weight
    infra = 1.0 + endowment_weight * (transit + hy + hc) / 3.0
    trade = 1.0 + endowment_weight * (hc + mi) / 2.0
    security = 1.0 + endowment_weight * threat
    return size[..., None, :] * np.stack(np.broadcast_arrays(infra, trade, security), axis=-2)


def rival_presence(named_shares: np.ndarray, rivalry: np.ndarray) -> np.ndarray:
    """(3, S, P): for power p, the share its rivals hold in each state and arena,
    weighted by rivalry (alignment does not count as presence)."""
    return named_shares @ np.clip(rivalry, 0.0, None).T


def arena_budgets(arena_split: np.ndarray, budget: np.ndarray) -> np.ndarray:
    """(3, 1, P) each power's budget split over the arenas, as `allocate` multiplies it."""
    return (arena_split * budget)[:, None, :]


def allocate(
    budget: np.ndarray,
    arena_split: np.ndarray,
    contest_response: np.ndarray,
    value: np.ndarray,
    presence: np.ndarray,
    welcome: np.ndarray,
    prm: EngagementParams,
    arena_budget: np.ndarray | None = None,
    value_by_power: np.ndarray | None = None,
) -> np.ndarray:
    """(3, S, P) engagement in USD m per year: budget x each doctrine's arena split
    (3, P) x the doctrines' allocation rule over states, for all powers at once.
    `arena_budget`: arena_budgets(arena_split, budget) if worked out already (or it
    repeated over the states, (3, S, P)); `value_by_power`: value repeated over the
    powers (3, S, P), if at hand; contest_response may be given so too, (3, S, P). The
    same products and quotients, without broadcasting the operands."""
    if prm.welcome_weight != 1.0:
        welcome = np.power(welcome, prm.welcome_weight)
    if value_by_power is None:
        value_by_power = value[:, :, None]
    alloc = allocation_weights(value_by_power, presence, welcome, contest_response)
    if arena_budget is None:
        arena_budget = arena_budgets(arena_split, budget)
    return np.multiply(alloc, arena_budget, out=alloc)
