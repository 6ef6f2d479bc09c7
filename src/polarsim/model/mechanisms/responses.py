"""States weigh offers: gains against dependence, lock-in and the risk of retaliation.

Receptivity rho[a, s, p] in [0, 1] scales how much of power p's engagement in arena a
state s lets in. The marginal concentration cost (2 s_p, the derivative of the HHI,
Hirschman 1945) makes a state cooler to a partner it already depends on: hedging is
not scripted, it follows from that cost weighted by the state's autonomy preference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from polarsim.model.mechanisms.arrays import clip_unit

if TYPE_CHECKING:
    from polarsim.scenario.parameters import ResponseParams


def leverage(
    composite: np.ndarray,
    remittances: np.ndarray,
    gdp_state: np.ndarray,
    gdp_by_power: np.ndarray | None = None,
) -> np.ndarray:
    """(S, P) how much each power can hurt each state: composite tie share plus
    remittances from it as a share of GDP. `gdp_by_power`: gdp_state repeated over the
    powers (S, P), if at hand (the same quotients, without the broadcast)."""
    if gdp_by_power is None:
        gdp_by_power = gdp_state[:, None]
    return clip_unit(composite + remittances / gdp_by_power)


def collective_shares(named_shares: np.ndarray, gdp_state: np.ndarray, coordination: float):
    """Shares a state weighs when it bargains jointly with its neighbours: a blend of its
    own and the region's GDP-weighted shares (coordination 0 = alone, 1 = as one bloc)."""
    if coordination <= 0:
        return named_shares
    weights = gdp_state / gdp_state.sum()
    regional = np.tensordot(named_shares, weights, axes=([1], [0]))  # (3, P)
    return (1.0 - coordination) * named_shares + coordination * regional[:, None, :]


def retaliation_risk(
    lever: np.ndarray, exclusivity: np.ndarray, rivalry: np.ndarray, memory: np.ndarray
) -> np.ndarray:
    """(S, P) expected punishment for a tie with p by p's rivals q: exclusivity_q x
    rivalry(q, p) x leverage of q over s, raised by the memory of q's past coercion."""
    threat_q = lever * exclusivity[None, :] * (1.0 + memory)  # (S, Q)
    return threat_q @ np.clip(rivalry, 0.0, None)  # sum over q of threat_q * rivalry[q, p]


def receptivity(
    named_shares: np.ndarray,
    lock_in: np.ndarray,
    risk: np.ndarray,
    memory: np.ndarray,
    autonomy: np.ndarray,
    gates: np.ndarray,
    prm: ResponseParams,
    autonomy_wide: np.ndarray | None = None,
) -> np.ndarray:
    """(3, S, P) receptivity = gate x exp(-cost). named_shares (3, S, P); lock_in, risk,
    memory (S, P); autonomy (S,); gates (3, S, P). `autonomy_wide`: autonomy repeated
    over the arenas and powers (3, S, P), if at hand (the same products)."""
    if autonomy_wide is None:
        autonomy_wide = autonomy[:, None]
    # lam * (w_d 2 s + w_l lock_in + w_b memory) + w_r risk, then gates * exp(-cost),
    # each product and sum in that order, in place (the same numbers, fewer arrays)
    cost = prm.dependence_weight * 2.0 * named_shares
    cost += prm.lock_in_weight * lock_in
    cost += prm.backlash_weight * memory
    cost *= autonomy_wide
    cost += prm.risk_weight * risk
    np.negative(cost, out=cost)
    np.exp(cost, out=cost)
    cost *= gates
    return clip_unit(cost, out=cost)
