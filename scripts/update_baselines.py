"""Rewrite the committed baseline images of the figure tests.

    PYTHONPATH=src python scripts/update_baselines.py

Run it after an intended change of how a figure looks, look at the new images
(tests/baseline_images/*.png), and commit them with the change. The figures are drawn
from tests/fixtures/plots/*.csv, so a recalibrated model does not change them.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from polarsim.plots.save import save_figure  # noqa: E402
from tests.plots.baselines import BASELINES, FIGURES  # noqa: E402


def main() -> None:
    for name, make in FIGURES.items():
        # the committed baselines are replaced on purpose, so force
        (path,) = save_figure(make(), BASELINES / name, ["png"], force=True)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
