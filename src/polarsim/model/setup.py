"""Everything a run needs that does not depend on the seed, built once per scenario:
index tables, parameter arrays, drivers, compiled events, initial ties from the data.

`prepare()` is cached by scenario hash so replicates pay it once. The design points of a
sweep differ in a few parameter values, most of which no data table depends on: the
parts of the preparation that read the bundled tables (initial trade, arms, remittances,
memberships, projects, observed trade shares, drivers) are each remembered by exactly
the scenario values they read (`_part`), so a new point recomputes only the parts its
values change and the arithmetic of the rest, and gets a Setup of its own (whose cached
properties, which read parameters, start empty).
"""

from __future__ import annotations

import dataclasses
import json
import warnings
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TypeVar

import numpy as np
import pandas as pd

from polarsim import data, metrics
from polarsim.errors import PolarsimInputError, PolarsimNote
from polarsim.model import yearly
from polarsim.model.conditions import Conditions, compile_conditions
from polarsim.model.doctrines import POWER_DOCTRINES, STATE_DOCTRINES, PowerDoctrine, StateDoctrine
from polarsim.model.drivers import Drivers, build_drivers
from polarsim.model.mechanisms import institutions
from polarsim.model.mechanisms.projects import kind_cdf, price_index
from polarsim.model.mechanisms.trade import damped_horizon, flow_value, ramp, residual_trends
from polarsim.model.structure import forget_structures, scenario_key, structure
from polarsim.model.ties import TRADE, Ties
from polarsim.model.yearly import YearTerms
from polarsim.scenario import Scenario
from polarsim.scenario.event_types.project import ProjectEvent

Term = TypeVar("Term")


