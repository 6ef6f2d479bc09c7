"""Contest success function (Tullock 1980; Skaperdas 1996)."""

from __future__ import annotations

import numpy as np


def tullock_shares(inputs: np.ndarray, decisiveness: float) -> np.ndarray:
    """Share of a prize won by each contestant: x_k^r / sum_j x_j^r over the last axis.
    A contest nobody enters gives no shares (zeros)."""
    powered = np.power(np.maximum(inputs, 0.0), decisiveness)
    total = np.add.reduce(powered, axis=-1, keepdims=True)  # .sum, without its wrapper
    return np.divide(powered, total, out=np.zeros(powered.shape), where=total > 0)
