"""What every output carries so it can be reproduced: versions, commit, scenario hash,
seeds, command line, wall time."""

from __future__ import annotations

import functools
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


@functools.cache
def git_commit() -> str | None:
    """Commit of the polarsim source tree when it is a git checkout (editable install).

    Asked once per process and kept: the modules a process has imported do not change
    with a later commit or edit, and the two git processes per call cost a loop of
    `polarsim.run` calls (EMA Workbench's wrapping) about a third of a run."""
    return _git_commit(Path(__file__).resolve().parent)


def _git_commit(here: Path) -> str | None:
    """The commit (with ``-dirty`` if the package's files differ from it) of the git
    checkout whose tracked files include the package folder `here`; None if `here` is
    not tracked by one: a wheel installed into a virtual environment that lies inside
    some other git repository (a project's ``.venv``) is not that repository's commit."""
    try:
        tracked = subprocess.run(
            ["git", "-C", str(here), "ls-files", "--error-unmatch", "--", Path(__file__).name],
            capture_output=True,
            text=True,
            timeout=5,
        )
        if tracked.returncode != 0:
            return None
        out = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "-C", str(here), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() + ("-dirty" if dirty else "")


def versions() -> dict[str, str | None]:
    """Versions of polarsim, its core libraries and Python (a new dict per call)."""
    return dict(_versions())


@functools.cache
def _versions() -> dict[str, str | None]:
    # read once per process: importlib.metadata parses each package's METADATA file
    return {
        "polarsim": _version("polarsim"),
        "mesa": _version("mesa"),
        "numpy": _version("numpy"),
        "pandas": _version("pandas"),
        "pydantic": _version("pydantic"),
        "python": platform.python_version(),
    }


def manifest(
    *,
    scenario_name: str,
    scenario_path: str | None,
    scenario_sha256: str,
    seed: int,
    replicate_seeds: list[list[int]],
    wall_time_s: float,
    command: list[str] | None = None,
    overrides: list[str] | None = None,
) -> dict:
    return {
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": versions(),
        "git_commit": git_commit(),
        "scenario": {
            "name": scenario_name,
            "path": scenario_path,
            "sha256": scenario_sha256,
            # the --set items (and params) applied to the file at `path`: sha256 is the
            # scenario's with them, the file's own without
            "overrides": list(overrides or []),
        },
        "seeds": {
            "root_seed": seed,
            "derivation": "numpy.random.SeedSequence(root_seed).spawn(replicates)",
            "replicate_spawn_keys": replicate_seeds,
        },
        "command": command if command is not None else sys.argv,
        "wall_time_s": round(wall_time_s, 4),
        "tables": {
            "states.parquet": "one row per (replicate, year, state): ties and autonomy metrics",
            "system.parquet": "one row per (replicate, year): regional concentration, blocs",
            "events.parquet": "one row per event: projects, coercion, memberships, shocks",
            "how_to_load": "pandas.read_parquet(folder / 'states.parquet')",
        },
    }
