"""`polarsim skill --refit`: a parameter estimated from the data is re-estimated at every
origin from the data up to it, so a forecast from an earlier origin does not use a value
fitted to the years it is scored on; by default (`auto`) every such parameter the user
does not set."""

import numpy as np
import pandas as pd
import pytest

from polarsim import load_scenario
from polarsim.errors import PolarsimInputError
from polarsim.observations import estimates
from polarsim.scenario.parameters import RemittanceParams
from polarsim.validation import skill as sk
from tests.conftest import SCENARIOS

PATH = "parameters.remittances.source_gdp_elasticity"


def test_the_shipped_elasticity_is_the_estimate_from_the_data_to_2015():
    e = estimates.remittance_elasticity(2015)
    shipped = RemittanceParams().source_gdp_elasticity
    assert round(e.value, 2) == shipped and e.n == 34
    assert round(e.se, 2) == 0.26


def test_the_estimate_up_to_a_year_reads_nothing_later():
    usd, russia = estimates.remittance_series(2015)
    changed_usd, changed_russia = usd.copy(), russia.copy()
    changed_usd.loc[2010:] *= 3.0
    changed_russia.loc[2010:] *= 0.2
    a = estimates.pooled_elasticity(usd, russia, 2001, 2009)
    b = estimates.pooled_elasticity(changed_usd, changed_russia, 2001, 2009)
    assert a == b
    assert estimates.remittance_elasticity(2009) == a
    # and the later years do move the estimate that reads them
    assert estimates.pooled_elasticity(changed_usd, changed_russia, 2001, 2012) != (
        estimates.pooled_elasticity(usd, russia, 2001, 2012)
    )


def test_values_are_clipped_to_the_parameters_range():
    values = sk.refit_values(["remittance_elasticity"], [2005, 2010])["remittance_elasticity"]
    assert estimates.remittance_elasticity(2005).value > 3.0  # eight yearly changes
    assert values[2005] == 3.0  # the range's upper end (RemittanceParams)
    assert values[2010] == round(estimates.remittance_elasticity(2010).value, 2)


def test_skill_runs_each_origin_with_its_own_estimate():
    kw = dict(origins=(2009, 2012), last_year=2015, replicates=2, seed=3, series=["remittances"])
    refit = sk.skill(SCENARIOS / "historical.yaml", refit=["remittance_elasticity"], **kw)
    plain = sk.skill(SCENARIOS / "historical.yaml", refit="none", **kw)
    recorded = refit.manifest["refit"]["remittance_elasticity"]
    assert recorded["path"] == PATH
    for o in (2009, 2012):
        assert recorded["values"][str(o)] == round(estimates.remittance_elasticity(o).value, 2)
    # the override reaches the runs: the forecast from 2012 is the one made with --set
    observed = sk.observed_outcomes(
        load_scenario(SCENARIOS / "historical.yaml"), ["remittances"], None, None
    )
    by_hand = sk.forecast_from(
        SCENARIOS / "historical.yaml", 2012, 2015, observed, seed=3, replicates=2,
        overrides=[f"{PATH}={recorded['values']['2012']!r}"],
    )  # fmt: skip
    got = refit.points[refit.points["origin"] == 2012].reset_index(drop=True)
    assert got["model"].to_numpy() == pytest.approx(by_hand["model"].to_numpy(), nan_ok=True)
    later = (plain.points["origin"] == 2012).to_numpy()
    assert not np.allclose(
        plain.points.loc[later, "model"].dropna(), got["model"].dropna().to_numpy()
    )
    assert plain.manifest["refit"] == {}


@pytest.mark.parametrize(
    "refit, overrides, message",
    [
        ("remittance_elasticity", [], "expected 'auto', 'none' or a list"),
        (["auto", "stall_hazard"], [], "stand alone"),
        (["none", "auto"], [], "stand alone"),
        (["trade_trend"], [], "expected some of ['remittance_elasticity', 'stall_hazard']"),
        (["remittance_elasticity"], [f"{PATH}=1.2"], "drop the --set of it"),
    ],
)
def test_bad_refits_are_refused_before_any_run(refit, overrides, message):
    with pytest.raises(PolarsimInputError) as err:
        sk.check_refit(refit, overrides, None)
    assert message in str(err.value) and err.value.field == "--refit"


