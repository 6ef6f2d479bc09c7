"""The bundled data: loaders return tidy frames keyed by actor codes, known values come
out right, and broken files fail with a message naming file, row and column."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from polarsim import data
from polarsim.codes import POWERS, STATES
from polarsim.data import DataValidationError

COLUMNS = {
    data.load_macro: ["actor", "year", "indicator", "value", "unit"],
    data.load_world_gdp: ["year", "value"],
    data.load_trade_shares: [
        "state", "partner", "year", "share", "total_trade_musd", "exports_musd", "imports_musd",
        "basis",
    ],  # fmt: skip
    data.load_arms_imports_annual: ["state", "supplier", "year", "tiv_musd"],
    data.load_arms_imports_periods: [
        "state", "supplier", "period", "start_year", "end_year", "tiv_musd", "share",
    ],
    data.load_remittances: ["state", "year", "indicator", "value", "unit"],
    data.load_memberships: [
        "state", "organization", "institution", "status", "power", "start_year", "end_year",
        "event", "source",
    ],
    data.load_projects: [
        "project", "kind", "sponsors", "hosts", "partner", "agreement_year", "operating_year",
        "capacity", "length_km", "cost_usd_bn", "status_2023", "source",
    ],
}  # fmt: skip

BUNDLED = [
    "SOURCES.md", "arms_imports.csv", "arms_imports_annual.csv", "macro.csv",
    "memberships.csv", "projects.csv", "remittances.csv", "trade_aggregates.csv",
    "trade_shares.csv", "trade_shares_key.csv", "world_gdp.csv",
]  # fmt: skip

# ----------------------------------------------------------------------------- shape


@pytest.mark.parametrize("loader", list(COLUMNS), ids=lambda f: f.__name__)
def test_loader_columns_and_rows(loader):
    frame = loader()
    assert list(frame.columns) == COLUMNS[loader]
    assert len(frame) > 0


def test_bundled_files_are_package_resources():
    folder = resources.files("polarsim.data").joinpath("central_asia")
    for name in BUNDLED:
        assert folder.joinpath(name).is_file(), name


def test_state_columns_hold_the_five_state_codes():
    for loader in (
        data.load_trade_shares,
        data.load_arms_imports_annual,
        data.load_arms_imports_periods,
        data.load_remittances,
        data.load_memberships,
    ):
        assert set(loader()["state"]) <= set(STATES), loader.__name__
    assert set(data.load_memberships()["state"]) == set(STATES)


def test_macro_uses_actor_codes_and_keeps_all_indicators():
    m = data.load_macro()
    assert set(m["actor"]) == set(STATES) | set(POWERS)
    assert m["year"].dtype == "int64"
    assert m["value"].dtype == "float64"
    assert {
        "gdp_current_usd",
        "population",
        "milex_current_usd_m",
        "milex_pct_gdp",
        "milex_pct_gdp_sipri2025ed",
        "merch_trade_total_dots_mirror_musd",
    } <= set(m["indicator"])
    # SIPRI has no military spending for Turkmenistan: the rows stay, as NaN.
    tkm = m[(m["actor"] == "TKM") & (m["indicator"] == "milex_current_usd_m")]
    assert len(tkm) > 0 and tkm["value"].isna().all()


def test_world_gdp():
    w = data.load_world_gdp()
    assert list(w["year"]) == list(range(2000, 2017))
    assert w.loc[w["year"] == 2000, "value"].item() == pytest.approx(33566568243507)
    assert (w["value"] > 0).all()


def test_results_are_copies_of_the_cache():
    first = data.load_trade_shares()
    first["share"] = -1.0
    assert (data.load_trade_shares()["share"] >= 0).all()
    p = data.load_projects()
    p.at[0, "hosts"].append("XXX")
    assert "XXX" not in data.load_projects().at[0, "hosts"]


# ----------------------------------------------------------------------------- trade


def _share(t: pd.DataFrame, state: str, partner: str, year: int) -> float:
    rows = t[(t["state"] == state) & (t["partner"] == partner) & (t["year"] == year)]
    assert len(rows) == 1
    return float(rows["share"].iloc[0])


def test_trade_share_values_are_fractions():
    t = data.load_trade_shares("recommended")
    assert _share(t, "KAZ", "CHN", 2000) == pytest.approx(0.0552)
    assert t["share"].between(0, 1).all()
    partners = set(t["partner"])
    assert {"CHN", "RUS", "EU", "USA", "TUR", "UK", "Switzerland"} <= partners
    assert partners <= set(POWERS) | {"UK", "Switzerland"}


def test_recommended_basis():
    t = data.load_trade_shares("recommended")
    basis = t.groupby("state")["basis"].unique()
    assert list(basis["UZB"]) == ["mirror"]
    assert list(basis["TKM"]) == ["mirror"]
    assert list(basis["KGZ"]) == ["reporter"]
    kaz = t[t["state"] == "KAZ"].groupby("year")["basis"].first()
    assert kaz[2010] == "mirror" and kaz[2005] == "reporter"
    assert not t.duplicated(["state", "partner", "year"]).any()


def test_reporter_and_mirror_bases():
    rep = data.load_trade_shares("reporter")
    mir = data.load_trade_shares("mirror")
    assert set(rep["basis"]) == {"reporter"} and set(mir["basis"]) == {"mirror"}
    assert len(rep) == len(mir) == len(data.load_trade_shares())
    with pytest.raises(ValueError, match="basis"):
        data.load_trade_shares("both")


# ----------------------------------------------------------------------------- remittances


def test_remittances():
    r = data.load_remittances()
    tjk = r[
        (r["state"] == "TJK")
        & (r["year"] == 2010)
        & (r["indicator"] == "remittances_received_pct_gdp")
    ]
    assert tjk["value"].item() == pytest.approx(35.81)


# ----------------------------------------------------------------------------- arms


def test_arms_suppliers_are_power_codes_or_other():
    for loader in (data.load_arms_imports_annual, data.load_arms_imports_periods):
        a = loader()
        assert set(a["supplier"]) <= set(POWERS) | {"other"}
        assert (a["tiv_musd"] >= 0).all()


def test_eu_arms_are_its_members_counted_once():
    """EU member states' deliveries count for the EU; the file's "EU27 (sum of member
    states)" rows are aggregates and are dropped, so nothing is counted twice."""
    p = data.load_arms_imports_periods()
    kaz = p[(p["state"] == "KAZ") & (p["period"] == "2010-2014")].set_index("supplier")
    assert kaz.loc["EU", "tiv_musd"] == pytest.approx(50.0 + 22.3 + 13.0)  # ES, DE, FR
    assert kaz["tiv_musd"].sum() == pytest.approx(457.7, abs=0.5)


