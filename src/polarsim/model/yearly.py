"""Terms of each year that no draw and no decision of a run can change: strategic values,
arms demand, the gravity and remittance paths of the drivers. They are worked out once
per prepared scenario (`Setup.year_terms`) and shared by all its replicates, so a step
only indexes them; each part is shared too by the set-ups whose inputs to it are equal
(`Setup.shared`), as the design points of a sweep over parameters it does not read.

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
    gravity_named: np.ndarray  # (T, S, P) start-year gravity part x partner growth, trend
    gravity_other: np.ndarray  # (T, S) start-year gravity part with others x their growth
    state_growth: np.ndarray  # (T, S) GDP relative to the start year
    remittances: np.ndarray  # (T, S, P) remittances before coercive cuts, USD m
    remittances_other: np.ndarray  # (T, S) remittances from other partners, USD m
    # (T, S) remittances withheld in a year without a coercive cut: the sums of
    # remittances x 0.0 the step would take (0.0 for the finite remittances of the data)
    remittances_uncut: np.ndarray
    domestic_investment: np.ndarray  # (T, S) USD bn a year added to the others' stock
    positive_rivalry: np.ndarray  # (P, P) rivalry without the alignments (clipped at 0)
    # The same numbers repeated over the powers (the step's operands at full shape: an
    # operation that broadcasts a (S,) or (P,) operand over a (S, P) array costs about
    # twice the one on two arrays of one shape, for the same quotients and products).
    gdp_state_wide: np.ndarray  # (T, S, P) drivers.gdp_state
    state_growth_wide: np.ndarray  # (T, S, P) state_growth
    sanctions_busting_wide: np.ndarray  # (T, S, P) sanctions_busting
    # (T, S, P+1) remittances, then remittances_other: the ties' remittance values of
    # a year without a coercive cut, in one array
    remittance_values: np.ndarray
    value_wide: np.ndarray  # (T, 3, S, P) value
    capacity_wide: np.ndarray  # (T, S, P) capacity
    contest_response_wide: np.ndarray  # (3, S, P) the powers' doctrines' contest_response
    autonomy_wide: np.ndarray  # (3, S, P) the states' autonomy preference


#: The arrays the arms demand reads (with security.threat_weight): the security
#: contest's memo reads them through it (Setup.security_memo).
DEMAND_ARRAYS = ("drivers.milex_state", "arms_intensity", "threat", "conditions.unrest")


def year_terms(su: Setup) -> YearTerms:
    """The terms, each part shared (`Setup.shared`) by the set-ups with the same inputs
    to it: a design over the trade elasticity recomputes the gravity part alone."""
    prm = su.scenario.parameters
    parts = (
        (
            "value",
            (
                prm.engagement.state_mass_elasticity,
                prm.engagement.endowment_weight,
                len(su.powers),  # of value_wide
            ),
            ("drivers.gdp_state", "endowments", "transit", "threat", "conditions.unrest"),
            _value,
        ),
        ("demand", (prm.security.threat_weight,), DEMAND_ARRAYS, _demand),
        (
            "conditions",
            (prm.trade.sanctions_busting,),
            ("conditions.sanctions_on_state", "conditions.sanctions_on_power", "conditions.war"),
            _conditions,
        ),
        (
            "gravity",
            (prm.trade.partner_mass_elasticity,),
            (
                "gravity0",
                "drivers.gdp_power",
                "drivers.gdp_rest_of_world",
                "trade_trend",
            ),
            _gravity,
        ),
        (
            "growth",
            (prm.infrastructure.domestic_investment_pct_gdp,),
            ("drivers.gdp_state",),
            _growth,
        ),
        (
            "remittances",
            (prm.remittances.source_gdp_elasticity,),
            (
                "years",
                "initial_ties.remittances",
                "initial_ties.remittances_other",
                "drivers.gdp_power",
                "drivers.gdp_rest_of_world",
            ),
            _remittances,
        ),
        ("rivalry", (), ("relations",), _rivalry),
        ("wide", (len(su.powers),), ("drivers.gdp_state",), _wide),
        ("response", (len(su.states),), ("contest_response",), _response),
        ("autonomy", (len(su.powers),), ("autonomy",), _autonomy),
    )
    terms: dict[str, np.ndarray] = {}
    for name, values, arrays, build in parts:
        terms.update(su.shared(f"year_terms.{name}", values, arrays, lambda b=build: b(su)))
    return YearTerms(**terms)


def _value(su: Setup) -> dict[str, np.ndarray]:
    threat = su.threat + su.conditions.unrest  # (T, S)
    value = engagement.strategic_value(
        su.drivers.gdp_state, su.endowments, su.transit, threat, su.scenario.parameters.engagement
    )
    return {"value": value, "value_wide": np.repeat(value[..., None], len(su.powers), axis=-1)}


def _demand(su: Setup) -> dict[str, np.ndarray]:
    threat = su.threat + su.conditions.unrest  # (T, S)
    prm = su.scenario.parameters.security
    return {
        "arms_demand": security.arms_demand(su.drivers.milex_state, su.arms_intensity, threat, prm)
    }


def _conditions(su: Setup) -> dict[str, np.ndarray]:
    c, busting = su.conditions, su.scenario.parameters.trade.sanctions_busting
    sanctions_busting = 1.0 + busting * c.sanctions_on_power.max(axis=2)
    capacity = 1.0 - c.war
    S = c.sanctions_on_state.shape[1]  # (its content is in the part's key: so is S)
    return {
        "embargo": 1.0 - c.sanctions_on_state,
        "sanctions_busting": sanctions_busting,
        "capacity": capacity,
        "sanctions_busting_wide": np.repeat(sanctions_busting[:, None, :], S, axis=1),
        "capacity_wide": np.repeat(capacity[:, None, :], S, axis=1),
    }


def _gravity(su: Setup) -> dict[str, np.ndarray]:
    # The factors of trade.gravity_targets that come before the policy factor, in its
    # order of multiplication.
    # From the gravity part of the start year's trade (Setup.gravity0: without the share
    # of a project still ramping up, which its own flow carries).
    d, start = su.drivers, su.gravity0
    named, other = start[:, :-1], start[:, -1]
    rel, row_rel = trade.world_relative_masses(d.gdp_power, d.gdp_rest_of_world)
    mass = su.scenario.parameters.trade.partner_mass_elasticity
    # The rest of the world is a number per year: its powers are scalar powers, which
    # numpy need not compute as its vectorised power does, so they stay one per year.
    return {
        "gravity_named": named[None] * (rel**mass * su.trade_trend)[:, None, :],
        "gravity_other": np.array([other * r**mass for r in row_rel.tolist()]),
    }


def _growth(su: Setup) -> dict[str, np.ndarray]:
    d, pct = su.drivers, su.scenario.parameters.infrastructure.domestic_investment_pct_gdp
    return {
        "state_growth": d.gdp_state / d.gdp_state[0],
        "domestic_investment": pct / 100.0 * d.gdp_state / 1000.0,
    }


def _remittances(su: Setup) -> dict[str, np.ndarray]:
    # The remittances grow with the sources' GDP as trade.gravity_targets' factors do,
    # the rest of the world's a scalar power a year (_gravity).
    d, ties, T = su.drivers, su.initial_ties, len(su.years)
    mu = su.scenario.parameters.remittances.source_gdp_elasticity
    ratio = d.gdp_power / d.gdp_power[0]  # (T, P)
    row = [d.gdp_rest_of_world[t] / d.gdp_rest_of_world[0] for t in range(T)]
    remittances = ties.remittances[None] * (ratio**mu)[:, None, :]
    other = np.array([ties.remittances_other * r**mu for r in row])
    return {
        "remittances": remittances,
        "remittances_other": other,
        "remittances_uncut": (remittances * np.zeros(remittances.shape[1:])).sum(axis=2),
        "remittance_values": np.concatenate([remittances, other[:, :, None]], axis=2),
    }


def _wide(su: Setup) -> dict[str, np.ndarray]:
    gdp, P = su.drivers.gdp_state, len(su.powers)
    return {
        "gdp_state_wide": np.repeat(gdp[:, :, None], P, axis=2),
        "state_growth_wide": np.repeat((gdp / gdp[0])[:, :, None], P, axis=2),
    }


def _response(su: Setup) -> dict[str, np.ndarray]:
    S, P = len(su.states), len(su.powers)
    return {"contest_response_wide": np.broadcast_to(su.contest_response, (3, S, P)).copy()}


def _autonomy(su: Setup) -> dict[str, np.ndarray]:
    S, P = len(su.autonomy), len(su.powers)
    return {"autonomy_wide": np.broadcast_to(su.autonomy[:, None], (3, S, P)).copy()}


def _rivalry(su: Setup) -> dict[str, np.ndarray]:
    return {"positive_rivalry": np.clip(su.relations, 0.0, None)}
