"""Relations: one key per pair of powers whatever the order written, the later layer
winning for the pair (extends, the file, --set in order); unknown codes and both orders
of one pair in one file refused. And the name a file without `name:` gets."""

import subprocess
import sys
import textwrap

import pytest
import yaml

from polarsim.errors import PolarsimInputError
from polarsim.model.setup import relation_matrix
from polarsim.scenario import build_scenario, load_scenario, resolved_yaml, scenario_hash
from polarsim.scenario.check import validate_file
from polarsim.scenario.load import catalogue
from polarsim.scenario.overrides import with_params
from polarsim.scenario.relations import canonical_key
from tests.conftest import SCENARIOS

HISTORICAL = SCENARIOS / "historical.yaml"


def write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def child(tmp_path, body, name="s.yaml", parent=HISTORICAL):
    return write(tmp_path, f"extends: {parent}\n" + textwrap.dedent(body).lstrip("\n"), name)


def pair_keys(s, a, b):
    return [k for k in s.relations if set(k.split("-")) == {a, b}]


# --- canonical keys -----------------------------------------------------------------


def test_the_catalogue_names_each_pair_once_and_its_keys_are_canonical():
    keys = list(catalogue()["relations"])
    pairs = [frozenset(k.split("-")) for k in keys]
    assert len(set(pairs)) == len(pairs)
    assert all(canonical_key(k) == k for k in keys)
    # either order gives the catalogue's key; a pair it does not list: alphabetical
    assert canonical_key("RUS-CHN") == "CHN-RUS" and canonical_key("EU-USA") == "USA-EU"
    assert canonical_key("USA-IND") == "IND-USA" and canonical_key("IRN-GULF") == "GULF-IRN"
    assert canonical_key("CHN-CHN") == "CHN-CHN" and canonical_key("CHN") == "CHN"


def test_the_shipped_scenarios_keep_the_catalogue_keys():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        s = load_scenario(path)
        assert list(s.relations)[: len(catalogue()["relations"])] == list(
            catalogue()["relations"]
        ), path


# --- the later layer wins for the pair ----------------------------------------------


@pytest.mark.parametrize("key", ["CHN-RUS", "RUS-CHN"])
def test_a_file_sets_the_pair_in_either_order(tmp_path, key):
    s = load_scenario(child(tmp_path, f"relations: {{{key}: 0.9}}\n"))
    assert pair_keys(s, "CHN", "RUS") == ["CHN-RUS"] and s.relations["CHN-RUS"] == 0.9
    m = relation_matrix(s)
    i, j = list(s.powers).index("CHN"), list(s.powers).index("RUS")
    assert m[i, j] == m[j, i] == 0.9
    assert "RUS-CHN" not in resolved_yaml(s)


def test_either_order_writes_the_same_scenario(tmp_path):
    a = load_scenario(child(tmp_path, "relations: {CHN-RUS: 0.9}\n", "a.yaml"))
    b = load_scenario(child(tmp_path, "relations: {RUS-CHN: 0.9}\n", "b.yaml"))
    assert a.relations == b.relations
    assert scenario_hash(a.model_copy(update={"name": "x"})) == scenario_hash(
        b.model_copy(update={"name": "x"})
    )


def test_the_child_overrides_its_parent_whatever_the_order(tmp_path):
    parent = write(
        tmp_path, f"extends: {HISTORICAL}\nname: p\nrelations: {{RUS-CHN: 0.9}}\n", "p.yaml"
    )
    s = load_scenario(child(tmp_path, "relations: {CHN-RUS: 0.1}\n", parent=parent))
    assert pair_keys(s, "CHN", "RUS") == ["CHN-RUS"] and s.relations["CHN-RUS"] == 0.1
    s = load_scenario(child(tmp_path, "relations: {RUS-CHN: 0.2}\n", "t.yaml", parent=parent))
    assert pair_keys(s, "CHN", "RUS") == ["CHN-RUS"] and s.relations["CHN-RUS"] == 0.2
    s = load_scenario(parent)
    assert s.relations["CHN-RUS"] == 0.9


@pytest.mark.parametrize(
    "sets, value",
    [
        (["relations.RUS-CHN=0.9", "relations.CHN-RUS=0.1"], 0.1),
        (["relations.CHN-RUS=0.1", "relations.RUS-CHN=0.9"], 0.9),
        (["relations.RUS-CHN=0.9"], 0.9),
        (["relations={RUS-CHN: 0.4}"], 0.4),
    ],
)
def test_the_later_set_wins_for_the_pair(sets, value):
    s = load_scenario(HISTORICAL, sets)
    assert pair_keys(s, "CHN", "RUS") == ["CHN-RUS"] and s.relations["CHN-RUS"] == value


