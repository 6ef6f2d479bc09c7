"""Typed parameter overrides: `{"powers.RUS.exclusivity": 0.7, ...}` applied to a
scenario file or to a loaded Scenario, numbers as numbers.

    from polarsim.scenario.overrides import with_params

    scenario = with_params("scenarios/baseline.yaml", {"powers.RUS.exclusivity": 0.7})

Paths are the dotted paths of `--set` and of experiment files (docs/scenarios.md),
applied with the same precedence: after `extends` and the actor catalogue, in the
order given. Values may be Python or numpy numbers, booleans, strings, lists or
mappings; the schema then validates the result and refuses a bad value with the usual
message naming the field.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from polarsim.errors import PolarsimInputError
from polarsim.scenario.load import _apply_set, build_scenario, load_scenario, parse_set
from polarsim.scenario.schema import Scenario


def plain(value: Any) -> Any:
    """A value as YAML/JSON holds it: numpy scalars and arrays become Python numbers and
    lists (np.float64(0.7) is 0.7, not the text 'np.float64(0.7)')."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def as_override(path: str, value: Any) -> str:
    """`path=value` as `--set` reads it, the value written as JSON (a YAML subset), so
    0.7 stays the number 0.7 and "0.7" the string."""
    try:
        text = json.dumps(plain(value), allow_nan=False)
    except ValueError:  # JSON would write NaN, which --set reads back as a string
        raise PolarsimInputError(
            f"expected a number, found {value!r}: NaN (not a number) and infinity are not allowed",
            field=path,
        ) from None
    except TypeError:
        raise PolarsimInputError(
            f"expected a number, boolean, string, list or mapping, found "
            f"{type(value).__name__} {value!r}",
            field=path,
        ) from None
    return f"{path}={text}"


def as_overrides(params: Mapping[str, Any] | None) -> list[str]:
    """`--set` items for a mapping of dotted paths to values (in its order)."""
    if not params:
        return []
    if not isinstance(params, Mapping):
        raise PolarsimInputError(
            f"params: expected a mapping of dotted paths to values, found {params!r}"
        )
    return [as_override(str(path), value) for path, value in params.items()]


def with_params(
    scenario: Scenario | str | Path, params: Mapping[str, Any] | None = None
) -> Scenario:
    """The scenario (a file or a loaded Scenario) with `params` applied; validated."""
    if not isinstance(scenario, Scenario | str | os.PathLike):
        raise PolarsimInputError(
            f"expected a scenario file (str or Path) or a Scenario, found {scenario!r}",
            field="scenario",
        )
    items = as_overrides(params)
    if not isinstance(scenario, Scenario):
        return load_scenario(scenario, items)
    if not items:
        return scenario
    data = scenario.model_dump(mode="json")
    for item in items:
        keys, value = parse_set(item)
        _apply_set(data, keys, value)
    return build_scenario(data, file=f"<{scenario.name} with params>")
