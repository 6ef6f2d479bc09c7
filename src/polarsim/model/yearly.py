"""Terms of each year that no draw and no decision of a run can change: strategic values,
arms demand, the gravity and remittance paths of the drivers. They are worked out once
per prepared scenario (`Setup.year_terms`) and shared by all its replicates, so a step
only indexes them.

Each term is computed year by year with the same mechanism function and the same
operands as the step computed it before, so the values are identical to the last bit
(numpy's vectorised exp and power need not agree with their one-element forms, so the
shapes of the calls are kept as well).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from polarsim.model.mechanisms import engagement, security

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
    domestic_investment: np.ndarray  # (T, S) USD bn a year added to the others' stock
    positive_rivalry: np.ndarray  # (P, P) rivalry without the alignments (clipped at 0)


def year_terms(su: Setup) -> YearTerms:
    prm = su.scenario.parameters
    d, c, ties = su.drivers, su.conditions, su.initial_ties
    T = len(su.years)
    value, demand, gravity, gravity_other, rem, rem_other, invest = ([] for _ in range(7))
    power0, row0, state0 = d.gdp_power[0], d.gdp_rest_of_world[0], d.gdp_state[0]
    mass = prm.trade.partner_mass_elasticity
    mu = prm.remittances.source_gdp_elasticity
    for t in range(T):
        gdp_state, gdp_power, row = d.gdp_state[t], d.gdp_power[t], d.gdp_rest_of_world[t]
        value.append(
            engagement.strategic_value(
                gdp_state,
                su.endowments,
                su.transit,
                su.threat + c.unrest[t],
                prm.engagement.state_mass_elasticity,
                prm.engagement.endowment_weight,
            )
        )
        demand.append(
            security.arms_demand(
                d.milex_state[t],
                su.arms_intensity,
                su.threat + c.unrest[t],
                prm.security.threat_weight,
            )
        )
        # The factors of trade.gravity_targets that come before the policy factor, in
        # its order of multiplication.
        ratio = gdp_power / power0
        gravity.append(ties.trade * (ratio**mass * su.trade_trend[t])[None, :])
        gravity_other.append(ties.trade_other * (row / row0) ** mass)
        rem.append(ties.remittances * (ratio**mu)[None, :])
        rem_other.append(ties.remittances_other * (row / row0) ** mu)
        invest.append(prm.infrastructure.domestic_investment_pct_gdp / 100.0 * gdp_state / 1000.0)
    S, P = len(su.states), len(su.powers)
    return YearTerms(
        value=np.array(value).reshape(T, 3, S),
        arms_demand=np.array(demand).reshape(T, S),
        embargo=1.0 - c.sanctions_on_state,
        sanctions_busting=1.0 + prm.trade.sanctions_busting * c.sanctions_on_power.max(axis=2),
        capacity=1.0 - c.war,
        gravity_named=np.array(gravity).reshape(T, S, P),
        gravity_other=np.array(gravity_other).reshape(T, S),
        state_growth=d.gdp_state / state0,
        remittances=np.array(rem).reshape(T, S, P),
        remittances_other=np.array(rem_other).reshape(T, S),
        domestic_investment=np.array(invest).reshape(T, S),
        positive_rivalry=np.clip(su.relations, 0.0, None),
    )
