"""Check an experiment file without running it: everything a sweep of it can be refused
for, found before a run starts (`polarsim validate`, `sweep --dry-run`, and `sweep`
itself through `refuse_experiment`).

    from polarsim.experiment.check import check_experiment, refuse_experiment

    problems, summary = check_experiment("experiments/sobol_autonomy.yaml")
    refuse_experiment(path, samples=128)  # raises InputProblemsError, or the summary

What is checked, each problem naming the experiment file and its field:

- the file itself (schema, the files it names), and its base scenario;
- its `overrides`, each refusal named `overrides[i]` of the experiment file;
- the base with every varied path at the ends of its range, or at each of its values;
- the size: at most MAX_RUNS runs (design points x replicates, as on the command line);
- the outcomes: every metric a column of the base's states table (a text column cannot
  be averaged by `aggregate: mean`), every kept year simulated by the base and by the
  runs at the ends of each varied parameter (a varied `time.end_year`);
- a normal distribution whose draws leave the range of the field it sets (the schema's):
  refused when any draw of the design falls outside, or when the normal puts at least
  DRAWS_OUTSIDE_SHARE of its mass outside (another seed or size would draw there).

Problems are returned by `check_experiment`, never raised."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any, get_args, get_origin

from polarsim.errors import PolarsimInputError
from polarsim.experiment.design import check_size, design_points
from polarsim.experiment.spec import base_path, param_paths, read_experiment
from polarsim.inputs.problems import (
    InputProblemsError,
    Problem,
    RawProblem,
    as_problems,
    render_path,
    unwrap_type,
)
from polarsim.scenario.load import ScenarioSource, load_checked, split_set

#: a normal distribution putting at least this share of its mass outside the range of
#: the field it sets is refused, even if the design's own draws all fall inside: one run
#: in a hundred would fail with another seed or size
DRAWS_OUTSIDE_SHARE = 0.01


def check_experiment(
    path: str | Path, *, samples: int | None = None, replicates: int | None = None
) -> tuple[list[Problem], str]:
    """(problems, size summary) of an experiment file, with the design size and the
    replicates of the command line (`--samples`, `--replicates`) when given. Problems
    are returned, never raised."""
    problems, summary, _ = _checked(path, samples, replicates)
    return problems, summary


def _checked(
    path: str | Path, samples: int | None, replicates: int | None
) -> tuple[list[Problem], str, set[str]]:
    """`check_experiment`'s problems and summary, and the parameters the base scenario
    refuses at every value probed (an unknown actor in a path): those fail every run."""
    from polarsim.experiment.folder import _scaled

    path = Path(path)
    try:
        exp, doc = read_experiment(path)
        exp, _ = _scaled(exp, {}, samples, replicates)
    except PolarsimInputError as exc:
        return as_problems(exc, str(path)), "", set()
    base = base_path(path, exp)
    source = ScenarioSource(base)
    scenario, problems = _with_overrides(doc, source, base, exp.overrides)
    if problems:
        return problems, "", set()
    probes: list[tuple[str, Any, set[int]]] = []  # (parameter, value, years simulated)
    everywhere: set[str] = set()
    for name, p in exp.parameters.items():
        refusal = None
        passed = False
        for value in _probe_values(p):
            sets = [f"{q}={json.dumps(value)}" for q in param_paths(name, p)]
            probed, found = source.checked([*exp.overrides, *sets])
            if not found:
                passed = True
                probes.append((name, value, set(probed.years)))
            elif refusal is None:
                refused = "; ".join(f"{q.path}: {q.message}" for q in found[:3])
                if "without decimals" in refused and p.range is not None and not p.integer:
                    # the design draws floats across a range: the parameter takes them
                    # rounded only if it says so
                    refused += "; the field takes whole numbers: add `integer: true`"
                refusal = Problem(
                    str(path),
                    f"parameters.{name}",
                    f"at {value!r} the base scenario {base.name} refuses it: {refused}",
                )
        if refusal is not None:
            problems.append(refusal)
            if not passed:
                everywhere.add(refusal.path)
    size = _size_problems(doc, exp, samples, replicates)
    problems += size
    problems += doc.problems(_outcome_problems(exp, base, scenario, probes))
    if not size:  # the design's draws, once it is known to be of a size to build
        problems += doc.problems(_draw_problems(exp))
    return problems, _size_summary(exp, _points(exp)), everywhere


def _points(exp) -> int | None:
    """The design's points: a table's rows once it reads (else None: its problems are
    reported by `_size_problems`)."""
    points = design_points(exp)
    if points is None and exp.design.file is not None:
        from polarsim.experiment.table import read_design_table

        try:
            points = read_design_table(exp.design.file, dict(exp.parameters))[1]
        except PolarsimInputError:
            return None
    return points


def refuse_experiment(
    path: str | Path,
    *,
    samples: int | None = None,
    replicates: int | None = None,
    points: bool = True,
) -> str:
    """`check_experiment`, raising its problems as one InputProblemsError (exit 2 on the
    command line); the size summary when there are none. What a sweep calls before it
    writes or runs anything, with `points` False: a value of a design point that the
    scenario refuses (under `parameters.`) fails that point's runs, which the sweep
    records and goes on from (docs/experiments.md), while `validate` reports it; a
    parameter refused at every value probed fails every run and is refused."""
    problems, summary, everywhere = _checked(path, samples, replicates)
    if not points:
        problems = [
            p
            for p in problems
            if not (p.path or "").startswith("parameters.") or p.path in everywhere
        ]
    if problems:
        raise InputProblemsError(problems)
    return summary


# --- overrides -------------------------------------------------------------------------


def _with_overrides(doc, source: ScenarioSource, base: Path, overrides: list[str]):
    """(the base scenario with the experiment's overrides, problems). A problem the
    base has without them is the base's (its file named); one the overrides bring is
    the experiment's, named `overrides[i]`."""
    scenario, found = source.checked(overrides)
    if not found or not overrides:
        return scenario, found
    _, own = load_checked(base)
    if own:
        return None, own
    raw = []
    for p in found:
        i, exact = _override_of(p, base, overrides)
        message = re.sub(r"^--set (?:\S+: )?", "", p.message)
        if not exact and p.path:
            message = f"the base scenario {base.name} then refuses {p.path}: {message}"
        keys: tuple = ("overrides",) if i is None else ("overrides", i)
        item = "" if i is None else f"{overrides[i]}: "
        raw.append(RawProblem(keys, item + message))
    return None, doc.problems(raw)


def _override_of(problem: Problem, base: Path, overrides: list[str]) -> tuple[int | None, bool]:
    """(index of the override a problem comes from, whether it sets the problem's field
    itself): the last one setting the field or a field around it, else the first whose
    addition makes the base refuse."""
    if problem.path:
        for i in reversed(range(len(overrides))):
            try:
                written = render_path(tuple(split_set(overrides[i])[0]))
            except PolarsimInputError:
                continue
            if problem.path == written:
                return i, True
            if problem.path.startswith((written + ".", written + "[")):
                return i, False
    for i in range(len(overrides)):
        if load_checked(base, overrides[: i + 1])[1]:
            return i, False
    return None, False


# --- size ------------------------------------------------------------------------------


def _size_problems(doc, exp, samples: int | None, replicates: int | None) -> list[Problem]:
    """A design above MAX_RUNS runs, refused as a sweep refuses it (experiment.design.
    check_size), the field named: the command-line flag when one set the size."""
    from polarsim.experiment.table import read_design_table

    file = doc.file
    points = design_points(exp)
    size_field = "--samples" if samples is not None else None
    try:
        if points is None:  # a table: its rows, once it is read and checked
            _, points = read_design_table(exp.design.file, dict(exp.parameters))
            size_field = "design.file"
        check_size(
            exp,
            points,
            file=file,
            size_field=size_field,
            replicates_field="--replicates" if replicates is not None else "replicates",
        )
    except PolarsimInputError as exc:
        if exc.file == file and exc.field and not exc.field.startswith("--"):
            keys = tuple(exc.field.split("."))
            return doc.problems([RawProblem(keys, exc.detail, path=exc.field)])
        return as_problems(exc, file)
    return []


# --- outcomes --------------------------------------------------------------------------


def _span(years) -> str:
    years = sorted(years)
    return f"{years[0]}-{years[-1]}" if years else "no year"


def _outcome_problems(exp, base: Path, scenario, probes) -> list[RawProblem]:
    """Outcomes every run would fail on: a metric that is not a states column (or a
    text column averaged), a kept year the base or a varied end does not simulate."""
    from polarsim.run import states_columns  # the model: not for validate's start-up

    oc, out = exp.outcomes, []
    columns = states_columns(scenario)
    for i, metric in enumerate(oc.metrics if columns is not None else ()):
        if metric not in columns:
            close = difflib.get_close_matches(metric, list(columns), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append(
                RawProblem(
                    ("outcomes", "metrics", i),
                    f"unknown states column {metric!r}{hint}: every run would fail; the "
                    f"states table of {base.name} has {len(columns)} columns (docs/metrics.md)",
                )
            )
        elif columns[metric] and oc.aggregate == "mean":
            out.append(
                RawProblem(
                    ("outcomes", "metrics", i),
                    f"{metric!r} is a text column (a code per state), which `aggregate: mean` "
                    "cannot average: keep it with `aggregate: state`, or drop it",
                )
            )
    if oc.years is None:
        return out
    simulated = set(scenario.years)
    missing = [(i, y) for i, y in enumerate(oc.years) if y not in simulated]
    for i, year in missing:
        out.append(
            RawProblem(
                ("outcomes", "years", i),
                f"{year} is not simulated: the base scenario {base.name} (with the "
                f"experiment's overrides) runs {_span(simulated)}",
            )
        )
    if missing:
        return out
    for name, value, years in probes:
        left = [y for y in oc.years if y not in years]
        if left:
            out.append(
                RawProblem(
                    ("parameters", name),
                    f"at {value!r} the runs simulate {_span(years)}, without the years "
                    f"{left} of outcomes.years: every kept year must be simulated by every run",
                    path=f"parameters.{name}",
                )
            )
    return out


# --- distributions ---------------------------------------------------------------------


def schema_bounds(path: str) -> tuple[float | None, bool, float | None, bool] | None:
    """(low, low is open, high, high is open) of a dotted scenario path as the schema
    bounds it; None where the schema gives no bound or the path is not a field."""
    from pydantic import BaseModel

    from polarsim.scenario.schema import Scenario

    try:
        keys = split_set(f"{path}=0")[0]
    except PolarsimInputError:
        return None
    tp: Any = Scenario
    metadata: list = []
    for key in keys:
        tp, metadata = unwrap_type(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(key) if isinstance(key, str) else None
            if field is None:
                return None
            tp, metadata = field.annotation, list(field.metadata)
        elif get_origin(tp) is dict:
            tp, metadata = get_args(tp)[1], []
        elif get_origin(tp) is list:
            tp, metadata = get_args(tp)[0], []
        else:
            return None
    metadata += unwrap_type(tp)[1]
    lo = hi = None
    lo_open = hi_open = False
    for m in metadata:
        for name in ("ge", "gt", "le", "lt"):
            v = getattr(m, name, None)
            if v is None:
                continue
            if name in ("ge", "gt"):
                lo, lo_open = float(v), name == "gt"
            else:
                hi, hi_open = float(v), name == "lt"
    return None if lo is None and hi is None else (lo, lo_open, hi, hi_open)


def _range_text(bounds) -> str:
    lo, lo_open, hi, hi_open = bounds
    low = "(-inf" if lo is None else f"{'(' if lo_open else '['}{lo:g}"
    high = "inf)" if hi is None else f"{hi:g}{')' if hi_open else ']'}"
    return f"{low}, {high}"


def _outside(values, bounds):
    import numpy as np

    lo, lo_open, hi, hi_open = bounds
    x = np.asarray(values, dtype=float)
    bad = np.zeros(len(x), bool)
    if lo is not None:
        bad |= (x <= lo) if lo_open else (x < lo)
    if hi is not None:
        bad |= (x >= hi) if hi_open else (x > hi)
    return bad


def _draw_problems(exp) -> list[RawProblem]:
    """A normal distribution whose draws leave the schema range of a path it sets."""
    drawn = {n: p for n, p in exp.parameters.items() if p.distribution is not None}
    if not drawn or exp.design.type not in ("random", "latin_hypercube"):
        return []
    from scipy.stats import norm

    from polarsim.experiment.design import make_design

    design = make_design(exp)
    out = []
    for name, p in drawn.items():
        n = p.distribution.normal
        for q in param_paths(name, p):
            bounds = schema_bounds(q)
            if bounds is None:
                continue
            lo, _, hi, _ = bounds
            mass = (norm.cdf(lo, n.mean, n.sd) if lo is not None else 0.0) + (
                norm.sf(hi, n.mean, n.sd) if hi is not None else 0.0
            )
            count = int(_outside(design[name], bounds).sum())
            if count == 0 and mass < DRAWS_OUTSIDE_SHARE:
                continue
            drawn_out = (
                f"{count:,} of the design's {len(design):,} draws fall outside it (those runs "
                "would fail)"
                if count
                else f"at least {DRAWS_OUTSIDE_SHARE:.0%} of the draws would with another "
                "seed or size"
            )
            out.append(
                RawProblem(
                    ("parameters", name, "distribution"),
                    f"a normal of mean {n.mean:g} and sd {n.sd:g} leaves the range "
                    f"{_range_text(bounds)} of {q} with probability {mass:.1%}: {drawn_out}; "
                    "narrow the sd, move the mean, or give a range",
                    path=f"parameters.{name}.distribution",
                )
            )
            break
    return out


# --- summary ---------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _size_summary(exp, points: int | None) -> str:
    """How many runs the experiment makes (a calibration: per generation)."""
    reps = _plural(exp.replicates, "replicate")
    cal = exp.calibration
    if cal is not None:
        per = (
            ""
            if cal.method == "abc_rejection"
            else f" per generation, {cal.generations} generations"
        )
        what = f"calibration ({cal.method})"
    else:
        per, what = "", f"{exp.design.type} design"
    if points is None:
        return f"{what}: the points of a table x {reps}{per}"
    runs = _plural(points * exp.replicates, "run")
    return f"{what}: {_plural(points, 'point')} x {reps} = {runs}{per}"


def _probe_values(p) -> list:
    """The values a parameter takes at the edges: its list of values, the ends of its
    range, or its normal mean (a distribution has no ends)."""
    if p.values is not None:
        return list(p.values)
    if p.range is not None:
        lo, hi = p.range
        return [int(lo), int(hi)] if p.integer else [float(lo), float(hi)]
    return [p.distribution.normal.mean]
