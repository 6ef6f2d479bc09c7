"""The projects' life cycle (model/pipeline.py): its one loop gives the numbers of the
rules written plainly, to the last bit; the projects table and the counts agree with
the events; power entry keeps every project's sponsor."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from polarsim import CompetitionModel, load_scenario
from polarsim.model import pipeline
from polarsim.model.mechanisms import projects
from polarsim.model.pipeline import (
    BUILT,
    HOSTS,
    OPERATING_YEAR,
    PROPOSED,
    REFUSED,
    SPONSOR,
    STALLED,
    STATUS,
    UNDER_CONSTRUCTION,
    ProjectPipeline,
    shuffle,
    stall_hazard,
)
from polarsim.model.setup import prepare
from polarsim.model.synthetic import synthetic_setup
from polarsim.scenario.events import PROJECT_KINDS
from polarsim.scenario.overrides import with_params
from tests.conftest import SCENARIOS


class PlainPipeline(ProjectPipeline):
    """The rules written plainly: Python's own shuffle; each project draws its uniform
    when it needs one; the host's acceptance and the stall hazard computed for every
    project from the formulas (mechanisms/projects.py, pipeline.stall_hazard), no
    memo or table; each power's proposals drawn one at a time with draw_kind and
    lognormal_cost."""

    def propose(self, m, counts):
        su, prm, rng = m.setup, m.params.infrastructure, m.rng_projects
        for p in range(len(su.powers)):
            for s in range(len(su.states)):
                for _ in range(int(counts[s, p])):
                    kind = PROJECT_KINDS[projects.draw_kind(rng, su.kind_cdf[p, s])]
                    cost = projects.lognormal_cost(rng, prm.mean_cost_usd_bn * m.price_scale)
                    power, code = su.powers[p], su.states[s]
                    name = f"{power}-{code}-{kind}-{m.year}"
                    record = [PROPOSED, 0, p, p, [s], np.eye(len(su.states))[s]]
                    record += [cost * prm.capacity_per_usd_bn[kind], kind, cost]
                    record += [float(su.loan_share[p]), None, 0.0, True, name, power, code]
                    record += [m.year, None]
                    self.records.append(record)
                    self.live.append(record)
                    self.counts[PROPOSED] += 1
                    m.log_event("project_proposed", power, code, f"{name} ({kind})", cost)

    def step(self, m):
        order = list(self.live)
        m.random.shuffle(order)
        prm = m.params.infrastructure
        sponsor_part, host_part, _ = pipeline._stall_terms(m)
        for r in order:
            status, event = r[STATUS], None
            if status == UNDER_CONSTRUCTION:
                if r[OPERATING_YEAR] is not None:
                    if m.year >= r[OPERATING_YEAR]:
                        self._open(m, r)
                        self._drop(r)
                    continue
                hazard = stall_hazard(r, prm.stall_hazard, sponsor_part, host_part)
                if m.rng_projects.random() < hazard:
                    event = ("project_stalled", STALLED)
                else:
                    r[BUILT] += 1
                    if r[BUILT] >= prm.build_years[r[pipeline.KIND]]:
                        self._open(m, r)
                        self._drop(r)
                    continue
            elif status == PROPOSED:
                u = m.rng_projects.random()
                s, sponsor = r[HOSTS][0], r[SPONSOR]
                debt_ratio = m.ties.debt[s].sum() * 1000.0 / m.gdp_state[s]
                p = projects.acceptance_probability(
                    float(m.receptivity[0][s, sponsor]), debt_ratio, prm
                )
                if u < p:
                    event = ("project_accepted", UNDER_CONSTRUCTION)
                else:
                    event = ("project_refused", REFUSED)
                    self._drop(r)
            elif status == STALLED and m.rng_projects.random() < prm.resume_rate:
                event = ("project_resumed", UNDER_CONSTRUCTION)
            if event is not None:
                kind, new = event
                self.counts[status] -= 1
                self.counts[new] += 1
                r[STATUS] = new
                m.log_event(
                    kind,
                    r[pipeline.SPONSOR_CODE],
                    r[pipeline.HOST_CODES],
                    r[pipeline.NAME],
                    r[pipeline.COST],
                )

    def _drop(self, r):
        # by identity: a record's fields include arrays, which == does not compare
        self.live = [x for x in self.live if x is not r]


class PlainModel(CompetitionModel):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assert len(self.pipeline) == 0  # dated projects agree from the first step on
        self.pipeline = PlainPipeline(self)


def _run(cls, setup, seed):
    m = cls(setup, rng=np.random.default_rng(seed))
    while m.running:
        m.step()
    return m


#: many proposals, and debt that weighs on each host's decisions: a project that opens
#: moves the acceptance of the next proposal to its host in the same year
HEAVY = {
    "parameters.infrastructure.proposal_rate": 2.0,
    "parameters.infrastructure.debt_aversion": 10.0,
}


def _setup(which):
    if which == "synthetic":
        return synthetic_setup(6, 4)
    if which == "heavy":
        return prepare(with_params(load_scenario(SCENARIOS / "baseline.yaml"), HEAVY))
    return prepare(load_scenario(SCENARIOS / which))


@pytest.mark.parametrize(
    "which",
    ["baseline.yaml", "historical.yaml", "southern_corridor.yaml", "synthetic", "heavy"],
)
def test_loop_is_the_plain_rules(which):
    """Baseline; dated projects with several hosts and route risk (historical); a power
    that enters during the run (southern_corridor); a synthetic set-up; many projects
    whose debt weighs on the next decisions (heavy)."""
    setup = _setup(which)
    for seed in (3, 11):
        fast, plain = _run(CompetitionModel, setup, seed), _run(PlainModel, setup, seed)
        a, b = fast.recorder.tables(fast.events), plain.recorder.tables(plain.events)
        for name in ("states", "system", "events"):
            pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)
        kinds = set(a["events"]["kind"])
        assert {"project_operating", "project_stalled", "project_refused"} <= kinds


def test_stall_hazard_formula():
    """base + route risk + the sponsor's part (none for the other partners) + the
    highest of its hosts' parts, at most 1."""
    r = [None] * 18
    sponsor_part, host_part = [0.2, 0.4], [0.01, 0.3, 0.02]
    r[SPONSOR], r[HOSTS], r[pipeline.ROUTE_RISK] = 0, [0, 2], 0.1
    assert stall_hazard(r, 0.05, sponsor_part, host_part) == pytest.approx(0.05 + 0.1 + 0.2 + 0.02)
    r[SPONSOR], r[HOSTS] = -1, [1]
    assert stall_hazard(r, 0.05, sponsor_part, host_part) == pytest.approx(0.05 + 0.1 + 0.3)
    r[SPONSOR], r[pipeline.ROUTE_RISK] = 1, 0.9
    assert stall_hazard(r, 0.05, sponsor_part, host_part) == 1.0


