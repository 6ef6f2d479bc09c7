"""Observed series and the measures that compare a model with them, shared by the
calibration and the validation (which do not import each other): the trade-share
observation files (trade), the series a fit or a forecast is scored on, in one long
layout (series), and the error measures with the naive forecasts (measures)."""
