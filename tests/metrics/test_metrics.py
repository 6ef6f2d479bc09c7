"""Autonomy metrics: hand-computed values, an independent brute force for the landscape,
and range properties on random shares."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from polarsim.metrics import (
    autonomy_index,
    concentration,
    effective_partners,
    hedging_index,
    hhi,
    landscape,
    landscape_series,
    n_spheres,
    normalized_entropy,
    pole_matrix,
    set_partitions,
    top_gap,
    top_partner,
    top_share,
    vulnerability,
)

POWERS = ["CHN", "RUS", "USA", "EU", "TUR"]
POLES = {"Russia": ["RUS"], "China": ["CHN"], "West": ["USA", "EU"]}

# --------------------------------------------------------------------------- concentration


def test_hhi_and_effective_partners_hand_values():
    s = np.array([0.5, 0.3, 0.2])
    assert hhi(s) == pytest.approx(0.38)
    assert effective_partners(s) == pytest.approx(1 / 0.38)
    assert hhi(np.ones(4) / 4) == pytest.approx(0.25)
    assert effective_partners(np.array([1.0, 0.0, 0.0])) == pytest.approx(1.0)


def test_normalized_entropy_hand_values():
    assert normalized_entropy(np.ones(5) / 5) == pytest.approx(1.0)
    assert normalized_entropy(np.array([1.0, 0.0, 0.0])) == 0.0
    # [.5, .5, 0] over K = 3: ln 2 / ln 3
    assert normalized_entropy(np.array([0.5, 0.5, 0.0])) == pytest.approx(math.log(2) / math.log(3))


def test_concentration_hand_values():
    assert concentration(np.array([0.5, 0.3, 0.2])) == pytest.approx(0.265, abs=1e-3)
    assert concentration(np.array([0.5, 0.3, 0.2])) == pytest.approx(math.sqrt(0.07))
    assert concentration(np.ones(4) / 4) == pytest.approx(0.0, abs=1e-7)
    assert concentration(np.array([1.0, 0.0, 0.0])) == pytest.approx(1.0)


def test_concentration_metrics_broadcast_over_leading_axes():
    rng = np.random.default_rng(3)
    shares = rng.dirichlet(np.ones(6), size=(3, 5))  # (arena, state, K) as in Ties.shares()
    for f in (hhi, effective_partners, normalized_entropy, concentration):
        batch = f(shares)
        assert batch.shape == (3, 5)
        rows = np.array([[f(shares[a, s]) for s in range(5)] for a in range(3)])
        np.testing.assert_allclose(batch, rows)


def test_inputs_are_not_modified():
    shares = np.array([[0.5, 0.3, 0.2], [0.0, 0.0, 1.0]])
    trade = np.array([200.0, 50.0])
    before = shares.copy(), trade.copy()
    for f in (hhi, normalized_entropy, concentration, top_gap):
        f(shares)
    hedging_index(shares, pole_matrix(["CHN", "RUS", "USA"], POLES))
    vulnerability(trade, np.array([100.0, 0.0]), 1000.0, 0.5)
    np.testing.assert_array_equal(shares, before[0])
    np.testing.assert_array_equal(trade, before[1])


# --------------------------------------------------------------------------- top partner


def test_top_share_gap_partner():
    named = np.array([[0.2, 0.5, 0.1], [0.3, 0.3, 0.1], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(top_share(named), [0.5, 0.3, 0.0])
    np.testing.assert_allclose(top_gap(named), [0.3, 0.0, 0.0])
    np.testing.assert_array_equal(top_partner(named), [1, 0, 0])  # first on ties


def test_top_gap_single_power_is_zero():
    np.testing.assert_array_equal(top_gap(np.array([[0.7], [0.2]])), [0.0, 0.0])


# --------------------------------------------------------------------------- hedging


def test_pole_matrix_ignores_unknown_codes_and_drops_empty_poles():
    m = pole_matrix(
        ["CHN", "USA", "TUR"], {"Russia": ["RUS"], "China": ["CHN"], "West": ["USA", "EU"]}
    )
    np.testing.assert_array_equal(m, [[1, 0, 0], [0, 1, 0]])
    assert m.dtype == float
    assert pole_matrix(POWERS, {"none": ["XXX"]}).shape == (0, 5)


def test_hedging_balanced_aligned_isolated():
    pm = pole_matrix(POWERS, POLES)
    assert pm.shape == (3, 5)
    balanced = np.array([0.3, 0.3, 0.15, 0.15, 0.0])  # T = 0.9, each pole 1/3
    assert hedging_index(balanced, pm) == pytest.approx(0.9)
    aligned = np.array([0.9, 0.0, 0.0, 0.0, 0.0])
    assert hedging_index(aligned, pm) == pytest.approx(0.0, abs=1e-12)
    assert hedging_index(np.zeros(5), pm) == 0.0


def test_hedging_intermediate_hand_value():
    # T = 0.9; pole shares China 4/9, Russia 2/9, West 2/9 (TUR 0.1 counts in T only).
    # sum |q - 1/3| = 1/3, D = (1/3) / (2 * 2/3) = 1/4, H = 0.9 * 0.75 = 0.675.
    named = np.array([0.4, 0.2, 0.1, 0.1, 0.1])
    assert hedging_index(named, pole_matrix(POWERS, POLES)) == pytest.approx(0.675)


def test_hedging_fewer_than_two_poles_is_zero():
    named = np.array([[0.4, 0.2, 0.1, 0.1, 0.1], [0.2, 0.2, 0.2, 0.2, 0.2]])
    one_pole = pole_matrix(POWERS, {"West": ["USA", "EU"]})
    np.testing.assert_array_equal(hedging_index(named, one_pole), [0.0, 0.0])


def test_hedging_broadcasts():
    pm = pole_matrix(POWERS, POLES)
    named = np.array([[0.3, 0.3, 0.15, 0.15, 0.0], [0.4, 0.2, 0.1, 0.1, 0.1], np.zeros(5)])
    np.testing.assert_allclose(hedging_index(named, pm), [0.9, 0.675, 0.0])


# --------------------------------------------------------------------------- vulnerability


def test_vulnerability_hand_case():
    # (200 * (1 - 0.5) + 100) / 1000 = 0.2 for power 0; (50 * 0.5 + 0) / 1000 for power 1
    value, partner = vulnerability(np.array([200.0, 50.0]), np.array([100.0, 0.0]), 1000.0, 0.5)
    assert value == pytest.approx(0.2)
    assert partner == 0
    value, partner = vulnerability(np.array([50.0, 200.0]), np.array([0.0, 100.0]), 1000.0, 0.5)
    assert value == pytest.approx(0.2)
    assert partner == 1


def test_vulnerability_gdp_not_positive_and_clip():
    trade = np.array([[200.0, 50.0], [200.0, 50.0], [5000.0, 0.0]])
    rem = np.array([[100.0, 0.0], [100.0, 0.0], [0.0, 0.0]])
    value, partner = vulnerability(trade, rem, np.array([0.0, -5.0, 1000.0]), 0.0)
    np.testing.assert_allclose(value, [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(partner, [0, 0, 0])
    value, _ = vulnerability(trade, rem, np.array([1000.0, 3000.0, 1e6]), 1.0)
    np.testing.assert_allclose(value, [0.1, 100 / 3000, 0.0])


# --------------------------------------------------------------------------- composite


def test_autonomy_index_value_and_weight_forms():
    expected = 0.4 * 0.5 + 0.3 * 0.2 + 0.3 * (1 - 0.1)
    assert autonomy_index(0.5, 0.2, 0.1, (0.4, 0.3, 0.3)) == pytest.approx(expected)
    assert autonomy_index(0.5, 0.2, 0.1, {"w_div": 0.4, "w_hedge": 0.3, "w_vul": 0.3}) == (
        pytest.approx(expected)
    )
    metrics_params = {
        "weight_diversification": 0.4,
        "weight_hedging": 0.3,
        "weight_invulnerability": 0.3,
        "substitution": 0.5,  # other parameters.metrics fields are ignored
    }
    assert autonomy_index(0.5, 0.2, 0.1, metrics_params) == pytest.approx(expected)
    out = autonomy_index(
        np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.array([0.0, 1.0]), [0.4, 0.3, 0.3]
    )
    np.testing.assert_allclose(out, [1.0, 0.0])


@pytest.mark.parametrize(
    "weights",
    [
        (0.4, 0.3, 0.2),  # sums to 0.9
        (0.5, 0.5, 0.5),
        (1.2, -0.2, 0.0),  # sums to 1 but negative
        (0.5, 0.5),
        (0.25, 0.25, 0.25, 0.25, 0.0),  # five weights
        (float("nan"), 0.5, 0.5),
        {"w_div": 0.5, "w_hedge": 0.5},  # missing w_vul
        {"w_div": 0.4, "diversification": 0.4, "w_hedge": 0.3, "w_vul": 0.3},  # ambiguous
    ],
)
def test_autonomy_index_rejects_bad_weights(weights):
    with pytest.raises(ValueError):
        autonomy_index(0.5, 0.5, 0.5, weights)


def test_autonomy_index_accepts_sum_within_tolerance():
    autonomy_index(0.5, 0.5, 0.5, (0.4, 0.3, 0.3 + 5e-10))
    autonomy_index(0.5, 0.5, 0.5, (1.0, 0.0, 0.0))


# --------------------------------------------------------------------------- spheres


def test_n_spheres():
    composite = np.array(
        [
            [0.5, 0.3, 0.2],
            [0.6, 0.1, 0.3],
            [0.2, 0.45, 0.35],
            [0.35, 0.33, 0.32],  # top share below 0.4: non-aligned
        ]
    )
    assert n_spheres(composite, 0.4) == 2
    assert n_spheres(composite, 0.55) == 1
    assert n_spheres(composite, 0.7) == 0
    assert n_spheres(composite[[3]], 0.3) == 1
    assert n_spheres(np.array([[0.3, 0.3, 0.1]]), 0.3) == 1  # tie: first power only
    batch = n_spheres(np.stack([composite, composite[:, ::-1]]), 0.4)
    np.testing.assert_array_equal(batch, [2, 2])
    assert isinstance(n_spheres(composite, 0.4), int)


# --------------------------------------------------------------------------- set partitions

BELL = [1, 2, 5, 15, 52, 203, 877, 4140]


@pytest.mark.parametrize("n", range(1, 9))
def test_set_partitions_bell_and_restricted_growth(n):
    parts = set_partitions(n)
    assert parts.shape == (BELL[n - 1], n)
    assert np.issubdtype(parts.dtype, np.integer)
    assert np.all(parts[:, 0] == 0)
    prefix_max = np.maximum.accumulate(parts, axis=1)
    assert np.all(parts[:, 1:] <= prefix_max[:, :-1] + 1)
    assert len({tuple(r) for r in parts.tolist()}) == len(parts)
    assert [tuple(r) for r in parts.tolist()] == sorted(tuple(r) for r in parts.tolist())


def _canonical(labels):
    seen: dict[int, int] = {}
    return tuple(seen.setdefault(x, len(seen)) for x in labels)


@pytest.mark.parametrize("n", range(1, 7))
def test_set_partitions_matches_brute_force(n):
    brute = {_canonical(lab) for lab in itertools.product(range(n), repeat=n)}
    assert {tuple(r) for r in set_partitions(n).tolist()} == brute


def test_set_partitions_cached_and_read_only():
    a = set_partitions(5)
    assert a is set_partitions(5)
    with pytest.raises(ValueError):
        a[0, 0] = 3
    with pytest.raises(ValueError):
        set_partitions(-1)


# --------------------------------------------------------------------------- landscape


def _energy(affinity, relation, power_bloc, state_bloc):
    """Energy of a full configuration, summed pair by pair (independent of the module)."""
    p_n, s_n = len(power_bloc), len(state_bloc)
    e = 0.0
    for i in range(p_n):
        for j in range(i + 1, p_n):
            e += -relation[i, j] * (power_bloc[i] != power_bloc[j])
    for s in range(s_n):
        for k in range(p_n):
            e += affinity[s, k] * (state_bloc[s] != power_bloc[k])
    return e


def _brute_min_energy(affinity, relation):
    """Minimum over every labelling of powers and states (states only in power blocs)."""
    p_n, s_n = relation.shape[0], affinity.shape[0]
    best = math.inf
    for pb in itertools.product(range(p_n), repeat=p_n):
        for sb in itertools.product(sorted(set(pb)), repeat=s_n):
            best = min(best, _energy(affinity, relation, pb, sb))
    return best


def _random_case(rng, p_n, s_n):
    aff = rng.dirichlet(np.ones(p_n + 1), size=s_n)[:, :p_n] if s_n else np.zeros((0, p_n))
    rel = rng.uniform(-1, 1, (p_n, p_n))
    return aff, (rel + rel.T) / 2


@pytest.mark.parametrize("p_n", [2, 3, 5, 6, 9])
def test_landscape_series_is_landscape_year_by_year_to_the_last_bit(p_n):
    rng = np.random.default_rng(p_n)
    years = np.stack([_random_case(rng, p_n, 5)[0] for _ in range(7)])
    years[3] = 0.0  # a year without ties
    rel = _random_case(rng, p_n, 0)[1]
    energy, frustration, n_blocs = landscape_series(years, rel, exact_max=8)
    for t, aff in enumerate(years):
        e, f, n, _, _ = landscape(aff, rel, exact_max=8)
        assert energy[t].tobytes() == np.float64(e).tobytes()
        assert frustration[t].tobytes() == np.float64(f).tobytes()
        assert n_blocs[t] == n
    assert n_blocs.dtype == np.int64


def test_landscape_two_rivals_no_frustration():
    rel = np.array([[0.0, 1.0], [1.0, 0.0]])
    aff = np.array([[1.0, 0.0], [0.0, 1.0]])
    energy, frustration, n_blocs, power_bloc, state_bloc = landscape(aff, rel)
    assert energy == pytest.approx(-1.0)
    assert frustration == pytest.approx(0.0)
    assert n_blocs == 2
    np.testing.assert_array_equal(power_bloc, [0, 1])
    np.testing.assert_array_equal(state_bloc, [0, 1])


def test_landscape_two_rivals_with_a_torn_state():
    # State 2 (0.8 / 0.2) joins power 0 and pays 0.2: E = -1 + 0.2; E_ideal = -1;
    # sum |p| = 1 + (1 + 1 + 1) = 4, frustration 0.2 / 4.
    rel = np.array([[0.0, 1.0], [1.0, 0.0]])
    aff = np.array([[1.0, 0.0], [0.0, 1.0], [0.8, 0.2]])
    energy, frustration, n_blocs, _, state_bloc = landscape(aff, rel)
    assert energy == pytest.approx(-0.8)
    assert frustration == pytest.approx(0.05)
    assert n_blocs == 2
    np.testing.assert_array_equal(state_bloc, [0, 1, 0])


def test_landscape_rival_triangle_and_torn_state():
    # Three mutual rivals stand apart (-3); the state tied 0.5/0.5 to powers 0 and 1 can
    # join only one: E = -3 + 0.5. E_ideal = -3, sum |p| = 3 + 1 = 4, frustration 0.125.
    rel = np.ones((3, 3)) - np.eye(3)
    aff = np.array([[0.5, 0.5, 0.0]])
    energy, frustration, n_blocs, power_bloc, state_bloc = landscape(aff, rel)
    assert energy == pytest.approx(-2.5)
    assert frustration == pytest.approx(0.125)
    assert n_blocs == 3
    np.testing.assert_array_equal(power_bloc, [0, 1, 2])
    np.testing.assert_array_equal(state_bloc, [0])  # first bloc on ties


def test_landscape_friend_of_friend_frustration_and_tie_break():
    # 0-1 and 1-2 aligned, 0-2 rivals: every partition leaves one pair unsatisfied;
    # {012}, {01|2}, {0|12} all have E = 0, the first in set_partitions order wins.
    rel = np.array([[0.0, -1.0, 1.0], [-1.0, 0.0, -1.0], [1.0, -1.0, 0.0]])
    energy, frustration, n_blocs, power_bloc, _ = landscape(np.zeros((0, 3)), rel)
    assert energy == pytest.approx(0.0)
    assert frustration == pytest.approx(1 / 3)
    assert n_blocs == 1
    np.testing.assert_array_equal(power_bloc, [0, 0, 0])


def test_landscape_ignores_diagonal_and_reads_upper_triangle():
    rng = np.random.default_rng(11)
    aff, rel = _random_case(rng, 4, 3)
    base = landscape(aff, rel)
    noisy = rel.copy()
    np.fill_diagonal(noisy, 0.7)
    other = landscape(aff, noisy)
    assert other[0] == pytest.approx(base[0])
    np.testing.assert_array_equal(other[3], base[3])


def test_landscape_zero_propensities():
    energy, frustration, n_blocs, power_bloc, state_bloc = landscape(
        np.zeros((2, 3)), np.zeros((3, 3))
    )
    assert (energy, frustration, n_blocs) == (0.0, 0.0, 1)
    np.testing.assert_array_equal(power_bloc, [0, 0, 0])
    np.testing.assert_array_equal(state_bloc, [0, 0])


def test_landscape_rejects_mismatched_shapes():
    with pytest.raises(ValueError):
        landscape(np.zeros((2, 3)), np.zeros((4, 4)))
    with pytest.raises(ValueError):
        landscape(np.zeros((2, 3)), np.zeros((3, 2)))


def test_landscape_exact_matches_brute_force():
    rng = np.random.default_rng(2024)
    for _ in range(25):
        p_n, s_n = int(rng.integers(1, 5)), int(rng.integers(0, 3))
        aff, rel = _random_case(rng, p_n, s_n)
        energy, _, n_blocs, power_bloc, state_bloc = landscape(aff, rel)
        assert energy == pytest.approx(_brute_min_energy(aff, rel), abs=1e-9)
        assert energy == pytest.approx(_energy(aff, rel, power_bloc, state_bloc), abs=1e-9)
        assert n_blocs == len(set(power_bloc.tolist()))


def test_landscape_state_joins_best_bloc():
    rng = np.random.default_rng(5)
    aff, rel = _random_case(rng, 5, 5)
    _, _, n_blocs, power_bloc, state_bloc = landscape(aff, rel)
    bloc_aff = np.array([[aff[s, power_bloc == b].sum() for b in range(n_blocs)] for s in range(5)])
    np.testing.assert_array_equal(state_bloc, np.argmax(bloc_aff, axis=1))


def _two_camps(p_n=5, split=3):
    camp = np.arange(p_n) >= split
    rel = np.where(camp[:, None] == camp[None, :], -1.0, 1.0)
    np.fill_diagonal(rel, 0.0)
    aff = np.array(
        [[0.3, 0.2, 0.1, 0.0, 0.0], [0.0, 0.0, 0.1, 0.4, 0.3], [0.2, 0.0, 0.0, 0.2, 0.0]]
    )
    return aff[:, :p_n], rel


@pytest.mark.parametrize(
    "case",
    [
        _two_camps(),
        (np.zeros((1, 6)) + 0.1, np.ones((6, 6)) - np.eye(6)),  # mutual rivals: all apart
        (np.zeros((2, 6)), -(np.ones((6, 6)) - np.eye(6))),  # all aligned: one bloc
    ],
)
def test_local_search_equals_exact_on_easy_cases(case):
    aff, rel = case
    exact = landscape(aff, rel)
    local = landscape(aff, rel, exact_max=3)
    assert local[0] == pytest.approx(exact[0])
    assert local[1] == pytest.approx(exact[1])
    assert local[2] == exact[2]
    np.testing.assert_array_equal(local[3], exact[3])


def test_two_camps_partition():
    aff, rel = _two_camps()
    _, _, n_blocs, power_bloc, state_bloc = landscape(aff, rel)
    assert n_blocs == 2
    np.testing.assert_array_equal(power_bloc, [0, 0, 0, 1, 1])
    np.testing.assert_array_equal(state_bloc, [0, 1, 0])  # state 2: tie 0.2 / 0.2 -> first


def test_local_search_never_beats_exact_and_is_self_consistent():
    # Local search is a single-move steepest descent: it can stop in a local minimum
    # (about 1 random case in 10 at P = 5), never below the exact minimum.
    rng = np.random.default_rng(7)
    for _ in range(60):
        aff, rel = _random_case(rng, 5, int(rng.integers(0, 6)))
        exact = landscape(aff, rel)
        local = landscape(aff, rel, exact_max=3)
        assert local[0] >= exact[0] - 1e-12
        assert local[1] >= exact[1] - 1e-12
        assert local[0] == pytest.approx(_energy(aff, rel, local[3], local[4]), abs=1e-9)
        assert local[3][0] == 0
        assert np.all(local[3][1:] <= np.maximum.accumulate(local[3])[:-1] + 1)


def test_landscape_large_p_uses_local_search():
    rng = np.random.default_rng(9)
    aff, rel = _random_case(rng, 10, 5)
    energy, frustration, n_blocs, power_bloc, state_bloc = landscape(aff, rel)
    assert energy == pytest.approx(_energy(aff, rel, power_bloc, state_bloc), abs=1e-9)
    assert 0.0 <= frustration <= 1.0
    assert n_blocs == len(set(power_bloc.tolist()))
    assert power_bloc.shape == (10,) and state_bloc.shape == (5,)


# --------------------------------------------------------------------------- properties


@st.composite
def share_vectors(draw, min_k=2, max_k=8):
    raw = draw(
        st.lists(
            st.one_of(st.just(0.0), st.floats(0.0, 1.0, allow_subnormal=False)),
            min_size=min_k,
            max_size=max_k,
        )
    )
    total = math.fsum(raw)
    assume(total > 1e-6)
    return np.array(raw) / total


@given(share_vectors())
def test_share_metrics_stay_in_range(s):
    k = len(s)
    eps = 1e-12
    assert 1 / k - eps <= hhi(s) <= 1 + eps
    assert 1 - 1e-9 <= effective_partners(s) <= k + 1e-9
    assert 0.0 <= normalized_entropy(s) <= 1.0
    assert 0.0 <= concentration(s) <= 1.0
    named = s[:-1]
    assert 0.0 <= top_share(named) <= 1.0
    assert 0.0 <= top_gap(named) <= top_share(named) + eps


@given(share_vectors(min_k=2, max_k=8), st.data())
def test_hedging_in_range(s, data):
    named = s[:-1]
    p_n = len(named)
    membership = data.draw(st.lists(st.integers(-1, 3), min_size=p_n, max_size=p_n))
    codes = [f"P{i}" for i in range(p_n)]
    poles = {
        f"q{q}": [c for c, m in zip(codes, membership, strict=True) if m == q] for q in range(4)
    }
    h = hedging_index(named, pole_matrix(codes, poles))
    assert 0.0 <= h <= named.sum() + 1e-12


@given(
    st.lists(st.floats(0.0, 1e5), min_size=1, max_size=6),
    st.floats(-10.0, 1e6),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
)
def test_vulnerability_and_autonomy_in_range(trade, gdp, substitution, div, hedge):
    trade = np.array(trade)
    value, partner = vulnerability(trade, trade[::-1] / 10, gdp, substitution)
    assert 0.0 <= value <= 1.0
    assert 0 <= partner < len(trade)
    a = autonomy_index(div, hedge, value, (0.4, 0.3, 0.3))
    assert 0.0 <= a <= 1.0


@settings(deadline=None, max_examples=60)
@given(st.integers(1, 5), st.integers(0, 4), st.data())
def test_landscape_frustration_in_range_and_energy_bounds(p_n, s_n, data):
    upper = data.draw(st.lists(st.floats(-1.0, 1.0), min_size=p_n * p_n, max_size=p_n * p_n))
    rel = np.array(upper).reshape(p_n, p_n)
    rel = np.triu(rel, 1) + np.triu(rel, 1).T
    aff = np.array(
        [data.draw(share_vectors(min_k=p_n + 1, max_k=p_n + 1))[:p_n] for _ in range(s_n)]
    ).reshape(s_n, p_n)
    energy, frustration, n_blocs, power_bloc, state_bloc = landscape(aff, rel)
    assert 0.0 <= frustration <= 1.0
    assert 1 <= n_blocs <= p_n
    assert energy == pytest.approx(_energy(aff, rel, power_bloc, state_bloc), abs=1e-9)
    # no worse than everyone in one bloc, nor than every power alone
    assert energy <= _energy(aff, rel, [0] * p_n, [0] * s_n) + 1e-9
    alone = np.arange(p_n)
    states_alone = [int(np.argmax(aff[s])) for s in range(s_n)]
    assert energy <= _energy(aff, rel, alone, states_alone) + 1e-9


def test_coercive_pressure_hand_values():
    from polarsim.metrics import coercive_pressure

    assert coercive_pressure(np.zeros(4)) == pytest.approx(0.0)
    assert coercive_pressure(np.array([1.0, 0.0])) == pytest.approx(1 - np.exp(-0.5))
    out = coercive_pressure(np.array([[0.0, 0.0], [5.0, 5.0]]))
    assert out[0] == 0.0 and 0.99 < out[1] < 1.0


def test_coercion_loss_hand_values():
    from polarsim.metrics import coercion_loss

    # 100 of trade lost, half re-routable, plus 20 of remittances, on a GDP of 1000
    assert coercion_loss(100.0, 20.0, 1000.0, 0.5) == pytest.approx(0.07)
    assert coercion_loss(0.0, 0.0, 1000.0, 0.5) == 0.0
    out = coercion_loss(np.array([5000.0, 1.0, 0.0]), np.zeros(3), np.array([10.0, 0.0, 0.0]), 0.0)
    assert out.tolist() == [1.0, 1.0, 0.0]  # capped at GDP; no GDP and a loss: 1


def test_autonomy_index_with_freedom_weight():
    a = autonomy_index(0.5, 0.2, 0.1, (0.3, 0.25, 0.25, 0.2), coerced=0.4)
    assert a == pytest.approx(0.3 * 0.5 + 0.25 * 0.2 + 0.25 * 0.9 + 0.2 * 0.6)
    assert autonomy_index(0.5, 0.2, 0.1, {"w_div": 0.4, "w_hedge": 0.3, "w_vul": 0.3}) == (
        pytest.approx(autonomy_index(0.5, 0.2, 0.1, (0.4, 0.3, 0.3, 0.0), coerced=0.9))
    )


def test_a_scenario_gives_all_four_weights_only_the_function_takes_three():
    """docs/metrics.md said "Given three weights, w_free is 0" of the scenario's
    `parameters.metrics`; a scenario's weight_freedom keeps its default 0.2 and three
    weights summing to 1 are refused. The function autonomy_index takes three."""
    from polarsim.inputs.problems import InputProblemsError
    from polarsim.scenario import build_scenario

    three = {"weight_diversification": 0.4, "weight_hedging": 0.3, "weight_invulnerability": 0.3}
    with pytest.raises(InputProblemsError, match="sum to 1"):
        build_scenario({"name": "a", "time": {"start_year": 2005, "end_year": 2007},
                        "parameters": {"metrics": three}})  # fmt: skip
    assert autonomy_index(1.0, 1.0, 0.0, (0.4, 0.3, 0.3), coerced=1.0) == pytest.approx(1.0)
