"""The scenario library that ships with the package: the scenarios and experiments of
the repository (`polarsim/library/`, symlinks in a checkout, files in an installed
wheel), so that `polarsim run baseline` works after `pip install` and `polarsim init`
copies the library out to edit.

A name resolves to the library only when no file of that name exists: a file of yours
always wins, `baseline.yaml` in the folder over the library's `baseline` too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from polarsim.errors import PolarsimInputError

#: the library inside the installed package
LIBRARY = Path(__file__).resolve().parent.parent / "library"
FOLDERS = ("scenarios", "experiments")


def library_names(folder: str = "scenarios") -> list[str]:
    """The names of the library's files in `folder` (without .yaml), sorted."""
    root = LIBRARY / folder
    return sorted(p.stem for p in root.glob("*.yaml")) if root.is_dir() else []


def resolve(path: str | Path) -> Path:
    """`path` itself if it exists; else `path` with `.yaml` if that file exists (yours:
    `polarsim run baseline` beside a `baseline.yaml` runs it); else, for a bare name
    (`baseline`, `baseline.yaml`, `sobol_autonomy`, `paper/study`), the library's file
    of that name; else `path` unchanged (whose reader then says it was not found)."""
    p = Path(path)
    if p.exists() or p.is_absolute():
        return p
    name = p if p.suffix in (".yaml", ".yml") else p.with_suffix(".yaml")
    if name.is_file():
        return name
    for folder in FOLDERS:
        candidate = LIBRARY / folder / name
        if candidate.is_file():
            return candidate
    return p


def copy_library(dest: str | Path) -> list[Path]:
    """Copy the library's scenarios/ and experiments/ into `dest` (created if needed)
    and return the files written. Nothing is replaced: if any file exists already,
    nothing is copied and a PolarsimInputError names it."""
    dest = Path(dest)
    pairs = []
    for folder in FOLDERS:
        root = LIBRARY / folder
        for src in sorted(root.rglob("*")):
            if src.is_file() and src.suffix in (".yaml", ".md"):
                pairs.append((src, dest / folder / src.relative_to(root)))
    if not pairs:
        raise PolarsimInputError(f"the scenario library is missing from {LIBRARY}")
    existing = [str(target) for _, target in pairs if target.exists()]
    if existing:
        more = f" and {len(existing) - 1} more" if len(existing) > 1 else ""
        raise PolarsimInputError(
            f"{existing[0]}{more} {'exist' if more else 'exists'} already; nothing was copied "
            "(choose another folder)",
            field=str(dest),
        )
    for src, target in pairs:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    return [target for _, target in pairs]


def input_path(text: str) -> Path:
    """argparse type of an input file argument: a path, or a library name."""
    return resolve(text)


def library_roots() -> list[Path]:
    """The library's folders as they are on disk (symlinks in a checkout followed)."""
    return [(LIBRARY / folder).resolve() for folder in FOLDERS]


def in_library(path: str | Path) -> bool:
    """Whether `path` is one of the library's own files."""
    real = Path(path).resolve()
    return any(root in real.parents for root in library_roots())
