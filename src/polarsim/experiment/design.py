"""Design matrices: one row per design point (`run_id`), one column per parameter.

Grid, random and Latin hypercube use numpy / scipy.stats.qmc seeded from the root seed;
Sobol (Saltelli) and Morris use SALib's samplers (imported lazily), in sampler order, so
that `polarsim analyze` can compute indices from `design.parquet`."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from polarsim.experiment.spec import Experiment, Parameter


def salib_problem(exp: Experiment) -> dict:
    names = list(exp.parameters)
    return {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(exp.parameters[n].range) for n in names],
    }


def _axis(p: Parameter, levels: int | None) -> list:
    if p.values is not None:
        return list(p.values)
    lo, hi = p.range
    vals = np.linspace(lo, hi, levels)
    return [int(round(v)) for v in vals] if p.integer else [float(v) for v in vals]


def _from_unit(p: Parameter, u: np.ndarray) -> list:
    """Map uniform [0, 1) draws to the parameter's values, range or distribution."""
    if p.values is not None:
        idx = np.minimum((u * len(p.values)).astype(int), len(p.values) - 1)
        return [p.values[i] for i in idx]
    if p.range is not None:
        lo, hi = p.range
        x = lo + u * (hi - lo)
    else:
        from scipy.stats import norm

        n = p.distribution.normal
        x = norm.ppf(np.clip(u, 1e-12, 1 - 1e-12), loc=n.mean, scale=n.sd)
    return [int(round(v)) for v in x] if p.integer else [float(v) for v in x]


def make_design(exp: Experiment) -> pd.DataFrame:
    """The design table: `run_id` 0..n-1 then one column per parameter."""
    names = list(exp.parameters)
    d = exp.design
    ps = [exp.parameters[n] for n in names]
    if not names:
        return pd.DataFrame({"run_id": [0]})
    if d.type == "table":
        return _table(d.file, names)
    if d.type == "grid":
        rows = list(itertools.product(*[_axis(p, d.levels) for p in ps]))
        cols = {n: [r[i] for r in rows] for i, n in enumerate(names)}
    elif d.type in ("random", "latin_hypercube"):
        if d.type == "random":
            u = np.random.default_rng(np.random.SeedSequence(exp.seed)).random(
                (d.samples, len(names))
            )
        else:
            from scipy.stats import qmc

            u = qmc.LatinHypercube(d=len(names), seed=np.random.default_rng(exp.seed)).random(
                d.samples
            )
        cols = {n: _from_unit(p, u[:, i]) for i, (n, p) in enumerate(zip(names, ps, strict=True))}
    elif d.type == "sobol":
        from SALib.sample import sobol as sobol_sample

        x = sobol_sample.sample(
            salib_problem(exp), d.samples, calc_second_order=d.second_order, seed=exp.seed
        )
        cols = {n: _round(ps[i], x[:, i]) for i, n in enumerate(names)}
    else:  # morris
        from SALib.sample import morris as morris_sample

        x = morris_sample.sample(
            salib_problem(exp), d.trajectories, num_levels=d.levels or 4, seed=exp.seed
        )
        cols = {n: _round(ps[i], x[:, i]) for i, n in enumerate(names)}
    out = pd.DataFrame(cols)
    out.insert(0, "run_id", np.arange(len(out), dtype=np.int64))
    return out


def _round(p: Parameter, x: np.ndarray) -> list:
    return [int(round(v)) for v in x] if p.integer else [float(v) for v in x]


def _table(file: str, names: list[str]) -> pd.DataFrame:
    """Design points given as a CSV file: one column per parameter (others ignored)."""
    from polarsim.errors import PolarsimInputError

    table = pd.read_csv(file)
    missing = [n for n in names if n not in table.columns]
    if missing or table.empty:
        raise PolarsimInputError(
            f"expected one column per parameter ({', '.join(names)}) and at least one row; "
            f"missing {missing}",
            file=file,
            field="design.file",
        )
    out = table[names].reset_index(drop=True)
    out.insert(0, "run_id", np.arange(len(out), dtype=np.int64))
    return out
