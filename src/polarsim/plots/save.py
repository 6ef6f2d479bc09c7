"""Write figures so that the same figure always gives the same bytes.

Dates and software versions are stripped from the file metadata and SVG ids are salted
with a fixed string, so rebuilding a paper's figures from the same data changes no file.
Every file goes through polarsim.outputs.write_files: written whole (an interrupted save
leaves no half-written figure), and an existing file is replaced only with ``force`` or
when polarsim wrote it into a folder it created (or the bytes are unchanged).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

from polarsim.outputs import Writer, write_files
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
    fig: Figure,
    stem: Path | str,
    formats: Iterable[str] = ("png", "pdf"),
    *,
    force: bool = False,
    extra: dict[str, Writer | bytes | str] | None = None,
) -> list[Path]:
    """Write ``stem.<fmt>`` for each format and return the paths, in the order asked.

    ``stem`` gets the extension appended (``fig.v2`` -> ``fig.v2.png``), never replaced.
    PNG is 300 dpi; PDF embeds TrueType fonts. ``extra`` maps further extensions to
    their content (``{"csv": text}``), written together with the figure. An existing
    file is replaced only with ``force`` (see polarsim.outputs.write_files).
    """
    stem = Path(stem)
    fmts = list(dict.fromkeys(f.lower().lstrip(".") for f in formats))
    unknown = [f for f in fmts if f not in _METADATA]
    if unknown or not fmts:
        raise ValueError(f"formats must be a non-empty subset of {FORMATS}, got {unknown}")
    files: dict[Path, Writer | bytes | str] = {
        stem.parent / f"{stem.name}.{fmt}": _figure_writer(fig, fmt) for fmt in fmts
    }
    files |= {stem.parent / f"{stem.name}.{ext}": v for ext, v in (extra or {}).items()}
    with mpl.rc_context(SAVE_RC):
        return write_files(files, force=force)


def _figure_writer(fig: Figure, fmt: str) -> Writer:
    def write(tmp: Path) -> None:
        with open(tmp, "xb") as fh:
            fig.savefig(fh, format=fmt, dpi=_DPI, metadata=_METADATA[fmt])

    return write
