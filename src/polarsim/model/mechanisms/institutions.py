"""Institutions as memberships that change costs and benefits: a customs union's tariff
wall, an alliance's guarantee and arms-price advantage, a forum's easier engagement."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from polarsim.scenario.parameters import ContestParams, TradeParams


def sponsor_matrix(kinds: list[str], sponsors: list[list[int]], n_powers: int, kind: str):
    """(I, P) 1 where power p leads institution i of the given kind."""
    m = np.zeros((len(kinds), n_powers))
    for i, (k, sp) in enumerate(zip(kinds, sponsors, strict=True)):
        if k == kind:
            m[i, sp] = 1.0
    return m


def tariff_factors(
    membership: np.ndarray,
    union_leaders: np.ndarray,
    prm: TradeParams,
    import_share: np.ndarray | None = None,
) -> np.ndarray:
    """(S, P+1) trade multipliers from customs unions: trade with the union's leader
    gains, trade with everyone else (including other partners) faces the common
    external tariff, (1 + t)^-sigma, on its imports: a pair whose trade is a share m
    imports takes 1 - m + m (1 + t)^-sigma (`import_share`, (S, P+1); None: all of
    it). A tariff falls on what the member buys, not on what it sells."""
    leaders = np.clip(membership @ union_leaders, 0.0, 1.0)  # (S, P)
    in_union = (membership @ (union_leaders.sum(axis=1) > 0)) > 0  # (S,)
    wall = (1.0 + prm.customs_union_tariff_rise) ** (-prm.trade_elasticity)
    out = np.ones((membership.shape[0], union_leaders.shape[1] + 1))
    if import_share is None:
        out[in_union, :] = wall
    else:
        out[in_union, :] = 1.0 + import_share[in_union] * (wall - 1.0)
    out[:, :-1] = np.where(leaders > 0, 1.0 + prm.customs_union_internal_gain, out[:, :-1])
    return out


def contest_multipliers(
    membership: np.ndarray,
    forum_sponsors: np.ndarray,
    alliance_leaders: np.ndarray,
    prm: ContestParams,
) -> np.ndarray:
    """(3, S, P) effectiveness of each power's effort: forums help in every arena, an
    alliance helps its leader in the security arena of its members."""
    forum = np.clip(membership @ forum_sponsors, 0.0, 1.0)
    ally = np.clip(membership @ alliance_leaders, 0.0, 1.0)
    m = np.repeat((1.0 + prm.forum_bonus * forum)[None], 3, axis=0)
    m[2] *= 1.0 + prm.alliance_bonus * ally
    return m


def guarantees(membership: np.ndarray, alliance_leaders: np.ndarray) -> np.ndarray:
    """(S, P) 1 where a state is covered by a power's alliance guarantee."""
    return np.clip(membership @ alliance_leaders, 0.0, 1.0)