def test_a_posterior_that_draws_the_parameter_is_refused():
    sets = [[f"{PATH}=1.5", "parameters.trade.noise_sd=0.1"]]
    with pytest.raises(PolarsimInputError, match="draws too"):
        sk.check_refit(["remittance_elasticity"], [], (sets, np.ones(1)))
    assert sk.check_refit(["remittance_elasticity"], [], ([["parameters.trade.noise_sd=1"]], None))
    # by default a drawn parameter is the calibration's, the others are re-estimated
    assert sk.check_refit("auto", [], (sets, np.ones(1))) == ["stall_hazard"]


def test_by_default_every_estimated_parameter_the_user_leaves_alone_is_refitted():
    assert sk.check_refit("auto", [], None) == list(sk.REFIT_NAMES)
    assert sk.check_refit(["auto"], [], None) == list(sk.REFIT_NAMES)
    import warnings

    from polarsim.errors import PolarsimNote

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PolarsimNote)
        assert sk.check_refit("auto", [f"{PATH}=1.2"], None) == ["stall_hazard"]
    notes = [str(w.message) for w in caught if issubclass(w.category, PolarsimNote)]
    assert notes == ["remittance_elasticity not re-estimated at the origins: --set gives it"]
    assert sk.check_refit("none", [], None) == sk.check_refit(["none"], [], None) == []
    import inspect

    from polarsim.validation.forecast import forecast

    for f in (sk.skill, forecast):
        assert inspect.signature(f).parameters["refit"].default == sk.REFIT_AUTO


def test_the_command_offers_the_modules_refits():
    from polarsim.validation.cli import SKILL_REFITS

    assert SKILL_REFITS == sk.REFIT_NAMES
    assert set(sk._refits()) == set(sk.REFIT_NAMES)


def test_the_skill_command_prints_the_values(tmp_path, capsys):
    from polarsim.cli import main

    rc = main(["skill", str(SCENARIOS / "historical.yaml"), "--origins", "2011:2013",
               "--series", "remittances", "--replicates", "1", "--refit",
               "remittance_elasticity", "--no-figures", "--out", str(tmp_path / "s")])  # fmt: skip
    assert rc == 0
    out = capsys.readouterr().out
    line = next(r for r in out.splitlines() if r.startswith("remittance_elasticity re-estimated"))
    assert f"2011 {estimates.remittance_elasticity(2011).value:.2f}" in line
    manifest = pd.read_json(tmp_path / "s" / "manifest.json", typ="series")
    assert manifest["refit"]["remittance_elasticity"]["path"] == PATH


def test_the_forecast_from_2015_keeps_its_medians_and_takes_its_band_from_refitted_origins():
    from polarsim.validation.forecast import forecast

    kw = dict(origins=(2009, 2012, 2015), last_year=2017, replicates=1, seed=2,
              series=["remittances"])  # fmt: skip
    plain = forecast(SCENARIOS / "historical.yaml", refit="none", **kw)
    refit = forecast(SCENARIOS / "historical.yaml", refit=["remittance_elasticity"], **kw)
    values = refit.manifest["refit"]["remittance_elasticity"]["values"]
    # the estimate from the data to 2015 is the shipped value: the same forecast
    assert values["2015"] == RemittanceParams().source_gdp_elasticity
    assert values["2012"] == round(estimates.remittance_elasticity(2012).value, 2)
    assert refit.points["model"].to_numpy() == pytest.approx(plain.points["model"].to_numpy())
    # the band rests on the 2009 and 2012 forecasts' errors, made with their estimates
    assert not np.allclose(refit.points["model_lower"], plain.points["model_lower"])


def test_the_shipped_stall_hazard_is_the_estimate_from_the_projects_to_2015():
    from polarsim.scenario.parameters import InfrastructureParams

    sc = load_scenario(SCENARIOS / "historical.yaml")
    e = estimates.stall_hazard(sc, 2015)
    assert e.n == 3 and round(e.value, 2) == InfrastructureParams().stall_hazard


def test_the_stall_hazard_up_to_an_origin_knows_only_what_happened_by_then():
    sc = load_scenario(SCENARIOS / "historical.yaml")
    rows = estimates.stall_episodes(sc, 2010)
    assert rows and all(r["agreed"] <= 2010 for r in rows)
    assert all(r["opened"] is None or r["opened"] <= 2010 for r in rows)
    # no project was late by 2009: a forecaster of 2009 knew of no stall
    assert estimates.stall_hazard(sc, 2009).value == 0.0
    values = sk.refit_values(["stall_hazard"], [2009, 2012, 2015], sc)["stall_hazard"]
    assert values == {2009: 0.0, 2012: round(estimates.stall_hazard(sc, 2012).value, 2), 2015: 0.1}


