"""What the browser page shows, as plain data: the levers a user can move, the model
the page steps, and the tables its plots and event log are drawn from.

Nothing here imports Solara, so notebooks and tests use it without the `viz` extra:

    from polarsim.viz.data import ExplorerModel, autonomy_frame, event_log
    model = ExplorerModel("scenarios/baseline.yaml", seed=1, exclusivity_RUS=0.9)
    for _ in range(10):
        model.step()
    autonomy_frame(model)      # year x state DataFrame of the autonomy index
    event_log(model)           # what happened, newest first
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic.fields import FieldInfo

from polarsim.codes import ARENA_NOUNS, ARENAS, OTHER
from polarsim.errors import PolarsimInputError
from polarsim.model.doctrines import STATE_DOCTRINES
from polarsim.model.model import CompetitionModel
from polarsim.model.recorder import EVENT_COLUMNS
from polarsim.run import replicate_generators
from polarsim.scenario import Scenario, load_scenario
from polarsim.scenario.actors import PowerSpec, StateSpec
from polarsim.scenario.event_types import log_text
from polarsim.scenario.parameters import CoercionParams, ContestParams, ResponseParams

ARENA_LABELS: dict[str, str] = {a: n.capitalize() for a, n in ARENA_NOUNS.items()}
#: Arenas in the order the page shows them.
ARENA_ORDER: tuple[str, ...] = ("trade", "infra", "security")

#: Positions of a slider: the range is split into at least this many steps (a power
#: of ten each, so values print short).
SLIDER_STEPS = 100
#: Budgets are small (USA 0.005 % of GDP): the budget sliders get a finer step.
BUDGET_SLIDER_STEPS = 1000


@dataclass(frozen=True)
class Lever:
    """One parameter the page offers as a slider: `key` is the keyword of
    ExplorerModel, `path` the scenario path that `--set` would use."""

    key: str
    path: str
    label: str
    value: float
    min: float
    max: float
    step: float

    def override(self, value: float) -> str:
        return f"{self.path}={_fmt(value)}"


def _fmt(value: float) -> str:
    # repr of a float rounded to the slider's resolution: "0.9", not "0.9000000000000001"
    return repr(round(float(value), 6))


def _bounds(field: FieldInfo) -> tuple[float, float]:
    lo = hi = None
    for m in field.metadata:
        lo = getattr(m, "ge", lo)
        hi = getattr(m, "le", hi)
    if lo is None or hi is None:
        raise ValueError(f"parameter without a closed range: {field.description}")
    return float(lo), float(hi)


#: Finest slider step (the resolution of the overrides, see _fmt).
MIN_STEP_EXPONENT = -6


def _on_grid(value: float, lo: float, step: float) -> bool:
    k = (value - lo) / step
    return abs(k - round(k)) < 1e-6


def _step(lo: float, hi: float, steps: int = SLIDER_STEPS, value: float | None = None) -> float:
    """A power of ten splitting [lo, hi] into at least `steps` steps, finer where need
    be so that `value` (the scenario's) is a position of the slider: otherwise the
    slider shows the nearest position (0.5 for a dependence weight of 0.45 with steps
    of 0.1) while the model runs with the scenario's value, and a move of one step
    (0.4 or 0.5) stays within half a step of it, so lever_overrides drops it and the
    lever does nothing."""
    exponent = math.floor(math.log10((hi - lo) / steps))
    while value is not None and exponent > MIN_STEP_EXPONENT:
        if _on_grid(value, lo, 10.0**exponent):
            break
        exponent -= 1
    return float(10.0**exponent)


def _lever(
    key: str,
    path: str,
    label: str,
    value: float,
    field: FieldInfo,
    top: float | None = None,
    steps: int = SLIDER_STEPS,
) -> Lever:
    lo, hi = _bounds(field)
    if top is not None:
        # A narrower slider than the schema allows, so small values stay reachable;
        # never narrower than the scenario's own value.
        hi = max(min(hi, top), float(value))
    return Lever(key, path, label, float(value), lo, hi, _step(lo, hi, steps, float(value)))


#: Mechanism parameters a user reaches for first: (group, name, class, short label).
GLOBAL_LEVERS: tuple[tuple[str, str, type, str], ...] = (
    ("responses", "coordination", ResponseParams, "Regional coordination"),
    ("coercion", "rate", CoercionParams, "Coercion rate"),
    ("contest", "decisiveness", ContestParams, "Contest decisiveness r"),
    ("responses", "dependence_weight", ResponseParams, "Weight of dependence"),
    ("responses", "risk_weight", ResponseParams, "Weight of retaliation risk"),
)
#: Upper end of the budget sliders (% of GDP): the schema allows 5, the catalogue's
#: largest budget is 0.3, so the full range would leave the useful part unreachable.
BUDGET_SLIDER_MAX = 1.0


def levers(scenario: Scenario) -> list[Lever]:
    """The sliders of the page for this scenario, at the scenario's values: exclusivity
    and budget per power, autonomy preference per state (the doctrine's value when the
    file leaves it open), and a few mechanism parameters. Ranges come from the schema."""
    out: list[Lever] = []
    pf, sf = PowerSpec.model_fields, StateSpec.model_fields
    for code, p in scenario.powers.items():
        out.append(
            _lever(
                f"exclusivity_{code}",
                f"powers.{code}.exclusivity",
                f"{code} exclusivity",
                p.exclusivity,
                pf["exclusivity"],
            )
        )
        out.append(
            _lever(
                f"budget_{code}",
                f"powers.{code}.budget_pct_gdp",
                f"{code} budget (% GDP)",
                p.budget_pct_gdp,
                pf["budget_pct_gdp"],
                top=BUDGET_SLIDER_MAX,
                steps=BUDGET_SLIDER_STEPS,
            )
        )
    for code, s in scenario.states.items():
        value = s.autonomy_preference
        if value is None:
            value = STATE_DOCTRINES[s.doctrine].autonomy_preference
        out.append(
            _lever(
                f"autonomy_{code}",
                f"states.{code}.autonomy_preference",
                f"{code} autonomy preference",
                value,
                sf["autonomy_preference"],
            )
        )
    params = scenario.parameters
    for group, name, cls, label in GLOBAL_LEVERS:
        value = getattr(getattr(params, group), name)
        out.append(_lever(name, f"parameters.{group}.{name}", label, value, cls.model_fields[name]))
    return out


def lever_overrides(scenario: Scenario, values: dict[str, Any]) -> list[str]:
    """`--set` strings for the levers whose value differs from the scenario's (by more
    than half a slider step, so a slider left alone changes nothing). Unknown keys are
    an error: they are typos or levers of another scenario."""
    known = {lv.key: lv for lv in levers(scenario)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise PolarsimInputError(
            f"unknown lever(s) {', '.join(unknown)}; this scenario has {', '.join(known)}"
        )
    out = []
    for key, value in values.items():
        lv = known[key]
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise PolarsimInputError(f"{key}: expected a number, found {value!r}") from None
        if not math.isfinite(x):  # NaN is within half a step of nothing: silently dropped
            raise PolarsimInputError(f"{key}: expected a finite number, found {value!r}")
        if abs(x - lv.value) > lv.step / 2:
            out.append(lv.override(x))
    return out


def parse_seed(value: Any) -> int:
    """A seed typed into the page (text) or given as a number."""
    text = str(value).strip()
    # ASCII digits only: str.isdigit() also takes "²", which int() then rejects with a
    # ValueError (a traceback on the page instead of the message)
    if not (text.isascii() and text.isdigit()):
        raise PolarsimInputError(f"seed: expected a whole number >= 0, found {value!r}")
    return int(text)


class ExplorerModel(CompetitionModel):
    """The CompetitionModel of a scenario file with lever values applied as `--set`
    overrides, seeded like replicate 0 of `polarsim run FILE --seed SEED`: the page's
    numbers are those of that command. Keywords are what SolaraViz passes on Reset.

    A bad seed or lever value raises PolarsimInputError, unless `report_problems` is
    set (the page sets it: an exception in Reset would replace the whole page with a
    traceback). Then the model falls back to seed 0 or to the file's own values and
    lists what it did in `problems`, which the page shows next to the numbers."""

    def __init__(
        self,
        scenario_file: str | Path,
        seed: int | str = 0,
        report_problems: bool = False,
        **lever_values: Any,
    ):
        # Mesa's Reset adds its own (empty) experimental Scenario object; this model's
        # scenario is the file, so that object carries nothing to use.
        lever_values.pop("scenario", None)
        self.problems: list[str] = []
        base = load_scenario(scenario_file)
        self.scenario_file = str(scenario_file)
        try:
            self.seed = parse_seed(seed)
        except PolarsimInputError as exc:
            if not report_problems:
                raise
            self.seed = 0
            self.problems.append(f"{exc}; using seed 0")
        try:
            self.overrides = lever_overrides(base, lever_values)
            scenario = load_scenario(scenario_file, self.overrides) if self.overrides else base
        except PolarsimInputError as exc:
            if not report_problems:
                raise
            self.overrides, scenario = [], base
            self.problems.append(f"{exc}; using the file's values")
        super().__init__(scenario, rng=replicate_generators(self.seed, 1)[0], collect=True)

    def command(self) -> str:
        """The command line that reproduces this model's numbers."""
        # quoted for a shell: a path with a space (or $, ', ...) must stay one argument
        sets = "".join(f" --set {shlex.quote(o)}" for o in self.overrides)
        return f"polarsim run {shlex.quote(self.scenario_file)} --seed {self.seed}{sets}"


