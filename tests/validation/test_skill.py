"""Rolling-origin evaluation: scores against hand-computed values, and nothing known
after an origin reaches the forecasts or bands made at that origin."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from polarsim.validation import skill as sk
from tests.conftest import SCENARIOS


def test_interval_score_by_hand():
    # band [2, 8] at 90 %: width 6, plus 2/0.1 = 20 per unit outside
    got = sk.interval_score([5.0, 1.0, 9.5], [2.0] * 3, [8.0] * 3, level=0.9)
    assert got.tolist() == pytest.approx([6.0, 26.0, 36.0])


def _history(values_after: float) -> pd.DataFrame:
    years = np.arange(2000, 2016)
    y = np.where(years <= 2008, 10.0 + 0.5 * (years - 2000), values_after)
    return pd.DataFrame(
        {
            "series": "trade_shares",
            "state": "KAZ",
            "partner": "CHN",
            "year": years,
            "observed": y,
            "column": "trade_share_CHN",
            "factor": 100.0,
        }  # fmt: skip
    )


def test_baselines_see_nothing_after_the_origin():
    a, b = _history(50.0), _history(-5.0 + 20)
    targets = a[a["year"] > 2008]
    fa = sk.baselines(a, targets, 2008)
    fb = sk.baselines(b, b[b["year"] > 2008], 2008)
    for col in ("persistence", "trend", "ets"):
        assert fa[col].to_numpy() == pytest.approx(fb[col].to_numpy())
    assert fa["persistence"].unique().tolist() == [14.0]  # the 2008 value
    # the trend continues the straight line 10 + 0.5 (year - 2000)
    assert fa.loc[fa["year"] == 2010, "trend"].item() == pytest.approx(15.0)


def test_past_changes_use_years_up_to_the_origin_only():
    h = _history(50.0)
    ch = sk.past_changes(h, 2003)
    # 2000..2003: 3 + 2 + 1 pairs
    assert len(ch) == 6 and set(ch["horizon"]) == {1, 2, 3}
    z = sk.to_z(np.array([10.0, 10.5]))
    assert ch[ch["horizon"] == 1]["change"].iloc[0] == pytest.approx(z[1] - z[0])


def test_bands_at_an_origin_ignore_later_origins():
    rng = np.random.default_rng(0)
    rows = []
    for origin in (2004, 2005, 2006, 2007):
        for year in range(origin + 1, 2011):
            for k in range(30):
                rows.append((origin, "trade_shares", f"S{k}", "CHN", year, year - origin,
                             20 + rng.normal(), 20.0, 20.0))  # fmt: skip
    pts = pd.DataFrame(rows, columns=["origin", "series", "state", "partner", "year",
                                      "horizon", "observed", "model", "persistence"])  # fmt: skip
    hist = pts[["series", "state", "partner", "year", "observed"]].drop_duplicates(
        ["series", "state", "partner", "year"]
    )
    a = sk.add_bands(pts, hist)
    changed = pts.copy()
    later = changed["origin"] == 2007
    changed.loc[later, "model"] = 90.0
    b = sk.add_bands(changed, hist)
    early = a["origin"] < 2007
    assert a.loc[early, "model_lower"].to_numpy() == pytest.approx(
        b.loc[early, "model_lower"].to_numpy(), nan_ok=True
    )
    # the first origin has no past errors: no model band
    assert a.loc[a["origin"] == 2004, "model_lower"].isna().all()
    # later origins have enough (30 states x past horizons) and a band around the model
    g = a[a["origin"] == 2007]
    assert (g["model_lower"] <= g["model"]).all() and (g["model"] <= g["model_upper"]).all()


def test_skill_end_to_end_small():
    s = sk.skill(SCENARIOS / "historical.yaml", origins=(2009, 2012), last_year=2015,
                 replicates=2, seed=3)  # fmt: skip
    assert set(s.points["series"]) == set(sk.SERIES)
    assert (s.points["horizon"] >= 1).all() and (s.points["year"] <= 2015).all()
    t = s.table
    assert {"1-5", "all"} <= set(t["horizon"])
    overall = t[(t.series == "trade_shares") & (t.horizon == "all")].iloc[0]
    p = s.points[s.points.series == "trade_shares"]
    assert overall["mae_persistence"] == pytest.approx((p.persistence - p.observed).abs().mean())
    assert overall["n"] == len(p)
    # the reliability table: every level, and the band of its own level in `table`
    rel = s.reliability
    assert set(rel["level"]) == set(sk.RELIABILITY_LEVELS)
    at90 = rel[(rel.series == "trade_shares") & (rel.level == sk.LEVEL)].iloc[0]
    five = t[(t.series == "trade_shares") & (t.horizon == "1-5")].iloc[0]
    assert at90["coverage_model"] == pytest.approx(five["coverage_model"])
    assert at90["interval_score_naive"] == pytest.approx(five["interval_score_naive"])
    for band in sk.BANDS:
        assert (rel[f"coverage_{band}_low"] <= rel[f"coverage_{band}"]).all()
        assert (rel[f"coverage_{band}"] <= rel[f"coverage_{band}_high"]).all()


def test_reliability_bands_nest_so_coverage_rises_with_the_level():
    """Bands are quantiles of one error sample, so a wider level's band holds a narrower
    one's and covers at least the same observations."""
    s = sk.skill(SCENARIOS / "historical.yaml", origins=(2006, 2009, 2012), replicates=2,
                 seed=1, series=("trade_shares", "remittances"), report_from=2009)  # fmt: skip
    rel = s.reliability
    assert set(rel["series"]) == {"trade_shares", "remittances"}
    for _, g in rel.groupby("series"):
        g = g.sort_values("level")
        for band in sk.BANDS:
            cov = g[f"coverage_{band}"].to_numpy()
            assert (np.diff(cov) >= 0).all(), (band, cov)
            assert cov[0] < cov[-1]  # the levels differ in what they cover


