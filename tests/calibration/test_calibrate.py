"""Calibration (issue 5): rejection ABC by hand on a small table, recovery of known
parameters from synthetic data made by the model itself, resume, the calibrated
scenario file and experiment-file errors."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import polarsim
from polarsim.calibration import calibrate
from polarsim.calibration.abc import estimate
from polarsim.calibration.targets import observed_targets, synthetic_targets
from polarsim.cli import main
from polarsim.errors import PolarsimInputError
from polarsim.experiment import load_experiment
from polarsim.experiment.spec import Experiment
from polarsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
BASE = str(ROOT / "scenarios" / "historical.yaml")
BASE_2005 = str(ROOT / "scenarios" / "historical_2005.yaml")
OVERRIDES = ["time.start_year=2000", "time.end_year=2007"]
TRUE = {"parameters.trade.persistence": 0.7, "parameters.remittances.source_gdp_elasticity": 1.2}
EXP = {
    "base": BASE,
    "overrides": OVERRIDES,
    "parameters": {
        "persistence": {"paths": ["parameters.trade.persistence"], "range": [0.5, 0.95]},
        "remit": {"paths": ["parameters.remittances.source_gdp_elasticity"], "range": [0, 2]},
    },
    "design": {"type": "latin_hypercube", "samples": 60},
    "replicates": 1,
    "seed": 7,
    "calibration": {
        "window": [2000, 2007],
        "accept": 0.15,
        "interval": 0.9,
        "targets": {"trade_shares": {"weight": 1}, "arms_shares": None, "remittances": {}},
    },
}


def write(tmp_path, data, name="exp.yaml"):
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data))
    return p


def synthetic(exp_path, seed=99):
    """The targets of the experiment, observed values replaced by a run of the model at
    TRUE (another seed than the sweep's)."""
    exp = load_experiment(exp_path)
    sc = load_scenario(BASE, exp.overrides)
    targets = observed_targets(sc, exp.calibration, Path(exp_path).parent)
    sets = [f"{k}={v}" for k, v in TRUE.items()]
    run = polarsim.run(BASE, seed=seed, replicates=1, overrides=[*OVERRIDES, *sets])
    return synthetic_targets(targets, run.states)


def test_rejection_abc_by_hand():
    exp = Experiment.model_validate(
        {**EXP, "parameters": {"x": {"range": [0, 3]}},
         "calibration": {"window": [2000, 2000], "accept": 0.5,
                         "targets": {"arms_shares": None, "remittances": None}}}
    )  # fmt: skip
    design = pd.DataFrame({"run_id": [0, 1, 2, 3], "x": [0.0, 1.0, 2.0, 3.0]})
    results = pd.DataFrame(
        {
            "run_id": [0, 1, 2, 3, 0],
            "replicate": [0, 0, 0, 0, 1],
            "year": 2000,
            "state": "KAZ",
            # run 0 has two replicates: mean (0.09 + 0.11) / 2 = 0.10
            "trade_share_CHN": [0.09, 0.11, 0.12, 0.13, 0.11],
        }
    )
    targets = pd.DataFrame(
        {"series": ["trade_shares"], "state": ["KAZ"], "partner": ["CHN"], "year": [2000],
         "observed": [11.2], "column": ["trade_share_CHN"], "factor": [100.0]}
    )  # fmt: skip
    res = estimate(exp, design, results, targets)
    # MAE per point 1.2, 0.2, 0.8, 1.8; scaled by their median 1.0
    assert res.distances["distance"].to_numpy() == pytest.approx([1.2, 0.2, 0.8, 1.8])
    assert list(res.distances["accepted"]) == [False, True, True, False]
    post = res.posterior.iloc[0]
    assert post["estimate"] == pytest.approx(1.5)  # median of 1 and 2
    assert post["best"] == 1.0 and post["accepted"] == 2
    assert (post["lower"], post["upper"]) == (pytest.approx(1.05), pytest.approx(1.95))
    fit = res.fit.iloc[0]
    assert fit["mae_prior"] == pytest.approx(abs((10 + 11 + 12 + 13) / 4 - 11.2))
    assert fit["mae_posterior"] == pytest.approx(abs(11.5 - 11.2))


def test_recovers_known_parameters_from_synthetic_data(tmp_path):
    p = write(tmp_path, EXP)
    res = calibrate(p, out=tmp_path / "out", targets=synthetic(p), progress=False)
    post = res.posterior.set_index("parameter")
    for name, path in (("persistence", "parameters.trade.persistence"),
                       ("remit", "parameters.remittances.source_gdp_elasticity")):  # fmt: skip
        row = post.loc[name]
        lo, hi = EXP["parameters"][name]["range"]
        assert row["lower"] <= TRUE[path] <= row["upper"], (name, row.to_dict())
        # informative: the 90 % interval is well inside the prior
        assert row["upper"] - row["lower"] < 0.7 * (hi - lo), (name, row.to_dict())
    fit = res.fit.set_index("series")
    assert fit.loc["trade_shares", "mae_posterior"] < fit.loc["trade_shares", "mae_prior"]
    # remittances (tens of % of GDP) are reproduced to a fraction of a point either way:
    # the prior mean can be as close as the posterior's
    assert fit.loc["remittances", "mae_posterior"] < 0.5


def test_resume_continues_and_gives_the_same_answer(tmp_path):
    p = write(tmp_path, {**EXP, "design": {"type": "random", "samples": 12}, "chunk_size": 4})
    out = tmp_path / "out"
    targets = synthetic(p)
    first = calibrate(p, out=out, targets=targets, progress=False)
    parts = sorted((out / "sweep" / "results").glob("part-*.parquet"))
    parts[0].unlink()  # as if interrupted before this chunk was written
    again = calibrate(p, out=out, targets=targets, resume=True, progress=False)
    pd.testing.assert_frame_equal(first.posterior, again.posterior)
    sessions = [json.loads(f.read_text()) for f in (out / "sweep" / "sessions").glob("*.json")]
    assert sorted(s["tasks_run"] for s in sessions) == [4, 12]
    # stopped while the sample's sweep folder was being published (before its design)
    (out / "sweep" / "design.parquet").unlink()
    for part in (out / "sweep" / "results").glob("part-*.parquet"):
        part.unlink()
    again = calibrate(p, out=out, targets=targets, resume=True, progress=False)
    pd.testing.assert_frame_equal(first.posterior, again.posterior)
    with pytest.raises(PolarsimInputError, match="changed since this calibration started"):
        calibrate(p, out=out, targets=targets, resume=True, samples=20, progress=False)
    with pytest.raises(PolarsimInputError, match="not empty"):
        calibrate(p, out=out, targets=targets, progress=False)


def test_calibrated_scenario_names_the_experiment(tmp_path):
    p = write(tmp_path, {**EXP, "design": {"type": "random", "samples": 10}}, "calib_x.yaml")
    target = tmp_path / "scen" / "historical_calibrated.yaml"
    res = calibrate(p, out=tmp_path / "out", scenario_out=target, progress=False)
    assert res.scenario_path == target
    doc = yaml.safe_load(target.read_text())
    assert not Path(doc["extends"]).is_absolute()  # relative: the pair can move together
    assert (target.parent / doc["extends"]).resolve() == Path(BASE).resolve()
    sc = load_scenario(target)
    post = res.posterior.set_index("parameter")["estimate"]
    assert sc.parameters.trade.persistence == pytest.approx(post["persistence"], rel=1e-5)
    assert sc.parameters.remittances.source_gdp_elasticity == pytest.approx(post["remit"], rel=1e-5)
    assert set(sc.sources) == set(TRUE)
    for text in sc.sources.values():
        assert text.startswith("calibrated: experiment calib_x.yaml")
    # everything else is the base scenario
    base = load_scenario(BASE)
    assert sc.events == base.events and sc.time == base.time


def test_scenario_sources_must_name_values(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {BASE}\nsources:\n  parameters.trade.persistance: 'calibrated: x'\n")
    with pytest.raises(PolarsimInputError, match="does not name a value"):
        load_scenario(bad)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"design": {"type": "grid", "levels": 2}}, "design.type"),
        (
            {
                "parameters": {
                    "x": {"paths": ["parameters.trade.persistence"], "values": [0.6, 0.7]}
                }
            },
            "parameters",
        ),  # fmt: skip
        ({"calibration": {"window": [2007, 2000]}}, "calibration.window"),
        ({"calibration": {"window": [2000, 2007], "accept": 0}}, "calibration.accept"),
        (
            {"calibration": {"window": [2000, 2007], "held_out": [2007, 2010]}},
            "calibration.held_out",
        ),  # fmt: skip
        ({"calibration": {"window": [2000, 2007], "method": "smm"}}, "calibration.method"),
        (
            {
                "calibration": {
                    "window": [2000, 2007],
                    "targets": {"trade_shares": None, "arms_shares": None, "remittances": None},
                }
            },
            "calibration.targets",
        ),  # fmt: skip
    ],
)
def test_experiment_errors_name_file_and_field(tmp_path, change, field):
    p = write(tmp_path, {**EXP, **change})
    with pytest.raises(PolarsimInputError) as err:
        load_experiment(p)
    assert err.value.file == str(p) and err.value.field == field
    assert str(err.value).startswith(f"{p}:") and f": {field}: " in str(err.value)