@dataclass(frozen=True)
class Setup:
    scenario: Scenario
    scenario_hash: str
    years: np.ndarray
    powers: list[str]
    states: list[str]
    institutions: list[str]
    institution_kinds: list[str]
    institution_sponsors: list[list[int]]
    power_doctrines: list[type[PowerDoctrine]]
    state_doctrines: list[type[StateDoctrine]]
    relations: np.ndarray  # (P, P) rivalry, zero diagonal
    budget_pct: np.ndarray  # (P,)
    exclusivity: np.ndarray  # (P,)
    loan_share: np.ndarray  # (P,)
    autonomy: np.ndarray  # (S,)
    endowments: np.ndarray  # (S, 3) hydrocarbons, minerals, hydro
    transit: np.ndarray  # (S,)
    threat: np.ndarray  # (S,)
    arms_intensity: np.ndarray  # (S,) USD m TIV per USD m military spending
    kind_cdf: np.ndarray  # (P, S, K) cumulative probabilities of project kinds

    @cached_property
    def arena_split(self) -> np.ndarray:
        """(3, P) each power's doctrine split of its budget over the arenas."""
        return np.stack([d.arena_split() for d in self.power_doctrines], axis=1)

    @cached_property
    def contest_response(self) -> np.ndarray:
        return np.array([d.contest_response for d in self.power_doctrines])

    @cached_property
    def arena_weights(self) -> np.ndarray:
        """(3,) weights of the arenas in composite shares, summing to 1."""
        w = self.scenario.parameters.metrics.arena_weights
        v = np.array([w[a] for a in ("infra", "trade", "security")])
        return v / v.sum()

    # The memos below are filled by the runs and read by every set-up of the process
    # whose inputs to them are equal (`shared`): the design points of a sweep over
    # parameters they do not read share them as the replicates of one point do.

    @cached_property
    def institution_memo(self) -> dict:
        """Institution terms by memberships (model._institution_arrays), filled by the
        runs: dated events give every replicate the same memberships."""
        values, arrays = self._institution_inputs
        return self.shared("institutions", values, arrays, dict)

    @cached_property
    def sponsor_matrices(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(I, P) the powers leading each customs union, alliance and forum
        (institutions.sponsor_matrix), read-only."""
        kinds, sponsors, P = self.institution_kinds, self.institution_sponsors, len(self.powers)
        return self.shared(
            "sponsors",
            (kinds, sponsors, P),
            (),
            lambda: tuple(
                institutions.sponsor_matrix(kinds, sponsors, P, kind)
                for kind in ("customs_union", "alliance", "forum")
            ),
        )

    @cached_property
    def _institution_inputs(self) -> tuple[tuple, tuple[str, ...]]:
        """What institution terms read besides the memberships: the sponsors, the tariff
        and contest parameters, the import shares (S: the memberships' rows)."""
        trade, contest = self.scenario.parameters.trade, self.scenario.parameters.contest
        values = (
            self.institution_kinds,
            self.institution_sponsors,
            len(self.powers),
            len(self.states),
            trade.customs_union_tariff_rise,
            trade.trade_elasticity,
            trade.customs_union_internal_gain,
            contest.forum_bonus,
            contest.alliance_bonus,
        )
        # the memberships at the start too: they and the dated events decide which
        # memberships the runs fill the memo with, so a design over them adds memos the
        # least recently used are dropped from, not entries to one memo without end
        return values, ("import_share", "initial_membership")

    @cached_property
    def pole_matrix(self) -> np.ndarray:
        """(Q, P) the metrics' pole membership of the powers (metrics.pole_matrix),
        read-only: every recorder of the set-up's runs reads it."""
        poles = self.scenario.parameters.metrics.poles
        return self.shared(
            "poles", (self.powers, poles), (), lambda: metrics.pole_matrix(self.powers, poles)
        )

    @cached_property
    def stall_memo(self) -> dict:
        """The stall hazard's terms by year index (model._stall_terms), filled by the
        runs."""
        prm = self.scenario.parameters.infrastructure
        return self.shared(
            "stall",
            (prm.stall_hazard, prm.stall_sanctions, prm.stall_unrest),
            ("conditions.sanctioned_power", "conditions.war", "conditions.unrest"),
            dict,
        )

    @cached_property
    def security_memo(self) -> dict:
        """The security contest's terms by year index and memberships
        (model._update_security), filled by the runs: of the institution terms, the
        arms demand (YearTerms.arms_demand) and the embargoes."""
        prm = self.scenario.parameters
        values, arrays = self._institution_inputs
        return self.shared(
            "security",
            (
                *values,
                prm.security.threat_weight,
                prm.contest.other_suppliers_weight,
                prm.security.guarantee_value,
            ),
            (*arrays, *yearly.DEMAND_ARRAYS, "conditions.sanctions_on_state"),
            dict,
        )

    @cached_property
    def budget_memo(self) -> dict:
        """The powers' budgets (and their split over the arenas) by year index and
        stances (model._engage), filled by the runs: dated events give every replicate
        the same stances."""
        # the stances at the start too (budget_pct), for the reason the institution
        # terms take the start's memberships (_institution_inputs)
        return self.shared(
            "budgets",
            (self.scenario.parameters.engagement.sanctions_budget_cut,),
            (
                "budget_pct",
                "drivers.gdp_power",
                "conditions.war",
                "conditions.budget_factor",
                "conditions.sanctioned_power",
                "arena_split",
            ),
            dict,
        )

    @cached_property
    def kind_cdf_lists(self) -> list[list[list[float]]]:
        """kind_cdf as nested lists, for drawing one project kind at a time (nobody
        changes them)."""
        return self.shared("kind_cdf", (), ("kind_cdf",), self.kind_cdf.tolist)

    @cached_property
    def year_terms(self) -> YearTerms:
        """The run-independent terms of every year, shared by the replicates (and, part
        by part, by the set-ups with the same inputs to each part: yearly.year_terms)."""
        return yearly.year_terms(self)

    @cached_property
    def security_openness(self) -> np.ndarray:
        return np.array([d.security_openness for d in self.state_doctrines])

    @cached_property
    def patron_bonus(self) -> np.ndarray:
        return np.array([d.patron_bonus for d in self.state_doctrines])

    def shared(
        self, name: str, values: tuple, arrays: tuple[str, ...], build: Callable[[], Term]
    ) -> Term:
        """A run-independent term shared by every set-up of the process whose inputs to
        it are equal: `values`, the parameter values (and other plain values) `build`
        reads, and `arrays`, the names of the set-up's arrays it reads (a field, or a
        dotted path: "conditions.war"), compared by dtype, shape and bytes, never by
        identity (a set-up made with dataclasses.replace and other arrays finds its own).
        The value is read-only: arrays are made so, lists and dicts nobody changes but
        the memos' filling."""
        key = (name, tuple(map(repr, values)), self._content(arrays))
        return _remember(_MEMOS, key, lambda: _read_only(build()), _MEMOS_SIZE)

    @cached_property
    def _contents(self) -> dict[str, tuple | None]:
        return {}

    def _content(self, names: tuple[str, ...]) -> tuple:
        """The named arrays by content (`shared`), each worked out once per set-up."""
        seen = self._contents
        out = []
        for name in names:
            if name not in seen:
                value = self
                for attr in name.split("."):
                    value = getattr(value, attr)
                seen[name] = _array_key(value)
            out.append(seen[name])
        return tuple(out)

    @property
    def gravity0(self) -> np.ndarray:
        """(S, P+1) the gravity part of the start year's trade, from which the gravity
        targets grow (`gravity_start`, or the start year's trade itself)."""
        if self.gravity_start is None:
            return self.initial_ties.values[TRADE]
        return self.gravity_start

    drivers: Drivers
    conditions: Conditions
    initial_ties: Ties
    initial_membership: np.ndarray  # (S, I) bool
    initial_bases: np.ndarray  # (S, P) bool
    initial_projects: list[ProjectEvent]  # operating by the start year
    timeline: dict[int, list]  # one-shot events by year (after the start year)
    trade_trend: np.ndarray  # (T, P) factor on each power's gravity target
    # (S, P+1) observed arms deliveries, USD m TIV, over the security window up to the
    # start year (the other suppliers last): the deliveries before the run
    initial_arms: np.ndarray
    # (S, P+1) the deliveries the security contest is anchored on: those of the latest
    # window up to the start year with any (initial_arms where it has some); None, the
    # initial_arms themselves
    arms_anchor: np.ndarray | None = None
    # (W, S, P+1) the observed deliveries of each year of that window, oldest first (a
    # state the data do not cover: the window's mean each year); None: the mean for all
    arms_years: np.ndarray | None = None
    # (S, P+1) imports' share of each pair's trade (the other partners last), where a
    # customs union's tariff falls (initial_import_share); None: on all of it
    import_share: np.ndarray | None = None
    # (S, P+1) the gravity part of the start year's trade (start_gravity); None: all of
    # it (no project still ramping up at the start)
    gravity_start: np.ndarray | None = None
    # (S,) bool: the state's remittances at the start are known (the scenario's
    # remittances_pct_gdp or an observation up to the start year); None: all are
    remittances_known: np.ndarray | None = None


def relation_matrix(s: Scenario) -> np.ndarray:
    idx = {c: i for i, c in enumerate(s.powers)}
    m = np.zeros((len(idx), len(idx)))
    for key, value in s.relations.items():
        a, b = key.split("-")
        if a in idx and b in idx:
            m[idx[a], idx[b]] = m[idx[b], idx[a]] = value
    return m


def _active(start, end, year: int) -> bool:
    return (pd.isna(start) or int(start) <= year) and (pd.isna(end) or int(end) > year)


def initial_memberships(s: Scenario, year: int) -> tuple[np.ndarray, np.ndarray]:
    """Memberships and foreign bases in force at the start year, from the bundled data."""
    return _part(
        (structure(s).token, "memberships", year),
        lambda: ("memberships", year, _codes(s)),
        lambda: _initial_memberships(s, year),
    )


def _initial_memberships(s: Scenario, year: int) -> tuple[np.ndarray, np.ndarray]:
    si = {c: i for i, c in enumerate(s.states)}
    ii = {c: i for i, c in enumerate(s.institutions)}
    pi = {c: i for i, c in enumerate(s.powers)}
    member = np.zeros((len(si), len(ii)), dtype=bool)
    bases = np.zeros((len(si), len(pi)), dtype=bool)
    for row in data.load_memberships().itertuples(index=False):
        # A summit format persists after its meeting: the end date of a forum row is the
        # meeting's last day, not the end of the format.
        end = None if row.status == "forum" else row.end_year
        if row.state not in si or not _active(row.start_year, end, year):
            continue
        if row.status == "base" and row.power in pi:
            bases[si[row.state], pi[row.power]] = True
        elif row.status in ("member", "forum") and row.institution in ii:
            member[si[row.state], ii[row.institution]] = True
    return member, bases


def initial_trade(s: Scenario, year: int) -> tuple[np.ndarray, np.ndarray]:
    """Flows in USD m with each power and the rest: the recommended basis of the bundled
    data, or the scenario's own figures for a state or pair the data do not cover."""

    def key() -> tuple:
        own = {
            c: st.model_dump(include={"initial_trade_usd_m", "initial_trade_shares"})
            for c, st in s.states.items()
        }
        return ("trade", year, _codes(s), own, _powers_ties(s))

    return _part((structure(s).token, "trade", year), key, lambda: _initial_trade(s, year))


def _initial_trade(s: Scenario, year: int) -> tuple[np.ndarray, np.ndarray]:
    t = data.load_trade_shares("recommended")
    t = t[t["year"] == year]
    flows = np.zeros((len(s.states), len(s.powers)))
    totals = np.zeros(len(s.states))
    for i, (code, st) in enumerate(s.states.items()):
        rows = t[t["state"] == code]
        if st.initial_trade_usd_m is not None:
            totals[i] = st.initial_trade_usd_m
            shares = st.initial_trade_shares
        elif not rows.empty:
            totals[i] = float(rows["total_trade_musd"].iloc[0])
            shares = rows.groupby("partner")["share"].sum().to_dict()
        else:
            raise PolarsimInputError(
                f"no bundled trade data in {year}; give initial_trade_usd_m and "
                "initial_trade_shares",
                field=f"states.{code}",
            )
        for j, p in enumerate(s.powers):
            flows[i, j] = shares.get(p, 0.0) * totals[i]
    _ties_from_powers(s, flows, totals, "trade_share")
    other = np.maximum(totals - flows.sum(axis=1), 0.0)
    return flows, other


def initial_import_share(s: Scenario, year: int) -> np.ndarray:
    """(S, P+1) imports' share of each state's trade with each power and with the other
    partners together, from the bundled data of the latest year up to `year` that has
    both directions for the state (the bundled rows give them to 2010); 1 for a pair
    without them (a state the data do not cover, a pair without trade): the tariff then
    falls on all of its trade, as it did before directions were read."""
    return _part(
        (structure(s).token, "import_share", year),
        lambda: ("import_share", year, _codes(s)),
        lambda: _initial_import_share(s, year),
    )


def _initial_import_share(s: Scenario, year: int) -> np.ndarray:
    t = data.load_trade_shares("recommended")
    t = t[(t["year"] <= year) & t["exports_musd"].notna() & t["imports_musd"].notna()]
    out = np.ones((len(s.states), len(s.powers) + 1))
    for i, code in enumerate(s.states):
        rows = t[t["state"] == code]
        if rows.empty:
            continue
        rows = rows[rows["year"] == rows["year"].max()]
        powers = rows["partner"].isin(s.powers)
        groups = [(rows[rows["partner"] == p], j) for j, p in enumerate(s.powers)]
        groups.append((rows[~powers], len(s.powers)))
        for g, j in groups:
            both = float(g["imports_musd"].sum() + g["exports_musd"].sum())
            if both > 0:
                out[i, j] = float(g["imports_musd"].sum()) / both
    return out


def _ties_from_powers(s: Scenario, named: np.ndarray, totals: np.ndarray, field: str) -> None:
    """Fill pairs the data leave empty from the powers' `initial_ties` (in place)."""
    si = {c: i for i, c in enumerate(s.states)}
    for j, p in enumerate(s.powers.values()):
        for state, tie in p.initial_ties.items():
            share = getattr(tie, field)
            if state in si and share > 0 and named[si[state], j] == 0:
                named[si[state], j] = share * totals[si[state]]


def arms_window(s: Scenario, year: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Arms deliveries (TIV, USD m) over the `window` years up to the start year, or the
    scenario's own stock for a state the data do not cover."""

    def key() -> tuple:
        own = {
            c: st.model_dump(include={"initial_security_tiv_musd", "initial_security_shares"})
            for c, st in s.states.items()
        }
        return ("arms", year, window, _codes(s), own, _powers_ties(s))

    return _part(
        (structure(s).token, "arms", year, window), key, lambda: _arms_window(s, year, window)
    )


def last_arms_year() -> int:
    """The last year of the bundled arms deliveries (2014: SIPRI's yearly figures)."""
    return int(data.load_arms_imports_annual()["year"].max())


def first_arms_year() -> int:
    """The first year of the bundled arms deliveries (2000)."""
    return int(data.load_arms_imports_annual()["year"].min())


def _arms_window(s: Scenario, year: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    a = data.load_arms_imports_annual()
    # Years of the window outside the data (after its last year or before its first)
    # are not zero deliveries but unknown ones: each counts at the mean of the window's
    # observed years (a 2015 start knows 2011-2014, a 2002 start 2000-2002), as a state
    # without yearly figures takes its window's mean.
    observed = min(year, last_arms_year()) - max(year - window, first_arms_year() - 1)
    scale = window / observed if 0 < observed < window else None
    a = a[(a["year"] <= year) & (a["year"] > year - window)]
    named = np.zeros((len(s.states), len(s.powers)))
    other = np.zeros(len(s.states))
    pi = {c: i for i, c in enumerate(s.powers)}
    for i, (code, st) in enumerate(s.states.items()):
        if st.initial_security_tiv_musd is not None:
            for p, share in st.initial_security_shares.items():
                if p in pi:
                    named[i, pi[p]] = share * st.initial_security_tiv_musd
            other[i] = st.initial_security_tiv_musd - named[i].sum()
            continue
        rows = a[a["state"] == code]
        for sup, tiv in rows.groupby("supplier")["tiv_musd"].sum().items():
            if sup in pi:
                named[i, pi[sup]] += tiv
            else:
                other[i] += tiv
        if scale is not None:
            named[i] *= scale
            other[i] *= scale
    total = named.sum(axis=1) + other
    _ties_from_powers(s, named, total, "security_share")
    return named, np.maximum(total - named.sum(axis=1), 0.0)


def arms_years(s: Scenario, year: int, delivered: np.ndarray) -> np.ndarray:
    """(W, S, P+1) the deliveries of each year of the security window up to `year`,
    oldest first, summing to `delivered` (the window's total); a state whose yearly
    figures do not (its stock given by the scenario) takes the window's mean each year.
    What a forecaster knew of the years before the start: the window shares of the
    first simulated years count them as delivered, not at their mean."""
    window = s.parameters.security.window_years
    years = np.arange(year - window + 1, year + 1)
    yearly = np.stack([np.column_stack(arms_window(s, int(y), 1)) for y in years])
    # outside the data (after its last year, before its first): the observed years' mean
    unseen = (years > last_arms_year()) | (years < first_arms_year())
    if unseen.any() and not unseen.all():
        yearly[unseen] = yearly[~unseen].mean(axis=0)
    mean = delivered / window
    off = ~np.isclose(yearly.sum(axis=0), delivered).all(axis=1)
    yearly[:, off] = mean[off]
    return yearly


#: fewest observed years the arms-intensity ratio is averaged over
MIN_INTENSITY_YEARS = 3


def arms_intensity(s: Scenario, fallback: float) -> np.ndarray:
    """Arms imports per unit of military spending, per state, over the observed years up
    to the start year (at least the first MIN_INTENSITY_YEARS of the data, at most the
    data's last year): a run never sees deliveries after its start year beyond that
    minimum, and a year after the data is not a year without deliveries."""
    last = max(s.time.start_year, 2000 + MIN_INTENSITY_YEARS - 1)
    return np.array([_arms_intensity(code, fallback, last) for code in s.states])


@lru_cache(maxsize=64)
def _arms_intensity(code: str, fallback: float, last: int) -> float:
    """A ratio of means: the mean yearly deliveries over every year from 2000 to `last`
    (or the data's last year) over the mean military spending of the years of that span
    it is reported. Deliveries of years
    without a spending figure count (Tajikistan's of 2006-2007 fell in such years, and
    a ratio over the reported years alone gave it no arms demand at all). A span without
    any delivery takes `fallback` too: SIPRI counts major weapons only, which arrive in
    lumps years apart, so a few years without one do not show that a state buys none
    (a ratio of 0 left Tajikistan out of the arms contest for a whole run from 2005)."""
    a = data.load_arms_imports_annual()
    last = min(last, int(a["year"].max()))  # both means over the years of arms data
    macro = data.load_macro()
    m = macro[(macro["actor"] == code) & (macro["indicator"] == "milex_current_usd_m")]
    m = m[(m["year"] >= 2000) & (m["year"] <= last)].dropna(subset=["value"])
    if m.empty or m["value"].sum() <= 0:
        return fallback
    years = last - 2000 + 1
    tiv = a[(a["state"] == code) & a["year"].between(2000, last)]["tiv_musd"].sum()
    if tiv <= 0:
        return fallback
    return float((tiv / years) / m["value"].mean())


def initial_remittances(
    s: Scenario, year: int, gdp: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Remittances received in the start year (USD m) from each power and the rest, and
    (S,) whether each state's are known: the scenario's share of GDP, or the bundled
    data's latest year up to the start. A state with neither starts without
    remittances and is not known: a later observation is not what a run started in
    that year could know (Uzbekistan's first is 2009), and taking it leaked the future
    into forecasts from earlier origins."""
    gdp_values = np.asarray(gdp, dtype=float).tolist()

    def key() -> tuple:
        own = {
            c: st.model_dump(include={"remittances_pct_gdp", "remittance_shares"})
            for c, st in s.states.items()
        }
        return ("remittances", year, _codes(s), own, gdp_values)

    return _part(
        (structure(s).token, "remittances", year, tuple(gdp_values)),
        key,
        lambda: _initial_remittances(s, year, gdp),
    )


def _initial_remittances(
    s: Scenario, year: int, gdp: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r = data.load_remittances()
    r = r[r["indicator"] == "remittances_received_pct_gdp"].dropna(subset=["value"])
    pi = {c: i for i, c in enumerate(s.powers)}
    named = np.zeros((len(s.states), len(s.powers)))
    other = np.zeros(len(s.states))
    known = np.zeros(len(s.states), dtype=bool)
    unknown: list[str] = []
    for i, (code, st) in enumerate(s.states.items()):
        if st.remittances_pct_gdp is not None:
            pct = st.remittances_pct_gdp
        else:
            rows = r[r["state"] == code]
            before = rows[rows["year"] <= year]
            if before.empty:
                first = f"first observed {rows['year'].min()}" if len(rows) else "no data"
                unknown.append(f"{code} ({first})")
                continue
            pct = float(before.loc[before["year"].idxmax(), "value"])
        known[i] = True
        total = pct / 100.0 * gdp[i]
        given = 0.0
        for p, share in st.remittance_shares.items():
            if p in pi:
                named[i, pi[p]] = share * total
                given += share
        other[i] = total * (1.0 - given)
    if unknown:
        warnings.warn(
            PolarsimNote(
                f"no remittance observation up to {year} for {', '.join(unknown)}: "
                "these states start without remittances and their remittances_pct_gdp "
                "is left empty; states.<code>.remittances_pct_gdp gives a start value"
            ),
            stacklevel=2,
        )
    return named, other, known


def _project_events(s: Scenario, year: int, cost_per_km: float) -> list[ProjectEvent]:
    """Projects from the bundled table, overridden by scenario events of the same name."""

    def key() -> tuple:
        scripted = [e.model_dump(mode="json") for e in s.events if isinstance(e, ProjectEvent)]
        return ("projects", year, cost_per_km, _codes(s), scripted)

    return _part(
        (structure(s).token, "projects", year, cost_per_km),
        key,
        lambda: _build_project_events(s, year, cost_per_km),
    )


#: The capacity of a bundled-only project's event: the schema asks for a positive one,
#: and its flows (all 0) are what the model reads (_build_project_events).
_UNREAD_CAPACITY = 1.0


def _build_project_events(s: Scenario, year: int, cost_per_km: float) -> list[ProjectEvent]:
    scripted = {e.name: e for e in s.events if isinstance(e, ProjectEvent)}
    out = dict(scripted)
    for row in data.load_projects().itertuples(index=False):
        if row.project in out or pd.isna(row.operating_year) or not row.hosts:
            continue
        hosts = [h for h in row.hosts if h in s.states]
        sponsor = row.partner if row.partner in s.powers else "other"
        cost = row.cost_usd_bn
        if pd.isna(cost):
            if pd.isna(row.length_km):
                continue
            cost = row.length_km * cost_per_km / 1000.0
        if not hosts:
            continue
        agreement = (
            int(row.agreement_year) if not pd.isna(row.agreement_year) else int(row.operating_year)
        )
        # The bundled table gives no capacity as a number, so a bundled-only project
        # carries no modelled trade: every host's flow is 0 (the trade it carries by
        # the start year is in the observed start-year data, and it never ramps,
        # `ramping_projects`). It adds its cost to the stock and its loans to the debt.
        # The schema asks for a positive capacity; with the flows given it is not read
        # (ProjectEvent.host_flows). A scenario event of the same name gives a capacity.
        out[row.project] = ProjectEvent(
            type="project",
            name=row.project,
            year=min(agreement, int(row.operating_year)),
            sponsor=sponsor,
            hosts=hosts,
            kind=row.kind,
            capacity=_UNREAD_CAPACITY,
            flows=dict.fromkeys(hosts, 0.0),
            cost_usd_bn=float(cost),
            operating_year=int(row.operating_year),
            source="bundled projects.csv",
        )
    return [e for e in out.values() if e.operating_year is not None and e.operating_year <= year]


def initial_infrastructure(
    s: Scenario, projects: list[ProjectEvent], loan_share: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pi = {c: i for i, c in enumerate(s.powers)}
    si = {c: i for i, c in enumerate(s.states)}
    stock = np.zeros((len(si), len(pi)))
    other = np.zeros(len(si))
    debt = np.zeros((len(si), len(pi)))
    for i, st in enumerate(s.states.values()):
        given = 0.0
        for p, share in st.legacy_infra_shares.items():
            if p in pi:
                stock[i, pi[p]] += share * st.legacy_infra_usd_bn
                given += share
        other[i] += (1.0 - given) * st.legacy_infra_usd_bn
    for j, p in enumerate(s.powers.values()):
        for state, tie in p.initial_ties.items():
            if state in si:
                stock[si[state], j] += tie.infra_usd_bn
    for ev in projects:
        for h, w in ev.host_weights().items():
            if h not in si:
                continue
            if ev.sponsor in pi:
                j = pi[ev.sponsor]
                stock[si[h], j] += w * ev.cost_usd_bn
                ls = ev.loan_share if ev.loan_share is not None else loan_share[j]
                debt[si[h], j] += w * ev.cost_usd_bn * ls
            else:
                other[si[h]] += w * ev.cost_usd_bn
    return stock, other, debt


_PARTS: OrderedDict[str, object] = OrderedDict()
#: parts remembered: a sweep needs the few of its base scenario; a structural design
#: (start years, actors) a few per distinct structure
_PARTS_SIZE = 256


def _codes(s: Scenario) -> list[list[str]]:
    """The codes of the actors and institutions, in the scenario's order (the rows and
    columns of every array a part returns)."""
    return [s.power_codes, s.state_codes, list(s.institutions)]


def _powers_ties(s: Scenario) -> dict:
    """The powers' own start-year ties, which fill pairs the data leave empty."""
    return {
        c: {st: tie.model_dump() for st, tie in p.initial_ties.items()} for c, p in s.powers.items()
    }


#: The text of a part's key by its quick key (`_part`).
_KEYS: OrderedDict[tuple, str] = OrderedDict()


def _part(fast: tuple, key: Callable[[], tuple], build: Callable[[], object]):
    """A part of the preparation remembered by `key()`, every scenario value its `build`
    reads (plus the bundled tables, which do not change in a process). `fast` is the
    structure's token (model.structure) and the parameter values `key()` reads: the
    points of a design over parameters find the key's text by it, without serialising
    the actors again; a design over the actors' own values still shares a part whose
    values they leave alone. Each caller gets its own copy of the arrays and lists: a
    Setup may be changed in place by whoever holds it, which must not reach another
    design point's."""
    text = _remember(
        _KEYS, fast, lambda: json.dumps(key(), sort_keys=True, default=str), _PARTS_SIZE
    )
    return _fresh(_remember(_PARTS, text, build, _PARTS_SIZE))


#: Pieces of the preparation remembered by the structure's token and the parameter
#: values they read (`_shared`).
_SHARED: OrderedDict[tuple, object] = OrderedDict()


def _shared(fast: tuple, build: Callable[[], object]):
    """A piece of the preparation remembered by `fast`, the structure's token and every
    parameter value its `build` reads; each caller gets its own copy (`_part`)."""
    return _fresh(_remember(_SHARED, fast, build, _PARTS_SIZE))


def _fresh(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(_fresh(v) for v in value)
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, Conditions):
        return dataclasses.replace(
            value, **{f.name: _fresh(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    return value


def forget() -> None:
    """Empty every memory of the preparation: what is prepared next is from nothing."""
    for memo in (_PARTS, _KEYS, _SHARED, _DRIVERS, _DRIVER_KEYS, _CACHE):
        memo.clear()
    forget_memos()
    forget_structures()


def forget_memos() -> None:
    """Empty the memories of the run-independent terms (`Setup.shared`) and the
    prepared set-ups that hold them, not the parts of the preparation: a set-up
    prepared next (or a set-up's copy, dataclasses.replace) works its terms out anew."""
    _MEMOS.clear()
    _CACHE.clear()


#: The run-independent terms and memos of the set-ups (`Setup.shared`), by the values
#: and array contents they read.
_MEMOS: OrderedDict[tuple, object] = OrderedDict()
#: a set-up has fourteen; the points of a sweep over parameters share most of them and
#: add a few each (a Sobol design of the autonomy study three: institutions, security,
#: gravity)
_MEMOS_SIZE = 256


def _array_key(a: np.ndarray | None) -> tuple | None:
    """An array by its content: equal keys, equal arrays to the last bit."""
    if a is None:
        return None
    a = np.asarray(a)
    return (a.dtype.str, a.shape, a.tobytes())


def _read_only(value):
    """`value` with its arrays (and those of its tuples and dicts) made read-only: every
    set-up with the same inputs holds it."""
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, tuple):
        for v in value:
            _read_only(v)
    elif isinstance(value, dict):
        for v in value.values():
            _read_only(v)
    return value


_DRIVERS: OrderedDict[str, Drivers] = OrderedDict()


#: The text of a drivers key by the structure's token and the driver parameters.
_DRIVER_KEYS: OrderedDict[tuple, str] = OrderedDict()


def _drivers(s: Scenario, cond: Conditions) -> Drivers:
    """Drivers depend on the actors, the time span, the shocks and the driver parameters,
    not on the mechanism parameters: a sweep over those reuses them."""
    fast = (structure(s).token, s.parameters.drivers)
    key = _remember(_DRIVER_KEYS, fast, lambda: _drivers_key(s))
    return _remember(_DRIVERS, key, lambda: build_drivers(s, cond))


def _drivers_key(s: Scenario) -> str:
    return json.dumps(
        {
            "time": s.time.model_dump(),
            "powers": {
                c: [p.gdp and p.gdp.model_dump(), p.growth_pct] for c, p in s.powers.items()
            },
            "states": {
                c: [
                    st.gdp and st.gdp.model_dump(),
                    st.growth_pct,
                    st.milex_fallback_pct_gdp,
                    st.endowments.model_dump(),
                ]
                for c, st in s.states.items()
            },
            "events": [e.model_dump() for e in s.events if e.moves_drivers],
            "drivers": s.parameters.drivers.model_dump(),
        },
        sort_keys=True,
        default=str,
    )


_CACHE: OrderedDict[str, Setup] = OrderedDict()
_CACHE_SIZE = 16


def _institutions(s: Scenario) -> tuple[list[str], list[str], list[list[int]]]:
    """Institution ids, their kinds, and the indices of the powers sponsoring each."""
    inst = list(s.institutions)
    kinds = [s.institutions[i].kind for i in inst]
    pi = {c: i for i, c in enumerate(s.powers)}
    sponsors = [[pi[c] for c in s.institutions[i].sponsors if c in pi] for i in inst]
    return inst, kinds, sponsors


def initial_security(
    s: Scenario, year: int, member: np.ndarray, bases: np.ndarray, kinds, sponsors
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The security stocks (S, P) and (S,) in the start year: the arms deliveries of the
    window plus what the bases and alliance guarantees in force added over it; and the
    deliveries alone, (S, P+1)."""
    prm = s.parameters.security
    sec, sec_other = arms_window(s, year, prm.window_years)
    delivered = np.column_stack([sec, sec_other])
    alliance = np.zeros((len(s.states), len(s.powers)))
    for k, (kind, sp) in enumerate(zip(kinds, sponsors, strict=True)):
        if kind == "alliance":
            alliance[np.ix_(member[:, k], sp)] = 1.0
    sec = sec + prm.window_years * (prm.base_value * bases + prm.guarantee_value * alliance)
    return sec, sec_other, delivered


def arms_anchor(s: Scenario, year: int, delivered: np.ndarray, yearly: np.ndarray) -> np.ndarray:
    """(S, P+1) the deliveries the security contest is anchored on: those of the latest
    `contest.security_anchor_years` years up to the start year (the whole window
    `delivered` by default), or for a state without any in them the latest earlier
    window with some, back to the first year of the data (Uzbekistan imported nothing
    in 2003-2009: its anchor is the window 2002-2006). All of them data up to the start
    year; persistence of the last observed share, the forecast the model is compared
    with, looks back the same way."""
    window = s.parameters.security.window_years
    first = first_arms_year()
    latest = min(s.parameters.contest.security_anchor_years, window)
    out = delivered.copy()
    if latest < window:
        # the latest observed years (a start after the data's last year has unobserved
        # years at the end of its window: they are the window's mean, not deliveries)
        years = np.arange(year - window + 1, year + 1)
        seen = (years <= last_arms_year()) & (years >= first_arms_year())
        recent = (yearly[seen] if seen.any() else yearly)[-latest:].sum(axis=0)
        some = recent.sum(axis=1) > 0
        out[some] = recent[some]
    for y in range(year - 1, first - 1, -1):
        empty = out.sum(axis=1) <= 0
        if not empty.any():
            break
        named, other = arms_window(s, y, window)
        out[empty] = np.column_stack([named, other])[empty]
    return out


def _timeline(s: Scenario, initial_projects: list[ProjectEvent]) -> dict[int, list]:
    """The scenario's events by the year the model applies them (each type's
    `timeline_year`), in file order within a year."""
    timeline: dict[int, list] = {}
    for ev in s.events:
        year = ev.timeline_year(s.time.start_year, s.time.end_year)
        # a project operating by the start year is in the initial ties already
        if year is not None and ev not in initial_projects:
            timeline.setdefault(year, []).append(ev)
    return timeline


def _actor_fields(s: Scenario) -> dict:
    """The Setup fields that describe the actors: doctrines and their attributes, in
    the order of the scenario's powers and states."""
    state_docs = [STATE_DOCTRINES[st.doctrine] for st in s.states.values()]
    power_docs = [POWER_DOCTRINES[p.doctrine] for p in s.powers.values()]
    endowments = np.array(
        [
            [st.endowments.hydrocarbons, st.endowments.minerals, st.endowments.hydro]
            for st in s.states.values()
        ]
    )
    transit = np.array([st.transit for st in s.states.values()])
    return {
        "power_doctrines": power_docs,
        "state_doctrines": state_docs,
        "relations": relation_matrix(s),
        "budget_pct": np.array([p.budget_pct_gdp for p in s.powers.values()]),
        "exclusivity": np.array([p.exclusivity for p in s.powers.values()]),
        "loan_share": np.array([p.loan_share for p in s.powers.values()]),
        "autonomy": np.array(
            [
                st.autonomy_preference
                if st.autonomy_preference is not None
                else doc.autonomy_preference
                for st, doc in zip(s.states.values(), state_docs, strict=True)
            ]
        ),
        "endowments": endowments,
        "transit": transit,
        "threat": np.array([st.threat for st in s.states.values()]),
        "arms_intensity": arms_intensity(s, s.parameters.security.arms_intensity_fallback),
        "kind_cdf": kind_cdf(
            power_docs, endowments, transit, s.parameters.infrastructure.power_line_hydro_weight
        ),
    }


def _prepare(key: str, scenario: Scenario) -> Setup:
    # Pieces that read only the structure and a few parameters are `_shared` by the
    # design points that leave those alone, under exactly the values they read.
    s = scenario
    t0 = s.time.start_year
    token, prm = structure(s).token, s.parameters
    window = prm.security.window_years
    cond = _shared((token, "conditions"), lambda: compile_conditions(s))
    drv = _drivers(s, cond)
    fallback = prm.security.arms_intensity_fallback
    line_fit = prm.infrastructure.power_line_hydro_weight
    actors = _shared((token, "actors", fallback, line_fit), lambda: _actor_fields(s))
    trade, trade_other = initial_trade(s, t0)
    member, bases = initial_memberships(s, t0)
    inst, kinds, sponsors = _institutions(s)
    sec, sec_other, delivered = initial_security(s, t0, member, bases, kinds, sponsors)
    # delivered: the arms window's deliveries, read from the structure and the window
    yearly = _shared((token, "arms_years", t0, window), lambda: arms_years(s, t0, delivered))
    cost_per_km = prm.infrastructure.cost_per_km_usd_m
    projects = _project_events(s, t0, cost_per_km)
    infra, infra_other, debt = initial_infrastructure(s, projects, actors["loan_share"])
    rem, rem_other, rem_known = initial_remittances(s, t0, drv.gdp_state[0])
    ties = Ties(
        trade=trade,
        trade_other=trade_other,
        infra=infra,
        infra_other=infra_other,
        debt=debt,
        security=sec,
        security_other=sec_other,
        remittances=rem,
        remittances_other=rem_other,
    )
    return Setup(
        scenario=s,
        scenario_hash=key,
        years=np.arange(t0, s.time.end_year + 1),
        powers=s.power_codes,
        states=s.state_codes,
        institutions=inst,
        institution_kinds=kinds,
        institution_sponsors=sponsors,
        **actors,
        drivers=drv,
        conditions=cond,
        initial_ties=ties,
        initial_membership=member,
        initial_bases=bases,
        initial_projects=projects,
        timeline=_shared((token, "timeline", t0, cost_per_km), lambda: _timeline(s, projects)),
        trade_trend=trade_trend_factors(s, drv),
        initial_arms=delivered,
        arms_anchor=_shared(
            (token, "anchor", t0, window, prm.contest.security_anchor_years),
            lambda: arms_anchor(s, t0, delivered, yearly),
        ),
        arms_years=yearly,
        import_share=initial_import_share(s, t0),
        gravity_start=start_gravity(s, ties, ramping_projects(s, projects), cond),
        remittances_known=rem_known,
    )


def ramping_projects(s: Scenario, projects: list[ProjectEvent]) -> list[ProjectEvent]:
    """The projects operating by the start year that are still filling up: opened less
    than `trade.ramp_years` before it and carrying trade (a bundled-only project carries
    none: _build_project_events)."""
    prm, t0 = s.parameters.trade, s.time.start_year
    return [
        ev
        for ev in projects
        if t0 - ev.operating_year + 1 < prm.ramp_years
        and ev.kind in prm.value_per_unit
        and any(v > 0 for v in ev.host_flows().values())
    ]


def ramping_flow(s: Scenario, ev: ProjectEvent) -> tuple[np.ndarray, int, int]:
    """A ramping project's (S,) trade value a year at full use, its partner (a power
    index, -1 for the other partners) and the index of the price that moves it."""
    prm = s.parameters.trade
    flows = np.zeros(len(s.states))
    for code, v in ev.host_flows().items():
        flows[s.state_codes.index(code)] = v
    partner = s.power_codes.index(ev.partner_code) if ev.partner_code in s.power_codes else -1
    return flow_value(flows, ev.kind, prm), partner, price_index(ev.kind)


def start_gravity(
    s: Scenario, ties: Ties, ramping: list[ProjectEvent], cond: Conditions
) -> np.ndarray | None:
    """(S, P+1) the gravity part of the start year's trade: the data less the share of
    each ramping project's flow already in use (its rows carry the rest as the project
    fills up, model.CompetitionModel._still_ramping). The gravity targets grow from it
    too (yearly._gravity): grown from the data as a whole, the gravity part climbed back
    to the flow the project also carries, counting it twice. None without such a
    project."""
    if not ramping:
        return None
    prm, t0 = s.parameters.trade, s.time.start_year
    levels = np.append(cond.price[0], 1.0)
    gravity = ties.values[TRADE].copy()
    for ev in ramping:
        value, partner, price = ramping_flow(s, ev)
        column = np.zeros(gravity.shape)
        column[:, partner] = value
        in_use = float(ramp(np.array(t0 - ev.operating_year + 1), prm))
        gravity = np.maximum(gravity - in_use * levels[price] * column, 0.0)
    return gravity


def observed_trade_shares(s: Scenario, year: int, basis_of: int | None = None) -> np.ndarray:
    """(S, P) trade shares of the bundled data in `year`; NaN for a state the data do not
    cover (0 for a power absent from a covered state's rows). Each state's basis is the
    one recommended for it in `basis_of` (default `year`): a change measured between two
    years must read both on one basis (Kazakhstan's 2010 row is recommended on the
    mirror basis, its other years on its own customs figures)."""
    basis_of = year if basis_of is None else basis_of
    return _part(
        (structure(s).token, "observed_trade", year, basis_of),
        lambda: ("observed_trade", year, basis_of, _codes(s)),
        lambda: _observed_trade_shares(s, year, basis_of),
    )


def _observed_trade_shares(s: Scenario, year: int, basis_of: int) -> np.ndarray:
    recommended = data.load_trade_shares("recommended")
    t = recommended[recommended["year"] == year]
    if basis_of != year:
        then = recommended[recommended["year"] == basis_of]
        basis = then.groupby("state")["basis"].first()
        on_basis = {b: data.load_trade_shares(b) for b in set(basis)}
    out = np.full((len(s.states), len(s.powers)), np.nan)
    for i, code in enumerate(s.states):
        rows = t[t["state"] == code]
        if basis_of != year and code in basis.index:
            other = on_basis[basis[code]]
            rows = other[(other["year"] == year) & (other["state"] == code)]
        if rows.empty:
            continue
        shares = rows.groupby("partner")["share"].sum()
        out[i] = [float(shares.get(p, 0.0)) for p in s.powers]
    return out


def _observed_trade_years() -> tuple[int, int]:
    observed = data.load_trade_shares("recommended")["year"]
    return int(observed.min()), int(observed.max())


def trade_trend_factors(s: Scenario, drv: Drivers) -> np.ndarray:
    """(T, P) multipliers of each power's gravity target: its residual trend measured on
    the observed years before the start (mechanisms/trade.residual_trends), weighted and
    carried forward with a damped horizon. Both ends of the window are read on the basis
    recommended in the start year, so that no basis break counts as a trend. All ones
    when the window holds no data (a start before 2002 or after the last observed year)
    or the weight is 0."""
    prm, t0 = s.parameters.trade, s.time.start_year
    T, P = len(s.years), len(s.powers)
    first, last = _part(
        ("observed_trade_years",), lambda: ("observed_trade_years",), _observed_trade_years
    )
    window = min(prm.trend_window_years, t0 - first)
    if prm.trend_weight == 0 or P == 0 or window < 2 or t0 > last:
        return np.ones((T, P))
    then = _shared(
        (structure(s).token, "drivers_then", t0, window, s.parameters.drivers),
        lambda: _drivers_then(s, t0 - window, t0),
    )
    eps = prm.partner_mass_elasticity
    trend = residual_trends(
        observed_trade_shares(s, t0 - window, basis_of=t0),
        observed_trade_shares(s, t0),
        (then.gdp_power[-1] / then.gdp_power[0]) ** eps,
        float(then.gdp_rest_of_world[-1] / then.gdp_rest_of_world[0]) ** eps,
        years=window,
        prm=prm,
    )
    horizon = damped_horizon(T, prm.trend_halflife_years)
    return np.exp(prm.trend_weight * trend[None, :] * horizon[:, None])


def _drivers_then(s: Scenario, first: int, last: int) -> Drivers:
    """The drivers of the scenario's actors over the observed years `first`-`last`."""
    then_scenario = s.model_copy(
        update={"time": s.time.model_copy(update={"start_year": first, "end_year": last})}
    )
    return _drivers(then_scenario, compile_conditions(then_scenario))


def prepare(scenario: Scenario) -> Setup:
    """The seed-independent part of a run, cached by the scenario's SHA-256
    (scenario_hash, computed from the structure's texts: model.structure)."""
    key = scenario_key(scenario)
    return _remember(_CACHE, key, lambda: _prepare(key, scenario))


def _remember(cache: OrderedDict, key: str, build, size: int | None = None):
    """A small least-recently-used cache of `size` (default `_CACHE_SIZE`) entries."""
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = cache[key] = build()
    if len(cache) > (size or _CACHE_SIZE):
        cache.popitem(last=False)
    return value