def test_projects_table_agrees_with_counts_and_events():
    setup = prepare(load_scenario(SCENARIOS / "historical.yaml"))
    m = _run(CompetitionModel, setup, 4)
    table = m.projects
    events = m.recorder.tables(m.events)["events"]
    made = events["kind"].isin(["project_proposed", "project_agreed"])
    assert len(table) == made.sum() == len(m.pipeline)
    assert table["status"].value_counts().to_dict() == {
        k: v for k, v in m.project_counts.items() if v
    }
    opened = table[table["status"] == "operating"]
    assert len(opened) == (events["kind"] == "project_operating").sum()
    assert opened["opened_year"].notna().all()
    assert table.loc[table["status"] != "operating", "opened_year"].isna().all()
    # the recorder's last row counts what the table holds
    last = m.recorder.tables(m.events)["system"].iloc[-1]
    for status in ("under_construction", "operating", "stalled"):
        assert last[f"projects_{status}"] == (table["status"] == status).sum()
    # dated projects keep their opening year, the powers' proposals have none
    dated = table["operating_year"].notna()
    assert dated.any() and (table.loc[dated, "opened_year"] >= table.loc[dated, "year"]).all()


def test_power_entry_keeps_each_projects_sponsor():
    """After a power enters, every project's power index names the power it had."""
    setup = prepare(load_scenario(SCENARIOS / "southern_corridor.yaml"))
    m = _run(CompetitionModel, setup, 2)
    assert any(kind == "power_enters" for _, _, kind, *_ in m.events)
    powers = m.setup.powers
    for r in m.pipeline.records:
        if r[SPONSOR] >= 0:
            assert powers[r[SPONSOR]] == r[pipeline.SPONSOR_CODE]


def test_stall_table_is_the_stall_hazard():
    """The yearly table a plain project reads gives stall_hazard's number, every
    (sponsor, host) and the other partners' row, in every year of a run."""
    setup = prepare(load_scenario(SCENARIOS / "baseline.yaml"))
    m = CompetitionModel(setup, rng=np.random.default_rng(5))
    S, P = len(setup.states), len(setup.powers)
    base = m.params.infrastructure.stall_hazard
    while m.running:
        m.step()
        sponsor_part, host_part, table = pipeline._stall_terms(m)
        for sponsor in [*range(P), -1]:
            for host in range(S):
                r = [None] * 18
                r[SPONSOR], r[HOSTS], r[pipeline.ROUTE_RISK] = sponsor, [host], 0.0
                assert table[sponsor][host] == stall_hazard(r, base, sponsor_part, host_part)


def test_inline_shuffle_is_random_shuffle():
    """pipeline.shuffle swaps as CPython's Random.shuffle does, from the same draws (the
    generators end in the same state); a subclass with its own draws shuffles its way."""
    for n in [0, 1, 2, 3, 7, 8, 9, 31, 64, 65, 200]:
        for seed in range(5):
            a, b = random.Random(seed), random.Random(seed)
            x, y = list(range(n)), list(range(n))
            shuffle(a, x)
            b.shuffle(y)
            assert x == y and a.getstate() == b.getstate()

    class Other(random.Random):
        def _randbelow(self, n):
            return 0

    x, y = list(range(10)), list(range(10))
    shuffle(Other(1), x)
    Other(1).shuffle(y)
    assert x == y


def test_dated_count_is_the_live_dated_projects():
    """`dated` counts the live projects with a dated opening, which steer which
    projects draw a uniform (ProjectPipeline._uniforms): every year, as counted."""
    m = CompetitionModel(prepare(load_scenario(SCENARIOS / "historical.yaml")), rng=3)
    seen = 0
    while m.running:
        m.step()
        live = m.pipeline.live
        assert m.pipeline.dated == sum(r[OPERATING_YEAR] is not None for r in live)
        seen = max(seen, m.pipeline.dated)
    assert seen  # the scenario has dated projects under construction
