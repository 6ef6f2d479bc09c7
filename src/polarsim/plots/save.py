"""Write figures so that the same figure always gives the same bytes.

Dates and software versions are stripped from the file metadata and SVG ids are salted
with a fixed string, so rebuilding a paper's figures from the same data changes no file.
Each file is written to a temporary sibling and renamed into place, so an interrupted
save never leaves a half-written figure behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

from polarsim.plots.style import SAVE_RC

__all__ = ["FORMATS", "save_figure"]

#: Metadata keys set to None are left out of the file (matplotlib >= 3.3).
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    "svg": {"Date": None, "Creator": None},
}
FORMATS: tuple[str, ...] = tuple(_METADATA)
_DPI = 300


def save_figure(
    fig: Figure, stem: Path | str, formats: Iterable[str] = ("png", "pdf")
) -> list[Path]:
    """Write ``stem.<fmt>`` for each format and return the paths, in the order asked.

    ``stem`` gets the extension appended (``fig.v2`` -> ``fig.v2.png``), never replaced.
    PNG is 300 dpi; PDF embeds TrueType fonts.
    """
    stem = Path(stem)
    fmts = list(dict.fromkeys(f.lower().lstrip(".") for f in formats))
    unknown = [f for f in fmts if f not in _METADATA]
    if unknown or not fmts:
        raise ValueError(f"formats must be a non-empty subset of {FORMATS}, got {unknown}")
    stem.parent.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    with mpl.rc_context(SAVE_RC):
        for fmt in fmts:
            path = stem.parent / f"{stem.name}.{fmt}"
            _atomic_savefig(fig, path, fmt)
            out.append(path)
    return out


def _atomic_savefig(fig: Figure, path: Path, fmt: str) -> None:
    tmp = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    # os.open with 0o666 honours the umask, unlike tempfile's private 0o600 files.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fig.savefig(fh, format=fmt, dpi=_DPI, metadata=_METADATA[fmt])
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
