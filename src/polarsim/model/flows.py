"""The trade that commissioned projects carry, kept apart from the gravity part of trade:
one row per project, with the commodity whose price moves it and the year it opened."""

from __future__ import annotations

import numpy as np


class ProjectFlows:
    """Rows of (S, P+1) trade value per year at full capacity (the last column: other
    partners), in buffers that double when full: a run adds a few rows a year, and
    joining whole arrays each time cost more than the rest of the trade step."""

    def __init__(self, n_states: int, n_partners: int, capacity: int = 16):
        self._values = np.zeros((capacity, n_states, n_partners))
        self._price = np.zeros(capacity, dtype=int)
        self._opened = np.zeros(capacity, dtype=int)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def add(self, value: np.ndarray, partner: int, price: int, opened: int) -> np.ndarray:
        """A project carrying `value` (S,) with `partner` (-1: other partners); returns
        its row."""
        if self._n == len(self._price):
            self._values = np.concatenate([self._values, np.zeros_like(self._values)])
            self._price = np.concatenate([self._price, np.zeros_like(self._price)])
            self._opened = np.concatenate([self._opened, np.zeros_like(self._opened)])
        row = self._values[self._n]
        row[:, partner] = value
        self._price[self._n] = price
        self._opened[self._n] = opened
        self._n += 1
        return row

    @property
    def values(self) -> np.ndarray:
        """(N, S, P+1) a view of the rows so far."""
        return self._values[: self._n]

    @property
    def price(self) -> np.ndarray:
        """(N,) index of the commodity price moving each row (len(COMMODITIES): none)."""
        return self._price[: self._n]

    @property
    def opened(self) -> np.ndarray:
        """(N,) year index (0 = the start year; negative: opened before it)."""
        return self._opened[: self._n]
