"""`polarsim viz` refuses bad input before any server starts: one line, exit 2."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from tests.conftest import SCENARIOS


def polarsim(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "polarsim", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def _one_line_error(res, *needles):
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    for n in needles:
        assert n in lines[0], lines[0]


def test_missing_scenario_file(tmp_path):
    res = polarsim("viz", tmp_path / "nope.yaml", "--port", 1)
    _one_line_error(res, "nope.yaml", "file not found")


def test_broken_scenario_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "extends: " + str(SCENARIOS / "baseline.yaml") + "\npowers: {RUS: {exclusivity: 2}}\n"
    )
    res = polarsim("viz", bad)
    _one_line_error(res, "bad.yaml", "powers.RUS.exclusivity")


def test_no_scenario_outside_the_repository(tmp_path):
    res = polarsim("viz", cwd=tmp_path)
    _one_line_error(res, "no scenario given", "scenarios/baseline.yaml")


def test_port_out_of_range_and_port_in_use():
    pytest.importorskip("solara")
    _one_line_error(polarsim("viz", SCENARIOS / "baseline.yaml", "--port", 70000), "--port")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        res = polarsim("viz", SCENARIOS / "baseline.yaml", "--port", port)
    _one_line_error(res, f"127.0.0.1:{port}", "choose another --port")


def test_a_host_that_cannot_be_bound_names_host_not_port():
    pytest.importorskip("solara")
    for host in ("999.1.1.1", "10.255.255.1"):  # no such name; not an address of this machine
        res = polarsim("viz", SCENARIOS / "baseline.yaml", "--host", host, "--port", 1)
        _one_line_error(res, "--host", host)
        assert "--port" not in res.stderr


def test_an_ipv6_host_is_checked_as_ipv6():
    pytest.importorskip("solara")
    from polarsim.viz.serve import check_port, url_host

    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    with socket.socket(socket.AF_INET6) as s:
        try:
            s.bind(("::1", 0))
        except OSError:
            pytest.skip("no IPv6 loopback here")
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(Exception, match=r"\[::1\]:\d+ .*choose another --port"):
            check_port("::1", port)
    check_port("::1", port)  # free again: an IPv6 address is bound, not refused
    assert url_host("::1") == "[::1]" and url_host("127.0.0.1") == "127.0.0.1"


def test_help_names_the_defaults():
    res = polarsim("viz", "--help")
    assert res.returncode == 0
    assert "127.0.0.1" in res.stdout and "8765" in res.stdout


def test_prepare_builds_a_local_production_server_command(monkeypatch):
    pytest.importorskip("solara")
    from polarsim.viz.serve import ENV_SCENARIO, prepare

    scenario = SCENARIOS / "china_ascendant.yaml"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command, env = prepare(scenario, "127.0.0.1", port)
    assert command[:5] == [sys.executable, "-m", "solara", "run", "polarsim.viz.app"]
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--port") + 1] == str(port)
    assert "--production" in command and "--no-check-version" in command
    assert env[ENV_SCENARIO] == str(scenario)
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"


def test_the_server_does_not_repeat_solaras_cookie_warning_at_every_page_load():
    """Every page load printed Solara's 15-line UserWarning about samesite cookies over
    http to the terminal of `polarsim viz`; a user's own PYTHONWARNINGS is kept."""

    from polarsim.viz.serve import SAMESITE_WARNING, server_env

    env = server_env(SCENARIOS / "baseline.yaml")
    code = (
        "import warnings\n"
        f"warnings.warn({SAMESITE_WARNING + ', but ...'!r}, UserWarning)\n"
        "warnings.warn('something else', UserWarning)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert "samesite" not in res.stderr and "something else" in res.stderr
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONWARNINGS", "error::DeprecationWarning")
        assert server_env(SCENARIOS / "baseline.yaml")["PYTHONWARNINGS"].startswith(
            "error::DeprecationWarning,ignore:"
        )
