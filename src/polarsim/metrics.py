"""Autonomy metrics: pure numpy functions of the tie shares (see docs/metrics.md).

They run inside every model step, so they take arrays, broadcast over leading axes,
never copy more than they must and do no expensive input checking: callers pass shares
that are non-negative and sum to 1 along the last axis. A "shares" array is (..., K) with
the "other partners" remainder as its last column; a "named" array is (..., P), one column
per great power, without the remainder.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

__all__ = [
    "autonomy_index",
    "coercion_loss",
    "coercive_pressure",
    "concentration",
    "effective_partners",
    "hedging_index",
    "hhi",
    "landscape",
    "landscape_series",
    "n_spheres",
    "normalized_entropy",
    "pole_matrix",
    "set_partitions",
    "top_gap",
    "top_partner",
    "top_share",
    "vulnerability",
]

# Energies within this of the minimum count as ties, so the first partition in
# set_partitions order wins whatever the summation order did to the last bits.
_ENERGY_TOL = 1e-12


# --------------------------------------------------------------------------- concentration


def hhi(shares: np.ndarray) -> np.ndarray:
    """Herfindahl-Hirschman index over all K columns, in [1/K, 1].

    The remainder counts as a single partner: "other partners" are really many, so this
    overstates concentration, i.e. errs on the side of less autonomy.
    """
    s = np.asarray(shares, dtype=float)
    return np.einsum("...k,...k->...", s, s)


def effective_partners(shares: np.ndarray) -> np.ndarray:
    """Inverse HHI, in [1, K]: the number of equal partners giving the same concentration,
    which reads more easily than the HHI itself."""
    return 1.0 / hhi(shares)


def normalized_entropy(shares: np.ndarray) -> np.ndarray:
    """Shannon entropy divided by ln K (K = shares.shape[-1] >= 2), in [0, 1].

    Normalising makes arenas with different numbers of partners comparable; 0 ln 0 = 0.
    """
    s = np.asarray(shares, dtype=float)
    logs = np.zeros_like(s)
    np.log(s, out=logs, where=s > 0)
    h = np.einsum("...k,...k->...", s, logs)
    h *= -1.0 / math.log(s.shape[-1])
    return np.clip(h, 0.0, 1.0) + 0.0  # + 0.0 turns -0.0 into 0.0


def concentration(shares: np.ndarray) -> np.ndarray:
    """Ray & Singer (1973) CON over the last axis (N >= 2), in [0, 1].

    Unlike the HHI it is 0 for an even distribution whatever N, so polarity can be compared
    across systems with different numbers of poles.
    """
    s = np.asarray(shares, dtype=float)
    n = s.shape[-1]
    radicand = (hhi(s) - 1.0 / n) / (1.0 - 1.0 / n)
    return np.sqrt(np.clip(radicand, 0.0, 1.0))


# --------------------------------------------------------------------------- top partner


def top_share(named: np.ndarray) -> np.ndarray:
    """Largest named share: how much of the state one power holds."""
    return np.asarray(named, dtype=float).max(axis=-1)


def top_gap(named: np.ndarray) -> np.ndarray:
    """Largest minus second-largest named share (0 if P == 1): a small gap means the top
    position is contested, a large one a clear patron."""
    a = np.asarray(named, dtype=float)
    if a.shape[-1] < 2:
        return np.zeros(a.shape[:-1])
    two = np.partition(a, a.shape[-1] - 2, axis=-1)[..., -2:]
    return two[..., 1] - two[..., 0]


def top_partner(named: np.ndarray) -> np.ndarray:
    """Index of the largest named share (first on ties), to tell whose sphere a state is in."""
    return np.argmax(named, axis=-1)


# --------------------------------------------------------------------------- hedging


def pole_matrix(power_codes: list[str], poles: dict[str, list[str]]) -> np.ndarray:
    """(Q, P) 0/1 matrix of pole membership, built once so hedging is one matmul per step.

    Codes not among ``power_codes`` are ignored; poles with no member left are dropped, so Q
    counts only rival poles actually present in the run.
    """
    index = {c: i for i, c in enumerate(power_codes)}
    rows = []
    for members in poles.values():
        row = np.zeros(len(power_codes))
        for code in members:
            if code in index:
                row[index[code]] = 1.0
        if row.any():
            rows.append(row)
    if not rows:
        return np.zeros((0, len(power_codes)))
    return np.vstack(rows)


def hedging_index(named: np.ndarray, poles_mat: np.ndarray) -> np.ndarray:
    """Hedging H = T * (1 - D) in [0, 1] (Kuik 2008; Goh 2005).

    T (total great-power engagement) separates hedging from isolation, D (imbalance of the
    pole shares among the poles, 0 balanced .. 1 all in one pole) separates it from
    alignment. Powers in no pole count in T only. Zero when Q < 2 (nothing to hedge
    between) or when no engagement falls in any pole.
    """
    a = np.asarray(named, dtype=float)
    q = poles_mat.shape[0]
    if q < 2:
        return np.zeros(a.shape[:-1])
    total = a.sum(axis=-1)
    # einsum's loop, not matmul's BLAS: a row's sums do not depend on how many rows
    in_poles = np.einsum("...p,qp->...q", a, poles_mat)
    pole_total = in_poles.sum(axis=-1)
    safe = np.where(pole_total > 0, pole_total, 1.0)
    pole_shares = in_poles / safe[..., None] - 1.0 / q
    imbalance = np.abs(pole_shares).sum(axis=-1) / (2.0 * (1.0 - 1.0 / q))
    imbalance = np.where(pole_total > 0, np.clip(imbalance, 0.0, 1.0), 1.0)
    return total * (1.0 - imbalance)


# --------------------------------------------------------------------------- vulnerability


def vulnerability(
    trade_flow: np.ndarray,
    remittances: np.ndarray,
    gdp: np.ndarray | float,
    substitution: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Share of GDP lost if the single most damaging power cut the state off, in [0, 1],
    and that power's index (Keohane & Nye 1977, vulnerability interdependence).

    Only the part of trade that cannot be re-routed (1 - substitution) is lost; remittances
    are lost in full. A state with gdp <= 0 has nothing to absorb a shock with: value 1 (the
    index is then the power with the largest absolute loss).
    """
    loss = np.asarray(trade_flow, dtype=float) * (1.0 - substitution)
    loss += remittances
    partner = np.argmax(loss, axis=-1)
    worst = np.take_along_axis(loss, partner[..., None], axis=-1)[..., 0]
    g = np.asarray(gdp, dtype=float)
    positive = g > 0
    safe = np.where(positive, g, 1.0)
    value = np.where(positive, np.minimum(worst, safe) / safe, 1.0)  # no overflow on tiny gdp
    return np.maximum(value, 0.0), partner


