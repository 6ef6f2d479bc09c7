"""Agents: great powers and regional states (Mesa agents), and infrastructure projects
(lighter objects the model schedules itself; see Project).

Agents hold identity, attributes and decisions; the tie arrays they act on live in
the model (state in arrays, identity in agents), so the mechanisms stay vectorised.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

import mesa
import numpy as np

from polarsim.codes import ARENAS
from polarsim.model.doctrines import PowerDoctrine, StateDoctrine
from polarsim.model.mechanisms import coercion, projects
from polarsim.model.mechanisms.arrays import add_reduce
from polarsim.scenario.events import PROJECT_KINDS

if TYPE_CHECKING:
    from polarsim.model.model import CompetitionModel

#: the statuses a project steps through (recorder.PROJECT_STATUSES are those counted)
PROPOSED, UNDER_CONSTRUCTION, STALLED = "proposed", "under_construction", "stalled"


class GreatPower(mesa.Agent):
    """A great power: proposes projects where it engages, coerces where it demands
    exclusivity."""

    def __init__(
        self, model: CompetitionModel, index: int, code: str, doctrine: type[PowerDoctrine]
    ):
        super().__init__(model)
        self.index = index
        self.code = code
        self.doctrine = doctrine

    def propose_projects(self) -> None:
        """Turn this year's proposal counts (drawn for all powers at once) into
        Project agents with a kind and a cost."""
        m = self.model
        prm = m.params.infrastructure
        counts = m.proposals[:, self.index].tolist()  # a handful of states: plain ints
        if not any(counts):
            return
        draw_cost = projects.lognormal_sampler(prm.mean_cost_usd_bn * m.price_scale)
        states = m.setup.states
        loan_share = float(m.setup.loan_share[self.index])
        cdfs = m.setup.kind_cdf_lists[self.index]
        capacity = prm.capacity_per_usd_bn
        rng = m.rng_projects
        last_kind = len(PROJECT_KINDS) - 1
        year = f"-{m.year}"
        for s, n in enumerate(counts):
            if not n:
                continue
            cdf = cdfs[s]
            host = m.single_host[s]
            code = states[s]
            prefix = f"{self.code}-{code}-"  # the name: sponsor-host-kind-year
            for _ in range(n):
                # projects.draw_kind_from_list, inline
                kind = PROJECT_KINDS[min(bisect_right(cdf, rng.random()), last_kind)]
                cost = draw_cost(rng)
                Project.proposal(
                    m,
                    prefix + kind + year,
                    self.index,
                    self.code,
                    s,
                    code,
                    host,
                    kind,
                    cost,
                    cost * capacity[kind],
                    loan_share,
                )

    # ----- state, for Mesa reporters (this year's values, read from the model) --------
    @property
    def doctrine_name(self) -> str:
        return self.doctrine.name

    @property
    def budget_usd_m(self) -> float:
        """This year's regional budget, USD m."""
        return float(self.model.budget[self.index])

    @property
    def exclusivity(self) -> float:
        """How strongly it demands exclusive ties (0-1), events included."""
        return float(self.model.exclusivity[self.index])

    @property
    def effort_usd_m(self) -> dict[str, float]:
        """This year's engagement by arena over all states, USD m."""
        effort = self.model.effort[:, :, self.index].sum(axis=1)
        return dict(zip(ARENAS, effort.tolist(), strict=True))

    @property
    def influence_share(self) -> float:
        """Its share of the powers' regional influence: the states' ties with it
        weighted by their GDP (the measure behind CON, metrics.concentration)."""
        m = self.model
        weight = m.gdp_state @ m.composite_shares()
        total = weight.sum()
        return float(weight[self.index] / total) if total > 0 else 0.0

    def coerce(self) -> None:
        """Act on the states where this year's draw gave a coercive act: pick the
        instrument of the doctrine with the most leverage."""
        m, p = self.model, self.index
        instruments = self.doctrine.instruments
        for s in m.coercion_draws[:, p].nonzero()[0].tolist():
            # max over the usable instruments of coercion.instrument_leverage, only the
            # doctrine's worked out (the shares again for each state: an act of
            # protection moves them)
            instrument = coercion.strongest_instrument(
                p, s, instruments, m.ties.shares(), m.ties.remittances, m.ties.debt, m.gdp_state
            )
            if instrument is not None:
                m.apply_coercion(p, s, instrument)


