"""Rolling-origin forecast evaluation: the standard test of a forecasting model.

From every origin year o (2005-2014 by default) the scenario is run from the observed
state of o to the last observed year, knowing only the data up to o (the model's set-up
reads nothing later; dated events and drivers are inputs). Each forecast is scored on
the years after o, by horizon h = year - o, for three outcome series:

- ``trade_shares``: a power's share of the state's trade, percent (DOTS, recommended
  basis), against ``trade_share_<P>`` x 100;
- ``arms_shares``: a supplier's share of the state's arms imports over the
  ``security.window_years`` years up to the year, percent (SIPRI TIV), against the
  model's security share (a stock that also holds bases and guarantees);
- ``remittances``: personal remittances received, percent of GDP (WDI).

Beside the model, three forecasts made from the same data up to o: persistence (the
last observed value), a linear trend (least squares over every observed year up to o,
kept within [0, 100]) and a damped-trend exponential-smoothing model (statsmodels'
Holt-Winters with an additive damped trend, fitted to the series up to o).

Bands (central LEVEL, 90 % by default), each built only from what was known at o:

- model: the model's replicate median moved by the quantiles of a structural error
  sample known at o: its own past errors (earlier origins, years up to o, same series),
  pooled with the observed changes of the series up to o (the errors persistence made)
  while it holds fewer than MIN_OWN_ERRORS, on the scale z = log(value + BAND_OFFSET).
  A forecast h years ahead takes the errors made h years ahead where the sample holds
  at least MIN_BAND_SAMPLE of them, else every error scaled by sqrt(h / its horizon).
  The model's own errors alone gave bands that covered 67-72 % for arms and
  remittances at 90 %: early origins know few errors, all at short horizons;
- naive: persistence moved by the quantiles of the observed changes of the same series
  up to o over the years persistence is carried (year - the year of its value: h where
  the series is observed in o), on the same scale, with the same fallback to scaled
  changes.

Scores, per series and horizon: MAE (percentage points), coverage of each band and its
interval score (Gneiting and Raftery 2007, computed with `scoringrules`): width plus
2/alpha times the distance of an observation outside the band; lower is better.

>>> from polarsim.validation.skill import skill
>>> s = skill("scenarios/historical.yaml", replicates=10)        # doctest: +SKIP
>>> s.table[s.table["horizon"] == "1-5"]                         # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter
from pathlib import Path

import numpy as np
import pandas as pd

from polarsim.errors import PolarsimInputError, PolarsimNote
from polarsim.scenario import Scenario

#: Outcome series scored, in the order of the tables.
SERIES = ("trade_shares", "arms_shares", "remittances")

#: Origins of the default evaluation: the first year with five years of data behind it
#: (the residual trade trend needs them) to the year before the last observed one.
DEFAULT_ORIGINS: tuple[int, ...] = tuple(range(2005, 2015))

#: Last year of observed outcomes bundled with the package (BRIEF.md, "Data").
LAST_OBSERVED_YEAR = 2015

#: Central probability of the bands.
LEVEL = 0.9


def check_level(level: float, field: str = "level") -> float:
    """A band's central probability, strictly between 0 and 1 (0.9, not 90), as a float;
    else an input error, before anything runs."""
    ok = isinstance(level, int | float | np.integer | np.floating) and not isinstance(level, bool)
    if not ok or not 0.0 < float(level) < 1.0:  # also NaN
        raise PolarsimInputError(
            f"expected a probability between 0 and 1 (e.g. 0.9), found {level!r}", field=field
        )
    return float(level)


def check_origins(origins: Sequence[int]) -> tuple[int, ...]:
    """Origin years sorted and without repeats, each a whole number; else an input error."""
    if isinstance(origins, int | np.integer | str):
        raise PolarsimInputError(f"expected a list of years, found {origins!r}", field="--origins")
    bad = [o for o in origins if isinstance(o, bool) or not isinstance(o, int | np.integer)]
    if bad:
        raise PolarsimInputError(
            f"expected whole-number years, found {bad[0]!r}", field="--origins"
        )
    return tuple(sorted({int(o) for o in origins}))


def check_series(series: Sequence[str]) -> list[str]:
    """The series to score as a list: one string, or none at all, is an input error."""
    if isinstance(series, str) or not len(series):
        raise PolarsimInputError(
            f"expected a list of some of {list(SERIES)}, found {series!r}", field="--series"
        )
    return list(series)


@dataclass(frozen=True)
class Refit:
    """A parameter that `--refit` re-estimates from the data up to each origin, so that
    a forecast from an earlier origin does not use a value fitted to the years it is
    scored on (polarsim.observations.estimates)."""

    path: str  # the scenario path it sets (`--set` syntax)
    estimate: Callable[[Scenario, int], float]  # the data up to the origin -> the value
    low: float  # the parameter's range: an estimate outside it is clipped to it
    high: float
    shipped: float = float("nan")  # the default, estimated from the data to 2015


def _remittance_elasticity(sc: Scenario, origin: int) -> float:
    from polarsim.observations.estimates import remittance_elasticity

    return remittance_elasticity(origin).value


def _stall_hazard(sc: Scenario, origin: int) -> float:
    from polarsim.observations.estimates import stall_hazard

    return stall_hazard(sc, origin).value


def _field_range(model: type, name: str) -> tuple[float, float]:
    low, high = -np.inf, np.inf
    for m in model.model_fields[name].metadata:
        low = getattr(m, "ge", low)
        high = getattr(m, "le", high)
    return float(low), float(high)


@cache  # the same table for every check, origin and manifest of a process
def _refits() -> dict[str, Refit]:
    from polarsim.scenario.parameters import InfrastructureParams, RemittanceParams

    return {
        "remittance_elasticity": Refit(
            "parameters.remittances.source_gdp_elasticity",
            _remittance_elasticity,
            *_field_range(RemittanceParams, "source_gdp_elasticity"),
            RemittanceParams.model_fields["source_gdp_elasticity"].default,
        ),
        "stall_hazard": Refit(
            "parameters.infrastructure.stall_hazard",
            _stall_hazard,
            *_field_range(InfrastructureParams, "stall_hazard"),
            InfrastructureParams.model_fields["stall_hazard"].default,
        ),
    }


#: The parameters `--refit` can re-estimate at each origin: the shipped values that are
#: estimated from the bundled data to 2015 (docs/validation.md, "Nesting").
REFIT_NAMES = tuple(_refits())

#: Decimals of a re-estimated value: those of the shipped values (1.65).
REFIT_DIGITS = 2


#: `refit` of `skill` and `forecast` by default: every parameter of REFIT_NAMES that the
#: overrides or the posterior do not set, so that the default scores are out of sample.
REFIT_AUTO = "auto"
#: `refit` that keeps the shipped values at every origin (in sample before 2015).
REFIT_NONE = "none"


def refit_list(refit: Iterable[str] | str | None) -> list[str] | str | None:
    """`refit` with an iterable read once into a list: a generator handed to
    refit_is_auto and then to check_refit would reach the second empty, and its names
    would be dropped without a word. A string or None as given."""
    if refit is None or isinstance(refit, str):
        return refit
    try:
        return list(refit)
    except TypeError:
        raise PolarsimInputError(
            f"expected {REFIT_AUTO!r}, {REFIT_NONE!r} or a list of some of "
            f"{list(REFIT_NAMES)}, found {refit!r}",
            field="--refit",
        ) from None


def refit_is_auto(refit: Sequence[str] | str | None) -> bool:
    """Whether `refit` asks for REFIT_AUTO (alone, or as a list's one item, given once
    or more: check_refit reads ['auto', 'auto'] as auto, and so must the origins it
    leaves without an estimate)."""
    refit = refit_list(refit)
    return refit == REFIT_AUTO or (
        isinstance(refit, list) and list(dict.fromkeys(refit)) == [REFIT_AUTO]
    )


def _scenario_value(scenario: Scenario, path: str):
    return attrgetter(path)(scenario)  # a dotted path of the schema's attributes


def check_refit(
    refit: Sequence[str] | str | None,
    overrides: Sequence[str],
    posterior,
    scenario: Scenario | None = None,
) -> list[str]:
    """The names of `refit` to re-estimate at each origin. REFIT_AUTO (alone, or as the
    one item of a list) is every name of REFIT_NAMES whose parameter `overrides` do not
    set and a `posterior` does not draw; REFIT_NONE, None or an empty list is none.
    A name given explicitly must be known and not also set or drawn. Under REFIT_AUTO a
    parameter that `scenario` (loaded with the overrides) sets to other than its shipped
    value is left alone too, with a note."""
    refit = refit_list(refit)
    if isinstance(refit, str) and refit in (REFIT_AUTO, REFIT_NONE):
        refit = [refit]
    if refit is None:
        return []
    if isinstance(refit, str):
        raise PolarsimInputError(
            f"expected {REFIT_AUTO!r}, {REFIT_NONE!r} or a list of some of "
            f"{list(REFIT_NAMES)}, found {refit!r}",
            field="--refit",
        )
    names = list(dict.fromkeys(refit))  # a name given twice is refitted once
    refits = _refits()
    set_paths = {o.split("=", 1)[0].strip() for o in overrides}
    drawn: set[str] = set()
    if posterior is not None:
        sets, _ = posterior
        drawn = {o.split("=", 1)[0].strip() for s in sets for o in s}
    if REFIT_AUTO in names or REFIT_NONE in names:
        if len(names) > 1:
            raise PolarsimInputError(
                f"{REFIT_AUTO!r} and {REFIT_NONE!r} stand alone, found {names}", field="--refit"
            )
        if names[0] == REFIT_NONE:
            return []
        # a parameter the user sets or draws is theirs: auto leaves it alone, and says so
        # (the scores for it are then as in sample as the value given)
        for n in REFIT_NAMES:
            if refits[n].path in set_paths | drawn:
                how = "--set gives it" if refits[n].path in set_paths else "--posterior draws it"
                warnings.warn(
                    PolarsimNote(f"{n} not re-estimated at the origins: {how}"), stacklevel=3
                )
        names = [n for n in REFIT_NAMES if refits[n].path not in set_paths | drawn]
        # so is one the scenario file sets (a calibrated scenario, a what-if): replacing
        # it would score another model than the user's, and the origins without an
        # estimate would mix the two
        own = [
            n
            for n in names
            if scenario is not None
            and _scenario_value(scenario, refits[n].path) != refits[n].shipped
        ]
        for n in own:
            warnings.warn(
                PolarsimNote(
                    f"{n} not re-estimated at the origins: the scenario sets "
                    f"{refits[n].path} to {_scenario_value(scenario, refits[n].path):g} "
                    f"(shipped {refits[n].shipped:g}); give --refit {n} to re-estimate it"
                ),
                stacklevel=3,
            )
        return [n for n in names if n not in own]
    unknown = [n for n in names if n not in REFIT_NAMES]
    if unknown:
        raise PolarsimInputError(
            f"expected some of {list(REFIT_NAMES)}, found {unknown[0]!r}", field="--refit"
        )
    for n in names:
        if refits[n].path in set_paths:
            raise PolarsimInputError(
                f"--refit {n} sets {refits[n].path} at each origin; drop the --set of it",
                field="--refit",
            )
        if refits[n].path in drawn:
            raise PolarsimInputError(
                f"--refit {n} sets {refits[n].path} at each origin, which the "
                "--posterior calibration draws too; use one of them",
                field="--refit",
            )
    return names


def refit_values(
    refit: Sequence[str],
    origins: Sequence[int],
    scenario: Scenario | None = None,
    *,
    unknown_keeps_scenario: bool = False,
) -> dict[str, dict[int, float]]:
    """Each refitted parameter's value at each origin: its estimate from the bundled
    data up to the origin (and `scenario`'s dated events up to it: the projects
    agreed), within the parameter's range. The bundled data end in LAST_OBSERVED_YEAR:
    a later origin (with later observation files) takes the estimate from the data to
    it, the shipped value, which a note says: not a look-ahead, only less than that
    origin knew. An origin with too few years for an estimate is an input error; with
    `unknown_keeps_scenario` (`refit="auto"`) it has no value here, so its runs keep
    the scenario's value, in sample, and a note names it."""
    refits = _refits()
    later = [int(o) for o in origins if o > LAST_OBSERVED_YEAR]
    if refit and later:
        warnings.warn(
            PolarsimNote(
                f"the re-estimated parameters read the bundled data, which end in "
                f"{LAST_OBSERVED_YEAR}: at the origins after it "
                f"({', '.join(map(str, later))}) the estimates are those from the data to "
                f"{LAST_OBSERVED_YEAR}"
            ),
            stacklevel=3,
        )
    out: dict[str, dict[int, float]] = {}
    for n in refit:
        r = refits[n]
        values = {}
        clipped = []
        unknown = []
        for o in origins:
            v = r.estimate(scenario, min(int(o), LAST_OBSERVED_YEAR))
            if not np.isfinite(v) and unknown_keeps_scenario:
                unknown.append(int(o))
                continue
            if not np.isfinite(v):
                raise PolarsimInputError(
                    f"no estimate of {n} from the data up to {o}: too few years; "
                    f"start the origins later or give --refit {REFIT_NONE}",
                    field="--refit",
                )
            # to the shipped value's precision: the estimate from the data to 2015 is then
            # the shipped value, and the forecast from 2015 the same with --refit
            # rounded, then clipped: rounding a value clipped to a bound of more decimals
            # could step outside the range the scenario check refuses
            values[int(o)] = float(min(max(round(float(v), REFIT_DIGITS), r.low), r.high))
            if values[int(o)] != round(float(v), REFIT_DIGITS):
                clipped.append(f"{o} ({v:.2f})")
        if unknown:
            warnings.warn(
                PolarsimNote(
                    f"{n}: the data up to {', '.join(map(str, unknown))} are too few for "
                    f"an estimate; the forecasts from there keep the scenario's {r.path}, "
                    "estimated on later years (in sample)"
                ),
                stacklevel=3,
            )
        if clipped:
            warnings.warn(
                PolarsimNote(
                    f"{n}, re-estimated at each origin: the estimates from the data up to "
                    f"{', '.join(clipped)} "
                    f"are outside the range [{r.low:g}, {r.high:g}] of {r.path} and are "
                    "used at its nearest end"
                ),
                stacklevel=3,
            )
        out[n] = values
    return out


