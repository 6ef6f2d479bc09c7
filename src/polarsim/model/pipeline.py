"""The infrastructure projects of a run and their yearly life cycle.

A great power proposes projects to the states where it engages (or a dated event
agrees one); the host accepts or refuses; an accepted project is built over its kind's
years, may stall and resume, and opens: it adds stock and debt to its hosts' ties with
the sponsor and the trade its capacity carries with the partner.

Each year the projects still in their life cycle take their step in a random order
(the shuffle Mesa's `shuffle_do` makes with the model's `random`), each with one
uniform of the run's project stream (a dated project under construction uses none:
its opening year is an input). A project that opens adds to its host's debt before the
next project in the order is decided on.

A run makes a few hundred projects and steps a few dozen a year: each is a plain list
(the fields below), stepped in one loop, since a Python object with methods per
project (or an array operation per field, for so few) cost several times more than the
decisions themselves. The rules are the free functions of mechanisms/projects.py.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from polarsim.model.mechanisms import projects, trade
from polarsim.model.mechanisms.arrays import add_reduce
from polarsim.model.mechanisms.projects import price_index
from polarsim.model.ties import INFRA
from polarsim.scenario.events import PROJECT_KINDS

if TYPE_CHECKING:
    import pandas as pd

    from polarsim.model.model import CompetitionModel

#: the statuses a project steps through (recorder.PROJECT_STATUSES are those counted)
PROPOSED, UNDER_CONSTRUCTION, STALLED = "proposed", "under_construction", "stalled"
OPERATING, REFUSED = "operating", "refused"

# A project's fields, the indices of its list.
STATUS = 0  # one of the statuses above
BUILT = 1  # years built so far
SPONSOR = 2  # power index; -1: the other partners
PARTNER = 3  # power index at the other end of its trade; -1: the other partners
HOSTS = 4  # [state index, ...]
WEIGHTS = 5  # (S,) each host's share of cost, stock and debt
CAPACITY = 6  # one host's capacity traded with the partner (a float), or (S,) by host
KIND = 7  # one of PROJECT_KINDS
COST = 8  # USD bn
LOAN_SHARE = 9  # share of the cost lent by the sponsor
OPERATING_YEAR = 10  # a dated opening (an input), or None: built at the model's pace
ROUTE_RISK = 11  # extra yearly stall hazard of its route
PLAIN = 12  # one host and no route risk: its stall hazard is its sponsor's and host's
NAME = 13
SPONSOR_CODE = 14
HOST_CODES = 15  # "KAZ", or "TKM+UZB" for several hosts
YEAR = 16  # the year it was proposed or agreed
OPENED = 17  # the year it opened, or None


class ProjectPipeline:
    """Every project of a run, in the order they were made (`records`), and those still
    in their life cycle (`live`, in the same order); `counts` by status."""

    def __init__(self, model: CompetitionModel):
        self.records: list[list] = []
        self.live: list[list] = []
        self.counts: Counter[str] = Counter()
        su = model.setup
        # a host's weights when it is the only one (read-only rows, shared)
        self.single_host = np.eye(len(su.states))
        self.single_host.setflags(write=False)
        # each host's acceptance factor for its debt, kept while its debt stands: cleared
        # each year, a host's when a project that opens adds to its debt
        self.debt_terms: dict[int, float] = {}
        # live dated projects (always under construction until they open): while there
        # are none, every live project draws a uniform, without a look at each
        self.dated = 0

    def __len__(self) -> int:
        return len(self.records)

    # ----- new projects --------------------------------------------------------------
    def propose(self, m: CompetitionModel, counts: np.ndarray) -> None:
        """The powers' proposals of the year, `counts` (S, P) of them, each power in the
        agent set's order (those without proposals draw nothing), then each host: a
        kind drawn from the sponsor's preferences and the host's fit, then a cost whose
        mean moves with nominal prices, one project after the other."""
        proposing = np.logical_or.reduce(counts, axis=0)
        if not np.logical_or.reduce(proposing):
            return
        su, prm, rng = m.setup, m.params.infrastructure, m.rng_projects
        # projects.draw_kind_from_list and lognormal_cost, inline: the same draws
        random, lognormal, sigma = rng.random, rng.lognormal, projects.LOGNORMAL_SIGMA
        mu = projects.lognormal_mu(prm.mean_cost_usd_bn * m.price_scale)
        capacity, kinds = prm.capacity_per_usd_bn, _KINDS_CLAMPED
        year, suffix, rep = m.year, f"-{m.year}", m.replicate
        records, live, events, single = self.records, self.live, m.events, self.single_host
        for p in proposing.nonzero()[0].tolist():
            power = su.powers[p]
            loan_share = float(su.loan_share[p])
            cdfs = su.kind_cdf_lists[p]
            for s, n in enumerate(counts[:, p].tolist()):
                if not n:
                    continue
                cdf, code, weights = cdfs[s], su.states[s], single[s]
                prefix = f"{power}-{code}-"  # the name: sponsor-host-kind-year
                for _ in range(n):
                    kind = kinds[bisect_right(cdf, random())]
                    cost = lognormal(mu, sigma)  # a float
                    name = prefix + kind + suffix
                    record = [PROPOSED, 0, p, p, [s], weights, cost * capacity[kind], kind]
                    record += [cost, loan_share, None, 0.0, True, name, power, code, year, None]
                    records.append(record)
                    live.append(record)
                    events.append(
                        (rep, year, "project_proposed", power, code, f"{name} ({kind})", cost)
                    )
                self.counts[PROPOSED] += n

    def agree(
        self,
        m: CompetitionModel,
        *,
        name: str,
        kind: str,
        sponsor: int,
        partner: int,
        hosts: list[int],
        flows: np.ndarray,
        host_weights: np.ndarray,
        cost: float,
        loan_share: float,
        operating_year: int | None,
        route_risk: float,
    ) -> None:
        """A dated project, under construction from this year (no host decision):
        `flows` (S,) the capacity each host trades with the partner, `host_weights` (S,)
        each host's share of the cost, stock and debt."""
        su = m.setup
        sponsor_code = su.powers[sponsor] if sponsor >= 0 else "other"
        host_codes = "+".join(su.states[h] for h in hosts)
        plain = len(hosts) == 1 and route_risk == 0.0
        record = [UNDER_CONSTRUCTION, 0, sponsor, partner, hosts, host_weights, flows, kind]
        record += [cost, loan_share, operating_year, route_risk, plain, name]
        record += [sponsor_code, host_codes, m.year, None]
        self.records.append(record)
        self.live.append(record)
        self.counts[UNDER_CONSTRUCTION] += 1
        if operating_year is not None:
            self.dated += 1
        m.log_event("project_agreed", sponsor_code, host_codes, f"{name} ({kind})", cost)

    # ----- the year ------------------------------------------------------------------
    def step(self, m: CompetitionModel) -> None:
        """One year of every live project's life cycle (module docstring)."""
        if not self.live:
            return
        self.debt_terms.clear()  # the debts and GDP moved since last year's projects
        order = self.live.copy()
        shuffle(m.random, order)
        uniforms = self._uniforms(m.rng_projects, order)
        sponsor_part, host_part, table = _stall_terms(m)
        prm = m.params.infrastructure
        build_years, resume_rate = prm.build_years, prm.resume_rate
        rep, year, events, counts = m.replicate, m.year, m.events, self.counts
        receptivity = None  # the hosts' infrastructure receptivity, as lists, once asked
        gone = False  # a project opened or was refused: it leaves the schedule
        for r, u in zip(order, uniforms, strict=True):
            status = r[STATUS]
            # the statuses exclude each other: the commonest first
            if status == UNDER_CONSTRUCTION:
                if r[OPERATING_YEAR] is not None:  # a dated opening is an input, not a draw
                    if year >= r[OPERATING_YEAR]:
                        self._open(m, r)
                        self.dated -= 1
                        gone = True
                    continue
                if r[PLAIN]:  # the year's hazard of its sponsor and host
                    hazard = table[r[SPONSOR]][r[HOSTS][0]]
                else:
                    hazard = stall_hazard(r, prm.stall_hazard, sponsor_part, host_part)
                if u < hazard:
                    kind = "project_stalled"
                    new = STALLED
                else:
                    r[BUILT] = built = r[BUILT] + 1
                    if built >= build_years[r[KIND]]:
                        self._open(m, r)
                        gone = True
                    continue
            elif status == PROPOSED:
                if receptivity is None:
                    receptivity = m.receptivity[0].tolist()
                if self._accepts(m, r, u, receptivity):
                    kind, new = "project_accepted", UNDER_CONSTRUCTION
                else:
                    kind, new = "project_refused", REFUSED
                    gone = True
            elif status == STALLED and u < resume_rate:
                kind, new = "project_resumed", UNDER_CONSTRUCTION
            else:
                continue
            counts[status] -= 1
            counts[new] += 1
            r[STATUS] = new
            events.append((rep, year, kind, r[SPONSOR_CODE], r[HOST_CODES], r[NAME], r[COST]))
        if gone:  # operating and refused projects leave the schedule (kept in `records`)
            self.live = [r for r in self.live if r[STATUS] != OPERATING and r[STATUS] != REFUSED]

    def _uniforms(self, rng: np.random.Generator, order: list) -> list:
        """The year's uniform of each project in `order`, drawn at once; a dated
        project under construction draws none (None in its place)."""
        if not self.dated:
            return rng.random(len(order)).tolist()
        dated = {
            id(r)
            for r in order
            if r[OPERATING_YEAR] is not None and r[STATUS] == UNDER_CONSTRUCTION
        }
        n = len(order) - len(dated)
        uniforms = rng.random(n).tolist() if n else []
        if dated:
            drawn = iter(uniforms)
            uniforms = [None if id(r) in dated else next(drawn) for r in order]
        return uniforms

    def _accepts(self, m: CompetitionModel, r: list, u: float, receptivity: list) -> bool:
        """The host's decision on a proposal: its receptivity to the sponsor (last
        year's response) times its acceptance factor for the debt it owes."""
        s, sponsor = r[HOSTS][0], r[SPONSOR]
        rho = receptivity[s][sponsor] if sponsor >= 0 else 1.0
        # projects.acceptance_probability, its debt term once while the debt stands
        debt_term = self.debt_terms.get(s)
        if debt_term is None:
            debt_ratio = add_reduce(m.ties.debt[s]) * 1000.0 / m.gdp_state[s]
            debt_term = projects.acceptance_probability(1.0, debt_ratio, m.params.infrastructure)
            self.debt_terms[s] = debt_term
        return bool(u < rho * debt_term)

    def _open(self, m: CompetitionModel, r: list) -> None:
        """A project opens: stock and debt on its hosts' ties with the sponsor (the
        other partners' column for theirs), the trade its capacity carries with the
        partner."""
        counts = self.counts
        counts[r[STATUS]] -= 1
        counts[OPERATING] += 1
        r[STATUS], r[OPENED] = OPERATING, m.year
        ties, sponsor, hosts, cost, kind = m.ties, r[SPONSOR], r[HOSTS], r[COST], r[KIND]
        if len(hosts) == 1:
            # one host: the other cells would only gain 0.0 x cost, so the host's cell
            # alone, as a scalar (the same product and sum, a fraction of the calls)
            h = hosts[0]
            w = float(r[WEIGHTS][h]) * cost
            ties.values[INFRA, h, sponsor] += w
            if sponsor >= 0:
                ties.debt[h, sponsor] += w * r[LOAN_SHARE]
                # only the host's debt moved: the other states' acceptance terms stand
                self.debt_terms.pop(h, None)
        else:
            w = r[WEIGHTS] * cost
            ties.values[INFRA, :, sponsor] += w
            if sponsor >= 0:
                ties.debt[:, sponsor] += w * r[LOAN_SHARE]
                self.debt_terms.clear()
        capacity = r[CAPACITY]
        if isinstance(capacity, float):
            # a single host's capacity: trade.flow_value's products for its cell alone
            # (the array would hold 0.0 elsewhere and 1.0 x capacity there)
            prm = m.params.trade
            value = capacity * prm.value_per_unit[kind] * prm.utilisation[kind]
            m.project_flows.add_cell(hosts[0], value, r[PARTNER], price_index(kind), m.t)
        else:
            value = trade.flow_value(capacity, kind, m.params.trade)
            m.project_flows.add(value, r[PARTNER], price_index(kind), m.t)
        ties.invalidate()
        row = (r[SPONSOR_CODE], r[HOST_CODES], r[NAME], cost)
        m.events.append((m.replicate, m.year, "project_operating", *row))

    # ----- views ----------------------------------------------------------------------
    def reindex_powers(self, index) -> None:
        """Powers enter the run (model/entry.py): `index(i)` is old power index i in the
        new stage (the other partners, -1, stay)."""
        for r in self.records:
            r[SPONSOR], r[PARTNER] = index(r[SPONSOR]), index(r[PARTNER])

    def frame(self, m: CompetitionModel) -> pd.DataFrame:
        """One row per project proposed or agreed so far, in the order they were made:
        name, year, sponsor, partner, hosts, kind, cost (USD bn), loan share, status,
        years built, dated opening year (NA: built at the model's pace), the year it
        opened (NA: not yet)."""
        import pandas as pd

        powers = m.setup.powers
        rows = self.records
        return pd.DataFrame(
            {
                "name": [r[NAME] for r in rows],
                "year": np.array([r[YEAR] for r in rows], dtype=np.int64),
                "sponsor": [r[SPONSOR_CODE] for r in rows],
                "partner": [powers[r[PARTNER]] if r[PARTNER] >= 0 else "other" for r in rows],
                "hosts": [r[HOST_CODES] for r in rows],
                "kind": [r[KIND] for r in rows],
                "cost_usd_bn": np.array([r[COST] for r in rows], dtype=float),
                "loan_share": np.array([r[LOAN_SHARE] for r in rows], dtype=float),
                "status": [r[STATUS] for r in rows],
                "years_built": np.array([r[BUILT] for r in rows], dtype=np.int64),
                "operating_year": pd.array([r[OPERATING_YEAR] for r in rows], dtype="Int64"),
                "opened_year": pd.array([r[OPENED] for r in rows], dtype="Int64"),
            }
        )


