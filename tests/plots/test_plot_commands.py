"""`polarsim plot KIND` and `polarsim table` on small live results: files written, the
figure's axes, labels and series, and one-line errors for bad input."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from polarsim.cli import main  # noqa: E402
from polarsim.errors import PolarsimInputError  # noqa: E402
from polarsim.study.folders import KINDS, plot_folder  # noqa: E402

STATE_NAMES = ["Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan"]


def _plot(capsys, *argv) -> list[str]:
    assert main(["plot", *map(str, argv)]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    return line.removeprefix("wrote ").split(", ")


@pytest.mark.parametrize(
    ("kind", "folder", "extra"),
    [
        ("timeseries", "compare", []),
        ("compare", "compare", ["--year", "2040"]),
        (
            "heatmap",
            "grid",
            [
                "--x",
                "exclusivity",
                "--y",
                "parameters.contest.decisiveness",
                "--years",
                "2050",
                "--baseline-year",
                "2024",
            ],
        ),
        (
            "heatmap",
            "grid",
            [
                "--x",
                "exclusivity",
                "--y",
                "parameters.contest.decisiveness",
                "--by-state",
                "--states",
                "KAZ",
                "UZB",
            ],
        ),
        ("sensitivity", "sobol", []),
        ("sensitivity", "morris", ["--method", "morris"]),
        ("ties", "run", []),
        ("network", "run", ["--year", "2030"]),
        ("map", "run", ["--arena", "trade"]),
    ],
)
def test_every_plot_command_writes_all_formats(kind, folder, extra, result_dirs, tmp_path, capsys):
    stem = tmp_path / kind
    paths = _plot(capsys, kind, result_dirs[folder], *extra, "--out", stem)
    assert [p.rsplit(".", 1)[1] for p in paths] == ["png", "pdf", "svg", "csv", "json"]
    for p in paths:
        assert (tmp_path / p.rsplit("/", 1)[1]).stat().st_size > 0
    assert len(pd.read_csv(f"{stem}.csv")) > 0
    made = json.loads(Path(f"{stem}.json").read_text())
    assert made["figure"] == kind
    source = made["sources"][0]
    manifest = result_dirs[folder] / "manifest.json"
    assert source["folder"] == str(result_dirs[folder])
    assert source["manifest_sha256"] == hashlib.sha256(manifest.read_bytes()).hexdigest()
    assert made["drawn_with"]["versions"]["polarsim"]


def test_the_provenance_beside_a_figure_names_its_options_and_is_the_same_bytes_again(
    result_dirs, tmp_path, capsys
):
    first, again = tmp_path / "a", tmp_path / "b"
    for stem in (first, again):
        _plot(capsys, "timeseries", result_dirs["run"], "--metric", "hedging_index",
              "--formats", "png", "--out", stem)  # fmt: skip
    made = json.loads(Path(f"{first}.json").read_text())
    assert made["options"]["metric"] == "hedging_index"
    assert Path(f"{first}.json").read_bytes() == Path(f"{again}.json").read_bytes()


def test_default_output_is_inside_the_folder(result_dirs, capsys):
    paths = _plot(capsys, "ties", result_dirs["run"], "--formats", "png")
    assert paths[0] == str(result_dirs["run"] / "figures" / "ties.png")


def test_figures_of_another_metric_keep_their_own_name(result_dirs, capsys):
    """`plot timeseries --metric hedging_index` does not replace the autonomy figure."""
    first = _plot(capsys, "timeseries", result_dirs["run"], "--formats", "png")
    second = _plot(
        capsys,
        "timeseries",
        result_dirs["run"],
        "--formats",
        "png",
        "--metric",
        "hedging_index",
    )
    assert first[0] == str(result_dirs["run"] / "figures" / "timeseries.png")
    assert second[0] == str(result_dirs["run"] / "figures" / "timeseries_hedging_index.png")


def test_timeseries_from_two_run_folders_stacks_scenarios(result_dirs):
    p = plot_folder("timeseries", [result_dirs["run"], result_dirs["run"]])
    axes = [ax for ax in p.figure.axes if ax.axison]
    assert [ax.get_title() for ax in axes] == STATE_NAMES
    labels = [ln.get_label() for ln in axes[0].get_lines()]
    assert labels == ["Baseline", "Baseline-2"]
    assert set(p.data["scenario"]) == {"baseline", "baseline-2"}
    assert (p.data["n"] == 2).all()


def test_compare_reference_and_units(result_dirs):
    p = plot_folder("compare", [result_dirs["compare"]], reference="open_competition")
    level, diff = p.figure.axes
    assert diff.get_xlabel() == "Difference from open competition (0–1 scale)"
    assert list(dict.fromkeys(p.data["scenario"]))[0] == "open_competition"
    assert (p.data.loc[p.data["scenario"] == "open_competition", "diff"] == 0).all()


def test_heatmap_reads_units_from_the_schema(result_dirs):
    p = plot_folder(
        "heatmap",
        [result_dirs["grid"]],
        x="exclusivity",
        y="parameters.contest.decisiveness",
        years=[2050],
    )
    ax = p.figure.axes[0]
    assert ax.get_xlabel() == "Exclusivity (dimensionless)"
    assert ax.get_ylabel() == "Contest decisiveness (dimensionless)"
    assert len(p.data) == 4 and (p.data["n"] == 2).all()


def test_sensitivity_from_sweep(result_dirs):
    p = plot_folder("sensitivity", [result_dirs["sobol"]])
    assert list(p.data["parameter"]) == [
        "parameters.contest.decisiveness",
        "parameters.trade.persistence",
    ]
    assert p.figure.axes[0].get_xlabel() == "Sobol index (share of variance)"


def test_morris_figure_units(result_dirs):
    p = plot_folder("sensitivity", [result_dirs["morris"]], method="morris")
    ax = p.figure.axes[0]
    assert ax.get_xlabel() == r"Morris $\mu^*$, mean |elementary effect| (0–1)"
    assert len(p.data) == 2 and {"mu_star", "sigma"} <= set(p.data.columns)
    with pytest.raises(PolarsimInputError, match="indices need a 'sobol' design"):
        plot_folder("sensitivity", [result_dirs["morris"]], method="sobol")


def test_table_writes_csv_markdown_latex(result_dirs, tmp_path, capsys):
    stem = tmp_path / "t"
    argv = [
        "table",
        str(result_dirs["compare"]),
        "--metrics",
        "autonomy_index",
        "vulnerability",
        "--years",
        "2030",
        "2050",
        "--out",
        str(stem),
    ]
    assert main(argv) == 0
    csv = pd.read_csv(f"{stem}.csv")
    assert set(csv["metric"]) == {"autonomy_index", "vulnerability"}
    assert set(csv["year"]) == {2030, 2050}
    assert "all" in set(csv["state"])
    tex = (tmp_path / "t.tex").read_text()
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex
    assert "open\\_competition" in tex
    md = (tmp_path / "t.md").read_text()
    assert "| Scenario | State | 2030 | 2050 |" in md


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["plot", "heatmap", "{run}", "--x", "a", "--y", "b"], "reads a sweep folder"),
        (["plot", "ties", "{compare}"], "choose one with --scenario"),
        (["plot", "network", "{run}", "--year", "1900"], "year 1900 not in the results"),
        (["plot", "compare", "{compare}", "--year", "1900"], "--year: year 1900 not in"),
        (["plot", "timeseries", "{run}", "--metric", "nope"], "no column 'nope'"),
        # a change since a year at (or after) the year shown is no change at all
        (["plot", "heatmap", "{grid}", "--x", "exclusivity", "--y",
          "parameters.contest.decisiveness", "--years", "2050", "--baseline-year", "2050"],
         "--baseline-year 2050 must come before every year shown (2050)"),
        (["plot", "heatmap", "{grid}", "--x", "exclusivity", "--y",
          "parameters.contest.decisiveness", "--years", "2024", "--baseline-year", "2050",
          "--by-state"],
         "--baseline-year 2050 must come before every year shown (2024)"),
        (["plot", "map", "{grid}"], "reads run or comparison folders"),
        (["table", "{run}", "--years", "1900"], "not in the results"),
        # a column of text or a row's key is not a metric: named with the option
        (["plot", "timeseries", "{run}", "--metric", "trade_top_partner"],
         "--metric: 'trade_top_partner' is not a numeric metric"),
        (["plot", "timeseries", "{compare}", "--metric", "state"],
         "--metric: 'state' is not a numeric metric"),
        (["plot", "compare", "{compare}", "--metric", "vulnerability_partner"],
         "--metric: 'vulnerability_partner' is not a numeric metric"),
        (["plot", "compare", "{compare}", "--metric", "nope"], "--metric: the results have no"),
        (["plot", "heatmap", "{grid}", "--x", "exclusivity", "--y",
          "parameters.contest.decisiveness", "--metric", "state"],
         "--metric: 'state' is not a numeric metric"),
        (["plot", "heatmap", "{grid}", "--x", "exclusivity", "--y",
          "parameters.contest.decisiveness", "--metric", "exclusivity"],
         "--metric: 'exclusivity' is a swept parameter"),
        (["table", "{run}", "--metrics", "trade_top_partner"],
         "--metrics: 'trade_top_partner' is not a numeric metric"),
        (["table", "{compare}", "--metrics", "autonomy_index", "state"],
         "--metrics: 'state' is not a numeric metric"),
        (["table", "{run}", "--metrics", "year"], "--metrics: 'year' is not a numeric metric"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_exit_2(argv, message, result_dirs, tmp_path, capsys):
    argv = [a.format(**{k: str(v) for k, v in result_dirs.items()}) for a in argv]
    assert main([*argv, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())  # nothing written


@pytest.mark.parametrize(
    "argv",
    [
        ["plot", "timeseries", "{run}", "--metric", "trade_top_partner"],
        ["plot", "heatmap", "{grid}", "--x", "exclusivity", "--y",
         "parameters.contest.decisiveness", "--metric", "nope"],
        ["table", "{run}", "--metrics", "state"],
    ],
)  # fmt: skip
def test_a_metric_refused_is_told_with_the_numeric_metrics_there_are(
    argv, result_dirs, tmp_path, capsys
):
    argv = [a.format(**{k: str(v) for k, v in result_dirs.items()}) for a in argv]
    assert main([*argv, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "numeric metrics: autonomy_index" in err and err.count("\n") == 1
    assert "trade_top_partner," not in err and "state," not in err


@pytest.mark.parametrize(
    ("argv", "folder"),
    [
        (["plot", "heatmap", "{run}", "--x", "a", "--y", "b"], "run"),
        (["plot", "timeseries", "{grid}"], "grid"),
        (["table", "{grid}"], "grid"),
    ],
)
def test_the_wrong_kind_of_folder_is_named_by_its_path(argv, folder, result_dirs, tmp_path, capsys):
    argv = [a.format(**{k: str(v) for k, v in result_dirs.items()}) for a in argv]
    assert main([*argv, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"polarsim: error: {result_dirs[folder]}: ")
    assert "FOLDER" not in err and err.count("\n") == 1


def test_not_a_result_folder(tmp_path):
    with pytest.raises(PolarsimInputError, match="manifest.json"):
        plot_folder("ties", [tmp_path])


@pytest.mark.parametrize(
    "argv",
    [["plot"], *(["plot", k] for k in KINDS), ["table"], ["study"]],
)
def test_help_prints(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--help"])
    assert exc.value.code == 0
    assert "usage: polarsim" in capsys.readouterr().out


def test_a_comparison_figure_names_the_versions_and_commit_of_its_runs(
    result_dirs, tmp_path, capsys
):
    stem = tmp_path / "ts"
    _plot(capsys, "timeseries", result_dirs["compare"], "--formats", "png", "--out", stem)
    source = json.loads(Path(f"{stem}.json").read_text())["sources"][0]
    made = json.loads((result_dirs["compare"] / "manifest.json").read_text())
    assert source["polarsim"] is not None
    assert source["polarsim"] == made["versions"]["polarsim"]
    assert source["git_commit"] == made["git_commit"]


def test_a_folder_of_another_command_is_named_with_the_command_that_wrote_it(tmp_path, capsys):
    """`plot timeseries` on a `polarsim skill` folder said only "not a run folder (no
    states.parquet)"; it now names the command and where that folder's figures are."""
    folder = tmp_path / "skill"
    (folder / "figures").mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"command": ["polarsim", "skill", "x"]}))
    assert main(["plot", "timeseries", str(folder), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "not a run folder" in err and "written by `polarsim skill`" in err
    assert str(folder / "figures") in err and err.count("\n") == 1
