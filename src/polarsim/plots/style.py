"""One place for the look of every figure, so papers and run folders agree.

Colours are Okabe–Ito (colour-blind safe); every actor also has its own line style and
marker so a figure still reads when printed in grey scale. Unknown codes get a style
chosen from zlib.crc32 of the code, never hash(), so it is the same in every process.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl

from polarsim.codes import OTHER, POWERS, STATES

__all__ = [
    "DEFAULT_HEIGHT",
    "DOUBLE_COLUMN",
    "PAPER_RC",
    "SAVE_RC",
    "SINGLE_COLUMN",
    "WIDTHS",
    "colour",
    "figure_width",
    "hatch",
    "label",
    "scenario_style",
    "linestyle",
    "marker",
    "paper_style",
]

#: Journal figure widths in inches.
SINGLE_COLUMN: float = 3.5
DOUBLE_COLUMN: float = 7.2
#: Height of a one-panel line figure in inches.
DEFAULT_HEIGHT: float = 2.6
#: The journal sizes a figure can be asked for (inches; Elsevier/Springer/APSR-like).
WIDTHS: dict[str, float] = {"single": SINGLE_COLUMN, "double": DOUBLE_COLUMN}

LineStyle = str | tuple[float, tuple[float, ...]]

_DASHDOTDOT: LineStyle = (0.0, (3.0, 1.0, 1.0, 1.0, 1.0, 1.0))
_LONGDASH: LineStyle = (0.0, (6.0, 1.5))

# code: (colour, line style, marker). EU gets reddish purple: Okabe–Ito yellow is too
# light for thin lines on white.
_STYLE: dict[str, tuple[str, LineStyle, str]] = {
    # powers
    "CHN": ("#D55E00", "-", "o"),
    "RUS": ("#0072B2", "--", "s"),
    "USA": ("#56B4E9", "-.", "^"),
    "EU": ("#CC79A7", ":", "D"),
    "TUR": ("#009E73", _DASHDOTDOT, "v"),
    "IRN": ("#E69F00", _LONGDASH, "P"),
    "IND": ("#000000", "-", "X"),
    "JPN": ("#777777", "--", "<"),
    "KOR": ("#8C564B", "-.", ">"),
    # states
    "KAZ": ("#0072B2", "-", "o"),
    "UZB": ("#D55E00", "--", "s"),
    "KGZ": ("#009E73", "-.", "^"),
    "TJK": ("#CC79A7", ":", "D"),
    "TKM": ("#E69F00", _DASHDOTDOT, "v"),
    # remainder of every arena
    OTHER: ("#999999", ":", "."),
}

# Unknown codes: Paul Tol's "muted" scheme (also colour-blind safe, pale sand left out),
# so they do not take the colours of the known actors; markers the table does not use.
_FALLBACK_COLOURS = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#CC6677",
    "#882255",
    "#AA4499",
)
_FALLBACK_LINESTYLES: tuple[LineStyle, ...] = ("-", "--", "-.", ":", _DASHDOTDOT, _LONGDASH)
_FALLBACK_MARKERS = ("h", "p", "*", "d", "8", "H", "1", "2", "3", "4")


def _pick(code: str, options: tuple[Any, ...], salt: bytes) -> Any:
    # Salted so colour, line style and marker vary independently across unknown codes.
    return options[zlib.crc32(salt + code.encode("utf-8")) % len(options)]


def colour(code: str) -> str:
    """Hex colour of an actor; stable across runs for unknown codes too."""
    return _STYLE[code][0] if code in _STYLE else _pick(code, _FALLBACK_COLOURS, b"c")


def linestyle(code: str) -> LineStyle:
    """Matplotlib line style of an actor, for grey-scale print."""
    return _STYLE[code][1] if code in _STYLE else _pick(code, _FALLBACK_LINESTYLES, b"l")


def marker(code: str) -> str:
    """Matplotlib marker of an actor, for grey-scale print."""
    return _STYLE[code][2] if code in _STYLE else _pick(code, _FALLBACK_MARKERS, b"m")


#: Hatches per actor for filled areas (stacked shares), so areas survive grey scale.
_HATCH: dict[str, str] = {
    "CHN": "",
    "RUS": "////",
    "USA": "....",
    "EU": "\\\\\\\\",
    "TUR": "xxxx",
    "IRN": "----",
    "IND": "||||",
    "JPN": "++++",
    "KOR": "oo",
    OTHER: "",
}

#: Scenarios are not actors: they get their own Okabe–Ito sequence (black first, the
#: reference) with distinct dashes, in the order they are given.
SCENARIO_COLOURS: tuple[str, ...] = (
    "#000000",
    "#D55E00",
    "#0072B2",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#777777",
    "#8C564B",
)
SCENARIO_DASHES: tuple[LineStyle, ...] = (
    "-",
    "--",
    "-.",
    ":",
    (0.0, (5.0, 1.0, 1.0, 1.0)),
    (0.0, (3.0, 1.0)),
    (0.0, (1.0, 1.0)),
    _LONGDASH,
    _DASHDOTDOT,
)
SCENARIO_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "<", ">")


def scenario_style(index: int) -> tuple[str, LineStyle, str]:
    """(colour, line style, marker) of the index-th scenario of a figure."""
    k = len(SCENARIO_COLOURS)
    return (
        SCENARIO_COLOURS[index % k],
        SCENARIO_DASHES[index % len(SCENARIO_DASHES)],
        SCENARIO_MARKERS[index % len(SCENARIO_MARKERS)],
    )


def hatch(code: str) -> str:
    """Hatch pattern of an actor's filled areas."""
    return _HATCH.get(code, _pick(code, ("//", "..", "xx", "--", "||", "++"), b"h"))


