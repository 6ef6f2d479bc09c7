"""`polarsim viz NAME` takes a library name, as run, sweep and study do."""

from polarsim.cli import _parser


def test_viz_takes_a_library_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no baseline.yaml here: the library's
    args = _parser().parse_args(["viz", "baseline"])
    assert args.scenario.is_file() and args.scenario.name == "baseline.yaml"
