"""Output folders that are written whole or not at all.

Everything goes into a hidden temporary sibling first and is renamed into place at
the end: an interrupted write leaves no half-filled folder, and an existing non-empty
folder is never touched."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from polarsim.errors import PolarsimInputError


def timestamped(name: str, root: Path = Path("runs")) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = root / f"{name}-{stamp}"
    n = 1
    while out.exists():
        n += 1
        out = root / f"{name}-{stamp}-{n}"
    return out


@contextmanager
def new_output_dir(out: str | Path) -> Iterator[Path]:
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PolarsimInputError(
            "exists and is not empty; choose a new --out folder", field=str(out)
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        yield tmp
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
