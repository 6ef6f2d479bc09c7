"""Mechanism ablation and decomposition of scenario effects."""

import numpy as np
import pytest

from polarsim.ablation import (
    COMPONENTS,
    MECHANISMS,
    ablate,
    ablation_markdown,
    switched_off,
    with_parameters,
)
from polarsim.compare import compare
from polarsim.errors import PolarsimInputError
from polarsim.scenario import build_scenario


def _s(name, **extra):
    return build_scenario({"name": name, "time": {"start_year": 2005, "end_year": 2016}, **extra})


def _exclusive(name="exclusive"):
    return _s(name, powers={"RUS": {"exclusivity": 0.9}, "CHN": {"exclusivity": 0.9}})


def test_every_mechanism_switch_is_a_valid_scenario_and_changes_what_it_names():
    base = _s("a")
    for name, mech in MECHANISMS.items():
        off = switched_off(base, name)
        for path, value in mech.off.items():
            group, field = path.split(".")
            assert getattr(getattr(off.parameters, group), field) == value
        assert off.name == base.name
        assert off.events == [e for e in base.events if e.type not in mech.events]


def _sanctioned_state(name="embargo"):
    return _s(name, events=[{"type": "sanctions", "year": 2006, "imposers": ["EU", "USA"],
                             "target": "KAZ", "intensity": 1.0}])  # fmt: skip


def test_switching_off_sanctions_removes_the_embargo_on_a_state():
    """Sanctions on a state cut its trade and arms imports with the imposers, and no
    sanctions parameter scales that: with the parameters at 0 the embargo's effect on
    Kazakhstan's autonomy (-0.044 with 3 replicates) was carried 0 by `sanctions`."""
    a = ablate([_s("a"), _sanctioned_state()], mechanisms=["sanctions"], replicates=3)
    kaz = a.effects[a.effects["state"] == "KAZ"].set_index("mechanism")
    assert kaz.loc["none", "upper"] < 0  # the embargo lowers its autonomy
    assert kaz.loc["sanctions", "mean"] == 0.0
    assert kaz.loc["sanctions", "carried_share"] == pytest.approx(1.0)


def test_switching_off_sanctions_leaves_a_war_alone():
    """A sponsor at war stalls its projects through infrastructure.stall_sanctions (the
    larger of sanctions and war): setting it to 0 gave `sanctions` a part (166 % with 3
    replicates) of the effect of a war without any sanctions."""
    war = _s("war", events=[{"type": "war", "year": 2006, "power": "CHN",
                             "capacity_diverted": 0.5}])  # fmt: skip
    a = ablate([_s("a"), war], mechanisms=["sanctions"], replicates=3)
    ablated = a.effects[a.effects["mechanism"] == "sanctions"]
    assert (ablated["carried"] == 0.0).all()
    full = a.effects[a.effects["mechanism"] == "none"].set_index(["state", "year"])["mean"]
    assert (full != 0).any()  # the war has an effect, which is no sanctions' doing


def test_switching_off_institutions_removes_the_alliance_guarantee():
    """Leaving an alliance ends its guarantee (security.guarantee_value a year); with the
    institutions' other parameters at 0 it still moved the security ties."""
    leave = _s("leave", events=[{"type": "membership", "year": 2006, "state": "KAZ",
                                 "institution": "CSTO", "action": "leave"}])  # fmt: skip
    a = ablate([_s("a"), leave], mechanisms=["institutions"], replicates=3,
               metric="security_stock_tiv_musd")  # fmt: skip
    e = a.effects.set_index(["mechanism", "state"])
    assert e.loc[("none", "KAZ"), "mean"] != 0.0
    assert e.loc[("institutions", "KAZ"), "mean"] == 0.0
    assert e.loc[("institutions", "KAZ"), "carried_share"] == pytest.approx(1.0)


def test_with_parameters_names_an_unknown_path():
    with pytest.raises(PolarsimInputError, match="coercion.ratee"):
        with_parameters(_s("a"), {"coercion.ratee": 0.0})


def test_unknown_mechanism_is_an_input_error():
    with pytest.raises(PolarsimInputError, match="unknown mechanism 'gravity'"):
        ablate([_s("a"), _s("b")], mechanisms=["gravity"], replicates=2)


def test_full_model_effect_is_the_paired_difference_of_compare():
    a = ablate([_s("a"), _exclusive()], mechanisms=["coercion"], seed=3, replicates=3)
    c = compare([_s("a"), _exclusive()], seed=3, replicates=3)
    full = a.effects[(a.effects["mechanism"] == "none") & (a.effects["state"] != "region")]
    mine = full.set_index("state")["mean"].sort_index()
    theirs = c.table[c.table["scenario"] == "exclusive"].set_index("state")["diff"].sort_index()
    np.testing.assert_allclose(mine.to_numpy(), theirs.to_numpy(), atol=1e-15)


def test_identical_scenarios_have_no_effect_to_carry_and_are_flagged():
    a = ablate([_s("a"), _s("a")], mechanisms=["coercion", "trade_trend"], replicates=2)
    assert (a.effects["mean"] == 0).all()
    assert a.effects["crosses_zero"].all()
    ablated = a.effects[a.effects["mechanism"] != "none"]
    assert (ablated["carried"] == 0).all()


