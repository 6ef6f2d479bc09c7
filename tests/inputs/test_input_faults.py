"""Bounded and strict inputs (issue 11, items 2, 3 and 6): every input file is a regular
UTF-8 file under a size limit, checked before it is read; YAML 1.1 surprises, duplicate
keys, late events, empty scenarios and observation shares above 100 % are errors with
file and line; growth that compounds too far is refused before a run, and a run whose
projects explode stops with a message. Each case: exit 2, one `polarsim:` line, no
traceback, no pre-existing file changed."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from tests.harness import Workspace, assert_refused

pytestmark = pytest.mark.faults

SHARES_210 = """\
country,partner,year,share_pct
Kazakhstan,China,2010,90
Kazakhstan,Russia,2010,60
Kazakhstan,Russia,2011,30
Kazakhstan,United States,2010,60
"""


def _scenario(ws: Workspace, rel: str, text: str) -> Path:
    return ws.write(rel, textwrap.dedent(text).lstrip())


@pytest.fixture
def fifo(ws: Workspace) -> Path:
    path = ws.root / "paper" / "pipe.yaml"
    os.mkfifo(path)
    return path


# --- Hangs 1: growth that compounds too far, projects that explode -----------------


def test_growth_compounding_too_far_is_refused_before_the_run(ws):
    out = ws.polarsim(
        "run", "scenarios/baseline.yaml", "--set", "powers.CHN.growth_pct=30",
        "--set", "states.KAZ.growth_pct=30", "--set", "time.end_year=2100",
        "--replicates", "1", "--out", "runs/growth",
    )  # fmt: skip
    assert_refused(out, "powers.CHN.growth_pct", "1,000-fold", "end the run by 2049")
    assert not (ws.root / "runs" / "growth").exists()


def test_validate_lists_every_growth_rate_that_compounds_too_far(ws):
    out = ws.polarsim(
        "validate", "scenarios/baseline.yaml", "--set", "powers.CHN.growth_pct=30",
        "--set", "states.KAZ.growth_pct=30", "--set", "time.end_year=2100",
    )  # fmt: skip
    assert_refused(out, "powers.CHN.growth_pct", "states.KAZ.growth_pct")


def test_growth_within_the_bound_is_accepted(ws):
    out = ws.polarsim(
        "validate", "scenarios/baseline.yaml", "--set", "powers.CHN.growth_pct=30",
        "--set", "time.end_year=2049",
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_near_zero_project_cost_is_refused(ws):
    out = ws.polarsim(
        "run", "scenarios/baseline.yaml", "--set",
        "parameters.infrastructure.mean_cost_usd_bn=0.000001", "--out", "runs/cost",
    )  # fmt: skip
    assert_refused(out, "parameters.infrastructure.mean_cost_usd_bn", "0.05")


def test_a_run_whose_projects_explode_stops_with_a_message(ws):
    out = ws.polarsim(
        "run", "scenarios/baseline.yaml",
        "--set", "parameters.infrastructure.mean_cost_usd_bn=0.05",
        "--set", "parameters.infrastructure.proposal_rate=10",
        "--set", "powers.CHN.budget_pct_gdp=5", "--set", "time.end_year=2020",
        "--replicates", "1", "--out", "runs/explode",
    )  # fmt: skip
    # stopped by the bound on proposals a year (model.flows.check_proposals) or, where the
    # model does not call it, on commissioned projects (ProjectFlows)
    assert_refused(out, "parameters.infrastructure", "the model's bound")
    assert "proposal_rate" in out.stderr


# --- Hangs 6 and tracebacks: what an input file may be -----------------------------


def test_validate_dev_zero_is_refused_without_reading_it(ws):
    assert_refused(ws.polarsim("validate", "/dev/zero", timeout=60), "character device")


def test_validate_a_named_pipe_does_not_block(ws, fifo):
    assert_refused(ws.polarsim("validate", fifo, timeout=60), "named pipe")


def test_sweep_of_a_named_pipe_or_device_does_not_block(ws, fifo):
    assert_refused(ws.polarsim("sweep", fifo, "--out", "runs/s", timeout=60), "named pipe")
    out = ws.polarsim("sweep", "/dev/zero", "--out", "runs/s", timeout=60)
    assert_refused(out, "character device")


def test_extends_a_pipe_or_a_directory_is_refused(ws, fifo):
    _scenario(ws, "scenarios/p.yaml", f"extends: {fifo}\nname: p\n")
    assert_refused(ws.polarsim("validate", "scenarios/p.yaml", timeout=60), "named pipe")
    _scenario(ws, "scenarios/d.yaml", "extends: ../paper\nname: d\n")
    assert_refused(ws.polarsim("validate", "scenarios/d.yaml"), "is a directory")


def test_a_scenario_that_is_a_directory_is_refused(ws):
    assert_refused(ws.polarsim("validate", "paper"), "is a directory")


def test_an_oversized_scenario_is_refused(ws):
    big = ws.root / "scenarios" / "big.yaml"
    with big.open("wb") as f:
        f.write(b"name: big\n")
        f.truncate(2 * 1024 * 1024)  # sparse: no time spent writing it
    assert_refused(ws.polarsim("validate", big), "larger than the limit of 1.0 MiB")


def test_an_oversized_observation_file_is_refused(ws):
    big = ws.root / "paper" / "obs.csv"
    with big.open("wb") as f:
        f.write(b"country,partner,year,share_pct\n")
        f.truncate(65 * 1024 * 1024)
    out = ws.polarsim("hindcast", "scenarios/historical.yaml", "--observed", big, "--out", "h")
    assert_refused(out, "obs.csv", "at most 64 MiB")


def test_observations_from_a_pipe_do_not_block(ws):
    pipe = ws.root / "paper" / "obs.csv"
    os.mkfifo(pipe)
    out = ws.polarsim(
        "hindcast", "scenarios/historical.yaml", "--observed", pipe, "--out", "h", timeout=60
    )
    assert_refused(out, "obs.csv", "a named pipe")


def test_extends_of_a_file_that_is_not_yaml_does_not_echo_it(ws):
    ws.write("paper/secret.txt", "root:x:0:0:root:/root:/bin/bash\ntoken-4242-do-not-print\n")
    _scenario(ws, "scenarios/x.yaml", "extends: ../paper/secret.txt\nname: x\n")
    out = ws.polarsim("validate", "scenarios/x.yaml")
    assert_refused(out, "secret.txt", "expected a YAML mapping")
    assert "root:x" not in out.stdout + out.stderr and "token-4242" not in out.stdout + out.stderr


@pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="no /etc/passwd here")
def test_extends_etc_passwd_does_not_quote_it(ws):
    _scenario(ws, "scenarios/x.yaml", "extends: /etc/passwd\nname: x\n")
    out = ws.polarsim("validate", "scenarios/x.yaml")
    assert_refused(out, "/etc/passwd", "expected a YAML mapping")
    assert "root:" not in out.stdout + out.stderr


def test_a_binary_experiment_file_is_a_message(ws):
    ws.write("experiments/bin.yaml", bytes(range(256)) * 8)
    out = ws.polarsim("sweep", "experiments/bin.yaml", "--out", "runs/b")
    assert_refused(out, "experiments/bin.yaml", "not a UTF-8 text file")


def test_a_binary_study_file_is_a_message(ws):
    ws.write("experiments/paper/bin.yaml", b"\x89PNG\r\n\x1a\n\xff\xfe" * 10)
    out = ws.polarsim("study", "experiments/paper/bin.yaml", "--out", "study")
    assert_refused(out, "bin.yaml", "not a UTF-8 text file")


def test_an_experiment_that_is_a_list_is_refused_without_its_contents(ws):
    ws.write("experiments/list.yaml", "- secret-value-777\n- b\n")
    out = ws.polarsim("sweep", "experiments/list.yaml", "--out", "runs/l")
    assert_refused(out, "list.yaml:1:1", "found a list")
    assert "secret-value-777" not in out.stderr


# --- Silent 1 and 2: strict YAML ---------------------------------------------------


def test_duplicate_keys_are_errors_with_their_lines(ws):
    path = _scenario(
        ws,
        "scenarios/dup.yaml",
        """
        name: dup
        time: {end_year: 2030}
        powers:
          RUS: {exclusivity: 0.5}
          RUS: {exclusivity: 0.9}
        time: {end_year: 2040}
        """,
    )
    out = ws.polarsim("validate", path)
    assert_refused(out, "dup.yaml:6:1: time: duplicate key 'time' (first written on line 2)")
    assert "dup.yaml:5:3: powers.RUS: duplicate key 'RUS' (first written on line 4)" in out.stdout


def test_duplicate_keys_in_an_experiment_are_errors(ws):
    text = (ws.root / "experiments" / "replicates_baseline.yaml").read_text()
    ws.write("experiments/dup.yaml", text + "\nseed: 3\nseed: 4\n")
    out = ws.polarsim("sweep", "experiments/dup.yaml", "--out", "runs/d")
    assert_refused(out, "dup.yaml:", "duplicate key 'seed'")


@pytest.mark.parametrize(
    ("written", "needle"),
    [
        ("010", "octal number (8); write 10"),
        ("1:30", "base-60 (sexagesimal) number in YAML 1.1 (90)"),
        ("0x10", "hexadecimal number in YAML 1.1 (16)"),
        ("0b11", "binary number in YAML 1.1 (3)"),
        ("1:30.5", "base-60"),
    ],
)
def test_yaml_1_1_numbers_are_errors_with_their_line(ws, written, needle):
    path = _scenario(
        ws, "scenarios/y.yaml", f"name: y\nparameters:\n  coercion: {{rate: {written}}}\n"
    )
    out = ws.polarsim("validate", path)
    assert_refused(out, "y.yaml:3:", "parameters.coercion.rate", needle)


def test_octal_in_a_set_value_is_refused(ws):
    out = ws.polarsim(
        "run", "scenarios/baseline.yaml", "--set", "parameters.coercion.rate=010", "--out", "r"
    )
    assert_refused(out, "--set parameters.coercion.rate=010", "octal")


def test_octal_seed_in_an_experiment_is_refused(ws):
    text = (ws.root / "experiments" / "replicates_baseline.yaml").read_text()
    ws.write("experiments/oct.yaml", text.replace("seed:", "old_seed_unused:", 0) + "\n")
    lines = [ln for ln in text.splitlines() if not ln.startswith("seed:")]
    ws.write("experiments/oct.yaml", "\n".join([*lines, "seed: 0017"]) + "\n")
    out = ws.polarsim("sweep", "experiments/oct.yaml", "--out", "runs/o")
    assert_refused(out, "oct.yaml:", "seed", "octal number (15)")


def test_quoted_and_decimal_numbers_still_load(ws):
    path = _scenario(
        ws,
        "scenarios/ok.yaml",
        """
        extends: baseline.yaml
        name: '010'
        description: "1:30"
        parameters:
          coercion: {rate: 0.10}
        """,
    )
    out = ws.polarsim("validate", path)
    assert out.returncode == 0, out.stdout + out.stderr


# --- Silent 3: events, empty files, scenarios without powers or states -------------


def test_an_event_after_the_end_is_an_error_with_its_line(ws):
    path = _scenario(
        ws,
        "scenarios/late.yaml",
        """
        name: late
        time: {start_year: 2005, end_year: 2024}
        events:
          - {type: unrest, year: 2010, state: KAZ, intensity: 0.2}
          - {type: unrest, year: 2099, state: KGZ, intensity: 0.2}
        """,
    )
    out = ws.polarsim("validate", path)
    assert_refused(out, "late.yaml:5:", "events[1].year", "dated 2099", "(2024)")


def test_an_added_event_after_the_end_is_an_error(ws):
    path = _scenario(
        ws,
        "scenarios/added.yaml",
        """
        extends: historical.yaml
        name: added
        time: {end_year: 2017}
        add_events:
          - {type: unrest, year: 2020, state: KAZ, intensity: 0.2}
        """,
    )
    out = ws.polarsim("validate", path)
    assert_refused(out, "added.yaml:5:", "dated 2020", "(2017)")


def test_a_timeline_shortened_on_purpose_is_accepted(ws):
    # the historical timeline runs to 2024; a short check stops it at 2017
    out = ws.polarsim("validate", "scenarios/historical.yaml", "--set", "time.end_year=2017")
    assert out.returncode == 0, out.stdout + out.stderr
    path = _scenario(ws, "scenarios/short.yaml", "extends: historical.yaml\nname: s\n")
    ws.write("scenarios/short.yaml", path.read_text() + "time: {end_year: 2017}\n")
    assert ws.polarsim("validate", path).returncode == 0


def test_events_before_the_start_are_accepted(ws):
    # the history a run starts from: historical.yaml starts in 2010 with events from 2004
    assert ws.polarsim("validate", "scenarios/historical.yaml").returncode == 0


def test_an_event_moved_past_the_end_by_set_is_an_error(ws):
    out = ws.polarsim("validate", "scenarios/baseline.yaml", "--set", "events[0].year=2099")
    assert_refused(out, "events[0].year", "dated 2099", "[from --set]")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_an_empty_scenario_is_an_error(ws, text):
    path = ws.write("scenarios/empty.yaml", text)
    assert_refused(ws.polarsim("validate", path), "empty.yaml", "the file is empty")
    out = ws.polarsim("run", path, "--out", "runs/e")
    assert_refused(out, "the file is empty")


@pytest.mark.parametrize("group", ["powers", "states"])
def test_a_scenario_without_powers_or_states_is_an_error(ws, group):
    path = _scenario(ws, "scenarios/none.yaml", f"name: none\n{group}: {{}}\n")
    assert_refused(ws.polarsim("validate", path), f"none.yaml:2:1: {group}", "at least 1 item")
    out = ws.polarsim("run", path, "--replicates", "1", "--out", "runs/none")
    assert_refused(out, group, "at least 1 item")


# --- Silent 6: observation files checked for sense ---------------------------------


def test_hindcast_observations_above_100_percent_are_refused(ws):
    obs = ws.write("paper/obs.csv", SHARES_210)
    out = ws.polarsim(
        "hindcast", "scenarios/historical.yaml", "--observed", obs, "--replicates", "1",
        "--out", "runs/h",
    )  # fmt: skip
    assert_refused(out, "obs.csv, row 3, column share_pct", "KAZ in 2010 (rows 2, 3, 5)", "210 %")


def test_calibration_targets_above_100_percent_are_refused(ws):
    ws.write("experiments/shares.csv", SHARES_210)
    text = (ws.root / "experiments" / "calibrate_historical.yaml").read_text()
    text = text.replace("trade_shares: {weight: 1}", "trade_shares: {weight: 1, file: shares.csv}")
    assert "shares.csv" in text
    ws.write("experiments/cal.yaml", text)
    out = ws.polarsim(
        "calibrate", "experiments/cal.yaml", "--samples", "4", "--workers", "1", "--out", "c"
    )
    assert_refused(out, "shares.csv, row 3", "210 %")


def test_shares_that_round_to_a_little_over_100_are_accepted(ws):
    text = (
        "country,partner,year,share_pct\nKazakhstan,China,2010,50.2\nKazakhstan,Russia,2010,50.2\n"
    )
    obs = ws.write("paper/obs.csv", text)
    from polarsim.observations.trade import read_observations

    assert read_observations(obs)["share_pct"].sum() == pytest.approx(100.4)


# --- Silent 8: the advice for a number YAML reads as text --------------------------


def test_exponent_advice_offers_only_forms_that_read_as_numbers(ws):
    path = _scenario(ws, "scenarios/e.yaml", "name: e\npowers:\n  RUS: {budget_pct_gdp: 1e-300}\n")
    out = ws.polarsim("validate", path)
    assert_refused(out, "write 1.0e-300")
    assert "or 1e-300" not in out.stdout


def test_a_calibration_window_of_a_billion_years_is_refused(ws):
    text = (ws.root / "experiments" / "calibrate_historical.yaml").read_text()
    text = text.replace("window: [2005, 2007]", "window: [2005, 1000000000]")
    assert "1000000000" in text
    ws.write("experiments/cal.yaml", text)
    out = ws.polarsim("calibrate", "experiments/cal.yaml", "--samples", "4", "--out", "c")
    assert_refused(out, "calibration.window", "2100")


# --- One reader for every input file (issue 12): every problem at once ---------------


def test_an_experiment_with_several_mistakes_lists_them_all_in_one_message(ws):
    text = (ws.root / "experiments" / "replicates_baseline.yaml").read_text()
    assert "\nseed:" in text and "\nreplicates:" in text
    text = text.replace("\nseed:", "\nsede:").replace("\nreplicates:", "\nreplicates: 0\nold:")
    ws.write("experiments/many.yaml", text)
    out = ws.polarsim("sweep", "experiments/many.yaml", "--out", "runs/m")
    assert_refused(out, "experiments/many.yaml: 3 problems")
    lines = out.stderr.strip().splitlines()
    assert lines[0] == "polarsim: error: experiments/many.yaml: 3 problems"
    assert [ln.split(": ")[1] for ln in lines[1:]] == ["replicates", "old", "sede"]
    assert all(ln.startswith("  experiments/many.yaml:") for ln in lines[1:])
    assert "did you mean 'seed'?" in lines[3]


def test_a_calibration_section_with_several_mistakes_lists_them_all(ws):
    text = (ws.root / "experiments" / "calibrate_historical.yaml").read_text()
    text = text.replace("accept: 0.15", "accept: 15").replace(
        "window: [2005, 2007]", "windw: [2005, 2007]"
    )
    ws.write("experiments/cal.yaml", text)
    out = ws.polarsim("calibrate", "experiments/cal.yaml", "--samples", "4", "--out", "c")
    assert_refused(
        out, "experiments/cal.yaml: 3 problems", "calibration.accept", "calibration.windw"
    )
    assert "calibration.window: required key is missing" in out.stderr