def stall_hazard(r: list, base: float, sponsor_part: list, host_part: list) -> float:
    """A project's stall hazard this year: the base hazard, its route risk, its
    sponsor's part (sanctions or war on the sponsor; none for the other partners) and
    its host's (unrest; the highest of its hosts'), at most 1."""
    h = base + r[ROUTE_RISK]
    sponsor, hosts = r[SPONSOR], r[HOSTS]
    if sponsor >= 0:
        h += sponsor_part[sponsor]
    h += host_part[hosts[0]] if len(hosts) == 1 else max(host_part[s] for s in hosts)
    return 1.0 if 1.0 < h else h  # min(h, 1.0), without the call


def _stall_terms(m: CompetitionModel) -> tuple[list, list, list]:
    """The year's terms of the stall hazard, once for all its projects: the sponsors'
    and hosts' parts, and the hazard of each (sponsor, host) pair for a project with one
    host and no route risk (all those the powers propose), looked up instead of adding
    the parts for every project. They follow the year's conditions alone, so the
    replicates of a set-up share them, and the set-ups of the same conditions and stall
    parameters (lists nobody changes)."""
    su, t = m.setup, m.t
    terms = su.stall_memo.get(t)
    if terms is None:
        prm, c = m.params.infrastructure, su.conditions
        pressure = np.maximum(c.sanctioned_power[t], c.war[t])
        sponsor = prm.stall_sanctions * pressure
        host = prm.stall_unrest * c.unrest[t]
        # stall_hazard's sums in its order, route risk 0.0 included, and its min(h,
        # 1.0) (NaN stays NaN in both); the last row is a project of the other
        # partners (sponsor -1), which has no sponsor's part
        base = prm.stall_hazard + 0.0
        rows = np.append(base + sponsor, base)
        table = np.minimum(rows[:, None] + host[None, :], 1.0)
        terms = su.stall_memo[t] = (sponsor.tolist(), host.tolist(), table.tolist())
    return terms


def shuffle(rnd: random.Random, items: list) -> None:
    """`rnd.shuffle(items)`: the same swaps from the same draws of `getrandbits`, as
    CPython's `Random.shuffle` and `_randbelow_with_getrandbits` make them, without their
    two calls per item (a run shuffles its projects every year). A generator that
    draws otherwise (a subclass) shuffles its own way."""
    if type(rnd).shuffle is not _SHUFFLE or type(rnd)._randbelow is not _RANDBELOW:
        rnd.shuffle(items)
        return
    getrandbits = rnd.getrandbits
    for i in range(len(items) - 1, 0, -1):
        n = i + 1
        k = n.bit_length()
        j = getrandbits(k)
        while j >= n:
            j = getrandbits(k)
        items[i], items[j] = items[j], items[i]


#: PROJECT_KINDS indexed by bisect_right on a kind's cumulative distribution: past its
#: end (a uniform at or above a last cumulative that rounding left below 1.0) the last
#: kind, as draw_kind's min(..., last) makes it, without the call
_KINDS_CLAMPED = (*PROJECT_KINDS, PROJECT_KINDS[-1])

_SHUFFLE = random.Random.shuffle
_RANDBELOW = random.Random._randbelow_with_getrandbits
