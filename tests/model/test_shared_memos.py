"""The run-independent memos and year terms of a set-up are shared by every set-up of
the process whose inputs to them are equal (`Setup.shared`): the design points of a
sweep share them as the replicates of one point do. A run that finds them filled by
other set-ups must give the tables of a run that works them out anew, whatever
parameter or array differs; and they must be shared where their inputs are equal, or
a design point pays for them again."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from polarsim.errors import PolarsimInputError
from polarsim.model import setup as model_setup
from polarsim.model.conditions import Conditions
from polarsim.model.model import CompetitionModel
from polarsim.model.setup import Setup, prepare
from polarsim.model.synthetic import synthetic_setup
from polarsim.model.ties import Ties
from polarsim.model.yearly import YearTerms
from polarsim.scenario import Scenario
from polarsim.scenario.load import ScenarioSource
from polarsim.scenario.parameters import Parameters
from tests.conftest import SCENARIOS

BASELINE = SCENARIOS / "baseline.yaml"
#: the baseline's first years: events, memberships and stances change in them
SHORT = ["time.end_year=2019"]
#: The short baseline with an event of every kind in its years and the parameters whose
#: default 0 would leave an input unread, so that every memo's inputs matter to the run
#: (unrest, war, sanctions on a power and on a state, retrenchment, prices, stances,
#: coordination, memberships).
EVENTS = """
time: {end_year: 2019}
parameters:
  trade: {sanctions_busting: 0.5, customs_union_internal_gain: 0.2}
add_events:
  - {type: unrest, year: 2016, end_year: 2017, state: KAZ, intensity: 0.5}
  - {type: war, year: 2017, power: RUS, capacity_diverted: 0.2}
  - {type: sanctions, year: 2016, imposers: [EU, USA], target: UZB, intensity: 0.4}
  - {type: sanctions, year: 2017, imposers: [CHN], target: USA, intensity: 0.3}
  - {type: retrenchment, year: 2017, power: CHN, budget_change: -0.2}
  - {type: commodity_shock, year: 2016, commodity: gas, price_change: 0.5}
  - {type: posture, year: 2017, power: TUR, exclusivity: 0.8, budget_pct_gdp: 0.05}
  - {type: coordination, year: 2017, value: 0.5}
  - {type: membership, year: 2017, state: UZB, institution: CSTO, action: join}