# --------------------------------------------------------------------------- composite


_WEIGHT_KEYS = (
    ("w_div", "diversification", "weight_diversification"),
    ("w_hedge", "hedging", "weight_hedging"),
    ("w_vul", "vulnerability", "invulnerability", "weight_invulnerability"),
    ("w_free", "freedom", "weight_freedom"),  # optional: 0 when absent
)


def _weights(weights: Mapping[str, float] | Sequence[float]) -> tuple[float, ...]:
    if isinstance(weights, Mapping):
        out = []
        for i, aliases in enumerate(_WEIGHT_KEYS):
            found = [k for k in aliases if k in weights]
            if i == 3 and not found:
                out.append(0.0)
                continue
            if len(found) != 1:
                raise ValueError(
                    f"autonomy weights need exactly one of {', '.join(aliases)}; found {found}"
                )
            out.append(float(weights[found[0]]))
    else:
        out = [float(w) for w in weights]
        if len(out) not in (3, 4):
            raise ValueError(
                f"autonomy weights need 3 or 4 values (div, hedge, vul[, free]), got {len(out)}"
            )
        out += [0.0] * (4 - len(out))
    if any(not math.isfinite(w) or w < 0 for w in out):
        raise ValueError(f"autonomy weights must be finite and >= 0, got {out}")
    if abs(sum(out) - 1.0) > 1e-9:
        raise ValueError(f"autonomy weights must sum to 1, they sum to {sum(out):g}")
    return tuple(out)


