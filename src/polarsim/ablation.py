"""Mechanism ablation and decomposition of scenario effects (`polarsim compare --ablate`).

A scenario effect is the paired difference of a metric between a scenario and the
reference scenario (the first), replicate by replicate with common random numbers.
The question a reviewer asks of every effect is *what carries it*: a mechanism of the
model, or a definition of the metric. Two answers are given:

- **ablation**: each mechanism is switched off in turn (its parameters set to the values
  at which it does nothing, in every scenario alike) and the effect measured again; the
  part of the effect that disappears is what the mechanism carries. Mechanisms interact,
  so the carried parts need not add up to the whole: the remainder is reported as is.
- **decomposition**: the change of the autonomy index split into its weighted components
  (diversification, hedging, invulnerability, freedom from coercion), which add up to
  the whole exactly except where the index is clipped to [0, 1].

    from polarsim.ablation import ablate
    result = ablate(["scenarios/baseline.yaml", "scenarios/spheres_of_influence.yaml"],
                    seed=1, replicates=10)
    result.effects      # one row per scenario, mechanism, state (and "region"), year
    result.components   # one row per scenario, component, state, year

Effects whose 95 % interval crosses zero carry ``crosses_zero = True``: they are flagged,
not headlined (docs/experiments.md, ablation).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from polarsim.errors import PolarsimInputError
from polarsim.markdown import markdown_table
from polarsim.run import (
    check_metric_column,
    check_names,
    check_replicates,
    check_seed,
    common_years,
    run,
    scenario_list,
    shared_states,
)
from polarsim.scenario.load import load_scenario, scenario_hash
from polarsim.scenario.schema import Scenario
from polarsim.summaries import check_metric, interval_summary, scenario_names

__all__ = [
    "COMPONENTS",
    "MECHANISMS",
    "Ablation",
    "Mechanism",
    "ablate",
    "ablation_markdown",
    "check_mechanisms",
    "switched_off",
    "with_parameters",
    "without_events",
    "write_ablation",
]

#: Name of the rows that average the states (per replicate, then over replicates).
REGION = "region"
#: Name of the rows of the full model (no mechanism switched off).
FULL_MODEL = "none"


@dataclass(frozen=True)
class Mechanism:
    """A mechanism of the model and what switches it off.

    ``off`` maps dotted paths under ``parameters`` to the value at which the mechanism
    does nothing (docs/model.md names the rule each parameter enters); ``events`` names
    event types removed from every scenario, for a mechanism that no parameter switches
    off alone (sanctions on a state have no strength parameter, and the sanctions' stall
    parameter also sets the stall of a power at war)."""

    name: str
    meaning: str
    off: Mapping[str, Any]
    events: tuple[str, ...] = ()


MECHANISMS: dict[str, Mechanism] = {
    m.name: m
    for m in (
        Mechanism(
            "coercion",
            "coercive acts and their economic costs, memories and backlash",
            {"coercion.rate": 0.0},
        ),
        Mechanism(
            "retaliation_risk",
            "states weigh the expected punishment by a partner's rivals",
            {"responses.risk_weight": 0.0},
        ),
        Mechanism(
            "backlash",
            "past coercion turns autonomy-minded states against the coercer",
            {"responses.backlash_weight": 0.0},
        ),
        Mechanism(
            "dependence_aversion",
            "states avoid deepening ties they already depend on (concentration, lock-in)",
            {"responses.dependence_weight": 0.0, "responses.lock_in_weight": 0.0},
        ),
        Mechanism(
            "sanctions",
            "sanctions cut trade, budgets, growth and the sponsor's projects; on a state, "
            "its trade with the imposers and its arms imports from them",
            # The sanctions events are removed: their parameters at 0 would leave the
            # embargo on a sanctioned state (trade and arms, no parameter scales it) and
            # would switch off the stall of a sponsor at war (infrastructure.
            # stall_sanctions weighs the larger of sanctions and war, model.py).
            {},
            events=("sanctions",),
        ),
        Mechanism(
            "institutions",
            "customs unions, summit formats and alliances change tariffs, contests and "
            "the security ties an alliance guarantees",
            {
                "trade.customs_union_tariff_rise": 0.0,
                "trade.customs_union_internal_gain": 0.0,
                "contest.forum_bonus": 0.0,
                "contest.alliance_bonus": 0.0,
                # an alliance's guarantee adds to its members' security stock each year
                # (mechanisms/institutions.py, security.py)
                "security.guarantee_value": 0.0,
            },
        ),
        Mechanism(
            "project_pipeline",
            "powers propose new infrastructure projects (dated projects still happen)",
            {"infrastructure.proposal_rate": 0.0},
        ),
        Mechanism(
            "trade_promotion",
            "a power's trade engagement raises its trade (credit lines, trade finance)",
            {"trade.promotion_effect": 0.0},
        ),
        Mechanism(
            "trade_trend",
            "the residual trend of observed trade shares carries on, fading",
            {"trade.trend_weight": 0.0},
        ),
    )
}


@dataclass(frozen=True)
class Component:
    """A weighted component of the autonomy index: its column in the states table, the
    weight field under ``parameters.metrics`` and whether the index uses 1 - value."""

    name: str
    column: str
    weight: str
    inverted: bool


COMPONENTS: tuple[Component, ...] = (
    Component("diversification", "diversification", "weight_diversification", False),
    Component("hedging", "hedging_index", "weight_hedging", False),
    Component("invulnerability", "vulnerability", "weight_invulnerability", True),
    Component("freedom", "coercion_loss", "weight_freedom", True),
)


def with_parameters(scenario: Scenario, values: Mapping[str, Any]) -> Scenario:
    """A copy of ``scenario`` with ``values`` (dotted paths under ``parameters``, e.g.
    ``"coercion.rate"``) set, validated by the schema like any scenario file."""
    data = scenario.model_dump(mode="python")
    for path, value in values.items():
        node = data["parameters"]
        *parents, leaf = path.split(".")
        for key in parents:
            if not isinstance(node, dict) or key not in node:
                raise PolarsimInputError(f"no parameter {path!r}", field="parameters")
            node = node[key]
        if not isinstance(node, dict) or leaf not in node:
            raise PolarsimInputError(f"no parameter {path!r}", field="parameters")
        node[leaf] = value
    return Scenario.model_validate(data)


def without_events(scenario: Scenario, types: Sequence[str]) -> Scenario:
    """A copy of ``scenario`` without its events of the given ``types``."""
    if not types:
        return scenario
    data = scenario.model_dump(mode="python")
    data["events"] = [e for e in data["events"] if e["type"] not in types]
    return Scenario.model_validate(data)


def switched_off(scenario: Scenario, mechanism: str) -> Scenario:
    """``scenario`` with one mechanism of MECHANISMS switched off."""
    mech = MECHANISMS[mechanism]
    return with_parameters(without_events(scenario, mech.events), mech.off)


@dataclass
class Ablation:
    """Effects by mechanism switched off (``effects``) and by index component
    (``components``); ``manifest`` records seeds, scenarios and mechanisms."""

    effects: pd.DataFrame
    components: pd.DataFrame
    manifest: dict = field(default_factory=dict)


def check_mechanisms(names: Sequence[str] | None) -> list[str]:
    """The mechanisms to switch off (all for None), or an input error naming the
    unknown one; checked before anything runs."""
    names = check_names(names, "--ablate", "mechanism names")
    if names is None:
        return list(MECHANISMS)
    unknown = [n for n in names if n not in MECHANISMS]
    if unknown:
        raise PolarsimInputError(
            f"unknown mechanism {unknown[0]!r}; known: {', '.join(MECHANISMS)}",
            field="--ablate",
        )
    return list(dict.fromkeys(names))


def _with_region(states: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of every state plus a "region" row per replicate and year: the mean of
    the states (an unweighted mean, as the scenario comparisons report)."""
    cols = ["replicate", "year", "state", *columns]
    region = states.groupby(["replicate", "year"], sort=True)[list(columns)].mean()
    region = region.reset_index().assign(state=REGION)
    return pd.concat([states[cols], region[cols]], ignore_index=True)


