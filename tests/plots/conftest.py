"""Small live results for the command tests: a run, a comparison, a grid sweep and a
Sobol sweep. Their numbers do not matter (the tests read structure, not values)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scenarios" / "baseline.yaml"


@pytest.fixture(scope="session")
def result_dirs(tmp_path_factory) -> dict[str, Path]:
    from polarsim.compare import compare, write_comparison
    from polarsim.experiment.sweep import sweep
    from polarsim.run import run, write_run

    tmp = tmp_path_factory.mktemp("results")
    out = {}
    out["run"] = write_run(run(BASE, seed=3, replicates=2), tmp / "run", figures=False)
    c = compare([BASE, ROOT / "scenarios" / "open_competition.yaml"], seed=3, replicates=3)
    out["compare"] = write_comparison(c, tmp / "compare", figures=False)
    grid = {
        "base": str(BASE),
        "parameters": {
            "exclusivity": {"paths": ["powers.CHN.exclusivity"], "values": [0.0, 1.0]},
            "parameters.contest.decisiveness": {"values": [0.5, 2.0]},
        },
        "design": "grid",
        "replicates": 2,
        "seed": 1,
        "outcomes": {"metrics": ["autonomy_index"], "years": [2024, 2050]},
    }
    sobol = {
        "base": str(BASE),
        "parameters": {
            "parameters.contest.decisiveness": {"range": [0.5, 3.0]},
            "parameters.trade.persistence": {"range": [0.6, 0.95]},
        },
        "design": {"type": "sobol", "samples": 4},
        "seed": 2,
        "outcomes": {"metrics": ["autonomy_index"], "years": [2040], "aggregate": "mean"},
    }
    morris = {**sobol, "design": {"type": "morris", "trajectories": 3, "levels": 4}}
    for name, exp in (("grid", grid), ("sobol", sobol), ("morris", morris)):
        path = tmp / f"{name}.yaml"
        path.write_text(yaml.safe_dump(exp))
        out[name] = sweep(path, out=tmp / name, progress=False)
    return out