def figure_width(width: str | float) -> float:
    """Inches for "single" or "double" (journal columns) or a number of inches."""
    if isinstance(width, int | float):
        return float(width)
    if width not in WIDTHS:
        raise ValueError(f"width must be one of {sorted(WIDTHS)} or inches, got {width!r}")
    return WIDTHS[width]


def label(code: str) -> str:
    """Full name for legends; the code itself when it is unknown."""
    if code == OTHER:
        return "Other partners"
    actor = STATES.get(code) or POWERS.get(code)
    return actor.name if actor is not None else code


def scenario_label(name: str, capital: bool = True) -> str:
    """A scenario's name for legends and axis labels: words, not an identifier
    (`spheres_of_influence` -> `Spheres of influence`; within a sentence, with
    `capital=False`, `spheres of influence`)."""
    words = name.replace("_", " ").strip()
    if not words:
        return name
    return words[:1].upper() + words[1:] if capital else words


#: rcParams that must hold when a figure is written (see save.save_figure).
SAVE_RC: dict[str, Any] = {
    "pdf.fonttype": 42,  # embed TrueType: editable text, accepted by journal checkers
    "ps.fonttype": 42,
    "svg.fonttype": "path",
    "svg.hashsalt": "polarsim",  # fixed ids so SVG output is byte-reproducible
    "savefig.dpi": 300,
    "savefig.bbox": "standard",  # keep the exact journal width; no tight cropping
    "savefig.transparent": False,
}

#: rcParams for publication figures. Only DejaVu Sans (shipped with matplotlib) so the
#: output does not depend on the fonts installed on the machine.
PAPER_RC: dict[str, Any] = {
    **SAVE_RC,
    "text.usetex": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "mathtext.fontset": "dejavusans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.title_fontsize": 8,
    "figure.titlesize": 9,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.minor.width": 0.4,
    "ytick.minor.width": 0.4,
    "xtick.major.size": 3.0,
    "ytick.major.size": 3.0,
    "xtick.direction": "out",
    "ytick.direction": "out",
    "lines.linewidth": 1.2,
    "lines.markersize": 3.5,
    "patch.linewidth": 0.6,
    "legend.frameon": False,
    "legend.handlelength": 2.8,  # long enough to show dash patterns
    "legend.columnspacing": 1.2,
    "legend.borderaxespad": 0.3,
    "figure.figsize": (SINGLE_COLUMN, DEFAULT_HEIGHT),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
}


@contextmanager
def paper_style() -> Iterator[None]:
    """Apply PAPER_RC inside the block and restore the caller's rcParams afterwards."""
    with mpl.rc_context(PAPER_RC):
        yield
