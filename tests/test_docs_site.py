"""The documentation site builds in strict mode (a broken page, nav entry or API
reference fails) and its tour notebook is executed at build time, its outputs on the
page."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(mkdocs is None, reason="the docs extra is not installed")
def test_site_builds_and_runs_the_tour(tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [mkdocs, "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    tour = (tmp_path / "site" / "tour" / "index.html").read_text()
    assert "image/png" in tour  # the figure cell ran
    assert re.search(r"0\.\d{3}", tour)  # and the tables of numbers
    assert "Traceback" not in tour
    api = (tmp_path / "site" / "api" / "index.html").read_text()
    for name in ("CompetitionModel", "with_params", "ema_model", "discovery_table"):
        assert name in api
