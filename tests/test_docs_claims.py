"""Claims of docs/odd.md, model.md and metrics.md that the code can check: parameter
sources, the start year's order, the project records' statuses, the years of the arms
intensity, the random streams' seeding and the landscape search's local minima.

Each test finds the doc's sentence first (a reworded claim fails here and is looked at
again), then compares it with what the code does."""

import inspect
import re

import numpy as np
import pytest

from tests.conftest import ROOT
from tests.test_docs_formulas import _flat, _says

ODD_MD = (ROOT / "docs" / "odd.md").read_text()
MODEL_MD = (ROOT / "docs" / "model.md").read_text()
METRICS_MD = (ROOT / "docs" / "metrics.md").read_text()


# --------------------------------------------------------------------------- parameters


def _odd_parameter_rows():
    """(group, name, source cell) of every row of the ODD's parameter tables."""
    from polarsim.scenario.parameters import Parameters

    for line in ODD_MD.splitlines():
        m = re.match(r"\| `([a-z_]+)\.([a-z_]+)`(?: \([^)]*\))? \|[^|]+\|[^|]+\| ([^|]+) \|$", line)
        if m and m.group(1) in Parameters.model_fields:
            yield m.group(1), m.group(2), m.group(3).strip()


def _schema_source(group: str, name: str) -> str:
    from polarsim.scenario.parameters import Parameters

    model = Parameters.model_fields[group].annotation
    field = model.model_fields[name]
    extra = field.json_schema_extra or {}
    return str(extra.get("source", ""))


def test_odd_parameter_sources_are_the_schema_sources():
    """A parameter the ODD calls an assumption is one in the schema, one it calls
    calibrated is calibrated there, and a quoted 90 % interval is the schema's."""
    rows = list(_odd_parameter_rows())
    assert len(rows) >= 70, "the parameter tables moved"
    for group, name, cell in rows:
        source = _schema_source(group, name).lower()
        assert source, f"{group}.{name} has no source in the schema"
        if cell.lower().startswith("assumption"):
            assert source.startswith("assumption"), (group, name, cell, source)
        if cell.lower().startswith("calibrated"):
            assert "calibrated" in source, (group, name, cell, source)
        for interval in re.findall(r"\d+(?:\.\d+)?-\d+(?:\.\d+)?", cell):
            if "interval" in cell:
                assert interval in source.replace(" ", ""), (group, name, interval, source)


# --------------------------------------------------------------------------- start year


def test_start_year_responds_before_it_engages():
    """odd.md Sections 3 and 5 and model.md: the start year's receptivity is computed
    first and weighs the start year's engagement, whose policy factors are the
    baseline (no engagement with receptivity 1)."""
    from polarsim.model.model import CompetitionModel

    _says(
        ODD_MD,
        "computed after a first response step and then an engagement weighted by that receptivity",
    )
    assert "engagement (with receptivity 1)" not in ODD_MD
    source = inspect.getsource(CompetitionModel.__init__)
    order = [
        source.index(c) for c in ("self._respond()", "self._engage()", "self._trade_baseline()")
    ]
    assert order == sorted(order)


# --------------------------------------------------------------------------- projects


def test_projects_are_pipeline_records_not_agents():
    """The docs describe projects as records of model/pipeline.py stepped by one loop,
    with the statuses the pipeline gives them; no project class or agent remains."""
    from polarsim.model import pipeline, recorder
    from polarsim.model.model import CompetitionModel
    from polarsim.model.synthetic import synthetic_setup

    assert not any(
        name == "Project" or (name.endswith("Agent") and "roject" in name)
        for name, _ in inspect.getmembers(pipeline, inspect.isclass)
    )
    for doc in (ODD_MD, MODEL_MD):
        flat = _flat(doc).lower()
        assert "project agent" not in flat and "agent statuses" not in flat
        assert "`project` class" not in flat
    _says(ODD_MD, "projects are not agents (there is no project class)")
    m = re.search(r"\| `status` \| ([a-z_, ]+) \|", ODD_MD)
    assert m, "the status row of the project table moved"
    documented = {s.strip() for s in m.group(1).split(",")}
    statuses = {
        pipeline.PROPOSED,
        pipeline.UNDER_CONSTRUCTION,
        pipeline.STALLED,
        pipeline.OPERATING,
        pipeline.REFUSED,
    }
    assert documented == statuses
    # the system table counts the recorded statuses the ODD lists
    for status in recorder.PROJECT_STATUSES:
        _says(ODD_MD, f"`projects_{status}`")
    # refused and operating projects leave the schedule, their records stay
    model = CompetitionModel(synthetic_setup(4, 3, years=6), rng=np.random.default_rng(3))
    while model.running:
        model.step()
    frame = model.projects
    assert len(frame) == len(model.pipeline.records)
    live = {id(r) for r in model.pipeline.live}
    for r in model.pipeline.records:
        if r[pipeline.STATUS] in (pipeline.OPERATING, pipeline.REFUSED):
            assert id(r) not in live
    assert set(frame["status"]) <= statuses