def test_switching_off_coercion_removes_the_coercive_acts_of_the_exclusive_scenario():
    a = ablate([_s("a"), _exclusive()], mechanisms=["coercion"], seed=1, replicates=3)
    rows = a.effects[a.effects["state"] == "region"].set_index("mechanism")
    # carried = full effect - effect without the mechanism, per replicate
    assert rows.loc["coercion", "carried"] == pytest.approx(
        rows.loc["none", "mean"] - rows.loc["coercion", "mean"]
    )


def test_components_add_up_to_the_autonomy_effect_where_the_index_is_not_clipped():
    a = ablate([_s("a"), _exclusive()], mechanisms=[], seed=2, replicates=3)
    comp = a.components.groupby(["scenario", "state", "year"])["mean"].sum()
    full = a.effects[a.effects["mechanism"] == "none"].set_index(["scenario", "state", "year"])
    np.testing.assert_allclose(comp.sort_index(), full["mean"].sort_index(), atol=1e-12)
    assert set(a.components["component"]) == {c.name for c in COMPONENTS}


def test_components_add_up_when_a_scenario_sets_its_own_index_weights():
    """A scenario with other weights than the reference changes the index by definition;
    the components weighted each by the scenario's own weight against the reference's
    summed to 0 (each value was paired, then weighted once) while the effect was -0.0018."""
    weights = {"metrics": {"weight_diversification": 0.7, "weight_hedging": 0.1,
                           "weight_invulnerability": 0.1, "weight_freedom": 0.1}}  # fmt: skip
    a = ablate([_s("a"), _s("b", parameters=weights)], mechanisms=["coercion"], replicates=2)
    full = a.effects[a.effects["mechanism"] == "none"].set_index(["scenario", "state", "year"])
    comp = a.components.groupby(["scenario", "state", "year"])["mean"].sum()
    assert (full["mean"].abs() > 1e-4).any()
    np.testing.assert_allclose(comp.loc[full.index], full["mean"], atol=1e-12)


def test_one_replicate_gives_no_interval_and_no_claim():
    """With one replicate lower == upper == mean: no interval, so nothing is claimed (the
    effect was flagged only if it was exactly 0)."""
    a = ablate([_s("a"), _exclusive()], mechanisms=["coercion"], replicates=1)
    assert (a.effects["n"] == 1).all()
    assert a.effects["crosses_zero"].all() and a.components["crosses_zero"].all()
    assert "carried by coercion | ~" in ablation_markdown(a).replace("  ", " ")


def test_cli_refuses_an_unknown_mechanism_before_running(tmp_path, capsys):
    from polarsim.cli import main
    from tests.conftest import SCENARIOS

    out = tmp_path / "abl"
    code = main(["compare", str(SCENARIOS / "baseline.yaml"),
                 str(SCENARIOS / "spheres_of_influence.yaml"), "--replicates", "2",
                 "--ablate", "gravity", "--out", str(out)])  # fmt: skip
    assert code == 2 and not out.exists()
    assert "unknown mechanism 'gravity'" in capsys.readouterr().err


def test_a_component_of_the_index_can_be_the_metric():
    """`hedging_index` is the metric and one of the index's components: it was asked for
    twice and the ablation stopped with a pandas traceback."""
    a = ablate(
        [_s("a"), _exclusive()], metric="hedging_index", mechanisms=["coercion"], replicates=2
    )
    c = compare([_s("a"), _exclusive()], metric="hedging_index", replicates=2)
    full = a.effects[(a.effects["mechanism"] == "none") & (a.effects["state"] != "region")]
    mine = full.set_index("state")["mean"].sort_index()
    theirs = c.table[c.table["scenario"] == "exclusive"].set_index("state")["diff"].sort_index()
    np.testing.assert_allclose(mine.to_numpy(), theirs.to_numpy(), atol=1e-15)


def test_the_study_report_claims_no_part_of_a_single_replicate(tmp_path):
    """The paper study's "What carries the scenario effects" named every mechanism whose
    carried part had lower > 0 or upper < 0, which one replicate (lower == upper) always
    gives."""
    from types import SimpleNamespace

    from polarsim.ablation import write_ablation
    from polarsim.study.report import _ablation_section

    a = ablate([_s("a"), _exclusive()], mechanisms=["coercion"], replicates=1)
    assert (a.effects["carried"].dropna() != 0).any()  # a part that one run would claim
    write_ablation(a, tmp_path)
    res = SimpleNamespace(
        scenarios_dir=tmp_path,
        study=SimpleNamespace(metric="autonomy_index", scenarios=SimpleNamespace(reference="a")),
    )
    text = "\n".join(_ablation_section(res, 2016))
    assert "Carried by: no single mechanism distinguishable" in text


def test_an_unknown_or_non_numeric_metric_is_an_input_error():
    for metric in ("nope", "trade_top_partner"):
        with pytest.raises(PolarsimInputError, match="--metric"):
            ablate([_s("a"), _s("b")], mechanisms=["coercion"], replicates=1, metric=metric)


def test_one_mechanism_name_as_a_string_is_refused_not_read_as_letters():
    with pytest.raises(PolarsimInputError, match="--ablate: expected a list of mechanism"):
        ablate([_s("a"), _s("b")], mechanisms="coercion", replicates=1)
