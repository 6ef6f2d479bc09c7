"""Per-year raw arrays -> tables. The step only copies the tie arrays and a few
scalars into preallocated buffers; `tables()` computes every metric once, vectorised
over all years, with the functions of polarsim.metrics (the one place their formulas
live), and builds the DataFrames. Totals over partners are taken there too, over all
years at once: a sum along the last axis adds each row in the same order as the step
would have."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from polarsim import metrics
from polarsim.model.ties import ARENAS, INFRA, SECURITY, TRADE

if TYPE_CHECKING:
    from collections.abc import Collection

    from polarsim.model.model import CompetitionModel
    from polarsim.model.setup import Setup

EVENT_COLUMNS = ["replicate", "year", "kind", "actor", "target", "detail", "value"]
#: the dtype pandas gives a column of strings (str from pandas 3 on, object before)
TEXT_DTYPE = pd.DataFrame({"text": np.array(["a"], dtype=object)})["text"].dtype
PROJECT_STATUSES = ("under_construction", "operating", "stalled")
#: The columns naming a states table's row, which every selection of columns keeps.
_ROW_COLUMNS = ("replicate", "year", "state")
#: The states table's columns that the autonomy index and its parts make
#: (`Recorder._autonomy_parts`): a sweep keeping only these works out nothing else.
AUTONOMY_COLUMNS = frozenset(
    {
        "diversification",
        "hedging_index",
        "vulnerability",
        "vulnerability_partner",
        "coercion_loss",
        "autonomy_index",
    }
)


class Recorder:
    def __init__(self, setup: Setup, replicate: int):
        self.setup = setup
        self.replicate = replicate
        T, S, P = len(setup.years), len(setup.states), len(setup.powers)
        self.T, self.S, self.P = T, S, P
        self.last = -1  # last recorded year index
        self.shares = np.zeros((T, 3, S, P + 1))
        self.values = np.zeros((T, 3, S, P + 1))  # the tie arrays (model/ties.py)
        self.remittance_values = np.zeros((T, S, P + 1))
        self.debt_owed = np.zeros((T, S, P))
        self.arms = np.zeros((T, S, P + 1))  # arms deliveries of the year, USD m TIV
        self.arms_window = setup.scenario.parameters.security.window_years
        self.gdp = np.zeros((T, S))
        self.risk = np.zeros((T, S, P))  # retaliation risk (responses.retaliation_risk)
        self.trade_lost = np.zeros((T, S))  # USD m lost to coercive blocks this year
        self.remittances_withheld = np.zeros((T, S))  # USD m withheld by coercive acts
        self.projects = np.zeros((T, len(PROJECT_STATUSES)), dtype=np.int64)
        self.coercive_acts = np.zeros(T, dtype=np.int64)
        m = setup.scenario.parameters.metrics
        self.poles = setup.pole_matrix
        self.arena_weights = setup.arena_weights
        self.autonomy_weights = (
            m.weight_diversification,
            m.weight_hedging,
            m.weight_invulnerability,
            m.weight_freedom,
        )
        self.substitution = m.substitution
        self.sphere_threshold = m.sphere_threshold

    def record(self, m: CompetitionModel) -> None:
        t, ties = m.t, m.ties
        self.last = t
        self.shares[t] = ties.shares()
        self.values[t] = ties.values
        self.remittance_values[t] = ties.remittance_values
        self.debt_owed[t] = ties.debt
        self.arms[t] = m.arms_won
        self.gdp[t] = m.gdp_state
        self.risk[t] = m.risk
        self.trade_lost[t] = m.trade_lost
        self.remittances_withheld[t] = m.remittances_withheld
        counts = m.project_counts
        self.projects[t] = [counts[s] for s in PROJECT_STATUSES]
        self.coercive_acts[t] = m.coercive_acts
        m.coercive_acts = 0

    # ----- views and totals of the recorded arrays ------------------------------------------
    def arms_window_shares(self, sl: slice) -> np.ndarray:
        """(T', S, P+1) each supplier's share of the arms deliveries over the
        `security.window_years` years up to each year of `sl` (the measure of SIPRI's
        five-year periods, rolling; what calibration and `polarsim skill` compare with
        the data). The years up to the start count with their observed deliveries
        (setup.arms_years; the window's mean each year for a set-up without them, e.g.
        synthetic); a window without deliveries has shares 0."""
        w = self.arms_window
        before = self.setup.arms_years
        if before is not None and len(before) == w:
            # the observed deliveries of the window's years up to the start, then the
            # model's (the start year's recorded row is the window's mean)
            series = np.concatenate([before, self.arms[1 : sl.stop]])
        else:
            series = np.concatenate([np.repeat(self.arms[:1], w - 1, axis=0), self.arms[: sl.stop]])
        c = np.concatenate([np.zeros((1, *series.shape[1:])), np.cumsum(series, axis=0)])
        window = (c[w:] - c[:-w])[sl.start :]  # window[t]: deliveries of years t-w+1..t
        total = window.sum(axis=-1, keepdims=True)
        return np.divide(window, total, out=np.zeros_like(window), where=total > 0)

    @property
    def trade(self) -> np.ndarray:
        """(T, S, P) trade with each power, USD m."""
        return self.values[:, TRADE, :, :-1]

    @property
    def remittances(self) -> np.ndarray:
        """(T, S, P) remittances from each power, USD m."""
        return self.remittance_values[:, :, :-1]

    def _totals(self, n: slice) -> np.ndarray:
        """(T', 3, S) stocks and flows over all partners per arena."""
        return self.values[n].sum(axis=-1)

    # ----- metrics over all recorded years at once -----------------------------------------
    def state_metrics(self, upto: int | None = None, first: int = 0) -> dict[str, np.ndarray]:
        """Per-state metrics for years 0..upto, each array (T', S)."""
        n = slice(first, (self.last if upto is None else upto) + 1)
        shares = self.shares[n]  # (T, 3, S, K)
        named = shares[..., :-1]
        out: dict[str, np.ndarray] = {}
        entropy = metrics.normalized_entropy(shares)  # (T, 3, S)
        parts = self._autonomy_parts(n)
        hedging = parts.pop("hedging")
        hhi = metrics.hhi(shares)
        # each over all arenas at once: a reduction along the last axis, element by
        # element the same as arena by arena
        effective = 1.0 / hhi
        top_share = metrics.top_share(named)
        top_gap = metrics.top_gap(named)
        top_partner = metrics.top_partner(named)
        for a, arena in enumerate(ARENAS):
            out[f"{arena}_hhi"] = hhi[:, a]
            out[f"{arena}_effective_partners"] = effective[:, a]
            out[f"{arena}_entropy"] = entropy[:, a]
            out[f"{arena}_top_share"] = top_share[:, a]
            out[f"{arena}_top_gap"] = top_gap[:, a]
            out[f"{arena}_top_partner"] = top_partner[:, a]
            out[f"{arena}_hedging"] = hedging[:, a]
        power_hhi = parts.pop("power_hhi")
        for a, arena in enumerate(ARENAS):
            out[f"{arena}_power_hhi"] = power_hhi[:, a]
        totals = self._totals(n)
        autonomy = parts.pop("autonomy_index")
        out.update(parts)
        out["coercive_pressure"] = metrics.coercive_pressure(self.risk[n])
        out["autonomy_index"] = autonomy
        gdp = self.gdp[n]
        out["gdp_usd_bn"] = gdp / 1000.0
        out["trade_usd_bn"] = totals[:, TRADE] / 1000.0
        remittances = 100.0 * self.remittance_values[n].sum(axis=-1) / gdp
        known = self.setup.remittances_known
        # a state whose remittances at the start were not known runs without them:
        # its column is empty, not a forecast of zero
        out["remittances_pct_gdp"] = (
            remittances if known is None or known.all() else np.where(known, remittances, np.nan)
        )
        out["foreign_debt_pct_gdp"] = 100.0 * self.debt_owed[n].sum(axis=-1) * 1000.0 / gdp
        out["infra_stock_usd_bn"] = totals[:, INFRA]
        out["security_stock_tiv_musd"] = totals[:, SECURITY]
        return out

    def _influence(self, sl: slice) -> tuple[np.ndarray, np.ndarray]:
        """(T', S, P) the states' composite ties with each power and (T', P) each
        power's share of the region's influence (GDP-weighted composite ties) over the
        year indices `sl`."""
        named = self.shares[sl, :, :, :-1]
        composite = np.einsum("a,tasp->tsp", self.arena_weights, named)  # as _autonomy_parts
        weight = np.einsum("ts,tsp->tp", self.gdp[sl], composite)
        total = weight.sum(axis=1, keepdims=True)
        influence = np.divide(weight, total, out=np.zeros_like(weight), where=total > 0)
        return composite, influence

    def _concentration(self, influence: np.ndarray) -> np.ndarray:
        """(T',) CON of the powers' influence (1 with fewer than two powers)."""
        return metrics.concentration(influence) if self.P >= 2 else np.ones(len(influence))

    def concentration(self, t: int) -> float:
        """CON of year index `t` alone: the system table's `con`, without the rest of
        the system's metrics (a DataCollector reporter asks for it every year)."""
        return float(self._concentration(self._influence(slice(t, t + 1))[1])[0])

    def _autonomy_parts(self, n: slice) -> dict[str, np.ndarray]:
        """The autonomy index of the year indices `n` (T', S) and what it is made of:
        each arena's hedging and power HHI (T', 3, S), diversification, the hedging
        index, vulnerability (and its partner), the loss to coercion (docs/metrics.md)."""
        named = self.shares[n][..., :-1]
        hedging = metrics.hedging_index(named, self.poles)
        # Concentration on the great powers only (the remainder of many small partners
        # counts as fragmented): comparable across scenarios with different numbers of
        # powers, unlike entropy normalised by ln K.
        power_hhi = metrics.hhi(named)  # (T, 3, S)
        # einsum's own loop, not tensordot's BLAS product: each year's sums in the same
        # order however many years are asked for (a sweep asks for the kept ones)
        diversification = 1.0 - np.einsum("tas,a->ts", power_hhi, self.arena_weights)
        hedge = np.einsum("tas,a->ts", hedging, self.arena_weights)
        vul, vul_partner = metrics.vulnerability(
            self.trade[n], self.remittances[n], self.gdp[n], self.substitution
        )
        coerced = metrics.coercion_loss(
            self.trade_lost[n], self.remittances_withheld[n], self.gdp[n], self.substitution
        )
        return {
            "hedging": hedging,
            "power_hhi": power_hhi,
            "diversification": diversification,
            "hedging_index": hedge,
            "vulnerability": vul,
            "vulnerability_partner": vul_partner,
            "coercion_loss": coerced,
            "autonomy_index": metrics.autonomy_index(
                diversification, hedge, vul, self.autonomy_weights, coerced
            ),
        }

    def autonomy(self, t: int) -> np.ndarray:
        """(S,) the states' autonomy index in year index `t`: the states table's
        `autonomy_index`, without its other columns (a DataCollector reporter asks for
        it every year)."""
        return self._autonomy_parts(slice(t, t + 1))["autonomy_index"][0]

    def system_metrics(self, autonomy: np.ndarray, upto: int | None = None, first: int = 0) -> dict:
        sl = slice(first, (self.last if upto is None else upto) + 1)
        composite, influence = self._influence(sl)
        out: dict[str, np.ndarray] = {"con": self._concentration(influence)}
        out["energy"], out["frustration"], out["n_blocs"] = metrics.landscape_series(
            composite, self.setup.relations
        )
        out["n_spheres"] = np.asarray(
            metrics.n_spheres(composite, self.sphere_threshold), dtype=np.int64
        )
        out["mean_autonomy"] = autonomy.mean(axis=1)
        for i, status in enumerate(PROJECT_STATUSES):
            out[f"projects_{status}"] = self.projects[sl, i]
        out["coercive_acts"] = self.coercive_acts[sl]
        for j, p in enumerate(self.setup.powers):
            out[f"influence_share_{p}"] = influence[:, j]
        return out

    def states_table(self, first: int = 0, upto: int | None = None) -> pd.DataFrame:
        """The states table for year indices first..upto (all recorded years by default);
        a sweep that keeps one year asks for that year only."""
        return frame(self.states_columns(first, upto, text=_text_column))

    def states_columns(
        self,
        first: int = 0,
        upto: int | None = None,
        text=None,
        names: Collection[str] | None = None,
    ) -> dict[str, np.ndarray]:
        """The states table's columns as flat arrays (rows: year-major, then state),
        without building a DataFrame: a sweep task reads a few of them. Columns of codes
        are object arrays, or what `text(codes, index)` makes of a list of codes and
        the index of each row's code. With `names`, only those columns (any not in the
        table left out) besides replicate, year and state, and only what they need
        worked out: a sweep that keeps the autonomy index does not work out the
        table's sixty other columns."""
        su, S = self.setup, self.S
        sl = slice(first, (self.last if upto is None else upto) + 1)
        years = su.years[sl].astype(np.int64)
        n = len(years)
        text = text or _object_column
        cols: dict[str, object] = {
            "replicate": np.full(n * S, self.replicate, dtype=np.int64),
            "year": np.repeat(years, S),
            # np.tile of an object array copies element by element in Python
            "state": text(su.states, np.tile(np.arange(S), n)),
        }
        want = None if names is None else set(names)
        partners = [*su.powers, "other"]
        share_names = [f"{a}_share_{p}" for a in ARENAS for p in partners]
        if want is None or want.intersection(share_names):
            # (arena, partner, year, state) in one copy; each column a row of it
            shares = self.shares[sl].transpose(1, 3, 0, 2).reshape(len(ARENAS), len(partners), -1)
            for a, arena in enumerate(ARENAS):
                for j, p in enumerate(partners):
                    cols[f"{arena}_share_{p}"] = shares[a, j]
        arms_names = [f"arms_share_{p}" for p in partners]
        if want is None or want.intersection(arms_names):
            arms = self.arms_window_shares(sl).transpose(2, 0, 1).reshape(len(partners), -1)
            for j, name in enumerate(arms_names):
                cols[name] = arms[j]
        other = None if want is None else want.difference(cols, share_names, arms_names)
        if other is None or other - AUTONOMY_COLUMNS:
            values = self.state_metrics(upto=sl.stop - 1, first=first)
        elif other:
            values = {k: v for k, v in self._autonomy_parts(sl).items() if k in AUTONOMY_COLUMNS}
        else:
            values = {}
        for name, arr in values.items():
            if want is None or name in want:
                flat = arr.reshape(-1)
                cols[name] = text(su.powers, flat) if name.endswith("_partner") else flat
        if want is None:
            return cols
        # the shares and arms columns are worked out together: those asked for
        return {k: v for k, v in cols.items() if k in _ROW_COLUMNS or k in want}

    def tables(self, events: list[tuple]) -> dict[str, pd.DataFrame]:
        columns = self.states_columns(text=_text_column)
        states = frame(columns)
        n = self.last + 1
        # from the column itself: a new frame's first look-up builds its index, which
        # costs more than the system's metrics
        autonomy = columns["autonomy_index"].reshape(n, self.S)
        system = {
            "replicate": np.full(n, self.replicate, dtype=np.int64),
            "year": self.setup.years[:n].astype(np.int64),
        }
        system.update(self.system_metrics(autonomy))
        return {"states": states, "system": frame(system), "events": events_frame(events)}


class StagedRecorder:
    """The record of a run whose powers enter at dates (model/entry.py, docs/model.md).
    One Recorder per stage records every year over that stage's powers (a power not in
    the run yet has no ties; one the stage does not have counts among the other
    partners), so each works out its metrics over arrays of the shapes and values the
    run without the later powers has; each year's rows are taken from the recorder of
    the stage that year belongs to, with the columns of all the scenario's powers (a
    power not entered yet has shares 0). The last recorder is the full set-up's."""

    def __init__(self, stages: list, full: Setup, replicate: int):
        self.setups = [st.setup for st in stages]
        if self.setups[-1] is not full:  # a power entering after the last year
            self.setups.append(full)
        self.parts = [Recorder(su, replicate) for su in self.setups]
        self.full = full
        self.first_years = np.array([st.year for st in stages])

    @property
    def last(self) -> int:
        return self.parts[-1].last

    def _owner(self, years: np.ndarray) -> np.ndarray:
        """The stage each calendar year belongs to."""
        return np.searchsorted(self.first_years, years, side="right") - 1

    def _part_of(self, t: int) -> Recorder:
        return self.parts[int(self._owner(self.full.years[t : t + 1])[0])]

    def __getattr__(self, name: str):
        # anything else (the viz reads shares, trade, ...): the full set-up's recorder,
        # whose columns are all the scenario's powers every year (0 before an entry)
        if name.startswith("_") or name in ("parts", "full", "setups", "first_years"):
            raise AttributeError(name)
        return getattr(self.parts[-1], name)

    def record(self, m: CompetitionModel) -> None:
        acts = m.coercive_acts
        for part in self.parts:
            m.coercive_acts = acts
            part.record(m if part.setup.powers == m.setup.powers else _Folded(m, part.setup))
        m.coercive_acts = 0

    def state_metrics(self, upto: int | None = None, first: int = 0) -> dict[str, np.ndarray]:
        """Recorder.state_metrics, each year's row from its stage's recorder (a partner
        index among all the scenario's powers)."""
        stop = (self.last if upto is None else upto) + 1
        owner = self._owner(self.full.years[first:stop])
        out = {}
        for k, part in enumerate(self.parts[: len(self.first_years)]):
            rows = owner == k
            if not rows.any():
                continue
            for name, values in part.state_metrics(upto, first).items():
                if name.endswith("_partner"):
                    at = np.array([self.full.powers.index(c) for c in part.setup.powers])
                    values = at[values]
                out.setdefault(name, values.copy())[rows] = values[rows]
        return out

    def system_metrics(self, autonomy: np.ndarray, upto: int | None = None, first: int = 0) -> dict:
        part = self._part_of(self.last if upto is None else upto)
        return part.system_metrics(autonomy, upto, first)

    def concentration(self, t: int) -> float:
        return self._part_of(t).concentration(t)

    def autonomy(self, t: int) -> np.ndarray:
        return self._part_of(t).autonomy(t)

    def _combine(self, tables: list[dict[str, np.ndarray]], years: np.ndarray) -> dict:
        """The columns of the full set-up's table, each row from its year's stage; a
        column a stage lacks (a power not entered yet) is 0 there."""
        owner = self._owner(years)
        out = {}
        for name, ref in tables[-1].items():
            column = ref.copy()
            for k, cols in enumerate(tables[: len(self.first_years)]):
                rows = owner == k
                if rows.any():
                    column[rows] = cols[name][rows] if name in cols else 0
            out[name] = column
        return out

    def states_columns(
        self,
        first: int = 0,
        upto: int | None = None,
        text=None,
        names: Collection[str] | None = None,
    ) -> dict[str, np.ndarray]:
        """Recorder.states_columns over the stages (see the class)."""
        parts = [p.states_columns(first, upto, names=names) for p in self.parts]
        return self._texts(self._combine(parts, parts[-1]["year"]), text)

    def _texts(self, cols: dict, text) -> dict:
        if text is None:
            return cols
        su = self.full
        for name, col in cols.items():
            if name == "state" or name.endswith("_partner"):
                codes = su.states if name == "state" else su.powers
                at = {c: i for i, c in enumerate(codes)}
                cols[name] = text(codes, np.array([at[c] for c in col], dtype=np.int64))
        return cols

    def states_table(self, first: int = 0, upto: int | None = None) -> pd.DataFrame:
        return frame(self.states_columns(first, upto, text=_text_column))

    def tables(self, events: list[tuple]) -> dict[str, pd.DataFrame]:
        n = self.last + 1
        states, system = [], []
        for part in self.parts:  # each stage's tables as Recorder.tables makes them
            cols = part.states_columns()
            autonomy = cols["autonomy_index"].reshape(n, part.S)
            states.append(cols)
            system.append(
                {"year": part.setup.years[:n].astype(np.int64), **part.system_metrics(autonomy)}
            )
        years = self.full.years[:n].astype(np.int64)
        out = {"replicate": np.full(n, self.parts[0].replicate, dtype=np.int64)}
        out.update(self._combine(system, years))
        states_cols = self._texts(self._combine(states, states[-1]["year"]), _text_column)
        return {"states": frame(states_cols), "system": frame(out), "events": events_frame(events)}


def _fold(a: np.ndarray, cols: np.ndarray, folded: np.ndarray, other: bool) -> np.ndarray:
    """(..., P_model[+1]) -> (..., P_part[+1]): the part's powers from the model's
    columns `cols` (-1: not in the run yet, 0); with `other`, the model's powers the part
    does not have (`folded`) are added to the last column, else left out."""
    n = len(cols) + (1 if other else 0)
    out = np.zeros((*a.shape[:-1], n))
    present = np.nonzero(cols >= 0)[0]
    out[..., present] = a[..., cols[present]]
    if other:
        out[..., -1] = a[..., -1] + a[..., folded].sum(axis=-1)
    return out


class _Folded:
    """What Recorder.record reads of a model, over another stage's powers."""

    def __init__(self, m: CompetitionModel, setup: Setup):
        powers = m.setup.powers
        cols = np.array([powers.index(c) if c in powers else -1 for c in setup.powers], dtype=int)
        folded = np.array([i for i, c in enumerate(powers) if c not in setup.powers], dtype=int)

        def with_other(a: np.ndarray) -> np.ndarray:
            return _fold(a, cols, folded, other=True)

        def named(a: np.ndarray) -> np.ndarray:
            return _fold(a, cols, folded, other=False)

        self.t, self.gdp_state = m.t, m.gdp_state
        self.trade_lost, self.remittances_withheld = m.trade_lost, m.remittances_withheld
        self.project_counts, self.coercive_acts = m.project_counts, m.coercive_acts
        self.arms_won, self.risk = with_other(m.arms_won), named(m.risk)
        self.ties = _FoldedTies(
            with_other(m.ties.shares()),
            with_other(m.ties.values),
            with_other(m.ties.remittance_values),
            named(m.ties.debt),
        )


class _FoldedTies:
    def __init__(self, shares, values, remittance_values, debt):
        self._shares, self.values = shares, values
        self.remittance_values, self.debt = remittance_values, debt

    def shares(self) -> np.ndarray:
        return self._shares


def _object_column(codes: list[str], index: np.ndarray) -> np.ndarray:
    return np.array(codes, dtype=object)[index]


def _text_column(codes: list[str], index: np.ndarray):
    """The column of codes as pandas would store it in a DataFrame: taken from the few
    codes converted once, rather than converting every row's string."""
    if TEXT_DTYPE == np.dtype(object):
        return _object_column(codes, index)
    return _text_codes(tuple(codes)).take(index)


@cache  # the codes of a scenario's states and powers: converted once per process
def _text_codes(codes: tuple[str, ...]):
    return pd.array(np.array(codes, dtype=object), dtype=TEXT_DTYPE)


def frame(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """pd.DataFrame(columns) for 1-D numpy columns of one length, the same frame built
    without pandas' checks of every column, which cost more than the rest of tables():
    columns of strings get the dtype pandas would infer (str from pandas 3 on, object
    before), numeric ones are taken as they are (copied unless they own their data, as
    pandas copies a dict's arrays). Any other object column: pandas decides."""
    build = getattr(pd.DataFrame, "_from_arrays", None)
    arrays = []
    for col in columns.values():
        if col.dtype == object:
            if not len(col) or pd.api.types.infer_dtype(col) != "string" or build is None:
                return pd.DataFrame(columns)
            if TEXT_DTYPE != np.dtype(object):
                col = pd.array(col, dtype=TEXT_DTYPE)
        elif isinstance(col, np.ndarray) and not col.flags.owndata:
            col = col.copy()
        arrays.append(col)
    if build is None:
        return pd.DataFrame(columns)
    n = len(arrays[0]) if arrays else 0
    names = _column_index(tuple(columns)).view()  # a frame of its own, as pandas' copies
    return build(arrays, columns=names, index=pd.RangeIndex(n), verify_integrity=False)


@lru_cache(maxsize=64)  # a run's tables have the same columns every run of a set-up
def _column_index(names: tuple[str, ...]) -> pd.Index:
    """The columns' Index pandas makes of the names (the strings converted once)."""
    return pd.Index(list(names))


def events_frame(events: list[tuple]) -> pd.DataFrame:
    columns = list(zip(*events, strict=True)) if events else [()] * len(EVENT_COLUMNS)
    dtypes = (np.int64, np.int64, object, object, object, object, np.float64)
    return frame(
        {
            name: _text_array(col) if dtype is object else np.array(col, dtype=dtype)
            for name, col, dtype in zip(EVENT_COLUMNS, columns, dtypes, strict=True)
        }
    )


def _text_array(col: tuple):
    """A column of the events' texts as `frame` would store it: straight from the
    strings to the Arrow array pandas' str dtype holds (what pd.array makes of them
    after checking each is a string); anything but strings and missing values, and
    pandas without that dtype, take frame's general path from an object array."""
    if TEXT_DTYPE != np.dtype(object) and col:
        try:
            values = pa.array(col, type=pa.large_string(), from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            pass
        else:
            return TEXT_DTYPE.construct_array_type()(values, dtype=TEXT_DTYPE)
    return np.array(col, dtype=object)
