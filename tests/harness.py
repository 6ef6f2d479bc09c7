"""The fault-injection suite's harness: run a verb as a user would, in a folder of the
user's own files, and check the contract of docs/reliability.md.

A faulty input or a failing file system must end with exit code 2, one line on stderr
that starts with ``polarsim:``, no traceback, and every file that existed before the
command unchanged (hashed before and after)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
EXPERIMENTS = ROOT / "experiments"


def run_cli(
    *args, cwd: Path | None = None, pythonpath: Path | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """`python -m polarsim ARGS` in `cwd` as a user types it (text output captured);
    `pythonpath` puts another copy of polarsim first (an installed wheel)."""
    env = {**os.environ}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-m", "polarsim", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


def tree_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every regular file below `root`, by relative path."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    before: dict[str, str]
    after: dict[str, str]

    def changed(self) -> list[str]:
        """Files that existed before and were changed or removed."""
        return sorted(k for k, h in self.before.items() if self.after.get(k) != h)


@dataclass
class Workspace:
    """A user's working folder holding copies of the shipped scenarios and experiments
    and some files of their own (a paper draft, a figure) that no command may touch."""

    root: Path

    def polarsim(self, *args, timeout: float = 300, env: dict | None = None) -> Outcome:
        before = tree_hashes(self.root)
        full_env = {**os.environ, **(env or {})}
        res = subprocess.run(
            [sys.executable, "-m", "polarsim", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=self.root,
            timeout=timeout,
            env=full_env,
            stdin=subprocess.DEVNULL,
        )
        return Outcome(res.returncode, res.stdout, res.stderr, before, tree_hashes(self.root))

    def write(self, rel: str, text: str | bytes) -> Path:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text)
        return p


def assert_refused(out: Outcome, *needles: str) -> None:
    """Exit 2, a one-line message naming what was wrong, no traceback, nothing changed."""
    assert out.returncode == 2, (out.returncode, out.stderr[-2000:])
    assert "Traceback" not in out.stderr, out.stderr[-2000:]
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("polarsim:")]
    assert lines, out.stderr[-2000:]
    text = out.stderr + out.stdout
    for n in needles:
        assert n in text, (n, text[-2000:])
    assert out.changed() == [], out.changed()


def assert_untouched(out: Outcome) -> None:
    """Whatever the exit code: no traceback and no pre-existing file changed."""
    assert "Traceback" not in out.stderr, out.stderr[-2000:]
    assert out.changed() == [], out.changed()


@pytest.fixture
def ws(tmp_path) -> Workspace:
    root = tmp_path / "work"
    shutil.copytree(SCENARIOS, root / "scenarios")
    shutil.copytree(EXPERIMENTS, root / "experiments")
    (root / "paper").mkdir()
    (root / "paper" / "draft.md").write_text("# my paper\n")
    (root / "paper" / "fig1.png").write_bytes(b"\x89PNG user figure")
    return Workspace(root)
