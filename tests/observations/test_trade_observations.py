"""Observation files for `polarsim hindcast --observed`: accepted layouts, and clear
one-line errors (file, row, column, what was expected) with exit code 2 for bad ones.

Values for years after 2010 in these tests are synthetic (made up), not observations."""

import json

import numpy as np
import pandas as pd
import pytest

from polarsim.cli import main
from polarsim.errors import PolarsimInputError, PolarsimNote
from polarsim.validation import load_observations, read_observations
from tests.conftest import SCENARIOS

HEADER = "country,partner,year,share_pct\n"


def csv(tmp_path, text, name="obs.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    ("text", "where", "expected"),
    [
        ("country,partner,year\nKazakhstan,China,2012\n", "row 1, column share_pct",
         "column(s) share_pct in the header"),
        (HEADER + "Kazakstan,China,2012,20\n", "row 2, column country", "one of Kazakhstan"),
        (HEADER + "Kazakhstan,China,2012,20\nKazakhstan,Chinaa,2012,20\n",
         "row 3, column partner", "did you mean China?"),
        (HEADER + "Kazakhstan,China,2012,120\n", "row 2, column share_pct",
         "a number between 0 and 100, found 120"),
        (HEADER + "Kazakhstan,China,2012,-1\n", "row 2, column share_pct", "between 0 and 100"),
        (HEADER + "Kazakhstan,China,2012,twenty\n", "row 2, column share_pct",
         "found twenty"),
        (HEADER + "Kazakhstan,China,20x2,20\n", "row 2, column year", "a year between"),
        (HEADER + "Kazakhstan,China,2012,20\nKazakhstan,China,2012,21\n", "row 3, column year",
         "a repeat of row 2"),
        ("country,partner,year,share_pct,recommended\nKazakhstan,China,2012,20,yes\n",
         "row 2, column recommended", "one of Y, N"),
    ],
)  # fmt: skip
def test_bad_files_name_file_row_column_and_expectation(tmp_path, text, where, expected):
    p = csv(tmp_path, text)
    with pytest.raises(PolarsimInputError) as err:
        read_observations(p)
    msg = str(err.value)
    assert msg.startswith(str(p)) and where in msg and expected in msg
    assert "\n" not in msg


def test_duplicate_without_recommended_hints_at_the_basis(tmp_path):
    p = csv(
        tmp_path,
        "country,partner,year,share_pct,basis\n"
        "Kazakhstan,China,2012,20,DOTS_reporter\nKazakhstan,China,2012,30,DOTS_mirror\n",
    )
    with pytest.raises(PolarsimInputError, match="add a recommended column"):
        read_observations(p)
    with pytest.raises(PolarsimInputError, match="expected an existing data file"):
        read_observations(tmp_path / "missing.csv")


