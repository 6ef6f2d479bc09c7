"""The scenario library (scenarios/*.yaml): every file runs, keeps the real timeline it
extends, and spheres of influence bring the five states more coercion, and more loss to
it, than open competition (the mechanism; whether autonomy falls with it is reported by
`polarsim compare --ablate`, docs/validation.md)."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from polarsim import load_scenario, run

pytestmark = pytest.mark.behaviour

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
FILES = sorted(SCENARIOS.glob("*.yaml"))
STATES = ["KAZ", "UZB", "KGZ", "TJK", "TKM"]
SHARE_COLUMNS = r"^(trade|infra|security)_share_"
WINDOW = (2040, 2050)
REPLICATES = 10


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_scenario_runs_to_its_end_year(path):
    scenario = load_scenario(path)
    states = run(scenario, seed=0, replicates=1).states
    assert not states.empty
    assert sorted(states["state"].unique()) == sorted(scenario.state_codes)
    assert states["year"].min() == scenario.time.start_year
    assert states["year"].max() == scenario.time.end_year
    shares = states.filter(regex=SHARE_COLUMNS).to_numpy()
    assert shares.size and np.isfinite(shares).all()
    assert shares.min() >= -1e-12 and shares.max() <= 1 + 1e-12


# Variants add their hypotheses with `add_events`: the real timeline they extend must
# still be there, whole.
EXTENDING = [p for p in FILES if "extends" in _raw(p)]


@pytest.mark.parametrize("path", EXTENDING, ids=lambda p: p.stem)
def test_variants_keep_the_parents_timeline(path):
    parent = load_scenario(path.parent / _raw(path)["extends"])
    own = [ev.model_dump() for ev in load_scenario(path).events]
    missing = [ev.note or ev.type for ev in parent.events if ev.model_dump() not in own]
    assert not missing, f"{path.name} lost events of its parent: {missing}"


def _by_replicate(name: str, column: str) -> np.ndarray:
    states = run(load_scenario(SCENARIOS / f"{name}.yaml"), seed=0, replicates=REPLICATES).states
    rows = states[states["year"].between(*WINDOW) & states["state"].isin(STATES)]
    return rows.groupby("replicate")[column].mean().sort_index().to_numpy()


def test_spheres_of_influence_cost_the_states_more_to_coercion_than_open_competition():
    # Same seed: replicate r of both scenarios starts from the same random stream. The
    # index no longer holds the pressure itself (docs/metrics.md), so what spheres do to
    # autonomy must come through acts and what they cost.
    spheres = _by_replicate("spheres_of_influence", "coercion_loss")
    open_ = _by_replicate("open_competition", "coercion_loss")
    diff = spheres - open_
    mean, se = diff.mean(), diff.std(ddof=1) / np.sqrt(len(diff))
    report = (
        f"mean loss to coercion {WINDOW[0]}-{WINDOW[1]} (share of GDP): spheres "
        f"{spheres.mean():.5f}, open {open_.mean():.5f}, difference {mean:+.5f} "
        f"(SE {se:.5f}, n={len(diff)})"
    )
    assert mean > 2 * se, report


def test_the_southern_corridor_is_the_baseline_before_its_powers_enter():
    """The library's example of `enters`: India and Iran enter in 2027, and before that
    the run is baseline.yaml's (same seed), every column to the bit."""
    baseline = run(load_scenario(SCENARIOS / "baseline.yaml"), seed=0, replicates=1).states
    corridor = run(load_scenario(SCENARIOS / "southern_corridor.yaml"), seed=0, replicates=1)
    states = corridor.states
    before = states[states["year"] < 2027].reset_index(drop=True)
    expected = baseline[baseline["year"] < 2027].reset_index(drop=True)
    assert before[list(expected.columns)].equals(expected)
    assert (before.filter(regex="_(IND|IRN)$") == 0).all().all()
    later = states[states["year"] >= 2027].reset_index(drop=True)
    assert (later.filter(regex="^trade_share_(IND|IRN)$") > 0).all().all()
