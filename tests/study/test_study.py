"""`polarsim study` on the reduced design of the shipped study file: every figure, table
and the report; a rerun reuses every result and rebuilds byte-identical files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from polarsim.cli import main  # noqa: E402
from polarsim.errors import PolarsimInputError  # noqa: E402
from polarsim.outputs import MARKER  # noqa: E402
from polarsim.study import load_study, run_study  # noqa: E402
from polarsim.study.build import CACHE, output_names  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "experiments" / "paper" / "study.yaml"
FIGURES = [
    "fig1_phase_change",
    "fig2_phase_change_by_state",
    "fig3_phase_level",
    "fig4_scenarios_difference",
    "fig5_scenarios_timeseries",
    "fig6_ties_shares",
    "fig7_ties_network",
    "fig8_ties_map",
    "fig9_sensitivity",
]


@pytest.fixture(scope="module")
def quick_study(tmp_path_factory, quick_study_build) -> Path:
    """A copy of the session's one quick build of the shipped study (`polarsim study
    experiments/paper/study.yaml --quick`, see tests/conftest.py)."""
    out = tmp_path_factory.mktemp("study") / "paper"
    shutil.copytree(quick_study_build / "built", out)
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for sub in ("figures", "tables")
        for p in sorted((folder / sub).iterdir())
    } | {"report.md": (folder / "report.md").read_bytes()}


def test_quick_study_writes_figures_tables_report(quick_study):
    for name in FIGURES:
        for ext in ("png", "pdf", "svg"):
            assert (quick_study / "figures" / f"{name}.{ext}").stat().st_size > 0
    for name in (
        "table1_summary.csv",
        "table1_summary.md",
        "table1_summary.tex",
        "table2_differences.csv",
        "table2_differences.tex",
        "table3_sensitivity.tex",
        "table4_discovery.csv",
    ):
        assert (quick_study / "tables" / name).is_file()
    report = (quick_study / "report.md").read_text()
    study = load_study(STUDY)
    assert report.startswith(f"# {study.title}")
    assert "Reduced design (`--quick`)" in report
    for name in FIGURES:
        assert f"(figures/{name}.png)" in report
    assert "git commit" in report and "seeds:" in report
    assert (
        "mean and 95 % interval of the autonomy index, hedging index and vulnerability per "
        "scenario, state and year" in report
    )
    assert f"root seed {study.scenarios.seed}" in report
    prov = json.loads((quick_study / "study.json").read_text())
    assert [p["action"] for p in prov["parts"]] == ["computed"] * 3


def test_report_numbers_come_from_the_results(quick_study):
    import pandas as pd

    diff = pd.read_csv(quick_study / "tables" / "table2_differences.csv")
    n = int(diff["n"].min())
    report = (quick_study / "report.md").read_text()
    assert f"{n} replicates each" in report
    phase = pd.read_csv(quick_study / "figures" / "fig1_phase_change.csv")
    up = int((phase["lower"] > 0).sum())
    assert f"above zero with 95 % confidence in **{up}** of them" in report
    # the scenario-discovery answer: PRIM's box over the phase grid, as in Table 4
    boxes = pd.read_csv(quick_study / "tables" / "table4_discovery.csv")
    phase_box = boxes[boxes["sweep"] == "phase"].iloc[0]
    assert "### Where autonomy erodes (scenario discovery)" in report
    tex = (quick_study / "tables" / "table2_differences.tex").read_text()
    first = diff[diff["scenario"] != diff["scenario"].iloc[0]].iloc[0]
    assert (
        f"& {first['diff']:+.3f} & [{first['diff_lower']:+.3f}, {first['diff_upper']:+.3f}]" in tex
    )
    assert f"the box holds {phase_box['coverage']:.0%} of them (coverage)" in report
    assert f"{phase_box['density']:.0%} of its points are among them" in report
    # whether each effect survives the assumptions: the report's verdicts are the table's
    robust = pd.read_csv(quick_study / "tables" / "robustness.csv")
    changes = pd.read_csv(quick_study / "tables" / "changes.csv")
    assert "### Do the effects survive the assumptions?" in report
    last = int(robust["year"].max())
    shipped = changes[(changes["assumption"] == "shipped") & (changes["state"] == "region")
                      & (changes["year"] == last)]  # fmt: skip
    assert (changes["since"] == load_study(STUDY).phase.baseline_year).all()
    for r in shipped.itertuples(index=False):
        assert f"Change of **{r.scenario}** (change since {r.since}, {last}): {r.mean:+.3f}" in (
            report
        )


def test_a_build_writes_the_names_it_checks_before_it_runs(quick_study):
    # compute_study refuses a file of the user's of any of these names before it runs:
    # a name the build writes but does not list would be refused only after it ran
    written = {
        p.relative_to(quick_study).as_posix()
        for p in quick_study.rglob("*")
        if p.is_file() and p.name != MARKER and p.relative_to(quick_study).parts[0] != CACHE
    }
    assert written == set(output_names())


def test_rerun_reuses_results_and_is_byte_identical(quick_study, quick_study_build, monkeypatch):
    before = _files(quick_study)
    # the study file the build was made from (the report names its path), in the
    # folder it was built in (the study's paths stay inside the working directory)
    study = quick_study_build / "experiments" / "paper" / "study.yaml"
    assert study.read_bytes() == STUDY.read_bytes()
    monkeypatch.chdir(quick_study_build)
    run_study(study, out=quick_study, quick=True, progress=False)
    prov = json.loads((quick_study / "study.json").read_text())
    assert [p["action"] for p in prov["parts"]] == ["reused"] * 3
    after = _files(quick_study)
    assert before.keys() == after.keys()
    changed = [k for k in before if before[k] != after[k]]
    assert changed == []


def test_bad_study_file_names_file_and_field(tmp_path, capsys):
    bad = tmp_path / "s.yaml"
    text = STUDY.read_text().replace("workers: 2", "workers: 2\nwokers: 3")
    bad.write_text(text)
    with pytest.raises(PolarsimInputError, match="wokers: unknown key"):
        load_study(bad)
    assert main(["study", str(bad)]) == 2
    line = text[: text.index("wokers")].count("\n") + 1
    assert f"s.yaml:{line}:1: wokers: unknown key" in capsys.readouterr().err
    missing = tmp_path / "m.yaml"
    missing.write_text(STUDY.read_text())  # relative paths now point nowhere
    with pytest.raises(PolarsimInputError, match="scenarios.files"):
        load_study(missing)


def _absolute(text: str) -> str:
    """The study file's relative paths made absolute, so a copy works anywhere."""
    text = text.replace("../../scenarios/", f"{ROOT}/scenarios/")
    return text.replace("experiment: ../", f"experiment: {ROOT}/experiments/")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("scenario: baseline\n", "scenario: nowhere\n", "ties.scenario"),
        ("x: exclusivity", "x: nothing", "phase.x"),
        ("years: [2030, 2040, 2050]", "years: [2030, 2999]", "scenarios.years"),
        ("method: sobol", "method: morris", "sensitivity.method"),
        ("metric: autonomy_index", "metric: autonomy", "metric"),
        ("years: [2050]", "years: [2999]", "phase.years"),
        ("baseline_year: 2024", "baseline_year: 1900", "phase.baseline_year"),
    ],
)
def test_study_names_are_checked_before_anything_runs(
    old, new, field, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(ROOT)  # the absolute paths lie inside the working directory
    study = tmp_path / "bad-study-test.yaml"
    assert old in STUDY.read_text()
    study.write_text(_absolute(STUDY.read_text()).replace(old, new, 1))
    out = tmp_path / "out"
    assert main(["study", str(study), "--out", str(out), "--quick"]) == 2
    err = capsys.readouterr().err
    assert f"bad-study-test.yaml: {field}:" in err and err.count("\n") == 1
    assert not out.exists()  # nothing ran, nothing was written
    # the same check, and the same message, before a study is ever started
    assert main(["validate", str(study)]) == 2
    assert f"bad-study-test.yaml: {field}:" in capsys.readouterr().out


@pytest.mark.parametrize("workers", ["0", "-2", "two"])
def test_workers_below_one_are_refused_with_exit_2(workers, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["study", str(STUDY), "--quick", "--workers", workers, "--dry-run"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --workers: expected a" in err and "Traceback" not in err


def test_workers_below_one_are_refused_by_the_python_api(tmp_path):
    from polarsim.study.build import compute_study

    with pytest.raises(PolarsimInputError, match="workers: expected a number >= 1, found 0"):
        compute_study(STUDY, out=tmp_path / "s", workers=0, quick=True, progress=False)
    assert not (tmp_path / "s").exists()
