"""scripts/trade_trend_skill.py keeps running: the residual trade trend's table of
docs/validation.md at tiny size, through the same functions and command line."""

import importlib.util
import sys

import numpy as np

from tests.conftest import ROOT


def _script():
    spec = importlib.util.spec_from_file_location(
        "trade_trend_skill", ROOT / "scripts" / "trade_trend_skill.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_trade_trend_table_at_tiny_size():
    tt = _script()
    variants = [("off", ["parameters.trade.trend_weight=0"]), ("shipped", [])]
    t = tt.table(variants, origins=(2006,), last_year=2010, replicates=1, seed=0)
    assert list(t["trade trend"]) == ["off", "shipped"]
    # origin 2006 scored on 2007-2010: 4 years x 5 states x 5 powers; h 4 alone for 4-5
    assert list(t["n"]) == [100, 100]
    assert list(t["n h 4-5"]) == [25, 25]
    assert np.isfinite(t[["error", "persistence", "error h 4-5"]].to_numpy()).all()
    # persistence does not depend on the model's trend; the model's error does
    assert t["persistence"].nunique() == 1
    assert t["error"].iloc[0] != t["error"].iloc[1]


def test_variants_name_real_parameters():
    from polarsim import load_scenario

    tt = _script()
    scenario = ROOT / "scenarios" / "historical.yaml"
    for _, overrides in tt.VARIANTS:
        load_scenario(scenario, overrides=overrides)  # an unknown path raises
