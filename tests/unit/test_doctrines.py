"""Contract tests every doctrine passes (metadata, valid outputs, determinism)."""

import numpy as np
import pytest

from polarsim.model.doctrines import INSTRUMENTS, POWER_DOCTRINES, STATE_DOCTRINES
from polarsim.scenario.events import PROJECT_KINDS


@pytest.fixture(params=sorted(POWER_DOCTRINES))
def power_doctrine(request):
    return POWER_DOCTRINES[request.param]


@pytest.fixture(params=sorted(STATE_DOCTRINES))
def state_doctrine(request):
    return STATE_DOCTRINES[request.param]


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

    def test_allocation_rows_sum_to_one_and_repeat(self, power_doctrine):
        rng = np.random.default_rng(3)
        value, presence, welcome = rng.random((3, 3, 6))
        a = power_doctrine.allocation(value, presence, welcome)
        b = power_doctrine.allocation(value.copy(), presence.copy(), welcome.copy())
        np.testing.assert_array_equal(a, b)
        np.testing.assert_allclose(a.sum(axis=1), 1.0)
        assert (a >= 0).all()

    def test_contesting_raises_effort_where_rivals_are(self, power_doctrine):
        value = np.ones((3, 2))
        presence = np.zeros((3, 2))
        presence[:, 1] = 0.5
        a = power_doctrine.allocation(value, presence, np.ones((3, 2)))
        if power_doctrine.contest_response > 0:
            assert (a[:, 1] > a[:, 0]).all()


class TestStateDoctrineContract:
    def test_metadata_complete(self, state_doctrine):
        meta = state_doctrine.metadata()
        assert meta["name"] and meta["description"] and meta["reference"]
        assert 0 <= meta["autonomy_preference"] <= 1

    def test_gates_are_nonnegative_and_deterministic(self, state_doctrine):
        shares = np.array([0.5, 0.2, 0.1])
        g = state_doctrine.gates(shares)
        assert g.shape == (3, 3) and (g >= 0).all()
        np.testing.assert_array_equal(g, state_doctrine.gates(shares.copy()))

    def test_only_security_is_gated_below_one(self, state_doctrine):
        g = state_doctrine.gates(np.array([0.3, 0.3]))
        np.testing.assert_array_equal(g[:2], 1.0)