def test_origins_after_the_bundled_data_take_the_estimate_to_2015_with_a_note():
    # later observation files may add origins after 2015; the estimates read the
    # bundled data alone: the value known in 2015, not a look-ahead, and said so
    import warnings

    from polarsim.errors import PolarsimNote

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PolarsimNote)
        values = sk.refit_values(["remittance_elasticity"], [2014, 2016, 2017])
    notes = [str(w.message) for w in caught if issubclass(w.category, PolarsimNote)]
    assert len(notes) == 1 and "(2016, 2017)" in notes[0] and "end in 2015" in notes[0]
    v = values["remittance_elasticity"]
    assert v[2016] == v[2017] == RemittanceParams().source_gdp_elasticity != v[2014]
    assert sk.refit_values([], [2014, 2016]) == {}


def test_a_refitted_value_stays_within_a_range_whose_bounds_have_more_decimals(monkeypatch):
    # clipped, then rounded to REFIT_DIGITS, an estimate above a bound of 0.996 became
    # 1.0, outside the parameter's range
    from polarsim.validation import skill as sk

    refit = sk.Refit("parameters.infrastructure.stall_hazard", lambda sc, o: 2.0, 0.004, 0.996)
    low = sk.Refit("parameters.infrastructure.stall_hazard", lambda sc, o: 0.0, 0.004, 0.996)
    monkeypatch.setattr(sk, "_refits", lambda: {"stall_hazard": refit, "low": low})
    got = sk.refit_values(["stall_hazard", "low"], [2010])
    assert got == {"stall_hazard": {2010: 0.996}, "low": {2010: 0.004}}


def test_a_clipped_estimate_is_named_in_a_note_and_names_repeat_once():
    import warnings

    from polarsim.errors import PolarsimNote

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PolarsimNote)
        values = sk.refit_values(["remittance_elasticity"], [2005, 2010])
    notes = [str(w.message) for w in caught if issubclass(w.category, PolarsimNote)]
    raw = estimates.remittance_elasticity(2005).value
    assert len(notes) == 1 and f"2005 ({raw:.2f})" in notes[0] and "2010" not in notes[0]
    assert "[0, 3]" in notes[0] and values["remittance_elasticity"][2005] == 3.0
    assert sk.check_refit(["stall_hazard", "stall_hazard"], [], None) == ["stall_hazard"]
    assert sk.check_refit(None, [], None) == []


def test_the_command_refits_by_default_and_keeps_the_shipped_values_with_none(tmp_path, capsys):
    from polarsim.cli import main

    def run(*refit):
        out = tmp_path / f"s{len(refit)}"
        rc = main(["skill", str(SCENARIOS / "historical.yaml"), "--origins", "2011:2013",
                   "--series", "remittances", "--replicates", "1", *refit, "--no-figures",
                   "--out", str(out)])  # fmt: skip
        manifest = pd.read_json(out / "manifest.json", typ="series")
        return rc, capsys.readouterr().out, manifest["refit"]

    rc, out, refit = run()
    assert rc == 0 and set(refit) == set(sk.REFIT_NAMES)
    assert "stall_hazard re-estimated at each origin" in out
    rc, out, refit = run("--refit", "none")
    assert rc == 0 and refit == {} and "re-estimated" not in out
    rc = main(["skill", str(SCENARIOS / "historical.yaml"), "--refit", "auto", "stall_hazard",
               "--out", str(tmp_path / "bad")])  # fmt: skip
    assert rc != 0 and "stand alone" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()