def refit_manifest(
    refitted: Mapping[str, Mapping[int, float]],
    origins: Sequence[int] = (),
    scenario: Scenario | None = None,
) -> dict:
    """Each re-estimated parameter's path and value at every origin (JSON keys), and
    the `origins` that had no estimate and kept `scenario`'s value (`refit="auto"`):
    without them a parameter re-estimated at no origin would read as re-estimated."""
    refits = _refits()
    out = {}
    for n, vals in refitted.items():
        out[n] = {"path": refits[n].path, "values": {str(o): v for o, v in vals.items()}}
        kept = [int(o) for o in origins if int(o) not in vals]
        if kept:
            out[n]["kept_scenario_value"] = {
                "origins": kept,
                "value": None if scenario is None else _scenario_value(scenario, refits[n].path),
            }
    return out


#: Bands work on z = log(value + BAND_OFFSET), value in percent: errors of a 40 % share
#: and of a 2 % share are then on one scale, and a band never goes below zero.
#: Percentage points; an assumption.
BAND_OFFSET = 1.0

#: Fewest past errors (model) or past changes (naive) a band is fitted from; with fewer
#: the band is missing and the row is not counted in the band's scores.
MIN_BAND_SAMPLE = 20

#: Fewest past model errors of a series for its band to rest on them alone; with fewer
#: they are pooled with the series' observed changes (`_structural_sample`). About the
#: errors of three early origins on 25 trade pairs; an assumption.
MIN_OWN_ERRORS = 100

