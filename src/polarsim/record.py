"""Per-year rows -> tables. Values go into preallocated arrays each year (no pandas in
the step); `tables()` builds the DataFrames once at the end. The metrics come from
polarsim.metrics, the one place their formulas live."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from polarsim import metrics
from polarsim.model.ties import ARENAS

if TYPE_CHECKING:
    from polarsim.model.model import CompetitionModel
    from polarsim.model.setup import Setup

EVENT_COLUMNS = ["replicate", "year", "kind", "actor", "target", "detail", "value"]


class Recorder:
    def __init__(self, setup: Setup, replicate: int):
        self.setup = setup
        self.replicate = replicate
        T, S, P = len(setup.years), len(setup.states), len(setup.powers)
        self.T, self.S, self.P = T, S, P
        self.shares = np.zeros((T, 3, S, P + 1))
        self.state_values: dict[str, np.ndarray] = {}
        self.state_codes: dict[str, np.ndarray] = {}
        self.system_values: dict[str, np.ndarray] = {}
        self.influence = np.zeros((T, P))
        m = setup.scenario.parameters.metrics
        self.poles = metrics.pole_matrix(setup.powers, m.poles)
        w = np.array([m.arena_weights[a] for a in ARENAS])
        self.arena_weights = w / w.sum()
        self.autonomy_weights = (
            m.weight_diversification,
            m.weight_hedging,
            m.weight_invulnerability,
        )
        self.substitution = m.substitution
        self.sphere_threshold = m.sphere_threshold

    def _put(self, table: dict, name: str, t: int, value, size: int, dtype=float) -> None:
        arr = table.get(name)
        if arr is None:
            arr = table[name] = np.zeros((self.T, size) if size else self.T, dtype=dtype)
        arr[t] = value

    def record(self, m: CompetitionModel) -> None:
        t, S = m.t, self.S
        shares = m.ties.shares()
        self.shares[t] = shares
        named = shares[:, :, :-1]
        put = self._put
        sv, sc = self.state_values, self.state_codes
        entropy = metrics.normalized_entropy(shares)  # (3, S)
        hedging = metrics.hedging_index(named, self.poles)  # (3, S)
        for a, arena in enumerate(ARENAS):
            put(sv, f"{arena}_hhi", t, metrics.hhi(shares[a]), S)
            put(sv, f"{arena}_effective_partners", t, metrics.effective_partners(shares[a]), S)
            put(sv, f"{arena}_entropy", t, entropy[a], S)
            put(sv, f"{arena}_top_share", t, metrics.top_share(named[a]), S)
            put(sv, f"{arena}_top_gap", t, metrics.top_gap(named[a]), S)
            put(sc, f"{arena}_top_partner", t, metrics.top_partner(named[a]), S, int)
            put(sv, f"{arena}_hedging", t, hedging[a], S)
        diversification = self.arena_weights @ entropy
        hedge = self.arena_weights @ hedging
        vul, vul_partner = metrics.vulnerability(
            m.ties.trade, m.ties.remittances, m.gdp_state, self.substitution
        )
        autonomy = metrics.autonomy_index(diversification, hedge, vul, self.autonomy_weights)
        put(sv, "diversification", t, diversification, S)
        put(sv, "hedging_index", t, hedge, S)
        put(sv, "vulnerability", t, vul, S)
        put(sc, "vulnerability_partner", t, vul_partner, S, int)
        put(sv, "autonomy_index", t, autonomy, S)
        trade_total = m.ties.trade.sum(axis=1) + m.ties.trade_other
        put(sv, "gdp_usd_bn", t, m.gdp_state / 1000.0, S)
        put(sv, "trade_usd_bn", t, trade_total / 1000.0, S)
        remit = m.ties.remittances.sum(axis=1) + m.ties.remittances_other
        put(sv, "remittances_pct_gdp", t, 100.0 * remit / m.gdp_state, S)
        put(sv, "foreign_debt_pct_gdp", t, 100.0 * m.ties.debt.sum(axis=1) * 1000 / m.gdp_state, S)
        put(sv, "infra_stock_usd_bn", t, m.ties.infra.sum(axis=1) + m.ties.infra_other, S)
        put(
            sv, "security_stock_tiv_musd", t, m.ties.security.sum(axis=1) + m.ties.security_other, S
        )

        composite = np.tensordot(self.arena_weights, named, axes=1)  # (S, P)
        weight = m.gdp_state @ composite
        influence = weight / weight.sum() if weight.sum() > 0 else weight
        self.influence[t] = influence
        sys = self.system_values
        put(sys, "con", t, metrics.concentration(influence) if self.P >= 2 else 1.0, 0)
        energy, frustration, n_blocs, _, _ = metrics.landscape(composite, self.setup.relations)
        put(sys, "energy", t, energy, 0)
        put(sys, "frustration", t, frustration, 0)
        put(sys, "n_blocs", t, n_blocs, 0)
        put(sys, "n_spheres", t, metrics.n_spheres(composite, self.sphere_threshold), 0)
        put(sys, "mean_autonomy", t, autonomy.mean(), 0)
        statuses = [p.status for p in m.projects] if m.projects else []
        for status in ("under_construction", "operating", "stalled"):
            put(sys, f"projects_{status}", t, statuses.count(status), 0)
        put(sys, "coercive_acts", t, m.coercive_acts, 0)
        m.coercive_acts = 0

    def tables(self, events: list[tuple]) -> dict[str, pd.DataFrame]:
        su, T, S = self.setup, self.T, self.S
        powers = np.array(su.powers)
        cols: dict[str, np.ndarray] = {
            "replicate": np.full(T * S, self.replicate, dtype=np.int64),
            "year": np.repeat(su.years, S).astype(np.int64),
            "state": np.tile(np.array(su.states), T),
        }
        for a, arena in enumerate(ARENAS):
            for j, p in enumerate([*su.powers, "other"]):
                cols[f"{arena}_share_{p}"] = self.shares[:, a, :, j].reshape(-1)
        for name, arr in self.state_values.items():
            cols[name] = arr.reshape(-1)
        for name, arr in self.state_codes.items():
            cols[name] = powers[arr.reshape(-1)] if len(powers) else arr.reshape(-1)
        states = pd.DataFrame(cols)
        sys_cols = {
            "replicate": np.full(T, self.replicate, dtype=np.int64),
            "year": su.years.astype(np.int64),
        }
        sys_cols.update(self.system_values)
        for j, p in enumerate(su.powers):
            sys_cols[f"influence_share_{p}"] = self.influence[:, j]
        system = pd.DataFrame(sys_cols)
        system["n_blocs"] = system["n_blocs"].astype(np.int64)
        system["n_spheres"] = system["n_spheres"].astype(np.int64)
        ev = pd.DataFrame(events, columns=EVENT_COLUMNS)
        ev = ev.astype({"replicate": "int64", "year": "int64", "value": "float64"})
        return {"states": states, "system": system, "events": ev}
