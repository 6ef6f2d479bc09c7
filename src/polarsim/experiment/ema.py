"""EMA Workbench connector (`pip install 'polarsim[ema]'`): polarsim as an EMA model in
one call, from an experiment file or from dotted paths.

    from ema_workbench import SequentialEvaluator, perform_experiments
    from polarsim.experiment.ema import ema_model

    model = ema_model("experiments/sobol_autonomy.yaml")           # uncertainties,
    with SequentialEvaluator(model) as ev:                          # outcomes, seed
        experiments, outcomes = perform_experiments(model, 100, evaluator=ev)

    model = ema_model(
        "scenarios/baseline.yaml",
        uncertainties={"powers.RUS.exclusivity": (0.0, 1.0)},
        levers={"parameters.responses.coordination": (0.0, 1.0)},
        outcomes=["autonomy_index", "vulnerability"],
        years=[2050],
    )

Each EMA parameter maps to the dotted paths it sets (`variable_name`; an experiment
parameter with `paths` sets them all); each outcome is `<metric>_<year>`, the mean over
states and replicates. Every evaluation runs `polarsim.run` with the same seed (common
random numbers across EMA's experiments) on the base scenario read once per process
(and again if it or a file it extends changed): the YAML of a design point is never
read. The arguments are checked when the model is built, before any experiment. The
callable is picklable, so EMA's MultiprocessingEvaluator works as well as its
SequentialEvaluator.
"""

from __future__ import annotations

import numbers
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polarsim.errors import PolarsimInputError

#: scenarios loaded in this process, by (file, overrides), with the (path, mtime, size)
#: of the file and of every file it extends when it was read: each EMA worker reads its
#: base scenario once however many experiments it evaluates, and again when one of those
#: files changed (a notebook editing the scenario between two models)
_BASES: dict[tuple[str, tuple[str, ...]], tuple[tuple, Any]] = {}