def _paired(states: pd.DataFrame, reference: str, value: str) -> pd.DataFrame:
    """Per scenario, replicate, state and year: value minus the reference's value."""
    keys = ["replicate", "year", "state"]
    base = states[states["scenario"] == reference].set_index(keys)[value]
    out = []
    for name, rows in states.groupby("scenario", sort=False):
        if name == reference:
            continue
        diff = rows.set_index(keys)[value] - base
        out.append(diff.rename("diff").reset_index().assign(scenario=name))
    return pd.concat(out, ignore_index=True)


def _runs(
    scenarios: Sequence[Scenario],
    names: Sequence[str],
    years: Sequence[int],
    columns: Sequence[str],
    seed: int,
    replicates: int,
    shared: Sequence[str],
) -> pd.DataFrame:
    """Every scenario's rows of `shared` states (compare.shared_states) in `years`, with
    their region's mean."""
    frames = []
    for name, s in zip(names, scenarios, strict=True):
        states = run(s, seed=seed, replicates=replicates).states
        for column in columns:  # the columns are known after a run
            check_metric(column, states)
        states = states[states["year"].isin(list(years)) & states["state"].isin(shared)]
        frames.append(_with_region(states, columns).assign(scenario=name))
    return pd.concat(frames, ignore_index=True)


