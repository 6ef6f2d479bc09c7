"""Shared by the model's tests: the baseline set-up, and a comparison to the last bit."""

from __future__ import annotations

import numpy as np
import pytest

from polarsim import load_scenario
from polarsim.model.setup import prepare
from tests.conftest import SCENARIOS


def same_bits(a, b) -> bool:
    """Equal shapes and equal float64 bytes (0.0 and -0.0 differ, NaN equals NaN)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.fixture(scope="module")
def baseline():
    """The prepared set-up of scenarios/baseline.yaml."""
    return prepare(load_scenario(SCENARIOS / "baseline.yaml"))
