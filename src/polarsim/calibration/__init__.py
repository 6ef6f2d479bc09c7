"""Calibration of scenario parameters against observed series (issue 5): rejection ABC
on the sweep engine. `calibrate` is the Python API behind `polarsim calibrate`."""

from polarsim.calibration.spec import Calibration


def __getattr__(name: str):
    # calibrate imports the sweep engine, whose experiment schema imports this
    # package's spec: loaded on first use to keep the import order free of cycles.
    if name in ("calibrate", "CalibrationResult"):
        from polarsim.calibration import abc

        return getattr(abc, name)
    raise AttributeError(name)


__all__ = ["Calibration", "CalibrationResult", "calibrate"]
