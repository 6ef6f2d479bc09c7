"""The step's fast paths give the numbers of the plain ones to the last bit: the terms
worked out once per scenario (YearTerms), the state gates, the project kinds drawn by
bisect, and the projects' and powers' loops against Mesa's own shuffle_do and do."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from polarsim import CompetitionModel, load_scenario
from polarsim.model.doctrines import StateGates
from polarsim.model.mechanisms import engagement, projects, security, trade
from polarsim.model.setup import prepare
from polarsim.model.synthetic import synthetic_setup
from tests.conftest import SCENARIOS


def _same_bits(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.fixture(scope="module")
def baseline():
    return prepare(load_scenario(SCENARIOS / "baseline.yaml"))


@pytest.mark.parametrize("which", ["baseline", "synthetic"])
def test_year_terms_are_the_step_formulas(which, baseline):
    su = baseline if which == "baseline" else synthetic_setup(7, 4)
    yt, d, c, prm = su.year_terms, su.drivers, su.conditions, su.scenario.parameters
    ties = su.initial_ties
    for t in range(len(su.years)):
        value = engagement.strategic_value(
            d.gdp_state[t],
            su.endowments,
            su.transit,
            su.threat + c.unrest[t],
            prm.engagement,
        )
        assert _same_bits(yt.value[t], value)
        demand = security.arms_demand(
            d.milex_state[t], su.arms_intensity, su.threat + c.unrest[t], prm.security
        )
        assert _same_bits(yt.arms_demand[t], demand)
        # gravity_targets with a policy of ones: the precomputed factors times 1
        ones = np.ones_like(ties.trade)
        masses, row_masses = trade.world_relative_masses(d.gdp_power, d.gdp_rest_of_world)
        target, other = trade.gravity_targets(
            ties.trade,
            ties.trade_other,
            masses[t],
            float(row_masses[t]),
            ones,
            np.ones_like(ties.trade_other),
            d.gdp_state[t] / d.gdp_state[0],
            su.trade_trend[t],
            prm.trade,
        )
        growth = yt.state_growth[t]
        assert _same_bits(yt.gravity_named[t] * ones * growth[:, None], target)
        assert _same_bits(yt.gravity_other[t] * 1.0 * growth, other)
        on_power = c.sanctions_on_power[t]
        named = ties.shares()[1, :, :-1]
        sanc = trade.sanctions_factor(
            named,
            on_power,
            c.sanctions_on_state[t],
            prm.trade,
        )
        fast = np.exp(-prm.trade.sanctions_compliance * (named @ on_power.T))
        assert _same_bits(fast * yt.sanctions_busting[t] * yt.embargo[t], sanc)


def _old_state_gates(security_named, openness, patron_bonus):
    """state_gates as v0.1.0 had it."""
    S, P = security_named.shape
    g = np.ones((3, S, P))
    g[2] = openness[:, None]
    if P:
        patron = np.argmax(security_named, axis=1)
        g[2, np.arange(S), patron] *= 1.0 + patron_bonus
    return g


@pytest.mark.parametrize("S,P", [(5, 5), (3, 1), (8, 11), (4, 0)])
def test_state_gates_fixed_part_once(S, P):
    rng = np.random.default_rng(S * 10 + P)
    openness, bonus = rng.uniform(0, 1, S), rng.uniform(0, 1, S)
    gates = StateGates(openness, bonus, P)
    for _ in range(5):
        shares = rng.dirichlet(np.ones(P + 1), size=S)[:, :P]
        shares[0, :2] = 0.2  # a tie for the top: the first power wins, as with argmax
        expected = _old_state_gates(shares, openness, bonus)
        assert _same_bits(gates(shares), expected)


def test_kind_drawn_by_bisect_is_the_searchsorted_kind():
    cdf = np.cumsum([0.1, 0.0, 0.25, 0.25, 0.0, 0.4])
    cdf_list = cdf.tolist()
    for seed in range(20):
        a, b = np.random.default_rng(seed), np.random.default_rng(seed)
        assert projects.draw_kind(a, cdf) == projects.draw_kind_from_list(b, cdf_list)
    # exactly on a step of the distribution
    assert int(cdf.searchsorted(cdf[2], side="right")) == projects.bisect_right(cdf_list, cdf[2])


class MesaLoops(CompetitionModel):
    """The model with Mesa's own loop over the projects: shuffle_do, every project
    drawing its own uniform when it needs one."""

    def _step_projects(self) -> None:
        self.debt_terms.clear()  # the year's bookkeeping, as the model's own loop does
        self.projects.shuffle_do("step")


def _tables(cls, setup, seed):
    m = cls(setup, rng=np.random.default_rng(seed))
    while m.running:
        m.step()
    return m.recorder.tables(m.events)


@pytest.mark.parametrize("which", ["baseline", "synthetic"])
def test_projects_step_as_shuffle_do_would(which, baseline):
    su = baseline if which == "baseline" else synthetic_setup(6, 4)
    for seed in (3, 11):
        fast, mesa_way = _tables(CompetitionModel, su, seed), _tables(MesaLoops, su, seed)
        for name in ("states", "system", "events"):
            pd.testing.assert_frame_equal(fast[name], mesa_way[name], check_exact=True)
        assert (fast["events"]["kind"] == "project_operating").any()


def test_median_of_the_numbers_is_numpys_nanmedian():
    """The trend's median (mechanisms/trade.nan_median_columns) is np.nanmedian's, bit
    for bit, with odd and even counts, ties and missing values."""
    rng = np.random.default_rng(3)
    for trial in range(3000):
        x = rng.normal(size=(int(rng.integers(1, 12)), int(rng.integers(1, 6))))
        x *= 10.0 ** rng.uniform(-5, 2)
        if trial % 3 == 0:
            x = np.round(x, 1)  # equal values
        x[rng.random(x.shape) < 0.4] = np.nan
        x = x[:, ~np.isnan(x).all(axis=0)]
        assert _same_bits(trade.nan_median_columns(x), np.nanmedian(x, axis=0))
