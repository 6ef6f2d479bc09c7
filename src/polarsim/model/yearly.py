"""Terms of each year that no draw and no decision of a run can change: strategic values,
arms demand, the gravity and remittance paths of the drivers. They are worked out once
per prepared scenario (`Setup.year_terms`) and shared by all its replicates, so a step
only indexes them.

Each term is computed with the same mechanism function and the same operands as the
step computed it before, for all years in one call where the arithmetic is elementwise,
so the values are identical to the last bit (tests/model/test_fast_paths.py). A
power of a plain number stays one per year: numpy's scalar and vectorised powers need
not agree in the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from polarsim.model.mechanisms import engagement, security, trade

if TYPE_CHECKING:
    from polarsim.model.setup import Setup


@dataclass(frozen=True)
class YearTerms:
    """Arrays with the year index first (T = len(setup.years), S states, P powers)."""

    value: np.ndarray  # (T, 3, S) strategic value of each state per arena
    arms_demand: np.ndarray  # (T, S) arms imports, USD m TIV per year
    embargo: np.ndarray  # (T, S, P) 1 - sanctions on the state by each power
    sanctions_busting: np.ndarray  # (T, P) 1 + busting x strongest sanction on each power
    capacity: np.ndarray  # (T, P) 1 - share of capacity diverted to war
    gravity_named: np.ndarray  # (T, S, P) start-year trade x partner growth and trend
    gravity_other: np.ndarray  # (T, S) start-year trade with others x their growth
    state_growth: np.ndarray  # (T, S) GDP relative to the start year
    remittances: np.ndarray  # (T, S, P) remittances before coercive cuts, USD m
    remittances_other: np.ndarray  # (T, S) remittances from other partners, USD m
    # (T, S) remittances withheld in a year without a coercive cut: the sums of
    # remittances x 0.0 the step would take (0.0 for the finite remittances of the data)
    remittances_uncut: np.ndarray
    domestic_investment: np.ndarray  # (T, S) USD bn a year added to the others' stock
    positive_rivalry: np.ndarray  # (P, P) rivalry without the alignments (clipped at 0)


def year_terms(su: Setup) -> YearTerms:
    prm = su.scenario.parameters
    d, c, ties = su.drivers, su.conditions, su.initial_ties
    T = len(su.years)
    threat = su.threat + c.unrest  # (T, S)
    value = engagement.strategic_value(
        d.gdp_state, su.endowments, su.transit, threat, prm.engagement
    )
    demand = security.arms_demand(d.milex_state, su.arms_intensity, threat, prm.security)
    # The factors of trade.gravity_targets that come before the policy factor, in its
    # order of multiplication; the remittances' growth alike.
    ratio = d.gdp_power / d.gdp_power[0]  # (T, P)
    rel, row_rel = trade.world_relative_masses(d.gdp_power, d.gdp_rest_of_world)
    mass = prm.trade.partner_mass_elasticity
    mu = prm.remittances.source_gdp_elasticity
    # The rest of the world is a number per year: its powers are scalar powers, which
    # numpy need not compute as its vectorised power does, so they stay one per year.
    row = [d.gdp_rest_of_world[t] / d.gdp_rest_of_world[0] for t in range(T)]
    remittances = ties.remittances[None] * (ratio**mu)[:, None, :]
    return YearTerms(
        value=value,
        arms_demand=demand,
        embargo=1.0 - c.sanctions_on_state,
        sanctions_busting=1.0 + prm.trade.sanctions_busting * c.sanctions_on_power.max(axis=2),
        capacity=1.0 - c.war,
        gravity_named=ties.trade[None] * (rel**mass * su.trade_trend)[:, None, :],
        gravity_other=np.array([ties.trade_other * r**mass for r in row_rel.tolist()]),
        state_growth=d.gdp_state / d.gdp_state[0],
        remittances=remittances,
        remittances_other=np.array([ties.remittances_other * r**mu for r in row]),
        remittances_uncut=(remittances * np.zeros(remittances.shape[1:])).sum(axis=2),
        domestic_investment=prm.infrastructure.domestic_investment_pct_gdp
        / 100.0
        * d.gdp_state
        / 1000.0,
        positive_rivalry=np.clip(su.relations, 0.0, None),
    )