def test_cli_calibrate(tmp_path, capsys):
    p = write(tmp_path, {**EXP, "design": {"type": "random", "samples": 10},
                         "calibration": {**EXP["calibration"], "held_out": [2006, 2007],
                                         "window": [2000, 2005]}})  # fmt: skip
    out = tmp_path / "out"
    assert main(["calibrate", str(p), "--out", str(out), "--samples", "8", "--no-progress"]) == 0
    captured = capsys.readouterr()
    text = captured.out
    assert "posterior:" in text and "held-out 2006-2007" in text
    # 8 points give a posterior of a handful: said, not silent
    assert "polarsim: note: the posterior rests on" in captured.err
    for name in ("posterior.csv", "posterior.md", "fit.csv", "fit.md", "fit_detail.csv",
                 "distances.csv", "predictive.csv", "calibration.json", "experiment.yaml",
                 "historical_calibrated.yaml", "sweep/design.parquet",
                 "figures/posterior.png", "figures/posterior.pdf",
                 "figures/fit_trade.png", "figures/fit_trade.pdf"):  # fmt: skip
        assert (out / name).is_file(), name
    assert len(pd.read_csv(out / "distances.csv")) == 8
    fit = pd.read_csv(out / "fit.csv")
    held = fit[fit.window == "held-out 2006-2007"]
    # the naive forecasts of the held-out years come from the calibration window
    assert held["n_naive"].gt(0).all() and np.isfinite(held["mae_persistence"]).all()
    no_cal = write(tmp_path, {k: v for k, v in EXP.items() if k != "calibration"}, "plain.yaml")
    assert main(["calibrate", str(no_cal), "--out", str(tmp_path / "o2")]) == 2
    assert "calibration: no calibration section" in capsys.readouterr().err


