"""Start the page: `polarsim viz` and `polarsim.viz.serve()`.

The page is a Solara app served by `solara run` in a child process (Solara's server
imports the app module itself); the scenario file reaches it through the environment.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

from polarsim.errors import PolarsimInputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
APP_MODULE = "polarsim.viz.app"
#: The server learns its first scenario file from this variable.
ENV_SCENARIO = "POLARSIM_VIZ_SCENARIO"
DEFAULT_SCENARIO = Path("scenarios") / "baseline.yaml"
#: Start of the warning Solara gives at every page load served over http.
SAMESITE_WARNING = "Cookies with samesite=none require https"
VIZ_EXTRA_HINT = "pip install 'polarsim[viz]'"
#: Debian's headless Chromium as the browser test and benchmark drive it (Playwright
#: cannot download its own browser here; background networking would hit a closed net).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def check_port(host: str, port: int) -> None:
    """Fail early with a clear message when the address cannot be bound: a host this
    machine cannot listen on names --host, a port taken or not allowed names --port.
    IPv6 addresses (``::1``) are bound as IPv6."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise PolarsimInputError(
            f"--host: cannot listen on {host!r} ({exc.strerror or exc}); "
            "give an address of this machine, e.g. 127.0.0.1"
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as exc:
            what = f"cannot listen on {url_host(host)}:{port} ({exc.strerror or exc})"
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise PolarsimInputError(f"{what}; choose another --port") from None
            raise PolarsimInputError(
                f"--host: {what}; give an address of this machine, e.g. 127.0.0.1"
            ) from None


def url_host(host: str) -> str:
    """The host as it stands in a URL: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def server_command(host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        APP_MODULE,
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-open",
        "--no-check-version",  # no request to PyPI; the version is pinned on purpose
        "--log-level",
        "warning",
    ]


def server_env(scenario: Path) -> dict[str, str]:
    env = dict(os.environ)
    env[ENV_SCENARIO] = str(scenario)
    # a local page for one user: no usage statistics sent anywhere
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    # no "This website runs on Solara" banner over the event log's last lines
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    # Solara warns at every page load, over a dozen lines, that a samesite=none cookie
    # needs https and that it falls back to samesite=lax: right for a local http page,
    # so the terminal keeps only what matters
    quiet = f"ignore:{SAMESITE_WARNING}:UserWarning"
    env["PYTHONWARNINGS"] = ",".join(w for w in (env.get("PYTHONWARNINGS"), quiet) if w)
    return env


def prepare(scenario: str | Path | None, host: str, port: int) -> tuple[list[str], dict]:
    """Check everything a user can get wrong before the server starts; return its
    command and environment."""
    from polarsim.scenario import load_scenario
    from polarsim.viz.data import scenario_files

    path = Path(scenario) if scenario is not None else DEFAULT_SCENARIO
    if scenario is None and not path.is_file():
        raise PolarsimInputError(
            f"no scenario given and no {DEFAULT_SCENARIO} here; name a scenario file"
        )
    load_scenario(path)  # a broken file fails here, with its message, not in the page
    scenario_files(path.parent)
    if not 0 < port < 65536:
        raise PolarsimInputError(f"--port: expected 1-65535, found {port}")
    check_port(host, port)
    if importlib.util.find_spec("solara") is None:
        raise PolarsimInputError(f"polarsim viz needs Solara: {VIZ_EXTRA_HINT}")
    return server_command(host, port), server_env(path)


def serve(
    scenario: str | Path | None = None, port: int = DEFAULT_PORT, host: str = DEFAULT_HOST
) -> int:
    """Serve the page at http://HOST:PORT until interrupted. The scenario picker offers
    the *.yaml files beside `scenario`. From the command line the server replaces this
    process (signals reach it directly); from Python it runs as a child until it ends."""
    command, env = prepare(scenario, host, port)
    print(f"polarsim viz: http://{url_host(host)}:{port}/  (Ctrl-C to stop)", flush=True)
    proc = subprocess.Popen(command, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()


def exec_server(scenario: str | Path | None, port: int, host: str) -> None:
    """`polarsim viz`: check the input, then become the server process (os.execve), so
    a SIGTERM or Ctrl-C stops the server itself and leaves no orphan behind."""
    command, env = prepare(scenario, host, port)
    print(f"polarsim viz: http://{url_host(host)}:{port}/  (Ctrl-C to stop)", flush=True)
    sys.stderr.flush()
    os.execve(sys.executable, command, env)
