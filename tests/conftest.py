import fcntl
import os
import shutil
from pathlib import Path

import matplotlib
import pytest

from tests.harness import in_process, ws  # noqa: F401  (the fault tests' workspace, in every package)

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def historical():
    from polarsim import load_scenario

    return load_scenario(SCENARIOS / "historical_2005.yaml")


@pytest.fixture(scope="session")
def historical_run(historical):
    from polarsim import run

    return run(historical, seed=1, replicates=5)


@pytest.fixture(scope="session")
def quick_study_build(tmp_path_factory) -> Path:
    """A folder with copies of scenarios/ and experiments/ and in `built/` the quick
    build of the shipped study (`polarsim study ROOT/experiments/paper/study.yaml
    --quick --out built`, the study file's absolute path as the report names it, run in
    that folder through the entry point in process). Built once per test
    session: xdist workers share it (the first to ask builds it under a lock, the others
    wait for it). Tests copy it and never change it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this session
    root, done = base / "quick-study", base / "quick-study.done"
    with open(base / "quick-study.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)  # a build that failed half-way
            shutil.copytree(SCENARIOS, root / "scenarios")
            shutil.copytree(ROOT / "experiments", root / "experiments")
            study = root / "experiments" / "paper" / "study.yaml"
            code, _, err = in_process(
                "study", study, "--quick", "--out", "built", "--no-progress", cwd=root
            )  # fmt: skip
            assert code == 0, err[-2000:]
            done.touch()
    return root