def test_pick_spreads_replicates_over_the_posterior_sample():
    from polarsim.validation.posterior import pick

    assert pick(np.ones(10), 5) == [0, 2, 4, 6, 8]
    assert pick(np.ones(3), 6) == [0, 0, 1, 1, 2, 2]
    # weighted (SMC): a point with half the weight gets half the replicates
    assert pick(np.array([0.5, 0.25, 0.25]), 4) == [0, 0, 1, 2]


def test_hindcast_with_posterior_draws_parameters_per_replicate(tmp_path, capsys):
    from polarsim.validation import hindcast

    p = write(tmp_path, {**EXP, "design": {"type": "random", "samples": 10},
                         "calibration": {**EXP["calibration"], "accept": 0.4}})  # fmt: skip
    folder = tmp_path / "calib"
    calibrate(p, out=folder, progress=False)
    h = hindcast(BASE_2005, replicates=4, seed=2, posterior=folder)
    sets = h.manifest["posterior_sets"]
    accepted = pd.read_csv(folder / "distances.csv").query("accepted").sort_values("run_id")
    assert len(accepted) == 4 and len(sets) == 4
    for items, row in zip(sets, accepted.to_dict("records"), strict=True):
        assert f"parameters.trade.persistence={row['persistence']!r}" in items
    assert h.manifest["hindcast"]["posterior"] == str(folder)
    assert h.window == (2008, 2010) and len(h.points) == 75
    code = main(["hindcast", BASE, "--posterior", str(tmp_path), "--out", str(tmp_path / "x")])
    assert code == 2 and "not a calibration folder" in capsys.readouterr().err
    # calibration.json is written last: without it the calibration was interrupted
    (folder / "calibration.json").unlink()
    code = main(["hindcast", BASE, "--posterior", str(folder), "--out", str(tmp_path / "y")])
    assert code == 2 and "unfinished calibration" in capsys.readouterr().err


