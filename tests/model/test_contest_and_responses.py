"""Mechanisms alone, on hand-made arrays."""

import numpy as np
import pytest

from polarsim.model.mechanisms import (
    coercion,
    contest,
    engagement,
    institutions,
    responses,
    security,
    trade,
)
from polarsim.scenario.parameters import (
    ContestParams,
    EngagementParams,
    ResponseParams,
    SecurityParams,
    TradeParams,
)
from tests.conftest import SCENARIOS


def test_tullock_ratio_form():
    shares = contest.tullock_shares(np.array([3.0, 1.0, 0.0]), 1.0)
    np.testing.assert_allclose(shares, [0.75, 0.25, 0.0])


def test_tullock_decisiveness_sharpens():
    soft = contest.tullock_shares(np.array([2.0, 1.0]), 1.0)
    sharp = contest.tullock_shares(np.array([2.0, 1.0]), 3.0)
    assert sharp[0] > soft[0] > 0.5


def test_tullock_empty_contest_gives_nothing():
    np.testing.assert_array_equal(contest.tullock_shares(np.zeros(3), 1.0), np.zeros(3))


def _receptivity(shares, autonomy, risk=None, memory=None):
    S, P = shares.shape[1:]
    return responses.receptivity(
        shares,
        np.zeros((S, P)),
        np.zeros((S, P)) if risk is None else risk,
        np.zeros((S, P)) if memory is None else memory,
        np.array(autonomy),
        np.ones((3, S, P)),
        ResponseParams(
            dependence_weight=1.5, lock_in_weight=2.0, risk_weight=1.0, backlash_weight=0.5
        ),
    )


def test_dominant_partner_gets_lower_receptivity():
    shares = np.zeros((3, 1, 2))
    shares[:, 0] = [0.6, 0.1]
    rho = _receptivity(shares, [0.8])
    assert (rho[:, 0, 0] < rho[:, 0, 1]).all()


def test_autonomy_preference_strengthens_hedging_discount():
    shares = np.zeros((3, 2, 2))
    shares[:, :] = [0.6, 0.1]
    rho = _receptivity(shares, [0.1, 0.9])
    ratio = rho[1, :, 0] / rho[1, :, 1]
    assert ratio[1] < ratio[0]  # the autonomy-minded state discounts its dominant partner more


def test_retaliation_risk_falls_on_rivals_of_an_exclusive_power():
    lever = np.array([[0.8, 0.1, 0.1]])  # power 0 has leverage over the state
    excl = np.array([0.9, 0.0, 0.0])
    rivalry = np.array([[0, 1.0, 0.0], [1.0, 0, 0], [0, 0, 0]])
    risk = responses.retaliation_risk(lever, excl, rivalry, np.zeros((1, 3)))
    assert risk[0, 1] > 0 and risk[0, 2] == 0 and risk[0, 0] == 0


def test_allocation_follows_value_and_welcome():
    from polarsim.model.doctrines import ConnectivityBuilder

    value = np.ones((3, 2))
    presence = np.zeros((3, 2, 1))
    welcome = np.ones((3, 2, 1))
    welcome[:, 1] = 0.25
    doc = ConnectivityBuilder
    effort = engagement.allocate(
        np.array([100.0]),
        doc.arena_split()[:, None],
        np.array([doc.contest_response]),
        value,
        presence,
        welcome,
        EngagementParams(welcome_weight=1.0),
    )
    assert effort.sum() == pytest.approx(100.0)
    assert (effort[:, 0, 0] > effort[:, 1, 0]).all()


def test_sanctions_cut_trade_with_target_more_for_states_exposed_to_imposers():
    shares = np.array([[0.5, 0.2, 0.1], [0.05, 0.2, 0.1]])  # P0 is an imposer
    on_power = np.zeros((3, 3))
    on_power[1, 0] = 0.8  # P0 sanctions P1
    f = trade.sanctions_factor(
        shares,
        on_power,
        np.zeros((2, 3)),
        TradeParams(sanctions_compliance=0.5, sanctions_busting=0.0),
    )
    assert f[0, 1] < f[1, 1] < 1.0
    assert f[0, 0] == 1.0 and f[0, 2] == 1.0


