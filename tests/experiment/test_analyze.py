"""Sensitivity indices on known functions (Ishigami for Sobol, a linear model for
Morris)."""

from pathlib import Path

import numpy as np
import pytest

from polarsim.errors import PolarsimInputError
from polarsim.experiment.analyze import sensitivity

ROOT = Path(__file__).resolve().parents[2]

PROBLEM = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[-np.pi, np.pi]] * 3}


def ishigami(X):
    return np.sin(X[:, 0]) + 7 * np.sin(X[:, 1]) ** 2 + 0.1 * X[:, 2] ** 4 * np.sin(X[:, 0])


def test_sobol_recovers_ishigami_indices():
    from SALib.sample import sobol as sample

    X = sample.sample(PROBLEM, 1024, calc_second_order=False, seed=1)
    t = sensitivity("sobol", PROBLEM, X, ishigami(X), seed=1).set_index("parameter")
    # analytic first-order indices 0.314, 0.442, 0.0; total for c about 0.244
    assert t.loc["a", "S1"] == pytest.approx(0.314, abs=0.05)
    assert t.loc["b", "S1"] == pytest.approx(0.442, abs=0.05)
    assert abs(t.loc["c", "S1"]) < 0.05 and t.loc["c", "ST"] == pytest.approx(0.244, abs=0.06)
    assert (t["S1_conf"] > 0).all()


def test_morris_ranks_a_linear_model():
    from SALib.sample import morris as sample

    problem = {"num_vars": 3, "names": ["x", "y", "z"], "bounds": [[0, 1]] * 3}
    X = sample.sample(problem, 20, num_levels=4, seed=2)
    Y = 5 * X[:, 0] + 1 * X[:, 1] + 0 * X[:, 2]
    t = sensitivity("morris", problem, X, Y, seed=2).set_index("parameter")
    assert t.loc["x", "mu_star"] > t.loc["y", "mu_star"] > t.loc["z", "mu_star"]
    assert t.loc["z", "mu_star"] == pytest.approx(0.0, abs=1e-12)


def test_morris_effects_use_the_designs_levels(tmp_path):
    """A Morris design of 6 levels steps by 0.6 of a range; its analysis divided every
    change by the step of 4 levels (2/3), so each mu* came out 0.9 of SALib's."""
    import pandas as pd
    import yaml
    from SALib.analyze import morris
    from SALib.sample import morris as sample

    from polarsim.experiment import sweep
    from polarsim.experiment.analyze import outcome_per_point, sensitivity_table
    from polarsim.experiment.design import salib_problem
    from polarsim.experiment.spec import load_experiment

    problem = {"num_vars": 2, "names": ["x", "y"], "bounds": [[0, 1]] * 2}
    X = sample.sample(problem, 10, num_levels=6, seed=2)
    t = sensitivity("morris", problem, X, X[:, 0] + 0.0, seed=2, levels=6)
    assert t.set_index("parameter")["mu_star"].tolist() == pytest.approx([1.0, 0.0])

    exp = {
        "base": str(ROOT / "scenarios" / "baseline.yaml"),
        "overrides": ["time.end_year=2016"],
        "parameters": {"parameters.trade.persistence": {"range": [0.6, 0.9]},
                       "parameters.contest.decisiveness": {"range": [0.5, 3.0]}},
        "design": {"type": "morris", "trajectories": 3, "levels": 6},
        "seed": 4,
        "outcomes": {"metrics": ["autonomy_index"], "years": [2016], "aggregate": "mean"},
    }  # fmt: skip
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(exp))
    folder = sweep(tmp_path / "m.yaml", out=tmp_path / "m", progress=False)
    design = pd.read_parquet(folder / "design.parquet")
    problem = salib_problem(load_experiment(tmp_path / "m.yaml"))
    Xs = design[problem["names"]].to_numpy(dtype=float)
    Y = outcome_per_point(pd.read_parquet(folder / "results"), len(design), "autonomy_index")
    want = morris.analyze(problem, Xs, Y, num_levels=6, seed=4)["mu_star"]
    got = sensitivity_table("morris", folder)["mu_star"].to_numpy()
    assert want.max() > 0
    np.testing.assert_allclose(got, want)


def test_too_few_samples_give_notes_and_enough_give_none():
    from SALib.sample import sobol as sample

    from polarsim.experiment.analyze import reliability_notes

    few = sample.sample(PROBLEM, 4, calc_second_order=False, seed=1)
    notes = reliability_notes(sensitivity("sobol", PROBLEM, few, ishigami(few), seed=1), "sobol")
    assert any("raise design.samples" in n for n in notes)
    many = sample.sample(PROBLEM, 4096, calc_second_order=False, seed=1)
    table = sensitivity("sobol", PROBLEM, many, ishigami(many), seed=1)
    assert reliability_notes(table, "sobol") == []


def test_missing_outcomes_and_unknown_method_are_clear_errors():
    X = np.zeros((8, 3))
    with pytest.raises(PolarsimInputError, match="no outcome"):
        sensitivity("sobol", PROBLEM, X, np.full(8, np.nan))
    with pytest.raises(PolarsimInputError, match="unknown method"):
        sensitivity("fast", PROBLEM, X, np.zeros(8))


