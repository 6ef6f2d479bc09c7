"""Command-line layer for `polarsim hindcast` and `polarsim skill` (their figures:
polarsim.plots.folder_figures).

Wire into polarsim.cli with `add_parsers(sub)`; each parser sets `func` to a handler
taking the parsed args and returning an exit code (PolarsimInputError propagates to the
main CLI, which prints it on one line and exits 2)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from polarsim.arguments import add_run_options
from polarsim.errors import PolarsimInputError
from polarsim.inputs.library import input_path


def _origins(text: str) -> list[int]:
    """`2005:2014` (both included) or `2006,2009,2012`."""
    try:
        if ":" in text:
            a, b = (int(x) for x in text.split(":", 1))
        else:
            return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected FIRST:LAST or years separated by commas, found {text!r}"
        ) from None
    if a > b:
        raise argparse.ArgumentTypeError(f"FIRST after LAST in {text!r}: expected e.g. {b}:{a}")
    return list(range(a, b + 1))


def _series_file(text: str) -> tuple[str, Path]:
    """`SERIES=FILE`, e.g. `arms_shares=sipri_annual.csv`."""
    from polarsim.observations.series import SERIES_BUILDERS

    series, sep, file = text.partition("=")
    if not sep or series not in SERIES_BUILDERS or not file:
        raise argparse.ArgumentTypeError(
            f"expected SERIES=FILE with SERIES one of {', '.join(SERIES_BUILDERS)}, found {text!r}"
        )
    return series, Path(file)


def add_parsers(sub) -> None:
    h = sub.add_parser(
        "hindcast",
        help="compare a scenario's trade shares with observed ones and naive forecasts",
        description="Run the scenario with replicates and compare its trade shares by "
        "partner with observations (default: the bundled data, window 2008-2010): MAE in "
        "percentage points, coverage of a 90 % predictive band (the replicates spread by "
        "the model's measured forecast error) and of the replicates' band alone, and the MAE of "
        "persistence and linear-trend forecasts. Writes table.csv/.md, points.csv, "
        "skipped.csv, a figure and manifest.json. See docs/validation.md.",
    )
    h.add_argument("scenario", type=input_path, help="scenario YAML file, or a library name")
    h.add_argument(
        "--observed",
        type=Path,
        nargs="+",
        action="extend",
        default=[],
        metavar="FILE",
        help="trade-share files (country, partner, year, share_pct[, basis, recommended])",
    )
    h.add_argument("--observed-from", type=int, default=None, metavar="YEAR",
                   help="count the --observed files only from YEAR on (their revisions of "
                   "earlier years left out: persistence and the trend start from the "
                   "bundled data the scenario starts from)")  # fmt: skip
    add_run_options(h, replicates=10)
    h.add_argument("--from", dest="first", type=int, default=None, metavar="YEAR",
                   help="first compared year")  # fmt: skip
    h.add_argument("--to", dest="last", type=int, default=None, metavar="YEAR",
                   help="last compared year")  # fmt: skip
    h.add_argument(
        "--posterior",
        type=Path,
        default=None,
        metavar="CALIB_DIR",
        help="draw each replicate's parameters from a polarsim calibrate folder's accepted "
        "points (a posterior predictive band)",
    )
    h.set_defaults(func=cmd_hindcast)
    _add_skill_parser(sub)
    _add_forecast_parser(sub)


#: Outcome series of `polarsim skill` (polarsim.validation.skill.SERIES, which a test
#: keeps equal; the parser does not import the module, so `--help` starts at once).
SKILL_SERIES = ("trade_shares", "arms_shares", "remittances")
#: validation.skill.REFIT_NAMES (a test keeps them equal; the parser does not import it).
SKILL_REFITS = ("remittance_elasticity", "stall_hazard")


def _add_skill_parser(sub) -> None:
    k = sub.add_parser(
        "skill",
        help="rolling-origin forecast skill against persistence, trend and ETS",
        description="Run the scenario from every origin year with only the data up to "
        "it, to the last observed year, and score the forecasts of trade shares, "
        "arms-supplier shares and remittances by horizon: MAE against persistence, a "
        "linear trend and damped-trend exponential smoothing, and the coverage and "
        "interval score of the model's 90 % band against a naive band, and both "
        "bands' coverage at 50-95 %. Writes table.csv/.md, reliability.csv/.md, "
        "points.parquet, a figure and manifest.json. See "
        "docs/validation.md.",
    )
    k.add_argument(
        "scenario", type=input_path, help="scenario YAML file, or a library name (historical)"
    )
    k.add_argument(
        "--origins",
        type=_origins,
        default=None,
        metavar="FIRST:LAST",
        help="origin years (default: validation.skill.DEFAULT_ORIGINS, 2005:2014, and "
        "with later observations every year up to 2015)",
    )
    k.add_argument("--last", type=int, default=None, metavar="YEAR",
                   help="last compared year (default: the last observed, 2015 for the "
                   "bundled data)")  # fmt: skip
    k.add_argument(
        "--observed",
        type=_series_file,
        nargs="+",
        action="extend",
        default=[],
        metavar="SERIES=FILE",
        help="observations over the bundled ones, in the bundled layout (trade_shares.csv, "
        "arms_imports_annual.csv or SIPRI's five-year periods as arms_imports.csv, "
        "remittances.csv), e.g. later years: "
        "--observed trade_shares=t.csv arms_shares=a.csv remittances=r.csv; with "
        "--report-from 2015 the table scores the forecast from 2015 alone",
    )
    k.add_argument("--observed-from", type=int, default=None, metavar="YEAR",
                   help="count the --observed files only from YEAR on: their rows of "
                   "earlier years (a later vintage's revisions) are left out, so "
                   "persistence and the naive band carry the bundled data the forecasts "
                   "start from (e.g. 2016)")  # fmt: skip
    k.add_argument("--report-from", type=int, default=None, metavar="YEAR",
                   help="first origin scored in the table (earlier ones only feed the "
                   "band's error sample; default: validation.skill.DEFAULT_REPORT_FROM, "
                   "2008, and 2015 when --observed files hold later years: the forecast "
                   "as of 2015 alone)")  # fmt: skip
    k.add_argument("--series", nargs="+", choices=SKILL_SERIES, default=list(SKILL_SERIES))
    k.add_argument(
        "--posterior",
        type=Path,
        default=None,
        metavar="CALIBRATION",
        help="a `polarsim calibrate` folder: each replicate draws its parameters from the "
        "accepted points, and the model band adds their spread (fit the calibration on "
        "years before the origins you report, or the score is not out of sample)",
    )
    _add_refit(k)
    add_run_options(k, replicates=10)
    k.set_defaults(func=cmd_skill)


def _add_refit(parser) -> None:
    parser.add_argument(
        "--refit",
        nargs="+",
        choices=("auto", "none", *SKILL_REFITS),
        default=["auto"],
        metavar="PARAMETER",
        help="parameters re-estimated at every origin from the bundled data up to it "
        f"({', '.join(SKILL_REFITS)}: the shipped value is estimated from the data to "
        "2015, which the earlier origins' forecasts are scored on). Default auto: every "
        "one that --set or --posterior leaves alone, so the scores are out of sample; "
        "none keeps the shipped values (in sample before 2015). The manifest records "
        "the values",
    )


#: Last year of `polarsim forecast` (validation.forecast.FORECAST_LAST_YEAR, which a test
#: keeps equal; the parser does not import the module).
FORECAST_TO = 2024


def _add_forecast_parser(sub) -> None:
    f = sub.add_parser(
        "forecast",
        help="the forecast as of 2015 for the years no bundled data hold, with the bands "
        "skill scores",
        description="Forecast trade shares, arms-supplier shares and remittances from the "
        "last bundled year (2015) to --to, with the model's 90 % band built from the "
        "rolling-origin errors of the earlier origins, persistence, the linear trend, "
        "damped-trend exponential smoothing and the naive band: the rows `polarsim "
        "skill --observed FILES --observed-from 2016` scores once later data exist, "
        "written before them. The repository publishes this forecast of historical.yaml "
        "(docs/forecast-2015.csv). Writes forecast.csv, forecast.md, a figure per "
        "series and manifest.json. See docs/validation.md.",
    )
    f.add_argument(
        "scenario", type=input_path, help="scenario YAML file, or a library name (historical)"
    )
    f.add_argument("--to", dest="last", type=int, default=FORECAST_TO, metavar="YEAR",
                   help=f"last forecast year (default {FORECAST_TO})")  # fmt: skip
    f.add_argument(
        "--origins",
        type=_origins,
        default=None,
        metavar="FIRST:LAST",
        help="origin years, the last one the forecast's (default 2005:2015: the earlier "
        "ones' errors make the model band, as in skill)",
    )
    f.add_argument("--series", nargs="+", choices=SKILL_SERIES, default=list(SKILL_SERIES))
    f.add_argument(
        "--posterior",
        type=Path,
        default=None,
        metavar="CALIBRATION",
        help="a `polarsim calibrate` folder: each replicate draws its parameters from the "
        "accepted points, and the model band adds their spread",
    )
    _add_refit(f)
    add_run_options(f, replicates=10)
    f.set_defaults(func=cmd_forecast)


def _print_refit(refit: dict) -> None:
    for name, r in refit.items():
        shown = ", ".join(f"{o} {v:.2f}" for o, v in r["values"].items())
        # an origin without an estimate (auto) is said, not left out of the list: a
        # parameter re-estimated at no origin must not read as re-estimated
        kept = r.get("kept_scenario_value")
        if kept:
            value = "" if kept["value"] is None else f" ({kept['value']:g})"
            where = ", ".join(map(str, kept["origins"]))
            kept_text = f"the scenario's value{value} kept at {where}: too few data"
            if not shown:
                print(f"{name} re-estimated at no origin ({r['path']}): {kept_text}")
                continue
            shown += f"; {kept_text}"
        print(f"{name} re-estimated at each origin ({r['path']}): {shown}")


def cmd_forecast(args: argparse.Namespace) -> int:
    from polarsim.markdown import frame_markdown
    from polarsim.outputs import check_output_dir, timestamped
    from polarsim.run import check_replicates
    from polarsim.validation.forecast import forecast, summary, write_forecast

    check_replicates(args.replicates)
    if args.out is not None:
        check_output_dir(args.out, force=args.force, kind="forecast")
    f = forecast(
        args.scenario,
        last_year=args.last,
        origins=args.origins,
        series=args.series,
        replicates=args.replicates,
        seed=args.seed,
        overrides=args.overrides,
        posterior=args.posterior,
        progress=lambda o: print(f"origin {o} done", file=sys.stderr),
        refit=args.refit,
    )
    f.manifest["command"] = ["polarsim", *sys.argv[1:]]
    figures = None
    if not args.no_figures:
        from polarsim.plots.folder_figures import forecast_figures as figures
    out = write_forecast(f, args.out or timestamped("forecast"), figures=figures, force=args.force)
    print(f"forecast as of {f.origin}: replicate median (90 % band); persistence is the "
          "last observed value (percentage points)")  # fmt: skip
    print(frame_markdown(summary(f), digits=1), end="")
    _print_refit(f.manifest["refit"])
    print(f"wrote {out}/")
    return 0


def cmd_skill(args: argparse.Namespace) -> int:
    from polarsim.markdown import frame_markdown
    from polarsim.outputs import check_output_dir, timestamped
    from polarsim.run import check_replicates
    from polarsim.validation.skill import skill, write_skill

    check_replicates(args.replicates)
    if args.out is not None:
        check_output_dir(args.out, force=args.force, kind="skill")
    files = dict(args.observed)
    if len(files) < len(args.observed):
        raise PolarsimInputError("one file per series", field="--observed")
    if args.observed_from is not None and not files:
        raise PolarsimInputError(
            "counts the --observed files from a year on; give them with --observed",
            field="--observed-from",
        )
    s = skill(
        args.scenario,
        origins=args.origins,
        last_year=args.last,
        observed=files,
        observed_from=args.observed_from,
        series=args.series,
        replicates=args.replicates,
        seed=args.seed,
        overrides=args.overrides,
        report_from=args.report_from,
        progress=lambda o: print(f"origin {o} done", file=sys.stderr),
        posterior=args.posterior,
        refit=args.refit,
    )
    s.manifest["command"] = ["polarsim", *sys.argv[1:]]
    figures = None
    if not args.no_figures:
        from polarsim.plots.folder_figures import skill_figures as figures
    out = write_skill(s, args.out or timestamped("skill"), figures=figures, force=args.force)
    t = s.table[s.table["horizon"].isin(["1-5", "all"])]
    cols = ["series", "horizon", "n", "mae_model", "mae_persistence", "mae_trend", "mae_ets",
            "coverage_model", "interval_score_model", "coverage_naive",
            "interval_score_naive"]  # fmt: skip
    print(f"skill of origins {s.report_from}-{max(s.origins)} (percentage points):")
    if args.report_from is None and s.report_from == max(s.origins) < s.manifest["last_year"]:
        print(f"(the forecast as of {s.report_from} alone, scored on the later observed "
              "years; --report-from 2008 pools the earlier origins too)")  # fmt: skip
    print(frame_markdown(t[cols], digits=3), end="")
    _print_refit(s.manifest["refit"])
    if not s.reliability.empty:
        from polarsim.validation.skill import COVERAGE_INTERVAL

        shown = s.reliability.copy()
        within = f"{100 * COVERAGE_INTERVAL:.0f} % interval"
        for b in ("model", "naive"):
            shown[f"{b} ({within})"] = [
                f"{c:.3f} ({lo:.2f}-{hi:.2f})"
                for c, lo, hi in shown[[f"coverage_{b}", f"coverage_{b}_low",
                                        f"coverage_{b}_high"]].to_numpy()
            ]  # fmt: skip
        horizons = shown["horizon"].iloc[0]
        print(f"coverage of the bands at each level (horizons {horizons}; interval: "
              "bootstrap over state-partner pairs):")  # fmt: skip
        rel = ["series", "level", f"model ({within})", f"naive ({within})"]
        print(frame_markdown(shown[rel], digits=3), end="")
    print(f"wrote {out}/")
    return 0


def cmd_hindcast(args: argparse.Namespace) -> int:
    from polarsim.markdown import frame_markdown
    from polarsim.outputs import check_output_dir, timestamped
    from polarsim.run import check_replicates
    from polarsim.validation.hindcast import hindcast, write_hindcast

    check_replicates(args.replicates)
    if args.out is not None:  # refuse before the runs, not after them
        check_output_dir(args.out, force=args.force, kind="hindcast")
    if args.observed_from is not None and not args.observed:
        raise PolarsimInputError(
            "counts the --observed files from a year on; give them with --observed",
            field="--observed-from",
        )
    h = hindcast(
        args.scenario,
        observed=args.observed,
        observed_from=args.observed_from,
        replicates=args.replicates,
        seed=args.seed,
        first=args.first,
        last=args.last,
        overrides=args.overrides,
        progress=True,
        command=["polarsim", *sys.argv[1:]],
        posterior=args.posterior,
    )
    figures = None
    if not args.no_figures:
        from polarsim.plots.folder_figures import hindcast_figures as figures
    out = write_hindcast(h, args.out or timestamped("hindcast"), figures=figures, force=args.force)
    t = h.table[h.table["level"].isin(["overall", "year", "partner"])]
    print(f"hindcast {h.window[0]}-{h.window[1]} (percentage points):")
    print(frame_markdown(t.drop(columns=["level"])), end="")
    n_skip = int(h.skipped["n"].sum()) if not h.skipped.empty else 0
    if n_skip:
        for reason, g in h.skipped.groupby("reason"):
            print(f"skipped {int(g['n'].sum())} observations: {reason}")
    print(f"wrote {out}/")
    return 0
