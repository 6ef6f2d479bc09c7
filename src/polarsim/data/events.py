"""Loaders for the two event files: memberships (institutions, forums, foreign bases)
and infrastructure projects. Both are hand-made tables with free-text cells; the
loaders normalise them into a few typed columns and keep the original text beside."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from polarsim.codes import POWERS, STATES, code_for_data_name
from polarsim.data._validate import (
    CACHE_SIZE,
    FileKey,
    PathLike,
    Table,
    first_year,
    key,
    nonempty,
    read_table,
    state_codes,
)

# --------------------------------------------------------------------------- memberships

#: `organization` text -> institution id (ids as in the scenario catalogue).
INSTITUTIONS: dict[str, str] = {
    "CST/CSTO": "CSTO",
    "CSTO": "CSTO",
    "Customs Union RUS-BLR-KAZ": "EAEU",
    "EAEU": "EAEU",
    "SCO": "SCO",
    "WTO": "WTO",
    "Turkic Council / OTS": "OTS",
    "OTS": "OTS",
    "C5+1 (United States)": "C5+1",
    "China-Central Asia (C+C5)": "C+C5",
    "EU-Central Asia": "EU-CA",
    "EU": "EU-CA",
    "EU Global Gateway": "EU-CA",
    "Russia-Central Asia summit": "RUS-CA",
}

#: Institution id of foreign military presence ("<adjective> military presence" rows).
BASE = "BASE"
_BASE_SUFFIX = " military presence"

#: Adjective in "<adjective> military presence" -> power code.
BASE_POWERS: dict[str, str] = {
    "Russian": "RUS",
    "US": "USA",
    "U.S.": "USA",
    "American": "USA",
    "Chinese": "CHN",
    "Turkish": "TUR",
    "EU": "EU",
    "European": "EU",
    "Indian": "IND",
}

#: Summit formats and the power that convenes them.
FORUM_SPONSORS: dict[str, str] = {"C5+1": "USA", "C+C5": "CHN", "EU-CA": "EU", "RUS-CA": "RUS"}

STATUSES = ("member", "observer", "base", "not_member", "forum", "deployment")
_NOT_MEMBER = ("never member", "not a member", "not member")
ALL_STATES = "ALL5"


def _institution(t: Table, index: int) -> tuple[str, str]:
    """(institution id, power code or '') of one memberships row."""
    org = t.frame.at[index, "organization"]
    if org.endswith(_BASE_SUFFIX):
        adjective = org.removesuffix(_BASE_SUFFIX).strip()
        power = BASE_POWERS.get(adjective) or code_for_data_name(adjective)
        if power not in POWERS:
            expected = f"'<adjective> military presence' with one of {', '.join(BASE_POWERS)}"
            raise t.fail(index, "organization", expected, org)
        return BASE, power
    if org not in INSTITUTIONS:
        known = ", ".join([*INSTITUTIONS, "<adjective> military presence"])
        raise t.fail(index, "organization", f"one of {known}", org)
    institution = INSTITUTIONS[org]
    return institution, FORUM_SPONSORS.get(institution, "")


def membership_status(institution: str, event: str) -> str:
    """Status of a memberships row from its institution id and event text.

    Checked in this order: bases; "deployment"; "observer" (also when the text adds
    "not a member", as for observers of the WTO); "never member" / "not a member" /
    "not member"; summit formats (forum); anything else is a membership.
    """
    text = event.lower()
    if institution == BASE:
        return "base"
    if "deployment" in text:
        return "deployment"
    if "observer" in text:
        return "observer"
    if any(p in text for p in _NOT_MEMBER):
        return "not_member"
    if institution in FORUM_SPONSORS:
        return "forum"
    return "member"


def _years_of(t: Table, index: int) -> tuple[int | None, int | None]:
    start = first_year(t, index, "date")
    end = first_year(t, index, "end_date")
    if end is not None and str(t.frame.at[index, "end_date"]).strip().endswith("-12-31"):
        # in force all of that year: Kazakhstan's Customs Union row ends 2014-12-31 and
        # its EAEU row starts 2015-01-01; read as ending in 2014, a run started in 2014
        # had Kazakhstan outside the union
        end += 1
    if start is not None and end is not None and end < start:
        raise t.fail(index, "end_date", f"a year not before {start}", t.frame.at[index, "end_date"])
    return start, end


@lru_cache(maxsize=CACHE_SIZE)
def _memberships(path: FileKey | None) -> pd.DataFrame:
    required = ("country", "organization", "event", "date", "end_date", "source")
    t = read_table("memberships.csv", path, required)
    countries = state_codes(t, "country", extra={ALL_STATES: ALL_STATES})
    nonempty(t, "event")
    records = []
    for i in t.frame.index:
        institution, power = _institution(t, i)
        start, end = _years_of(t, i)
        row = t.frame.loc[i]
        states = list(STATES) if countries[i] == ALL_STATES else [countries[i]]
        for state in states:
            records.append(
                {
                    "state": state,
                    "organization": row["organization"],
                    "institution": institution,
                    "status": membership_status(institution, row["event"]),
                    "power": power,
                    "start_year": start,
                    "end_year": end,
                    "event": row["event"],
                    "source": row["source"],
                }
            )
    out = pd.DataFrame.from_records(records)
    for col in ("start_year", "end_year"):
        out[col] = out[col].astype("Int64")
    return out


def load_memberships(path: PathLike | None = None) -> pd.DataFrame:
    """Memberships, forums and foreign bases (memberships.csv), one row per state:
    columns state, organization, institution, status, power, start_year, end_year,
    event, source.

    ``institution``: CSTO, EAEU, SCO, WTO, OTS, C5+1, C+C5, EU-CA, RUS-CA or BASE.
    ``status``: member, observer, base, not_member, forum or deployment.
    ``power``: the base's power for BASE rows, the sponsor for summit formats, else ''.
    ``start_year``: the first year in ``date``; ``end_year``: the first year in
    ``end_date``, or the year after it when it ends on 31 December (in force all that
    year); a row is in force in the years from ``start_year`` up to, not including,
    ``end_year`` (Int64, NA if none). Rows for "ALL5" are repeated for each of the five
    states.
    """
    return _memberships(key(path)).copy()


# --------------------------------------------------------------------------- projects

#: Keyword in the `type` text -> project kind; the first keyword found wins.
PROJECT_KINDS: tuple[tuple[str, str], ...] = (
    ("dry port", "dry_port"),
    ("gas pipeline", "gas_pipeline"),
    ("oil pipeline", "oil_pipeline"),
    ("hydro", "hydropower"),
    ("electricity", "power_line"),
    ("power line", "power_line"),
    ("transmission", "power_line"),
    ("corridor", "corridor"),
    ("rail", "railway"),
    ("road", "road"),
    ("highway", "road"),
)

#: Phrases in `operational` that mean the project is not (yet) open.
_NOT_OPEN = ("not built", "not completed", "not operating", "not yet", "never")
#: Phrases that mean "not open" when they stand in the first clause of `operational`.
_NOT_YET = ("planned", "partly", "under construction")

_CODE = re.compile(r"\b[A-Z]{2,3}\b")
_ANNOTATION = re.compile(r"\s+\([^)]*\)")  # " (KAZ, UZB offtake)", not "-(KAZ/TKM)-"
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_USD_BN = re.compile(r"USD\s*(\d+(?:\.\d+)?)\s*bn")


def project_kind(t: Table, index: int) -> str:
    text = t.frame.at[index, "type"]
    for word, kind in PROJECT_KINDS:
        if word in text.lower():
            return kind
    words = ", ".join(word for word, _ in PROJECT_KINDS)
    raise t.fail(index, "type", f"a type containing one of: {words}", text)


def project_places(countries: str) -> tuple[list[str], str]:
    """(host states among the five, first power code) from a route such as
    "TKM-UZB-KAZ-CHN". Parenthesised notes after a space ("KGZ (KAZ, UZB offtake)")
    are ignored; parenthesised route segments ("RUS-(KAZ/TKM or Caspian/AZE)-IRN")
    count."""
    codes = _CODE.findall(_ANNOTATION.sub("", countries))
    hosts = list(dict.fromkeys(c for c in codes if c in STATES))
    partner = next((c for c in codes if c in POWERS), "")
    return hosts, partner


def operating_year(t: Table, index: int) -> int | None:
    """Year the project opened: the first year in the first ';'-clause of `operational`,
    or None when the text says the project is not built / not completed / not operating,
    or when that clause says planned / partly / under construction."""
    text = t.frame.at[index, "operational"]
    lower = text.lower()
    if any(p in lower for p in _NOT_OPEN):
        return None
    clause = text.split(";")[0]
    if any(p in clause.lower() for p in _NOT_YET):
        return None
    return first_year(t, index, "operational", clause)


def first_number(text: str) -> float:
    """First number in a text ("2,787 (KAZ)" -> 2787.0), NaN if none."""
    m = _NUMBER.search(text)
    return float(m.group(0).replace(",", "")) if m else float("nan")


def cost_usd_bn(text: str) -> float:
    """First "USD <x>bn" amount ("~USD 1.6bn (Exim ~USD 0.35bn)" -> 1.6), NaN if none."""
    m = _USD_BN.search(text)
    return float(m.group(1)) if m else float("nan")


@lru_cache(maxsize=CACHE_SIZE)
def _projects(path: FileKey | None) -> pd.DataFrame:
    required = (
        "project", "type", "sponsors", "countries", "start_or_agreement", "operational",
        "capacity", "length_km", "cost", "status_2023", "source",
    )  # fmt: skip
    t = read_table("projects.csv", path, required)
    nonempty(t, "project")
    records = []
    for i in t.frame.index:
        row = t.frame.loc[i]
        hosts, partner = project_places(row["countries"])
        records.append(
            {
                "project": row["project"],
                "kind": project_kind(t, i),
                "sponsors": row["sponsors"],
                "hosts": hosts,
                "partner": partner,
                "agreement_year": first_year(t, i, "start_or_agreement"),
                "operating_year": operating_year(t, i),
                "capacity": row["capacity"],
                "length_km": first_number(row["length_km"]),
                "cost_usd_bn": cost_usd_bn(row["cost"]),
                "status_2023": row["status_2023"],
                "source": row["source"],
            }
        )
    out = pd.DataFrame.from_records(records)
    for col in ("agreement_year", "operating_year"):
        out[col] = out[col].astype("Int64")
    return out


def load_projects(path: PathLike | None = None) -> pd.DataFrame:
    """Infrastructure projects (projects.csv): columns project, kind, sponsors, hosts,
    partner, agreement_year, operating_year, capacity, length_km, cost_usd_bn,
    status_2023, source.

    ``kind``: gas_pipeline, oil_pipeline, railway, road, corridor, power_line,
    hydropower or dry_port. ``hosts``: list of the five states' codes on the route.
    ``partner``: first power code on the route, else ''. Years are Int64 (NA if none);
    ``length_km`` and ``cost_usd_bn`` floats (NaN if none). See the parsing rules in
    docs/data.md.
    """
    out = _projects(key(path)).copy()
    out["hosts"] = out["hosts"].map(list)  # the lists are not shared with the cache
    return out
