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
random numbers across EMA's experiments) on the base scenario read once per process:
the YAML of a design point is never re-read. The callable is picklable, so EMA's
MultiprocessingEvaluator works as well as its SequentialEvaluator.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polarsim.errors import PolarsimInputError

#: scenarios loaded in this process, by (file, overrides): each EMA worker reads its
#: base scenario once however many experiments it evaluates
_BASES: dict[tuple[str, tuple[str, ...]], Any] = {}


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
        if key not in _BASES:
            _BASES[key] = load_scenario(self.scenario, list(self.overrides))
        return _BASES[key]

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
    if isinstance(spec, list):
        return ema.CategoricalParameter(name, spec, variable_name=variables)
    if isinstance(spec, tuple) and len(spec) == 2:
        lo, hi = spec
        if isinstance(lo, int) and isinstance(hi, int):
            return ema.IntegerParameter(name, lo, hi, variable_name=variables)
        return ema.RealParameter(name, float(lo), float(hi), variable_name=variables)
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
    years to the scenario's last."""
    ema = import_ema()
    source = Path(source)
    from polarsim.inputs.kinds import file_kind

    overrides: tuple[str, ...] = ()
    params: list = []
    if file_kind(source) == "experiment":
        from polarsim.experiment.spec import base_path, load_experiment

        exp = load_experiment(source)
        scenario = base_path(source, exp)
        overrides = tuple(exp.overrides)
        params = [_parameter(ema, n, p, p.paths) for n, p in exp.parameters.items()]
        outcomes = outcomes or exp.outcomes.metrics
        years = years or exp.outcomes.years
        seed = exp.seed if seed is None else seed
        replicates = replicates or exp.replicates
    else:
        scenario = source
    params += [_parameter(ema, path, spec) for path, spec in (uncertainties or {}).items()]
    lever_params = [_parameter(ema, path, spec) for path, spec in (levers or {}).items()]
    if not params and not lever_params:
        raise PolarsimInputError(
            "nothing varies: give uncertainties or levers (or an experiment file with parameters)",
            field="uncertainties",
        )
    if not years:
        from polarsim.scenario import load_scenario

        years = [load_scenario(scenario, list(overrides)).time.end_year]
    function = PolarsimFunction(
        str(scenario),
        overrides,
        tuple(outcomes or ("autonomy_index",)),
        tuple(int(y) for y in years),
        int(seed or 0),
        int(replicates or 1),
    )
    model = ema.Model(name, function=function)
    model.uncertainties = params
    model.levers = lever_params
    model.outcomes = [ema.ScalarOutcome(n) for n in function.outcome_names]
    return model