def test_analyze_a_small_sobol_sweep_end_to_end(tmp_path):
    """sweep -> analyze through the command line's entry point, as a user would (scaled
    down; in process, see tests.harness.in_process)."""
    import pandas as pd

    from tests.conftest import SCENARIOS
    from tests.harness import in_process

    exp = tmp_path / "sobol_small.yaml"
    exp.write_text(
        f"base: {SCENARIOS / 'baseline.yaml'}\n"
        "overrides: ['time.end_year=2020']\n"
        "parameters:\n"
        "  parameters.coercion.rate: {range: [0.5, 10.0]}\n"
        "  parameters.responses.dependence_weight: {range: [0.1, 3.0]}\n"
        "design: {type: sobol, samples: 16}\n"
        "replicates: 1\nseed: 3\n"
        "outcomes: {metrics: [autonomy_index], years: [2020], aggregate: mean}\n"
    )
    out = tmp_path / "sweep"
    code, _, err = in_process("sweep", exp, "--out", out, "--no-progress", cwd=tmp_path)
    assert code == 0, err
    code, _, err = in_process("analyze", "sobol", out, cwd=tmp_path)
    assert code == 0, err
    table = pd.read_csv(out / "sensitivity_sobol_autonomy_index.csv")
    assert list(table["parameter"]) == [
        "parameters.coercion.rate",
        "parameters.responses.dependence_weight",
    ]
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(table.columns)
    assert table[["S1_conf", "ST_conf"]].notna().all().all()
    assert (out / "figures" / "sensitivity_sobol.png").is_file()
    code, _, err = in_process("analyze", "morris", out, cwd=tmp_path)
    assert code == 2 and "sobol" in err


def _kept(run_ids: list[int], years: list[int], **outcome: list[float]):
    """A sweep's kept results, one replicate per point, averaged over the states."""
    import pandas as pd

    n = len(run_ids)
    return pd.DataFrame(
        {"run_id": run_ids, "replicate": [0] * n, "year": years, "state": "mean", **outcome}
    )


def test_years_the_sweep_did_not_keep_are_refused_naming_the_kept_ones():
    # `--years 2018 2030` on a sweep that kept 2018 and 2020 averaged 2018 alone
    # without a word; `--years 2030` alone said only "no results for years [2030]"
    from polarsim.experiment.analyze import outcome_per_point

    results = _kept([0, 0], [2018, 2020], autonomy_index=[0.1, 0.3])
    assert outcome_per_point(results, 1, "autonomy_index", [2018, 2020])[0] == 0.2
    for years in ([2018, 2030], [2030]):
        with pytest.raises(PolarsimInputError, match="no results for 2030") as err:
            outcome_per_point(results, 1, "autonomy_index", years)
        assert "it kept 2018, 2020" in str(err.value) and err.value.field == "--years"


@pytest.mark.parametrize("years", [2030, [], "2030", [2030.0], [True]])
def test_years_that_are_not_a_list_of_whole_years_are_refused(tmp_path, years):
    """`years=2030` raised pandas' TypeError from `isin`; `years=[]` was taken as None
    (every kept year). Both are refused before the folder is read, naming `years`."""

    from polarsim.experiment.analyze import outcome_per_point, sensitivity_table
    from polarsim.experiment.discovery import discovery_table

    results = _kept([0], [2030], autonomy_index=[0.1])
    calls = [
        lambda: sensitivity_table("sobol", tmp_path, years=years),
        lambda: discovery_table("prim", tmp_path, years=years),
        lambda: outcome_per_point(results, 1, "autonomy_index", years),
    ]
    for call in calls:
        with pytest.raises(PolarsimInputError, match="non-empty list of whole years") as err:
            call()
        assert err.value.field == "years"
    assert outcome_per_point(results, 1, "autonomy_index", (np.int64(2030),))[0] == 0.1


def test_an_outcome_without_a_value_is_explained_not_taken_for_failed_runs():
    # a sweep whose base starts before a state's first remittance observation keeps
    # remittances_pct_gdp empty (aggregate: mean over the states too); the analysis
    # said "design points have no outcome (failed runs?); rerun them with --resume"
    import numpy as np
    import pandas as pd

    from polarsim.experiment.analyze import outcome_per_point

    results = _kept([0, 1], [2005, 2005], remittances_pct_gdp=[np.nan, np.nan])
    with pytest.raises(PolarsimInputError, match="remittances_pct_gdp has no value") as err:
        outcome_per_point(results, 2, "remittances_pct_gdp")
    assert "run_id 0, 1" in str(err.value) and err.value.field == "--outcome"
    # per-state results (aggregate: state): one empty state is not averaged away
    per_state = pd.DataFrame(
        {
            "run_id": [0, 0, 1, 1],
            "replicate": 0,
            "year": 2005,
            "state": ["KAZ", "UZB", "KAZ", "UZB"],
            "remittances_pct_gdp": [0.2, np.nan, 0.3, np.nan],
        }
    )
    with pytest.raises(PolarsimInputError, match="has no value in the results of 2") as err:
        outcome_per_point(per_state, 2, "remittances_pct_gdp")
    full = per_state.fillna(5.0)
    assert outcome_per_point(full, 2, "remittances_pct_gdp").tolist() == [2.6, 2.65]
