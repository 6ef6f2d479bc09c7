"""Trade: a gravity target relative to the start year, plus project flows, adjusted
with persistence (Tinbergen 1962; Anderson & van Wincoop 2003; Eichengreen & Irwin 1998).

The start-year flows carry every fixed pair effect (distance, language, legacy ties);
the target moves them with the partners' GDP, customs-union tariffs, sanctions, the
state's receptivity, trade promotion and temporary coercive blocks, and flows adjust
to it with persistence. Projects commissioned after the start year add the trade
their capacity carries on top, ramping up over `ramp_years` (contracted volumes, not
slowly built relationships).
"""

from __future__ import annotations

import numpy as np


def sanctions_factor(
    trade_shares_named: np.ndarray,
    on_power: np.ndarray,
    on_state: np.ndarray,
    compliance: float,
    busting: float,
) -> np.ndarray:
    """(S, P) multiplier of trade with each power from sanctions in force.

    A state trades less with a sanctioned power the more it trades with the imposers
    (secondary-sanction risk), and more if it busts the sanctions; a sanctioned state
    trades less with the imposers."""
    # exposure[s, target] = sum over imposers q of intensity[target, q] * share[s, q]
    exposure = trade_shares_named @ on_power.T
    intensity = on_power.max(axis=1)[None, :]
    f = np.exp(-compliance * exposure) * (1.0 + busting * intensity)
    return f * (1.0 - on_state)


def gravity_targets(
    base_gravity: np.ndarray,
    base_gravity_other: np.ndarray,
    gdp_power_ratio: np.ndarray,
    row_ratio: float,
    mass_elasticity: float,
    policy: np.ndarray,
    policy_other: np.ndarray,
    state_growth: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Gravity targets (S, P) and (S,) in USD m: start-year flows scaled by the growth of
    both economies (the state's own elasticity is 1: its size moves all partners
    alike) and by policy factors relative to the start year."""
    target = base_gravity * gdp_power_ratio[None, :] ** mass_elasticity * policy
    other = base_gravity_other * row_ratio**mass_elasticity * policy_other
    return target * state_growth[:, None], other * state_growth


def ramp(years_operating: np.ndarray, ramp_years: int) -> np.ndarray:
    """Share of a project's capacity in use in its n-th year of operation (n >= 1)."""
    return np.minimum(1.0, years_operating / ramp_years)


def adjust(flow: np.ndarray, target: np.ndarray, persistence: float) -> np.ndarray:
    """Partial adjustment toward the target (keeps zeros possible, unlike log form)."""
    return persistence * flow + (1.0 - persistence) * target
