"""Synthetic set-ups of any size (S states x P powers), for benchmarks of how the cost
of a step grows. No bundled data: drivers and initial ties are drawn from a seeded
generator; parameters are the schema defaults."""

from __future__ import annotations

import dataclasses

import numpy as np

from polarsim.model.conditions import Conditions
from polarsim.model.doctrines import POWER_DOCTRINES, STATE_DOCTRINES
from polarsim.model.drivers import Drivers
from polarsim.model.mechanisms.projects import kind_cdf
from polarsim.model.setup import Setup
from polarsim.model.ties import Ties
from polarsim.scenario import build_scenario
from polarsim.scenario.events import COMMODITIES


def synthetic_setup(n_states: int, n_powers: int, years: int = 45, seed: int = 0) -> Setup:
    """S states and P powers over `years` years after 2005, drawn from `seed`."""
    rng = np.random.default_rng(seed)
    S, P, T = n_states, n_powers, years + 1
    base = build_scenario(
        {"name": f"synthetic-{S}x{P}", "time": {"start_year": 2005, "end_year": 2005 + years}}
    )
    powers = [f"P{i:02d}" for i in range(P)]
    states = [f"S{i:02d}" for i in range(S)]
    growth = np.cumprod(1.0 + rng.normal(0.05, 0.03, size=(T, S + P + 1)), axis=0)
    gdp_state = rng.lognormal(10, 1, S) * growth[:, :S]
    gdp_power = rng.lognormal(14, 1, P) * growth[:, S : S + P]
    relations = rng.uniform(-0.3, 1.0, (P, P))
    relations = np.triu(relations, 1) + np.triu(relations, 1).T

    ties = _ties(rng, gdp_state[0], P)
    milex, population = gdp_state * 0.02, gdp_state * 10.0
    rest_of_world = growth[:, -1] * gdp_power[0].sum() * 3
    drivers = Drivers(gdp_state, gdp_power, milex, population, rest_of_world, {})
    institutions = ["ALLIANCE", "UNION", "FORUM"]
    doctrines = [list(POWER_DOCTRINES.values())[i % len(POWER_DOCTRINES)] for i in range(P)]
    endowments = rng.uniform(0, 1, (S, 3))
    transit = rng.uniform(0, 1, S)
    member = rng.random((S, 3)) < 0.4
    return dataclasses.replace(
        _template(base),
        scenario=base,
        scenario_hash=f"synthetic-{S}x{P}-{seed}",
        years=np.arange(2005, 2005 + T),
        powers=powers,
        states=states,
        institutions=institutions,
        institution_kinds=["alliance", "customs_union", "forum"],
        institution_sponsors=[[0], [0], [min(1, P - 1)]],
        power_doctrines=doctrines,
        state_doctrines=[
            list(STATE_DOCTRINES.values())[i % len(STATE_DOCTRINES)] for i in range(S)
        ],
        relations=relations,
        budget_pct=rng.uniform(0.005, 0.3, P),
        exclusivity=rng.uniform(0, 1, P),
        loan_share=rng.uniform(0, 1, P),
        autonomy=rng.uniform(0, 1, S),
        endowments=endowments,
        transit=transit,
        threat=rng.uniform(0, 1, S),
        arms_intensity=np.full(S, 0.05),
        kind_cdf=kind_cdf(
            doctrines,
            endowments,
            transit,
            base.parameters.infrastructure.power_line_hydro_weight,
        ),
        drivers=drivers,
        conditions=_no_events(T, S, P),
        initial_ties=ties,
        initial_membership=member,
        initial_bases=rng.random((S, P)) < 0.05,
        initial_projects=[],
        timeline={},
        trade_trend=np.ones((T, P)),  # no observed window for invented actors
        initial_arms=np.column_stack([ties.security, ties.security_other]),  # as if delivered
    )


def _ties(rng: np.random.Generator, gdp: np.ndarray, P: int) -> Ties:
    """Start-year ties of S states with P powers and the others, random splits of
    totals proportional to the states' GDP (USD m; infrastructure USD bn)."""
    S = len(gdp)

    def split(total: np.ndarray, other_share: float) -> tuple[np.ndarray, np.ndarray]:
        w = rng.dirichlet(np.ones(P + 1), size=S)
        w[:, -1] += other_share
        w /= w.sum(axis=1, keepdims=True)
        return total[:, None] * w[:, :-1], total * w[:, -1]

    trade, trade_other = split(gdp * 0.6, 0.3)
    infra, infra_other = split(gdp / 1000 * 0.3, 0.2)
    sec, sec_other = split(np.full(S, 200.0), 0.1)
    rem, rem_other = split(gdp * 0.05, 0.2)
    return Ties(
        trade=trade,
        trade_other=trade_other,
        infra=infra,
        infra_other=infra_other,
        debt=infra * 0.3,
        security=sec,
        security_other=sec_other,
        remittances=rem,
        remittances_other=rem_other,
    )


def _no_events(T: int, S: int, P: int) -> Conditions:
    """Conditions of a timeline without events: no sanctions, war or unrest, budgets
    and prices at their start values."""
    zeros = np.zeros((T, P))
    return Conditions(
        zeros,
        np.zeros((T, P, P)),
        np.zeros((T, S, P)),
        zeros.copy(),
        np.ones((T, P)),
        np.ones((T, len(COMMODITIES))),
        np.zeros((T, S)),
    )


def _template(scenario) -> Setup:
    """A Setup with every field present, to be replaced field by field."""
    fields = {f.name: None for f in dataclasses.fields(Setup)}
    fields["scenario"] = scenario
    return Setup(**fields)