#: Fewest observed years before an exponential-smoothing forecast is made.
MIN_ETS_YEARS = 4

#: First origin whose forecasts are scored by default. The default parameters were
#: calibrated on forecasts started in 2004 and fitted to 2005-2007 (docs/validation.md);
#: from 2008 on, an origin's forecasts and the years they are scored on are out of
#: that sample. Earlier origins still feed the model band's error sample.
DEFAULT_REPORT_FROM = 2008

#: Horizons averaged in the summary rows (the issue's targets are over 1-5 years).
SUMMARY_HORIZONS = (1, 5)

#: Central probabilities of the reliability table: a band right at 90 % by luck (too
#: wide in the middle and too narrow in the tails) shows it at the other levels.
RELIABILITY_LEVELS = (0.5, 0.8, 0.9, 0.95)

#: Bootstrap draws behind the interval of each coverage figure (`coverage_interval`).
COVERAGE_DRAWS = 2000

#: Central probability of the interval of a coverage figure.
COVERAGE_INTERVAL = 0.9

BOUNDS = (0.0, 100.0)

POINT_COLUMNS = [
    "origin", "series", "state", "partner", "year", "horizon", "observed",
    "model", "model_lower", "model_upper", "persistence", "trend", "ets",
    "naive_lower", "naive_upper", "model_spread", "persistence_year",
]  # fmt: skip
#: draws of the replicates' spread combined with each structural error (posterior bands)
SPREAD_DRAWS = 64


@dataclass
class Skill:
    """`points`: one row per origin and compared observation (POINT_COLUMNS); `table`:
    scores per series and horizon, with summary rows (`horizon` "1-5" and "all");
    `reliability`: coverage and interval score of both bands at RELIABILITY_LEVELS
    (function `reliability`)."""

    points: pd.DataFrame
    table: pd.DataFrame
    origins: tuple[int, ...]
    report_from: int
    manifest: dict = field(default_factory=dict)
    reliability: pd.DataFrame = field(default_factory=pd.DataFrame)


# ----------------------------------------------------------------- transformations


def to_z(value: np.ndarray) -> np.ndarray:
    return np.log(np.maximum(np.asarray(value, dtype=float), 0.0) + BAND_OFFSET)


def from_z(z: np.ndarray) -> np.ndarray:
    return np.clip(np.exp(z) - BAND_OFFSET, *BOUNDS)


def interval_score(observed, lower, upper, level: float = LEVEL) -> np.ndarray:
    """Interval score of central `level` bands (Gneiting and Raftery 2007, eq. 43)."""
    import scoringrules as sr

    y, lo, hi = (np.asarray(a, dtype=float) for a in (observed, lower, upper))
    return np.asarray(sr.interval_score(y, lo, hi, 1.0 - level), dtype=float)


# ----------------------------------------------------------------- observations


def observed_outcomes(
    scenario,
    series: Sequence[str] = SERIES,
    files: Mapping[str, str | Path] | None = None,
    files_from: int | None = None,
) -> pd.DataFrame:
    """Observations of `series` for the scenario's states and powers: series, state,
    partner, year, observed, column, factor (polarsim.observations.series). The bundled
    ones, with the rows of `files` (series -> a file in the bundled layout) over them;
    with `files_from`, the files' values count only from that year on and the bundled
    ones stand before it."""
    from polarsim.observations.series import SERIES_BUILDERS

    series = check_series(series)
    files = dict(files or {})
    unknown = [s for s in [*series, *files] if s not in SERIES_BUILDERS]
    if unknown:
        raise PolarsimInputError(f"unknown series {unknown}; expected some of {list(SERIES)}")
    extra = [s for s in files if s not in series]
    if extra:
        raise PolarsimInputError(
            f"observations given for {extra}, which are not scored; score them with "
            f"--series, or leave their files out",
            field="--observed",
        )
    parts = []
    for s in series:
        path = Path(files[s]) if s in files else None
        if path is not None and not path.is_file():
            raise PolarsimInputError(f"no such file: {path}", field="--observed")
        rows = SERIES_BUILDERS[s](scenario, path)
        if path is not None:
            bundled = SERIES_BUILDERS[s](scenario, None)
            if files_from is not None:
                # A later download revises earlier years too (a new WDI vintage, GDP
                # rebased): the forecast starts from the bundled data, and persistence and
                # the naive band should carry the same vintage, not the revised one.
                rows = pd.concat(
                    [bundled[bundled["year"] < files_from], rows[rows["year"] >= files_from]],
                    ignore_index=True,
                )
            _check_file_rows(s, path, rows, bundled, files_from)
        parts.append(rows)
    return pd.concat(parts, ignore_index=True)


#: What a file of each series must hold for the scenario (messages of _check_file_rows).
FILE_CONTENT = {
    "trade_shares": "rows of the scenario's states with a share_pct for one of its powers "
    "(country and partner named as in the bundled trade_shares.csv)",
    "arms_shares": "deliveries (TIV) to the scenario's states",
    "remittances": "rows of the scenario's states with indicator remittances_received_pct_gdp "
    "and a value",
}

#: A file's values whose median is below this fraction of the bundled last values of
#: the same series are taken for fractions of 1 written where percent is expected.
FRACTION_RATIO = 0.05


def _check_file_rows(
    series: str, path: Path, rows: pd.DataFrame, bundled: pd.DataFrame, files_from: int | None
) -> None:
    """Refuse a file that adds or changes no observation (a wrong indicator code, other
    country names, only years before `files_from`, a header alone: otherwise the series
    would be scored on the bundled data alone without a word), and one whose values are
    about a hundredth of the bundled ones (shares or % of GDP written as fractions of 1:
    otherwise every error would be the whole value)."""
    keys = ["state", "partner", "year"]
    both = rows.merge(bundled[[*keys, "observed"]], on=keys, how="left", suffixes=("", "_b"))
    new = both[~np.isclose(both["observed"], both["observed_b"], rtol=0, atol=1e-9)]
    if new.empty:
        since = f" from {files_from} on" if files_from is not None else ""
        raise PolarsimInputError(
            f"{path}: expected {FILE_CONTENT[series]}{since}, found none that the bundled "
            "data do not already hold"
        )
    if series == "arms_shares":  # shares computed from TIV: no scale to get wrong
        return
    last = bundled.sort_values("year").groupby(["state", "partner"])["observed"].last()
    ref = new.join(last.rename("last"), on=["state", "partner"])
    ref = ref[ref["last"] >= 1.0]
    ratio = (ref["observed"] / ref["last"]).median() if len(ref) >= 3 else np.nan
    if ratio < FRACTION_RATIO:
        raise PolarsimInputError(
            f"{path}: expected values in percent (as the bundled data, e.g. "
            f"{ref['last'].iloc[0]:g}), found values about a hundredth of them (e.g. "
            f"{ref['observed'].iloc[0]:g}): fractions of 1? multiply them by 100"
        )
    above = new[new["observed"] > 100.0]
    if ratio > 1.0 / FRACTION_RATIO or not above.empty:
        big = ref if above.empty else above.join(last.rename("last"), on=["state", "partner"])
        r = big.iloc[0]
        was = f"; its last bundled value is {r['last']:g}" if np.isfinite(r["last"]) else ""
        raise PolarsimInputError(
            f"{path}: expected values in percent, found {r['observed']:g} for {r['state']} "
            f"in {int(r['year'])}{was}: percent of GDP and shares are at most 100 (values in "
            "USD? per mille?)"
        )


