"""Validation against observed series (issue 5): observation files, error measures,
naive forecasts, the hindcast and the forecast (`polarsim forecast`).

The forecast's function keeps its module's name: it is
`polarsim.validation.forecast.forecast` (docs/api.md, docs/validation.md), and
`from polarsim.validation import forecast` gives the module. Exporting the function as
`forecast` here would shadow the module, as `hindcast` does (polarsim._lazy binds an
export over the submodule of the same name): `polarsim.validation.forecast.forecast`
and `from polarsim.validation import forecast as fc; fc.summary(...)` would then fail.
The forecast's result, writer and reader are exported under their own names."""

from typing import TYPE_CHECKING

from polarsim._lazy import lazy_exports

_EXPORTS = {
    "DEFAULT_WINDOW": "polarsim.validation.hindcast",
    "Hindcast": "polarsim.validation.hindcast",
    "compare_shares": "polarsim.validation.hindcast",
    "error_table": "polarsim.validation.hindcast",
    "hindcast": "polarsim.validation.hindcast",
    "simulated_bands": "polarsim.validation.hindcast",
    "simulated_shares": "polarsim.validation.hindcast",
    "write_hindcast": "polarsim.validation.hindcast",
    "Forecast": "polarsim.validation.forecast",
    "read_forecast_csv": "polarsim.validation.forecast",
    "write_forecast": "polarsim.validation.forecast",
    "coverage": "polarsim.observations.measures",
    "mae": "polarsim.observations.measures",
    "naive_forecasts": "polarsim.observations.measures",
    "load_observations": "polarsim.observations.trade",
    "read_observations": "polarsim.observations.trade",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:  # for type checkers and IDEs; at run time names load on first use
    from polarsim.observations.measures import coverage, mae, naive_forecasts
    from polarsim.observations.trade import load_observations, read_observations
    from polarsim.validation.forecast import Forecast, read_forecast_csv, write_forecast
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

__all__ = [
    "DEFAULT_WINDOW",
    "Forecast",
    "Hindcast",
    "compare_shares",
    "coverage",
    "error_table",
    "hindcast",
    "load_observations",
    "mae",
    "naive_forecasts",
    "read_forecast_csv",
    "read_observations",
    "simulated_bands",
    "simulated_shares",
    "write_forecast",
    "write_hindcast",
]
