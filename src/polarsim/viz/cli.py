"""`polarsim viz [SCENARIO] [--port N] [--host H]`: the page in the browser."""

from __future__ import annotations

import argparse

from polarsim.inputs.library import input_path
from polarsim.viz.serve import DEFAULT_HOST, DEFAULT_PORT


def add_parsers(sub) -> None:
    v = sub.add_parser(
        "viz",
        help="explore a scenario in the browser (Mesa SolaraViz; needs polarsim[viz])",
        description="Serve a local page to step a scenario year by year: scenario picker, "
        "sliders for the key parameters (applied on Reset), seed, step/play/reset, live "
        "interactive charts of the autonomy index and of the ties by arena (hover for "
        "the values), a map of the current ties and the event log. Bound to 127.0.0.1 "
        "unless --host says otherwise.",
    )
    v.add_argument(
        "scenario",
        type=input_path,
        nargs="?",
        default=None,
        help="scenario file shown first, or a library name (default "
        "scenarios/baseline.yaml); the picker offers the *.yaml files beside it",
    )
    v.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    v.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})"
    )
    v.set_defaults(func=cmd_viz)


def cmd_viz(args: argparse.Namespace) -> int:
    from polarsim.viz.serve import exec_server

    exec_server(args.scenario, port=args.port, host=args.host)
    return 0  # not reached: the server replaced this process