def default_origins(last_year: int) -> tuple[int, ...]:
    """DEFAULT_ORIGINS, and with observations after the bundled ones (a `last_year`
    after LAST_OBSERVED_YEAR) every origin up to the last bundled year as well: the
    forecast from there is the one the later years judge. Always before `last_year`:
    the arms windows end in 2014, so arms alone are scored from origins up to 2013."""
    last = min(last_year - 1, LAST_OBSERVED_YEAR)
    upto = min(max(last, DEFAULT_ORIGINS[-1]), last_year - 1)
    return tuple(range(DEFAULT_ORIGINS[0], upto + 1))


def _year_range(name: str) -> tuple[int, int]:
    """The schema's range of `time.<name>`."""
    from polarsim.scenario.schema import TimeSpan

    field = TimeSpan.model_fields[name]
    low = next(m.ge for m in field.metadata if hasattr(m, "ge"))
    high = next(m.le for m in field.metadata if hasattr(m, "le"))
    return low, high


def check_span(
    origins: Sequence[int], last_year: int, overrides: Sequence[str], last_option: str
) -> None:
    """Before any run: every origin is a year a scenario can start in and the last year
    one it can end in (the scenario's own message would blame a `--set` nobody gave),
    and no `--set` tries to move the span, which the origins and `last_option` set."""
    low, high = _year_range("start_year")
    outside = [o for o in origins if not low <= o <= high]
    if outside:
        raise PolarsimInputError(
            f"expected origin years from {low} to {high} (the years a scenario can start "
            f"in: the bundled data), found {outside[0]}",
            field="--origins",
        )
    low, high = _year_range("end_year")
    if not low <= last_year <= high:
        raise PolarsimInputError(
            f"expected a year from {low} to {high} (the years a scenario can end in), "
            f"found {last_year}",
            field=last_option,
        )
    span = [o for o in overrides if o.split("=", 1)[0].strip().startswith("time.")]
    if span:
        raise PolarsimInputError(
            f"{span[0]}: each forecast runs from its origin to the last year; set them "
            f"with --origins and {last_option}, not --set",
            field="--set",
        )


def default_report_from(origins: Sequence[int], last_year: int) -> int:
    """DEFAULT_REPORT_FROM; with observations after the bundled ones (a `last_year`
    after LAST_OBSERVED_YEAR) and LAST_OBSERVED_YEAR among the origins, that year: the
    later years judge the forecast as of the last bundled year, and pooling the
    in-sample origins into the table would mix it with forecasts scored on the years
    the package holds."""
    if last_year > LAST_OBSERVED_YEAR and LAST_OBSERVED_YEAR in origins:
        return LAST_OBSERVED_YEAR
    return DEFAULT_REPORT_FROM


# ----------------------------------------------------------------- baselines