def test_failed_design_points_are_left_out_and_counted(tmp_path):
    # a normal prior reaching below the parameter's documented minimum (0.5 < 0 is
    # impossible for persistence: ge=0): draws below 0 fail, the rest are the sample
    exp = {**EXP, "design": {"type": "random", "samples": 16},
           "parameters": {"persistence": {"paths": ["parameters.trade.persistence"],
                                          "distribution": {"normal": {"mean": 0.1, "sd": 0.2}}}},
           "calibration": {**EXP["calibration"], "accept": 0.25}}  # fmt: skip
    p = write(tmp_path, exp)
    res = calibrate(p, out=tmp_path / "out", progress=False)
    design = pd.read_parquet(tmp_path / "out" / "sweep" / "design.parquet")
    bad = sorted(design.loc[design["persistence"] < 0, "run_id"])
    assert bad and res.manifest["failed_design_points"] == [[0, r] for r in bad]
    assert len(res.distances) == len(design) - len(bad)
    assert (res.distances["persistence"] >= 0).all()
    man = json.loads((tmp_path / "out" / "calibration.json").read_text())
    assert man["failed_design_points"] == [[0, r] for r in bad]


def test_smc_recovers_known_parameters_and_resumes(tmp_path):
    exp = {**EXP, "design": {"type": "latin_hypercube", "samples": 40},
           "calibration": {**EXP["calibration"], "method": "abc_smc", "generations": 3,
                           "accept": 0.25}}  # fmt: skip
    p = write(tmp_path, exp)
    targets = synthetic(p)
    out = tmp_path / "out"
    res = calibrate(p, out=out, targets=targets, progress=False)
    post = res.posterior.set_index("parameter")
    for name, path in (("persistence", "parameters.trade.persistence"),
                       ("remit", "parameters.remittances.source_gdp_elasticity")):  # fmt: skip
        row = post.loc[name]
        lo, hi = EXP["parameters"][name]["range"]
        assert row["lower"] <= TRUE[path] <= row["upper"], (name, row.to_dict())
        assert row["upper"] - row["lower"] < 0.7 * (hi - lo), (name, row.to_dict())
    assert post["design_points"].iloc[0] == 120
    tol = res.manifest["tolerances"]
    assert len(tol) == 3 and tol[2] < tol[0]
    d = res.distances
    assert list(d.groupby("generation").size()) == [40, 40, 40]
    acc = d[d["accepted"]]
    assert set(acc["generation"]) == {2} and len(acc) == 10
    assert acc["weight"].sum() == pytest.approx(1.0)
    # later generations draw inside the prior ranges
    assert d["persistence"].between(0.5, 0.95).all() and d["remit"].between(0, 2).all()
    sources = load_scenario(res.scenario_path).sources
    assert all("(ABC-SMC, 3 generations, posterior median of 10 accepted of 120" in t
               for t in sources.values())  # fmt: skip
    # resume after losing a shard of the last generation: same answer
    next(iter((out / "gen-2" / "sweep" / "results").glob("part-*.parquet"))).unlink()
    again = calibrate(p, out=out, targets=targets, resume=True, progress=False)
    pd.testing.assert_frame_equal(res.posterior, again.posterior)
    # revised observations: generation 2's proposals came from the population the old
    # ones accepted, so a resume with the new ones mixed two fits (persistence 0.71 on
    # resume against 0.58 from scratch, with the observations 10 % higher)
    revised = targets.assign(observed=targets["observed"] * 1.1)
    with pytest.raises(PolarsimInputError, match="observed targets changed"):
        calibrate(p, out=out, targets=revised, resume=True, progress=False)
    assert (out / "targets.csv").read_text() == targets.to_csv(index=False)


def test_table_design_runs_given_points(tmp_path):
    from polarsim.experiment import make_design

    (tmp_path / "points.csv").write_text("persistence,remit,other\n0.6,1.0,x\n0.9,0.5,y\n")
    exp = {**EXP, "design": {"type": "table", "file": "points.csv"}}
    d = make_design(load_experiment(write(tmp_path, exp)))
    assert list(d.columns) == ["run_id", "persistence", "remit"]
    assert d["persistence"].tolist() == [0.6, 0.9]
    with pytest.raises(PolarsimInputError, match="design table not found"):
        load_experiment(write(tmp_path, {**exp, "design": {"type": "table", "file": "no.csv"}}))
    with pytest.raises(PolarsimInputError, match="design.file"):
        load_experiment(write(tmp_path, {**exp, "design": {"type": "random", "samples": 3,
                                                           "file": "points.csv"}}))  # fmt: skip


