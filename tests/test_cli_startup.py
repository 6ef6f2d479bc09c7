"""The command line starts at once (issue 13): `--help`, `--version` and `validate`
import neither Mesa nor matplotlib nor SciPy, which cost seconds on a cold start; only
the verbs that run or draw pay for them. Checked on the modules a fresh interpreter
holds afterwards (timings are benchmarks/bench_cli.py's business)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import SCENARIOS

HEAVY = ("mesa", "matplotlib", "scipy", "dask", "SALib", "solara", "statsmodels")

PROBE = """
import contextlib, io, json, sys
from polarsim.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
    try:
        code = main(json.loads(sys.argv[1]))
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def _modules_after(argv: list[str]) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["code"], set(result["modules"])


@pytest.mark.parametrize(
    "argv",
    [["--version"], ["--help"], ["validate", str(SCENARIOS / "baseline.yaml")]],
    ids=["version", "help", "validate"],
)
def test_quick_verbs_import_no_heavy_library(argv):
    code, modules = _modules_after(argv)
    assert code in (0, None)
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_the_probe_sees_a_heavy_import(tmp_path):
    """The same probe on a verb that runs the model does see Mesa: the check above
    could fail."""
    argv = ["run", str(SCENARIOS / "baseline.yaml"), "--set", "time.end_year=2016",
            "--replicates", "1", "--out", str(tmp_path / "run")]  # fmt: skip
    code, modules = _modules_after(argv)
    assert code == 0 and "mesa" in modules
