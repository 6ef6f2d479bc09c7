"""What the study's figures, tables and report say they show is what they were built
from: the reference the effects are taken from, the outcome the indices are of."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

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
