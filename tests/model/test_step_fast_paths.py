"""The yearly step's fast paths give the plain formulas' numbers to the last bit: the
operands repeated over the powers or states (YearTerms *_wide), the security stock
stepped in place, the helpers of mechanisms/arrays.py and the rules' optional
pre-broadcast arguments."""

from __future__ import annotations

import numpy as np
import pytest

from polarsim.model.doctrines import INSTRUMENTS, allocation_weights
from polarsim.model.mechanisms import coercion, engagement, responses, security
from polarsim.model.mechanisms.arrays import all_positive, clip_unit
from polarsim.model.synthetic import synthetic_setup
from polarsim.scenario.parameters import ContestParams, EngagementParams, SecurityParams
from tests.model.conftest import same_bits


@pytest.mark.parametrize("which", ["baseline", "synthetic"])
def test_wide_year_terms_repeat_the_terms(which, baseline):
    su = baseline if which == "baseline" else synthetic_setup(7, 4)
    yt, S, P = su.year_terms, len(su.states), len(su.powers)
    gdp = su.drivers.gdp_state
    for t in range(len(su.years)):
        assert same_bits(yt.gdp_state_wide[t], np.broadcast_to(gdp[t][:, None], (S, P)))
        assert same_bits(
            yt.state_growth_wide[t], np.broadcast_to(yt.state_growth[t][:, None], (S, P))
        )
        assert same_bits(
            yt.sanctions_busting_wide[t], np.broadcast_to(yt.sanctions_busting[t], (S, P))
        )
        assert same_bits(yt.remittance_values[t, :, :-1], yt.remittances[t])
        assert same_bits(yt.remittance_values[t, :, -1], yt.remittances_other[t])
        assert same_bits(yt.value_wide[t], np.broadcast_to(yt.value[t][:, :, None], (3, S, P)))
        assert same_bits(yt.capacity_wide[t], np.broadcast_to(yt.capacity[t], (S, P)))
    assert same_bits(yt.contest_response_wide, np.broadcast_to(su.contest_response, (3, S, P)))


def _arrays(seed: int, S: int = 5, P: int = 4):
    rng = np.random.default_rng(seed)
    return rng, S, P


@pytest.mark.parametrize("seed", range(20))
def test_division_by_gdp_repeated_is_the_broadcast_one(seed):
    rng, S, P = _arrays(seed)
    composite, remit = rng.random((S, P)), rng.random((S, P)) * 1e3
    gdp = rng.random(S) * 1e4 + 1.0
    wide = np.repeat(gdp[:, None], P, axis=1)
    plain = responses.leverage(composite, remit, gdp)
    assert same_bits(responses.leverage(composite, remit, gdp, gdp_by_power=wide), plain)


@pytest.mark.parametrize("seed", range(20))
def test_allocation_with_operands_repeated_is_the_plain_one(seed):
    rng, S, P = _arrays(seed)
    budget, split = rng.random(P) * 1e3, rng.dirichlet(np.ones(3), size=P).T
    response, value = rng.random(P), rng.random((3, S))
    presence, welcome = rng.random((3, S, P)), rng.random((3, S, P))
    if seed % 4 == 0:
        value[1, :] = 0.0  # an arena no state is worth anything in: the masked division
    for weight in (1.0, 0.5):
        prm = EngagementParams(welcome_weight=weight)
        plain = engagement.allocate(budget, split, response, value, presence, welcome, prm)
        ab = engagement.arena_budgets(split, budget)
        fast = engagement.allocate(
            budget,
            split,
            np.broadcast_to(response, (3, S, P)).copy(),
            value,
            presence,
            welcome,
            prm,
            arena_budget=np.repeat(ab, S, axis=1),
            value_by_power=np.repeat(value[:, :, None], P, axis=2),
        )
        assert same_bits(fast, plain)


@pytest.mark.parametrize("seed", range(20))
def test_security_stock_in_place_is_step_stock(seed):
    rng, S, P = _arrays(seed)
    prm = SecurityParams()
    values = rng.random((S, P + 1)) * 100.0
    won = rng.random((S, P + 1)) * 10.0
    bases = (rng.random((S, P)) < 0.3).astype(float)
    guarantees = (rng.random((S, P)) < 0.3).astype(float)
    gv = prm.guarantee_value * guarantees
    new, other = security.step_stock(
        values[:, :-1].copy(), values[:, -1].copy(), won, bases, guarantees, prm
    )
    security.step_stock_in_place(values, won, bases, prm, gv)
    assert same_bits(values[:, :-1], new)
    assert same_bits(values[:, -1], other)


@pytest.mark.parametrize("seed", range(20))
def test_contest_inputs_with_capacity_repeated(seed):
    rng, S, P = _arrays(seed)
    prm = ContestParams()
    args = dict(
        effort=rng.random((S, P)) * 50,
        receptivity=rng.random((S, P)),
        multiplier=1.0 + rng.random((S, P)),
        stock=rng.random((S, P)) * 100,
        stock_other=rng.random(S) * 100,
        demand=rng.random(S) * 300,
        prm=prm,
    )
    capacity = rng.random(P)
    plain = security.contest_inputs(capacity=capacity, **args)
    fast = security.contest_inputs(capacity=np.repeat(capacity[None], S, axis=0), **args)
    assert same_bits(fast, plain)