def coercive_pressure(risk: np.ndarray) -> np.ndarray:
    """The pressure of rivals' exclusivity on a state's choices, in [0, 1): 1 -
    exp(-mean_p risk_p), risk_p being the expected punishment by p's rivals for a tie
    with p (docs/model.md, state responses). A diagnostic, outside the autonomy index: it
    moves with a scenario's inputs (exclusivity, rivalry) before any tie changes, so an
    index holding it would show an effect by definition (docs/metrics.md)."""
    return 1.0 - np.exp(-np.asarray(risk, dtype=float).mean(axis=-1))


def coercion_loss(
    trade_lost: np.ndarray,
    remittances_withheld: np.ndarray,
    gdp: np.ndarray | float,
    substitution: float,
) -> np.ndarray:
    """Share of GDP that coercive acts cost the state this year, in [0, 1]: the trade
    they blocked (only the part that cannot be re-routed, 1 - substitution, as in
    `vulnerability`) plus the remittances withheld, over GDP. What coercion did, not
    what it threatened (Baldwin 1985: the costs imposed on the target). A state with
    gdp <= 0 and any loss has value 1."""
    loss = np.asarray(trade_lost, dtype=float) * (1.0 - substitution)
    loss = loss + np.asarray(remittances_withheld, dtype=float)
    g = np.asarray(gdp, dtype=float)
    positive = g > 0
    safe = np.where(positive, g, 1.0)
    value = np.where(positive, np.minimum(loss, safe) / safe, np.where(loss > 0, 1.0, 0.0))
    return np.maximum(value, 0.0)


