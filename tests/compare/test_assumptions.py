"""Scenario effects under other values of the assumed parameters (polarsim.assumptions)."""

import numpy as np
import pandas as pd
import pytest

from polarsim.ablation import with_parameters
from polarsim.assumptions import ASSUMPTIONS, SHIPPED, _verdict, vary
from polarsim.cli import main
from polarsim.compare import compare
from polarsim.errors import PolarsimInputError
from polarsim.scenario.parameters import Parameters
from tests.compare.test_ablation import _exclusive, _s  # the same small scenarios


def test_every_assumption_sets_only_parameters_sourced_as_assumptions():
    base = _s("a")
    for a in ASSUMPTIONS.values():
        varied = with_parameters(base, a.values)
        assert varied.parameters != base.parameters  # a variation, not the shipped values
        for path, value in a.values.items():
            group, name = path.split(".")
            assert getattr(getattr(varied.parameters, group), name) == value
            field = type(getattr(Parameters(), group)).model_fields[name]
            assert "assumption" in field.json_schema_extra["source"].lower(), path


def test_the_verdicts():
    keys = ["scenario", "state", "year"]
    shipped = pd.DataFrame(
        {"scenario": list("abcd"), "state": "region", "year": 2050,
         "mean": [0.02, 0.02, 0.0, 0.0], "crosses_zero": [False, False, True, True]}
    )  # fmt: skip
    varied = pd.DataFrame(
        {"scenario": list("abbcd"), "state": "region", "year": 2050,
         "mean": [0.03, -0.01, 0.001, 0.001, 0.02],
         "crosses_zero": [False, False, True, True, False]}
    )  # fmt: skip
    assert list(_verdict(shipped, varied, keys)) == [
        "holds", "reverses", "weakens", "not claimed", "appears"
    ]  # fmt: skip


def test_shipped_effects_equal_compare_and_variations_use_the_same_seeds():
    r = vary([_s("a"), _exclusive()], assumptions=["coercion_costly"], seed=3, replicates=3)
    c = compare([_s("a"), _exclusive()], seed=3, replicates=3)
    e = r.effects
    mine = e[(e["assumption"] == SHIPPED) & (e["state"] != "region")]
    theirs = c.table[c.table["scenario"] == "exclusive"].set_index("state")["diff"].sort_index()
    np.testing.assert_allclose(
        mine.set_index("state")["mean"].sort_index().to_numpy(), theirs.to_numpy(), atol=1e-15
    )
    assert set(e["assumption"]) == {SHIPPED, "coercion_costly"}
    # the change since the first year: the reference's own rows too, from 2005
    ch = r.changes
    assert set(ch["scenario"]) == {"a", "exclusive"} and (ch["since"] == 2005).all()


def test_identical_scenarios_have_no_effect_under_any_assumption():
    r = vary([_s("a"), _s("a")], assumptions=["substitution_low"], replicates=2)
    assert (r.effects["mean"] == 0).all()
    assert (r.effects["verdict"] == "not claimed").all()


def test_unknown_assumption_and_bad_since_are_input_errors():
    with pytest.raises(PolarsimInputError, match="unknown assumption 'gravity'"):
        vary([_s("a"), _s("b")], assumptions=["gravity"], replicates=2)
    with pytest.raises(PolarsimInputError, match="1990"):
        vary([_s("a"), _s("b")], assumptions=["substitution_low"], replicates=2, since=1990)


def test_compare_assumptions_writes_the_tables(tmp_path, capsys):
    files = []
    for name, powers in (("a", ""), ("b", "powers: {RUS: {exclusivity: 0.9}}\n")):
        path = tmp_path / f"{name}.yaml"
        path.write_text(f"name: {name}\ntime: {{start_year: 2005, end_year: 2016}}\n{powers}")
        files.append(str(path))
    out = tmp_path / "cmp"
    code = main(["compare", *files, "--replicates", "2", "--no-figures", "--out", str(out),
                 "--assumptions", "equal_index_weights", "--since", "2006"])  # fmt: skip
    assert code == 0
    for name in ("robustness.csv", "changes.csv", "robustness.md"):
        assert (out / name).is_file(), name
    changes = pd.read_csv(out / "changes.csv")
    assert (changes["since"] == 2006).all()
    assert "equal_index_weights" in capsys.readouterr().out
    # --since measures the changes under --assumptions: alone it is refused, not ignored
    code = main(["compare", *files, "--replicates", "2", "--no-figures",
                 "--out", str(tmp_path / "cmp2"), "--since", "2006"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "--since" in err and "--assumptions" in err
    assert not (tmp_path / "cmp2").exists()


def test_one_replicate_claims_nothing():
    """One replicate has no interval (lower == upper == mean): every nonzero effect and
    change was classed "holds" as if its interval excluded zero."""
    r = vary([_s("a"), _exclusive()], assumptions=["coercion_rare"], replicates=1)
    for t in (r.effects, r.changes):
        assert set(t["verdict"]) == {"not claimed"}