def test_arms_annual_split_matches_the_periods():
    annual = data.load_arms_imports_annual()
    periods = data.load_arms_imports_periods()
    kaz = annual[
        (annual["state"] == "KAZ")
        & (annual["supplier"] == "RUS")
        & annual["year"].between(2000, 2004)
    ]
    assert kaz["tiv_musd"].sum() == pytest.approx(288.8, rel=0.05)
    for row in periods.itertuples(index=False):
        years = annual["year"].between(row.start_year, row.end_year)
        same = (annual["state"] == row.state) & (annual["supplier"] == row.supplier)
        assert annual.loc[same & years, "tiv_musd"].sum() == pytest.approx(
            row.tiv_musd, rel=0.05, abs=0.5
        ), row


def test_arms_periods_values():
    p = data.load_arms_imports_periods().set_index(["state", "supplier", "period"])
    assert p.loc[("KAZ", "RUS", "2000-2004"), "tiv_musd"] == pytest.approx(288.8)
    assert p.loc[("KAZ", "RUS", "2000-2004"), "share"] == pytest.approx(0.929)
    assert p.loc[("KAZ", "RUS", "2000-2004"), "start_year"] == 2000
    # Ukraine + Georgia are both "other" for Turkmenistan in 2000-2004.
    assert p.loc[("TKM", "other", "2000-2004"), "tiv_musd"] == pytest.approx(38.5)
    assert p.loc[("KAZ", "TUR", "2000-2004"), "tiv_musd"] == pytest.approx(3.4)


