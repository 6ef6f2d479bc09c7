"""Mechanisms inside the model: comparisons of two runs that differ in one input, with
common random numbers (same seed)."""

import numpy as np

from polarsim import run
from polarsim.scenario import build_scenario


def _scenario(**extra):
    data = {
        "name": "t",
        "time": {"start_year": 2005, "end_year": 2016},
        "parameters": {"trade": {"noise_sd": 0.0}},
    }
    data.update(extra)
    return build_scenario(data)


PIPELINE = {
    "type": "project",
    "name": "test pipeline",
    "year": 2006,
    "sponsor": "CHN",
    "hosts": ["KGZ"],
    "kind": "gas_pipeline",
    "capacity": 5.0,
    "cost_usd_bn": 2.0,
    "operating_year": 2008,
}


def _mean(states, year, state, column):
    r = states[(states["year"] == year) & (states["state"] == state)]
    return float(r[column].mean())


def test_operating_pipeline_raises_sponsor_trade_share_with_host():
    base = run(_scenario(), seed=4, replicates=3).states
    piped = run(_scenario(events=[PIPELINE]), seed=4, replicates=3).states
    assert (
        _mean(piped, 2012, "KGZ", "trade_share_CHN")
        > _mean(base, 2012, "KGZ", "trade_share_CHN") + 0.05
    )
    assert _mean(piped, 2012, "KGZ", "infra_share_CHN") > _mean(
        base, 2012, "KGZ", "infra_share_CHN"
    )
    # before it operates, nothing changes
    assert _mean(piped, 2007, "KGZ", "trade_share_CHN") == _mean(
        base, 2007, "KGZ", "trade_share_CHN"
    )


def test_coercion_lowers_ties_to_the_rival():
    rivals = ["CHN", "USA", "EU"]
    mild = run(
        _scenario(powers={"RUS": {"exclusivity": 0.0}, "CHN": {}, "USA": {}, "EU": {}, "TUR": {}}),
        seed=5,
        replicates=4,
    )
    harsh = run(
        _scenario(
            powers={"RUS": {"exclusivity": 1.0}, "CHN": {}, "USA": {}, "EU": {}, "TUR": {}},
            parameters={"trade": {"noise_sd": 0.0}, "coercion": {"rate": 10.0}},
        ),
        seed=5,
        replicates=4,
    )
    assert (harsh.events["kind"] == "coercion").sum() > (mild.events["kind"] == "coercion").sum()

    def rival_ties(states):
        late = states[states["year"] == 2016]
        cols = [f"{a}_share_{p}" for a in ("trade", "security") for p in rivals]
        return late[cols].to_numpy().mean()

    assert rival_ties(harsh.states) < rival_ties(mild.states)


def test_sanctions_on_russia_lower_its_trade_shares():
    sanctions = {
        "type": "sanctions",
        "year": 2007,
        "imposers": ["EU", "USA"],
        "target": "RUS",
        "intensity": 1.0,
    }
    base = run(_scenario(), seed=2).states
    sanc = run(_scenario(events=[sanctions]), seed=2).states
    late = lambda s: s[s["year"] == 2014]["trade_share_RUS"].to_numpy()  # noqa: E731
    assert (late(sanc) < late(base)).all()


def test_customs_union_pulls_trade_toward_russia():
    join = {
        "type": "membership",
        "year": 2007,
        "state": "UZB",
        "institution": "EAEU",
        "action": "join",
    }
    base = run(_scenario(), seed=2).states
    cu = run(_scenario(events=[join]), seed=2).states
    assert _mean(cu, 2012, "UZB", "trade_share_RUS") > _mean(base, 2012, "UZB", "trade_share_RUS")
    # the wall falls on imports: China's trade, mostly Uzbek imports, loses against
    # Russia's (whether its share falls depends on what the others lose)
    ratio = lambda s: (  # noqa: E731
        _mean(s, 2012, "UZB", "trade_share_CHN") / _mean(s, 2012, "UZB", "trade_share_RUS")
    )
    assert ratio(cu) < ratio(base)


def test_hedging_emerges_from_autonomy_preference():
    """Same offers, different autonomy preference: the autonomy-minded state ends up
    less concentrated. Nothing in the code tells it to balance."""
    lo = run(_scenario(states={"KAZ": {"autonomy_preference": 0.0}}), seed=1).states
    hi = run(_scenario(states={"KAZ": {"autonomy_preference": 1.0}}), seed=1).states
    hhi = lambda s: s[s["year"] == 2016]["security_hhi"].iloc[0]  # noqa: E731
    assert hhi(hi) < hhi(lo)
    assert np.isfinite(hhi(hi))


def test_power_line_fit_follows_its_hydro_weight():
    """The power line's fit for a host is (1 - w) + w x hydro: with weight 0 every host
    fits fully, with 1 only as far as its hydro endowment; the shipped 0.5 is the old
    (1 + hydro) / 2. A sweep over the weight must see its own kind probabilities, not a
    set-up's memo of another weight."""
    from polarsim.model.mechanisms.projects import PROJECT_KINDS, kind_weights
    from polarsim.model.setup import prepare
    from polarsim.scenario import load_scenario
    from tests.conftest import SCENARIOS

    line = PROJECT_KINDS.index("power_line")
    prefs = {"power_line": 1.0, "railway": 1.0}
    fit = lambda w, hydro: kind_weights(prefs, 0.0, hydro, 1.0, w)[line]  # noqa: E731
    assert fit(0.0, 0.0) == fit(0.0, 1.0) == 0.5  # fit 1 against the railway's 1
    assert fit(1.0, 0.0) == 0.0 and fit(1.0, 1.0) == 0.5
    assert fit(0.5, 0.2) == 0.6 / 1.6  # (1 + 0.2) / 2 against 1

    path = SCENARIOS / "baseline.yaml"
    cdfs = [
        prepare(
            load_scenario(path, [f"parameters.infrastructure.power_line_hydro_weight={w}"])
        ).kind_cdf
        for w in (0.0, 1.0)
    ]
    assert not np.array_equal(cdfs[0], cdfs[1])
