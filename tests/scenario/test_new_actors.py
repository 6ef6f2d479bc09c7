"""Actors from the scenario file: a power or a state the code and data do not know,
defined with its attributes; the outputs carry its columns."""

import pytest

from polarsim import run
from polarsim.errors import PolarsimInputError
from polarsim.scenario import build_scenario

GULF = {
    "name": "Gulf states",
    "doctrine": "opportunist",
    "budget_pct_gdp": 0.02,
    "exclusivity": 0.1,
    # illustrative values for the test, not data
    "gdp": {"usd_bn": {2005: 700, 2015: 1400, 2023: 2100}},
    "initial_ties": {"KAZ": {"trade_share": 0.01}, "UZB": {"trade_share": 0.02}},
}
AFG = {
    "name": "Afghanistan",
    "doctrine": "dependent",
    "endowments": {"hydrocarbons": 0.1, "minerals": 0.5, "hydro": 0.3},
    "threat": 1.0,
    # GDP 2005, 2010, 2015 from WDI (datahub datasets/gdp, 2017 vintage); the rest
    # illustrative values for the test
    "gdp": {"usd_bn": {2005: 6.28, 2010: 15.94, 2015: 19.22}},
    "initial_trade_usd_m": 4000,
    "initial_trade_shares": {"USA": 0.10, "RUS": 0.05, "CHN": 0.05, "EU": 0.10},
    "initial_security_tiv_musd": 500,
    "initial_security_shares": {"USA": 0.8, "RUS": 0.1},
    "remittances_pct_gdp": 5.0,
    "remittance_shares": {"RUS": 0.3},
}


def _scenario(**extra):
    base = {"name": "new-actors", "time": {"start_year": 2005, "end_year": 2020}}
    base.update(extra)
    return build_scenario(base)


def test_new_power_and_state_run_and_carry_columns():
    s = _scenario(
        powers={"CHN": {}, "RUS": {}, "USA": {}, "EU": {}, "TUR": {}, "GULF": GULF},
        states={"KAZ": {}, "UZB": {}, "KGZ": {}, "TJK": {}, "TKM": {}, "AFG": AFG},
        relations={"GULF-USA": -0.3, "GULF-IRN": 0.8},
    )
    res = run(s, seed=3, replicates=2)
    states = res.states
    assert "AFG" in set(states["state"])
    for arena in ("trade", "infra", "security"):
        assert f"{arena}_share_GULF" in states
    start = states[(states["year"] == 2005) & (states["replicate"] == 0)].set_index("state")
    assert start.loc["KAZ", "trade_share_GULF"] == pytest.approx(0.01)
    assert start.loc["AFG", "trade_share_USA"] == pytest.approx(0.10)
    assert start.loc["AFG", "security_share_USA"] == pytest.approx(0.8)
    assert start.loc["AFG", "gdp_usd_bn"] == pytest.approx(6.28)
    assert states["autonomy_index"].between(0, 1).all()
    assert "influence_share_GULF" in res.system


def test_new_actor_without_gdp_is_a_clear_error():
    bad = {k: v for k, v in GULF.items() if k != "gdp"}
    with pytest.raises(PolarsimInputError, match=r"powers\.GULF\.gdp"):
        run(_scenario(powers={"CHN": {}, "GULF": bad}), seed=0)


def test_new_state_without_trade_is_a_clear_error():
    bad = {k: v for k, v in AFG.items() if not k.startswith("initial_trade")}
    with pytest.raises(PolarsimInputError, match="initial_trade_usd_m"):
        run(_scenario(states={"KAZ": {}, "AFG": bad}), seed=0)


def test_validate_finds_a_new_actor_without_gdp_or_trade(tmp_path):
    # both passed `polarsim validate` (exit 0), then `polarsim run` failed without
    # naming the file
    from polarsim.checks import check_file

    path = tmp_path / "x.yaml"
    path.write_text(
        "time: {start_year: 2005, end_year: 2020}\n"
        "powers:\n  CHN: {}\n  GULF: {name: Gulf states, doctrine: opportunist}\n"
        "states:\n  KAZ: {}\n  AFG:\n    name: Afghanistan\n    doctrine: dependent\n"
        "    endowments: {hydrocarbons: 0.1, minerals: 0.5, hydro: 0.3}\n"
    )
    problems = check_file(path).problems
    assert [(p.file, p.path) for p in problems] == [
        (str(path), "powers.GULF.gdp"),
        (str(path), "states.AFG.gdp"),
        (str(path), "states.AFG.initial_trade_usd_m"),
    ]
    assert "gdp: {usd_bn: {YEAR: VALUE}}" in problems[0].message
    assert "initial_trade_shares" in problems[2].message


def test_share_and_tie_keys_must_name_known_actors():
    # a typo'd code was accepted and its share silently went to the other partners
    from polarsim.scenario.load import check_data

    afg = {**AFG, "initial_trade_shares": {"USZ": 0.1}, "initial_security_shares": {"RUS": 0.1}}
    gulf = {**GULF, "initial_ties": {"KZA": {"trade_share": 0.01}}}
    _, problems = check_data(
        {
            "name": "typos",
            "time": {"start_year": 2005, "end_year": 2020},
            "powers": {"CHN": {}, "GULF": gulf},
            "states": {"KAZ": {"remittance_shares": {"RUZ": 0.1}}, "AFG": afg},
        }
    )
    assert [p.path for p in problems] == [
        "powers.GULF.initial_ties.KZA",
        "states.KAZ.remittance_shares.RUZ",
        "states.AFG.initial_trade_shares.USZ",
    ]
    assert "did you mean 'RUS'" in problems[1].message


def test_a_gdp_of_one_year_needs_growth_pct():
    """One year gives no trend to continue: every later GDP came out NaN."""
    one_year = {**AFG, "gdp": {"usd_bn": {2005: 6.28}}}
    with pytest.raises(PolarsimInputError, match="gives one year.*growth_pct"):
        _scenario(states={"AFG": one_year})
    res = run(_scenario(states={"AFG": {**one_year, "growth_pct": 5.0}}), seed=1, replicates=1)
    afg = res.states[res.states["state"] == "AFG"]
    assert afg["autonomy_index"].notna().all() and len(afg) == 16
