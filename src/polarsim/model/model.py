"""CompetitionModel: wires agents and mechanisms; one step is one calendar year.

Order within a year (docs/model.md): events > drivers > engagement > projects >
state responses > coercion > trade, security, infrastructure and remittance ties >
record; the metrics are worked out from the record afterwards, all years at once
(Recorder.tables()). The first recorded year is the start year itself (the data).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from polarsim.errors import PolarsimInputError
from polarsim.model import entry
from polarsim.model.agents import GreatPower, RegionalState
from polarsim.model.doctrines import StateGates
from polarsim.model.flows import ProjectFlows, check_proposals
from polarsim.model.mechanisms import (
    coercion,
    engagement,
    institutions,
    projects,
    responses,
    security,
    trade,
)
from polarsim.model.mechanisms.arrays import ONE, ZERO, add_reduce, any_reduce
from polarsim.model.pipeline import ProjectPipeline
from polarsim.model.recorder import Recorder, StagedRecorder
from polarsim.model.seeds import check_replicate, replicate_rng
from polarsim.model.setup import Setup, prepare, ramping_flow, ramping_projects
from polarsim.model.ties import INFRA, SECURITY, TRADE, weighted_sum
from polarsim.scenario import Scenario
from polarsim.scenario.overrides import with_params

if TYPE_CHECKING:
    import pandas as pd


class CompetitionModel(mesa.Model):
    """Great powers and regional states competing over infrastructure, trade and
    security ties.

    scenario: a Scenario, a path to a scenario file, or a prepared Setup.
    params: dotted paths to values applied to the scenario (`{"powers.RUS.exclusivity":
        0.7}`, numbers as numbers; docs/scenarios.md); dotted keyword arguments are taken
        as params too, so `mesa.batch_run` can vary any of them.
    seed, replicate: the run's Generator as `polarsim.run(seed=, replicates=R)` derives
        it for that replicate (model.seeds.replicate_rng; replicate, a non-negative
        whole number, needs seed; with rng it only labels the rows); or
    rng: a numpy Generator (or anything numpy.random.default_rng takes) used as given.
    collect: keep a Mesa DataCollector (model reporters: year, mean autonomy, CON), for
        batch_run; collect_agents: add agent-type reporters (states: autonomy index, top
        partner, debt; powers: budget, exclusivity, influence share), one row per agent.

    One Generator drives every random draw of the run. `tables()` gives the run's
    tables as `polarsim.run` returns them."""

    def __init__(
        self,
        scenario: Scenario | Setup | str | Path,
        params: Mapping[str, Any] | None = None,
        seed: int | None = None,
        replicate: int = 0,
        rng=None,
        collect: bool = False,
        collect_agents: bool = False,
        **dotted: Any,
    ):
        if seed is not None and rng is not None:
            raise PolarsimInputError("give seed (with replicate) or rng, not both", field="seed")
        replicate = check_replicate(replicate)
        if replicate and seed is None and rng is None:  # it would choose no stream
            raise PolarsimInputError(
                f"replicate {replicate} draws from the seed's stream: give seed too",
                field="replicate",
            )
        if seed is not None:
            rng = replicate_rng(seed, replicate)
        params = _merged_params(params, dotted)
        super().__init__(rng=rng)
        # One child stream per mechanism, spawned from the run's generator: a change that
        # alters how many draws one mechanism makes (more projects, more coercion) leaves
        # the other streams untouched, so scenario comparisons keep common random numbers.
        self.rng_projects, self.rng_coercion, self.rng_trade = self.rng.spawn(3)
        # A power that enters after the start year does not exist for the model until
        # then: the run follows the set-up without it, then widens (model/entry.py).
        self.full_setup = _prepared(scenario, params)
        self.stages = entry.stages(self.full_setup)
        self._stage = 0
        self.setup = su = self.stages[0].setup
        self.params = su.scenario.parameters
        self.replicate = replicate
        self.t = 0
        self.year = int(su.years[0])
        self._start_state()
        self._draw_yearly_streams()
        self._start_trade()
        self._create_agents()
        self._institution_arrays()
        self._drivers()
        # Year zero: receptivity and engagement at the start, the baselines against
        # which trade policy factors are measured (so the start year reproduces the data).
        # Receptivity first (it reads the ties, not the effort): the start year's effort
        # weighs it as a welcome, as every later year's weighs the year before's. With a
        # welcome of 1 the baseline was an allocation no later year makes, and the first
        # simulated year's trade promotion moved by up to 4.6 % with nothing changed.
        self._respond()
        self._engage()
        self._trade_baseline()
        self.recorder = (
            Recorder(su, replicate)
            if len(self.stages) == 1 and su is self.full_setup
            else StagedRecorder(self.stages, self.full_setup, replicate)
        )
        self.recorder.record(self)
        self.running = len(su.years) > 1
        self.datacollector = (
            self._data_collector(collect_agents) if collect or collect_agents else None
        )

    # ----- set-up ---------------------------------------------------------------------
    def _start_state(self) -> None:
        """Ties, memberships, bases and stances in force in the start year, and the
        run's empty logs and buffers."""
        su = self.setup
        S, P = len(su.states), len(su.powers)
        self.ties = su.initial_ties.copy()
        self.membership = su.initial_membership.astype(float)
        # Stances that events may change during the run.
        self.exclusivity = su.exclusivity.copy()
        self.budget_pct = su.budget_pct.copy()
        self.coordination = self.params.responses.coordination
        # the run's log; a power that left by the start year logs its leaving here
        self.events: list[tuple] = []
        self._departed: set[int] = set()  # powers that withdrew from the region
        self._leaving = {
            p: year for p in range(P) if (year := self._actor_year(p, "leaves")) is not None
        }
        # Stances set before the start, in the order of their years (file order within a
        # year), as the run applies its dated events and entry.enter the postures of a
        # power that enters: in file order an earlier posture listed after a later one
        # set the stance the run started with.
        for ev in sorted(su.scenario.events, key=lambda e: e.year):
            ev.at_start(self)
        self._withdraw_powers()
        self.bases = su.initial_bases.astype(float)
        self.memory = np.zeros((S, P))
        self.block = np.ones((S, P))  # one-year trade multipliers from coercion
        self.blocked = False  # a coercive act blocked trade this year
        # What coercion cost each state this year (USD m): trade lost against the same
        # year without any coercive block (the flows carry a block on for years through
        # their persistence), and remittances withheld. The autonomy index reads these
        # outcomes, not the pressure that might cause them (docs/metrics.md).
        self.trade_lost = np.zeros(S)
        self.remittances_withheld = np.zeros(S)
        self.year_terms = su.year_terms
        self._gates = StateGates(su.security_openness, su.patron_bonus, P)
        # commodity price multipliers per year, with 1 for goods at a fixed value last
        self._price_levels = np.column_stack([su.conditions.price, np.ones(len(su.years))])
        self.remittance_cut = np.zeros((S, P))
        self.remittances_cut = False  # a coercive act cut remittances this year
        # the start year's deliveries: the observed window's yearly mean
        self.arms_won = su.initial_arms / self.params.security.window_years
        # the anchored contest's supplier weights, fixed in the first simulated year
        # (the inputs of the start year are not kept; mechanisms/security.py)
        self.arms_weights: np.ndarray | None = None
        # every project proposed or agreed and its life cycle (model/pipeline.py)
        self.pipeline = ProjectPipeline(self)
        self.coercive_acts = 0

    def _draw_yearly_streams(self) -> None:
        """The coercion and trade streams serve one draw each a year, always of the same
        shape, so all years are drawn at once: the same numbers in the same order."""
        su = self.setup
        S, P = len(su.states), len(su.powers)
        steps = len(su.years) - 1
        self._coercion_uniforms = self.rng_coercion.random((steps, S, P))
        noise_sd = self.params.trade.noise_sd
        self._trade_noise = (
            np.exp(self.rng_trade.normal(0.0, noise_sd, size=(steps, S, P + 1)))
            if noise_sd > 0
            else None
        )

    def _start_trade(self) -> None:
        """Trade is a gravity part (adjusting with persistence) plus the flows that
        projects commissioned after the start carry: (price group, state, partner) with
        the other partners as the last column, and the year each opened."""
        su = self.setup
        self.gravity = su.gravity0.copy()
        # the gravity part had no coercive act ever blocked trade; None while it equals
        # the gravity part itself (no act yet), so runs without coercion do no extra work
        self.gravity_unblocked: np.ndarray | None = None
        self.project_flows = ProjectFlows(len(su.states), len(su.powers) + 1, partners=su.powers)
        self._still_ramping()
        # trade.ramp of every age a project's row can reach in the run (rows opened before
        # the start are older than the years run), indexed by t - opened: the same
        # quotients and minimum as computed from the ages each year
        oldest = max(0, -int(self.project_flows.opened.min())) if len(self.project_flows) else 0
        ages = np.arange(1, len(su.years) + oldest + 1)
        self._ramp = trade.ramp(ages, self.params.trade)

    def _create_agents(self) -> None:
        su = self.setup
        self.power_agents = [
            GreatPower(self, i, c, d)
            for i, (c, d) in enumerate(zip(su.powers, su.power_doctrines, strict=True))
        ]
        self.state_agents = [
            RegionalState(self, i, c, d)
            for i, (c, d) in enumerate(zip(su.states, su.state_doctrines, strict=True))
        ]
        self.powers = self.agents_by_type[GreatPower]
        self.states = self.agents_by_type[RegionalState]

    def _data_collector(self, agents: bool) -> mesa.DataCollector:
        """A Mesa DataCollector, for mesa.batch_run and Mesa tooling; off by default
        because the recorder already keeps everything (tables() at the end)."""
        by_type = {
            RegionalState: {
                "code": "code",
                "autonomy_index": "autonomy_index",
                "top_partner": "top_partner",
                "debt_usd_bn": "debt_usd_bn",
            },
            GreatPower: {
                "code": "code",
                "budget_usd_m": "budget_usd_m",
                "exclusivity": "exclusivity",
                "influence_share": "influence_share",
            },
        }
        collector = mesa.DataCollector(
            model_reporters={
                "year": "year",
                "mean_autonomy": self.mean_autonomy,
                "con": self.concentration,
            },
            agenttype_reporters=by_type if agents else None,
        )
        collector.collect(self)
        return collector

    # ----- wiring -------------------------------------------------------------------
    def _institution_arrays(self) -> None:
        """Tariffs, contest multipliers and guarantees for the memberships in force. They
        depend on the memberships alone, which only dated events change, so the
        replicates of a scenario share them (a memo on the set-up, read-only arrays; the
        set-ups with the same sponsors, parameters and import shares share it too)."""
        memo = self.setup.institution_memo
        key = self.membership.tobytes()
        if key not in memo:
            memo[key] = self._institution_terms()
        self.tariff, self.multiplier, self.guarantees = memo[key]
        # the powers' and the other partners' tariffs (_policy; views, taken once)
        self._tariff_named, self._tariff_other = self.tariff[:, :-1], self.tariff[:, -1]
        self._memberships_key = key  # of the security terms memoised with them

    def _institution_terms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        su, prm = self.setup, self.params
        if not hasattr(self, "_union"):  # who leads what does not change during a run
            self._union, self._alliance, self._forum = su.sponsor_matrices
        tariff = institutions.tariff_factors(
            self.membership, self._union, prm.trade, su.import_share
        )
        multiplier = institutions.contest_multipliers(
            self.membership, self._forum, self._alliance, prm.contest
        )
        guarantees = institutions.guarantees(self.membership, self._alliance)
        for a in (tariff, multiplier, guarantees):
            a.setflags(write=False)
        return tariff, multiplier, guarantees

    def _drivers(self) -> None:
        d, t = self.setup.drivers, self.t
        self.gdp_state = d.gdp_state[t]
        self.gdp_power = d.gdp_power[t]
        self.milex_state = d.milex_state[t]
        self.gdp_row = d.gdp_rest_of_world[t]
        # Nominal size of new projects grows with the world economy outside the powers.
        self.price_scale = d.gdp_rest_of_world[t] / d.gdp_rest_of_world[0]

    def _engage(self) -> None:
        su, prm, t = self.setup, self.params, self.t
        # The budgets follow the drivers and the stances that dated events set, the same
        # in every replicate: worked out once per set-up, year and stances (read-only;
        # the memo is shared with the set-ups of the same inputs, Setup.budget_memo)
        # (and the number of states: the memo holds the arena budgets repeated over them,
        # and the set-ups sharing it may have other states)
        key = (t, len(su.states), self.budget_pct.tobytes())
        found = su.budget_memo.get(key)
        if found is None:
            c = su.conditions
            budget = engagement.budgets(
                self.gdp_power,
                self.budget_pct,
                war=c.war[t],
                budget_factor=c.budget_factor[t],
                sanctioned=c.sanctioned_power[t],
                prm=prm.engagement,
            )
            # the arena budgets repeated over the states (3, S, P): allocate multiplies
            # them without broadcasting, the same products
            arena_budget = engagement.arena_budgets(su.arena_split, budget)
            found = su.budget_memo[key] = (
                budget,
                np.repeat(arena_budget, len(su.states), axis=1),
            )
            for a in found:
                a.setflags(write=False)
        self.budget, arena_budget = found
        named = self.ties.shares()[:, :, :-1]
        # engagement.rival_presence, its clip of the rivalries done once per scenario
        presence = named @ self.year_terms.positive_rivalry.T
        yt = self.year_terms
        self.effort = engagement.allocate(
            self.budget,
            su.arena_split,
            yt.contest_response_wide,
            yt.value[t],
            presence,
            self.receptivity,
            prm.engagement,
            arena_budget=arena_budget,
            value_by_power=yt.value_wide[t],
        )

    def _respond(self) -> None:
        su, prm = self.setup, self.params
        shares = self.ties.shares()
        named = shares[:, :, :-1]
        self.composite = weighted_sum(su.arena_weights, named)
        r = prm.responses
        gdp = self.year_terms.gdp_state_wide[self.t]  # gdp_state repeated over the powers
        leverage = responses.leverage(
            self.composite, self.ties.remittances, self.gdp_state, gdp_by_power=gdp
        )
        shield = 1.0 - self.coordination * r.coordination_shield
        if shield != 1.0:  # without coordination the factor is 1.0, and x * 1.0 is x
            np.multiply(leverage, shield, out=leverage)
        self.leverage = leverage
        # responses.retaliation_risk, its clip of the rivalries done once per scenario
        # leverage x exclusivity is also the first product of this year's coercive
        # pressure (exclusivity x leverage, _coerce): kept for it
        self._exposure = threat_q = leverage * self.exclusivity[None, :]
        threat_q = threat_q * (ONE + self.memory)
        self.risk = risk = threat_q @ self.year_terms.positive_rivalry
        # (infra + debt) * 1000.0 / gdp, the products in place
        lock_in = self.ties.infra + self.ties.debt
        np.multiply(lock_in, 1000.0, out=lock_in)
        np.divide(lock_in, gdp, out=lock_in)
        gates = self._gates(named[2])
        self.receptivity = responses.receptivity(
            responses.collective_shares(named, self.gdp_state, self.coordination),
            lock_in=lock_in,
            risk=risk,
            memory=self.memory,
            autonomy=su.autonomy,
            gates=gates,
            prm=r,
            autonomy_wide=self.year_terms.autonomy_wide,
        )

    def _policy(self) -> tuple[np.ndarray, np.ndarray]:
        c, t, prm = self.setup.conditions, self.t, self.params.trade
        named = self.ties.shares()[1, :, :-1]
        yt = self.year_terms
        # trade.sanctions_factor, its terms without the shares worked out once (YearTerms)
        # each factor's products in the order of the formulas, in place
        sanc = named @ c.sanctions_on_power[t].T  # the exposure
        np.multiply(sanc, -prm.sanctions_compliance, out=sanc)
        np.exp(sanc, out=sanc)
        # (the operands that broadcast over the powers repeated over them: the *_wide
        # YearTerms, the same products and quotients)
        sanc *= yt.sanctions_busting_wide[t]
        sanc *= yt.embargo[t]
        promo = prm.promotion_effect * self.effort[1]  # 1.0 + promotion x effort / gdp
        promo /= yt.gdp_state_wide[t]
        promo += ONE
        open_ = np.maximum(self.receptivity[1], _RECEPTIVITY_FLOOR)
        np.power(open_, prm.receptivity_elasticity, out=open_)
        policy = self._tariff_named * sanc
        policy *= promo
        policy *= open_
        return policy, self._tariff_other

    def _trade_baseline(self) -> None:
        self._policy0, self._policy0_other = self._policy()
        self._traded0 = self._policy0 > 0
        self._traded0_other = self._policy0_other > 0
        self._other_policy_for = None  # the tariffs _other_policy was computed for
        self._traded0_seen = None  # the _traded0 whose all-positive flag is _traded0_all

    # ----- the year -----------------------------------------------------------------
    def step(self) -> None:
        self.t += 1
        self.year = int(self.setup.years[self.t])
        self._apply_events()
        self._drivers()
        self._engage()
        self.proposals = projects.proposal_counts(
            self.rng_projects, self.effort[0], self.price_scale, self.params.infrastructure
        )
        check_proposals(self.proposals, self.t, self.setup.powers)
        self.pipeline.propose(self, self.proposals)
        self.pipeline.step(self)
        self._respond()
        self._coerce()
        self._update_trade()
        self._update_security()
        self._update_infrastructure()
        self._update_remittances()
        self.ties.invalidate()
        self.recorder.record(self)
        if self.datacollector is not None:
            self.datacollector.collect(self)
        if self.t >= len(self.setup.years) - 1:
            self.running = False

    def tables(self) -> dict[str, pd.DataFrame]:
        """The run's tables so far ("states", "system", "events"), as `polarsim.run`
        returns them for one replicate."""
        return self.recorder.tables(self.events)

    def year_metrics(self) -> dict[str, np.ndarray]:
        """The states' metrics of the current year, each (S,) (the columns of the states
        table; worked out once a year however many reporters ask)."""
        if getattr(self, "_year_metrics_t", None) != self.t:
            values = self.recorder.state_metrics(upto=self.t, first=self.t)
            self._year_metrics = {k: v[-1] for k, v in values.items()}
            self._year_metrics_t = self.t
        return self._year_metrics

    def composite_shares(self) -> np.ndarray:
        """(S, P) each state's ties with each power this year, the arenas weighted as in
        the metrics (metrics.arena_weights)."""
        return weighted_sum(self.setup.arena_weights, self.ties.shares()[:, :, :-1])

    def mean_autonomy(self) -> float:
        """Mean autonomy index of the states in the current year (a model reporter)."""
        return float(self.recorder.autonomy(self.t).mean())

    def concentration(self) -> float:
        """Concentration of the powers' regional influence (CON) this year."""
        return self.recorder.concentration(self.t)

    @property
    def projects(self) -> pd.DataFrame:
        """One row per infrastructure project proposed or agreed so far, with its status
        (model/pipeline.py, ProjectPipeline.frame)."""
        return self.pipeline.frame(self)

    @property
    def project_counts(self) -> Counter[str]:
        """How many projects have each status now (model/pipeline.py)."""
        return self.pipeline.counts

    def _apply_events(self) -> None:
        if self._stage + 1 < len(self.stages) and self.stages[self._stage + 1].year == self.year:
            self._stage += 1
            entry.enter(self, self.stages[self._stage].setup)
        if self._leaving:
            self._withdraw_powers()
        for ev in self.setup.timeline.get(self.year, []):
            ev.apply(self)

    # ----- what events do (called by the event types, polarsim.scenario.event_types) ---
    def set_membership(self, states: list[str], institution: str, member: bool) -> None:
        """States join (member) or leave an institution; its terms follow."""
        su = self.setup
        i = su.institutions.index(institution)
        for code in states:
            self.membership[su.states.index(code), i] = 1.0 if member else 0.0
        self._institution_arrays()

    def set_base(self, state: str, power: str, is_open: bool) -> None:
        su = self.setup
        self.bases[su.states.index(state), su.powers.index(power)] = 1.0 if is_open else 0.0

    def set_stance(
        self, power: str, exclusivity: float | None, budget_pct_gdp: float | None
    ) -> None:
        """A power's new exclusivity and/or regional budget (None: unchanged). (A power
        that has not entered yet is not in the run: its postures until then are the stance
        it enters with, model/entry.py.)"""
        p = self.setup.powers.index(power)
        if p in self._departed:  # withdrawn from the region: stays out
            return
        if exclusivity is not None:
            self.exclusivity[p] = exclusivity
        if budget_pct_gdp is not None:
            self.budget_pct[p] = budget_pct_gdp

    def _withdraw_powers(self) -> None:
        """Powers whose year to leave has come stop engaging and demanding: budget and
        exclusivity zero, later postures ignored (one that left before the start year
        is out from the start)."""
        for p in [p for p, year in self._leaving.items() if year <= self.year]:
            del self._leaving[p]
            self._departed.add(p)
            self.exclusivity[p] = self.budget_pct[p] = 0.0
            self.log_event("power_leaves", self.setup.powers[p], "", "", 0.0)

    def _actor_year(self, p: int, which: str) -> int | None:
        # synthetic set-ups (benchmarks) name powers their scenario does not list
        spec = self.setup.scenario.powers.get(self.setup.powers[p])
        return getattr(spec, which) if spec is not None else None

    def set_coordination(self, value: float) -> None:
        self.coordination = value

    def agree_project(
        self,
        *,
        name: str,
        kind: str,
        sponsor: str,
        partner: str,
        flows: dict[str, float],
        host_weights: dict[str, float],
        cost: float,
        loan_share: float | None,
        operating_year: int | None,
        route_risk: float,
    ) -> None:
        """A dated project, under construction from this year (model/pipeline.py). Codes
        that are not powers (`other`) sponsor or take the trade as the other partners;
        the hosts are the keys of `host_weights`, each's share of the cost; `flows` the
        capacity each host trades with the partner; a loan share of None is the
        sponsor's usual one."""
        su = self.setup
        weights = np.zeros(len(su.states))
        for h, w in host_weights.items():
            weights[su.states.index(h)] = w
        p = su.powers.index(sponsor) if sponsor in su.powers else -1
        if loan_share is None:
            loan_share = float(su.loan_share[p]) if p >= 0 else 0.0
        self.pipeline.agree(
            self,
            name=name,
            kind=kind,
            sponsor=p,
            partner=self._partner_index(partner),
            hosts=[su.states.index(h) for h in host_weights],
            flows=self._host_array(flows),
            host_weights=weights,
            cost=cost,
            loan_share=loan_share,
            operating_year=operating_year,
            route_risk=route_risk,
        )

    def _partner_index(self, code: str) -> int:
        """A project's partner: a power index, or -1 for the other partners."""
        return self.setup.powers.index(code) if code in self.setup.powers else -1

    def _host_array(self, by_state: dict[str, float]) -> np.ndarray:
        """(S,) values given by state code, 0 elsewhere."""
        out = np.zeros(len(self.setup.states))
        for code, v in by_state.items():
            out[self.setup.states.index(code)] = v
        return out

    def _still_ramping(self) -> None:
        """Projects that opened less than `ramp_years` before the start are still filling
        up: the start-year data hold only the trade of their first years, so the rest
        comes on top as for a project opened during the run (their rows), and the
        gravity part is what the data hold beyond the share already in use
        (Setup.gravity0, setup.start_gravity)."""
        su, t0 = self.setup, int(self.setup.years[0])
        for ev in ramping_projects(su.scenario, su.initial_projects):
            value, partner, price = ramping_flow(su.scenario, ev)
            self.project_flows.add(value, partner, price, ev.operating_year - t0)

    # ----- called by agents -----------------------------------------------------------
    def log_event(self, kind: str, actor: str, target: str, detail: str, value: float) -> None:
        self.events.append((self.replicate, self.year, kind, actor, target, detail, value))

    def apply_coercion(self, p: int, s: int, instrument: str) -> None:
        prm = self.params.coercion
        self.memory[s, p] += 1.0
        self.coercive_acts += 1
        if instrument == "market_access":
            self.block[s, p] *= 1.0 - prm.market_cut
            self.blocked = True
        elif instrument == "transit":
            # np.clip(self.setup.relations[p], 0.0, None), clipped once per scenario
            rivals = self.year_terms.positive_rivalry[p]
            self.block[s] *= 1.0 - prm.transit_cut * rivals
            self.blocked = True
        elif instrument == "remittances":
            self.remittance_cut[s, p] = prm.remittance_cut
            self.remittances_cut = True
        elif instrument == "protection":
            self.ties.security[s, p] *= 1.0 - prm.protection_cut
            self.ties.invalidate()
        self.log_event("coercion", self.setup.powers[p], self.setup.states[s], instrument, 1.0)

    # ----- ties -------------------------------------------------------------------------
    def _coerce(self) -> None:
        self.memory = coercion.decay(self.memory, self.params.coercion)
        # coercion.pressure, its clip of the rivalries done once per scenario
        rival_ties = self.composite @ self.year_terms.positive_rivalry
        # exclusivity x leverage, as _respond worked it out this year
        press = self._exposure
        press *= rival_ties
        prob = coercion.act_probability(press, self.params.coercion)
        self.coercion_draws = draws = self._coercion_uniforms[self.t - 1] < prob
        # the powers in the agent set's order; one without a draw would do nothing (no
        # power drew one: an empty loop)
        for p in any_reduce(draws, axis=0).nonzero()[0].tolist():
            self.power_agents[p].coerce()

    def _update_trade(self) -> None:
        prm = self.params.trade
        yt, t = self.year_terms, self.t
        policy, policy_other = self._policy()
        # Relative to the start year, whose policies the observed flows already contain;
        # a flow fully blocked at the start stays blocked.
        traded0 = self._traded0
        if traded0 is not self._traded0_seen:  # set at the start and at an entry
            self._traded0_all = bool(np.logical_and.reduce(traded0, axis=None))
            self._traded0_seen = traded0
        # every start flow positive: _relative's quotients without its mask
        unblocked = (
            policy / self._policy0
            if self._traded0_all
            else _relative(policy, self._policy0, traded0)
        )
        # the block is all ones unless a coercive act blocked trade this year (x * 1.0 is x)
        policy = unblocked * self.block if self.blocked else unblocked
        if self._other_policy_for is not self.tariff:  # only memberships change it
            self._other_policy = _relative(policy_other, self._policy0_other, self._traded0_other)
            self._other_policy_for = self.tariff
        policy_other = self._other_policy
        # trade.gravity_targets, its factors before the policy worked out once per
        # scenario (YearTerms), multiplied in the same order
        growth = yt.state_growth_wide[t]  # (S, P): state_growth repeated over the powers
        target = np.empty(self.gravity.shape)
        np.multiply(yt.gravity_named[t] * policy, growth, out=target[:, :-1])
        np.multiply(yt.gravity_other[t] * policy_other, yt.state_growth[t], out=target[:, -1])
        if self._trade_noise is not None:
            np.multiply(target, self._trade_noise[t - 1], out=target)
        previous = self.gravity
        self.gravity = trade.adjust(self.gravity, target, prm)
        if self.gravity_unblocked is not None or self.blocked:
            self._trade_lost_to_coercion(previous, target, unblocked * growth, t)
        # this year's trade: the gravity part plus the projects' (gravity + their sum,
        # the one addition a copy and += made)
        flows = self.ties.values[TRADE]
        pf = self.project_flows
        if len(pf):
            price = self._price_levels[t][pf.price]
            use = self._ramp[t - pf.opened] * price
            np.add(self.gravity, weighted_sum(use, pf.values), out=flows)
        else:
            flows[...] = self.gravity
        self.ties.invalidate()
        if self.blocked:
            self.block.fill(1.0)
            self.blocked = False

    def _trade_lost_to_coercion(
        self, previous: np.ndarray, target: np.ndarray, unblocked: np.ndarray, t: int
    ) -> None:
        """Trade lost to coercive blocks this year: the gravity part a run without any
        block would have (adjusted from its own past with the same targets, noise and
        persistence) minus this run's, summed over the powers (USD m)."""
        if self.gravity_unblocked is None:
            if not self.blocked:
                return
            self.gravity_unblocked = previous
        free = target.copy()
        named = free[:, :-1]  # the products written in place
        np.multiply(self.year_terms.gravity_named[t], unblocked, out=named)
        if self._trade_noise is not None:
            named *= self._trade_noise[t - 1][:, :-1]
        self.gravity_unblocked = trade.adjust(self.gravity_unblocked, free, self.params.trade)
        lost = self.gravity_unblocked[:, :-1] - self.gravity[:, :-1]
        # np.clip(lost, 0.0, None) is this maximum, without its wrapper (in place)
        self.trade_lost = add_reduce(np.maximum(lost, ZERO, out=lost), axis=1)

    def _update_security(self) -> None:
        prm, yt, t, su = self.params, self.year_terms, self.t, self.setup
        demand = yt.arms_demand[t]
        # The year's terms that no draw changes (the contest multipliers of the
        # memberships in force times the embargoes, the other suppliers' weighted demand,
        # the guarantees' value): the same in every replicate, so worked out once per
        # set-up, year and memberships, with the step's own products (read-only; shared
        # with the set-ups of the same inputs, Setup.security_memo).
        key = (t, self._memberships_key)
        terms = su.security_memo.get(key)
        if terms is None:
            terms = su.security_memo[key] = (
                self.multiplier[2] * yt.embargo[t],
                prm.contest.other_suppliers_weight * demand,
                prm.security.guarantee_value * self.guarantees,
            )
            for a in terms:
                a.setflags(write=False)
        multiplier, other_demand, guarantee_value = terms
        stock = self.ties.values[SECURITY]  # the named suppliers', then the others'
        inputs = security.contest_inputs(
            effort=self.effort[2],
            receptivity=self.receptivity[2],
            multiplier=multiplier,
            capacity=yt.capacity_wide[t],
            stock=stock[:, :-1],
            stock_other=stock[:, -1],
            demand=demand,
            prm=prm.contest,
            other_demand=other_demand,
        )
        if self.arms_weights is None:
            anchor = su.initial_arms if su.arms_anchor is None else su.arms_anchor
            self.arms_weights = security.anchor_weights(
                anchor, inputs, self.receptivity[2], prm.contest
            )
        self.arms_won = security.arms_won(demand, inputs, prm.contest, self.arms_weights)
        # security.step_stock, in place in the ties (tests/model/test_step_fast_paths.py)
        security.step_stock_in_place(
            stock, self.arms_won, self.bases, prm.security, guarantee_value
        )
        self.ties.invalidate()

    def _update_infrastructure(self) -> None:
        prm = self.params.infrastructure
        # In place, the other partners' column with the rest: the same products as
        # separate arrays would hold.
        infra = self.ties.values[INFRA]
        infra *= 1.0 - prm.depreciation
        infra[:, -1] += self.year_terms.domestic_investment[self.t]
        self.ties.debt *= 1.0 - prm.amortisation
        self.ties.invalidate()

    def _update_remittances(self) -> None:
        yt, t = self.year_terms, self.t
        if self.remittances_cut:
            self.ties.remittances = yt.remittances[t] * (1.0 - self.remittance_cut)
            self.remittances_withheld = (yt.remittances[t] * self.remittance_cut).sum(axis=1)
            self.remittance_cut.fill(0.0)
            self.remittances_cut = False
        else:
            # no cut this year: x * (1.0 - 0.0) is x, and the sums of x * 0.0 are worked
            # out once per scenario (YearTerms.remittances_uncut); the powers' and the
            # other partners' in one copy (YearTerms.remittance_values)
            np.copyto(self.ties.remittance_values, yt.remittance_values[t])
            self.remittances_withheld = yt.remittances_uncut[t]
            return
        self.ties.remittances_other = yt.remittances_other[t]


