"""Do the scenario effects survive the assumptions? (`polarsim compare --assumptions`).

An ablation (polarsim.ablation) asks which mechanism carries an effect. This module asks
the other question a reviewer puts to every headline: does the effect still hold when
the numbers the model could not measure are set otherwise? Each entry of ASSUMPTIONS
sets a few parameters whose source is "assumption" (docs/parameters.md) to another
plausible value, in every scenario alike; every scenario effect is measured again with
the same seeds (common random numbers) and classed:

- ``holds``: the shipped effect's 95 % interval excludes zero and so does the varied
  one, with the same sign;
- ``weakens``: the shipped effect excludes zero, the varied one crosses it;
- ``reverses``: the varied effect excludes zero with the opposite sign;
- ``not claimed``: the shipped effect crosses zero and so does the varied one;
- ``appears``: the shipped effect crosses zero, the varied one excludes it: a null
  result that does not survive the assumption either.

Beside the effects, ``changes`` holds each scenario's own change of the metric since a
year (``since``: its first simulated year unless given; the reference's "autonomy falls
from 2024 to 2050"), classed the same way.

    from polarsim.assumptions import vary
    r = vary(["scenarios/baseline.yaml", "scenarios/spheres_of_influence.yaml"],
             seed=1, replicates=10)
    r.effects   # scenario, assumption, state (and "region"), year, mean, lower, upper,
                # n, crosses_zero, verdict
    r.changes   # scenario, assumption, state, year, since, mean, lower, upper, ...
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from polarsim.ablation import REGION, _paired, _summary, _with_region, with_parameters
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
from polarsim.summaries import check_metric, scenario_names

__all__ = [
    "ASSUMPTIONS",
    "SHIPPED",
    "Assumption",
    "Robustness",
    "check_assumptions",
    "robustness_markdown",
    "vary",
    "write_robustness",
]

#: Name of the rows with every parameter as shipped.
SHIPPED = "shipped"


@dataclass(frozen=True)
class Assumption:
    """Another value for parameters the data do not pin down.

    ``values`` maps dotted paths under ``parameters`` to the varied value; ``why`` says
    what the variation stands for."""

    name: str
    why: str
    values: Mapping[str, Any]


#: The variations, each of parameters sourced "assumption" that the autonomy index or
#: the scenario hypotheses lean on. Values are half and double (or a quarter and three
#: quarters of a share) of the shipped ones: plausible alternatives, not bounds.
ASSUMPTIONS: dict[str, Assumption] = {
    a.name: a
    for a in (
        Assumption(
            "substitution_low",
            "a state can re-route a quarter of the trade it loses (shipped: half)",
            {"metrics.substitution": 0.25},
        ),
        Assumption(
            "substitution_high",
            "a state can re-route three quarters of the trade it loses (shipped: half)",
            {"metrics.substitution": 0.75},
        ),
        Assumption(
            "equal_index_weights",
            "the four components of the autonomy index weigh the same (shipped: 0.3, "
            "0.25, 0.25, 0.2)",
            {
                "metrics.weight_diversification": 0.25,
                "metrics.weight_hedging": 0.25,
                "metrics.weight_invulnerability": 0.25,
                "metrics.weight_freedom": 0.25,
            },
        ),
        Assumption(
            "coercion_rare",
            "coercive acts half as likely per unit of pressure (no act is recorded to "
            "2015 to measure the rate)",
            {"coercion.rate": 1.5},
        ),
        Assumption(
            "coercion_frequent",
            "coercive acts twice as likely per unit of pressure",
            {"coercion.rate": 6.0},
        ),
        Assumption(
            "coercion_costly",
            "each coercive act cuts twice as much trade, transit, remittances and protection",
            {
                "coercion.market_cut": 0.4,
                "coercion.transit_cut": 0.3,
                "coercion.remittance_cut": 0.3,
                "coercion.protection_cut": 0.4,
            },
        ),
        Assumption(
            "backlash_strong",
            "past coercion turns autonomy-minded states against the coercer four times as strongly",
            {"responses.backlash_weight": 2.0},
        ),
    )
}

#: Verdicts on an effect under a variation, in the order a table lists them.
VERDICTS = ("holds", "weakens", "reverses", "not claimed", "appears")


@dataclass
class Robustness:
    """Scenario effects (``effects``) and each scenario's change since its first year
    (``changes``) under every assumption; ``manifest`` records seeds, scenarios and the
    values set."""

    effects: pd.DataFrame
    changes: pd.DataFrame
    manifest: dict = field(default_factory=dict)


def check_assumptions(names: Sequence[str] | None) -> list[str]:
    """The assumptions to vary (all for None), or an input error naming the unknown
    one; checked before anything runs."""
    names = check_names(names, "--assumptions", "assumption names")
    if names is None:
        return list(ASSUMPTIONS)
    unknown = [n for n in names if n not in ASSUMPTIONS]
    if unknown:
        raise PolarsimInputError(
            f"unknown assumption {unknown[0]!r}; known: {', '.join(ASSUMPTIONS)}",
            field="--assumptions",
        )
    return list(dict.fromkeys(names))


def _verdict(shipped: pd.DataFrame, varied: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """The verdict (VERDICTS) of every row of ``varied`` against the shipped row with the
    same ``keys``."""

    def sign(t: pd.DataFrame) -> np.ndarray:  # 0 where the interval crosses zero
        return np.where(t["crosses_zero"].to_numpy(dtype=bool), 0.0,
                        np.sign(t["mean"].to_numpy(dtype=float)))  # fmt: skip

    was = sign(varied[keys].merge(shipped, on=keys, how="left"))
    now = sign(varied)
    out = np.where(now == was, "holds", np.where(now == 0, "weakens", "reverses"))
    null = np.where(now == 0, "not claimed", "appears")
    return np.where(was == 0, null, out).astype(object)


def _since(
    states: pd.DataFrame, metric: str, years: Sequence[int], since: int | None
) -> pd.DataFrame:
    """Per scenario, replicate, state and year in ``years``: the metric minus its value
    in ``since`` (None: the scenario's first year), column ``diff``; ``since`` the year."""
    out = []
    for name, rows in states.groupby("scenario", sort=False):
        first = int(rows["year"].min()) if since is None else since
        keys = ["replicate", "state"]
        base = rows[rows["year"] == first].set_index(keys)[metric]
        later = rows[rows["year"].isin(list(years))].set_index(keys)
        diff = (later[metric] - base.reindex(later.index)).rename("diff")
        out.append(
            diff.reset_index().assign(scenario=name, year=later["year"].to_numpy(), since=first)
        )
    return pd.concat(out, ignore_index=True)


def vary(
    scenarios: Sequence[str | Path | Scenario],
    assumptions: Sequence[str] | None = None,
    seed: int = 0,
    replicates: int = 10,
    years: Sequence[int] | None = None,
    metric: str = "autonomy_index",
    since: int | None = None,
) -> Robustness:
    """Effects of every scenario after the first on ``metric``, and every scenario's
    change since ``since`` (None: its first simulated year), with the parameters as
    shipped and under each assumption of ASSUMPTIONS (all for None), classed by
    VERDICTS against the shipped ones. Replicate r of every run uses
    SeedSequence(seed)'s r-th child: the differences are paired with common random
    numbers. Only the states every scenario has are counted, in every row and in the
    region's mean (run.shared_states: a PolarsimNote names the others)."""
    scenarios = scenario_list(scenarios)
    if len(scenarios) < 2:
        raise PolarsimInputError("varying assumptions needs a reference scenario and one more")
    check_replicates(replicates)
    seed, replicates = check_seed(seed), int(replicates)  # plain ints: the manifest is JSON
    check_metric(metric)  # a key or a column of codes is refused before any run
    chosen = check_assumptions(assumptions)
    if since is not None and (isinstance(since, bool) or not isinstance(since, int | np.integer)):
        raise PolarsimInputError(f"expected a whole-number year, found {since!r}", field="--since")
    start = time.perf_counter()
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    names = scenario_names([s.name for s in loaded])
    years = common_years(loaded, years)
    check_metric_column(metric, loaded[0])  # a misspelt metric too, before the runs
    shared, _ = shared_states(loaded, names)  # the region's mean is of the same states
    if since is not None and not all(s.time.start_year <= since < min(years) for s in loaded):
        raise PolarsimInputError(
            f"{since} is not a simulated year of every scenario before {min(years)}",
            field="--since",
        )
    effects, changes = [], []
    for variant in (SHIPPED, *chosen):
        values = {} if variant == SHIPPED else ASSUMPTIONS[variant].values
        frames = []
        for name, s in zip(names, loaded, strict=True):
            states = run(with_parameters(s, values) if values else s, seed=seed,
                         replicates=replicates).states  # fmt: skip
            check_metric(metric, states)  # a scenario may differ from the first's columns
            first = int(states["year"].min()) if since is None else since
            states = states[states["year"].isin([first, *years]) & states["state"].isin(shared)]
            frames.append(_with_region(states, [metric]).assign(scenario=name))
        both = pd.concat(frames, ignore_index=True)
        diffs = _paired(both[both["year"].isin(list(years))], names[0], metric)
        effects.append(_summary(diffs).assign(assumption=variant))
        moved = _since(both, metric, years, since)
        firsts = moved.groupby("scenario")["since"].first()
        summary = _summary(moved)
        summary["since"] = summary["scenario"].map(firsts).to_numpy()
        changes.append(summary.assign(assumption=variant))
    effects_t, changes_t = (
        pd.concat(effects, ignore_index=True),
        pd.concat(changes, ignore_index=True),
    )
    keys = ["scenario", "state", "year"]
    for t in (effects_t, changes_t):
        shipped = t[t["assumption"] == SHIPPED][[*keys, "mean", "crosses_zero"]]
        t["verdict"] = _verdict(shipped, t, keys)
    order = ["scenario", "assumption", "state", "year", "mean", "lower", "upper", "n",
             "crosses_zero", "verdict"]  # fmt: skip
    manifest = {
        "created_by": "polarsim compare --assumptions",
        "seed": seed,
        "replicates": replicates,
        "common_random_numbers": "replicate r of every scenario and variation uses "
        "SeedSequence(seed).spawn(replicates)[r]",
        "metric": metric,
        "years": years,
        "since": since,
        "reference": names[0],
        "assumptions": {a: dict(ASSUMPTIONS[a].values) for a in chosen},
        "scenarios": [
            {"name": n, "sha256": scenario_hash(s)} for n, s in zip(names, loaded, strict=True)
        ],
        "wall_time_s": round(time.perf_counter() - start, 3),
    }
    rank = {n: i for i, n in enumerate((*names, SHIPPED, *chosen))}

    def ordered(t: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        # per scenario (in the order given), then shipped and each assumption in turn
        t = t.sort_values(["scenario", "assumption", "state", "year"], kind="mergesort",
                          key=lambda c: c.map(rank) if c.name != "state" and
                          c.name != "year" else c)  # fmt: skip
        return t[columns].reset_index(drop=True)

    return Robustness(
        ordered(effects_t, order),
        ordered(changes_t, [*order[:4], "since", *order[4:]]),
        manifest,
    )


def _cell(mean: float, lo: float, hi: float, verdict: str) -> str:
    mark = {"holds": "", "weakens": "~", "reverses": "!", "not claimed": "~", "appears": "*"}
    return f"{mark[verdict]}{mean:+.4f} [{lo:+.4f}, {hi:+.4f}]"


def robustness_markdown(r: Robustness) -> str:
    """The region rows of the last year as a Markdown table: per scenario, the effect
    and the change since the first year, as shipped and under each assumption, mean
    [95 % interval]; ~ marks an interval across zero, ! a reversed sign, * an effect
    that appears only under the assumption."""
    last = max(r.manifest["years"])
    rows = []
    for kind, t in (("effect", r.effects), ("change", r.changes)):
        t = t[(t["state"] == REGION) & (t["year"] == last)]
        for row in t.itertuples(index=False):
            what = kind if kind == "effect" else f"change since {row.since}"
            rows.append(
                [row.scenario, what, row.assumption, row.verdict,
                 _cell(row.mean, row.lower, row.upper, row.verdict)]
            )  # fmt: skip
    caption = (
        f"The states' mean {r.manifest['metric']} in {last}: each scenario's effect "
        f"against {r.manifest['reference']} and its change since its first year, with "
        "the parameters as shipped and under each assumption (polarsim.assumptions), "
        "mean [95 % interval] over replicates with common random numbers; ~ an interval "
        "across zero, ! a sign opposite to the shipped one, * an effect that the shipped "
        "parameters do not give."
    )
    return markdown_table(
        ["scenario", "", "assumption", "verdict", "value"],
        rows,
        [False, False, False, False, True],
        caption,
    )


def write_robustness(r: Robustness, folder: str | Path) -> None:
    """robustness.csv (effects), changes.csv and robustness.md into ``folder`` (a folder
    being written by polarsim.outputs, e.g. a comparison's)."""
    folder = Path(folder)
    r.effects.to_csv(folder / "robustness.csv", index=False)
    r.changes.to_csv(folder / "changes.csv", index=False)
    (folder / "robustness.md").write_text(robustness_markdown(r))
