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
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
EXPERIMENTS = ROOT / "experiments"


def run_cli(
    *args, cwd: Path | None = None, pythonpath: Path | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """`python -m polarsim ARGS` in `cwd` as a user types it (text output captured):
    through the entry point in this process (`in_process`); `pythonpath` puts another
    copy of polarsim first (an installed wheel), which takes a child process."""
    if pythonpath is None:
        code, out, err = in_process(*args, cwd=Path.cwd() if cwd is None else cwd)
        return subprocess.CompletedProcess(["polarsim", *map(str, args)], code, out, err)
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [sys.executable, "-m", "polarsim", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


def in_process(*args, cwd: Path) -> tuple[int, str, str]:
    """`python -m polarsim ARGS` in `cwd` without starting Python again: the entry point
    (`sys.exit(polarsim.cli.main())`) called here, with what a child process would have:
    its sys.argv; file descriptors 1 and 2 on fresh files (so the output of worker
    processes and of C code is caught too) and sys.stdout/sys.stderr on them; stdin at
    /dev/null; Python's default warning filters, warnings printed to stderr; an
    exception that escapes printed as a traceback with exit code 1; no data file
    remembered from an earlier call. Returns (exit code, stdout, stderr) as text.

    Not for a test about the process itself (signals, a hang, resource limits, another
    copy of polarsim, start-up imports): those start `python -m polarsim`."""
    import traceback
    import warnings

    from polarsim import data
    from polarsim.cli import main

    data.clear_cache()
    argv = [str(a) for a in args]
    old_argv, old_streams = sys.argv, (sys.stdin, sys.stdout, sys.stderr)
    old_cwd = os.getcwd()
    for stream in old_streams[1:]:
        stream.flush()
    with (
        tempfile.TemporaryFile() as out_file,
        tempfile.TemporaryFile() as err_file,
        open(os.devnull) as devnull,
    ):
        saved = os.dup(1), os.dup(2)
        os.dup2(out_file.fileno(), 1)
        os.dup2(err_file.fileno(), 2)
        sys.stdin = devnull
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False, buffering=1)  # noqa: SIM115
        try:
            os.chdir(cwd)
            sys.argv = [str(Path(main.__code__.co_filename).with_name("__main__.py")), *argv]
            with warnings.catch_warnings():
                warnings.resetwarnings()
                for action, category in _DEFAULT_WARNINGS:
                    warnings.simplefilter(action, category)
                warnings.showwarning = _show_warning
                try:
                    code = main(argv)
                except SystemExit as exc:
                    code = _exit_code(exc.code)
                except BaseException:  # noqa: BLE001  (as the interpreter would)
                    traceback.print_exc()
                    code = 1
        finally:
            os.chdir(old_cwd)
            sys.argv = old_argv
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                finally:
                    stream.close()
            sys.stdin, sys.stdout, sys.stderr = old_streams
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        out_file.seek(0)
        err_file.seek(0)
        stdout = out_file.read().decode("utf-8", errors="replace")
        stderr = err_file.read().decode("utf-8", errors="replace")
    return code, stdout, stderr


#: Python's default warning filters (`python -W` unset), last applied wins
_DEFAULT_WARNINGS = [
    ("default", Warning),
    ("ignore", DeprecationWarning),
    ("ignore", PendingDeprecationWarning),
    ("ignore", ImportWarning),
    ("ignore", ResourceWarning),
]


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    import warnings

    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _exit_code(code) -> int:
    """The exit status of `sys.exit(code)`: None is 0, a message goes to stderr as 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


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

    def polarsim(
        self, *args, timeout: float | None = None, env: dict | None = None, process: bool = False
    ) -> Outcome:
        """`polarsim ARGS` in the workspace: exit code, stdout, stderr and the files'
        hashes before and after. By default through the command line's entry point in
        this process (see `in_process`); in a child process (`python -m polarsim`) when
        the test is about the process: `process=True`, a `timeout` (a command that might
        hang) or an `env`."""
        before = tree_hashes(self.root)
        if process or timeout is not None or env is not None:
            res = subprocess.run(
                [sys.executable, "-m", "polarsim", *map(str, args)],
                capture_output=True,
                text=True,
                cwd=self.root,
                timeout=300 if timeout is None else timeout,
                env={**os.environ, **(env or {})},
                stdin=subprocess.DEVNULL,
            )
            code, stdout, stderr = res.returncode, res.stdout, res.stderr
        else:
            code, stdout, stderr = in_process(*args, cwd=self.root)
        return Outcome(code, stdout, stderr, before, tree_hashes(self.root))

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