# ----- tables for the plots ---------------------------------------------------------------
def explorer_for(scenario_file: str | Path) -> type[ExplorerModel]:
    """The page's model class for one scenario file: an ExplorerModel whose file, seed
    (0) and problem reports (on) are defaults. Mesa's Reset builds ``type(model)(**values)``
    from the parameter card; after the scenario picker changed the file, the card Mesa
    kept in the sidebar held no values at all, and Reset raised a TypeError (no
    ``scenario_file``) that replaced the page with a traceback."""
    path = scenario_file

    class PageModel(ExplorerModel):
        def __init__(
            self,
            scenario_file: str | Path = path,
            seed: int | str = 0,
            report_problems: bool = True,
            **lever_values: Any,
        ):
            super().__init__(scenario_file, seed, report_problems, **lever_values)

    PageModel.__name__ = PageModel.__qualname__ = "ExplorerModel"
    return PageModel


def recorded(model: CompetitionModel) -> int:
    """Index of the last year the recorder holds. The tables use it rather than the
    model's step counter, which moves at the start of a step: with Mesa's "Use Threads"
    the page may draw while a step is half done."""
    return int(model.recorder.last)


def recorded_year(model: CompetitionModel) -> int:
    return int(model.full_setup.years[recorded(model)])


def autonomy_frame(model: CompetitionModel, metric: str = "autonomy_index") -> pd.DataFrame:
    """One row per year so far, one column per state: a state metric of the recorder."""
    su = model.full_setup
    t = recorded(model)
    values = model.recorder.state_metrics(upto=t)[metric]
    return pd.DataFrame(
        values,
        index=pd.Index(su.years[: t + 1].astype(int), name="year"),
        columns=pd.Index(list(su.states), name="state"),
    )


