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

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from polarsim.scenario.parameters import TradeParams


def sanctions_factor(
    trade_shares_named: np.ndarray,
    on_power: np.ndarray,
    on_state: np.ndarray,
    prm: TradeParams,
) -> np.ndarray:
    """(S, P) multiplier of trade with each power from sanctions in force.

    A state trades less with a sanctioned power the more it trades with the imposers
    (secondary-sanction risk), and more if it busts the sanctions; a sanctioned state
    trades less with the imposers."""
    # exposure[s, target] = sum over imposers q of intensity[target, q] * share[s, q]
    exposure = trade_shares_named @ on_power.T
    intensity = on_power.max(axis=1)[None, :]
    f = np.exp(-prm.sanctions_compliance * exposure) * (1.0 + prm.sanctions_busting * intensity)
    return f * (1.0 - on_state)


def world_relative_masses(
    gdp_power: np.ndarray, gdp_rest_of_world: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(T, P) and (T,): each power's and the rest of the world's GDP relative to the
    start year and to the world's (the powers and the rest), the masses of
    `gravity_targets`. Dividing by the world's growth is the multilateral resistance of
    gravity (Anderson & van Wincoop 2003): a partner growing as fast as the world leaves
    a state's openness where it was, as the observed openness of 2005-2015 stayed or
    fell while the partners grew."""
    world = gdp_power.sum(axis=1) + gdp_rest_of_world
    world_ratio = world / world[0]
    power = gdp_power / gdp_power[0] / world_ratio[:, None]
    row = gdp_rest_of_world / gdp_rest_of_world[0] / world_ratio
    return power, row


def gravity_targets(
    base_gravity: np.ndarray,
    base_gravity_other: np.ndarray,
    gdp_power_ratio: np.ndarray,
    row_ratio: float,
    policy: np.ndarray,
    policy_other: np.ndarray,
    state_growth: np.ndarray,
    trend: np.ndarray,
    prm: TradeParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Gravity targets (S, P) and (S,) in USD m: start-year flows scaled by the growth of
    both economies (the partners' relative to the world's, `world_relative_masses`; the
    state's own elasticity is 1: its size moves all partners alike), by each power's
    carried-over residual trend (P,) and by policy factors relative to the start year."""
    mass_elasticity = prm.partner_mass_elasticity
    target = base_gravity * (gdp_power_ratio**mass_elasticity * trend)[None, :] * policy
    other = base_gravity_other * row_ratio**mass_elasticity * policy_other
    return target * state_growth[:, None], other * state_growth


def flow_value(capacity, kind: str, prm: TradeParams):
    """Trade value per year (USD m) a project's capacity carries at full use: capacity x
    value_per_unit x utilisation of its kind (an array of the hosts' capacities, or one
    host's as a float)."""
    return capacity * prm.value_per_unit[kind] * prm.utilisation[kind]


def ramp(years_operating: np.ndarray, prm: TradeParams) -> np.ndarray:
    """Share of a project's capacity in use in its n-th year of operation (n >= 1)."""
    return np.minimum(1.0, years_operating / prm.ramp_years)


def adjust(flow: np.ndarray, target: np.ndarray, prm: TradeParams) -> np.ndarray:
    """Partial adjustment toward the target (keeps zeros possible, unlike log form)."""
    persistence = prm.persistence
    return persistence * flow + (1.0 - persistence) * target


def residual_trends(
    share_then: np.ndarray,
    share_now: np.ndarray,
    mass_ratio: np.ndarray,
    other_ratio: float,
    *,
    years: int,
    prm: TradeParams,
) -> np.ndarray:
    """(P,) log points a year by which each power's observed trade shares grew beyond
    what gravity on GDP implies: the median over states of observed minus implied log
    share growth, over the `years` before the start.

    share_then, share_now: (S, P) observed shares (NaN where not observed); mass_ratio
    (P,) and other_ratio: partner GDP growth over the window raised to the mass
    elasticity. A pair whose share is below `prm.trend_min_share` at either end is left out (its
    log change is noise). Without a usable pair a power's trend is 0."""
    then = np.nan_to_num(share_then)
    other = np.clip(1.0 - then.sum(axis=1), 0.0, None)
    implied = np.log(mass_ratio[None, :]) - np.log(then @ mass_ratio + other * other_ratio)[:, None]
    min_share = prm.trend_min_share
    ok = (share_then >= min_share) & (share_now >= min_share)
    observed = np.log(np.where(ok, share_now, 1.0) / np.where(ok, share_then, 1.0))
    excess = np.where(ok, observed - implied, np.nan) / years
    out = np.zeros(share_then.shape[1])
    usable = ok.any(axis=0)
    out[usable] = nan_median_columns(excess[:, usable])
    return out


def nan_median_columns(x: np.ndarray) -> np.ndarray:
    """`np.nanmedian(x, axis=0)` for a small (S, P) array whose every column holds a
    number: the middle of the column's numbers in order, or the two middle ones added
    and halved, as numpy computes them (the same values to the last bit), without
    numpy's masked arrays, which cost more than the rest of a design point's trend."""
    out = []
    for column in x.T.tolist():
        values = sorted(v for v in column if v == v)  # NaN is the one value != itself
        if 0.0 in values:  # 0.0 and -0.0 sort as equals: which one numpy picks is its own
            return np.nanmedian(x, axis=0)
        mid = len(values) // 2
        out.append(values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2)
    return np.array(out, dtype=float)


def damped_horizon(n_years: int, halflife: float) -> np.ndarray:
    """(n_years,) years of trend carried by year t after the start: sum of phi^i for
    i = 1..t with phi = 0.5^(1/halflife), a damped trend (Gardner & McKenzie 1985) that
    adds at most phi / (1 - phi) years however long the run."""
    if halflife <= 0:
        return np.zeros(n_years)
    phi = 0.5 ** (1.0 / halflife)
    return np.concatenate([[0.0], np.cumsum(phi ** np.arange(1, n_years))])
