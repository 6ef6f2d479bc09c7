"""Infrastructure projects: proposals by powers, commissioning effects on the ties.

The life cycle itself (proposed -> accepted or refused -> under construction ->
operating or stalled) lives in the project pipeline (model/pipeline.py); this module holds
the arithmetic it calls.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from polarsim.scenario.events import COMMODITIES, PROJECT_KINDS

if TYPE_CHECKING:
    from polarsim.scenario.parameters import InfrastructureParams

#: commodity whose price moves the trade a project carries (None: goods at fixed value)
KIND_COMMODITY = {
    "gas_pipeline": "gas",
    "oil_pipeline": "oil",
    "power_line": "electricity",
    "hydropower": "electricity",
}


@cache  # a handful of kinds, asked for at every commissioning
def price_index(kind: str) -> int:
    """Which commodity price moves a project's trade (the last index: none, fixed value)."""
    commodity = KIND_COMMODITY.get(kind)
    return COMMODITIES.index(commodity) if commodity else len(COMMODITIES)


def proposal_counts(
    rng: np.random.Generator,
    infra_effort: np.ndarray,
    price_scale: float,
    prm: InfrastructureParams,
) -> np.ndarray:
    """(S, P) number of projects each power proposes to each state this year; the mean
    cost of a project moves with `price_scale` (nominal prices relative to the start)."""
    mean_cost_usd_bn = prm.mean_cost_usd_bn * price_scale
    lam = prm.proposal_rate * infra_effort / (mean_cost_usd_bn * 1000.0)
    return rng.poisson(lam)


def kind_weights(
    preferences: dict[str, float],
    hydrocarbons: float,
    hydro: float,
    transit: float,
    power_line_hydro_weight: float,
) -> np.ndarray:
    """Probabilities over PROJECT_KINDS: the sponsor's preference x the host's fit (a
    power line's fit: `infrastructure.power_line_hydro_weight` of it from the host's
    hydro endowment, the rest whatever the host)."""
    w_hydro = power_line_hydro_weight
    fit = {
        "gas_pipeline": hydrocarbons,
        "oil_pipeline": hydrocarbons,
        "hydropower": hydro,
        "power_line": (1.0 - w_hydro) + w_hydro * hydro,
        "railway": transit,
        "road": transit,
        "corridor": transit,
        "dry_port": transit,
    }
    w = np.array([preferences.get(k, 0.0) * fit[k] for k in PROJECT_KINDS])
    total = w.sum()
    return w / total if total > 0 else np.full(len(PROJECT_KINDS), 1.0 / len(PROJECT_KINDS))


def draw_kind(rng: np.random.Generator, cdf: np.ndarray) -> int:
    """Index of a project kind drawn from a cumulative distribution."""
    return min(int(cdf.searchsorted(rng.random(), side="right")), len(cdf) - 1)


def draw_kind_from_list(rng: np.random.Generator, cdf: list[float]) -> int:
    """`draw_kind` with the distribution as a list of floats: bisect_right finds the
    index searchsorted(side="right") finds, without an array call per project."""
    return min(bisect_right(cdf, rng.random()), len(cdf) - 1)


def kind_cdf(
    doctrines, endowments: np.ndarray, transit: np.ndarray, power_line_hydro_weight: float
) -> np.ndarray:
    """(P, S, K) cumulative kind probabilities for each sponsor and host."""
    return np.array(
        [
            [
                np.cumsum(kind_weights(d.project_kinds, e[0], e[2], t, power_line_hydro_weight))
                for e, t in zip(endowments, transit, strict=True)
            ]
            for d in doctrines
        ]
    )


def lognormal_cost(rng: np.random.Generator, mean: float) -> float:
    """Cost with mean `mean` and standard deviation `mean` (a right-skewed size
    distribution)."""
    return float(rng.lognormal(lognormal_mu(mean), LOGNORMAL_SIGMA))


_SIGMA2 = float(np.log(2.0))  # log(1 + cv^2) with a coefficient of variation of 1

#: the sigma of every project cost's lognormal (`lognormal_mu` gives its mu)
LOGNORMAL_SIGMA = float(np.sqrt(_SIGMA2))


def lognormal_mu(mean: float) -> float:
    """The mu of `lognormal_cost`'s lognormal for a mean cost `mean` (its sigma:
    LOGNORMAL_SIGMA), worked out once for the many projects a power proposes a year at
    the same mean."""
    return float(np.log(mean)) - _SIGMA2 / 2.0


def acceptance_probability(
    receptivity: float, debt_to_gdp: float, prm: InfrastructureParams
) -> float:
    return receptivity * float(np.exp(-prm.debt_aversion * debt_to_gdp))
