"""Design matrices: one row per design point (`run_id`), one column per parameter.

Grid, random and Latin hypercube use numpy / scipy.stats.qmc seeded from the root seed;
Sobol (Saltelli) and Morris use SALib's samplers (imported lazily), in sampler order, so
that `polarsim analyze` can compute indices from `design.parquet`."""

from __future__ import annotations

import io
import itertools
import math

import numpy as np
import pandas as pd

from polarsim.errors import PolarsimInputError
from polarsim.experiment.limits import DESIGN_VALUE_BYTES, MAX_RUNS
from polarsim.experiment.spec import Experiment, Parameter
from polarsim.experiment.table import read_design_table


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
    points = design_points(exp)
    if points is not None:  # before anything is allocated, whoever the caller
        check_size(exp, points, file=None)
    if d.type == "table":
        return _table(exp)
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


def design_points(exp: Experiment) -> int | None:
    """Rows `make_design` will build, computed without building them (None for a
    table, whose rows are counted when it is read): grid, the product of the values or
    levels; random and Latin hypercube, N; Sobol (Saltelli), N(D + 2), or N(2D + 2)
    with second-order indices; Morris, N(D + 1) for N trajectories of D parameters."""
    d, ps = exp.design, list(exp.parameters.values())
    if not ps:
        return 1
    n_par = len(ps)
    if d.type == "table":
        return None
    if d.type == "grid":
        return math.prod(len(p.values) if p.values is not None else d.levels for p in ps)
    if d.type == "sobol":
        return d.samples * (2 * n_par + 2 if d.second_order else n_par + 2)
    if d.type == "morris":
        return d.trajectories * (n_par + 1)
    return d.samples


def _size_field(exp: Experiment) -> str:
    """The design field that sets its size (named in a refusal)."""
    d = exp.design
    if d.type == "grid":
        return "design.levels" if d.levels is not None else "parameters"
    return "design.trajectories" if d.type == "morris" else "design.samples"


def _megabytes(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:,.0f} MB" if n_bytes < 1e9 else f"{n_bytes / 1e9:,.1f} GB"


def check_size(
    exp: Experiment,
    points: int,
    *,
    file: str | None,
    size_field: str | None = None,
    replicates_field: str = "replicates",
) -> None:
    """Refuse a sweep of more than MAX_RUNS runs before its design is built. The
    message gives the size, a lower bound of the design's memory and the field that
    drove it: `size_field` (default: the file's design field; "--samples" when the
    command line set it) or `replicates_field`."""
    runs = points * exp.replicates
    if runs <= MAX_RUNS:
        return
    n_par = len(exp.parameters)
    memory = _megabytes(points * (n_par + 1) * DESIGN_VALUE_BYTES)
    limit = f"above the limit of {MAX_RUNS:,} runs (polarsim.experiment.limits.MAX_RUNS)"
    if points > MAX_RUNS or exp.replicates == 1:
        field = size_field or _size_field(exp)
        raise PolarsimInputError(
            f"a {exp.design.type} design of {points:,} points ({n_par} parameters; at least "
            f"{memory} for the design alone) x {exp.replicates:,} replicate(s) = {runs:,} "
            f"runs, {limit}: lower {field} or split the study into several sweeps",
            file=None if field.startswith("--") else file,
            field=field,
        )
    raise PolarsimInputError(
        f"{points:,} design points x {exp.replicates:,} replicates = {runs:,} runs, {limit}: "
        f"lower {replicates_field}",
        file=None if replicates_field.startswith("--") else file,
        field=replicates_field,
    )


def _table(exp: Experiment) -> pd.DataFrame:
    """Design points given as a CSV file: one column per parameter (others ignored)."""
    file = exp.design.file
    names = list(exp.parameters)
    text, rows = read_design_table(file, dict(exp.parameters))
    check_size(exp, rows, file=file, size_field="design.file")
    table = pd.read_csv(io.StringIO(text), skipinitialspace=False)
    table.columns = [str(c).strip() for c in table.columns]
    out = table[names].reset_index(drop=True)
    out.insert(0, "run_id", np.arange(len(out), dtype=np.int64))
    return out