# --------------------------------------------------------------------------- arms intensity


def test_arms_intensity_years():
    """odd.md Section 5: deliveries over 2000 .. min(max(t0, 2002), 2014) over the
    mean reported military spending of those years; 2015 is not a year without
    deliveries."""
    from polarsim import data
    from polarsim.model import setup

    _says(ODD_MD, "years 2000 .. `min(max(t0, 2002), 2014)`")
    _says(
        ODD_MD,
        "data from 2000 up to the start year (at least to 2002) or the last year of arms "
        "data (2014)",
    )
    arms = data.load_arms_imports_annual()
    last_data = int(arms["year"].max())
    assert last_data == 2014
    assert 2000 + setup.MIN_INTENSITY_YEARS - 1 == 2002
    macro = data.load_macro()
    fallback = 0.05
    for code in ("KAZ", "UZB", "KGZ", "TJK"):
        for t0, last in ((2000, 2002), (2008, 2008), (2015, 2014)):
            last_used = min(max(t0, 2002), last_data)
            assert last_used == last
            tiv = arms[(arms["state"] == code) & arms["year"].between(2000, last)]["tiv_musd"]
            m = macro[(macro["actor"] == code) & (macro["indicator"] == "milex_current_usd_m")]
            m = m[m["year"].between(2000, last)].dropna(subset=["value"])
            by_doc = (tiv.sum() / (last - 2000 + 1)) / m["value"].mean() or fallback
            assert setup._arms_intensity(code, fallback, max(t0, 2002)) == pytest.approx(by_doc)
    # a state without reported spending takes the fallback
    assert setup._arms_intensity("TKM", fallback, 2015) == fallback


# --------------------------------------------------------------------------- randomness


def test_mesa_seeds_random_with_one_integer_from_the_generator():
    """odd.md 4.9: given a Generator, Mesa seeds the model's stdlib random with one
    integer drawn from it; the projects' order is a shuffle with that random."""
    from polarsim.model.model import CompetitionModel
    from polarsim.model.synthetic import synthetic_setup

    _says(ODD_MD, "Mesa 3.5 seeds the model's stdlib `random` with one integer drawn from it")
    model = CompetitionModel(synthetic_setup(3, 2, years=2), rng=np.random.default_rng(11))
    seed = int(np.random.default_rng(11).integers(np.iinfo(np.int32).max))
    assert model._seed == seed


# --------------------------------------------------------------------------- metrics


def test_coercion_loss_without_gdp():
    """odd.md 7.12: a state with GDP <= 0 has coercion loss 1 with any loss, else 0."""
    from polarsim import metrics

    _says(ODD_MD, "(Y_s ≤ 0: 1 with any loss, else 0)")
    out = metrics.coercion_loss(np.array([1.0, 0.0]), np.array([0.0, 0.0]), np.zeros(2), 0.5)
    np.testing.assert_array_equal(out, [1.0, 0.0])


def test_local_search_misses_the_minimum_about_one_case_in_ten():
    """metrics.md: the steepest descent stops above the exact minimum in about 1 in 10
    random P = 5 cases (the cases of tests/metrics/test_metrics.py)."""
    from polarsim.metrics import landscape
    from tests.metrics.test_metrics import _random_case

    _says(METRICS_MD, "higher in about 1 in 10 random P = 5 cases")
    rng = np.random.default_rng(7)
    worse = 0
    n = 300
    for _ in range(n):
        aff, rel = _random_case(rng, 5, int(rng.integers(0, 6)))
        exact = landscape(aff, rel)[0]
        local = landscape(aff, rel, exact_max=3)[0]
        assert local >= exact - 1e-12
        worse += local > exact + 1e-12
    assert 0.05 <= worse / n <= 0.2


# --------------------------------------------------------------------------- outputs


def test_odd_observation_columns_are_the_tables():
    """odd.md 4.11 lists the columns of the states and system tables."""
    from polarsim.model.model import CompetitionModel
    from polarsim.model.synthetic import synthetic_setup

    model = CompetitionModel(synthetic_setup(3, 2, years=2), rng=np.random.default_rng(0))
    while model.running:
        model.step()
    tables = model.tables()
    section = ODD_MD[ODD_MD.index("### 4.11 Observation") : ODD_MD.index("## 5. Initialization")]
    states = section[section.index("- **states**") : section.index("- **system**")]
    system = section[section.index("- **system**") : section.index("- **events**")]

    def names(text: str) -> set[str]:
        return set(re.findall(r"`([A-Za-z_{},]+)`", text))

    columns = set(tables["states"].columns) - {"replicate", "year", "state"}
    arenas = ("infra", "trade", "security")
    documented = set()
    for name in names(states):
        if name.startswith("_"):  # a per-arena suffix
            documented |= {a + name for a in arenas}
        elif "{P}" in name or "{infra,trade,security}" in name:
            expanded = {name}
            if "{infra,trade,security}" in name:
                expanded = {name.replace("{infra,trade,security}", a) for a in arenas}
            documented |= {e.replace("{P}", p) for e in expanded for p in model.setup.powers}
        else:
            documented.add(name)
    documented |= {f"{a}_share_other" for a in arenas}
    assert documented == columns
    listed = {n.replace("{P}", p) for n in names(system) for p in model.setup.powers}
    assert listed == set(tables["system"].columns) - {"replicate", "year"}


