"""The bundled Central Asia data set and its loaders.

Each loader reads one CSV file of ``polarsim/data/central_asia/`` (through
importlib.resources, so it works from an installed wheel), validates it and returns a
tidy pandas DataFrame keyed by the actor codes of :mod:`polarsim.codes`. Pass ``path``
to read another file of the same layout instead.

Results are cached per file (functools.lru_cache); every call returns a fresh copy, so
callers may modify what they get. A file read from ``path`` is read once: call
:func:`clear_cache` after changing it. A missing file or a bad cell raises
:class:`DataValidationError` naming the file, row and column. See docs/data.md.

    load_macro()                  actor, year, indicator, value, unit
    load_world_gdp()              year, value
    load_trade_shares(basis)      state, partner, year, share, total_trade_musd, basis
    load_arms_imports_annual()    state, supplier, year, tiv_musd
    load_arms_imports_periods()   state, supplier, period, start_year, end_year, tiv_musd,
                                  share
    load_remittances()            state, year, indicator, value, unit
    load_memberships()            state, organization, institution, status, power,
                                  start_year, end_year, event, source
    load_projects()               project, kind, sponsors, hosts, partner, agreement_year,
                                  operating_year, capacity, length_km, cost_usd_bn,
                                  status_2023, source
"""

from __future__ import annotations

from polarsim.data import events, tables
from polarsim.data._validate import DataValidationError
from polarsim.data.events import load_memberships, load_projects
from polarsim.data.tables import (
    load_arms_imports_annual,
    load_arms_imports_periods,
    load_macro,
    load_remittances,
    load_trade_shares,
    load_world_gdp,
)


def clear_cache() -> None:
    """Forget every file read so far (e.g. after editing a file passed as ``path``)."""
    for fn in (
        tables._macro,
        tables._world_gdp,
        tables._trade_shares,
        tables._arms_annual,
        tables._arms_periods,
        tables._remittances,
        events._memberships,
        events._projects,
    ):
        fn.cache_clear()


__all__ = [
    "DataValidationError",
    "clear_cache",
    "load_arms_imports_annual",
    "load_arms_imports_periods",
    "load_macro",
    "load_memberships",
    "load_projects",
    "load_remittances",
    "load_trade_shares",
    "load_world_gdp",
]
