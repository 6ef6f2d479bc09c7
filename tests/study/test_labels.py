"""What the study's figures, tables and report say they show is what they were built
from: the reference the effects are taken from, the outcome the indices are of."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from polarsim.errors import PolarsimInputError  # noqa: E402
from polarsim.study import load_study  # noqa: E402
from polarsim.study.build import _ensure_scenarios  # noqa: E402
from polarsim.study.check import check_references  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "experiments" / "paper" / "study.yaml"


class _Stop(Exception):
    pass


@pytest.mark.parametrize("quick", [False, True])
def test_effects_are_taken_from_the_named_reference(quick, tmp_path, monkeypatch):
    # compare, ablate and vary take differences from their first scenario; the report
    # says the ablation's and the assumptions' effects are against the reference
    import polarsim.compare

    study = load_study(STUDY)
    scenarios = check_references(study, STUDY)
    ref = "spheres_of_influence"
    assert scenarios[1][0] != ref
    study = study.model_copy(
        update={"scenarios": study.scenarios.model_copy(update={"reference": ref})}
    )
    seen = []

    def fake_compare(loaded, **kw):
        seen.append([s.name for s in loaded])
        raise _Stop

    monkeypatch.setattr(polarsim.compare, "compare", fake_compare)
    with pytest.raises(_Stop):
        _ensure_scenarios(study, quick, scenarios, tmp_path / "cache", "fp", [])
    assert seen[0][0] == ref
    if not quick:
        assert sorted(seen[0]) == sorted(scenarios[1])


def test_sensitivity_indices_are_of_the_study_metric(monkeypatch):
    # Figure 9, Table 3 ("Sobol indices of <metric>") and the report name the study's
    # metric: the indices are computed for it, not for the experiment's first outcome
    from types import SimpleNamespace

    import polarsim.experiment.analyze
    from polarsim.study.report import _sensitivity_figure

    study = load_study(STUDY)
    study = study.model_copy(update={"metric": "hedging_index"})
    asked = []

    def fake_table(method, folder, outcome=None, years=None):
        asked.append(outcome)
        raise _Stop

    monkeypatch.setattr(polarsim.experiment.analyze, "sensitivity_table", fake_table)
    res = SimpleNamespace(study=study, sensitivity_dir=Path("nowhere"))
    with pytest.raises(_Stop):
        _sensitivity_figure(res, Path("nowhere"))
    assert asked == ["hedging_index"]


def test_a_metric_the_sensitivity_sweep_does_not_keep_is_refused():
    # the phase sweep keeps hedging_index, the Sobol sweep autonomy_index only: the
    # study would label the autonomy index's indices as the hedging index's
    study = load_study(STUDY).model_copy(update={"metric": "hedging_index"})
    with pytest.raises(PolarsimInputError, match="sobol_autonomy.yaml keeps") as exc:
        check_references(study, STUDY)
    assert exc.value.field == "metric"


def test_table1_names_the_metrics_it_holds():
    from polarsim.study.report import _names, summary_metrics

    assert _names(summary_metrics("autonomy_index")) == (
        "the autonomy index, hedging index and vulnerability"
    )
    # the study's metric once, not twice
    assert summary_metrics("hedging_index") == ["hedging_index", "vulnerability"]
    assert _names(summary_metrics("hedging_index")) == "the hedging index and vulnerability"


def test_a_morris_study_sizes_its_trajectories(tmp_path, monkeypatch):
    # `samples:` (and --quick's) set design.samples, which a Morris design ignores: the
    # "reduced design" ran every trajectory of the file, unlike what --dry-run estimated
    import yaml

    import polarsim.study.build as build

    exp = yaml.safe_load((ROOT / "experiments" / "sobol_autonomy.yaml").read_text())
    exp["base"] = str(ROOT / "scenarios" / "baseline.yaml")
    exp["design"] = {"type": "morris", "trajectories": 50}
    morris = tmp_path / "morris.yaml"
    morris.write_text(yaml.safe_dump(exp))
    text = STUDY.read_text().replace("../../scenarios/", f"{ROOT}/scenarios/")
    text = text.replace("experiment: ../exclusivity", f"experiment: {ROOT}/experiments/exclusivity")
    text = text.replace("experiment: ../sobol_autonomy.yaml", f"experiment: {morris}")
    text = text.replace("method: sobol", "method: morris")
    study = tmp_path / "study.yaml"
    study.write_text(text)

    def no_scenarios(*a):
        return tmp_path, None, []

    def no_sweep(exp_file, folder, *a):
        return folder

    monkeypatch.setattr(build, "_ensure_scenarios", no_scenarios)
    monkeypatch.setattr(build, "_ensure_sweep", no_sweep)
    for quick, want in ((True, 8), (False, 256)):
        res, _ = build.compute_study(study, out=tmp_path / f"out-{quick}", quick=quick)
        name = res.sensitivity_dir.name.replace("sensitivity-", "morris-") + ".yaml"
        derived = yaml.safe_load((tmp_path / f"out-{quick}" / "cache" / "experiments" / name)
                                 .read_text())  # fmt: skip
        assert derived["design"]["trajectories"] == want