"""
#: fractions of a parameter's range for its other value
FRACTIONS = (0.2, 0.37, 0.5, 0.63, 0.8)
#: the autonomy weights sum to 1: a change of one is taken from another
WEIGHTS = ("weight_diversification", "weight_hedging", "weight_invulnerability", "weight_freedom")


def _tables(su: Setup, seed: int = 3) -> dict[str, pd.DataFrame]:
    m = CompetitionModel(su, seed=seed)
    while m.running:
        m.step()
    return m.tables()


def _differences(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> list[str]:
    out = []
    for name in a:
        if a[name].equals(b[name]):  # the quick check; the slow one says what differs
            continue
        try:
            pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)
        except AssertionError as e:
            out.append(f"{name}: {str(e)[:300]}")
    return out


def _bounds(field) -> tuple[float | None, float | None]:
    lo = hi = None
    for meta in field.metadata:
        for name in ("ge", "gt"):
            lo = getattr(meta, name, None) if getattr(meta, name, None) is not None else lo
        for name in ("le", "lt"):
            hi = getattr(meta, name, None) if getattr(meta, name, None) is not None else hi
    return lo, hi


def _candidates(field, current: float) -> list[float]:
    lo, hi = _bounds(field)
    if lo is None or hi is None:  # the tables of numbers per kind: >= 0
        values = [current * 1.3 + 0.05, current * 0.7]
    else:
        values = [lo + f * (hi - lo) for f in FRACTIONS]
    if isinstance(current, int):
        values = [round(v) for v in values]
    # the farthest first: a change the short run feels (a stall hazard it draws against)
    return sorted((v for v in values if v != current), key=lambda v: -abs(v - current))


def _numeric_parameters(params: Parameters) -> list[tuple[str, object, float]]:
    """(dotted path, field, current value) of every number of the parameter schema, the
    entries of its tables of numbers (value_per_unit, utilisation, arena_weights) each
    on its own."""
    out = []
    for group, info in Parameters.model_fields.items():
        values = getattr(params, group)
        for name, f in info.annotation.model_fields.items():
            current = getattr(values, name)
            path = f"parameters.{group}.{name}"
            if isinstance(current, dict):
                out += [
                    (f"{path}.{k}", f, v)
                    for k, v in current.items()
                    if isinstance(v, int | float) and not isinstance(v, bool)
                ]
            elif isinstance(current, int | float) and not isinstance(current, bool):
                out.append((path, f, current))
    return out


@pytest.fixture(scope="module")
def eventful(tmp_path_factory) -> ScenarioSource:
    path = tmp_path_factory.mktemp("memos") / "eventful.yaml"
    path.write_text(f"extends: {BASELINE}\n{EVENTS}")
    return ScenarioSource(path)


def _changes(source: ScenarioSource) -> list[tuple[list[str], Scenario]]:
    """One accepted change of every numeric parameter (with the weight it is taken from,
    for an autonomy weight), and its scenario."""
    params = source.load().parameters
    out = []
    for path, f, current in _numeric_parameters(params):
        for value in _candidates(f, current):
            change = [f"{path}={value!r}"]
            name = path.rsplit(".", 1)[-1]
            if name in WEIGHTS:
                other = WEIGHTS[(WEIGHTS.index(name) + 1) % len(WEIGHTS)]
                rest = getattr(params.metrics, other) - (value - current)
                change.append(f"parameters.metrics.{other}={rest!r}")
            try:
                out.append((change, source.load(change)))
            except PolarsimInputError:
                continue
            break
        else:
            pytest.fail(f"no other value of {path} accepted")
    return out


def test_every_parameter_runs_with_shared_memos_as_with_fresh_ones(eventful):
    """Every numeric parameter set to another value: the point's run after the memos
    were filled by the unchanged scenario's (and the other points') runs gives the
    tables of its run with every memo worked out anew (after setup.forget)."""
    changes = _changes(eventful)
    assert len(changes) > 80
    model_setup.forget_memos()
    _tables(prepare(eventful.load()))  # fills the shared memos
    warm = [prepare(scenario) for _, scenario in changes]
    shared = [_tables(su) for su in warm]
    model_setup.forget()
    wrong = []
    for (change, scenario), tables, su in zip(changes, shared, warm, strict=True):
        model_setup.forget_memos()
        fresh = prepare(scenario)
        wrong += [f"{change}: {d}" for d in _differences(tables, _tables(fresh))]
        # the terms themselves, where a short run's draws might not feel them
        wrong += [f"{change}: {d}" for d in _memo_differences(su, fresh)]
    assert not wrong, "\n".join(wrong)


def _bits(value) -> object:
    if isinstance(value, tuple):
        return tuple(_bits(v) for v in value)
    a = np.asarray(value)
    return a.dtype.str, a.shape, a.tobytes()


def _memo_differences(shared: Setup, fresh: Setup) -> list[str]:
    """The terms of a set-up whose memos other set-ups filled against those of a set-up
    that worked them out alone, for the keys both filled, to the last bit."""
    out = []
    for name in MEMOS:
        a, b = getattr(shared, name), getattr(fresh, name)
        out += [
            f"{name}[{key!r:.40}]" for key in a.keys() & b.keys() if _bits(a[key]) != _bits(b[key])
        ]
    for f in dataclasses.fields(YearTerms):
        if _bits(getattr(shared.year_terms, f.name)) != _bits(getattr(fresh.year_terms, f.name)):
            out.append(f"year_terms.{f.name}")
    for name in ("kind_cdf_lists", "pole_matrix", "sponsor_matrices"):
        if _bits(getattr(shared, name)) != _bits(getattr(fresh, name)):
            out.append(name)
    return out


def test_without_a_trend_the_gravity_terms_follow_the_elasticity(eventful):
    """With the trend's weight 0 every elasticity has the same trade trend (all ones),
    which then leaves the elasticity alone to tell the gravity terms apart."""
    model_setup.forget_memos()
    flat = ["parameters.trade.trend_weight=0"]
    a = prepare(eventful.load(flat))
    b = prepare(eventful.load([*flat, "parameters.trade.partner_mass_elasticity=1.1"]))
    _tables(a)
    assert np.array_equal(a.trade_trend, b.trade_trend)
    assert b.year_terms.gravity_named is not a.year_terms.gravity_named
    assert b.year_terms.value is a.year_terms.value
    shared = _tables(b)
    model_setup.forget_memos()
    fresh = dataclasses.replace(b)
    assert not _differences(shared, _tables(fresh))
    assert not _memo_differences(b, fresh)


#: The set-up's arrays the shared terms read, by path (Setup.shared), and its powers'
#: doctrines (the arena split the budgets' memo reads).
ARRAYS = [
    *(f"conditions.{f.name}" for f in dataclasses.fields(Conditions)),
    "drivers.gdp_state",
    "drivers.gdp_power",
    "drivers.milex_state",
    "drivers.gdp_rest_of_world",
    "initial_ties.trade",
    "initial_ties.trade_other",
    "initial_ties.remittances",
    "initial_ties.remittances_other",
    "relations",
    "threat",
    "endowments",
    "transit",
    "arms_intensity",
    "trade_trend",
    "import_share",
    "years",
    "power_doctrines",
]
TIES = ("trade", "trade_other", "infra", "infra_other", "debt", "security", "security_other")


def _replaced(su: Setup, path: str) -> Setup:
    """`su` with the array at `path` changed (the same shape), as dataclasses.replace
    makes a set-up (model.synthetic, tests)."""
    head, _, attr = path.partition(".")
    if head == "power_doctrines":  # the budgets' split over the arenas (arena_split)
        return dataclasses.replace(su, power_doctrines=su.power_doctrines[::-1])
    if not attr:
        value = getattr(su, head)
        return dataclasses.replace(su, **{head: value * 1.1 + (1 if head == "years" else 0.05)})
    if head == "initial_ties":
        ties = su.initial_ties
        arrays = {name: getattr(ties, name) for name in (*TIES, "remittances", "remittances_other")}
        arrays[attr] = arrays[attr] * 1.1 + 0.05
        return dataclasses.replace(su, initial_ties=Ties(**arrays))
    parent = getattr(su, head)
    changed = dataclasses.replace(parent, **{attr: getattr(parent, attr) * 1.1 + 0.05})
    return dataclasses.replace(su, **{head: changed})


MEMOS = ("stall_memo", "budget_memo", "security_memo", "institution_memo")


@pytest.mark.parametrize("path", ARRAYS)
def test_a_set_up_with_another_array_finds_terms_of_its_own(eventful, path):
    """A set-up replaced with another array (its memos found by content, not by
    identity): its run, with the memos of the original filled, gives the tables and the
    terms of a run that works them out alone."""
    model_setup.forget_memos()
    su = prepare(eventful.load())
    _tables(su)
    other = _replaced(su, path)
    shared = _tables(other)
    model_setup.forget_memos()
    fresh = dataclasses.replace(other)
    assert not _differences(shared, _tables(fresh))
    assert not _memo_differences(other, fresh)


def test_equal_arrays_share_whatever_their_identity(eventful):
    model_setup.forget_memos()
    su = prepare(eventful.load())
    c = su.conditions
    copy = dataclasses.replace(
        su,
        conditions=dataclasses.replace(
            c, **{f.name: getattr(c, f.name).copy() for f in dataclasses.fields(c)}
        ),
    )
    assert copy.stall_memo is su.stall_memo
    assert copy.year_terms.embargo is su.year_terms.embargo
    other = _replaced(su, "conditions.war")
    assert other.stall_memo is not su.stall_memo
    assert other.year_terms.value is su.year_terms.value  # the war is not among its inputs


def test_synthetic_set_ups_of_other_seeds_do_not_share():
    model_setup.forget_memos()
    a, b = synthetic_setup(5, 3, years=5, seed=0), synthetic_setup(5, 3, years=5, seed=1)
    _tables(a)
    assert b.budget_memo is not a.budget_memo
    assert b.year_terms.value is not a.year_terms.value
    shared = _tables(b)
    model_setup.forget_memos()
    assert not _differences(shared, _tables(dataclasses.replace(b)))


def test_a_sobol_like_design_shares_what_its_parameters_leave_alone():
    """Two points that differ in the proposal rate share every memo; two that differ in
    the trade's partner-mass elasticity share all but the gravity terms."""
    source = ScenarioSource(BASELINE)
    model_setup.forget_memos()
    a = prepare(source.load([*SHORT, "parameters.infrastructure.proposal_rate=0.4"]))
    b = prepare(source.load([*SHORT, "parameters.infrastructure.proposal_rate=1.7"]))
    c = prepare(source.load([*SHORT, "parameters.trade.partner_mass_elasticity=0.9"]))
    assert a is not b and a.scenario_hash != b.scenario_hash
    _tables(a)
    assert a.stall_memo and a.budget_memo and a.security_memo and a.institution_memo
    for name in MEMOS:
        assert getattr(b, name) is getattr(a, name), name
        assert getattr(c, name) is getattr(a, name), name
    yt_a, yt_b, yt_c = a.year_terms, b.year_terms, c.year_terms
    for f in dataclasses.fields(yt_a):
        assert getattr(yt_b, f.name) is getattr(yt_a, f.name), f.name
        gravity = f.name in ("gravity_named", "gravity_other")
        assert (getattr(yt_c, f.name) is getattr(yt_a, f.name)) is not gravity, f.name
    for name in ("kind_cdf_lists", "pole_matrix", "sponsor_matrices"):
        assert getattr(b, name) is getattr(a, name), name
    # a contest bonus changes the institution terms and so the security contest's
    d = prepare(source.load([*SHORT, "parameters.contest.forum_bonus=0.7"]))
    assert d.institution_memo is not a.institution_memo
    assert d.security_memo is not a.security_memo
    assert d.stall_memo is a.stall_memo
    # forget() empties the memories: the next set-up starts its own
    model_setup.forget()
    assert dataclasses.replace(b).stall_memo is not a.stall_memo