class RegionalState(mesa.Agent):
    """A Central Asian state: decides on projects offered to it."""

    def __init__(
        self, model: CompetitionModel, index: int, code: str, doctrine: type[StateDoctrine]
    ):
        super().__init__(model)
        self.index = index
        self.code = code
        self.doctrine = doctrine

    # ----- state, for Mesa reporters (this year's values, read from the model) --------
    @property
    def doctrine_name(self) -> str:
        return self.doctrine.name

    @property
    def ties(self) -> dict[str, dict[str, float]]:
        """This year's share of each partner (the powers, then "other") by arena."""
        m = self.model
        partners = [*m.setup.powers, "other"]
        shares = m.ties.shares()[:, self.index, :].tolist()
        return {
            a: dict(zip(partners, row, strict=True)) for a, row in zip(ARENAS, shares, strict=True)
        }

    @property
    def receptivity(self) -> dict[str, dict[str, float]]:
        """How open it is to each power by arena this year (mechanisms/responses.py)."""
        m = self.model
        rows = m.receptivity[:, self.index, :].tolist()
        return {
            a: dict(zip(m.setup.powers, r, strict=True)) for a, r in zip(ARENAS, rows, strict=True)
        }

    @property
    def autonomy_index(self) -> float:
        """This year's autonomy index (docs/metrics.md)."""
        return float(self.model.year_metrics()["autonomy_index"][self.index])

    @property
    def top_partner(self) -> str:
        """The power it has the strongest ties with this year (arenas weighted)."""
        m = self.model
        return m.setup.powers[int(m.composite_shares()[self.index].argmax())]

    @property
    def debt_usd_bn(self) -> float:
        """Project debt it owes the powers, USD bn."""
        return float(self.model.ties.debt[self.index].sum())

    def decide_project(self, project: Project, draw: float | None = None) -> bool:
        """Accept or refuse a project offered this year; `draw` is the project's uniform
        of the year if the model drew it already (one call for all projects)."""
        m = self.model
        s = self.index
        # this year's infrastructure receptivity as Python floats, taken once for all the
        # year's decisions (the products and comparisons below are the same in floats)
        if m.receptivity_rows[0] is not m.receptivity:
            m.receptivity_rows = (m.receptivity, m.receptivity[0].tolist())
        rho = m.receptivity_rows[1][s][project.sponsor] if project.sponsor >= 0 else 1.0
        # projects.acceptance_probability, its debt term once while the debt stands
        debt_term = m.debt_terms.get(s)
        if debt_term is None:
            debt_ratio = add_reduce(m.ties.debt[s]) * 1000.0 / m.gdp_state[s]
            debt_term = projects.acceptance_probability(1.0, debt_ratio, m.params.infrastructure)
            m.debt_terms[s] = debt_term
        p = rho * debt_term
        u = m.rng_projects.random() if draw is None else draw
        return bool(u < p)


