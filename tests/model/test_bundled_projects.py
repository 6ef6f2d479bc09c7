"""Projects taken from the bundled projects.csv and not scripted in the scenario: the
table gives no capacity as a number, so they carry no modelled trade (their trade by
the start year is in the observed data) and add only their cost and loans to the
infrastructure ties (setup._build_project_events)."""

import numpy as np
import pytest

from polarsim import load_scenario
from polarsim.model.model import CompetitionModel
from polarsim.model.setup import initial_infrastructure, prepare, ramping_projects
from tests.conftest import SCENARIOS

LINE_B = "Central Asia-China gas pipeline Line B"


def _without_scripted_line_b():
    scenario = load_scenario(SCENARIOS / "historical_2010.yaml")  # Line B opened in 2010
    events = [e for e in scenario.events if getattr(e, "name", "") != LINE_B]
    return scenario.model_copy(update={"events": events})


def test_a_bundled_only_project_carries_no_modelled_trade():
    """Before: the bundled Line B took a placeholder capacity of 1.0 bcm/y, so a 2010
    start without the scenario's Line B ramped a made-up 125 USD m a year of TKM-CHN
    trade (1.0 x 250 x 0.5) and took half of it out of the observed gravity part."""
    scenario = _without_scripted_line_b()
    su = prepare(scenario)
    bundled = [e for e in su.initial_projects if e.name == LINE_B]
    assert bundled and bundled[0].source == "bundled projects.csv"
    assert all(v == 0.0 for v in bundled[0].host_flows().values())
    assert ramping_projects(scenario, su.initial_projects) == []
    # the gravity part is the observed start-year trade, and no project row carries trade
    assert su.gravity_start is None
    np.testing.assert_array_equal(su.gravity0, su.initial_ties.values[1])
    model = CompetitionModel(su, rng=np.random.default_rng(0))
    assert len(model.project_flows) == 0


def test_a_bundled_only_project_keeps_its_stock_and_debt():
    scenario = _without_scripted_line_b()
    su = prepare(scenario)
    ev = next(e for e in su.initial_projects if e.name == LINE_B)
    # the hosts share the cost equally (no flows to weigh them by)
    assert ev.host_weights() == {h: 1.0 / len(ev.hosts) for h in ev.hosts}
    others = [e for e in su.initial_projects if e.name != LINE_B]
    stock, _, debt = initial_infrastructure(scenario, others, su.loan_share)
    p = su.powers.index("CHN")
    for h in ev.hosts:
        s = su.states.index(h)
        share = ev.cost_usd_bn / len(ev.hosts)
        assert su.initial_ties.infra[s, p] - stock[s, p] == pytest.approx(share)
        assert su.initial_ties.debt[s, p] - debt[s, p] == pytest.approx(share * su.loan_share[p])