def test_a_set_overrides_the_file_written_in_the_other_order(tmp_path):
    path = child(tmp_path, "relations: {RUS-CHN: 0.9}\n")
    s = load_scenario(path, ["relations.CHN-RUS=0.1"])
    assert pair_keys(s, "CHN", "RUS") == ["CHN-RUS"] and s.relations["CHN-RUS"] == 0.1


def test_params_and_mappings_built_in_code_are_normalised_too():
    s = with_params(load_scenario(HISTORICAL), {"relations.RUS-CHN": 0.9})
    assert pair_keys(s, "CHN", "RUS") == ["CHN-RUS"] and s.relations["CHN-RUS"] == 0.9
    s = build_scenario({"name": "x", "relations": {"EU-USA": 0.2}})
    assert pair_keys(s, "USA", "EU") == ["USA-EU"] and s.relations["USA-EU"] == 0.2


# --- refused ------------------------------------------------------------------------


def test_both_orders_in_one_file_are_refused_naming_both_keys(tmp_path):
    path = child(tmp_path, "relations: {CHN-RUS: 0.1, RUS-CHN: 0.9}\n")
    (p,) = validate_file(path)
    assert (p.file, p.path, p.line) == (str(path), "relations.RUS-CHN", 2)
    assert "CHN-RUS and RUS-CHN" in p.message and "write it once" in p.message
    with pytest.raises(PolarsimInputError, match="relations.RUS-CHN"):
        load_scenario(path)


def test_an_unknown_code_is_refused_naming_file_field_and_known_codes(tmp_path):
    path = child(tmp_path, "relations: {CHN-RUS: 0.1, CHN-ZZZ: 0.5}\n")
    (p,) = validate_file(path)
    assert (p.file, p.path, p.line) == (str(path), "relations.CHN-ZZZ", 2)
    assert "unknown power 'ZZZ'" in p.message
    assert "expected one of: CHN, RUS, USA, EU, TUR, IRN" in p.message


def test_the_three_problems_of_one_file_are_reported_together(tmp_path):
    path = child(tmp_path, "relations: {CHN-RUS: 0.1, RUS-CHN: 0.9, CHN-ZZZ: 0.5}\n")
    assert sorted(p.path for p in validate_file(path)) == [
        "relations.CHN-ZZZ",
        "relations.RUS-CHN",
    ]


def test_an_unknown_code_from_set_is_refused():
    (p,) = validate_file(HISTORICAL, ["relations.CHN-XXX=0.5"])
    assert p.path == "relations.CHN-XXX" and p.source == "--set"
    assert "unknown power 'XXX'" in p.message


def test_a_catalogue_power_the_scenario_leaves_out_may_be_named():
    # a parent may set the rivalry of a power a child adds (unused until then)
    assert validate_file(HISTORICAL, ["relations.USA-IND=0.5"]) == []
    s = load_scenario(HISTORICAL, ["relations.USA-IND=0.5", "relations.CHN-IND=0.4"])
    assert s.relations["IND-USA"] == 0.5 and "USA-IND" not in s.relations
    assert s.relations["IND-CHN"] == 0.4 and "CHN-IND" not in s.relations  # the catalogue's


def test_validate_binary_refuses_both_orders_and_unknown_codes(tmp_path):
    path = child(tmp_path, "relations: {CHN-RUS: 0.1, RUS-CHN: 0.9, CHN-ZZZ: 0.5}\n")
    done = subprocess.run(
        [sys.executable, "-m", "polarsim", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "relations.CHN-ZZZ" in done.stdout and "relations.RUS-CHN" in done.stdout


# --- the name of a file that does not set one ---------------------------------------


def test_a_child_without_a_name_takes_its_file_stem(tmp_path):
    hawk = child(tmp_path, "relations: {CHN-RUS: 0.9}\n", "hawk.yaml")
    dove = child(tmp_path, "relations: {CHN-RUS: 0.1}\n", "dove.yaml")
    assert load_scenario(hawk).name == "hawk" and load_scenario(dove).name == "dove"
    assert "name: hawk" in resolved_yaml(load_scenario(hawk))


def test_the_name_is_the_loaded_files_own(tmp_path):
    named = child(tmp_path, "name: middle\n", "m.yaml")
    assert load_scenario(named).name == "middle"
    # a grandchild without a name: its own stem, not its parent's name
    assert load_scenario(child(tmp_path, "time: {end_year: 2020}\n", "g.yaml", named)).name == "g"
    # --set still names it
    assert (
        load_scenario(child(tmp_path, "description: h\n", "h.yaml"), ["name=other"]).name == "other"
    )


def test_the_shipped_scenarios_keep_their_names():
    for path in SCENARIOS.glob("*.yaml"):
        written = yaml.safe_load(path.read_text())
        assert "name" in written, path  # none relies on a default
        assert load_scenario(path).name == written["name"] == path.stem
