"""`polarsim hindcast --observed`: files that would be scored as something they are not
are refused before anything runs or is written."""

from pathlib import Path

import pandas as pd

from tests.conftest import SCENARIOS


def _trade_2016(folder: Path, scale: float) -> Path:
    """The bundled recommended trade shares of 2015 as a file of 2016, times `scale`
    (synthetic: the layout of later data, none of its content)."""
    import polarsim.data

    t = pd.read_csv(Path(polarsim.data.__file__).parent / "central_asia" / "trade_shares.csv")
    rows = t[(t["year"] == 2015) & (t["recommended"] == "Y")]
    rows = rows[["country", "partner", "year", "share_pct"]].assign(
        year=2016, share_pct=(rows["share_pct"] * scale).round(4)
    )
    path = folder / "trade.csv"
    rows.to_csv(path, index=False)
    return path


def test_hindcast_refuses_shares_written_as_fractions_of_one(tmp_path, capsys):
    """share_pct 0.138 for 13.8 % used to be compared as it stood: every share a
    collapse, persistence (the bundled 2015 value) far off too."""
    from polarsim.cli import main

    path = _trade_2016(tmp_path, 0.01)
    out = tmp_path / "h"
    code = main(["hindcast", str(SCENARIOS / "historical.yaml"), "--replicates", "1",
                 "--observed", str(path), "--out", str(out), "--no-figures"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and str(path) in err and "percent" in err and "Traceback" not in err
    assert not out.exists()


def test_hindcast_refuses_a_file_without_any_year_from_observed_from(tmp_path, capsys):
    """A file of 2015 alone with --observed-from 2016 used to fall back to the bundled
    window (2008-2010) and fail on the scenario's start instead of naming the file."""
    from polarsim.cli import main

    path = _trade_2016(tmp_path, 1.1)
    pd.read_csv(path).assign(year=2015).to_csv(path, index=False)
    code = main(["hindcast", str(SCENARIOS / "historical.yaml"), "--replicates", "1",
                 "--observed", str(path), "--observed-from", "2016",
                 "--out", str(tmp_path / "h"), "--no-figures"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and str(path) in err and "2016" in err and "Traceback" not in err


def test_the_compared_years_lie_within_the_run(capsys):
    """Before the start year persistence would know less than the model (it starts from
    the year before --from), and after the last year nothing is simulated."""
    from polarsim.cli import main

    h2005 = str(SCENARIOS / "historical_2005.yaml")
    assert main(["hindcast", h2005, "--from", "2004"]) == 2
    assert "--from: expected a first compared year after the scenario's start year 2005" in (
        capsys.readouterr().err
    )
    assert main(["hindcast", h2005, "--to", "2200"]) == 2
    assert "--to" in capsys.readouterr().err
