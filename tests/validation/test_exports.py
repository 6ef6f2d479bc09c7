"""polarsim.validation exports the forecast's API with the hindcast's, lazily (the
command line's quick verbs import no model code), and keeps `forecast` the module's
name: `polarsim.validation.forecast.forecast` is the function docs/api.md documents."""

from __future__ import annotations

import json
import subprocess
import sys

import polarsim.validation as validation

EXPORTED = ("Forecast", "write_forecast", "read_forecast_csv")


def test_the_forecasts_names_are_exported_with_the_hindcasts():
    from polarsim.validation import forecast as module

    for name in EXPORTED:
        assert name in validation.__all__ and name in dir(validation)
        assert getattr(validation, name) is getattr(module, name)
    assert {"Hindcast", "hindcast", "write_hindcast"} <= set(validation.__all__)


def test_forecast_stays_the_module_and_its_function_is_reached_through_it():
    from polarsim.validation import Forecast, forecast

    assert forecast.__name__ == "polarsim.validation.forecast"
    assert callable(validation.forecast.forecast)
    assert forecast.Forecast is Forecast


def test_importing_the_package_imports_no_forecast_until_a_name_is_used():
    probe = (
        "import json, sys\n"
        "import polarsim.validation as v\n"
        "before = 'polarsim.validation.forecast' in sys.modules\n"
        "v.Forecast\n"
        "print(json.dumps([before, 'polarsim.validation.forecast' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [False, True]
