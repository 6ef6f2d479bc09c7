"""Security ties: arms deliveries won in a contest, bases and guarantees, as a stock.

Each year a state imports arms in proportion to its military spending and threat;
suppliers compete for that demand in a Tullock contest whose inputs are the powers'
security engagement (scaled by receptivity, alliance and forum advantages and their
export capacity) plus the installed stock (spares, training, standards: incumbency).

The contest is anchored on the observed suppliers (`contest.security_anchor`): each
supplier's inputs are weighted so that the reference year's inputs give the observed
shares of the start window, and a supplier's share then moves with the change of its
inputs since that year (effort, receptivity, embargo, stock). Who supplies whom also
rests on what the inputs do not hold (prices, standards, politics, credit); the
plain contest, which has none of it, moved the deliveries away from the observed
suppliers within a few years (docs/validation.md, "Arms-supplier shares").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from polarsim.model.mechanisms.arrays import ZERO, all_positive
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
    other_demand: np.ndarray | None = None,
) -> np.ndarray:
    """(S, P+1) contest inputs, the last column suppliers outside the modelled powers.
    `other_demand`: prm.other_suppliers_weight * demand, if worked out already;
    capacity (P,) or repeated over the states (S, P) (the same products)."""
    out = np.empty((stock.shape[0], stock.shape[1] + 1))
    incumbency = prm.security_incumbency
    np.multiply(multiplier * receptivity * capacity, effort + incumbency * stock, out=out[:, :-1])
    if other_demand is None:
        other_demand = prm.other_suppliers_weight * demand
    np.add(incumbency * stock_other, other_demand, out=out[:, -1])
    return out


#: Receptivity below which the anchor divides by this instead (a closed gate, receptivity
#: 0, leaves the supplier without inputs anyway; the floor only avoids 0 / 0).
RECEPTIVITY_FLOOR = 1e-9


def anchor_weights(
    observed: np.ndarray,
    reference: np.ndarray,
    receptivity: np.ndarray,
    prm: ContestParams,
) -> np.ndarray:
    """(S, P+1) suppliers' weights in the anchored contest, from the observed deliveries
    of the start window `observed` (S, P+1), USD m TIV, the contest inputs of the
    reference year `reference` (S, P+1) and the states' security receptivity in it
    (S, P).

    The anchor holds the share `security_receptivity_anchor` (g) of the reference
    year's receptivity: its inputs are taken as `reference / receptivity^(1 - g)`. With
    g = 1 receptivity moves the shares only through its change since the reference
    year; with g = 0 through its level, so a state pulls away from a supplier it
    depends on (and toward the others) from the first year on.

    Anchored shares are w_k (x_k / x_k,ref)^r / sum_j w_j (x_j / x_j,ref)^r, a Tullock
    contest with supplier-specific productivities b_k = w_k / x_k,ref^r (Skaperdas 1996
    allows them). The target shares w blend the observed shares (weight a =
    `security_anchor`) with the plain contest's shares of the reference year (1 - a): a
    = 1 reproduces the observed shares in the reference year, a = 0 is the plain contest
    (b_k the same for every supplier). A state without observed deliveries, or a
    supplier without reference inputs, competes as in the plain contest."""
    held = np.ones(reference.shape)
    held[:, :-1] = np.power(
        np.maximum(receptivity, RECEPTIVITY_FLOOR), 1.0 - prm.security_receptivity_anchor
    )
    powered = np.power(np.maximum(reference / held, 0.0), prm.decisiveness)
    total = powered.sum(axis=1, keepdims=True)
    plain = np.divide(1.0, total, out=np.ones_like(total), where=total > 0)
    plain = np.broadcast_to(plain, powered.shape)
    delivered = observed.sum(axis=1, keepdims=True)
    shares = np.divide(observed, delivered, out=np.zeros(observed.shape), where=delivered > 0)
    a = prm.security_anchor * (delivered > 0)
    target = a * shares + (1.0 - a) * powered * plain
    return np.divide(target, powered, out=plain.copy(), where=powered > 0)


def arms_won(
    demand: np.ndarray,
    inputs: np.ndarray,
    prm: ContestParams,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """(S, P+1) arms deliveries of the year won by each supplier (the last column the
    suppliers outside the modelled powers), USD m TIV: the year's demand split by the
    contest, with suppliers' productivities `weights` (anchor_weights; None: equal)."""
    if weights is None:
        return demand[:, None] * tullock_shares(inputs, prm.decisiveness)
    powered = weights * np.power(np.maximum(inputs, ZERO), prm.decisiveness)
    total = np.add.reduce(powered, axis=1, keepdims=True)  # .sum, without its wrapper
    if all_positive(total):
        shares = powered / total  # the masked division's quotients, every total positive
    else:
        shares = np.divide(powered, total, out=np.zeros(powered.shape), where=total > 0)
    return demand[:, None] * shares


def step_stock(
    stock: np.ndarray,
    stock_other: np.ndarray,
    won: np.ndarray,
    bases: np.ndarray,
    guarantees: np.ndarray,
    prm: SecurityParams,
    guarantee_value: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The security stock after a year: depreciated, plus the deliveries `won`
    (arms_won) and the TIV-equivalent value of bases and guarantees
    (`guarantee_value`: prm.guarantee_value * guarantees, if worked out already)."""
    keep = 1.0 - prm.depreciation
    if guarantee_value is None:
        guarantee_value = prm.guarantee_value * guarantees
    new = keep * stock + won[:, :-1] + prm.base_value * bases + guarantee_value
    return new, keep * stock_other + won[:, -1]


def step_stock_in_place(
    values: np.ndarray,
    won: np.ndarray,
    bases: np.ndarray,
    prm: SecurityParams,
    guarantee_value: np.ndarray,
) -> None:
    """step_stock on the security ties `values` (S, P+1), the other suppliers last, in
    place: the same products and sums in the same order (keep x stock is stock x keep;
    the deliveries of every supplier in one addition), in five array calls instead of
    eleven and no copies back into the ties."""
    np.multiply(values, 1.0 - prm.depreciation, out=values)
    values += won
    named = values[:, :-1]
    named += prm.base_value * bases
    named += guarantee_value
