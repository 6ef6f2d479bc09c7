"""vary (and compare) refuse a bad metric, assumption names or since before any
replicate runs (a text metric raised pandas' TypeError, a misspelt one was refused
after the first run, one assumption name was split into letters)."""

import importlib

import pytest

from polarsim.assumptions import vary
from polarsim.compare import compare
from polarsim.errors import PolarsimInputError
from tests.compare.test_ablation import _exclusive, _s


def _no_run(monkeypatch):
    run_module = importlib.import_module("polarsim.run")  # the module, not the function

    def refuse(*a, **k):
        raise AssertionError("a replicate ran before the argument was checked")

    monkeypatch.setattr(run_module, "run_model", refuse)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"metric": "trade_top_partner"}, r"^--metric: 'trade_top_partner' is not a numeric"),
        ({"metric": "year"}, r"^--metric: 'year' is not a numeric metric \(it names the rows\)"),
        ({"metric": "nope"}, r"^--metric: the results have no column 'nope'; numeric metrics"),
        ({"assumptions": "coercion_rare"}, r"^--assumptions: expected a list of assumption"),
        ({"assumptions": ["nope"]}, r"^--assumptions: unknown assumption 'nope'"),
        ({"seed": -1}, r"seed must be a non-negative integer"),
        ({"since": "2006"}, r"^--since: expected a whole-number year"),
    ],
)
def test_vary_refuses_before_running(monkeypatch, kwargs, message):
    _no_run(monkeypatch)
    with pytest.raises(PolarsimInputError, match=message):
        vary([_s("a"), _exclusive()], replicates=2, **kwargs)


def test_vary_refuses_one_scenario_path_string(monkeypatch):
    _no_run(monkeypatch)
    with pytest.raises(PolarsimInputError, match=r"^scenarios: expected a list"):
        vary("scenarios/baseline.yaml")


def test_compare_refuses_a_misspelt_metric_before_running(monkeypatch):
    _no_run(monkeypatch)
    with pytest.raises(PolarsimInputError, match=r"^--metric: the results have no column 'nope'"):
        compare([_s("a"), _exclusive()], replicates=2, metric="nope")


def test_vary_still_runs_with_a_numeric_metric_and_one_assumption():
    r = vary(
        [_s("a"), _exclusive()], assumptions=["coercion_rare"], replicates=2, metric="vulnerability"
    )
    assert set(r.effects["assumption"]) == {"shipped", "coercion_rare"}