def _summary(diffs: pd.DataFrame, value: str = "diff") -> pd.DataFrame:
    out = interval_summary(diffs, value, ["scenario", "state", "year"], ["replicate"])
    # Fewer than two replicates give no interval (lower == upper == mean): an effect
    # without one cannot be told from zero, so it is flagged like one that crosses it.
    out["crosses_zero"] = ((out["lower"] <= 0.0) & (out["upper"] >= 0.0)) | (out["n"] < 2)
    return out


def _carried(full_diff: pd.DataFrame, diff: pd.DataFrame) -> pd.DataFrame:
    """The effects without a mechanism (``diff``) with the part of the full effect it
    carries: full minus ablated, paired by replicate, and its 95 % interval."""
    keys = ["scenario", "replicate", "year", "state"]
    carried = full_diff.merge(diff, on=keys, suffixes=("_full", "_off"))
    carried["carried"] = carried["diff_full"] - carried["diff_off"]
    c = interval_summary(carried, "carried", ["scenario", "state", "year"], ["replicate"])
    c = c.rename(
        columns={"mean": "carried", "lower": "carried_lower", "upper": "carried_upper"}
    ).drop(columns="n")
    return _summary(diff).merge(c, on=["scenario", "state", "year"])


def ablate(
    scenarios: Sequence[str | Path | Scenario],
    mechanisms: Sequence[str] | None = None,
    seed: int = 0,
    replicates: int = 10,
    years: Sequence[int] | None = None,
    metric: str = "autonomy_index",
) -> Ablation:
    """Effects of every scenario after the first on ``metric``, with each mechanism
    switched off in turn, and the decomposition of the full-model effect on the autonomy
    index into its components.

    ``effects`` columns: scenario, mechanism ("none" for the full model), state (each
    state and "region"), year, mean, lower, upper, n, crosses_zero, and for ablated rows
    ``carried`` (full effect minus the effect without the mechanism, paired by
    replicate) with carried_lower/carried_upper and ``carried_share`` (carried over the
    full effect's mean). Every run uses replicate r's generator from SeedSequence(seed),
    so all differences are paired with common random numbers."""
    scenarios = scenario_list(scenarios)
    if len(scenarios) < 2:
        raise PolarsimInputError("an ablation needs a reference scenario and at least one more")
    check_replicates(replicates)
    seed, replicates = check_seed(seed), int(replicates)  # plain ints: the manifest is JSON
    check_metric(metric)  # a key or a column of codes is refused before any run
    chosen = check_mechanisms(mechanisms)
    start = time.perf_counter()
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    names = scenario_names([s.name for s in loaded])
    years = common_years(loaded, years)
    check_metric_column(metric, loaded[0])  # a misspelt metric too, before the runs
    shared, _ = shared_states(loaded, names)  # the region's mean is of the same states
    # the metric may itself be a component of the index (hedging_index): once
    columns = list(dict.fromkeys([metric, *(c.column for c in COMPONENTS)]))
    full = _runs(loaded, names, years, columns, seed, replicates, shared)
    full_diff = _paired(full, names[0], metric)
    rows = [_summary(full_diff).assign(mechanism=FULL_MODEL)]
    for mech in chosen:
        off = [switched_off(s, mech) for s in loaded]
        ablated = _runs(off, names, years, [metric], seed, replicates, shared)
        diff = _paired(ablated, names[0], metric)
        rows.append(_carried(full_diff, diff).assign(mechanism=mech))
    effects = pd.concat(rows, ignore_index=True).reindex(
        columns=[*rows[0].columns, "carried", "carried_lower", "carried_upper"]
    )
    total = effects[effects["mechanism"] == FULL_MODEL].set_index(["scenario", "state", "year"])
    whole = effects.set_index(["scenario", "state", "year"]).index.map(total["mean"])
    effects["carried_share"] = effects["carried"] / whole.to_numpy()
    order = ["scenario", "mechanism", "state", "year", "mean", "lower", "upper", "n"]
    order += ["crosses_zero", "carried", "carried_lower", "carried_upper", "carried_share"]
    manifest = {
        "created_by": "polarsim compare --ablate",
        "seed": seed,
        "replicates": replicates,
        "common_random_numbers": "replicate r of every scenario and ablation uses "
        "SeedSequence(seed).spawn(replicates)[r]",
        "metric": metric,
        "years": years,
        "reference": names[0],
        "mechanisms": {
            m: {
                **MECHANISMS[m].off,
                **({"events_removed": list(MECHANISMS[m].events)} if MECHANISMS[m].events else {}),
            }
            for m in chosen
        },
        "scenarios": [
            {"name": n, "sha256": scenario_hash(s)} for n, s in zip(names, loaded, strict=True)
        ],
        "wall_time_s": round(time.perf_counter() - start, 3),
    }
    return Ablation(effects[order], _components(full, loaded, names), manifest)


