"""Contract tests every doctrine passes, on the code paths the model runs: the arena
split (Setup.arena_split), the allocation over states (engagement.allocate, which
calls allocation_weights with the doctrines' contest responses) and the state gates
(StateGates, what CompetitionModel._respond calls)."""

import numpy as np
import pytest

from polarsim.model.doctrines import (
    INSTRUMENTS,
    POWER_DOCTRINES,
    STATE_DOCTRINES,
    StateGates,
    allocation_weights,
)
from polarsim.model.mechanisms import engagement
from polarsim.scenario.doctrines import POWER_DOCTRINE_NAMES, STATE_DOCTRINE_NAMES
from polarsim.scenario.events import PROJECT_KINDS
from polarsim.scenario.parameters import EngagementParams


@pytest.fixture(params=sorted(POWER_DOCTRINES))
def power_doctrine(request):
    return POWER_DOCTRINES[request.param]


@pytest.fixture(params=sorted(STATE_DOCTRINES))
def state_doctrine(request):
    return STATE_DOCTRINES[request.param]


def test_the_scenario_knows_the_model_doctrines_by_name():
    """The schema checks doctrine names without importing the model: its lists must be
    the model's registries, in the same order (error messages list them)."""
    assert tuple(POWER_DOCTRINES) == POWER_DOCTRINE_NAMES
    assert tuple(STATE_DOCTRINES) == STATE_DOCTRINE_NAMES


def _allocate(doctrine, value, presence, welcome, budget=100.0):
    """The model's call (CompetitionModel._engage) for one power of this doctrine."""
    return engagement.allocate(
        np.array([budget]),
        doctrine.arena_split()[:, None],
        np.array([doctrine.contest_response]),
        value,
        presence[..., None],
        welcome[..., None],
        EngagementParams(),
    )[..., 0]


class TestPowerDoctrineContract:
    def test_metadata_complete(self, power_doctrine):
        meta = power_doctrine.metadata()
        for key in ("name", "description", "reference", "arena_weights", "instruments"):
            assert meta[key], key
        assert set(power_doctrine.instruments) <= set(INSTRUMENTS)
        assert set(power_doctrine.project_kinds) <= set(PROJECT_KINDS)

    def test_arena_split_is_a_distribution(self, power_doctrine):
        split = power_doctrine.arena_split()
        assert split.shape == (3,) and (split >= 0).all()
        assert split.sum() == pytest.approx(1.0)

    def test_allocation_spends_the_budget_and_repeats(self, power_doctrine):
        rng = np.random.default_rng(3)
        value, presence, welcome = rng.random((3, 3, 6))
        a = _allocate(power_doctrine, value, presence, welcome)
        b = _allocate(power_doctrine, value.copy(), presence.copy(), welcome.copy())
        np.testing.assert_array_equal(a, b)
        assert (a >= 0).all()
        # each arena gets the doctrine's share of the budget, spread over the states
        np.testing.assert_allclose(a.sum(axis=1), 100.0 * power_doctrine.arena_split())

    def test_allocation_weights_rows_sum_to_one(self, power_doctrine):
        rng = np.random.default_rng(5)
        value, presence, welcome = rng.random((3, 3, 6, 1))
        w = allocation_weights(
            value, presence, welcome, np.array([power_doctrine.contest_response])
        )
        np.testing.assert_allclose(w.sum(axis=1), 1.0)

    def test_contesting_raises_effort_where_rivals_are(self, power_doctrine):
        value = np.ones((3, 2))
        presence = np.zeros((3, 2))
        presence[:, 1] = 0.5
        a = _allocate(power_doctrine, value, presence, np.ones((3, 2)))
        if power_doctrine.contest_response > 0:
            assert (a[:, 1] > a[:, 0]).all()

    def test_a_refusing_state_gets_less(self, power_doctrine):
        welcome = np.ones((3, 2))
        welcome[:, 1] = 0.25
        a = _allocate(power_doctrine, np.ones((3, 2)), np.zeros((3, 2)), welcome)
        assert (a[:, 0] > a[:, 1]).all()


def _gates(doctrine, shares):
    """The model's call (StateGates built in CompetitionModel.__init__) for one state."""
    gates = StateGates(
        np.array([doctrine.security_openness]), np.array([doctrine.patron_bonus]), len(shares)
    )
    return gates(shares[None, :])[:, 0]


class TestStateDoctrineContract:
    def test_metadata_complete(self, state_doctrine):
        meta = state_doctrine.metadata()
        assert meta["name"] and meta["description"] and meta["reference"]
        assert 0 <= meta["autonomy_preference"] <= 1

    def test_gates_are_nonnegative_and_deterministic(self, state_doctrine):
        shares = np.array([0.5, 0.2, 0.1])
        g = _gates(state_doctrine, shares)
        assert g.shape == (3, 3) and (g >= 0).all()
        np.testing.assert_array_equal(g, _gates(state_doctrine, shares.copy()))

    def test_only_security_is_gated_below_one(self, state_doctrine):
        g = _gates(state_doctrine, np.array([0.3, 0.3]))
        np.testing.assert_array_equal(g[:2], 1.0)

    def test_security_gate_is_openness_with_the_patron_bonus(self, state_doctrine):
        g = _gates(state_doctrine, np.array([0.1, 0.6, 0.2]))
        openness = state_doctrine.security_openness
        expected = [openness, openness * (1.0 + state_doctrine.patron_bonus), openness]
        np.testing.assert_allclose(g[2], expected)
