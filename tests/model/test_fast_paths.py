"""The step's fast paths give the numbers of the plain ones to the last bit: the terms
worked out once per scenario (YearTerms), the state gates, the project kinds drawn by
bisect, the memos shared by replicates (the projects' loop: test_pipeline.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from polarsim import CompetitionModel
from polarsim.model.doctrines import StateGates
from polarsim.model.mechanisms import engagement, projects, security, trade
from polarsim.model.synthetic import synthetic_setup
from tests.model.conftest import same_bits


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
        assert same_bits(yt.value[t], value)
        demand = security.arms_demand(
            d.milex_state[t], su.arms_intensity, su.threat + c.unrest[t], prm.security
        )
        assert same_bits(yt.arms_demand[t], demand)
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
        assert same_bits(yt.gravity_named[t] * ones * growth[:, None], target)
        assert same_bits(yt.gravity_other[t] * 1.0 * growth, other)
        on_power = c.sanctions_on_power[t]
        named = ties.shares()[1, :, :-1]
        sanc = trade.sanctions_factor(
            named,
            on_power,
            c.sanctions_on_state[t],
            prm.trade,
        )
        fast = np.exp(-prm.trade.sanctions_compliance * (named @ on_power.T))
        assert same_bits(fast * yt.sanctions_busting[t] * yt.embargo[t], sanc)


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
        assert same_bits(gates(shares), expected)


def test_kind_drawn_by_bisect_is_the_searchsorted_kind():
    cdf = np.cumsum([0.1, 0.0, 0.25, 0.25, 0.0, 0.4])
    cdf_list = cdf.tolist()
    for seed in range(20):
        a, b = np.random.default_rng(seed), np.random.default_rng(seed)
        assert projects.draw_kind(a, cdf) == projects.draw_kind_from_list(b, cdf_list)
    # exactly on a step of the distribution
    assert int(cdf.searchsorted(cdf[2], side="right")) == projects.bisect_right(cdf_list, cdf[2])


def _tables(cls, setup, seed):
    m = cls(setup, rng=np.random.default_rng(seed))
    while m.running:
        m.step()
    return m.recorder.tables(m.events)


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
        assert same_bits(trade.nan_median_columns(x), np.nanmedian(x, axis=0))


# ----- the speed work of issue 13: each fast path against the plain computation -------


def test_replicates_sharing_memos_equal_fresh_set_ups(baseline):
    """Runs that reuse the memos their set-up filled (budgets, security terms,
    institutions) give the tables of runs on a fresh copy of the set-up."""
    import dataclasses

    for setup in (baseline, synthetic_setup(6, 4)):
        _tables(CompetitionModel, setup, 1)  # fills the memos
        for seed in (2, 9):
            shared = _tables(CompetitionModel, setup, seed)
            fresh = _tables(CompetitionModel, dataclasses.replace(setup), seed)
            for name in ("states", "system", "events"):
                pd.testing.assert_frame_equal(shared[name], fresh[name], check_exact=True)


def test_events_frame_is_pandas_frame():
    """The events' text columns taken straight to Arrow give pandas' own frame, with
    missing values, and frame's general path for values that are not strings."""
    from polarsim.model.recorder import EVENT_COLUMNS, events_frame

    rows = [
        (0, 2016, "coercion", "RUS", "KAZ", "transit", 1.0),
        (0, 2017, "project_proposed", "CHN", "KGZ+TJK", "x (road)", 2.5),
        (1, 2018, "unrest", "", None, "<b>", 0.5),
    ]
    for events in (rows, [*rows, (1, 2019, "odd", 5, "KAZ", "d", 0.0)], []):
        expected = pd.DataFrame(
            {
                name: np.array(col, dtype=dtype)
                for name, col, dtype in zip(
                    EVENT_COLUMNS,
                    list(zip(*events, strict=True)) if events else [()] * 7,
                    (np.int64, np.int64, object, object, object, object, np.float64),
                    strict=True,
                )
            }
        )
        pd.testing.assert_frame_equal(events_frame(events), expected, check_exact=True)


def test_frames_do_not_share_their_columns():
    """frame() builds the columns' Index once per set of names; renaming one frame's
    columns leaves the other frames' alone."""
    from polarsim.model.recorder import frame

    cols = {"a": np.arange(3.0), "b": np.arange(3)}
    one, two = frame(dict(cols)), frame(dict(cols))
    pd.testing.assert_frame_equal(one, pd.DataFrame(cols), check_exact=True)
    one.columns.name = "renamed"
    assert two.columns.name is None


@pytest.mark.parametrize("seed", range(4))
def test_in_place_mechanisms_are_the_formulas(seed):
    """receptivity, allocation_weights and the arms contest with their products in place
    (and the unmasked divisions) against the formulas as written before."""
    from polarsim.model.doctrines import allocation_weights
    from polarsim.model.mechanisms import responses
    from polarsim.scenario.parameters import Parameters

    rng = np.random.default_rng(seed)
    prm = Parameters()
    S, P = 5, 4
    named, gates = rng.random((3, S, P)), rng.random((3, S, P))
    lock_in, risk, memory = rng.random((S, P)), rng.random((S, P)), rng.random((S, P))
    autonomy = rng.random(S)
    r = prm.responses
    cost = (
        autonomy[None, :, None]
        * (
            r.dependence_weight * 2.0 * named
            + r.lock_in_weight * lock_in[None]
            + r.backlash_weight * memory[None]
        )
        + r.risk_weight * risk[None]
    )
    expected = np.clip(gates * np.exp(-cost), 0.0, 1.0)
    got = responses.receptivity(named, lock_in, risk, memory, autonomy, gates, r)
    assert same_bits(got, expected)

    value, presence, welcome = rng.random((3, S, 1)), rng.random((3, S, P)), rng.random((3, S, P))
    response = rng.random(P)
    if seed % 2:
        welcome[:, :, 1] = 0.0  # a power nobody welcomes: its totals are 0
    w = value * (1.0 + response * presence) * welcome
    total = w.sum(axis=1, keepdims=True)
    expected = np.divide(w, total, out=np.zeros(w.shape), where=total > 0)
    assert same_bits(allocation_weights(value, presence, welcome, response), expected)

    inputs, weights = rng.random((S, P + 1)), rng.random((S, P + 1))
    if seed % 2:
        inputs[2] = 0.0  # a state without any supplier's inputs
    demand = rng.random(S)
    powered = weights * np.power(np.maximum(inputs, 0.0), prm.contest.decisiveness)
    total = powered.sum(axis=1, keepdims=True)
    expected = demand[:, None] * np.divide(
        powered, total, out=np.zeros(powered.shape), where=total > 0
    )
    assert same_bits(security.arms_won(demand, inputs, prm.contest, weights), expected)


def test_uncut_remittances_are_the_step_sums(baseline):
    """YearTerms.remittances_uncut: the sums of remittances x a cut of 0.0, as the step
    took them every year without a coercive cut."""
    yt = baseline.year_terms
    for t in range(len(baseline.years)):
        cut = np.zeros(yt.remittances[t].shape)
        assert same_bits(yt.remittances_uncut[t], (yt.remittances[t] * cut).sum(axis=1))