def _components(
    full: pd.DataFrame, scenarios: Sequence[Scenario], names: Sequence[str]
) -> pd.DataFrame:
    """Change of each weighted autonomy component against the reference, paired by
    replicate: w x term - w_ref x reference term, the term being the value or, for the
    inverted ones, 1 - value. Each scenario's own weights count (a scenario may set
    other weights than the reference), so the components add up to the index's change
    even then, and a change of weights shows in them instead of hiding."""
    frames = []
    for comp in COMPONENTS:
        weights = {
            n: getattr(s.parameters.metrics, comp.weight)
            for n, s in zip(names, scenarios, strict=True)
        }
        term = full[comp.column].to_numpy(dtype=float)
        weighted = full["scenario"].map(weights).to_numpy(dtype=float) * (
            1.0 - term if comp.inverted else term
        )
        diff = _paired(full.assign(weighted=weighted), names[0], "weighted")
        frames.append(_summary(diff).assign(component=comp.name))
    out = pd.concat(frames, ignore_index=True)
    return out[
        ["scenario", "component", "state", "year", "mean", "lower", "upper", "n", "crosses_zero"]
    ]


def ablation_markdown(a: Ablation) -> str:
    """The region rows as a Markdown table: per scenario and year, the full effect with
    its 95 % interval, then per mechanism the part it carries; flagged effects (interval
    across zero) marked "~"."""

    def cell(mean: float, lo: float, hi: float, flagged: bool) -> str:
        return f"{'~' if flagged else ''}{mean:+.4f} [{lo:+.4f}, {hi:+.4f}]"

    e = a.effects[a.effects["state"] == REGION]
    rows = []
    for (scenario, year), g in e.groupby(["scenario", "year"], sort=False):
        full = g[g["mechanism"] == FULL_MODEL].iloc[0]
        rows.append(
            [scenario, str(year), "(full model: effect)",
             cell(full["mean"], full["lower"], full["upper"], full["crosses_zero"])]
        )  # fmt: skip
        for r in g[g["mechanism"] != FULL_MODEL].itertuples(index=False):
            # one replicate gives no interval: nothing to claim (as in _summary)
            flagged = bool(r.carried_lower <= 0 <= r.carried_upper or r.n < 2)
            rows.append(
                [scenario, str(year), f"carried by {r.mechanism}",
                 cell(r.carried, r.carried_lower, r.carried_upper, flagged)]
            )  # fmt: skip
    metric = a.manifest.get("metric", "autonomy_index")
    caption = (
        f"Effect on the states' mean {metric} against {a.manifest['reference']} and the "
        "part each mechanism carries (effect minus the effect with it switched off), "
        "mean [95 % interval] over replicates with common random numbers; ~ marks an "
        "interval across zero (not an effect the model can claim)."
    )
    return markdown_table(
        ["scenario", "year", "", "difference"], rows, [False, True, False, True], caption
    )


def write_ablation(a: Ablation, folder: str | Path) -> None:
    """ablation.csv (every state and the region), components.csv and ablation.md into
    ``folder`` (a folder being written by polarsim.outputs, e.g. a comparison's)."""
    folder = Path(folder)
    a.effects.to_csv(folder / "ablation.csv", index=False)
    a.components.to_csv(folder / "components.csv", index=False)
    (folder / "ablation.md").write_text(ablation_markdown(a))