def ties_frame(model: CompetitionModel, year_index: int | None = None) -> pd.DataFrame:
    """Shares of each state's ties by arena and partner in one year (the current one by
    default): rows (arena, state), columns the powers then `other`; rows sum to 1."""
    su = model.full_setup
    t = recorded(model) if year_index is None else year_index
    shares = model.recorder.shares[t]  # (3, S, P+1)
    rows = []
    index = []
    for arena in ARENA_ORDER:
        a = ARENAS.index(arena)
        for s, state in enumerate(su.states):
            rows.append(shares[a, s])
            index.append((arena, state))
    return pd.DataFrame(
        np.array(rows),
        index=pd.MultiIndex.from_tuples(index, names=["arena", "state"]),
        columns=pd.Index([*su.powers, OTHER], name="partner"),
    )


def ties_history(model: CompetitionModel, state: str) -> pd.DataFrame:
    """One state's shares over the years so far: rows year, columns (arena, partner)."""
    su = model.full_setup
    if state not in su.states:
        raise PolarsimInputError(f"unknown state {state!r}; known: {', '.join(su.states)}")
    s = su.states.index(state)
    t = recorded(model)
    shares = model.recorder.shares[: t + 1, :, s, :]  # (T, 3, P+1)
    partners = [*su.powers, OTHER]
    cols = {}
    for arena in ARENA_ORDER:
        a = ARENAS.index(arena)
        for j, p in enumerate(partners):
            cols[(arena, p)] = shares[:, a, j]
    frame = pd.DataFrame(cols, index=pd.Index(su.years[: t + 1].astype(int), name="year"))
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["arena", "partner"])
    return frame


