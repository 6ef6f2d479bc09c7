"""`polarsim study` given a scenario or an experiment file says what the file is, with
exit code 2, instead of listing every key as unknown."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("rel", "kind"),
    [("scenarios/historical.yaml", "a scenario file"),
     ("experiments/sobol_autonomy.yaml", "an experiment file")],
)  # fmt: skip
def test_a_file_of_another_kind_is_named_as_such(rel, kind, capsys):
    from polarsim.cli import main

    assert main(["study", str(ROOT / rel), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "expected a study file" in err and f"found {kind}" in err
    assert "unknown key" not in err