class Project:
    """An infrastructure project with a life cycle: proposed -> accepted or refused ->
    under construction -> operating, or stalled (and perhaps resumed).

    Not a Mesa agent: a run makes and drops a few hundred of them, and registering each
    with the model (and deregistering it) cost more than the rest of its life. The model
    holds the live ones in creation order, as Mesa's agent set would
    (`model.live_projects`; `model.projects` is a Mesa AgentSet of them), and steps them
    in the order `shuffle_do` would give."""

    __slots__ = (
        "__weakref__",  # for Mesa's AgentSet, which holds weak references
        "model",
        "name",
        "sponsor",
        "partner",
        "hosts",
        "_flows",
        "host_weights",
        "kind",
        "cost",
        "loan_share",
        "operating_year",
        "agreed",
        "route_risk",
        "plain",
        "sponsor_code",
        "host_codes",
        "status",
        "years_built",
    )

    def __init__(
        self,
        model: CompetitionModel,
        *,
        name: str,
        sponsor: int,
        partner: int,
        hosts: list[int],
        flows: np.ndarray | float,
        host_weights: np.ndarray,
        kind: str,
        cost: float,
        loan_share: float,
        operating_year: int | None,
        agreed: bool,
        route_risk: float = 0.0,
    ):
        self.model = model
        self.name = name
        self.sponsor = sponsor  # power index, -1 = other partners
        self.partner = partner  # power index at the other end, -1 = other partners
        self.hosts = hosts
        # (S,) capacity traded with the partner by each host; or, for a single host, its
        # capacity alone (a float): the array is made only if asked for (`flows`), since
        # most projects are refused or commissioned through the host's one cell
        self._flows = flows
        self.host_weights = host_weights  # (S,) split of cost, stock and debt
        self.kind = kind
        self.cost = cost
        self.loan_share = loan_share
        self.operating_year = operating_year
        self.agreed = agreed  # a dated agreement from the scenario: no host decision
        self.route_risk = route_risk
        # one host and no route risk: its stall hazard is its sponsor's and host's alone
        self.plain = len(hosts) == 1 and route_risk == 0.0
        # Names for the event log, fixed for the project's life.
        su = model.setup
        self.sponsor_code = su.powers[sponsor] if sponsor >= 0 else "other"
        self.host_codes = (
            su.states[hosts[0]] if len(hosts) == 1 else "+".join(su.states[h] for h in hosts)
        )
        self.status = status = UNDER_CONSTRUCTION if agreed else PROPOSED
        model.project_counts[status] += 1
        self.years_built = 0
        model.live_projects[self] = None
        model.log_event(
            "project_agreed" if agreed else "project_proposed",
            self.sponsor_code,
            self.host_codes,
            f"{name} ({kind})",
            cost,
        )

    @classmethod
    def proposal(
        cls,
        model: CompetitionModel,
        name: str,
        power: int,
        power_code: str,
        host: int,
        host_code: str,
        host_weights: np.ndarray,
        kind: str,
        cost: float,
        flows: float,
        loan_share: float,
    ) -> Project:
        """A project `power` proposes to the single `host` (its partner the sponsor, no
        route risk, no dated opening): what `Project(...)` makes of those, its fields set
        without the general constructor's keyword arguments and look-ups, as the powers
        propose a few hundred a run."""
        self = object.__new__(cls)
        self.model = model
        self.name = name
        self.sponsor = self.partner = power
        self.hosts = [host]
        self._flows = flows
        self.host_weights = host_weights
        self.kind = kind
        self.cost = cost
        self.loan_share = loan_share
        self.operating_year = None
        self.agreed = False
        self.route_risk = 0.0
        self.plain = True
        self.sponsor_code = power_code
        self.host_codes = host_code
        self.status = PROPOSED
        model.project_counts[PROPOSED] += 1
        self.years_built = 0
        model.live_projects[self] = None
        model.events.append(
            (
                model.replicate,
                model.year,
                "project_proposed",
                power_code,
                host_code,
                f"{name} ({kind})",
                cost,
            )
        )  # model.log_event's row
        return self

    @property
    def flows(self) -> np.ndarray:
        """(S,) capacity traded with the partner by each host."""
        flows = self._flows
        if isinstance(flows, float):
            return self.model.single_host[self.hosts[0]] * flows
        return flows

    def draws_this_year(self) -> bool:
        """Whether this year's step uses a uniform: all but a dated opening under
        construction, whose year is an input."""
        return self.operating_year is None or self.status != UNDER_CONSTRUCTION

    def remove(self) -> None:
        """Leave the schedule (removing twice is harmless, as in Mesa)."""
        self.model.live_projects.pop(self, None)

    def step(self, draw: float | None = None) -> None:
        """One year of the life cycle. `draw` is this year's uniform when the model drew
        it for all projects at once; without it the project draws its own."""
        status = self.status
        # the statuses exclude each other: the commonest first
        if status == UNDER_CONSTRUCTION:
            self._build(draw)
            return
        m = self.model
        if status == PROPOSED:
            if m.state_agents[self.hosts[0]].decide_project(self, draw):
                self._set_status(UNDER_CONSTRUCTION)
                m.log_event(
                    "project_accepted", self.sponsor_code, self.host_codes, self.name, self.cost
                )
            else:
                self._set_status("refused")
                m.log_event(
                    "project_refused", self.sponsor_code, self.host_codes, self.name, self.cost
                )
                self.remove()
        elif (
            status == STALLED
            and (m.rng_projects.random() if draw is None else draw)
            < m.params.infrastructure.resume_rate
        ):
            self._set_status(UNDER_CONSTRUCTION)
            m.log_event("project_resumed", self.sponsor_code, self.host_codes, self.name, self.cost)

    def _build(self, draw: float | None = None) -> None:
        m = self.model
        if self.operating_year is not None:  # a dated opening is an input, not a draw
            if m.year >= self.operating_year:
                self._commission()
            return
        u = m.rng_projects.random() if draw is None else draw
        if self.plain:  # the year's hazard of its sponsor and host (model._stall_terms)
            if m._stall_year != m.t:
                m._stall_terms()
            hazard = m.stall_table[self.sponsor][self.hosts[0]]
        else:
            hazard = m.stall_hazard(self)
        if u < hazard:
            self._set_status(STALLED)
            m.log_event("project_stalled", self.sponsor_code, self.host_codes, self.name, self.cost)
            return
        self.years_built = built = self.years_built + 1
        if built >= m.build_years[self.kind]:
            self._commission()

    def _set_status(self, status: str) -> None:
        counts = self.model.project_counts
        counts[self.status] -= 1
        counts[status] += 1
        self.status = status

    def _commission(self) -> None:
        self._set_status("operating")
        self.model.commission(self)
        self.model.log_event(
            "project_operating", self.sponsor_code, self.host_codes, self.name, self.cost
        )
        # Its life cycle is complete and its effects live in the tie arrays: it leaves
        # the schedule and is kept for inspection.
        self.model.operating_projects.append(self)
        self.remove()