# --------------------------------------------------------------------------- validation.md


def test_hindcast_option_table_lists_every_option():
    """docs/validation.md's table of `polarsim hindcast` options holds every option of
    the verb's parser, and no other."""
    import argparse

    from polarsim.cli import _parser

    validation_md = (ROOT / "docs" / "validation.md").read_text()
    start = validation_md.index("| option | meaning |")
    table = validation_md[start : validation_md.index("\n\n", start)]
    first_cells = [line.split("|")[1] for line in table.splitlines()[2:]]
    documented = {o for cell in first_cells for o in re.findall(r"`(--[a-z-]+)", cell)}
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)).choices[
        "hindcast"
    ]
    options = {
        s for a in sub._actions for s in a.option_strings if s.startswith("--") and s != "--help"
    }
    assert documented == options


def test_replicate_generator_is_the_documented_spawn():
    """odd.md 4.9 and model.md: replicate r's generator is
    default_rng(SeedSequence(seed).spawn(replicates)[r]), whatever the number of
    replicates."""
    from polarsim.model.seeds import replicate_rng

    _says(ODD_MD, "`default_rng(SeedSequence(seed).spawn(replicates)[r])`")
    for replicates in (3, 8):
        children = np.random.SeedSequence(5).spawn(replicates)
        for r in range(replicates):
            by_doc = np.random.default_rng(children[r]).random(4)
            np.testing.assert_array_equal(replicate_rng(5, r).random(4), by_doc)


def test_trace_table_names_files_that_exist():
    """Every file or folder the TRACE table of docs/validation.md names is in the
    repository."""
    validation_md = (ROOT / "docs" / "validation.md").read_text()
    start = validation_md.index("| element | what there is | where |")
    table = validation_md[start : validation_md.index("\n\n", start)]
    for line in table.splitlines()[2:]:
        where = line.split("|")[3]
        for name in re.findall(r"[\w./-]+\.(?:md|py)\b|\btests/|\bREADME\b|\bBRIEF\b", where):
            assert (ROOT / name).exists(), f"{name} in the TRACE table does not exist"


def test_states_without_deliveries_take_the_fallback_intensity():
    """odd.md Section 5: Tajikistan takes the fallback intensity for starts up to 2005,
    Kyrgyzstan for starts in 2000-2002 (no deliveries in the years read); later starts
    their own ratio."""
    from polarsim.model import setup

    _says(ODD_MD, "Tajikistan for starts up to 2005 (`historical_2005.yaml` included)")
    fallback = 0.0123
    for t0 in range(2000, 2007):
        last = max(t0, 2000 + setup.MIN_INTENSITY_YEARS - 1)
        assert (setup._arms_intensity("TJK", fallback, last) == fallback) == (t0 <= 2005), t0
        assert (setup._arms_intensity("KGZ", fallback, last) == fallback) == (t0 <= 2002), t0
        assert setup._arms_intensity("TJK", fallback, last) > 0


def test_odd_catalogue_values_are_the_catalogue():
    """odd.md 2.1: the default powers' budgets, exclusivity, loan shares and rivalries
    are those of scenario/catalogue.yaml."""
    from polarsim.scenario.load import catalogue

    cat = catalogue()
    text = _flat(ODD_MD[ODD_MD.index("Catalogue values (") : ODD_MD.index("### 2.2")])
    for field in ("budget_pct_gdp", "exclusivity", "loan_share"):
        m = re.search(rf"`{field}` ((?:[A-Z]+ \d+(?:\.\d+)?(?:, )?)+)", text)
        assert m, field
        values = re.findall(r"([A-Z]+) (\d+(?:\.\d+)?)", m.group(1))
        assert [c for c, _ in values] == ["CHN", "RUS", "USA", "EU", "TUR"], field
        for code, value in values:
            assert cat["powers"][code][field] == float(value), (field, code)
    rivalries = re.search(r"Rivalries: (.*?) \(and values", text).group(1)
    pairs = re.findall(r"([A-Z]+-[A-Z]+) (-?\d+(?:\.\d+)?)", rivalries)
    assert len(pairs) == 10
    for pair, value in pairs:
        assert cat["relations"][pair] == float(value), pair


def test_bell_numbers_of_the_exhaustive_search():
    """metrics.md: the exhaustive search runs over Bell(P) partitions, 52 for P = 5 and
    877 for P = 7."""
    from polarsim.metrics import set_partitions

    _says(METRICS_MD, "Bell(P) of them (52 for P = 5, 877 for P = 7)")
    assert len(set_partitions(5)) == 52
    assert len(set_partitions(7)) == 877
