"""Scenario discovery (PRIM, CART, feature scores, main effects) finds the boxes and
the drivers of functions whose answer is known, refuses questions without an answer,
and runs over a small Latin-hypercube sweep from the command line."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from polarsim.errors import PolarsimInputError
from polarsim.experiment import cli as experiment_cli
from polarsim.experiment import discovery
from polarsim.experiment.discovery import Interest


def _known_box(n: int = 400, seed: int = 1):
    """Three parameters on [0, 1]; the outcome is low exactly where a > 0.6 and b < 0.4
    (c is noise)."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.random((n, 3)), columns=["a", "b", "c"])
    inside = (X["a"] > 0.6) & (X["b"] < 0.4)
    y = np.where(inside, -1.0, 0.0) + 0.01 * rng.standard_normal(n)
    return X, y, inside.to_numpy()


def test_prim_finds_the_box_of_the_points_of_interest():
    X, y, inside = _known_box()
    table, trajectory = discovery.prim_box(X, y, Interest(below=-0.5))
    limits = table.set_index("parameter")
    assert set(limits.index) == {"a", "b"}  # the noise parameter is not restricted
    assert limits.loc["a", "low"] == pytest.approx(0.6, abs=0.05)
    assert limits.loc["b", "high"] == pytest.approx(0.4, abs=0.05)
    assert table["coverage"].iloc[0] >= 0.9 and table["density"].iloc[0] >= 0.9
    assert table["cases"].iloc[0] == inside.sum()
    assert {"coverage", "density", "mass", "res_dim"} <= set(trajectory.columns)


def test_cart_leaf_of_interest_is_the_box():
    X, y, _ = _known_box()
    table = discovery.cart_boxes(X, y, Interest(below=-0.5))
    best = table[table["density"] == table["density"].max()].set_index("parameter")
    assert "c" not in best.index
    assert best.loc["a", "low"] == pytest.approx(0.6, abs=0.05)
    assert best.loc["b", "high"] == pytest.approx(0.4, abs=0.05)


def test_features_and_main_effects_rank_the_drivers_above_noise():
    # 200 points separate the drivers from the noise by more than twice the noise's
    # S1 confidence (a, b: S1 0.14, 0.22; c: 0.008 +- 0.03); SALib's delta takes time
    # in proportion to the points (600 took four times as long, for the same ranking)
    X, y, _ = _known_box(200)
    scores = discovery.feature_scores(X, y).set_index("parameter")["score"]
    assert min(scores["a"], scores["b"]) > scores["c"]
    effects = discovery.main_effects(X, y).set_index("parameter")
    assert min(effects.loc["a", "S1"], effects.loc["b", "S1"]) > effects.loc["c", "S1"]
    assert (effects["S1_conf"] >= 0).all()


def test_questions_without_an_answer_are_refused():
    X, y, _ = _known_box(50)
    with pytest.raises(PolarsimInputError, match="no design point is of interest"):
        discovery.prim_box(X, y, Interest(below=-5.0))
    with pytest.raises(PolarsimInputError, match="every design point is of interest"):
        discovery.cart_boxes(X, y, Interest(above=-5.0))
    with pytest.raises(PolarsimInputError, match="one of --below"):
        Interest(below=0.0, lowest=0.2).mark(y)
    with pytest.raises(PolarsimInputError, match="no outcome"):
        discovery.feature_scores(X, np.full(len(X), np.nan))


def test_default_line_is_the_lowest_quarter():
    y = np.arange(100.0)
    cases, what = Interest().mark(y)
    assert cases.sum() == 25 and "lowest 25%" in what


def test_the_parser_knows_every_method():
    assert experiment_cli.DISCOVERY == discovery.METHODS


def test_discovery_over_a_small_sweep_from_the_command_line(tmp_path, capsys):
    """sweep -> analyze prim/cart/features/main-effects as a user would (scaled down)."""
    from tests.conftest import SCENARIOS

    exp = tmp_path / "lhs_small.yaml"
    exp.write_text(
        f"base: {SCENARIOS / 'baseline.yaml'}\n"
        "overrides: ['time.end_year=2022']\n"
        "parameters:\n"
        "  powers.CHN.exclusivity: {range: [0.0, 1.0]}\n"
        "  parameters.coercion.rate: {range: [0.5, 10.0]}\n"
        "design: {type: latin_hypercube, samples: 40}\n"  # SALib delta: >= 30
        "replicates: 1\nseed: 3\n"
        "outcomes: {metrics: [autonomy_index], years: [2015, 2022], aggregate: mean}\n"
    )
    out = tmp_path / "sweep"
    # the sweep in its own process, as a user starts it; the analyses through the same
    # entry point in this one (each subprocess paid the imports of scikit-learn again)
    res = subprocess.run(
        [sys.executable, "-m", "polarsim", "sweep", str(exp), "--out", str(out), "--no-progress"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    for method in discovery.METHODS:
        code, stdout, stderr = _cli(capsys, "analyze", method, str(out), "--change-from", "2015")
        assert code == 0, stderr
        assert "autonomy_index change from 2015" in stdout
        table = pd.read_csv(out / f"discovery_{method}_autonomy_index_change_from_2015.csv")
        assert len(table) and "Traceback" not in stderr
    code, _, stderr = _cli(capsys, "analyze", "prim", str(out), "--change-from", "2010")
    assert code == 2 and "2010" in stderr and "Traceback" not in stderr
    code, _, stderr = _cli(capsys, "analyze", "sobol", str(out), "--below", "0.5")
    assert code == 2 and "--below" in stderr


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    """`polarsim ARGV` through the command line's entry point: (exit code, stdout,
    stderr); argparse's own refusals exit 2 as from a shell."""
    from polarsim.cli import main

    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cart_on_a_design_of_fewer_than_twenty_points():
    # EMA's CART takes int(mass_min * points) as the leaf size: 0 below 20 points,
    # which scikit-learn refused with a traceback (a 3 x 3 grid, `analyze cart`)
    X, y, _ = _known_box(9, seed=3)
    table = discovery.cart_boxes(X, y, Interest(lowest=0.34))
    assert table["points"].iloc[0] == 9


@pytest.mark.parametrize("n", [2, 6])
def test_cart_and_features_on_a_sweep_of_one_parameter(n):
    # EMA's CART named a leaf's feature by index -2 (an IndexError with one name) and
    # its extra trees took round(1 / 3) = 0 features (`analyze cart/features` tracebacks)
    X = pd.DataFrame({"exclusivity": np.linspace(0.0, 1.0, n)})
    y = -X["exclusivity"].to_numpy()
    table = discovery.cart_boxes(X, y, Interest(lowest=0.34))
    assert set(table["parameter"]) == {"exclusivity"}
    assert (table["low"] >= 0.5).all() and (table["density"] == 1.0).all()
    scores = discovery.feature_scores(X, y)
    assert scores["parameter"].tolist() == ["exclusivity"]
    assert scores["score"].iloc[0] == pytest.approx(1.0)


def test_main_effects_that_salib_cannot_estimate_are_refused():
    # SALib's delta returns NaN for every index of a small design (it prints why);
    # the table of NaN was written with exit code 0
    X, y, _ = _known_box(10, seed=3)
    with pytest.raises(PolarsimInputError, match="10 design points"):
        discovery.main_effects(X, y)
