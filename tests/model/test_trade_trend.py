"""The residual trade trend: measured on the observed years before the start, carried
forward with a damped horizon (mechanisms/trade.py, setup.trade_trend_factors)."""

import numpy as np
import pytest

from polarsim import data, load_scenario
from polarsim.model.mechanisms.trade import damped_horizon, residual_trends
from polarsim.model.setup import (
    _drivers_then,
    observed_trade_shares,
    prepare,
    trade_trend_factors,
)
from polarsim.scenario.parameters import TradeParams
from tests.conftest import SCENARIOS


def test_residual_trend_by_hand():
    # Two states, two powers. Power 0's economy doubles (mass ratio 2 at elasticity 1),
    # power 1's and the rest's stay the same.
    then = np.array([[0.2, 0.3], [0.1, np.nan]])
    now = np.array([[0.4, 0.3], [0.1, np.nan]])
    g = residual_trends(
        then, now, np.array([2.0, 1.0]), 1.0, years=2, prm=TradeParams(trend_min_share=0.01)
    )
    # implied log change for power 0 in state 0: log 2 - log(0.2*2 + 0.3 + 0.5) = log(2/1.2)
    # observed: log 2; excess per year: (log 2 - log(2/1.2)) / 2 = log(1.2) / 2
    s0 = np.log(1.2) / 2
    # state 1: implied log(2 / (0.2 + 0.9)), observed 0
    s1 = -np.log(2 / 1.1) / 2
    assert g[0] == pytest.approx(np.median([s0, s1]))
    # power 1 in state 0: observed 0, implied log(1 / 1.2)
    assert g[1] == pytest.approx(np.log(1.2) / 2)


def test_small_or_missing_shares_give_no_trend():
    then = np.array([[0.001, np.nan]])
    now = np.array([[0.2, np.nan]])
    g = residual_trends(
        then, now, np.array([1.0, 1.0]), 1.0, years=5, prm=TradeParams(trend_min_share=0.005)
    )
    assert g.tolist() == [0.0, 0.0]


def test_damped_horizon():
    h = damped_horizon(5, 1.0)
    assert h.tolist() == pytest.approx([0.0, 0.5, 0.75, 0.875, 0.9375])
    phi = 0.5 ** (1 / 3)
    assert damped_horizon(100, 3.0)[-1] < phi / (1 - phi)
    assert damped_horizon(4, 0.0).tolist() == [0.0] * 4


@pytest.mark.parametrize(
    "overrides",
    [["parameters.trade.trend_weight=0"], ["time.start_year=2001"]],
)
def test_no_trend_without_weight_or_window(overrides):
    su = prepare(load_scenario(SCENARIOS / "historical.yaml", overrides))
    assert np.all(su.trade_trend == 1.0)


def test_trend_starts_at_one_and_levels_off():
    su = prepare(load_scenario(SCENARIOS / "baseline.yaml"))
    f = su.trade_trend
    assert np.all(f[0] == 1.0)
    growth = np.abs(np.log(f[1:]) - np.log(f[:-1]))
    assert np.all(growth[-1] < growth[0] + 1e-12)
    assert growth[-1].max() < 1e-3  # damped out by 2050


def test_a_project_opened_in_the_start_year_keeps_ramping():
    from polarsim.model.model import CompetitionModel

    scenario = load_scenario(SCENARIOS / "historical_2010.yaml")  # Line B opened in 2010
    model = CompetitionModel(scenario, rng=np.random.default_rng(0))
    s, p = model.setup.states.index("TKM"), model.setup.powers.index("CHN")
    observed = model.ties.values[1, s, p]
    pf = model.project_flows
    assert pf.opened.tolist() == [0]  # opened in the start year
    column, price = pf.values[0], pf.price[0]
    assert column[s, p] > 0
    # ramp_years = 2: half of Line B's capacity is in the 2010 data already; the gravity
    # part holds the rest of the observed trade, and the start year reproduces the data.
    in_use = 0.5 * model.setup.conditions.price[0, price] * column[s, p]
    assert model.gravity[s, p] == pytest.approx(observed - in_use)
    assert model.recorder.trade[0, s, p] == pytest.approx(observed)
    model.step()
    assert model.project_flows.opened[0] == 0


def test_the_gravity_targets_grow_from_the_gravity_part_not_the_whole_flow():
    """The part of a ramping project's flow already in the data is carried by its row:
    the gravity targets grow from what is left (setup.start_gravity). Grown from the
    whole start-year flow, the gravity part climbed back to it, and with the project's
    full flow on top Line B's first half was counted twice (TKM-CHN, from 2010)."""
    from polarsim.model.model import CompetitionModel

    scenario = load_scenario(SCENARIOS / "historical_2010.yaml")
    model = CompetitionModel(scenario, rng=np.random.default_rng(0))
    su = model.setup
    s, p = su.states.index("TKM"), su.powers.index("CHN")
    # in the start year every growth factor is 1: the targets are the gravity part itself
    assert np.all(su.trade_trend[0] == 1.0)
    np.testing.assert_array_equal(model.year_terms.gravity_named[0], model.gravity[:, :-1])
    np.testing.assert_array_equal(model.year_terms.gravity_other[0], model.gravity[:, -1])
    assert model.gravity[s, p] < su.initial_ties.trade[s, p]  # the ramping share is out
    # elsewhere (no project ramping) the gravity part is the data
    others = np.ones(su.initial_ties.trade.shape, bool)
    others[s, p] = False
    np.testing.assert_array_equal(model.gravity[:, :-1][others], su.initial_ties.trade[others])
    # a start without a ramping project keeps the data as its gravity part
    assert prepare(load_scenario(SCENARIOS / "historical.yaml")).gravity_start is None