def test_coverage_interval_resamples_whole_pairs():
    """The interval comes from pairs drawn whole: rows of one pair that all miss widen
    it as one unit, not as many independent rows, and it holds the coverage itself."""
    pairs = np.repeat([f"p{k}" for k in range(20)], 10)
    covered = np.ones(200, dtype=bool)
    covered[:20] = False  # two pairs miss in every row: coverage 0.9
    lo, hi = sk.coverage_interval(covered, pairs, seed=3)
    assert lo < 0.9 < hi
    # the same misses spread over every pair (one row in ten) leave nothing to resample
    spread = np.tile(np.arange(10) > 0, 20)
    assert spread.mean() == pytest.approx(0.9)
    assert sk.coverage_interval(spread, pairs, seed=3) == pytest.approx((0.9, 0.9))
    # binomial over 200 independent rows would give about 0.86-0.94; pairs at 0 or 1
    assert hi - lo > 0.1
    # reproducible from the seed, and another seed draws otherwise
    assert sk.coverage_interval(covered, pairs, seed=3) == (lo, hi)
    varied = np.tile(np.arange(10), 20) >= np.repeat(np.arange(20) % 4, 10)
    assert len({sk.coverage_interval(varied, pairs, seed=k) for k in range(5)}) > 1
    # a single pair has no interval
    assert np.isnan(sk.coverage_interval(covered[:10], pairs[:10])).all()


def test_origins_must_precede_the_last_year():
    from polarsim.errors import PolarsimInputError

    with pytest.raises(PolarsimInputError, match="origins"):
        sk.skill(SCENARIOS / "historical.yaml", origins=(2015,), last_year=2015)


