"""Validation against observed series (issue 5): observation files, error measures,
naive forecasts and the hindcast."""

from polarsim.validation.hindcast import (
    DEFAULT_WINDOW,
    Hindcast,
    compare_shares,
    error_table,
    hindcast,
    simulated_bands,
    simulated_shares,
    write_hindcast,
)
from polarsim.validation.measures import coverage, mae, naive_forecasts
from polarsim.validation.observed import load_observations, read_observations

__all__ = [
    "DEFAULT_WINDOW",
    "Hindcast",
    "compare_shares",
    "coverage",
    "error_table",
    "hindcast",
    "load_observations",
    "mae",
    "naive_forecasts",
    "read_observations",
    "simulated_bands",
    "simulated_shares",
    "write_hindcast",
]