def test_by_default_an_origin_without_an_estimate_keeps_the_scenarios_value_with_a_note():
    # the data up to 2001 hold one yearly change: no estimate. An explicit --refit
    # refuses it; the default keeps the shipped value for it, named in a note
    import warnings

    from polarsim.errors import PolarsimNote

    with pytest.raises(PolarsimInputError, match="too few years"):
        sk.refit_values(["remittance_elasticity"], [2001, 2010])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PolarsimNote)
        values = sk.refit_values(
            ["remittance_elasticity"], [2001, 2010], unknown_keeps_scenario=True
        )
    assert list(values["remittance_elasticity"]) == [2010]
    notes = [str(w.message) for w in caught if issubclass(w.category, PolarsimNote)]
    assert any("up to 2001 are too few" in n and "in sample" in n for n in notes)
    assert sk.refit_is_auto("auto") and sk.refit_is_auto(["auto"])
    assert not sk.refit_is_auto(["remittance_elasticity"]) and not sk.refit_is_auto(None)
    # the runs from 2001 get no override: the scenario's value
    kw = dict(origins=(2001, 2003), last_year=2005, replicates=1, seed=1,
              series=["remittances"], report_from=2003)  # fmt: skip
    s = sk.skill(SCENARIOS / "historical.yaml", **kw)
    assert "2001" not in s.manifest["refit"]["remittance_elasticity"]["values"]
    kept = sk.skill(SCENARIOS / "historical.yaml", refit="none", **kw).points
    first = (s.points["origin"] == 2001).to_numpy()
    assert s.points.loc[first, "model"].to_numpy() == pytest.approx(
        kept.loc[first, "model"].to_numpy(), nan_ok=True
    )


def test_a_generator_of_names_is_read_once_and_auto_given_twice_is_auto():
    # refit_is_auto used to read a generator to its end, leaving check_refit nothing:
    # an explicit request was dropped without a word
    kw = dict(origins=(2012, 2013), last_year=2014, replicates=1, seed=1,
              series=["remittances"])  # fmt: skip
    s = sk.skill(SCENARIOS / "historical.yaml", refit=(n for n in ["stall_hazard"]), **kw)
    assert list(s.manifest["refit"]) == ["stall_hazard"]
    # check_refit reads ['auto', 'auto'] as auto: so must the origins without an estimate
    assert sk.refit_is_auto(["auto", "auto"]) and sk.refit_is_auto(iter(["auto"]))
    with pytest.raises(PolarsimInputError, match="expected 'auto', 'none' or a list") as err:
        sk.check_refit(5, [], None)
    assert err.value.field == "--refit"


def test_an_origin_that_kept_the_scenarios_value_is_in_the_manifest_and_printed(capsys):
    # a parameter re-estimated at no origin was listed as re-estimated, with no values
    from polarsim.validation.cli import _print_refit

    sc = load_scenario(SCENARIOS / "historical.yaml")
    man = sk.refit_manifest({"stall_hazard": {}, "remittance_elasticity": {2002: 3.0}},
                            [2001, 2002], sc)  # fmt: skip
    assert man["stall_hazard"]["kept_scenario_value"] == {"origins": [2001, 2002], "value": 0.1}
    assert man["remittance_elasticity"]["kept_scenario_value"]["origins"] == [2001]
    assert "kept_scenario_value" not in sk.refit_manifest({"stall_hazard": {2010: 0.07}}, [2010])
    _print_refit(man)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("stall_hazard re-estimated at no origin")
    assert "kept at 2001, 2002" in out[0]
    assert out[1].endswith("2002 3.00; the scenario's value (1.65) kept at 2001: too few data")


def test_auto_leaves_alone_a_parameter_the_scenario_file_sets(tmp_path):
    # a calibrated or what-if scenario's stall hazard was replaced by the estimate at
    # the origins that had one and kept at the others
    import warnings

    from polarsim.errors import PolarsimNote

    f = tmp_path / "custom.yaml"
    f.write_text(f"extends: {SCENARIOS / 'historical.yaml'}\n"
                 "parameters:\n  infrastructure:\n    stall_hazard: 0.3\n")  # fmt: skip
    sc = load_scenario(f)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PolarsimNote)
        assert sk.check_refit("auto", [], None, sc) == ["remittance_elasticity"]
    notes = [str(w.message) for w in caught if issubclass(w.category, PolarsimNote)]
    assert (
        len(notes) == 1
        and "scenario sets parameters.infrastructure.stall_hazard to 0.3" in notes[0]
    )
    # named explicitly it is re-estimated; the shipped scenario is refitted whole
    assert sk.check_refit(["stall_hazard"], [], None, sc) == ["stall_hazard"]
    historical = load_scenario(SCENARIOS / "historical.yaml")
    assert sk.check_refit("auto", [], None, historical) == list(sk.REFIT_NAMES)