def test_arms_eu_member_rows_count_for_the_eu(tmp_path):
    f = tmp_path / "annual.csv"
    f.write_text(
        "country,supplier,year,tiv_musd_approx\n"
        "Kazakhstan,France,2008,4.0\n"
        "Kazakhstan,Spain,2008,1.0\n"
        "Kazakhstan,EU27 (sum of member states),2008,5.0\n"
        "Kazakhstan,Israel,2008,2.0\n"
    )
    a = data.load_arms_imports_annual(path=f).set_index("supplier")["tiv_musd"]
    assert a.to_dict() == {"EU": 5.0, "other": 2.0}


# ----------------------------------------------------------------------------- memberships


def test_memberships_codes_and_statuses():
    m = data.load_memberships()
    assert set(m["status"]) <= {"member", "observer", "base", "not_member", "forum", "deployment"}
    assert set(m["institution"]) == {
        "CSTO", "EAEU", "SCO", "WTO", "OTS", "C5+1", "C+C5", "EU-CA", "RUS-CA", "BASE",
    }  # fmt: skip
    forums = m[m["status"] == "forum"]
    assert dict(zip(forums["institution"], forums["power"], strict=True)) == {
        "C5+1": "USA", "C+C5": "CHN", "EU-CA": "EU", "RUS-CA": "RUS",
    }  # fmt: skip
    c51 = m[m["institution"] == "C5+1"]
    assert sorted(c51["state"]) == sorted(STATES)  # the ALL5 row, once per state
    assert (m.loc[m["status"] != "base", "power"].isin(["", "USA", "CHN", "EU", "RUS"])).all()


def _spells(m: pd.DataFrame, state: str, institution: str, status: str = "member"):
    rows = m[(m["state"] == state) & (m["institution"] == institution) & (m["status"] == status)]
    return sorted(
        (int(r.start_year), None if pd.isna(r.end_year) else int(r.end_year))
        for r in rows.itertuples()
    )


def test_uzbekistan_has_two_csto_spells():
    m = data.load_memberships()
    assert _spells(m, "UZB", "CSTO") == [(1992, 1999), (2006, 2012)]
    assert _spells(m, "KAZ", "CSTO") == [(1992, None)]
    tkm = m[(m["state"] == "TKM") & (m["institution"] == "CSTO")]
    assert list(tkm["status"]) == ["not_member"] and tkm["start_year"].isna().all()


def test_kyrgyz_bases():
    m = data.load_memberships()
    bases = m[(m["state"] == "KGZ") & (m["status"] == "base")]
    got = {r.power: (r.start_year, r.end_year) for r in bases.itertuples()}
    assert got["USA"] == (2001, 2014)
    assert got["RUS"][0] == 2003 and pd.isna(got["RUS"][1])


def test_membership_status_rules():
    m = data.load_memberships().set_index(["state", "institution", "organization"])
    assert m.loc[("UZB", "EAEU", "EAEU"), "status"] == "observer"
    assert m.loc[("TJK", "EAEU", "EAEU"), "status"] == "not_member"
    assert m.loc[("TKM", "SCO", "SCO"), "status"] == "not_member"
    assert m.loc[("KAZ", "CSTO", "CSTO"), "status"] == "deployment"
    assert m.loc[("KAZ", "EAEU", "Customs Union RUS-BLR-KAZ"), "start_year"] == 2010
    # "observer status granted 2020; not a member": observer wins over "not a member".
    assert m.loc[("TKM", "WTO", "WTO"), "status"] == "observer"


def test_a_membership_ending_on_31_december_is_in_force_all_that_year():
    """Kazakhstan's Customs Union row ends 2014-12-31 and its EAEU row starts on
    2015-01-01: it is a member of the union in every year from 2010."""
    m = data.load_memberships()
    assert _spells(m, "KAZ", "EAEU") == [(2010, 2015), (2015, None)]
    assert _spells(m, "KGZ", "BASE", "base")[0] == (2001, 2014)  # closed 3 Jun 2014


