"""Three key figures against committed baseline images, and byte-identical rebuilds.

Baselines are drawn from the fixture tables (tests/fixtures/plots); after an intended
change of a figure's look, update them with
    PYTHONPATH=src python scripts/update_baselines.py
"""

from __future__ import annotations

import hashlib
from functools import partial

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.testing.compare import compare_images  # noqa: E402

from polarsim.plots.save import save_figure  # noqa: E402
from tests.plots.baselines import BASELINES, FIGURES, TOLERANCE, runs_states  # noqa: E402

pytestmark = pytest.mark.golden


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_matches_baseline(name, tmp_path):
    expected = BASELINES / f"{name}.png"
    assert expected.is_file(), "run scripts/update_baselines.py"
    (actual,) = save_figure(FIGURES[name](), tmp_path / name, ["png"])
    diff = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert diff is None, f"{diff}\nif the change is intended: scripts/update_baselines.py"


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rebuild_is_byte_identical_pdf_svg_png(tmp_path):
    from polarsim.plots.geo import plot_map

    one = runs_states().query("scenario == 'baseline'")
    makers = {
        "timeseries": FIGURES["timeseries"],
        "heatmap": FIGURES["heatmap"],
        "map": partial(plot_map, one, 2050),
    }
    for name, make in makers.items():
        first = save_figure(make(), tmp_path / "a" / name, ["pdf", "svg", "png"])
        second = save_figure(make(), tmp_path / "b" / name, ["pdf", "svg", "png"])
        for a, b in zip(first, second, strict=True):
            assert _digest(a) == _digest(b), f"{a.name} differs between rebuilds"


def test_vector_files_embed_truetype_and_no_dates(tmp_path):
    pdf, svg = save_figure(FIGURES["compare"](), tmp_path / "c", ["pdf", "svg"])
    data = pdf.read_bytes()
    assert b"/FontFile2" in data  # TrueType embedded (pdf.fonttype 42)
    assert b"/CreationDate" not in data and b"/ModDate" not in data
    text = svg.read_text()
    assert "<dc:date>" not in text
    assert "<text" not in text  # glyphs as paths: identical on every viewer