def autonomy_index(
    diversification: np.ndarray,
    hedging: np.ndarray,
    vulnerability: np.ndarray,
    weights: Mapping[str, float] | Sequence[float],
    coerced: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Composite autonomy A = w_div*div + w_hedge*hedging + w_vul*(1 - vulnerability)
    + w_free*(1 - coerced), in [0, 1]: one number per state that rises with
    diversification and hedging and falls with exposure to a single power's cut-off and
    with what coercive acts cost it (`coercion_loss`, a share of GDP).

    ``weights`` is (w_div, w_hedge, w_vul[, w_free]) or a mapping with keys
    w_div/w_hedge/w_vul[/w_free] (also accepted: diversification/hedging/vulnerability/
    freedom or the ``parameters.metrics`` field names); other keys are ignored. Raises
    ValueError unless they are >= 0 and sum to 1.
    """
    w_div, w_hedge, w_vul, w_free = _weights(weights)
    a = (
        w_div * np.asarray(diversification, dtype=float)
        + w_hedge * np.asarray(hedging, dtype=float)
        + w_vul * (1.0 - np.asarray(vulnerability, dtype=float))
        + w_free * (1.0 - np.asarray(coerced, dtype=float))
    )
    return np.clip(a, 0.0, 1.0)


# --------------------------------------------------------------------------- landscape


@lru_cache(maxsize=16)
def set_partitions(n: int) -> np.ndarray:
    """All set partitions of n items as restricted-growth strings, shape (Bell(n), n),
    in lexicographic order (row 0 = one bloc, last row = everyone alone).

    The order is the landscape tie-break, so it is fixed; the result is cached and
    read-only because the landscape search reuses it every step.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if n == 0:
        rows = np.zeros((1, 0), dtype=np.intp)
    else:
        rows = np.zeros((1, 1), dtype=np.intp)
        top = np.zeros(1, dtype=np.intp)  # largest block label used in each row
        for _ in range(1, n):
            counts = top + 2  # existing blocks 0..top, or a new one
            parent = np.repeat(np.arange(len(rows)), counts)
            start = np.cumsum(counts) - counts
            label = np.arange(counts.sum()) - np.repeat(start, counts)
            rows = np.column_stack([rows[parent], label])
            top = np.maximum(top[parent], label)
    rows.setflags(write=False)
    return rows


@lru_cache(maxsize=16)
def _partition_tables(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-n constants of the exhaustive search: partitions, pair-separation matrix,
    bloc membership and the -inf mask of empty blocs."""
    parts = set_partitions(n)
    return (parts, *_labelling_tables(parts))


def _labelling_tables(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair separation (B, pairs), membership (P, C*B) laid out so one matmul gives every
    state's affinity to every bloc as (S, C, B), and the -inf mask of empty blocs (C, B).
    The bloc axis sits in the middle so the max over it runs on contiguous rows (a max
    over a short last axis is many times slower)."""
    b, n = labels.shape
    i, j = _pairs(n)
    apart = (labels[:, i] != labels[:, j]).astype(float)
    member = labels.T[:, None, :] == np.arange(n)[None, :, None]  # (P, C, B)
    empty = np.where(member.any(axis=0), 0.0, -np.inf)
    member = member.reshape(n, n * b).astype(float)
    for t in (apart, member, empty):
        t.setflags(write=False)
    return apart, member, empty


def _energies(
    apart: np.ndarray,
    member: np.ndarray,
    empty: np.ndarray,
    p_pairs: np.ndarray,
    affinity: np.ndarray,
    aff_total: float,
) -> np.ndarray:
    """Energy of each configuration, each state joining its best bloc: the power pairs
    apart, plus every state's affinity to the powers outside its bloc."""
    energy = apart @ p_pairs
    s = affinity.shape[0]
    if s:
        bloc_aff = (affinity @ member).reshape(s, *empty.shape)
        bloc_aff += empty
        energy += aff_total - bloc_aff.max(axis=1).sum(axis=0)
    return energy


def _state_blocs(labels: np.ndarray, affinity: np.ndarray) -> np.ndarray:
    """Each state's best bloc (first on ties) for canonical labels 0..m-1, all occupied."""
    if labels.size == 0:
        return np.zeros(affinity.shape[0], dtype=np.intp)
    member = labels[:, None] == np.arange(labels.max() + 1)
    return np.argmax(affinity @ member, axis=-1)


@lru_cache(maxsize=16)
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    i, j = np.triu_indices(n, 1)
    i.setflags(write=False)
    j.setflags(write=False)
    return i, j


def _canonical(labels: np.ndarray) -> np.ndarray:
    """Relabel blocs by first appearance, giving the restricted-growth string."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.intp)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[inverse]


def _local_search(
    n: int, p_pairs: np.ndarray, affinity: np.ndarray, aff_total: float
) -> tuple[np.ndarray, float]:
    """Steepest descent over single-power moves, from every power alone."""
    labels = np.arange(n)
    tables = _labelling_tables(labels[None, :])
    energy = float(_energies(*tables, p_pairs, affinity, aff_total)[0])
    rows = np.arange(n * n)
    mover = rows // n  # candidate k moves power k // n to bloc label k % n
    target = rows % n
    while True:
        cand = np.broadcast_to(labels, (n * n, n)).copy()
        cand[rows, mover] = target
        e = _energies(*_labelling_tables(cand), p_pairs, affinity, aff_total)
        k = int(np.argmin(e))
        if not e[k] < energy - _ENERGY_TOL:
            return _canonical(labels), energy
        labels, energy = cand[k], float(e[k])


def landscape(
    affinity: np.ndarray, relation: np.ndarray, exact_max: int = 8
) -> tuple[float, float, int, np.ndarray, np.ndarray]:
    """Axelrod & Bennett (1993) landscape of P powers and S states, all of size 1.

    Returns (energy, frustration, n_blocs, power_bloc, state_bloc) of the minimum-energy
    configuration. Propensities: powers -relation[i, j] (upper triangle read, diagonal
    ignored; positive relation = rivalry), state-power affinity[s, k], state-state 0. For a
    given partition of the powers each state's best bloc is independent of the others, so
    only partitions of the powers are searched: all of them if P <= exact_max (first in
    set_partitions order on ties), else a deterministic steepest-descent local search from
    every power alone, which can stop at a local minimum (energy >= the exact one).
    Frustration (E_min - E_ideal) / sum |p_ij| in [0, 1] is how far the best the system can
    do falls short of satisfying every pair.
    """
    aff = np.asarray(affinity, dtype=float)
    rel = np.asarray(relation, dtype=float)
    n = rel.shape[0]
    if rel.shape != (n, n) or aff.ndim != 2 or aff.shape[1] != n:
        raise ValueError(
            f"relation must be (P, P) and affinity (S, P); got {rel.shape} and {aff.shape}"
        )
    p_pairs = -rel[_pairs(n)]
    aff_total = float(aff.sum())
    if n <= exact_max:
        parts, *tables = _partition_tables(n)
        e = _energies(*tables, p_pairs, aff, aff_total)
        best = int(np.argmax(e <= e.min() + _ENERGY_TOL))
        power_bloc = parts[best].copy()
        energy = float(e[best])
    else:
        power_bloc, energy = _local_search(n, p_pairs, aff, aff_total)
    scale = float(np.abs(p_pairs).sum() + np.abs(aff).sum())
    if scale > 0:
        ideal = 0.5 * (float(p_pairs.sum()) + aff_total - scale)  # sum of min(p, 0)
        frustration = min(max((energy - ideal) / scale, 0.0), 1.0)
    else:
        frustration = 0.0
    n_blocs = int(power_bloc.max()) + 1 if n else 0
    return energy, frustration, n_blocs, power_bloc, _state_blocs(power_bloc, aff)


def landscape_series(
    affinity: np.ndarray, relation: np.ndarray, exact_max: int = 8
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`landscape` for a series of years at once: affinity (T, S, P), relation (P, P)
    fixed. Returns energy (T,), frustration (T,) and n_blocs (T,) int64, each equal to
    the last bit to what `landscape` gives year by year (the same matrix products, the
    same reductions per year; the per-year constant parts worked out once)."""
    aff = np.asarray(affinity, dtype=float)
    rel = np.asarray(relation, dtype=float)
    T, s, n = aff.shape
    if n == 0 or n > exact_max or rel.shape != (n, n):
        land = [landscape(a, rel, exact_max) for a in aff]
        return (
            np.array([x[0] for x in land], dtype=float),
            np.array([x[1] for x in land], dtype=float),
            np.array([x[2] for x in land], dtype=np.int64),
        )
    p_pairs = -rel[_pairs(n)]
    parts, apart, member, empty = _partition_tables(n)
    flat = aff.reshape(T, s * n)
    aff_total = flat.sum(axis=1)  # per year as float(aff.sum())
    energy = np.broadcast_to(apart @ p_pairs, (T, len(parts)))
    if s:
        # one product per year, as landscape() makes it: matmul over the stack of years
        # calls the same matrix product for each year's (S, P) slice
        bloc_aff = np.matmul(aff, member).reshape(T, s, *empty.shape)
        bloc_aff += empty
        energy = energy + (aff_total[:, None] - bloc_aff.max(axis=2).sum(axis=1))
    best = np.argmax(energy <= energy.min(axis=1, keepdims=True) + _ENERGY_TOL, axis=1)
    e_min = energy[np.arange(T), best]
    scale = np.abs(p_pairs).sum() + np.abs(flat).sum(axis=1)
    ideal = 0.5 * (float(p_pairs.sum()) + aff_total - scale)
    positive = scale > 0
    ratio = np.divide(e_min - ideal, scale, out=np.zeros(T), where=positive)
    # min(max(x, 0.0), 1.0) as landscape() takes it, signed zeros included
    ratio = np.where(ratio < 0.0, 0.0, ratio)
    frustration = np.where(positive, np.where(ratio > 1.0, 1.0, ratio), 0.0)
    n_blocs = parts.max(axis=1)[best].astype(np.int64) + 1
    return e_min, frustration, n_blocs


# --------------------------------------------------------------------------- spheres


def n_spheres(composite_named: np.ndarray, threshold: float) -> int | np.ndarray:
    """Number of distinct powers that are the top partner of at least one state whose top
    composite share is >= threshold: how many spheres of influence the region splits into
    (a state below the threshold is non-aligned). Broadcasts over axes before (S, P)."""
    a = np.asarray(composite_named, dtype=float)
    top = np.argmax(a, axis=-1)
    aligned = np.take_along_axis(a, top[..., None], axis=-1)[..., 0] >= threshold
    hit = (top[..., None] == np.arange(a.shape[-1])) & aligned[..., None]
    count = hit.any(axis=-2).sum(axis=-1)
    return int(count) if count.ndim == 0 else count
