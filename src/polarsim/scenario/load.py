"""Loading a scenario: YAML (safe loading only) -> extends -> catalogue -> --set -> schema.

Precedence, lowest first: schema defaults < actor catalogue < `extends` parents (the
nearest parent last) < the file itself < `--set` overrides. Maps merge key by key;
lists (events, poles' members) replace.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from polarsim.codes import DEFAULT_POWERS, DEFAULT_STATES
from polarsim.errors import PolarsimInputError
from polarsim.scenario.schema import Scenario


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Any]:
    text = resources.files("polarsim.scenario").joinpath("catalogue.yaml").read_text()
    return yaml.safe_load(text)


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Maps merge key by key; anything else in `over` replaces."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise PolarsimInputError("file not found", file=str(path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PolarsimInputError(f"malformed YAML: {where}{problem}", file=str(path)) from None
    except UnicodeDecodeError:
        raise PolarsimInputError("not a UTF-8 text file", file=str(path)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolarsimInputError(
            f"expected a mapping of keys at the top level, found {type(data).__name__}",
            file=str(path),
        )
    return data


def _resolve_extends(path: Path, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    path = path.resolve()
    if path in chain:
        cycle = " -> ".join(p.name for p in (*chain, path))
        raise PolarsimInputError(f"extends cycle: {cycle}", file=str(chain[0]), field="extends")
    data = _read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise PolarsimInputError(
            f"expected a file path, found {parent!r}", file=str(path), field="extends"
        )
    parent_path = (path.parent / parent).resolve()
    if not parent_path.is_file():
        raise PolarsimInputError(
            f"parent file not found: {parent_path}", file=str(path), field="extends"
        )
    return deep_merge(_resolve_extends(parent_path, (*chain, path)), data)


def parse_set(item: str) -> tuple[list[str], Any]:
    """`a.b.c=value` -> (['a','b','c'], value parsed as YAML scalar)."""
    if "=" not in item:
        raise PolarsimInputError(f"--set expects dotted.path=value, found {item!r}")
    key, _, raw = item.partition("=")
    keys = [k for k in key.strip().split(".") if k]
    if not keys:
        raise PolarsimInputError(f"--set expects dotted.path=value, found {item!r}")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return keys, value


def _apply_set(data: dict[str, Any], keys: list[str], value: Any) -> None:
    node = data
    for k in keys[:-1]:
        nxt = node.get(k)
        if not isinstance(nxt, dict):
            nxt = {}
            node[k] = nxt
        node = nxt
    node[keys[-1]] = value


def _with_catalogue(data: dict[str, Any], file: str) -> dict[str, Any]:
    cat = catalogue()
    out = dict(data)
    for group, defaults in (("powers", DEFAULT_POWERS), ("states", DEFAULT_STATES)):
        given = out.get(group)
        if given is None:
            given = {code: {} for code in defaults}
        if not isinstance(given, dict):
            raise PolarsimInputError(
                f"expected a mapping of actor codes, found {type(given).__name__}",
                file=file,
                field=group,
            )
        merged = {}
        for code, spec in given.items():
            if spec is None:
                spec = {}
            if not isinstance(spec, dict):
                raise PolarsimInputError(
                    f"expected a mapping of attributes, found {spec!r}",
                    file=file,
                    field=f"{group}.{code}",
                )
            known = cat[group]
            if code not in known and not spec.get("data_name"):
                hint = difflib.get_close_matches(str(code), list(known), n=1)
                raise PolarsimInputError(
                    f"unknown actor {code!r}; known {group}: {', '.join(known)}"
                    + (f" (did you mean {hint[0]!r}?)" if hint else ""),
                    file=file,
                    field=f"{group}.{code}",
                )
            merged[code] = deep_merge(known.get(code, {}), spec)
        out[group] = merged
    for group in ("institutions", "relations"):
        given = out.get(group) or {}
        if not isinstance(given, dict):
            raise PolarsimInputError(
                f"expected a mapping, found {type(given).__name__}", file=file, field=group
            )
        out[group] = deep_merge(cat[group], given)
    return out


def _format_validation(exc: ValidationError, file: str) -> PolarsimInputError:
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-"))
    # pydantic puts the discriminator value into the path of union members
    msg = err["msg"]
    if err["type"] == "union_tag_invalid":
        from polarsim.scenario.events import EVENT_TYPES

        msg = f"unknown event type {err['input'].get('type')!r}; valid: {', '.join(EVENT_TYPES)}"
    elif err["type"] == "extra_forbidden":
        msg = "unknown key"
    found = err.get("input")
    if err["type"] not in ("missing", "union_tag_invalid") and not isinstance(found, dict):
        msg = f"{msg} (found {found!r})"
    more = len(exc.errors()) - 1
    if more:
        msg += f" [and {more} more problem{'s' if more > 1 else ''}]"
    return PolarsimInputError(msg, file=file, field=loc or None)


def build_scenario(data: dict[str, Any], file: str = "<scenario>") -> Scenario:
    """Validate a scenario mapping (after extends/--set) against the schema."""
    data = _with_catalogue(data, file)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise _format_validation(exc, file) from None
    from polarsim.scenario.references import check_references

    check_references(scenario, file)
    return scenario


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Read, merge and validate a scenario file. Raises PolarsimInputError on bad input."""
    path = Path(path)
    data = _resolve_extends(path)
    for item in overrides:
        keys, value = parse_set(item)
        _apply_set(data, keys, value)
    data.setdefault("name", path.stem)
    return build_scenario(data, str(path))


def scenario_dict(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="json")


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the resolved scenario (canonical JSON): what the numbers depend on."""
    text = json.dumps(scenario_dict(scenario), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def resolved_yaml(scenario: Scenario) -> str:
    return yaml.safe_dump(scenario_dict(scenario), sort_keys=False, allow_unicode=True)
