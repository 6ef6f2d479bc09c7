"""A study's metric is one a mean can be taken of: refused before anything runs."""

import shutil

from tests.conftest import ROOT


def test_a_study_metric_of_partner_codes_is_refused(tmp_path, capsys, monkeypatch):
    from polarsim.cli import main

    monkeypatch.chdir(tmp_path)  # the study's paths stay inside the working directory
    for folder in ("scenarios", "experiments"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    study = tmp_path / "experiments" / "paper" / "study.yaml"
    text = study.read_text()
    assert "\nmetric: autonomy_index" in text
    study.write_text(text.replace("\nmetric: autonomy_index", "\nmetric: trade_top_partner"))
    assert main(["validate", str(study)]) == 2
    out = capsys.readouterr().out
    assert f"{study}: metric: 'trade_top_partner' is not a numeric metric" in out