def _stamps(paths) -> tuple:
    """(path, mtime in ns, size) of each file; None for one that cannot be read."""
    out = []
    for path in paths:
        try:
            st = Path(path).stat()
            out.append((str(path), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


def _files(scenario: str) -> list[Path]:
    """The scenario file and every file it extends."""
    from polarsim.experiment.folder import extends_chain

    return [Path(scenario), *extends_chain(Path(scenario))]


def import_ema(module: str = "ema_workbench"):
    """An EMA Workbench module (the package, or e.g. `ema_workbench.analysis.prim`),
    imported on first use; its import warns about optional parallel back-ends polarsim
    does not use. A PolarsimInputError if the extra is not installed."""
    import importlib

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return importlib.import_module(module)
    except ImportError as exc:
        raise PolarsimInputError("this needs EMA Workbench: pip install 'polarsim[ema]'") from exc


def identifier(path: str) -> str:
    """An EMA name for a dotted path (EMA 3 wants Python identifiers):
    `powers.RUS.exclusivity` -> `powers_RUS_exclusivity`."""
    name = re.sub(r"\W", "_", path)
    return name if name.isidentifier() else f"p_{name}"


@dataclass
class PolarsimFunction:
    """What EMA calls for one experiment: dotted paths as keyword arguments in, one
    number per outcome out."""

    scenario: str
    overrides: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ("autonomy_index",)
    years: tuple[int, ...] = (2050,)
    seed: int = 0
    replicates: int = 1
    _names: dict[str, tuple[str, int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._names = {f"{m}_{y}": (m, y) for m in self.metrics for y in self.years}

    @property
    def outcome_names(self) -> list[str]:
        return list(self._names)

    def base(self):
        from polarsim.scenario import load_scenario

        key = (self.scenario, self.overrides)
        kept = _BASES.get(key)
        if kept is not None and _stamps(path for path, _, _ in kept[0]) == kept[0]:
            return kept[1]
        stamps = _stamps(_files(self.scenario))  # before reading: an edit after is seen
        scenario = load_scenario(self.scenario, list(self.overrides))
        _BASES[key] = (stamps, scenario)
        return scenario

    def __call__(self, **params: Any) -> dict[str, float]:
        from polarsim.run import run

        result = run(self.base(), seed=self.seed, replicates=self.replicates, params=params)
        states = result.states
        out = {}
        for name, (metric, year) in self._names.items():
            rows = states[states["year"] == year]
            if rows.empty:
                raise PolarsimInputError(
                    f"the scenario does not simulate {year} "
                    f"({states['year'].min()}-{states['year'].max()})",
                    field="years",
                )
            out[name] = float(rows[metric].mean())
        return out


def _parameter(ema, path: str, spec: Any, paths: Sequence[str] | None = None):
    """An EMA parameter for a dotted path: (low, high) -> RealParameter (IntegerParameter
    for two ints), a list -> CategoricalParameter, an experiment file's Parameter as its
    range, values or normal distribution."""
    name = identifier(path)
    variables = list(paths or [path])
    if hasattr(spec, "range"):  # an experiment file's Parameter
        if spec.values is not None:
            return ema.CategoricalParameter(name, list(spec.values), variable_name=variables)
        if spec.range is not None:
            lo, hi = spec.range
            if spec.integer:
                return ema.IntegerParameter(name, int(lo), int(hi), variable_name=variables)
            return ema.RealParameter(name, float(lo), float(hi), variable_name=variables)
        from scipy.stats import norm

        n = spec.distribution.normal
        return ema.RealParameter.from_dist(name, norm(n.mean, n.sd), variable_name=variables)
    try:  # EMA's own refusals (a list of one value, low above high) name the path
        if isinstance(spec, list):
            return ema.CategoricalParameter(name, spec, variable_name=variables)
        if isinstance(spec, tuple) and len(spec) == 2:
            lo, hi = spec
            if isinstance(lo, int) and isinstance(hi, int):
                return ema.IntegerParameter(name, lo, hi, variable_name=variables)
            return ema.RealParameter(name, float(lo), float(hi), variable_name=variables)
    except (ValueError, TypeError) as exc:
        raise PolarsimInputError(f"{exc} (found {spec!r})", field=path) from None
    raise PolarsimInputError(
        f"expected (low, high) or a list of values, found {spec!r}", field=path
    )


def ema_model(
    source: str | Path,
    *,
    uncertainties: Mapping[str, Any] | None = None,
    levers: Mapping[str, Any] | None = None,
    outcomes: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    seed: int | None = None,
    replicates: int | None = None,
    name: str = "polarsim",
):
    """An `ema_workbench.Model` running polarsim. `source` is an experiment file (its
    parameters become the uncertainties, its outcomes, years, seed and replicates the
    defaults) or a scenario file with `uncertainties` (and `levers`) given as dotted
    paths to (low, high) or lists of values. Outcomes default to the autonomy index,
    years to the scenario's last. Refused here with a PolarsimInputError naming the
    argument, before any experiment runs: outcomes that are not numeric states columns,
    years that are not a non-empty list of years the scenario simulates, replicates below
    1, a negative seed, a parameter the scenario refuses at the ends of its range (or at
    one of its values: an unknown path). The base scenario is read here and kept for
    the process; it is read again when it or a file it extends has changed."""
    ema = import_ema()
    source = Path(source)
    outcomes = _checked_outcomes(outcomes)
    years = _checked_years(years)
    from polarsim.inputs.kinds import file_kind

    overrides: tuple[str, ...] = ()
    params: list = []
    if file_kind(source) == "experiment":
        from polarsim.experiment.spec import base_path, load_experiment

        exp = load_experiment(source)
        scenario = base_path(source, exp)
        overrides = tuple(exp.overrides)
        params = [_parameter(ema, n, p, p.paths) for n, p in exp.parameters.items()]
        fields = [(str(source), f"parameters.{n}") for n in exp.parameters]
        outcomes = outcomes or exp.outcomes.metrics
        years = years or exp.outcomes.years
        seed = exp.seed if seed is None else seed
        replicates = replicates or exp.replicates
    else:
        scenario, fields = source, []
    params += [_parameter(ema, path, spec) for path, spec in (uncertainties or {}).items()]
    lever_params = [_parameter(ema, path, spec) for path, spec in (levers or {}).items()]
    fields += [(None, f"uncertainties[{path!r}]") for path in uncertainties or {}]
    fields += [(None, f"levers[{path!r}]") for path in levers or {}]
    if not params and not lever_params:
        raise PolarsimInputError(
            "nothing varies: give uncertainties or levers (or an experiment file with parameters)",
            field="uncertainties",
        )
    if replicates is not None and (
        isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 1
    ):
        raise PolarsimInputError(
            f"expected a whole number at least 1, found {replicates!r}", field="replicates"
        )
    if seed is not None:
        from polarsim.run import check_seed

        seed = check_seed(seed)
    # read now: a bad scenario is refused here, not at each experiment
    base = PolarsimFunction(str(scenario), overrides).base()
    function = PolarsimFunction(
        str(scenario),
        overrides,
        tuple(outcomes or ("autonomy_index",)),
        tuple(years or [base.time.end_year]),
        int(seed or 0),
        int(replicates or 1),
    )
    _check_against(
        base, Path(scenario).name, function, zip(fields, [*params, *lever_params], strict=True)
    )
    model = ema.Model(name, function=function)
    model.uncertainties = params
    model.levers = lever_params
    model.outcomes = [ema.ScalarOutcome(n) for n in function.outcome_names]
    return model


def _checked_outcomes(outcomes) -> list[str] | None:
    if outcomes is None:
        return None
    if isinstance(outcomes, str | bytes) or not isinstance(outcomes, Sequence):
        raise PolarsimInputError(
            f"expected a list of states columns (e.g. ['autonomy_index']), found {outcomes!r}",
            field="outcomes",
        )
    bad = [m for m in outcomes if not isinstance(m, str)]
    if bad or not outcomes:
        raise PolarsimInputError(
            f"expected a non-empty list of states column names, found {list(outcomes)!r}",
            field="outcomes",
        )
    return list(outcomes)


def _checked_years(years) -> list[int] | None:
    if years is None:
        return None
    whole = isinstance(years, Sequence) and not isinstance(years, str | bytes)
    if whole:
        whole = all(isinstance(y, numbers.Integral) and not isinstance(y, bool) for y in years)
    if not whole:
        raise PolarsimInputError(
            f"expected a list of whole years (e.g. [2050]), found {years!r}", field="years"
        )
    if not years:
        raise PolarsimInputError(
            "expected a non-empty list of whole years (e.g. [2050]), found []", field="years"
        )
    return [int(y) for y in years]


def _check_against(base, name: str, function: PolarsimFunction, params: list) -> None:
    """Refuse at construction what would fail every experiment: an outcome that is not a
    numeric states column, a year the scenario does not simulate, a parameter the
    scenario refuses at the ends of its range (or at a value of its list)."""
    # polarsim.run imports the model: here, not at the top (validate's start-up)
    from polarsim.run import check_metric_columns

    check_metric_columns(function.metrics, base, "outcomes", name=name)
    simulated = set(base.years)
    missing = [y for y in function.years if y not in simulated]
    if missing:
        raise PolarsimInputError(
            f"{missing} not simulated: {name} runs {min(simulated)}-{max(simulated)}",
            field="years",
        )
    for (file, where), param in params:
        _probe(base, name, param, file, where)


def _probe(base, name: str, param, file: str | None, where: str) -> None:
    """The scenario with `param` at its ends (or each of its values), as an experiment
    sets it (`with_params`): a refusal names the parameter."""
    import math

    from polarsim.scenario.overrides import with_params

    if hasattr(param, "categories"):
        values = [c.value for c in param.categories]
    elif math.isfinite(param.lower_bound) and math.isfinite(param.upper_bound):
        values = [param.lower_bound, param.upper_bound]
    else:  # a normal: its mean, as `polarsim validate` probes it
        values = [float(param.dist.mean())]
    variables = param.variable_name
    variables = [variables] if isinstance(variables, str) else list(variables)
    for value in values:
        try:
            with_params(base, {v: value for v in variables})
        except PolarsimInputError as exc:
            found = getattr(exc, "problems", None)
            why = "; ".join(f"{q.path}: {q.message}" for q in found[:3]) if found else exc.detail
            raise PolarsimInputError(
                f"at {value!r} the scenario {name} refuses it: {why}", file=file, field=where
            ) from None
