"""The tie arrays: one stock or flow array per arena indexed (state, partner), the last
partner column being the "other partners" remainder. Units are stocks or flows, so
shares are derived and always sum to 1 with the remainder.

- infrastructure: stock of operating sponsored assets, USD bn (plus debt owed, USD bn)
- trade: bilateral merchandise trade, USD m per year
- security: stock of arms deliveries, basing and guarantees, USD m TIV-equivalent
- remittances: USD m per year received from each power (a leverage channel)
"""

from __future__ import annotations

import numpy as np

from polarsim.codes import ARENAS
from polarsim.model.mechanisms.arrays import all_positive

INFRA, TRADE, SECURITY = range(3)


def _named(arena: int):
    def get(self: Ties) -> np.ndarray:
        return self.values[arena, :, :-1]

    def put(self: Ties, value: np.ndarray) -> None:
        self.values[arena, :, :-1] = value
        self._shares = None

    return property(get, put, doc=f"{ARENAS[arena]} ties with each power (view)")


def _other(arena: int):
    def get(self: Ties) -> np.ndarray:
        return self.values[arena, :, -1]

    def put(self: Ties, value: np.ndarray) -> None:
        self.values[arena, :, -1] = value
        self._shares = None

    return property(get, put, doc=f"{ARENAS[arena]} ties with other partners (view)")


class Ties:
    """values (3, S, P+1) for the three arenas; debt (S, P); remittances (S, P+1).
    The named properties are views: in-place changes reach the arrays; call
    `invalidate()` after them so the cached shares are recomputed."""

    def __init__(
        self,
        *,
        trade: np.ndarray,
        trade_other: np.ndarray,
        infra: np.ndarray,
        infra_other: np.ndarray,
        debt: np.ndarray,
        security: np.ndarray,
        security_other: np.ndarray,
        remittances: np.ndarray,
        remittances_other: np.ndarray,
    ):
        S, P = trade.shape
        self.values = np.zeros((3, S, P + 1))
        self.remittance_values = np.column_stack([remittances, remittances_other])
        self.debt = np.array(debt, dtype=float)
        self._shares: np.ndarray | None = None
        self.infra, self.infra_other = infra, infra_other
        self.trade, self.trade_other = trade, trade_other
        self.security, self.security_other = security, security_other

    infra = _named(INFRA)
    infra_other = _other(INFRA)
    trade = _named(TRADE)
    trade_other = _other(TRADE)
    security = _named(SECURITY)
    security_other = _other(SECURITY)

    @property
    def remittances(self) -> np.ndarray:
        return self.remittance_values[:, :-1]

    @remittances.setter
    def remittances(self, value: np.ndarray) -> None:
        self.remittance_values[:, :-1] = value

    @property
    def remittances_other(self) -> np.ndarray:
        return self.remittance_values[:, -1]

    @remittances_other.setter
    def remittances_other(self, value: np.ndarray) -> None:
        self.remittance_values[:, -1] = value

    def copy(self) -> Ties:
        out = object.__new__(Ties)
        out.values = self.values.copy()
        out.remittance_values = self.remittance_values.copy()
        out.debt = self.debt.copy()
        out._shares = None
        return out

    def invalidate(self) -> None:
        self._shares = None

    def shares(self) -> np.ndarray:
        """(3, S, P+1): shares per arena, the last column the other partners. A state
        with no ties at all in an arena counts as tied to "other" only."""
        if self._shares is None:
            values = self.values
            total = np.add.reduce(values, axis=2, keepdims=True)  # .sum, without its wrapper
            if all_positive(total):
                # every state tied in every arena: the quotients the masked division gives
                self._shares = values / total
            else:
                positive = total > 0
                shares = np.divide(values, total, out=np.zeros(values.shape), where=positive)
                shares[..., -1] += ~positive[..., 0]
                self._shares = shares
        return self._shares


def weighted_sum(weights: np.ndarray, arrays: np.ndarray) -> np.ndarray:
    """sum_i weights[i] * arrays[i] over the first axis: np.tensordot(weights, arrays,
    axes=1) to the last bit (the same matrix product), without its set-up cost, which
    dominates on arrays this small and runs several times a year."""
    flat = np.dot(weights.reshape(1, -1), arrays.reshape(len(weights), -1))
    return flat.reshape(arrays.shape[1:])