def test_synthetic_setups_run():
    from polarsim.model.model import CompetitionModel
    from polarsim.model.synthetic import synthetic_setup

    model = CompetitionModel(synthetic_setup(7, 3, years=4), rng=np.random.default_rng(0))
    while model.running:
        model.step()
    assert model.recorder.last == len(model.setup.years) - 1


def test_project_flows_grow_past_their_buffer():
    from polarsim.model.flows import ProjectFlows

    pf = ProjectFlows(2, 3, capacity=1)
    pf.add(np.array([1.0, 2.0]), partner=0, price=1, opened=0)
    pf.add(np.array([3.0, 0.0]), partner=-1, price=4, opened=5)
    assert len(pf) == 2 and pf.values.shape == (2, 2, 3)
    assert pf.values[0, :, 0].tolist() == [1.0, 2.0] and pf.values[1, :, 2].tolist() == [3.0, 0.0]
    assert pf.values[1, :, :2].sum() == 0.0
    assert pf.price.tolist() == [1, 4] and pf.opened.tolist() == [0, 5]


def test_a_partner_growing_with_the_world_keeps_its_mass():
    from polarsim.model.mechanisms.trade import world_relative_masses

    gdp_power = np.array([[100.0, 50.0], [200.0, 50.0]])  # the first doubles, the second not
    rest = np.array([50.0, 100.0])  # the rest of the world doubles
    masses, row = world_relative_masses(gdp_power, rest)
    world = 350.0 / 200.0
    np.testing.assert_allclose(masses[1], [2.0 / world, 1.0 / world])
    np.testing.assert_allclose(row, [1.0, 2.0 / world])
    # powers and the rest growing alike: every mass stays 1, openness where it was
    grown = gdp_power[[0, 0]] * [[1.0], [3.0]]
    same, same_row = world_relative_masses(grown, rest[[0, 0]] * [1.0, 3.0])
    np.testing.assert_allclose(same[1], [1.0, 1.0])
    np.testing.assert_allclose(same_row[1], 1.0)


def test_the_window_reads_both_ends_on_the_start_years_basis():
    """Kazakhstan's 2010 row is recommended on the mirror basis, its 2005 and 2015 rows
    on its own customs figures: a trend across 2010 must read both ends on one basis,
    or the basis break counts as a trend (the mirror basis shows far more trade with
    China)."""

    def row(basis: str, year: int) -> list[float]:
        t = data.load_trade_shares(basis)
        t = t[(t["state"] == "KAZ") & (t["year"] == year)].groupby("partner")["share"].sum()
        return [float(t.get(p, 0.0)) for p in s.powers]

    s = load_scenario(SCENARIOS / "historical.yaml")
    kaz = list(s.states).index("KAZ")
    assert observed_trade_shares(s, 2010)[kaz].tolist() == row("mirror", 2010)
    assert observed_trade_shares(s, 2010, basis_of=2015)[kaz].tolist() == row("reporter", 2010)
    assert observed_trade_shares(s, 2005, basis_of=2010)[kaz].tolist() == row("mirror", 2005)
    # the other states' basis does not change across 2010
    others = [i for i in range(len(s.states)) if i != kaz]
    np.testing.assert_array_equal(
        observed_trade_shares(s, 2010, basis_of=2015)[others],
        observed_trade_shares(s, 2010)[others],
    )
    # the factors are those of the trend measured on one basis
    su = prepare(s)
    prm = s.parameters.trade
    then = observed_trade_shares(s, 2010)
    then[kaz] = row("reporter", 2010)
    assert prm.trend_window_years == 5 and s.time.start_year == 2015
    old = _drivers_then(s, 2010, 2015)
    eps = prm.partner_mass_elasticity
    g = residual_trends(
        then,
        observed_trade_shares(s, 2015),
        (old.gdp_power[-1] / old.gdp_power[0]) ** eps,
        float(old.gdp_rest_of_world[-1] / old.gdp_rest_of_world[0]) ** eps,
        years=5,
        prm=prm,
    )
    horizon = damped_horizon(len(s.years), prm.trend_halflife_years)
    np.testing.assert_allclose(
        trade_trend_factors(s, su.drivers), np.exp(prm.trend_weight * g[None, :] * horizon[:, None])
    )
