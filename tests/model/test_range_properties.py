"""Property tests: for random parameter values, shares stay shares and metrics stay in
their ranges."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polarsim import run
from polarsim.scenario import build_scenario

pytestmark = pytest.mark.properties

unit = st.floats(0.0, 1.0)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    excl=st.lists(unit, min_size=5, max_size=5),
    autonomy=st.lists(unit, min_size=5, max_size=5),
    decisiveness=st.floats(0.2, 4.0),
    persistence=st.floats(0.0, 0.95),
    rate=st.floats(0.0, 20.0),
    noise=st.floats(0.0, 0.5),
    start=st.integers(2000, 2010),
    seed=st.integers(0, 2**31),
)
def test_shares_and_metrics_stay_in_range(
    excl, autonomy, decisiveness, persistence, rate, noise, start, seed
):
    powers = dict(zip(["CHN", "RUS", "USA", "EU", "TUR"], excl, strict=True))
    states = dict(zip(["KAZ", "UZB", "KGZ", "TJK", "TKM"], autonomy, strict=True))
    s = build_scenario(
        {
            "name": "prop",
            "time": {"start_year": start, "end_year": start + 12},
            "powers": {p: {"exclusivity": x} for p, x in powers.items()},
            "states": {c: {"autonomy_preference": a} for c, a in states.items()},
            "parameters": {
                "contest": {"decisiveness": decisiveness},
                "trade": {"persistence": persistence, "noise_sd": noise},
                "coercion": {"rate": rate},
            },
        }
    )
    states_df = run(s, seed=seed).states
    for arena in ("trade", "infra", "security"):
        cols = [c for c in states_df if c.startswith(f"{arena}_share_")]
        block = states_df[cols].to_numpy()
        assert ((block >= 0) & (block <= 1 + 1e-12)).all()
        np.testing.assert_allclose(block.sum(axis=1), 1.0, atol=1e-9)
        named = block[:, :-1].sum(axis=1)
        assert (named <= 1 + 1e-9).all()
        assert states_df[f"{arena}_hhi"].between(0, 1 + 1e-12).all()
        assert states_df[f"{arena}_entropy"].between(-1e-12, 1 + 1e-12).all()
    for col in ("autonomy_index", "hedging_index", "vulnerability", "diversification"):
        assert states_df[col].between(-1e-12, 1 + 1e-12).all(), col
