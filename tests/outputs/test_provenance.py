"""What the manifest records to reproduce a run."""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from polarsim import provenance
from polarsim.run import run, run_model, write_run
from tests.conftest import SCENARIOS

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@needs_git
def test_a_package_inside_another_repository_has_no_commit(tmp_path):
    # a wheel installed into a project's .venv, which git ignores: the project's
    # commit is not polarsim's
    _git("init", "-q", cwd=tmp_path)
    (tmp_path / ".gitignore").write_text(".venv/\n")
    _git("add", ".gitignore", cwd=tmp_path)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x", cwd=tmp_path)
    pkg = tmp_path / ".venv" / "lib" / "site-packages" / "polarsim"
    pkg.mkdir(parents=True)
    (pkg / "provenance.py").write_text("")
    assert provenance._git_commit(pkg) is None


@needs_git
def test_the_checkout_polarsim_comes_from_gives_its_commit():
    here = Path(provenance.__file__).resolve().parent
    found = provenance._git_commit(here)
    head = subprocess.run(
        ["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    assert found is not None and found.split("-")[0] == head.stdout.strip()