# ----------------------------------------------------------------------------- projects


def _project(name: str) -> pd.Series:
    p = data.load_projects()
    rows = p[p["project"].str.contains(name, regex=False)]
    assert len(rows) == 1, name
    return rows.iloc[0]


def test_projects_parse_known_rows():
    a = _project("Line A")
    assert a["hosts"] == ["TKM", "UZB", "KAZ"]
    assert a["partner"] == "CHN" and a["kind"] == "gas_pipeline"
    assert a["operating_year"] == 2009 and a["agreement_year"] == 2007
    assert a["length_km"] == 1833.0 and pd.isna(a["cost_usd_bn"])

    atasu = _project("Atasu-Alashankou")
    assert atasu["operating_year"] == 2006
    assert atasu["cost_usd_bn"] == pytest.approx(0.7)
    assert atasu["hosts"] == ["KAZ"] and atasu["kind"] == "oil_pipeline"

    d = _project("Line D")
    assert pd.isna(d["operating_year"]) and d["agreement_year"] == 2013
    assert d["hosts"] == ["TKM", "UZB", "TJK", "KGZ"]


def test_projects_other_rules():
    assert _project("Angren-Pap")["cost_usd_bn"] == pytest.approx(1.6)
    assert _project("Angren-Pap")["partner"] == ""
    assert _project("Kambarata")["hosts"] == ["KGZ"]  # "(KAZ, UZB offtake)" is a note
    assert pd.isna(_project("Kambarata")["operating_year"])  # planned
    assert pd.isna(_project("TAPI")["operating_year"])  # "not operating 2023"
    assert pd.isna(_project("CASA-1000")["operating_year"])  # not completed
    assert _project("Rogun")["operating_year"] == 2018  # unit 1; completion planned
    assert _project("Khorgos")["kind"] == "dry_port"
    assert _project("Western Europe")["length_km"] == 2787.0
    assert _project("Middle Corridor")["hosts"] == ["KAZ"]
    kinds = set(data.load_projects()["kind"])
    assert kinds <= {
        "gas_pipeline", "oil_pipeline", "railway", "road", "corridor", "power_line",
        "hydropower", "dry_port",
    }  # fmt: skip


# ----------------------------------------------------------------------------- validation

TRADE_HEADER = (
    "country,partner,year,share_pct,export_share_pct,import_share_pct,exports_musd,"
    "imports_musd,partner_trade_musd,total_trade_musd,basis,recommended,source,note\n"
)
TRADE_ROW = "Kazakhstan,China,{year},{share},,,1,1,,100,DOTS_reporter,Y,test,\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _trade(tmp_path: Path, second_row: str) -> Path:
    first = TRADE_ROW.format(year=2000, share=5.5)
    return _write(tmp_path, "trade_shares.csv", TRADE_HEADER + first + second_row)


def _error(loader, path: Path) -> str:
    with pytest.raises(DataValidationError) as info:
        loader(path=path)
    return str(info.value)


def test_valid_small_file_loads(tmp_path):
    path = _trade(tmp_path, TRADE_ROW.format(year=2001, share=7.0))
    t = data.load_trade_shares(path=path)
    assert list(t["share"]) == pytest.approx([0.055, 0.07])


def test_share_out_of_range(tmp_path):
    path = _trade(tmp_path, TRADE_ROW.format(year=2001, share=120.5))
    msg = _error(data.load_trade_shares, path)
    assert msg == (
        f"{path}, row 3, column share_pct: expected a number between 0 and 100, found 120.5"
    )


def test_non_numeric_year(tmp_path):
    path = _trade(tmp_path, TRADE_ROW.format(year="20x1", share=7.0))
    msg = _error(data.load_trade_shares, path)
    assert "trade_shares.csv" in msg and "row 3" in msg and "column year" in msg
    assert "found 20x1" in msg


def test_year_out_of_range(tmp_path):
    path = _write(
        tmp_path, "remittances.csv", "country,year,indicator,value,unit\nTajikistan,1850,r,1,%\n"
    )
    msg = _error(data.load_remittances, path)
    assert "row 2, column year: expected a year between 1990 and 2100, found 1850" in msg