def test_write_skill_folder_and_figure(tmp_path):
    from polarsim.plots.skill import save_skill_figures

    s = sk.skill(SCENARIOS / "historical.yaml", origins=(2008, 2010, 2013), replicates=2,
                 seed=1, series=("trade_shares",))  # fmt: skip
    out = sk.write_skill(s, tmp_path / "skill", figures=save_skill_figures)
    for name in ("table.csv", "table.md", "reliability.csv", "points.parquet", "manifest.json",
                 "figures/skill.png", "figures/skill.pdf", "figures/reliability.png"):  # fmt: skip
        assert (out / name).is_file(), name
    t = pd.read_csv(out / "table.csv")
    assert set(t["series"]) == {"trade_shares"}
    # scripts/band_rules.py rebuilds the shipped bands of the folder to the same scores
    script = Path(__file__).resolve().parents[2] / "scripts" / "band_rules.py"
    done = subprocess.run(
        [sys.executable, str(script), str(out), "--split", "2010"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    shipped = [r for r in done.stdout.splitlines() if r.startswith("| shipped | 2008-2013 |")]
    summary = t[t["horizon"] == "1-5"].iloc[0]
    assert f"| {summary['coverage_model']:.3f} |" in shipped[0]
    assert f"| {summary['interval_score_model']:.3f} |" in shipped[0]
    assert "| finite-sample | 2010 on | trade_shares |" in done.stdout


def test_report_from_scores_later_origins_only():
    s = sk.skill(SCENARIOS / "historical.yaml", origins=(2006, 2012), replicates=1,
                 seed=1, series=("remittances",), report_from=2012)  # fmt: skip
    assert set(s.points.loc[s.points["reported"], "origin"]) == {2012}
    allrow = s.table[s.table["horizon"] == "all"].iloc[0]
    assert allrow["n"] == int(s.points["reported"].sum())


def test_nested_errors_split_samples():
    pts = pd.DataFrame(
        {
            "origin": [2006, 2006, 2009, 2010, 2012],
            "year": [2008, 2011, 2010, 2011, 2013],
            "observed": [10.0, 10.0, 10.0, 10.0, 10.0],
            "model": [11.0, 99.0, 13.0, 12.0, 14.0],
            "persistence": [10.0, 10.0, 10.0, 9.0, 10.0],
        }
    )
    e = sk.nested_errors(pts, 2010)
    # tune: origins before 2010 scored up to 2010 (2006->2008, 2009->2010); the 2011
    # score of the 2006 forecast is in neither sample
    assert e["tune_n"] == 2 and e["tune_mae_model"] == pytest.approx(2.0)
    assert e["report_n"] == 2 and e["report_mae_model"] == pytest.approx(3.0)
    assert e["report_mae_persistence"] == pytest.approx(0.5)


def test_skill_command(tmp_path, capsys):
    from polarsim.cli import main

    out = tmp_path / "sk"
    code = main(["skill", str(SCENARIOS / "historical.yaml"), "--origins", "2009:2013",
                 "--report-from", "2011", "--replicates", "1", "--series", "trade_shares",
                 "--out", str(out), "--no-figures"])  # fmt: skip
    assert code == 0
    text = capsys.readouterr().out
    assert "skill of origins 2011-2013" in text and "| trade_shares | 1-5 |" in text
    assert "coverage of the bands at each level" in text and "| trade_shares | 0.500 |" in text
    assert (out / "table.csv").is_file() and (out / "manifest.json").is_file()
    assert not (out / "figures").exists()


def test_default_origins_end_before_the_last_compared_year():
    assert sk.default_origins(2015) == tuple(range(2005, 2015))
    # arms alone: their five-year windows end in 2014 (skill refused them by default)
    assert sk.default_origins(2014) == tuple(range(2005, 2014))
    # later observations: every origin up to the last bundled year
    assert sk.default_origins(2024) == tuple(range(2005, 2016))


def test_skill_command_bad_origins(capsys):
    from polarsim.cli import main

    with pytest.raises(SystemExit) as e:
        main(["skill", str(SCENARIOS / "historical.yaml"), "--origins", "20x5:2010"])
    assert e.value.code == 2
    assert "FIRST:LAST" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["skill", str(SCENARIOS / "historical.yaml"), "--origins", "2014:2005"])
    assert e.value.code == 2
    assert "FIRST after LAST in '2014:2005': expected e.g. 2005:2014" in capsys.readouterr().err


def test_the_command_offers_the_modules_series():
    from polarsim.validation.cli import SKILL_SERIES

    assert SKILL_SERIES == sk.SERIES


def test_structural_sample_pools_observed_changes_only_while_own_errors_are_few():
    own_few = pd.DataFrame({"series": "remittances", "change": np.zeros(5)})
    own_many = pd.DataFrame({"series": "trade_shares", "change": np.zeros(sk.MIN_OWN_ERRORS)})
    changes = pd.DataFrame(
        {
            "series": ["remittances"] * 3 + ["trade_shares"] * 3,
            "horizon": [1, 2, 3] * 2,
            "change": [1.0, -1.0, 2.0] * 2,
            "from_zero": False,
        }
    )
    out = sk._structural_sample(pd.concat([own_few, own_many]), changes)
    assert (out["series"] == "remittances").sum() == 5 + 3  # pooled
    assert (out["series"] == "trade_shares").sum() == sk.MIN_OWN_ERRORS  # its own only
    # a series without any model error yet rests on its observed changes
    alone = sk._structural_sample(own_many, changes)
    assert (alone["series"] == "remittances").sum() == 3


def test_nested_errors_compare_rows_with_both_forecasts():
    """A series without an observation up to its origin has no persistence forecast:
    the model's error there does not count in either sample."""
    pts = pd.DataFrame(
        {
            "origin": [2006, 2006],
            "year": [2008, 2009],
            "observed": [10.0, 10.0],
            "model": [11.0, 90.0],
            "persistence": [10.0, np.nan],
        }
    )
    e = sk.nested_errors(pts, 2010)
    assert e["tune_n"] == 1 and e["tune_mae_model"] == pytest.approx(1.0)


def test_band_of_a_zero_forecast_rests_on_changes_from_zero():
    """A forecast of zero takes its band from errors that started at zero, a positive
    one from the others; a kind with too few errors takes the whole sample."""
    n = sk.MIN_BAND_SAMPLE
    sample = pd.DataFrame(
        {
            "horizon": 1,
            "change": np.r_[np.zeros(n), np.linspace(-1.0, 1.0, n)],
            "from_zero": np.r_[np.ones(n, bool), np.zeros(n, bool)],
        }
    )
    lo, hi = sk._split_band(np.array([0.0, 20.0]), np.ones(2, int), sample, 0.9)
    assert lo[0] == 0.0 and hi[0] == 0.0  # zeros stayed at zero
    assert lo[1] < 20.0 < hi[1]
    few = sample.iloc[: 2 * n - 1].assign(from_zero=lambda d: d.index < n // 2)
    lo2, hi2 = sk._split_band(np.array([0.0]), np.ones(1, int), few, 0.9)
    assert hi2[0] > 0.0  # whole sample: it holds upward changes


def test_a_forecast_takes_the_errors_of_its_own_horizon_where_enough_are_known():
    """Errors made h years ahead move a forecast h years ahead; with too few of them,
    every error scaled by sqrt(h / its horizon)."""
    n = sk.MIN_BAND_SAMPLE
    sample = pd.DataFrame(
        {
            "horizon": np.r_[np.ones(n, int), np.full(n, 4)],
            "change": np.r_[np.ones(n), np.full(n, 3.0)],
        }
    )
    assert set(sk._errors_at(sample, 4)) == {3.0}  # its own horizon: not 1 x sqrt(4) = 2
    assert set(sk._errors_at(sample, 1)) == {1.0}
    few = sample.iloc[: n + n // 2]  # n errors at 1 year, n / 2 at 4 years
    assert sorted(set(sk._errors_at(few, 9))) == pytest.approx([3.0, 4.5])  # 1 x 3, 3 x 1.5


def _calibration_folder(tmp_path, persistence: list[float]):
    """A folder as `polarsim calibrate` writes it (experiment.yaml, distances.csv,
    calibration.json) with
    accepted points that differ in trade persistence only."""
    folder = tmp_path / "cal"
    folder.mkdir()
    (folder / "experiment.yaml").write_text(
        f"base: {SCENARIOS / 'historical.yaml'}\n"
        "parameters:\n"
        "  trade.persistence: {paths: [parameters.trade.persistence], range: [0.5, 0.95]}\n"
        "design: {type: latin_hypercube, samples: 4}\n"
        "calibration: {method: abc_rejection, window: [2005, 2007], accept: 0.5,\n"
        "              targets: {trade_shares: {weight: 1}}}\n"
    )
    pd.DataFrame(
        {
            "generation": 0,
            "run_id": range(len(persistence)),
            "trade.persistence": persistence,
            "accepted": True,
            "weight": 1.0 / len(persistence),
        }
    ).to_csv(folder / "distances.csv", index=False)
    (folder / "calibration.json").write_text("{}\n")  # a finished calibration's last file
    return folder


def test_posterior_draws_spread_the_replicates_and_widen_the_band(tmp_path):
    kw = {"origins": (2010, 2011, 2012, 2013), "replicates": 4, "seed": 2,
          "series": ("trade_shares",), "report_from": 2012}  # fmt: skip
    plain = sk.skill(SCENARIOS / "historical.yaml", **kw)
    folder = _calibration_folder(tmp_path, [0.55, 0.95])
    drawn = sk.skill(SCENARIOS / "historical.yaml", posterior=folder, **kw)
    assert plain.points["model_spread"].isna().all()
    spread = drawn.points["model_spread"]
    assert spread.notna().all() and (spread > 0).mean() > 0.9
    width = lambda p: (p["model_upper"] - p["model_lower"]).mean()  # noqa: E731
    assert width(drawn.points) > width(plain.points)
    assert drawn.manifest["posterior"] == str(folder)
    # the medians come from the drawn parameters: not the plain run's
    assert not np.allclose(drawn.points["model"], plain.points["model"])


def _later_files(folder: Path) -> dict[str, Path]:
    """Observations of 2016-2017 in the bundled layouts, synthetic (the last bundled
    year's rows moved on, perturbed): the shape of the data a user holds after 2015,
    none of its content."""
    import polarsim.data

    bundled = Path(polarsim.data.__file__).parent / "central_asia"
    files = {}
    specs = {
        "trade_shares": ("trade_shares.csv", 2015, "share_pct"),
        "arms_shares": ("arms_imports_annual.csv", 2014, "tiv_musd_approx"),
        "remittances": ("remittances.csv", 2015, "value"),
    }
    for series, (name, last, column) in specs.items():
        t = pd.read_csv(bundled / name)
        rows = t[t["year"] == last]
        if "recommended" in rows:
            rows = rows[rows["recommended"] == "Y"]
        later = []
        for k, year in enumerate(range(last + 1, 2018), start=1):
            r = rows.copy()
            r["year"] = year
            r[column] = r[column] * (1.0 - 0.05 * k)  # shares still add to at most 100
            later.append(r)
        files[series] = folder / name
        pd.concat(later).to_csv(files[series], index=False)
    return files


def test_later_observations_score_the_forecast_from_2015_and_change_nothing_earlier(tmp_path):
    """The check issue 14 describes: the forecast from 2015 scored on years the package
    does not hold. Observations after an origin must not change anything forecast
    from it: the forecasts from 2013 to 2014-2015, their baselines and bands are the
    same with and without the later files."""
    files = _later_files(tmp_path)
    kw = dict(replicates=1, seed=4, report_from=2013)
    later = sk.skill(SCENARIOS / "historical.yaml", origins=(2013, 2015), observed=files, **kw)
    assert later.manifest["last_year"] == 2017
    assert set(later.manifest["observed_files"]) == set(sk.SERIES)
    p15 = later.points[later.points["origin"] == 2015]
    assert set(p15["year"]) == {2016, 2017} and set(p15["series"]) == set(sk.SERIES)
    assert p15["model_lower"].notna().all() and p15["naive_lower"].notna().all()
    # persistence from 2015 is the 2015 observation: the later files do not reach it
    trade = p15[p15["series"] == "trade_shares"]
    assert (trade["persistence"] != trade["observed"]).any()

    bundled = sk.skill(SCENARIOS / "historical.yaml", origins=(2013,), **kw)
    cols = ["series", "state", "partner", "year", "observed", "model", "persistence",
            "trend", "ets", "model_lower", "model_upper", "naive_lower", "naive_upper"]  # fmt: skip
    key = ["series", "state", "partner", "year"]

    def from_2013(s):
        p = s.points
        return p[p["origin"] == 2013][cols].sort_values(key).reset_index(drop=True)

    # the same rows: the later files add observations (the arms window of 2015), and
    # change none that the bundled data hold
    before = from_2013(bundled)
    after = from_2013(later).merge(before[key], on=key).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(after, before)


def test_skill_command_with_later_observations(tmp_path, capsys):
    from polarsim.cli import main

    files = _later_files(tmp_path)
    out = tmp_path / "sk"
    code = main(["skill", str(SCENARIOS / "historical.yaml"), "--origins", "2014:2015",
                 "--report-from", "2015", "--replicates", "1", "--series", "trade_shares",
                 "--observed", f"trade_shares={files['trade_shares']}",
                 "--out", str(out), "--no-figures"])  # fmt: skip
    assert code == 0
    assert "skill of origins 2015-2015" in capsys.readouterr().out
    t = pd.read_csv(out / "table.csv", dtype={"horizon": str})
    assert set(t.loc[t["horizon"].str.isdigit(), "horizon"]) == {"1", "2"}
    # a series' file without the series scored, and a bad pair, are refused
    code = main(["skill", str(SCENARIOS / "historical.yaml"), "--series", "trade_shares",
                 "--observed", f"remittances={files['remittances']}"])  # fmt: skip
    assert code == 2 and "--observed" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["skill", str(SCENARIOS / "historical.yaml"), "--observed", "nonsense.csv"])


def _periods_from_annual(folder: Path, first: int, last: int) -> Path:
    """A table in the layout of arms_imports.csv (SIPRI periods) holding the bundled
    annual deliveries of `first`-`last` summed: the same numbers as the annual window
    ending in `last`, in the other layout."""
    import polarsim.data

    bundled = Path(polarsim.data.__file__).parent / "central_asia"
    a = pd.read_csv(bundled / "arms_imports_annual.csv")
    a = a[(a["year"] >= first) & (a["year"] <= last)]
    p = a.groupby(["country", "supplier"], as_index=False)["tiv_musd_approx"].sum()
    p = p.rename(columns={"tiv_musd_approx": "tiv_musd"})
    p["period"] = f"{first}-{last}"
    p["share_pct"] = 100.0 * p["tiv_musd"] / p.groupby("country")["tiv_musd"].transform("sum")
    path = folder / "arms_imports.csv"
    p.to_csv(path, index=False)
    return path


def test_arms_shares_from_sipri_periods_equal_the_annual_window(tmp_path):
    """A period table (the layout of arms_imports.csv, as SIPRI publishes five-year
    periods) gives the same targets as the annual deliveries of the window ending in
    the period's last year, and adds the windows the annual data do not hold."""
    from polarsim import load_scenario
    from polarsim.observations.series import arms_targets

    sc = load_scenario(SCENARIOS / "historical.yaml")
    key = ["state", "partner", "year"]
    annual = arms_targets(sc, None)
    same = arms_targets(sc, _periods_from_annual(tmp_path, 2010, 2014))
    pd.testing.assert_frame_equal(
        same.sort_values(key).reset_index(drop=True),
        annual.sort_values(key).reset_index(drop=True),
    )
    # a later period: the windows ending in 2019 come in, the bundled ones stay
    later = pd.read_csv(tmp_path / "arms_imports.csv").assign(period="2015-2019")
    later.to_csv(tmp_path / "later.csv", index=False)
    extended = arms_targets(sc, tmp_path / "later.csv")
    assert set(extended["year"]) == set(annual["year"]) | {2019}
    in_2019 = extended[extended["year"] == 2019].set_index(["state", "partner"])["observed"]
    in_2014 = annual[annual["year"] == 2014].set_index(["state", "partner"])["observed"]
    pd.testing.assert_series_equal(in_2019, in_2014, check_names=False)
    # SIPRI's own share column is not needed: the shares come from the TIV
    later.drop(columns="share_pct").to_csv(tmp_path / "no_share.csv", index=False)
    pd.testing.assert_frame_equal(
        arms_targets(sc, tmp_path / "no_share.csv"), extended, check_like=True
    )


def test_a_period_that_is_not_the_window_is_refused(tmp_path, capsys):
    from polarsim.cli import main

    path = _periods_from_annual(tmp_path, 2011, 2014)  # four years, the window is five
    code = main(["skill", str(SCENARIOS / "historical.yaml"), "--series", "arms_shares",
                 "--observed", f"arms_shares={path}", "--out", str(tmp_path / "sk")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and str(path) in err and "period" in err and "2011-2014" in err
    assert "Traceback" not in err and not (tmp_path / "sk").exists()


def test_forecasts_and_bands_are_scored_on_the_same_rows():
    """Where persistence has no value (a series without an observation up to its
    origin, as Uzbekistan's remittances before 2009) the model's error there is not
    compared with anything: every forecast is scored on the rows where all of them
    have a value, both bands on the rows where both exist."""
    pts = pd.DataFrame(
        {
            "observed": [10.0, 10.0, 10.0],
            "model": [11.0, 12.0, 40.0],
            "persistence": [10.0, 13.0, np.nan],
            "trend": [9.0, 9.0, np.nan],
            "ets": [10.0, 10.0, np.nan],
            "model_lower": [9.0, 0.0, 30.0],
            "model_upper": [11.0, 5.0, 50.0],
            "naive_lower": [9.0, 9.0, np.nan],
            "naive_upper": [11.0, 11.0, np.nan],
        }
    )
    row = sk._scores(pts, 0.9)
    assert row["n"] == 2 and row["n_unscored"] == 1
    assert row["mae_model"] == pytest.approx(1.5)  # not (1 + 2 + 30) / 3
    assert row["mae_persistence"] == pytest.approx(1.5)
    assert row["mae_ratio_persistence"] == pytest.approx(1.0)
    assert row["n_band_model"] == row["n_band_naive"] == 2
    assert row["coverage_model"] == pytest.approx(0.5)  # the third row's miss not counted
    assert row["coverage_naive"] == pytest.approx(1.0)
    width_and_miss = [2.0, 5.0 + 20.0 * 5.0]
    assert row["interval_score_model"] == pytest.approx(np.mean(width_and_miss))


def test_the_naive_band_spans_the_years_persistence_is_carried():
    """Persistence holds the last observed value; where the series has none in the
    origin year (Uzbekistan's arms windows of 2007-2009 held no deliveries; every arms
    window is past the data from a 2015 origin) that value is older than the origin,
    and the naive band must take the changes over the years from it, not over the
    horizon from the origin."""
    rng = np.random.default_rng(5)
    years = np.arange(2000, 2013)
    rows = []
    for k in range(30):
        walk = 20.0 + np.cumsum(rng.normal(0.0, 1.0 + k / 10, len(years)))
        for y, v in zip(years, walk, strict=True):
            rows.append(("arms_shares", f"S{k}", "RUS", int(y), float(v)))
    hist = pd.DataFrame(rows, columns=["series", "state", "partner", "year", "observed"])
    # one series without observations in 2007-2008: persistence from 2008 holds 2006
    gap = (hist["state"] == "S0") & hist["year"].between(2007, 2008)
    hist = hist[~gap].reset_index(drop=True)
    origin = 2008
    targets = hist[(hist["year"] > origin) & (hist["state"] == "S0")]
    pts = sk.baselines(hist, targets, origin)
    pts = pts.assign(origin=origin, horizon=pts["year"] - origin, model=pts["persistence"])
    assert set(pts["persistence_year"]) == {2006}
    banded = sk.add_bands(pts, hist)
    changes = sk.past_changes(hist, origin)
    for _, r in banded.iterrows():
        lo, hi = sk._split_band(
            np.array([r["persistence"]]), np.array([r["year"] - 2006]), changes, sk.LEVEL
        )
        assert (r["naive_lower"], r["naive_upper"]) == pytest.approx((lo[0], hi[0]))
    # the model forecasts from the origin: its band keeps the horizon from the origin
    assert (banded["horizon"] == banded["year"] - origin).all()


def test_posterior_replicates_take_the_points_the_docs_name():
    """Systematic resampling with n equal weights: replicate r takes point
    ceil((r + 1/2) n / R) - 1 (docs/validation.md, `--posterior`): for the 30 accepted
    points of experiments/calibrate_skill_band.yaml and 10 replicates, 1, 4, ..., 28."""
    import math

    from polarsim.validation.posterior import pick

    for n, reps in ((30, 10), (3, 2), (7, 3), (10, 10)):
        want = [math.ceil((r + 0.5) * n / reps) - 1 for r in range(reps)]
        assert pick(np.full(n, 1.0 / n), reps) == want, (n, reps)
    assert pick(np.full(30, 1.0 / 30), 10) == list(range(1, 30, 3))


def test_observed_from_keeps_the_bundled_vintage_before_it(tmp_path, capsys):
    """A later download revises earlier years too; with `observed_from` its rows count
    only from that year on, so persistence from 2015 carries the bundled 2015 value the
    forecast starts from, and the later years are still scored."""
    import polarsim.data
    from polarsim import load_scenario
    from polarsim.cli import main

    bundled = Path(polarsim.data.__file__).parent / "central_asia" / "remittances.csv"
    t = pd.read_csv(bundled)
    rows = t[t["year"] == 2015].copy()
    revised = rows.assign(value=rows["value"] * 2.0)  # a revised 2015
    later = rows.assign(year=2016, value=rows["value"] * 1.1)
    path = tmp_path / "remittances.csv"
    pd.concat([revised, later]).to_csv(path, index=False)

    sc = load_scenario(SCENARIOS / "historical.yaml")
    files = {"remittances": path}
    base = sk.observed_outcomes(sc, ("remittances",))
    merged = sk.observed_outcomes(sc, ("remittances",), files)
    kept = sk.observed_outcomes(sc, ("remittances",), files, files_from=2016)
    key = ["state", "year"]

    def at(frame, year):
        return frame[frame["year"] == year].set_index(key)["observed"].sort_index()

    pd.testing.assert_series_equal(at(kept, 2015), at(base, 2015))
    assert not at(merged, 2015).equals(at(base, 2015))
    pd.testing.assert_series_equal(at(kept, 2016), at(merged, 2016))
    assert len(at(kept, 2016)) > 0

    code = main(["skill", str(SCENARIOS / "historical.yaml"), "--observed-from", "2016"])
    err = capsys.readouterr().err
    assert code == 2 and "--observed-from" in err and "Traceback" not in err


def _trade_2016(tmp_path, scale: float = 1.0, name: str = "trade.csv") -> Path:
    """The bundled recommended trade shares of 2015 as a file of 2016, times `scale`."""
    import polarsim.data

    t = pd.read_csv(Path(polarsim.data.__file__).parent / "central_asia" / "trade_shares.csv")
    rows = t[(t["year"] == 2015) & (t["recommended"] == "Y")]
    rows = rows[["country", "partner", "year", "share_pct"]].assign(
        year=2016, share_pct=(rows["share_pct"] * scale).round(4)
    )
    path = tmp_path / name
    rows.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    "content",
    [
        # a WDI series code where the bundled layout names the indicator
        "country,year,indicator,value,unit\nTajikistan,2016,BX.TRF.PWKR.DT.GD.ZS,27.1,% of GDP\n",
        # a header alone
        "country,year,indicator,value,unit\n",
        # only a year before --observed-from
        "country,year,indicator,value,unit\n"
        "Tajikistan,2015,remittances_received_pct_gdp,30.0,% of GDP\n",
    ],
)
def test_a_file_that_adds_no_observation_is_refused(tmp_path, content):
    """Such a file used to leave the series scored on the bundled data alone without a
    word: with a 2015 origin the series vanished from the table."""
    from polarsim import load_scenario
    from polarsim.errors import PolarsimInputError

    path = tmp_path / "remittances.csv"
    path.write_text(content)
    sc = load_scenario(SCENARIOS / "historical.yaml")
    with pytest.raises(PolarsimInputError) as err:
        sk.observed_outcomes(sc, ("remittances",), {"remittances": path}, files_from=2016)
    msg = str(err.value)
    assert str(path) in msg and "remittances_received_pct_gdp" in msg and "2016" in msg


def test_shares_written_as_fractions_of_one_are_refused(tmp_path, capsys):
    """share_pct 0.138 for 13.8 %: every later share looked like a collapse, and the
    scores measured the unit, not the model."""
    from polarsim import load_scenario
    from polarsim.cli import main
    from polarsim.errors import PolarsimInputError

    sc = load_scenario(SCENARIOS / "historical.yaml")
    ok = sk.observed_outcomes(sc, ("trade_shares",), {"trade_shares": _trade_2016(tmp_path)})
    assert (ok["year"] == 2016).any()
    fraction = _trade_2016(tmp_path, 0.01, "fraction.csv")
    with pytest.raises(PolarsimInputError, match="percent"):
        sk.observed_outcomes(sc, ("trade_shares",), {"trade_shares": fraction})
    out = tmp_path / "sk"
    code = main(["skill", str(SCENARIOS / "historical.yaml"), "--series", "trade_shares",
                 "--observed", f"trade_shares={fraction}", "--out", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and str(fraction) in err and "Traceback" not in err
    assert not out.exists()


def test_default_report_from_is_the_forecast_from_2015_with_later_observations():
    """With later observations the table used to pool the origins 2008-2015 unless
    --report-from 2015 was given: a checker scoring the forecast as of 2015 got
    forecasts from 2008 on, scored on the bundled years too, in the same rows."""
    assert sk.default_report_from(range(2005, 2016), 2024) == 2015
    assert sk.default_report_from(range(2005, 2015), 2015) == sk.DEFAULT_REPORT_FROM
    # no 2015 origin asked for: the earlier origins are what there is to report
    assert sk.default_report_from(range(2005, 2013), 2024) == sk.DEFAULT_REPORT_FROM


def test_skill_with_later_observations_reports_the_2015_forecast_by_default(tmp_path):
    files = _later_files(tmp_path)
    trade = {"trade_shares": files["trade_shares"]}
    s = sk.skill(SCENARIOS / "historical.yaml", origins=(2014, 2015), replicates=1, seed=2,
                 series=("trade_shares",), observed=trade)  # fmt: skip
    assert s.report_from == 2015
    assert set(s.points.loc[s.points["reported"], "origin"]) == {2015}
    t = s.table.set_index("horizon")
    assert set(t.index) == {"1", "2", "1-5", "all"}
    assert t.loc["all", "n"] == int((s.points["origin"] == 2015).sum())


def test_a_remittance_file_without_a_unit_column_is_scored(tmp_path):
    """The unit is in the indicator's name; a WDI download has no unit column.
    Synthetic values (made up), not observations."""
    p = tmp_path / "remittances_later.csv"
    p.write_text(
        "country,year,indicator,value\n"
        "Kyrgyz Republic,2016,remittances_received_pct_gdp,30\n"
        "Tajikistan,2016,remittances_received_pct_gdp,28\n"
    )
    s = sk.skill(
        SCENARIOS / "historical.yaml",
        origins=(2015,),
        replicates=1,
        seed=2,
        series=("remittances",),
        observed={"remittances": p},
    )
    rows = s.points[s.points["year"] == 2016]
    assert set(rows["state"]) == {"KGZ", "TJK"}
    assert rows.set_index("state").loc["KGZ", "observed"] == 30


def test_origins_and_report_from_are_checked_before_any_run(capsys):
    from polarsim.cli import main

    hist = str(SCENARIOS / "historical.yaml")
    assert main(["skill", hist, "--origins", "1990:2012"]) == 2
    err = capsys.readouterr().err
    assert "--origins" in err and "2000 to 2015" in err and "--set" not in err
    assert main(["skill", hist, "--origins", "2010:2012", "--report-from", "2050"]) == 2
    assert "--report-from" in capsys.readouterr().err


def test_the_table_names_the_origins_it_scores(tmp_path, capsys):
    from polarsim.cli import main

    code = main(["skill", str(SCENARIOS / "historical.yaml"), "--origins", "2013:2014",
                 "--replicates", "1", "--series", "trade_shares", "--no-figures",
                 "--out", str(tmp_path / "k")])  # fmt: skip
    assert code == 0
    # the default report year (2008) is before the first origin: the table scores 2013-2014
    assert "skill of origins 2013-2014" in capsys.readouterr().out


@pytest.mark.parametrize("n", [20, 40])
def test_finite_sample_quantiles_cover_what_they_say_where_the_shipped_rule_falls_short(n):
    """Of n exchangeable errors, the interpolated quantiles cover a new one with
    probability (n - 1) level / (n + 1); the order statistics of split conformal
    prediction at least `level`, at most level + 2 / (n + 1)."""
    rng = np.random.default_rng(5)
    draws = rng.standard_normal((20_000, n + 1))
    covered = {"shipped": 0, "finite": 0}
    for row in draws:
        sample, new = row[:n], row[n]
        for name, rule in (("shipped", sk._quantiles), ("finite", sk.finite_sample_quantiles)):
            lo, hi = rule(sample, 0.9)
            covered[name] += lo <= new <= hi
    shipped, finite = covered["shipped"] / len(draws), covered["finite"] / len(draws)
    assert shipped == pytest.approx((n - 1) * 0.9 / (n + 1), abs=0.01)
    assert 0.9 - 0.01 <= finite <= 0.9 + 2 / (n + 1) + 0.01
    # fewer errors than MIN_BAND_SAMPLE: no band, as with the shipped rule
    assert np.isnan(sk.finite_sample_quantiles(np.arange(19.0), 0.9)).all()


def test_add_bands_takes_the_quantile_rule():
    rng = np.random.default_rng(1)
    rows = [
        (origin, "trade_shares", f"S{k}", "CHN", year, year - origin, 20 + rng.normal(), 20.0, 20.0)
        for origin in (2004, 2005, 2006)
        for year in range(origin + 1, 2009)
        for k in range(25)
    ]
    pts = pd.DataFrame(rows, columns=["origin", "series", "state", "partner", "year",
                                      "horizon", "observed", "model", "persistence"])  # fmt: skip
    hist = pts[["series", "state", "partner", "year", "observed"]].drop_duplicates(
        ["series", "state", "partner", "year"]
    )
    shipped = sk.add_bands(pts, hist)
    finite = sk.add_bands(pts, hist, quantiles=sk.finite_sample_quantiles)
    late = (shipped["origin"] == 2006).to_numpy()
    # the finite-sample rule's ends are order statistics further out: never narrower
    assert (finite["model_lower"][late] <= shipped["model_lower"][late] + 1e-12).all()
    assert (finite["model_upper"][late] >= shipped["model_upper"][late] - 1e-12).all()
    assert (finite["model_upper"][late] > shipped["model_upper"][late]).any()
