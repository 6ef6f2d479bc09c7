"""load_scenario, load_checked, check_file and with_params called the natural wrong
ways from Python: refused with a PolarsimInputError naming the argument (one string of
overrides used to be split into letters, None or a number raised TypeError, a NaN
param was reported as the string 'NaN')."""

import pytest

from polarsim.checks import check_file
from polarsim.errors import PolarsimInputError
from polarsim.scenario import load_scenario
from polarsim.scenario.load import load_checked
from polarsim.scenario.overrides import with_params
from tests.conftest import SCENARIOS

B = SCENARIOS / "baseline.yaml"
ONE = "time.end_year=2020"


@pytest.mark.parametrize("call", [load_scenario, load_checked])
def test_one_override_string_is_refused_not_split_into_letters(call):
    with pytest.raises(PolarsimInputError, match=r"^overrides: expected a list of PATH=VALUE") as e:
        call(B, ONE)
    assert "write ['time.end_year=2020'] for one" in str(e.value)


def test_check_file_refuses_one_override_string():
    with pytest.raises(PolarsimInputError, match=r"^overrides: expected a list of PATH=VALUE"):
        check_file(B, overrides=ONE)


@pytest.mark.parametrize("call", [load_scenario, check_file])
def test_none_for_overrides_is_refused(call):
    with pytest.raises(PolarsimInputError, match=r"^overrides: .*found None"):
        call(B, None)


def test_an_override_that_is_not_a_string_is_refused():
    with pytest.raises(PolarsimInputError, match=r"^overrides\[1\]: expected a PATH=VALUE string"):
        load_scenario(B, [ONE, 2020])


@pytest.mark.parametrize("call", [load_scenario, check_file])
def test_a_path_that_is_not_a_path_is_refused(call):
    with pytest.raises(PolarsimInputError, match=r"^path: expected a scenario file .*found 5"):
        call(5)


def test_with_params_refuses_a_scenario_that_is_not_one():
    with pytest.raises(PolarsimInputError, match=r"^scenario: expected a scenario file"):
        with_params(5, {"powers.RUS.exclusivity": 0.5})


@pytest.mark.parametrize("value", [float("nan"), float("inf"), [0.1, float("nan")]])
def test_a_nan_or_infinite_param_is_refused_as_not_a_number(value):
    s = load_scenario(B)
    with pytest.raises(
        PolarsimInputError, match=r"^powers.RUS.exclusivity: .*NaN \(not a number\)"
    ):
        with_params(s, {"powers.RUS.exclusivity": value})
    with pytest.raises(PolarsimInputError, match="NaN"):
        with_params(B, {"powers.RUS.exclusivity": value})


def test_lists_and_tuples_of_overrides_still_apply():
    assert load_scenario(B, [ONE]).time.end_year == 2020
    assert load_scenario(B, (ONE,)).time.end_year == 2020
    assert check_file(B, [ONE]).ok
    assert with_params(B, {"time.end_year": 2020}).time.end_year == 2020
