"""Security ties: arms deliveries won in a contest, bases and guarantees, as a stock.

Each year a state imports arms in proportion to its military spending and threat;
suppliers compete for that demand in a Tullock contest whose inputs are the powers'
security engagement (scaled by receptivity, alliance and forum advantages and their
export capacity) plus the installed stock (spares, training, standards: incumbency).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from polarsim.model.mechanisms.contest import tullock_shares

if TYPE_CHECKING:
    from polarsim.scenario.parameters import ContestParams, SecurityParams


def arms_demand(
    milex: np.ndarray, intensity: np.ndarray, threat: np.ndarray, prm: SecurityParams
) -> np.ndarray:
    """(S,) arms imports in USD m TIV per year."""
    return milex * intensity * (1.0 + prm.threat_weight * threat)


def contest_inputs(
    effort: np.ndarray,
    receptivity: np.ndarray,
    multiplier: np.ndarray,
    capacity: np.ndarray,
    stock: np.ndarray,
    stock_other: np.ndarray,
    demand: np.ndarray,
    prm: ContestParams,
) -> np.ndarray:
    """(S, P+1) contest inputs, the last column suppliers outside the modelled powers."""
    out = np.empty((stock.shape[0], stock.shape[1] + 1))
    incumbency = prm.security_incumbency
    np.multiply(
        multiplier * receptivity * capacity[None, :], effort + incumbency * stock, out=out[:, :-1]
    )
    np.add(incumbency * stock_other, prm.other_suppliers_weight * demand, out=out[:, -1])
    return out


def arms_won(demand: np.ndarray, inputs: np.ndarray, prm: ContestParams) -> np.ndarray:
    """(S, P+1) arms deliveries of the year won by each supplier (the last column the
    suppliers outside the modelled powers), USD m TIV: the year's demand split by the
    contest."""
    return demand[:, None] * tullock_shares(inputs, prm.decisiveness)


def step_stock(
    stock: np.ndarray,
    stock_other: np.ndarray,
    won: np.ndarray,
    bases: np.ndarray,
    guarantees: np.ndarray,
    prm: SecurityParams,
) -> tuple[np.ndarray, np.ndarray]:
    """The security stock after a year: depreciated, plus the deliveries `won`
    (arms_won) and the TIV-equivalent value of bases and guarantees."""
    keep = 1.0 - prm.depreciation
    new = keep * stock + won[:, :-1] + prm.base_value * bases + prm.guarantee_value * guarantees
    return new, keep * stock_other + won[:, -1]