def test_all_positive_is_all_of_the_comparison():
    cases = [
        np.array([1.0, 2.0]),
        np.array([1.0, 0.0]),
        np.array([1.0, -0.0]),
        np.array([1.0, -3.0]),
        np.array([np.nan, 1.0]),
        np.array([np.inf, 1.0]),
        np.ones((3, 4, 1)),
    ]
    for a in cases:
        assert bool(all_positive(a)) == bool((a > 0).all())


@pytest.mark.parametrize("seed", range(10))
def test_clip_unit_is_np_clip(seed):
    a = np.random.default_rng(seed).normal(0.5, 1.0, size=(3, 5, 4))
    a[0, 0, 0], a[0, 0, 1], a[0, 0, 2] = np.nan, -0.0, np.inf
    assert same_bits(clip_unit(a), np.clip(a, 0.0, 1.0))
    out = np.empty_like(a)
    assert same_bits(clip_unit(a, out=out), np.clip(a, 0.0, 1.0))


@pytest.mark.parametrize("seed", range(10))
def test_allocation_weights_fallback_masks_as_before(seed):
    rng = np.random.default_rng(seed)
    value, presence, welcome = rng.random((3, 5, 1)), rng.random((3, 5, 4)), rng.random((3, 5, 4))
    welcome[1] = 0.0  # nothing to allocate in one arena
    w = allocation_weights(value, presence, welcome, rng.random(4))
    assert np.all(w[1] == 0.0)
    assert np.allclose(w[[0, 2]].sum(axis=1), 1.0)


@pytest.mark.parametrize("seed", range(10))
def test_allocation_weights_are_the_formula(seed):
    rng = np.random.default_rng(seed)
    value, presence, welcome = rng.random((3, 5, 1)), rng.random((3, 5, 4)), rng.random((3, 5, 4))
    response = rng.random(4)
    w = value * (1.0 + response * presence) * welcome
    plain = w / w.sum(axis=1, keepdims=True)
    assert same_bits(allocation_weights(value, presence, welcome, response), plain)


@pytest.mark.parametrize("seed", range(40))
def test_strongest_instrument_is_the_max_of_instrument_leverage(seed):
    rng = np.random.default_rng(seed)
    S, P = 4, 3
    shares = rng.random((3, S, P + 1))
    if seed % 3 == 0:  # equal leverages: the first in instrument_leverage's order wins
        shares[2] = shares[1]
    if seed % 5 == 0:
        shares[:, :, 0] = 0.0  # no leverage at all through the shares
    remittances = rng.random((S, P)) * 100 * (seed % 2)
    debt = rng.random((S, P)) * (seed % 4 != 1)
    gdp = rng.random(S) * 1e4 + 10.0
    for instruments in [
        INSTRUMENTS,
        ("market_access",),
        ("debt", "market_access"),
        ("market_access", "protection"),
        ("remittances", "transit", "protection", "market_access"),
    ]:
        for p in range(P):
            for s in range(S):
                lev = coercion.instrument_leverage(p, s, shares, remittances, debt, gdp)
                usable = {k: v for k, v in lev.items() if k in instruments and v > 0}
                plain = max(usable, key=usable.get) if usable else None
                fast = coercion.strongest_instrument(
                    p, s, instruments, shares, remittances, debt, gdp
                )
                assert fast == plain


@pytest.mark.parametrize("seed", range(10))
def test_receptivity_with_autonomy_repeated(seed, baseline):
    rng = np.random.default_rng(seed)
    S, P = 5, 4
    args = dict(
        named_shares=rng.random((3, S, P)) / 2,
        lock_in=rng.random((S, P)),
        risk=rng.random((S, P)),
        memory=rng.random((S, P)),
        autonomy=rng.random(S),
        gates=rng.random((3, S, P)),
        prm=baseline.scenario.parameters.responses,
    )
    wide = np.broadcast_to(args["autonomy"][:, None], (3, S, P)).copy()
    plain = responses.receptivity(**args)
    assert same_bits(responses.receptivity(**args, autonomy_wide=wide), plain)
    yt = baseline.year_terms
    assert same_bits(yt.autonomy_wide, np.broadcast_to(baseline.autonomy[:, None], (3, 5, 5)))


@pytest.mark.parametrize("seed", range(10))
def test_state_gates_kept_per_patrons_are_the_built_ones(seed):
    """StateGates returns the gates it kept for the same main security partners: the
    same numbers as gates built afresh, read-only (a caller cannot change the kept ones)."""
    from polarsim.model.doctrines import StateGates

    rng = np.random.default_rng(seed)
    S, P = 5, 4
    openness, bonus = rng.random(S), rng.random(S)
    kept = StateGates(openness, bonus, P)
    for _ in range(5):
        security = rng.random((S, P))
        gates = kept(security)
        assert not gates.flags.writeable
        assert same_bits(gates, StateGates(openness, bonus, P)(security))
        assert same_bits(kept(security.copy()), gates)
