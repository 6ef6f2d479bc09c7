"""Powers that enter the region at a date (`powers.<P>.enters`, docs/scenarios.md).

Until its entry year such a power does not exist for the model: the run is the run of
the scenario without it (its set-up, `prepare` of the scenario with the power and the
events naming it left out), where the data count its trade, arms, remittances and
projects among the other partners, as they count every power a scenario does not list.
So the years before the entry are those of the scenario without the power, to the last
bit and with the same random numbers. In its entry year the model widens every array
to the scenario's powers (`enter`): the power takes, out of the other partners' column,
the part of it the set-up with the power gives it, and starts engaging.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from polarsim.model.agents import GreatPower
from polarsim.model.doctrines import StateGates
from polarsim.model.setup import Setup, initial_memberships, prepare
from polarsim.model.ties import INFRA, SECURITY, TRADE
from polarsim.scenario import Scenario
from polarsim.scenario.events import Codes, ScenarioEvent
from polarsim.scenario.references import event_codes

if TYPE_CHECKING:
    from polarsim.model.model import CompetitionModel


@dataclass(frozen=True)
class Stage:
    """The set-up a run follows from calendar year `year` (until the next stage's)."""

    year: int
    setup: Setup


def entry_years(s: Scenario) -> dict[str, int]:
    """The powers that enter after the start year, with the year each enters (a power
    entering at or before the start takes part from the start; one entering after the
    last year never does)."""
    return {
        code: p.enters
        for code, p in s.powers.items()
        if p.enters is not None and p.enters > s.time.start_year
    }


def names_power(event: ScenarioEvent, codes: Codes, power: str) -> bool:
    """Whether a scenario event names `power` (as actor, sponsor, partner, imposer...)."""
    return any(ref.code == power for ref in event.references(codes))


def without_powers(s: Scenario, leave_out: set[str]) -> Scenario:
    """The scenario without the powers `leave_out` and without the events that name
    them: what the run is before they enter."""
    codes = event_codes(s)
    events = [e for e in s.events if not any(names_power(e, codes, p) for p in leave_out)]
    powers = {c: p for c, p in s.powers.items() if c not in leave_out}
    return s.model_copy(update={"powers": powers, "events": events})


def stages(full: Setup) -> list[Stage]:
    """The set-ups a run of `full` follows: one stage per distinct entry year (the first
    from the start year, without every power that enters later). A scenario whose powers
    all take part from the start has one stage, `full` itself."""
    s = full.scenario
    entering = entry_years(s)
    start, end = s.time.start_year, s.time.end_year
    if not entering:
        return [Stage(start, full)]
    out = []
    for year in [start, *sorted({y for y in entering.values() if y <= end})]:
        later = {c for c, y in entering.items() if y > year}
        out.append(Stage(year, full if not later else prepare(without_powers(s, later))))
    return out


def _shares_of_other(named: np.ndarray, other: np.ndarray) -> np.ndarray:
    """(S, K) each entering power's part of the other partners' column: its value over
    its own plus the others' (0 where both are 0)."""
    total = named.sum(axis=1, keepdims=True) + other[:, None]
    return np.divide(named, total, out=np.zeros(named.shape), where=total > 0)


class _Widen:
    """Maps arrays over the old stage's powers to the new stage's: `keep` the new index
    of each old power, `added` the indices of the entering ones."""

    def __init__(self, old: list[str], new: list[str]):
        self.P = len(new)
        self.keep = np.array([new.index(c) for c in old], dtype=int)
        self.added = np.array([i for i, c in enumerate(new) if c not in old], dtype=int)

    def named(self, a: np.ndarray, fill: float | np.ndarray = 0.0) -> np.ndarray:
        """(..., P_old) -> (..., P_new), the entering powers' cells `fill`."""
        out = np.empty((*a.shape[:-1], self.P), dtype=a.dtype)
        out[..., self.added] = fill
        out[..., self.keep] = a
        return out

    def with_other(self, a: np.ndarray, fill: float | np.ndarray = 0.0) -> np.ndarray:
        """(..., P_old+1) -> (..., P_new+1), the other partners last."""
        out = np.empty((*a.shape[:-1], self.P + 1), dtype=a.dtype)
        out[..., :-1] = self.named(a[..., :-1], fill)
        out[..., -1] = a[..., -1]
        return out

    def carve(self, a: np.ndarray, part: np.ndarray) -> np.ndarray:
        """(S, P_old+1) -> (S, P_new+1): the entering powers take `part` (S, K) of the
        other partners' column, which keeps the rest; a state's total is unchanged."""
        other = a[:, -1]
        out = self.with_other(a)
        out[:, self.added] = part * other[:, None]
        out[:, -1] = other - out[:, self.added].sum(axis=1)
        return out

    def index(self, i: int) -> int:
        """An old power index in the new stage (-1, the other partners, stays -1)."""
        return int(self.keep[i]) if i >= 0 else i


def enter(m: CompetitionModel, new: Setup) -> None:
    """The model `m` takes the set-up `new`, whose powers are its own and those entering
    this year, before this year's events apply: every array over the powers widens; the
    entering powers take their part of the other partners' ties (trade as the set-up's
    gravity terms split it this year, the infrastructure and arms stocks as the start
    year's data did, no debt), their stance (the last `posture` given for them before),
    their bases in force this year in the data, and random numbers of their own drawn
    after the stage's (so the other powers keep theirs)."""
    old = m.setup
    w = _Widen(old.powers, new.powers)
    add, t = w.added, m.t
    codes = [new.powers[i] for i in add]
    yt, start = new.year_terms, new.initial_ties

    # ties: the entering powers' part of the other partners
    trade_part = _shares_of_other(yt.gravity_named[t][:, add], yt.gravity_other[t])
    values = np.empty((3, len(new.states), w.P + 1))
    # the trade of projects with the other partners stays theirs: only the gravity part
    # is split (as _update_trade will split it), so the column is what it will be
    values[TRADE] = w.with_other(m.ties.values[TRADE])
    values[TRADE][:, add] = trade_part * m.gravity[:, -1:]
    values[TRADE][:, -1] = m.ties.values[TRADE][:, -1] - values[TRADE][:, add].sum(axis=1)
    for arena, named, other in (
        (INFRA, start.infra, start.infra_other),
        (SECURITY, start.security, start.security_other),
    ):
        values[arena] = w.carve(m.ties.values[arena], _shares_of_other(named[:, add], other))
    m.ties.values = values
    remit = _shares_of_other(yt.remittances[t][:, add], yt.remittances_other[t])
    m.ties.remittance_values = w.carve(m.ties.remittance_values, remit)
    m.ties.debt = w.named(m.ties.debt)
    m.ties.invalidate()
    m.gravity = w.carve(m.gravity, trade_part)
    if m.gravity_unblocked is not None:
        m.gravity_unblocked = w.carve(m.gravity_unblocked, trade_part)
    m.project_flows.widen(w.keep, w.P + 1, new.powers)
    m.pipeline.reindex_powers(w.index)

    # stances: the set-up's, or the last posture given before the entry
    exclusivity, budget = new.exclusivity[add].copy(), new.budget_pct[add].copy()
    held = [e for e in new.scenario.events if getattr(e, "type", "") == "posture"]
    for ev in sorted(held, key=lambda e: e.year):
        if ev.power in codes and ev.year < m.year:
            k = codes.index(ev.power)
            if ev.exclusivity is not None:
                exclusivity[k] = ev.exclusivity
            if ev.budget_pct_gdp is not None:
                budget[k] = ev.budget_pct_gdp
    m.exclusivity = w.named(m.exclusivity, exclusivity)
    m.budget_pct = w.named(m.budget_pct, budget)
    m.bases = w.named(m.bases, initial_memberships(new.scenario, m.year)[1][:, add])
    m.memory = w.named(m.memory)
    m.remittance_cut = w.named(m.remittance_cut)
    m.block = np.ones((len(new.states), w.P))
    m.receptivity = w.named(m.receptivity, 1.0)  # neutral, as before the first response
    m.arms_won = w.with_other(m.arms_won)
    if m.arms_weights is not None:
        # an entering supplier competes with the productivity of the other suppliers it
        # was counted among (mechanisms/security.anchor_weights)
        m.arms_weights = w.with_other(m.arms_weights, m.arms_weights[:, -1:])

    # random numbers: the entering powers' own, drawn after the stage's, so the others'
    # draws (and so their coercion and trade noise) are those of the run without them
    steps, S = m._coercion_uniforms.shape[:2]
    m._coercion_uniforms = w.named(
        m._coercion_uniforms, m.rng_coercion.random((steps, S, len(add)))
    )
    if m._trade_noise is not None:
        sd = m.params.trade.noise_sd
        noise = np.exp(m.rng_trade.normal(0.0, sd, size=(steps, S, len(add))))
        m._trade_noise = w.with_other(m._trade_noise, noise)

    # the set-up and what is worked out from it
    m.setup, m.year_terms = new, new.year_terms
    for attr in ("_union", "_alliance", "_forum"):
        if hasattr(m, attr):
            delattr(m, attr)
    m._institution_arrays()
    m._gates = StateGates(new.security_openness, new.patron_bonus, w.P)
    m._stall_year = -1
    # trade policy relative to the start: an entering power's is relative to its tariff
    # alone (no promotion, sanctions or reluctance at entry)
    m._policy0 = w.named(m._policy0, m.tariff[:, add])
    m._traded0 = m._policy0 > 0
    m._other_policy_for = None

    # agents and their indices
    for agent in m.power_agents:
        agent.index = w.index(agent.index)
    for i in add.tolist():
        m.power_agents.append(GreatPower(m, i, new.powers[i], new.power_doctrines[i]))
    m.power_agents.sort(key=lambda a: a.index)
    m._leaving = {w.index(p): y for p, y in m._leaving.items()}
    m._departed = {w.index(p) for p in m._departed}
    for i in add.tolist():
        leaves = new.scenario.powers[new.powers[i]].leaves
        if leaves is not None:
            m._leaving[i] = leaves
    for k, code in enumerate(codes):
        m.log_event("power_enters", code, "", f"budget {budget[k]:g} % of GDP", float(budget[k]))