def test_trade_adjusts_partially_toward_target():
    out = trade.adjust(np.array([100.0]), np.array([200.0]), TradeParams(persistence=0.6))
    assert out[0] == pytest.approx(140.0)


def test_security_stock_goes_to_the_winner_of_the_contest():
    inputs = np.array([[3.0, 1.0, 0.0]])  # two powers and other suppliers
    won = security.arms_won(np.array([100.0]), inputs, ContestParams(decisiveness=1.0))
    np.testing.assert_allclose(won, [[75.0, 25.0, 0.0]])
    stock, other = security.step_stock(
        np.zeros((1, 2)),
        np.zeros(1),
        won,
        np.zeros((1, 2)),
        np.zeros((1, 2)),
        SecurityParams(base_value=10.0, guarantee_value=10.0, depreciation=0.1),
    )
    np.testing.assert_allclose(stock, [[75.0, 25.0]])
    assert other[0] == 0.0


def test_arms_window_shares_count_deliveries_not_bases():
    """Deliveries over the window: the observed ones of the years up to the start
    (setup.arms_years), then the model's; a base adds to the security stock but not to
    the deliveries."""
    from polarsim import load_scenario
    from polarsim.model.model import CompetitionModel

    sc = load_scenario(SCENARIOS / "historical_2010.yaml", ["time.end_year=2014"])
    m = CompetitionModel(sc, rng=1)
    while m.running:
        m.step()
    r = m.recorder
    w = r.arms_window
    shares = r.arms_window_shares(slice(0, r.last + 1))
    t = 3
    observed = m.setup.arms_years  # the years t0-w+1 .. t0, oldest first
    assert observed.shape == (w, *r.arms.shape[1:])
    np.testing.assert_allclose(observed.sum(axis=0), m.setup.initial_arms)
    window = np.sum([*observed[t:], *r.arms[1 : t + 1]], axis=0)  # years t-w+1 .. t
    np.testing.assert_allclose(shares[t], window / window.sum(axis=-1, keepdims=True))
    # the start year's window is the observed one
    start = m.setup.initial_arms
    np.testing.assert_allclose(shares[0], start / start.sum(axis=-1, keepdims=True))
    kgz, usa = m.setup.states.index("KGZ"), m.setup.powers.index("USA")
    # Manas (a US base until 2014) is in Kyrgyzstan's security stock, not in its arms
    assert r.shares[0, 2, kgz, usa] > 0.2 and shares[0, kgz, usa] < 0.01


def test_coercion_pressure_needs_rival_ties_and_exclusivity():
    lever = np.array([[0.5, 0.5]])
    composite = np.array([[0.4, 0.0]])  # the state is tied only to power 0
    rivalry = np.array([[0, 1.0], [1.0, 0]])
    p = coercion.pressure(np.array([0.9, 0.9]), lever, composite, rivalry)
    assert p[0, 1] > 0  # power 1 sees ties to its rival
    assert p[0, 0] == 0  # power 0 sees no ties to its rival
    assert coercion.pressure(np.zeros(2), lever, composite, rivalry).max() == 0


def test_customs_union_tariff_falls_on_imports():
    """A member's trade with a non-member is taxed on what it buys: a pair of exports
    only keeps its trade, a pair of imports only takes the whole wall, the union's
    leader takes the internal gain."""
    prm = TradeParams(customs_union_tariff_rise=0.1, customs_union_internal_gain=0.2)
    membership = np.array([[1.0], [0.0]])  # state 0 in the union, state 1 not
    leaders = np.array([[1.0, 0.0]])  # the union is led by power 0 (of 2)
    imports = np.array([[0.0, 1.0, 0.5], [1.0, 1.0, 1.0]])
    wall = 1.1 ** (-prm.trade_elasticity)
    f = institutions.tariff_factors(membership, leaders, prm, imports)
    np.testing.assert_allclose(f[0], [1.2, wall, 0.5 + 0.5 * wall])
    np.testing.assert_allclose(f[1], [1.0, 1.0, 1.0])
    # without directions the wall falls on all of a member's trade with non-members
    f_all = institutions.tariff_factors(membership, leaders, prm)
    np.testing.assert_allclose(f_all[0], [1.2, wall, wall])
