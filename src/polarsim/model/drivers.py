"""Exogenous drivers per year: GDP, military spending, population, rest of the world.

Observed values come from the bundled data; after the last observed year a series
continues at the mean growth of its last `trend_years` observed years (or the growth a
scenario sets), minus the growth penalties of lasting events. Penalties touch projected
years only: the observed years already contain what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from polarsim import data
from polarsim.codes import POWERS, STATES
from polarsim.errors import PolarsimInputError
from polarsim.model.conditions import Conditions
from polarsim.scenario.events import COMMODITIES
from polarsim.scenario.parameters import DriverParams
from polarsim.scenario.schema import Scenario

USD_M = 1e6


@dataclass(frozen=True)
class Drivers:
    gdp_state: np.ndarray  # (T, S) USD m
    gdp_power: np.ndarray  # (T, P) USD m
    milex_state: np.ndarray  # (T, S) USD m
    population_state: np.ndarray  # (T, S) persons
    gdp_rest_of_world: np.ndarray  # (T,) USD m
    last_observed: dict[str, int]  # series -> last observed year (provenance)


@lru_cache(maxsize=1)
def _series_index() -> dict[tuple[str, str], pd.Series]:
    """The bundled macro table split once into one sorted series per (actor, indicator)."""
    macro = data.load_macro()
    out = {}
    for (actor, indicator), rows in macro.groupby(["actor", "indicator"]):
        out[(actor, indicator)] = (
            rows.set_index("year")["value"].astype(float).sort_index().dropna()
        )
    return out


def _observed(macro: pd.DataFrame | None, actor: str, indicator: str) -> pd.Series:
    series = _series_index().get((actor, indicator))
    return series.copy() if series is not None else pd.Series(dtype=float)


def extend_series(
    observed: pd.Series,
    years: range,
    trend_years: int,
    growth_pct: float | None = None,
    penalty: np.ndarray | None = None,
) -> np.ndarray:
    """Observed values (gaps interpolated in logs) then geometric continuation."""
    if observed.empty:
        raise ValueError("no observed values")
    first, last = int(observed.index.min()), int(observed.index.max())
    full = observed.reindex(range(first, last + 1))
    full = np.exp(np.log(full.clip(lower=1e-12)).interpolate())
    out = np.empty(len(years))
    tail = np.log(full.to_numpy()[-(trend_years + 1) :])
    g = growth_pct / 100 if growth_pct is not None else float(np.exp(np.diff(tail).mean()) - 1)
    value = float(full.iloc[-1])
    for i, y in enumerate(years):
        if y <= last:
            out[i] = full.get(y, full.iloc[0])
        else:
            pen = penalty[i] if penalty is not None else 0.0
            value *= 1.0 + g - pen
            out[i] = value
    return out


def growth_penalty(s: Scenario, group: str, code: str, last_observed: int) -> np.ndarray:
    """(T,) lower yearly growth from the events that touch the actor (sanctions and war
    on a power, unrest in a state: each event type's `growth_penalty`) and begin after
    its last observed year. Shocks that began earlier are already in the observed trend
    and are not counted twice."""
    dp = s.parameters.drivers
    years = s.years
    out = np.zeros(len(years))
    for ev in s.events:
        if ev.year <= last_observed:
            continue
        size = ev.growth_penalty(group, code, dp)
        if size is None:
            continue
        end = ev.last_year(years.stop - 1)
        active = np.array([ev.year <= y <= end for y in years])
        out = np.where(active, np.maximum(out, size / 100.0), out)
    return out


def _population(macro: pd.DataFrame, code: str, years: range, trend_years: int):
    """Persons; unknown (NaN) for a state the bundled data do not cover."""
    obs = _observed(macro, code, "population")
    if obs.empty:
        return np.full(len(years), np.nan)
    return extend_series(obs, years, trend_years)


def _milex(macro: pd.DataFrame, code: str, gdp: np.ndarray, years: range, fallback: float):
    """Military spending as a share of GDP, interpolated and held flat at the ends."""
    m = _observed(macro, code, "milex_current_usd_m")
    g = _observed(macro, code, "gdp_current_usd") / USD_M
    ratio = (m / g.reindex(m.index)).dropna()
    if ratio.empty:
        return gdp * fallback / 100
    r = ratio.reindex(
        range(min(years.start, ratio.index.min()), max(years.stop, ratio.index.max() + 1))
    )
    r = r.interpolate(limit_area="inside").ffill().bfill()
    return gdp * r.reindex(list(years)).to_numpy()


def build_drivers(s: Scenario, cond: Conditions) -> Drivers:
    macro = data.load_macro()
    years = s.years
    dp = s.parameters.drivers
    T = len(years)
    last_observed: dict[str, int] = {}

    def gdp(group: str, code: str, spec) -> np.ndarray:
        obs = _observed(macro, code, "gdp_current_usd") / USD_M
        if spec.gdp is not None:  # the scenario's values win over the bundled ones
            given = pd.Series({y: v * 1000.0 for y, v in spec.gdp.usd_bn.items()}, dtype=float)
            obs = given.combine_first(obs).sort_index()
        if obs.empty:
            raise PolarsimInputError(
                "no GDP in the bundled data for this actor; give gdp: {usd_bn: {YEAR: VALUE}}",
                field=f"{group}.{code}.gdp",
            )
        last = int(obs.index.max())
        last_observed[f"gdp_{code}"] = last
        penalty = growth_penalty(s, group, code, last)
        return extend_series(obs, years, dp.trend_years, spec.growth_pct, penalty)

    gdp_power = (
        np.column_stack([gdp("powers", c, p) for c, p in s.powers.items()])
        if s.powers
        else np.zeros((T, 0))
    )
    gdp_state = np.column_stack([gdp("states", c, st) for c, st in s.states.items()])
    gdp_state = _commodity_shocks(s, gdp_state, cond, last_observed)
    milex = np.column_stack(
        [
            _milex(macro, c, gdp_state[:, i], years, st.milex_fallback_pct_gdp)
            for i, (c, st) in enumerate(s.states.items())
        ]
    )
    pop = np.column_stack([_population(macro, c, years, dp.trend_years) for c in s.states])
    return Drivers(
        gdp_state=gdp_state,
        gdp_power=gdp_power,
        milex_state=milex,
        population_state=pop,
        gdp_rest_of_world=_rest_of_world(macro, s, gdp_power, years, dp),
        last_observed=last_observed,
    )


def _commodity_shocks(
    s: Scenario, gdp_state: np.ndarray, cond: Conditions, last_observed: dict[str, int]
) -> np.ndarray:
    """(T, S) GDP after commodity price shocks, which move exporters' GDP levels in
    projected years (after each state's last observed year)."""
    dp = s.parameters.drivers
    endow = np.array(
        [
            [
                st.endowments.hydrocarbons,
                st.endowments.hydrocarbons,
                st.endowments.minerals,
                st.endowments.hydro,
            ]
            for st in s.states.values()
        ]
    )  # columns follow COMMODITIES: oil, gas, metals, electricity
    assert len(COMMODITIES) == endow.shape[1]
    projected = np.array(
        [[y > last_observed[f"gdp_{c}"] for c in s.states] for y in s.years], dtype=float
    )
    shock = 1.0 + dp.commodity_gdp_elasticity * ((cond.price - 1.0) @ endow.T)
    return gdp_state * np.where(projected > 0, np.maximum(shock, dp.commodity_shock_floor), 1.0)


def _rest_of_world(
    macro: pd.DataFrame, s: Scenario, gdp_power: np.ndarray, years: range, dp: DriverParams
) -> np.ndarray:
    """World GDP minus the scenario's powers. After the world series ends it moves with
    the sum of the bundled non-Central-Asian economies (a proxy, see docs/data.md)."""
    world = data.load_world_gdp().set_index("year")["value"].astype(float) / USD_M
    others = [c for c in POWERS if c not in STATES]
    proxy_years = range(int(world.index.min()), max(years.stop, int(world.index.max()) + 1))
    proxy = sum(
        extend_series(_observed(macro, c, "gdp_current_usd") / USD_M, proxy_years, dp.trend_years)
        for c in others
        if not _observed(macro, c, "gdp_current_usd").empty
    )
    proxy = pd.Series(proxy, index=list(proxy_years))
    last = int(world.index.max())
    w = world.reindex(list(proxy_years))
    for y in proxy_years:
        if y > last:
            w[y] = w[y - 1] * proxy[y] / proxy[y - 1]
    w = w.reindex(list(years)).to_numpy()
    return np.maximum(w - gdp_power.sum(axis=1), dp.rest_of_world_floor * w)
