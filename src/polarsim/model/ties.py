"""The tie arrays: one array per arena indexed (state, power), plus the "other
partners" remainder per state. Units are stocks or flows, so shares are derived and
always sum to 1 with the remainder.

- trade: bilateral merchandise trade, USD m per year
- infrastructure: stock of operating sponsored assets, USD bn (plus debt owed, USD bn)
- security: stock of arms deliveries, basing and guarantees, USD m TIV-equivalent
- remittances: USD m per year received from each power (a leverage channel)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ARENAS = ("infra", "trade", "security")


@dataclass
class Ties:
    trade: np.ndarray  # (S, P)
    trade_other: np.ndarray  # (S,)
    infra: np.ndarray  # (S, P)
    infra_other: np.ndarray  # (S,)
    debt: np.ndarray  # (S, P)
    security: np.ndarray  # (S, P)
    security_other: np.ndarray  # (S,)
    remittances: np.ndarray  # (S, P)
    remittances_other: np.ndarray  # (S,)
    _shares: np.ndarray | None = field(default=None, repr=False)

    def copy(self) -> Ties:
        return Ties(**{k: v.copy() for k, v in self.__dict__.items() if not k.startswith("_")})

    def invalidate(self) -> None:
        self._shares = None

    def shares(self) -> np.ndarray:
        """(3, S, P+1): shares per arena, the last column the other partners."""
        if self._shares is None:
            stacked = np.stack(
                [
                    np.column_stack([self.infra, self.infra_other]),
                    np.column_stack([self.trade, self.trade_other]),
                    np.column_stack([self.security, self.security_other]),
                ]
            )
            total = stacked.sum(axis=2, keepdims=True)
            # A state with no ties at all in an arena counts as tied to "other" only.
            empty = total[..., 0] <= 0
            stacked[..., -1] = np.where(empty, 1.0, stacked[..., -1])
            total = np.where(total <= 0, 1.0, total)
            self._shares = stacked / total
        return self._shares