def test_unknown_country(tmp_path):
    row = TRADE_ROW.format(year=2001, share=7.0).replace("Kazakhstan", "Atlantis")
    msg = _error(data.load_trade_shares, _trade(tmp_path, row))
    assert "trade_shares.csv, row 3, column country" in msg
    assert "Kazakhstan" in msg and "found Atlantis" in msg


def test_missing_column(tmp_path):
    path = _write(
        tmp_path,
        "remittances.csv",
        "country,year,indicator,unit\nTajikistan,2010,remittances_received_pct_gdp,%\n",
    )
    msg = _error(data.load_remittances, path)
    assert "remittances.csv, row 1, column value" in msg and "expected column(s) value" in msg


def test_negative_tiv_and_gdp(tmp_path):
    arms = _write(
        tmp_path,
        "arms.csv",
        "country,supplier,year,tiv_musd_approx\nKazakhstan,Russia,2001,1\nKazakhstan,Russia,2002,-3\n",
    )
    assert "arms.csv, row 3, column tiv_musd_approx: expected a non-negative number, found -3" in (
        _error(data.load_arms_imports_annual, arms)
    )
    world = _write(tmp_path, "world.csv", "year,value\n2000,-1\n")
    assert "world.csv, row 2, column value: expected a non-negative number" in _error(
        data.load_world_gdp, world
    )


def test_negative_macro_and_remittance_values_are_refused(tmp_path):
    """Not only GDP: military spending, population and trade totals are levels, and
    remittances a share of GDP; a negative one is refused, naming its cell."""
    header = "country,year,indicator,value,unit\n"
    macro = _write(
        tmp_path,
        "macro.csv",
        header + "Kazakhstan,2001,gdp_current_usd,1,USD\n"
        "Kazakhstan,2001,milex_current_usd_m,-5,USD m\n",
    )
    assert "macro.csv, row 3, column value: expected a non-negative number, found -5" in (
        _error(data.load_macro, macro)
    )
    rem = _write(
        tmp_path,
        "remittances.csv",
        header + "Tajikistan,2010,remittances_received_pct_gdp,-35.8,% of GDP\n",
    )
    assert "remittances.csv, row 2, column value: expected a non-negative number" in (
        _error(data.load_remittances, rem)
    )


def test_empty_required_number(tmp_path):
    path = _trade(tmp_path, TRADE_ROW.format(year=2001, share=""))
    assert "row 3, column share_pct" in _error(data.load_trade_shares, path)
    assert "found an empty cell" in _error(data.load_trade_shares, path)


def test_membership_unknown_organization(tmp_path):
    path = _write(
        tmp_path,
        "memberships.csv",
        "country,organization,event,date,end_date,source\n"
        "Kazakhstan,SCO,member,2001,,x\n"
        "ALL5,NATO,member,2001,,x\n",
    )
    msg = _error(data.load_memberships, path)
    assert "memberships.csv, row 3, column organization" in msg and "found NATO" in msg


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.csv"
    for loader in COLUMNS:
        msg = _error(loader, path)
        assert str(path) in msg and "found none" in msg


def test_repeated_trade_row(tmp_path):
    row = TRADE_ROW.format(year=2000, share=6.0)
    msg = _error(data.load_trade_shares, _trade(tmp_path, row))
    assert "trade_shares.csv, row 3, column basis" in msg and "a repeat of row 2" in msg


def test_a_share_row_without_a_total_takes_macros_or_is_refused(tmp_path):
    """A row with an empty total takes macro.csv's DOTS total of its state, year and
    basis (as the bundled 2011-2015 rows do); without one the first such row is named."""
    known = "Kazakhstan,China,2015,13.8,,,,,,,DOTS_reporter,Y,test,\n"
    t = data.load_trade_shares(path=_trade(tmp_path, known))
    assert t.loc[t["year"] == 2015, "total_trade_musd"].tolist() == [pytest.approx(76552.6)]
    unknown = known + "Kazakhstan,China,2016,14.0,,,,,,,DOTS_reporter,Y,test,\n"
    (tmp_path / "later").mkdir()
    msg = _error(data.load_trade_shares, _trade(tmp_path / "later", unknown))
    assert "row 4, column total_trade_musd" in msg and "KAZ 2016" in msg


