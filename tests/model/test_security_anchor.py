"""The anchored arms contest (mechanisms/security.py): the reference year reproduces the
observed suppliers' shares, and shares then move with the change of the contest inputs."""

import numpy as np
import pytest

from polarsim.model.mechanisms import contest, security
from polarsim.scenario.parameters import ContestParams
from tests.conftest import SCENARIOS

# two states, two powers and the other suppliers (last column)
OBSERVED = np.array([[60.0, 0.0, 40.0], [10.0, 30.0, 0.0]])  # USD m TIV over the window
REFERENCE = np.array([[2.0, 5.0, 1.0], [4.0, 1.0, 3.0]])  # contest inputs that year
DEMAND = np.array([100.0, 50.0])
HELD = np.ones((2, 2))  # receptivity of the two powers in the reference year


def _shares(won: np.ndarray) -> np.ndarray:
    return won / won.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("r", [0.5, 1.0, 2.0])
def test_reference_year_reproduces_observed_shares(r):
    prm = ContestParams(security_anchor=1.0, decisiveness=r, security_receptivity_anchor=1.0)
    w = security.anchor_weights(OBSERVED, REFERENCE, HELD, prm)
    won = security.arms_won(DEMAND, REFERENCE, prm, w)
    np.testing.assert_allclose(won.sum(axis=1), DEMAND)
    np.testing.assert_allclose(_shares(won), OBSERVED / OBSERVED.sum(axis=1, keepdims=True))


def test_more_effort_raises_a_suppliers_share_by_the_ratio_rule():
    prm = ContestParams(security_anchor=1.0, decisiveness=1.0)
    w = security.anchor_weights(OBSERVED, REFERENCE, HELD, prm)
    inputs = REFERENCE.copy()
    inputs[0, 0] *= 2.0  # power 0 doubles its input in state 0
    s = _shares(security.arms_won(DEMAND, inputs, prm, w))
    # 0.6 * 2 / (0.6 * 2 + 0 + 0.4): hand-computed
    assert s[0, 0] == pytest.approx(1.2 / 1.6)
    assert s[0, 2] == pytest.approx(0.4 / 1.6)
    assert s[0, 1] == 0.0  # no observed deliveries, no share while anchored fully
    np.testing.assert_allclose(s[1], [0.25, 0.75, 0.0])  # the other state is unchanged


def test_no_anchor_is_the_plain_tullock_contest():
    prm = ContestParams(security_anchor=0.0, decisiveness=1.5)
    w = security.anchor_weights(OBSERVED, REFERENCE, HELD, prm)
    inputs = REFERENCE * np.array([[1.0, 3.0, 0.5]])
    won = security.arms_won(DEMAND, inputs, prm, w)
    np.testing.assert_allclose(won, DEMAND[:, None] * contest.tullock_shares(inputs, 1.5))


def test_partial_anchor_blends_observed_and_contest_shares():
    prm = ContestParams(security_anchor=0.25, decisiveness=1.0)
    w = security.anchor_weights(OBSERVED, REFERENCE, HELD, prm)
    s = _shares(security.arms_won(DEMAND, REFERENCE, prm, w))
    observed = OBSERVED / OBSERVED.sum(axis=1, keepdims=True)
    plain = contest.tullock_shares(REFERENCE, 1.0)
    np.testing.assert_allclose(s, 0.25 * observed + 0.75 * plain)


def test_state_without_observed_deliveries_competes_in_the_plain_contest():
    prm = ContestParams(security_anchor=1.0, decisiveness=1.0)
    observed = OBSERVED.copy()
    observed[1] = 0.0
    w = security.anchor_weights(observed, REFERENCE, HELD, prm)
    s = _shares(security.arms_won(DEMAND, REFERENCE, prm, w))
    np.testing.assert_allclose(s[1], contest.tullock_shares(REFERENCE[1], 1.0))


def test_embargo_in_later_year_cuts_the_anchored_share():
    prm = ContestParams(security_anchor=1.0)
    w = security.anchor_weights(OBSERVED, REFERENCE, HELD, prm)
    inputs = REFERENCE.copy()
    inputs[:, 0] = 0.0  # power 0 embargoed
    s = _shares(security.arms_won(DEMAND, inputs, prm, w))
    assert (s[:, 0] == 0).all()
    np.testing.assert_allclose(s.sum(axis=1), 1.0)


def test_model_first_year_delivers_the_observed_start_window_shares():
    """historical_2010 with the anchor holding all of the reference year's receptivity:
    the first simulated year's deliveries split as the observed deliveries of
    2006-2010."""
    from polarsim import load_scenario
    from polarsim.model.model import CompetitionModel

    sc = load_scenario(
        SCENARIOS / "historical_2010.yaml",
        ["time.end_year=2012", "parameters.contest.security_receptivity_anchor=1"],
    )
    m = CompetitionModel(sc, rng=1)
    m.step()
    anchor = m.setup.arms_anchor
    total = anchor.sum(axis=1, keepdims=True)
    covered = total[:, 0] > 0
    np.testing.assert_allclose(_shares(m.arms_won)[covered], (anchor / total)[covered], atol=1e-12)
    uzb = m.setup.states.index("UZB")
    rus = m.setup.powers.index("RUS")
    assert m.arms_won[uzb, rus] / m.arms_won[uzb].sum() == pytest.approx(1.0)


def test_anchor_looks_back_to_the_last_window_with_deliveries():
    """Uzbekistan imported nothing in 2003-2009: a run started in 2008 anchors its
    contest on the window 2002-2006 (Russian deliveries of 2001-2002), the share that
    persistence also holds."""
    from polarsim import load_scenario
    from polarsim.model.setup import prepare

    su = prepare(load_scenario(SCENARIOS / "historical_2010.yaml", ["time.start_year=2008"]))
    uzb = su.states.index("UZB")
    assert su.initial_arms[uzb].sum() == 0
    rus = su.arms_anchor[uzb, su.powers.index("RUS")]
    assert rus > 0 and su.arms_anchor[uzb].sum() == pytest.approx(rus)


@pytest.mark.parametrize("g", [0.0, 0.5, 1.0])
def test_receptivity_acts_at_its_level_where_the_anchor_does_not_hold_it(g):
    """With g = security_receptivity_anchor, the reference year's shares are the
    observed ones times receptivity^(r (1 - g)), renormalised (hand-computed)."""
    prm = ContestParams(security_anchor=1.0, decisiveness=2.0, security_receptivity_anchor=g)
    rec = np.array([[0.5, 1.0], [1.0, 0.8]])
    inputs = REFERENCE * np.column_stack([rec, np.ones(2)])  # receptivity is in the inputs
    w = security.anchor_weights(OBSERVED, inputs, rec, prm)
    s = _shares(security.arms_won(DEMAND, inputs, prm, w))
    factor = np.column_stack([rec, np.ones(2)]) ** (2.0 * (1.0 - g))
    expected = OBSERVED / OBSERVED.sum(axis=1, keepdims=True) * factor
    np.testing.assert_allclose(s, expected / expected.sum(axis=1, keepdims=True))
    if g < 1:  # the dependent state pulls away from its main supplier (power 0)
        assert s[0, 0] < 0.6