def _merged_params(params: Mapping[str, Any] | None, dotted: dict[str, Any]) -> dict[str, Any]:
    """`params` and the dotted keyword arguments together; any other keyword is a typo."""
    unknown = [k for k in dotted if "." not in k]
    if unknown:
        raise TypeError(
            f"CompetitionModel() got unexpected keyword argument(s) {unknown}; parameters "
            "are dotted paths (params={'powers.RUS.exclusivity': 0.7})"
        )
    if params is not None and not isinstance(params, Mapping):
        raise PolarsimInputError(
            f"expected a mapping of dotted paths to values, found {params!r}", field="params"
        )
    return {**(params or {}), **dotted}


def _prepared(scenario: Scenario | Setup | str | Path, params: Mapping[str, Any]) -> Setup:
    """The set-up of a scenario, a scenario file, or a set-up prepared elsewhere (sweeps,
    synthetic benchmarks), with `params` applied."""
    if isinstance(scenario, Setup):
        if params:
            raise PolarsimInputError(
                "a prepared Setup has its parameters fixed; pass the scenario (file or "
                "Scenario) with params",
                field="params",
            )
        return scenario
    if params or not isinstance(scenario, Scenario):
        scenario = with_params(scenario, params)
    return prepare(scenario)


#: _policy's floor of the receptivity before its power (a 0-d array: the ufunc converts
#: a Python float on every call)
_RECEPTIVITY_FLOOR = np.array(1e-9)


def _relative(now: np.ndarray, start: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """now / start where start > 0 (`positive`, fixed for the run), else 0."""
    return np.divide(now, start, out=np.zeros(now.shape), where=positive)
