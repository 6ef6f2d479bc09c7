"""Calibration of scenario parameters against observed series (issue 5): rejection ABC
and ABC-SMC on the sweep engine. `calibrate` is the Python API behind
`polarsim calibrate`."""

from typing import TYPE_CHECKING

from polarsim._lazy import lazy_exports

_EXPORTS = {
    "Calibration": "polarsim.experiment.calibration_section",
    "CalibrationResult": "polarsim.calibration.abc",
    "calibrate": "polarsim.calibration.abc",
    "estimate": "polarsim.calibration.abc",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:  # for type checkers and IDEs; at run time names load on first use
    from polarsim.calibration.abc import CalibrationResult, calibrate, estimate
    from polarsim.experiment.calibration_section import Calibration

__all__ = ["Calibration", "CalibrationResult", "calibrate", "estimate"]