def test_smc_helpers():
    from polarsim.calibration import smc

    assert smc.weighted_quantile(np.array([2.0, 1.0]), np.ones(2), 0.5) == pytest.approx(1.5)
    # weights 3 and 1: CDF at the midpoints 0.375 and 0.875, the median a quarter of
    # the way from 1 to 2
    assert smc.weighted_quantile(np.array([1.0, 2.0]), np.array([3.0, 1.0]), 0.5) == 1.25
    exp = Experiment.model_validate(
        {**EXP, "parameters": {"x": {"range": [0, 1]}}, "design": {"type": "random",
                                                                   "samples": 4}})  # fmt: skip
    prev, prev_w = np.array([[0.2], [0.8]]), np.array([0.5, 0.5])
    # symmetric about the population: equal weights; outside the prior: weight 0
    w = smc.new_weights(exp, np.array([[0.4], [0.6], [1.2]]), prev, prev_w)
    assert w[0] == pytest.approx(w[1]) and w[2] == 0.0 and w.sum() == pytest.approx(1.0)
    draws = smc.propose(exp, prev, prev_w, 500, np.random.default_rng(1))
    assert draws.shape == (500, 1) and ((draws >= 0) & (draws <= 1)).all()


def test_weighted_posterior_sd_and_effective_size():
    """SMC weights are reliability weights: the sd's correction is 1 / (1 - sum w^2)
    (numpy.cov's aweights), not n / (n - 1), which counted three points where weights
    1/4, 1/4, 1/2 leave 2.67 (sd 1.016 instead of 1.049); the notes warn on the
    effective number, not on the count."""
    from polarsim.calibration.abc import posterior_notes, posterior_table

    exp = Experiment.model_validate(
        {**EXP, "parameters": {"x": {"range": [0, 3]}},
         "design": {"type": "random", "samples": 3}}
    )  # fmt: skip
    design = pd.DataFrame({"run_id": [0, 1, 2], "x": [0.0, 1.0, 2.0]})
    w = np.array([0.25, 0.25, 0.5])
    row = posterior_table(design, np.arange(3), 0, exp, w).iloc[0]
    assert row["sd"] == pytest.approx(np.sqrt(np.cov(design["x"], aweights=w)))
    assert row["effective"] == pytest.approx(1 / np.sum(w**2))
    # equal weights (rejection ABC): the familiar n - 1, and the count itself
    row = posterior_table(design, np.arange(3), 0, exp).iloc[0]
    assert row["sd"] == pytest.approx(1.0) and row["effective"] == 3
    # 40 accepted particles, but one holds most of the weight
    many = pd.DataFrame({"run_id": range(40), "x": np.linspace(0, 3, 40)})
    heavy = np.full(40, 0.1 / 39)
    heavy[0] = 0.9
    post = posterior_table(many, np.arange(40), 0, exp, heavy)
    assert post["accepted"].iloc[0] == 40 and post["effective"].iloc[0] < 2
    assert any("effective sample size" in n for n in posterior_notes(post))
    assert posterior_notes(posterior_table(many, np.arange(40), 0, exp)) == []


def test_calibrate_passes_oversubscribe_to_its_sweeps(tmp_path, monkeypatch):
    """The sweeps' note on lowered workers suggests --oversubscribe: calibrate takes it."""
    seen: dict = {}

    class Stop(Exception):
        pass

    def fake_sweep(*args, **kw):
        seen.update(kw)
        raise Stop

    import importlib

    # the module, not the package's lazily exported function of the same name
    monkeypatch.setattr(importlib.import_module("polarsim.experiment.sweep"), "sweep", fake_sweep)
    p = write(tmp_path, {**EXP, "design": {"type": "random", "samples": 4}})
    with pytest.raises(Stop):
        main(["calibrate", str(p), "--out", str(tmp_path / "o"), "--workers", "3",
              "--oversubscribe", "--no-progress"])  # fmt: skip
    assert seen["oversubscribe"] is True and seen["workers"] == 3