def test_a_file_changed_since_it_was_read_is_read_again(tmp_path):
    """The loaders cache a user file by its path, modification time and size: an edit
    (in a notebook, under `polarsim viz`) is seen, not the first version."""
    path = _trade(tmp_path, TRADE_ROW.format(year=2001, share=7.0))
    assert data.load_trade_shares(path=path)["year"].max() == 2001
    path.write_text(path.read_text() + TRADE_ROW.format(year=2002, share=8.0))
    assert data.load_trade_shares(path=path)["year"].max() == 2002


# ----------------------------------------------------------------------------- no leak

#: The last year of outcomes the package may hold: later ones judge the forecasts
#: (BRIEF.md, "Data"). Drivers (GDP, population, military spending) and dated events
#: run further and are inputs.
LAST_OUTCOME_YEAR = 2015


def test_no_outcome_after_2015_is_bundled():
    shares = data.load_trade_shares("reporter"), data.load_trade_shares("mirror")
    assert max(int(s["year"].max()) for s in shares) == LAST_OUTCOME_YEAR
    assert int(data.load_remittances()["year"].max()) <= LAST_OUTCOME_YEAR
    assert int(data.load_arms_imports_annual()["year"].max()) <= LAST_OUTCOME_YEAR
    assert int(data.load_arms_imports_periods()["end_year"].max()) <= LAST_OUTCOME_YEAR
    macro = data.load_macro()
    totals = macro[macro["indicator"].str.startswith("merch_trade_total")]
    assert int(totals["year"].max()) <= LAST_OUTCOME_YEAR


def test_2011_2015_totals_come_from_macro():
    t = data.load_trade_shares("reporter")
    kaz = t[(t["state"] == "KAZ") & (t["year"] == 2015)]
    assert kaz["total_trade_musd"].unique().tolist() == [pytest.approx(76552.6)]
    assert t["total_trade_musd"].notna().all()


#: Bundled files holding outcomes (trade, arms, remittances), loaded or not, with the
#: columns that carry their years.
OUTCOME_FILES = {
    "trade_shares.csv": "year",
    "trade_shares_key.csv": "year",
    "trade_aggregates.csv": "year",
    "arms_imports_annual.csv": "year",
    "arms_imports.csv": "period",
    "remittances.csv": "year",
}


@pytest.mark.parametrize("name", sorted(OUTCOME_FILES))
def test_no_bundled_file_holds_an_outcome_after_2015(name):
    """The files themselves, the two without a loader (trade_shares_key.csv,
    trade_aggregates.csv) included: the last year of any period or year cell."""
    folder = resources.files("polarsim.data").joinpath("central_asia")
    with folder.joinpath(name).open("rb") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
    cells = frame[OUTCOME_FILES[name]].str.findall(r"\d{4}")
    last = max(int(y) for found in cells for y in found)
    assert last <= LAST_OUTCOME_YEAR, (name, last)


#: The source folder of the bundled copies (a sibling of the repository), when present.
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "central_asia"


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared/data/central_asia beside the repo")
def test_bundled_csv_files_equal_their_source():
    """Every CSV file of the source folder is bundled byte for byte (the 2011-2015 rows
    included); world_gdp.csv is the package's own and SOURCES.md the README with the
    package's notes added."""
    folder = resources.files("polarsim.data").joinpath("central_asia")
    sources = sorted(p.name for p in SHARED.glob("*.csv"))
    assert sources and set(sources) <= set(BUNDLED)
    for name in sources:
        assert folder.joinpath(name).read_bytes() == (SHARED / name).read_bytes(), name
    readme = (SHARED / "README.md").read_text(encoding="utf-8")
    notes = folder.joinpath("SOURCES.md").read_text(encoding="utf-8")
    assert notes.split("## Known gaps")[1].startswith(readme.split("## Known gaps")[1])