def test_cli_bad_file_exit_2_one_line_nothing_written(tmp_path, capsys):
    p = csv(tmp_path, HEADER + "Kazakhstan,China,2012,101.5\n")
    out = tmp_path / "out"
    code = main(["hindcast", str(SCENARIOS / "historical.yaml"), "--observed", str(p),
                 "--replicates", "2", "--out", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{p}, row 2, column share_pct: expected a number between 0 and 100" in err
    assert not out.exists()


def test_recommended_rows_are_used_and_user_rows_win(tmp_path):
    p = csv(
        tmp_path,
        "country,partner,year,share_pct,basis,recommended\n"
        "Kazakhstan,China,2012,20,DOTS_reporter,Y\n"
        "Kazakhstan,China,2012,25,DOTS_mirror,N\n"
        "Kazakhstan,Russia,2008,1.5,DOTS_reporter,Y\n"
        "Kazakhstan,Russia,2007,,DOTS_reporter,Y\n",  # empty: a missing observation
    )
    user = read_observations(p)
    assert list(user["share_pct"])[:2] == [20.0, 1.5] and np.isnan(user["share_pct"].iloc[2])
    assert list(user["partner"]) == ["CHN", "RUS", "RUS"]
    merged, user2 = load_observations([p])
    assert len(user2) == 3
    kaz_rus = merged[(merged.state == "KAZ") & (merged.partner == "RUS") & (merged.year == 2008)]
    assert list(kaz_rus["share_pct"]) == [1.5]  # the user's row replaces the bundled one
    assert kaz_rus["file"].iloc[0] == str(p)
    kaz = merged[(merged.state == "KAZ") & (merged.partner == "RUS")]
    # the bundled 2007 value is kept: an empty cell does not replace it
    assert len(kaz[kaz.year == 2007]) == 1 and kaz[kaz.year == 2007]["file"].iloc[0] != str(p)


def test_hindcast_cli_with_later_file(tmp_path, capsys):
    # synthetic values for 2016-2017 (made up, not data), one partner the model lacks, one year
    # the scenario does not simulate
    rows = ["country,partner,year,share_pct"]
    for c in ("Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan"):
        for p, v in (("China", 20), ("Russia", 20), ("EU27", 20), ("Turkey", 5), ("USA", 3)):
            rows += [f"{c},{p},2016,{v}", f"{c},{p},2017,{v + 1}"]
    rows += ["Kazakhstan,UK,2016,2", "Kazakhstan,China,2040,30", "Kazakhstan,Iran,2017,"]
    p = csv(tmp_path, "\n".join(rows) + "\n")
    out = tmp_path / "hc"
    code = main(["hindcast", str(SCENARIOS / "historical.yaml"), "--observed", str(p),
                 "--replicates", "3", "--seed", "4", "--out", str(out)])  # fmt: skip
    text = capsys.readouterr().out
    assert code == 0
    assert "hindcast 2016-2040" in text and "skipped 1 observations: partner not a power" in text
    assert "year outside the simulated years 2015-2024" in text
    assert "skipped 1 observations: empty share_pct cell in the file" in text
    for name in ("table.csv", "table.md", "points.csv", "bands.csv", "skipped.csv",
                 "manifest.json", "figures/hindcast.png", "figures/hindcast.pdf"):  # fmt: skip
        assert (out / name).is_file(), name
    table = pd.read_csv(out / "table.csv")
    overall = table[table.level == "overall"].iloc[0]
    assert overall["n"] == 50
    points = pd.read_csv(out / "points.csv")
    # persistence = the bundled 2015 value (the last observed year before 2016)
    kaz = points[(points.state == "KAZ") & (points.partner == "CHN") & (points.year == 2016)]
    merged, _ = load_observations()
    last = merged[(merged.state == "KAZ") & (merged.partner == "CHN") & (merged.year == 2015)]
    assert kaz["persistence"].iloc[0] == pytest.approx(last["share_pct"].iloc[0])
    assert overall["mae_persistence_pp"] == pytest.approx(
        (points["persistence"] - points["observed"]).abs().mean()
    )
    assert set(table.loc[table.level == "partner", "partner"]) == {"CHN", "RUS", "EU", "TUR", "USA"}
    man = json.loads((out / "manifest.json").read_text())
    assert man["hindcast"]["window"] == [2016, 2040]
    assert man["hindcast"]["observed_files"][0]["path"] == str(p)
    assert man["seeds"]["root_seed"] == 4


def test_hindcast_default_bundled_window(tmp_path):
    from polarsim.validation import hindcast

    h = hindcast(SCENARIOS / "historical_2005.yaml", replicates=2, seed=1)
    assert h.window == (2008, 2010)
    assert set(h.points["year"]) == {2008, 2009, 2010}
    assert set(h.points["partner"]) == {"CHN", "RUS", "EU", "TUR", "USA"}
    assert len(h.points) == 5 * 5 * 3
    # the naive forecasts come from observations before 2008 only
    assert not h.points[["persistence", "trend"]].isna().any().any()
    assert {"partner not a power of the scenario"} == set(h.skipped["reason"])


def test_hindcast_of_a_2015_start_on_the_bundled_data_says_what_to_do(tmp_path):
    from polarsim.validation import hindcast

    with pytest.raises(PolarsimInputError, match="starts in 2015: compare later years"):
        hindcast(SCENARIOS / "historical.yaml", replicates=1, seed=1)


def test_shares_of_one_country_and_year_above_100_percent_are_refused(tmp_path):
    from polarsim.observations.trade import SHARE_SUM_TOLERANCE_PCT

    rows = "Kazakhstan,China,2010,90\nKazakhstan,Russia,2011,60\nKazakhstan,Russia,2010,60\n"
    with pytest.raises(PolarsimInputError) as info:
        read_observations(csv(tmp_path, HEADER + rows))
    message = str(info.value)
    assert "obs.csv, row 4, column share_pct" in message
    assert "KAZ in 2010 (rows 2, 4) sum to 150 %" in message
    ok = (
        HEADER
        + f"Kazakhstan,China,2010,50\nKazakhstan,Russia,2010,{50 + SHARE_SUM_TOLERANCE_PCT}\n"
    )
    assert len(read_observations(csv(tmp_path, ok, "ok.csv"))) == 2
    # rows left out by `recommended: N` do not count
    alt = "country,partner,year,share_pct,recommended\n"
    alt += "Kazakhstan,China,2010,90,Y\nKazakhstan,Russia,2010,60,N\n"
    assert len(read_observations(csv(tmp_path, alt, "alt.csv"))) == 1


def test_hindcast_observed_from_keeps_the_bundled_start(tmp_path, capsys):
    """A file that revises 2015 as well as adding 2016 (made-up values): persistence
    carries the revised 2015 share, unless --observed-from 2016 keeps the bundled one
    the scenario starts from."""
    rows = ["country,partner,year,share_pct"]
    for c in ("Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan"):
        for p, v in (("China", 20), ("Russia", 20), ("EU27", 20), ("Turkey", 5), ("USA", 3)):
            rows += [f"{c},{p},2015,{v + 2}", f"{c},{p},2016,{v}"]
    p = csv(tmp_path, "\n".join(rows) + "\n")
    merged, _ = load_observations()
    bundled = merged[(merged.state == "KAZ") & (merged.partner == "CHN") & (merged.year == 2015)]

    def persistence(extra):
        out = tmp_path / f"hc{len(extra)}"
        code = main(["hindcast", str(SCENARIOS / "historical.yaml"), "--observed", str(p),
                     "--replicates", "2", "--seed", "4", "--out", str(out), "--no-figures",
                     *extra])  # fmt: skip
        assert code == 0
        pts = pd.read_csv(out / "points.csv")
        kaz = pts[(pts.state == "KAZ") & (pts.partner == "CHN") & (pts.year == 2016)]
        return kaz["persistence"].iloc[0], json.loads((out / "manifest.json").read_text())

    revised, _ = persistence([])
    kept, man = persistence(["--observed-from", "2016"])
    assert revised == pytest.approx(22.0)
    assert kept == pytest.approx(bundled["share_pct"].iloc[0]) and kept != pytest.approx(22.0)
    assert man["hindcast"]["observed_from"] == 2016
    code = main(["hindcast", str(SCENARIOS / "historical.yaml"), "--observed-from", "2016"])
    err = capsys.readouterr().err
    assert code == 2 and "--observed-from" in err


def test_partners_the_model_does_not_know_are_left_out_with_a_note(tmp_path, capsys):
    # synthetic values (made up): a file of every partner, as IMF DOTS lists them
    p = csv(
        tmp_path,
        HEADER + "Kazakhstan,China,2016,20\nKazakhstan,Germany,2016,5\n"
        "Kazakhstan,Belarus,2016,1\nKazakhstan,Germany,2017,4\n",
    )
    with pytest.warns(PolarsimNote, match=r"3 rows of partners the model does not know left "
                      r"out \(Belarus, Germany\)"):  # fmt: skip
        user = read_observations(p)
    assert list(user["partner"]) == ["CHN"]
    code = main(["hindcast", str(SCENARIOS / "historical.yaml"), "--observed", str(p),
                 "--replicates", "2", "--out", str(tmp_path / "hc")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0
    assert err.count("polarsim: note:") == 1 and "Traceback" not in err
    assert f"polarsim: note: {p}: 3 rows of partners the model does not know" in err


def test_other_spellings_of_the_public_sources_are_accepted(tmp_path):
    # synthetic values (made up), named as IMF DOTS and SIPRI name them since 2022
    p = csv(
        tmp_path,
        HEADER + "Kyrgyz Republic,Türkiye,2016,3\nKyrgyz Republic,Russian Federation,2016,20\n"
        '"Kazakhstan, Rep. of","China, P.R.: Mainland",2016,15\n',
    )
    user = read_observations(p)
    assert list(zip(user["state"], user["partner"], strict=True)) == [
        ("KGZ", "TUR"), ("KGZ", "RUS"), ("KAZ", "CHN")
    ]  # fmt: skip
    from polarsim.data.tables import supplier_code

    assert supplier_code("Türkiye") == "TUR" and supplier_code("Turkiye") == "TUR"
