"""Event values the schema must refuse (review of the scenario layer): each would have
run silently with a meaningless or wrong effect."""

from __future__ import annotations

import pytest

from polarsim.scenario.load import load_checked
from tests.conftest import SCENARIOS

PROJECT = (
    "{type: project, year: 2020, name: x, sponsor: CHN, kind: railway, "
    "capacity: 5, cost_usd_bn: 1, "
)


def _problems(tmp_path, event: str) -> list:
    path = tmp_path / "x.yaml"
    path.write_text(
        f"schema_version: 1\nextends: {SCENARIOS / 'historical.yaml'}\nadd_events:\n  - {event}\n"
    )
    scenario, problems = load_checked(path)
    assert scenario is None
    assert all(p.file == str(path) for p in problems)
    return problems


@pytest.mark.parametrize(
    ("event", "field", "text"),
    [
        # a power sanctioning itself cut its own budget and trade
        (
            "{type: sanctions, year: 2020, imposers: [EU, RUS], target: RUS, intensity: 0.5}",
            "add_events[0]",
            "imposers: expected powers other than the target RUS",
        ),
        # a negative flow is a negative trade capacity
        (PROJECT + "hosts: [KAZ], flows: {KAZ: -5}}", "add_events[0].flows.KAZ", "0"),
        # more trade than the project carries
        (PROJECT + "hosts: [KAZ], flows: {KAZ: 50}}", "add_events[0]", "at most the capacity"),
        # a host listed twice got one share of the cost: half the cost was lost
        (PROJECT + "hosts: [KAZ, KAZ]}", "add_events[0]", "each state once"),
    ],
)
def test_bad_event_values_are_refused(tmp_path, event, field, text):
    problems = _problems(tmp_path, event)
    assert [p.path for p in problems] == [field]
    assert text in problems[0].message


def test_flows_up_to_the_capacity_and_zero_flows_stay_valid(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(
        f"schema_version: 1\nextends: {SCENARIOS / 'historical.yaml'}\nadd_events:\n"
        f"  - {PROJECT}hosts: [KAZ, UZB], flows: {{KAZ: 4, UZB: 1}}}}\n"
        f"  - {PROJECT}hosts: [UZB], flows: {{UZB: 0}}}}\n"
    )
    scenario, problems = load_checked(path)
    assert problems == []
    assert scenario.events[-2].host_weights() == {"KAZ": 0.8, "UZB": 0.2}


def test_summit_format_sponsors_must_be_the_forums(tmp_path):
    # the model gives the forum bonus to the sponsors of `institutions.C+C5` (CHN): an
    # event naming USA ran as if it named CHN
    problems = _problems(
        tmp_path,
        "{type: summit_format, year: 2020, name: C+C5, sponsors: [USA], members: [KAZ]}",
    )
    assert [p.path for p in problems] == ["add_events[0].sponsors"]
    assert "institutions.C+C5.sponsors" in problems[0].message
    assert "[CHN]" in problems[0].message


def test_summit_format_sponsors_in_any_order_and_without_absent_powers(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(
        f"schema_version: 1\nextends: {SCENARIOS / 'historical.yaml'}\n"
        "institutions: {NEW: {kind: forum, sponsors: [TUR, CHN, JPN]}}\nadd_events:\n"
        "  - {type: summit_format, year: 2020, name: NEW, sponsors: [CHN, TUR], members: [KAZ]}\n"
    )
    scenario, problems = load_checked(path)
    assert problems == []


@pytest.mark.parametrize(
    ("event", "text"),
    [
        # the run starts from the memberships and bases of memberships.csv: these were
        # accepted and changed nothing
        (
            "{type: membership, year: 2010, state: TKM, institution: CSTO, action: join}",
            "TKM is not a member of CSTO in 2015",
        ),
        (
            "{type: membership, year: 2015, state: KAZ, institution: EAEU, action: leave}",
            "KAZ is a member of EAEU in 2015",
        ),
        (
            "{type: base, year: 2010, power: CHN, state: TJK, action: open}",
            "CHN has no base in TJK in 2015",
        ),
        (
            "{type: summit_format, year: 2010, name: OTS, sponsors: [TUR], members: [TJK]}",
            "TJK is not a member of OTS in 2015",
        ),
    ],
)
def test_events_the_start_state_overrides_are_refused(tmp_path, event, text):
    problems = _problems(tmp_path, event)
    assert [p.path for p in problems] == ["add_events[0]"]
    assert text in problems[0].message
    assert "memberships.csv" in problems[0].message


def test_events_before_the_start_that_the_data_agree_with_stay_valid(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(
        f"schema_version: 1\nextends: {SCENARIOS / 'historical.yaml'}\nadd_events:\n"
        "  - {type: membership, year: 2010, state: TKM, institution: CSTO, action: join}\n"
        "  - {type: membership, year: 2011, state: TKM, institution: CSTO, action: leave}\n"
        "  - {type: membership, year: 2016, state: TKM, institution: CSTO, action: join}\n"
    )
    scenario, problems = load_checked(path)
    assert problems == []
    for start in (2000, 2004, 2005, 2006, 2011, 2012, 2014):
        _, problems = load_checked(path, [f"time.start_year={start}"])
        assert problems == [], start


def test_summit_format_naming_no_forum_is_reported_once(tmp_path):
    problems = _problems(
        tmp_path,
        "{type: summit_format, year: 2020, name: WTO, sponsors: [CHN], members: [KAZ]}",
    )
    assert [p.path for p in problems] == ["add_events[0].name"]


def test_an_institution_sponsor_must_be_a_known_power(tmp_path):
    # a typo'd sponsor was dropped silently: the institution ran without it
    path = tmp_path / "x.yaml"
    path.write_text(
        f"schema_version: 1\nextends: {SCENARIOS / 'historical.yaml'}\n"
        "institutions:\n  NEW: {kind: customs_union, sponsors: [RSU]}\n"
        "  OLD: {kind: forum, sponsors: [IND, JPN]}\n"  # powers of the catalogue: fine
    )
    scenario, problems = load_checked(path)
    assert [(p.path, p.line) for p in problems] == [("institutions.NEW.sponsors[0]", 4)]
    assert "unknown power 'RSU'" in problems[0].message
    assert "did you mean 'RUS'" in problems[0].message