def network_edges(model: CompetitionModel) -> pd.DataFrame:
    """The ties of the current year as edges power -> state: a share per arena and the
    composite share (arena weights of the scenario's metrics, as in the influence
    measure), one row per pair with a non-zero tie."""
    su = model.full_setup
    shares = model.recorder.shares[recorded(model)][:, :, :-1]  # (3, S, P)
    composite = np.tensordot(su.arena_weights, shares, axes=1)  # (S, P)
    rows = []
    for s, state in enumerate(su.states):
        for p, power in enumerate(su.powers):
            if composite[s, p] <= 0:
                continue
            row = {"power": power, "state": state, "composite": float(composite[s, p])}
            for arena in ARENA_ORDER:
                row[arena] = float(shares[ARENAS.index(arena), s, p])
            rows.append(row)
    return pd.DataFrame(rows, columns=["power", "state", "composite", *ARENA_ORDER])


# ----- the event log ------------------------------------------------------------------------
#: The model's own kinds of entry; the scenario's event types bring their texts along
#: (polarsim.scenario.event_types.log_text). Coercion names its instrument in the text.
_MODEL_VERBS = {
    "coercion": "{actor} coerces {target} ({detail})",
    "power_enters": "{actor} enters the region ({detail})",
    "power_leaves": "{actor} withdraws from the region",
}


def event_text(kind: str, actor: str, target: str, detail: str, value: float) -> str:
    """One line of the event log in words."""
    text = log_text(kind, actor, target, detail, value)
    if text is not None:
        return text
    template = _MODEL_VERBS.get(kind)
    if template is not None:
        return template.format(actor=actor, target=target, detail=detail, value=value)
    # project decisions and anything new: kind, actors, detail
    who = " -> ".join(x for x in (actor, target) if x)
    text = f"{kind.replace('_', ' ')}: {who}" if who else kind.replace("_", " ")
    return f"{text} ({detail})" if detail else text


def event_log(model: CompetitionModel, limit: int | None = None) -> pd.DataFrame:
    """The model's events so far, newest first, with a `text` column in words.
    `limit` keeps the newest rows only."""
    events = model.events if limit is None else model.events[-limit:]
    frame = pd.DataFrame(list(reversed(events)), columns=EVENT_COLUMNS)
    frame = frame.drop(columns="replicate")
    frame["text"] = [
        event_text(k, a, t, d, v)
        for k, a, t, d, v in zip(
            frame["kind"],
            frame["actor"],
            frame["target"],
            frame["detail"],
            frame["value"],
            strict=True,
        )
    ]
    return frame.reset_index(drop=True)


def summary(model: CompetitionModel) -> dict[str, Any]:
    """The numbers of the page's status card, for the last recorded year."""
    su, rec, t = model.full_setup, model.recorder, recorded(model)
    autonomy = rec.state_metrics(upto=t, first=t)["autonomy_index"]
    system = rec.system_metrics(autonomy, upto=t, first=t)
    return {
        "scenario": su.scenario.name,
        "year": recorded_year(model),
        "step": t,
        "steps": len(su.years) - 1,
        "mean_autonomy": float(autonomy[-1].mean()),
        "con": float(system["con"][-1]),
        "events": len(model.events),
    }


def scenario_files(folder: str | Path) -> list[Path]:
    """The scenario files a page offers: `*.yaml` in a folder, sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PolarsimInputError(f"{folder}: not a folder of scenario files")
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise PolarsimInputError(f"{folder}: no scenario files (*.yaml)")
    return files
