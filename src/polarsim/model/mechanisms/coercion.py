"""Coercion: a power that demands exclusivity punishes a state's ties to its rivals.

Pressure grows with the power's exclusivity, its leverage over the state and the
state's ties to its rivals; acts are drawn from the run's generator. An act leaves a
memory (raising the state's expected cost of rival ties: compliance) and a one-year
economic cost through the chosen instrument; past coercion can also turn an
autonomy-minded state against the coercer (backlash, in responses.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from polarsim.scenario.parameters import CoercionParams


def pressure(
    exclusivity: np.ndarray, lever: np.ndarray, composite: np.ndarray, rivalry: np.ndarray
) -> np.ndarray:
    """(S, P) pressure of power p on state s: exclusivity_p x leverage(p, s) x the
    rivalry-weighted ties of s to p's rivals."""
    rival_ties = composite @ np.clip(rivalry, 0.0, None)  # (S, P): sum_q share[s,q] rivalry[q,p]
    return exclusivity[None, :] * lever * rival_ties


def act_probability(press: np.ndarray, prm: CoercionParams) -> np.ndarray:
    return 1.0 - np.exp(-prm.rate * press)


def instrument_leverage(
    p: int,
    s: int,
    shares: np.ndarray,
    remittances: np.ndarray,
    debt: np.ndarray,
    gdp_state: np.ndarray,
) -> dict[str, float]:
    """What each instrument of power p could cost state s (comparable scale, 0-1)."""
    return {
        "remittances": float(remittances[s, p] / gdp_state[s]),
        "transit": float(shares[0, s, p]),  # infrastructure the state's exports run through
        "debt": float(debt[s, p] * 1000.0 / gdp_state[s]),
        "protection": float(shares[2, s, p]),
        "market_access": float(shares[1, s, p]),
    }


def strongest_instrument(
    p: int,
    s: int,
    instruments: tuple[str, ...],
    shares: np.ndarray,
    remittances: np.ndarray,
    debt: np.ndarray,
    gdp_state: np.ndarray,
) -> str | None:
    """The one of `instruments` with the most leverage over state s (instrument_leverage)
    among those with any, the first in instrument_leverage's order among equals; None
    if none has any (a NaN leverage is never usable)."""
    best, most = None, 0.0
    for k, v in instrument_leverage(p, s, shares, remittances, debt, gdp_state).items():
        if k in instruments and v > most:  # strictly: the first of equals stays
            best, most = k, v
    return best


def decay(memory: np.ndarray, prm: CoercionParams) -> np.ndarray:
    return memory * (1.0 - prm.memory_decay)
