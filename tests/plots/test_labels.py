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
