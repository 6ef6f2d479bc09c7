"""What a figure's legend, axis and caption name is what it draws."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from polarsim.errors import PolarsimInputError  # noqa: E402
from polarsim.plots.timeseries import plot_timeseries  # noqa: E402
from polarsim.study.folders import plot_folder  # noqa: E402
from tests.plots.baselines import runs_states  # noqa: E402


def test_timeseries_refuses_a_scenario_not_in_the_results():
    # it drew a legend entry for it with no line and no band
    states = runs_states()
    with pytest.raises(ValueError, match=r"\['nowhere'\] not in the results"):
        plot_timeseries(states, scenarios=["baseline", "nowhere"])


def test_plot_timeseries_command_names_a_missing_scenario(tmp_path):
    states = runs_states()
    folder = tmp_path / "runs"
    folder.mkdir()
    states.to_parquet(folder / "states.parquet", index=False)
    (folder / "manifest.json").write_text("{}")
    with pytest.raises(PolarsimInputError, match="nowhere"):
        plot_folder("timeseries", [folder], scenarios=["baseline", "nowhere"])


def _sweep_folder(tmp_path, design, results):
    folder = tmp_path / "sweep"
    (folder / "results").mkdir(parents=True)
    (folder / "manifest.json").write_text("{}")
    design.to_parquet(folder / "design.parquet", index=False)
    results.to_parquet(folder / "results" / "part-00000.parquet", index=False)
    return folder


def test_table_of_a_sweep_of_several_points_is_refused(tmp_path, capsys):
    # `polarsim table` pooled every design point into "mean over n = N replicates"
    from polarsim.cli import main
    from tests.plots.baselines import sweep_tables

    results, design = sweep_tables()
    assert len(design) > 1
    folder = _sweep_folder(tmp_path, design, results)
    assert main(["table", str(folder), "--out", str(tmp_path / "t")]) == 2
    assert "design points, not replicates" in capsys.readouterr().err
    assert not (tmp_path / "t.csv").exists()
    # one design point: its runs are replicates, and the table says so
    one = design.iloc[:1]
    runs = results[results["run_id"] == one["run_id"].iloc[0]]
    folder = _sweep_folder(tmp_path / "one", one, runs)
    assert main(["table", str(folder), "--out", str(tmp_path / "t1")]) == 0
    n = runs["replicate"].nunique()
    assert f"mean over n = {n} replicates" in (tmp_path / "t1.md").read_text()


def test_the_forecast_axis_names_a_level_in_percent_not_an_error_in_pp():
    """The forecast draws shares (and remittances as a share of GDP), as the hindcast
    figure does ("Share of total trade (%)"); its axis said "Trade shares (pp)", the
    skill figure's label for errors in percentage points."""
    from types import SimpleNamespace

    import pandas as pd

    from polarsim.plots.forecast import plot_forecast

    years = [2016, 2017]
    points = pd.DataFrame(
        {"series": "trade_shares", "state": "KAZ", "partner": "CHN", "year": years,
         "model": [20.0, 21.0], "model_lower": [10.0, 11.0], "model_upper": [30.0, 31.0],
         "persistence": [19.0, 19.0]}
    )  # fmt: skip
    history = pd.DataFrame(
        {"series": "trade_shares", "state": "KAZ", "partner": "CHN", "year": [2014, 2015],
         "observed": [18.0, 19.0]}
    )  # fmt: skip
    f = SimpleNamespace(points=points, history=history, origin=2015, manifest={"level": 0.9})
    fig = plot_forecast(f, "trade_shares")
    assert fig.axes[0].get_ylabel() == "Share of total trade (%)"
    for series in ("arms_shares", "remittances"):
        fig = plot_forecast(
            SimpleNamespace(
                points=points.assign(series=series),
                history=history.assign(series=series),
                origin=2015,
                manifest={},
            ),
            series,
        )
        assert "(%" in fig.axes[0].get_ylabel() and "pp" not in fig.axes[0].get_ylabel()


def test_the_skill_figure_names_the_dotted_nominal_coverage_line():
    """The coverage panels drew a dotted line at the band's level that no legend entry
    named."""
    from types import SimpleNamespace

    import pandas as pd

    from polarsim.plots.skill import plot_skill

    table = pd.DataFrame(
        {"series": "trade_shares", "horizon": ["1", "2", "all"],
         **{f"mae_{f}": [1.0, 2.0, 1.5] for f in ("model", "persistence", "trend", "ets")},
         **{f"coverage_{b}": [0.8, 0.9, 0.85] for b in ("model", "naive")}}
    )  # fmt: skip
    s = SimpleNamespace(table=table, manifest={"level": 0.8, "last_year": 2015},
                        origins=[2012, 2014], report_from=2012)  # fmt: skip
    fig = plot_skill(s)
    assert "nominal coverage 80%" in [t.get_text() for t in fig.legends[0].get_texts()]
    assert fig.legends[0].get_title().get_text() == "origins 2012-2014, scored to 2015"
    # whether the scores are out of sample is part of the figure
    s.manifest["refit"] = {
        "remittance_elasticity": {"values": {"2012": 1.97}},
        "stall_hazard": {"values": {"2012": 0.1}},
    }
    title = plot_skill(s).legends[0].get_title().get_text()
    assert title.endswith("; remittance elasticity, stall hazard re-estimated at each origin")
    # one re-estimated nowhere is not named; where data were too few, that is said
    s.manifest["refit"]["stall_hazard"]["values"] = {}
    s.manifest["refit"]["remittance_elasticity"]["kept_scenario_value"] = {"origins": [2001]}
    title = plot_skill(s).legends[0].get_title().get_text()
    assert title.endswith("; remittance elasticity re-estimated at each origin with enough data")
    s.manifest["refit"] = {}
    title = plot_skill(s).legends[0].get_title().get_text()
    assert title.endswith("; no parameter re-estimated at the origins")