def _ets_forecast(y: np.ndarray, steps: int) -> np.ndarray:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    if len(y) < MIN_ETS_YEARS or np.ptp(y) == 0:
        return np.full(steps, y[-1] if len(y) else np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # short annual series: convergence notes are noise
        try:
            fit = ExponentialSmoothing(
                y, trend="add", damped_trend=True, initialization_method="estimated"
            ).fit()
            out = np.asarray(fit.forecast(steps), dtype=float)
        except (ValueError, np.linalg.LinAlgError):
            return np.full(steps, np.nan)
    return np.clip(out, *BOUNDS)


def baselines(history: pd.DataFrame, targets: pd.DataFrame, origin: int) -> pd.DataFrame:
    """`targets` (rows after `origin`) with persistence, trend and ets forecasts made from
    the rows of `history` up to `origin` (consecutive years; a series with a gap uses
    the years after its last gap for the exponential smoothing), and `persistence_year`,
    the year of the value persistence holds: before `origin` where the series has no
    observation of the origin year (Uzbekistan's arms windows of 2007-2009, without
    deliveries; every arms window after 2014 from a 2015 origin)."""
    keys = ["series", "state", "partner"]
    past = history[history["year"] <= origin].sort_values("year")
    rows = []
    for key, g in past.groupby(keys, sort=False):
        t = g["year"].to_numpy(dtype=float)
        y = g["observed"].to_numpy(dtype=float)
        slope, icpt = np.polyfit(t, y, 1) if len(np.unique(t)) >= 2 else (np.nan, np.nan)
        gaps = np.flatnonzero(np.diff(t) != 1)
        run = y[gaps[-1] + 1 :] if len(gaps) else y
        last = int(t[-1])
        steps = max(int(targets["year"].max()) - last, 1) if len(targets) else 1
        ets = _ets_forecast(run, steps)
        rows.append((*key, y[-1], slope, icpt, last, ets))
    fits = pd.DataFrame(rows, columns=[*keys, "persistence", "_slope", "_icpt", "_last", "_ets"])
    out = targets.merge(fits, on=keys, how="left")
    out["trend"] = (out["_icpt"] + out["_slope"] * out["year"]).clip(*BOUNDS)
    ahead = (out["year"] - out["_last"]).fillna(0).astype(int)
    out["ets"] = [
        e[a - 1] if isinstance(e, np.ndarray) and 0 < a <= len(e) else np.nan
        for e, a in zip(out["_ets"], ahead, strict=True)
    ]
    out["persistence_year"] = out["_last"]
    return out.drop(columns=["_slope", "_icpt", "_last", "_ets"])


def past_changes(history: pd.DataFrame, origin: int) -> pd.DataFrame:
    """Observed changes on the z scale over every horizon within each series, between
    years both up to `origin`: series, horizon, change, from_zero (the change started
    from a value of zero)."""
    past = history[history["year"] <= origin]
    series, horizon, change, from_zero = [], [], [], []
    for (name, _s, _p), g in past.groupby(["series", "state", "partner"], sort=False):
        years = g["year"].to_numpy()
        z = to_z(g["observed"].to_numpy())
        order = np.argsort(years, kind="stable")
        years, z = years[order], z[order]
        first, later = np.triu_indices(len(years), k=1)  # every pair of years, in order
        series.append(np.full(len(first), name, dtype=object))
        horizon.append(years[later] - years[first])
        change.append(z[later] - z[first])
        from_zero.append(z[first] <= 0)
    if not series:
        return pd.DataFrame(columns=["series", "horizon", "change", "from_zero"])
    return pd.DataFrame(
        {
            "series": np.concatenate(series),
            "horizon": np.concatenate(horizon),
            "change": np.concatenate(change),
            "from_zero": np.concatenate(from_zero),
        }
    )


Quantiles = Callable[[np.ndarray, float], tuple[float, float]]


def _quantiles(sample: np.ndarray, level: float) -> tuple[float, float]:
    """The shipped rule: the sample's (1 - level)/2 and (1 + level)/2 quantiles, linearly
    interpolated. They cover a new error exchangeable with the n of the sample with
    probability (n - 1) level / (n + 1), less than `level` for small n: 0.81 at n = 20
    and level 0.9 (`finite_sample_quantiles` corrects it; design record)."""
    if len(sample) < MIN_BAND_SAMPLE:
        return np.nan, np.nan
    tail = (1.0 - level) / 2.0
    return float(np.quantile(sample, tail)), float(np.quantile(sample, 1.0 - tail))


def finite_sample_quantiles(sample: np.ndarray, level: float) -> tuple[float, float]:
    """The alternative rule of split conformal prediction (Vovk et al. 2005; Lei et al.
    2018): the order statistics k_lo = floor((n + 1) tail) and k_hi = ceil((n + 1)
    (1 - tail)) of n errors, which cover a new exchangeable error with probability at
    least `level` (at most level + 2 / (n + 1)). Not the shipped rule: kept so that
    `scripts/band_rules.py` measures both on the same forecasts (docs/validation.md,
    design record)."""
    n = len(sample)
    if n < MIN_BAND_SAMPLE:
        return np.nan, np.nan
    tail = (1.0 - level) / 2.0
    s = np.sort(np.asarray(sample, dtype=float))
    k_lo = max(1, int(np.floor((n + 1) * tail)))
    k_hi = min(n, int(np.ceil((n + 1) * (1.0 - tail))))
    return float(s[k_lo - 1]), float(s[k_hi - 1])


def _errors_at(sample: pd.DataFrame, horizon: int) -> np.ndarray:
    """The errors (changes on the z scale) a forecast `horizon` years ahead is moved by:
    those made `horizon` years ahead where `sample` holds at least MIN_BAND_SAMPLE, else
    every error scaled to the horizon by sqrt(horizon / its own horizon). Errors do not
    grow as sqrt(h) everywhere (an arms share is a five-year window, whose new years
    add up), so the errors of the horizon itself are used wherever enough are known."""
    h = sample["horizon"].to_numpy(dtype=float)
    change = sample["change"].to_numpy(dtype=float)
    exact = h == horizon
    if exact.sum() >= MIN_BAND_SAMPLE:
        return change[exact]
    return change * np.sqrt(horizon / h)


def _shifted_band(
    centre: np.ndarray, errors: np.ndarray, level: float, quantiles: Quantiles = _quantiles
) -> tuple[np.ndarray, np.ndarray]:
    """`centre` moved by the quantiles of `errors` (changes on the z scale)."""
    q_lo, q_hi = quantiles(errors, level)
    z = to_z(centre)
    return from_z(z + q_lo), from_z(z + q_hi)


def _split_band(
    centre: np.ndarray,
    horizon: np.ndarray,
    sample: pd.DataFrame,
    level: float,
    spread: np.ndarray | None = None,
    quantiles: Quantiles = _quantiles,
) -> tuple[np.ndarray, np.ndarray]:
    """`centre` (forecasts `horizon` years ahead) moved by the quantiles of the errors
    (`sample`: horizon, change, from_zero) of its own kind at its horizon
    (`_errors_at`): a forecast of zero by those that started from zero, any other by
    the rest. A share at zero moves only if a partner enters (mostly not, sometimes
    far), a positive one both ways; pooled, the two gave bands too wide for the one and
    too narrow for the other (arms suppliers; trade and remittances are rarely at zero).
    A kind with fewer than MIN_BAND_SAMPLE errors takes the whole sample."""
    lo, hi = np.full(len(centre), np.nan), np.full(len(centre), np.nan)
    if not len(sample):
        return lo, hi
    kinds = sample["from_zero"].to_numpy(dtype=bool)
    for zero in (True, False):
        own = sample[kinds == zero]
        errs = own if len(own) >= MIN_BAND_SAMPLE else sample
        for h in np.unique(horizon[(centre <= 0) == zero]):
            rows = ((centre <= 0) == zero) & (horizon == h)
            at_h = _errors_at(errs, int(h))
            if spread is None or not np.isfinite(spread[rows]).any():
                lo[rows], hi[rows] = _shifted_band(centre[rows], at_h, level, quantiles)
            else:
                lo[rows], hi[rows] = _convolved_band(centre[rows], at_h, spread[rows], level)
    return lo, hi


def _convolved_band(
    centre: np.ndarray, errors: np.ndarray, spread: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """The structural errors plus the replicates' own spread around their median on the
    z scale (normal with sd `spread`: parameter draws and the model's noise), as
    independent parts: quantiles of their sum, drawn with fixed normal quantiles so the
    band is the same on every run."""
    eps = norm_quantiles(SPREAD_DRAWS)
    if len(errors) * len(eps) < MIN_BAND_SAMPLE:  # as `_quantiles` of the sums
        nan = np.full(len(centre), np.nan)
        return nan, nan.copy()
    z = to_z(centre)
    sd = np.where(np.isfinite(spread), spread, 0.0)
    tail = (1.0 - level) / 2.0
    lo, hi = np.empty(len(centre)), np.empty(len(centre))
    # rows in blocks: each row's sum is errors x draws values, quantiles along the row
    block = max(1, _CONVOLVE_VALUES // (len(errors) * len(eps)))
    for start in range(0, len(centre), block):
        rows = slice(start, start + block)
        total = (errors[None, :, None] + sd[rows, None, None] * eps[None, None, :]).reshape(
            len(sd[rows]), -1
        )
        q = np.quantile(total, [tail, 1.0 - tail], axis=1)
        lo[rows], hi[rows] = from_z(z[rows] + q[0]), from_z(z[rows] + q[1])
    return lo, hi


#: Values of the convolved sums held at once (`_convolved_band`): about 32 MB.
_CONVOLVE_VALUES = 4_000_000


def norm_quantiles(n: int) -> np.ndarray:
    """n equally spaced standard normal quantiles (at (k + 1/2) / n)."""
    from scipy.stats import norm

    return norm.ppf((np.arange(n) + 0.5) / n)


def _structural_sample(errors: pd.DataFrame, changes: pd.DataFrame) -> pd.DataFrame:
    """The model's error sample per series: its own past errors, pooled with the
    observed changes of the series (the errors persistence made) where it holds fewer
    than MIN_OWN_ERRORS. Early origins know few model errors, all at short horizons and
    from calm years; the series' own past moves say how far the truth can go."""
    parts = []
    for series in dict.fromkeys([*errors["series"], *changes["series"]]):
        own = errors[errors["series"] == series]
        parts.append(own)
        if len(own) < MIN_OWN_ERRORS:
            parts.append(changes.loc[changes["series"] == series])
    return pd.concat(parts, ignore_index=True) if parts else errors


def add_bands(
    points: pd.DataFrame,
    history: pd.DataFrame,
    level: float = LEVEL,
    quantiles: Quantiles = _quantiles,
) -> pd.DataFrame:
    """Model and naive bands for every origin from what was known at that origin (see
    the module docstring): `points` with model_lower/upper and naive_lower/upper.
    `quantiles` is the rule taking a sample of errors to the band's ends (the shipped
    one, or `finite_sample_quantiles` to compare)."""
    out = []
    for origin, g in points.groupby("origin", sort=True):
        g = g.copy()
        known = points[(points["origin"] < origin) & (points["year"] <= origin)]
        errors = pd.DataFrame(
            {
                "series": known["series"],
                "horizon": known["horizon"],
                "change": to_z(known["observed"]) - to_z(known["model"]),
                "from_zero": known["model"] <= 0,
            }
        )
        # a series the model did not forecast (remittances of a state without an
        # observation up to that origin: model.setup.initial_remittances) made no error
        errors = errors[np.isfinite(errors["change"].to_numpy(dtype=float))]
        changes = past_changes(history, origin)
        samples = {"model": _structural_sample(errors, changes), "naive": changes}
        centres = {"model": "model", "naive": "persistence"}
        # the model forecasts from the origin; persistence carries the value of its own
        # year, which is before the origin where the series has no observation of the
        # origin year, so the naive band takes the changes over the years it is carried
        horizon = g["horizon"].to_numpy(dtype=int)
        held = horizon.copy()
        if "persistence_year" in g:
            since = (g["year"] - g["persistence_year"]).to_numpy(dtype=float)
            held = np.where(np.isfinite(since), since, horizon).astype(int)
        horizons = {"model": horizon, "naive": held}
        for name, sample in samples.items():
            lo = np.full(len(g), np.nan)
            hi = np.full(len(g), np.nan)
            spread = (
                g["model_spread"].to_numpy(dtype=float)
                if name == "model" and "model_spread" in g
                else None
            )
            for s in g["series"].unique():
                rows = (g["series"] == s).to_numpy()
                lo[rows], hi[rows] = _split_band(
                    g[centres[name]].to_numpy(dtype=float)[rows],
                    horizons[name][rows],
                    sample.loc[sample["series"] == s],
                    level,
                    None if spread is None else spread[rows],
                    quantiles,
                )
            g[f"{name}_lower"], g[f"{name}_upper"] = lo, hi
        out.append(g)
    return pd.concat(out, ignore_index=True) if out else points


# ----------------------------------------------------------------- the model


def _per_target(stats: pd.DataFrame, targets: pd.DataFrame) -> np.ndarray:
    """The value of `stats` (indexed by year and state, one column per target column)
    for every target row."""
    idx = pd.MultiIndex.from_arrays([targets["year"], targets["state"]])
    wide = stats.reindex(idx)
    return np.array([wide[c].to_numpy()[i] for i, c in enumerate(targets["column"])], dtype=float)


def model_medians(states: pd.DataFrame, targets: pd.DataFrame) -> np.ndarray:
    """The replicate median of the model's value for every target row (in its unit)."""
    cols = sorted(targets["column"].unique())
    med = states.groupby(["year", "state"])[cols].median()
    return _per_target(med, targets) * targets["factor"].to_numpy(dtype=float)


def model_spreads(states: pd.DataFrame, targets: pd.DataFrame) -> np.ndarray:
    """The replicates' standard deviation on the z scale for every target row."""
    cols = sorted(targets["column"].unique())
    frame = states[["year", "state", *cols]].copy()
    factor = dict(zip(targets["column"], targets["factor"], strict=False))
    for c in cols:
        frame[c] = to_z(frame[c].to_numpy(dtype=float) * factor[c])
    return _per_target(frame.groupby(["year", "state"])[cols].std(ddof=1), targets)


def forecast_from(
    scenario: str | Path,
    origin: int,
    last_year: int,
    observed: pd.DataFrame,
    *,
    seed: int,
    replicates: int,
    overrides: Sequence[str] = (),
    posterior: tuple[list[list[str]], np.ndarray] | None = None,
    with_baselines: bool = True,
) -> pd.DataFrame:
    """The model's and the baselines' forecasts from `origin` for every observation after
    it up to `last_year` (POINT_COLUMNS without the bands). With `posterior` (sets and
    weights, validation.posterior.posterior_sets) each replicate draws its parameters
    from it, and `model_spread` holds the replicates' spread (sd on the z scale). With
    `with_baselines` False, persistence, trend and ETS are left empty: a forecast whose
    rows only feed a later origin's model band (its errors) needs none of them, and the
    exponential smoothing is most of the cost."""
    from polarsim import load_scenario, run

    span = [f"time.start_year={origin}", f"time.end_year={last_year}"]
    sc = load_scenario(scenario, [*overrides, *span])
    if posterior is None:
        states = run(sc, seed=seed, replicates=replicates).states
    else:
        from polarsim.validation.posterior import run_posterior

        sets, weights = posterior
        states = run_posterior(
            scenario, sets, weights, seed=seed, replicates=replicates,
            overrides=[*overrides, *span],
        ).states  # fmt: skip
    targets = observed[(observed["year"] > origin) & (observed["year"] <= last_year)]
    targets = targets[targets["state"].isin(sc.state_codes)].reset_index(drop=True)
    if with_baselines:
        pts = baselines(observed, targets, origin)
    else:
        pts = targets.assign(persistence=np.nan, trend=np.nan, ets=np.nan, persistence_year=np.nan)
    pts["model"] = model_medians(states, pts)
    pts["model_spread"] = model_spreads(states, pts) if posterior is not None else np.nan
    pts["origin"] = origin
    pts["horizon"] = pts["year"] - origin
    for c in ("model_lower", "model_upper", "naive_lower", "naive_upper"):
        pts[c] = np.nan
    return pts[POINT_COLUMNS]


def posterior_draws(posterior: str | Path | None) -> tuple[list[list[str]], np.ndarray] | None:
    """The accepted points of a `polarsim calibrate` folder (validation.posterior), or
    None without one."""
    if posterior is None:
        return None
    from polarsim.validation.posterior import posterior_sets

    return posterior_sets(posterior)


def check_posterior_window(posterior: str | Path | None, report_from: int) -> None:
    """Note when a `--posterior` calibration was fitted to years after `report_from`:
    the reported forecasts from the origins before the window's last year are then
    scored on observations the parameters were fitted to (not out of sample)."""
    if posterior is None:
        return
    import json

    path = Path(posterior) / "calibration.json"
    try:
        window = json.loads(path.read_text(encoding="utf-8")).get("window")
        last = int(window[1])
    except (OSError, ValueError, TypeError, IndexError, AttributeError):
        return
    if last > report_from:
        from polarsim.errors import PolarsimNote

        warnings.warn(
            f"--posterior {posterior} was fitted to observations up to {last}: the "
            f"forecasts from origins {report_from}-{last - 1} are scored on years it was "
            f"fitted to, in sample; for an out-of-sample score report from {last} on "
            f"(--report-from {last}) or fit the calibration on earlier years",
            PolarsimNote,
            stacklevel=3,
        )


def rolling_manifest(
    scenario, origins, last_year, series, replicates, seed, overrides, level, posterior
) -> dict:
    """What a rolling-origin evaluation or forecast was made with (its manifest's
    common part). Numbers as plain Python numbers: the manifest is written as JSON
    with default=str, which would record a NumPy seed as the string "3"."""
    return {
        "scenario": str(scenario),
        "origins": [int(o) for o in origins],
        "last_year": int(last_year),
        "series": list(series),
        "replicates": int(replicates),
        "seed": int(seed),
        "overrides": list(overrides),
        "level": float(level),
        "band_offset_pp": BAND_OFFSET,
        "min_band_sample": MIN_BAND_SAMPLE,
        "posterior": None if posterior is None else str(posterior),
    }


def rolling_forecasts(
    scenario: str | Path,
    origins: Sequence[int],
    last_year: int,
    targets: Callable[[int], pd.DataFrame],
    *,
    seed: int,
    replicates: int,
    overrides: Sequence[str] = (),
    posterior: tuple[list[list[str]], np.ndarray] | None = None,
    progress: Callable[[int], None] | None = None,
    baselines_from: int | None = None,
    refit: Mapping[str, Mapping[int, float]] | None = None,
) -> pd.DataFrame:
    """`forecast_from` every origin to `last_year`, each scored on `targets(origin)`
    (observed rows; those after the origin are its targets), in one table without the
    bands. Origins before `baselines_from` get no persistence, trend or ETS: their
    forecasts only feed a later origin's model band. `refit` (refit_values) sets each
    named parameter to its value at the origin."""
    paths = _refits() if refit else {}
    parts = []
    with warnings.catch_warnings():
        # the set-up's note for each origin; one note for all of them follows
        warnings.filterwarnings("ignore", "no remittance observation up to", PolarsimNote)
        for o in origins:
            parts.append(
                forecast_from(
                    scenario,
                    o,
                    last_year,
                    targets(o),
                    seed=seed,
                    replicates=replicates,
                    overrides=[
                        *overrides,
                        *(f"{paths[n].path}={v[o]!r}" for n, v in (refit or {}).items() if o in v),
                    ],
                    posterior=posterior,
                    with_baselines=baselines_from is None or o >= baselines_from,
                )  # fmt: skip
            )
            if progress is not None:
                progress(o)
    points = pd.concat(parts, ignore_index=True)
    _note_not_forecast(points)
    return points


def _note_not_forecast(points: pd.DataFrame) -> None:
    """One note naming the series the model did not forecast from some origins (the
    remittances of a state without an observation up to the origin start at nothing:
    model.setup.initial_remittances); no forecast scores or bands on their rows."""
    blank = points[points["model"].isna()]
    if blank.empty:
        return
    said = []
    for (series, state), g in blank.groupby(["series", "state"], sort=True):
        years = sorted(int(y) for y in g["origin"].unique())
        consecutive = years[-1] - years[0] == len(years) - 1
        span = (
            f"{years[0]}-{years[-1]}"
            if consecutive and len(years) > 1
            else ", ".join(str(y) for y in years)
        )
        said.append(f"{series} of {state} from {'origin' if len(years) == 1 else 'origins'} {span}")
    warnings.warn(
        PolarsimNote(
            "the model makes no forecast of "
            + ", ".join(said)
            + ": no value was known up to the origin to start from; these rows count "
            "as unscored and add no error to later bands"
        ),
        stacklevel=3,
    )


def skill(
    scenario: str | Path,
    *,
    origins: Sequence[int] | None = None,
    last_year: int | None = None,
    series: Sequence[str] = SERIES,
    replicates: int = 10,
    seed: int = 0,
    overrides: Sequence[str] = (),
    level: float = LEVEL,
    report_from: int | None = None,
    progress: Callable[[int], None] | None = None,
    posterior: str | Path | None = None,
    observed: Mapping[str, str | Path] | None = None,
    observed_from: int | None = None,
    refit: Sequence[str] | str = REFIT_AUTO,
) -> Skill:
    """Rolling-origin evaluation of `scenario` (a file whose events and drivers cover the
    origins) from every origin in `origins` to `last_year`. The table scores the origins
    from `report_from` on; `points` holds every origin (column `reported`). With
    `posterior` (a `polarsim calibrate` folder) every replicate draws its parameters from
    the calibration's accepted points, and the model band adds the replicates' spread to
    the structural errors.

    `observed` (series -> a file in the bundled layout, polarsim.observations.series)
    adds observations, such as years after the bundled ones: `last_year` defaults to
    the last observed year, `origins` to `default_origins(last_year)`. Forecasts,
    baselines and bands from an origin use only the observations up to it, so the
    forecast from 2015 scored on later years is out of sample: with report_from=2015
    the table is that forecast's score alone, and `report_from` defaults to it when
    later observations are given and 2015 is an origin (`default_report_from`; else
    DEFAULT_REPORT_FROM). With `observed_from` the files count only
    from that year on (their revisions of earlier years are left out, so persistence
    carries the data the model started from).

    `refit` names parameters (REFIT_NAMES) re-estimated at every origin from the data
    up to it (`refit_values`; the manifest records the values): the shipped values are
    estimated from the data to 2015, which the forecasts from earlier origins are
    scored on. The default, REFIT_AUTO, re-estimates every one that `overrides` and
    `posterior` leave alone, so the scores are out of sample; REFIT_NONE keeps the
    shipped values (`check_refit`)."""
    from polarsim import load_scenario
    from polarsim.experiment.spec import file_sha256

    level = check_level(level)
    if origins is not None:
        origins = check_origins(origins)
    base = load_scenario(scenario, list(overrides))
    observed_all = observed_outcomes(base, series, observed, observed_from)
    if last_year is None:
        last_year = int(observed_all["year"].max()) if len(observed_all) else LAST_OBSERVED_YEAR
    if origins is None:
        origins = default_origins(last_year)
    origins = check_origins(origins)
    if not origins or origins[-1] >= last_year:
        raise PolarsimInputError(
            f"origins must be before the last compared year {last_year}", field="--origins"
        )
    check_span(origins, last_year, overrides, "--last")
    if report_from is None:
        # the default scores from 2008 on: with later origins only, from the first
        report_from = max(default_report_from(origins, last_year), origins[0])
    if report_from > origins[-1]:
        raise PolarsimInputError(
            f"expected a year up to the last origin {origins[-1]}, found {report_from}: "
            "nothing to report",
            field="--report-from",
        )
    draws = posterior_draws(posterior)
    refit = refit_list(refit)  # a generator read once (refit_list)
    auto = refit_is_auto(refit)
    refit = check_refit(refit, overrides, draws, base)
    refitted = refit_values(refit, origins, base, unknown_keeps_scenario=auto)
    check_posterior_window(posterior, report_from)
    observed_rows = observed_all[observed_all["year"] <= last_year]
    points = rolling_forecasts(
        scenario, origins, last_year, lambda o: observed_rows, seed=seed,
        replicates=replicates, overrides=overrides, posterior=draws, progress=progress,
        refit=refitted,
    )  # fmt: skip
    points = add_bands(points, observed_rows, level)
    points["reported"] = points["origin"] >= report_from
    manifest = {
        **rolling_manifest(
            scenario, origins, last_year, series, replicates, seed, overrides, level, posterior
        ),  # fmt: skip
        "report_from": report_from,
        "observed_files": {
            s: {"path": str(f), "sha256": file_sha256(Path(f))} for s, f in (observed or {}).items()
        },
        "observed_from": observed_from,
        "refit": refit_manifest(refitted, origins, base),
    }
    table = skill_table(points[points["reported"]], level)
    rel = reliability(points, observed_rows, report_from, seed=seed)
    return Skill(points, table, origins, report_from, manifest, rel)


# ----------------------------------------------------------------- scores

FORECASTS = ("model", "persistence", "trend", "ets")
BANDS = ("model", "naive")


def _compared_rows(g: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(forecast rows, band rows): the rows where every forecast of FORECASTS has a
    value, and those where both BANDS have one. A forecast beats another only on the
    same observations: a series with one observed year has no trend, and one without an
    observation up to its origin (Uzbekistan's remittances before 2009) neither a
    persistence nor a model forecast; scoring each forecast on its own rows compared the
    model's errors there with nothing."""
    forecasts = np.isfinite(g[list(FORECASTS)].to_numpy(dtype=float)).all(axis=1)
    bounds = [f"{b}_{side}" for b in BANDS for side in ("lower", "upper")]
    bands = np.isfinite(g[bounds].to_numpy(dtype=float)).all(axis=1)
    return forecasts, bands


def _scores(g: pd.DataFrame, level: float) -> dict:
    y = g["observed"].to_numpy(dtype=float)
    rows, banded = _compared_rows(g)
    # n: the rows every forecast is scored on; n_unscored: rows left out because a
    # forecast or a band is missing there (counted, never dropped silently)
    row: dict = {"n": int(rows.sum()), "n_unscored": int((~(rows & banded)).sum())}
    for f in FORECASTS:
        x = g[f].to_numpy(dtype=float)
        row[f"mae_{f}"] = float(np.mean(np.abs(x[rows] - y[rows]))) if rows.any() else np.nan
    for b in BANDS:
        lo, hi = g[f"{b}_lower"].to_numpy(dtype=float), g[f"{b}_upper"].to_numpy(dtype=float)
        row[f"n_band_{b}"] = int(banded.sum())  # the same rows for both bands
        if banded.any():
            lo, hi, yb = lo[banded], hi[banded], y[banded]
            row[f"coverage_{b}"] = float(np.mean((lo <= yb) & (yb <= hi)))
            row[f"interval_score_{b}"] = float(np.mean(interval_score(yb, lo, hi, level)))
        else:
            row[f"coverage_{b}"] = row[f"interval_score_{b}"] = np.nan
    row["mae_ratio_persistence"] = (
        row["mae_model"] / row["mae_persistence"] if row["mae_persistence"] else np.nan
    )
    return row


def skill_table(points: pd.DataFrame, level: float = LEVEL) -> pd.DataFrame:
    """Scores per series and horizon, then per series over SUMMARY_HORIZONS ("1-5") and
    over every horizon ("all"). Every forecast is scored on the rows where all of them
    have a value, both bands on the rows where both exist (`_compared_rows`)."""
    lo, hi = SUMMARY_HORIZONS
    rows = []
    for s, g in points.groupby("series", sort=False):
        for h, gh in g.groupby("horizon", sort=True):
            rows.append({"series": s, "horizon": str(h), **_scores(gh, level)})
        summary = g[g["horizon"].between(lo, hi)]
        rows.append({"series": s, "horizon": f"{lo}-{hi}", **_scores(summary, level)})
        rows.append({"series": s, "horizon": "all", **_scores(g, level)})
    return pd.DataFrame(rows)


def coverage_interval(
    covered: np.ndarray, clusters: np.ndarray, seed: int = 0
) -> tuple[float, float]:
    """Central COVERAGE_INTERVAL interval of a coverage figure (the mean of `covered`)
    by a cluster bootstrap: the rows of a cluster (one state and partner: every origin
    and horizon of one series) are drawn together (`bootstrap_weights`).

    The rows of one pair are far from independent (overlapping forecasts of the same
    years, five-year arms windows), so a binomial interval over the rows would be much
    too narrow; resampling whole pairs keeps that dependence. With few pairs (five
    states for remittances) the interval is itself rough."""
    codes, index = np.unique(clusters, return_inverse=True)
    if len(codes) < 2:
        return np.nan, np.nan
    hits = np.bincount(index, weights=covered.astype(float), minlength=len(codes))
    rows = np.bincount(index, minlength=len(codes)).astype(float)
    w = bootstrap_weights(len(codes), seed)
    share = (w @ hits) / (w @ rows)  # every drawn pair holds rows
    tail = (1.0 - COVERAGE_INTERVAL) / 2.0
    return float(np.quantile(share, tail)), float(np.quantile(share, 1.0 - tail))


def bootstrap_weights(n_clusters: int, seed: int) -> np.ndarray:
    """(COVERAGE_DRAWS, n_clusters) times each cluster is drawn in each bootstrap draw,
    the same for every call with the same count and seed (so every level and band of a
    series is judged on the same draws)."""
    # entropy of three words: never the stream of a replicate (a child of SeedSequence(seed))
    rng = np.random.default_rng(np.random.SeedSequence([seed, n_clusters, COVERAGE_DRAWS]))
    return rng.multinomial(n_clusters, np.full(n_clusters, 1.0 / n_clusters),
                           size=COVERAGE_DRAWS).astype(float)  # fmt: skip


def reliability(
    points: pd.DataFrame,
    history: pd.DataFrame,
    report_from: int = DEFAULT_REPORT_FROM,
    levels: Sequence[float] = RELIABILITY_LEVELS,
    horizons: tuple[int, int] = SUMMARY_HORIZONS,
    seed: int = 0,
) -> pd.DataFrame:
    """Coverage against nominal level: both bands rebuilt at every level in `levels`
    from what was known at each origin (`add_bands`), scored on the forecasts from
    `report_from` on within `horizons`. One row per series and level: the count,
    coverage and interval score of the model and of the naive band, and each
    coverage's COVERAGE_INTERVAL interval (`coverage_interval`; columns
    coverage_<band>_low/_high, the same bootstrap draws for every level and band,
    derived from `seed`). A well-calibrated band covers about its level at each one."""
    lo, hi = horizons
    rows = []
    for lv in levels:
        banded = add_bands(points.drop(columns=["reported"], errors="ignore"), history, lv)
        scored = banded[banded["horizon"].between(lo, hi) & (banded["origin"] >= report_from)]
        for s, g in scored.groupby("series", sort=False):
            scores = _scores(g, lv)
            row = {"series": s, "horizon": f"{lo}-{hi}", "level": lv}
            pairs = (g["state"] + "/" + g["partner"]).to_numpy(dtype=str)
            y = g["observed"].to_numpy(dtype=float)
            _, ok = _compared_rows(g)  # the rows `_scores` judges both bands on
            for b in BANDS:
                for k in ("n_band", "coverage", "interval_score"):
                    row[f"{k}_{b}"] = scores[f"{k}_{b}"]
                low = g[f"{b}_lower"].to_numpy(dtype=float)
                high = g[f"{b}_upper"].to_numpy(dtype=float)
                row[f"coverage_{b}_low"], row[f"coverage_{b}_high"] = coverage_interval(
                    (low[ok] <= y[ok]) & (y[ok] <= high[ok]), pairs[ok], seed
                )
            rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    order = {s: i for i, s in enumerate(dict.fromkeys(out["series"]))}
    out = out.sort_values(
        ["series", "level"], key=lambda c: c.map(order) if c.name == "series" else c
    )
    return out.reset_index(drop=True)


# ----------------------------------------------------------------- output folder


def write_skill(
    s: Skill,
    out_dir: str | Path,
    *,
    figures: Callable[[Skill, Path], None] | None = None,
    force: bool = False,
) -> Path:
    """table.csv/.md, reliability.csv/.md, points.parquet and manifest.json in a new
    folder, written whole; `figures(s, folder)` may add figures to it before it is
    published (the command line passes polarsim.plots.skill's)."""
    import json

    from polarsim.markdown import frame_markdown
    from polarsim.outputs import new_output_dir
    from polarsim.provenance import git_commit, versions

    with new_output_dir(out_dir, kind="skill", force=force) as tmp:
        s.table.to_csv(tmp / "table.csv", index=False, float_format="%.10g")
        (tmp / "table.md").write_text(frame_markdown(s.table, digits=3), encoding="utf-8")
        if not s.reliability.empty:
            s.reliability.to_csv(tmp / "reliability.csv", index=False, float_format="%.10g")
            (tmp / "reliability.md").write_text(
                frame_markdown(s.reliability, digits=3), encoding="utf-8"
            )
        s.points.to_parquet(tmp / "points.parquet", index=False)
        if figures is not None:
            figures(s, tmp)
        man = {**s.manifest, "versions": versions(), "git_commit": git_commit()}
        (tmp / "manifest.json").write_text(json.dumps(man, indent=2, default=str) + "\n")
    return Path(out_dir)


# ----------------------------------------------------------------- tuning


def nested_errors(points: pd.DataFrame, split: int) -> dict[str, float]:
    """Mean absolute errors of the model and of persistence on two disjoint samples:
    `tune`, forecasts from origins before `split` scored on years up to `split` (what
    a modeller in `split` could have tuned on), and `report`, forecasts from origins
    from `split` on (every year after them). A parameter is chosen on `tune` and judged
    on `report`, both over the rows that have both forecasts."""
    # the rows both forecasts have: a series without any observation up to its origin
    # has no persistence forecast, and the model's error there is not comparable
    points = points[np.isfinite(points["model"]) & np.isfinite(points["persistence"])]
    tune = points[(points["origin"] < split) & (points["year"] <= split)]
    report = points[points["origin"] >= split]
    out = {}
    for name, part in (("tune", tune), ("report", report)):
        out[f"{name}_n"] = len(part)
        for f in ("model", "persistence"):
            out[f"{name}_mae_{f}"] = float((part[f] - part["observed"]).abs().mean())
    return out