def test_shared_arrays_are_read_only():
    model_setup.forget_memos()
    su = dataclasses.replace(prepare(ScenarioSource(BASELINE).load(SHORT)))
    _tables(su)
    arrays = [getattr(su.year_terms, f.name) for f in dataclasses.fields(su.year_terms)]
    arrays += [su.pole_matrix, *su.sponsor_matrices]
    for memo in (su.budget_memo, su.security_memo, su.institution_memo):
        arrays += [a for terms in memo.values() for a in terms]
    assert all(isinstance(a, np.ndarray) and not a.flags.writeable for a in arrays)


def test_the_stages_of_a_late_entry_keep_their_own_memos(tmp_path):
    """A power entering after the start: the stage without it has fewer powers, and
    its memos are its own; runs with memos filled by another point equal fresh ones."""
    path = tmp_path / "entry.yaml"
    path.write_text(
        f"extends: {BASELINE}\ntime: {{end_year: 2021}}\npowers:\n  IND: {{enters: 2019}}\n"
    )
    source = ScenarioSource(path)
    model_setup.forget()
    m = CompetitionModel(prepare(source.load()), seed=3)
    while m.running:
        m.step()
    first, full = m.stages[0].setup, m.stages[-1].setup
    assert len(first.powers) < len(full.powers)
    for name in ("stall_memo", "budget_memo", "security_memo", "institution_memo"):
        assert getattr(first, name) is not getattr(full, name), name
    point = ["parameters.coercion.rate=4.0", "parameters.contest.decisiveness=2.0"]
    shared = _tables(prepare(source.load(point)))
    model_setup.forget()
    assert not _differences(shared, _tables(prepare(source.load(point))))
