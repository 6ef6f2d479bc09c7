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
