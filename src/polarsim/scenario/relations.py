"""Relation keys: one key per pair of powers, whichever order a file writes it in.

A rivalry is symmetric (`model/setup.py`, `relation_matrix`), so `RUS-CHN` and
`CHN-RUS` name one value. Each layer of a scenario (a file of the `extends` chain, the
file itself, each `--set`) has its relation keys rewritten to the pair's canonical key
before it is merged, so a later layer overrides an earlier one for the pair whatever the
order it is written in, and the resolved scenario holds one key per pair:

- the catalogue's key, for a pair the catalogue lists (`CHN-RUS`, `USA-EU`, `IRN-USA`);
- else the two codes in alphabetical order (`GULF-IRN`, `IND-USA`).

Both orders of one pair in one layer are left as written, and `relation_problems`
refuses them; it also refuses a code that is neither a power of the scenario nor of the
catalogue.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Any

from polarsim.inputs.problems import RawProblem

SECTION = "relations"


@lru_cache(maxsize=1)
def _catalogue_keys() -> dict[frozenset[str], str]:
    from polarsim.scenario.load import catalogue

    out: dict[frozenset[str], str] = {}
    for key in catalogue()[SECTION]:
        out.setdefault(frozenset(str(key).split("-")), key)
    return out


def _codes(key: Any) -> tuple[str, str] | None:
    """The two codes of a well-formed key 'A-B' (A != B), else None."""
    if not isinstance(key, str):
        return None
    parts = key.split("-")
    if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
        return None
    return parts[0], parts[1]


def canonical_key(key: Any) -> Any:
    """The pair's key (the catalogue's, else the codes in alphabetical order); a key that
    is not 'A-B' with two different codes is returned as it is (the checks word it)."""
    codes = _codes(key)
    if codes is None:
        return key
    known = _catalogue_keys().get(frozenset(codes))
    return known if known is not None else "-".join(sorted(codes))


def canonical_mapping(given: Any) -> tuple[Any, dict[Any, Any]]:
    """One layer's `relations` mapping with canonical keys, in the order written, and
    the renames made (written key -> canonical key). Both orders of one pair are kept
    as written (an error `relation_problems` reports); anything not a mapping is
    returned as it is (the schema words it)."""
    if not isinstance(given, dict):
        return given, {}
    count: dict[Any, int] = {}
    for key in given:
        c = canonical_key(key)
        count[c] = count.get(c, 0) + 1
    out: dict[Any, Any] = {}
    renamed: dict[Any, Any] = {}
    for key, value in given.items():
        c = canonical_key(key)
        new = c if count[c] == 1 else key
        out[new] = value
        if new != key:
            renamed[key] = new
    return out, renamed


def canonical_set_keys(keys: list[Any]) -> list[Any]:
    """The keys of a `--set` (`relations.RUS-CHN`) with the pair's canonical key."""
    if len(keys) >= 2 and keys[0] == SECTION:
        return [SECTION, canonical_key(keys[1]), *keys[2:]]
    return keys


def relation_problems(
    relations: dict[str, Any], powers: list[str], catalogue_powers: list[str]
) -> list[RawProblem]:
    """Every key that is not 'A-B' with two known, different power codes, written once:
    a power of the scenario or of the catalogue (a parent may set the rivalry of a power
    a child adds; a pair with a power the scenario leaves out is not used)."""
    out: list[RawProblem] = []
    valid = [*powers, *(c for c in catalogue_powers if c not in powers)]
    first: dict[frozenset[str], str] = {}
    for key in relations:
        codes = _codes(key)
        if codes is None:
            out.append(
                RawProblem(
                    (SECTION, key),
                    f"expected 'A-B' with two different power codes, found {key!r}",
                )
            )
            continue
        unknown = [c for c in codes if c not in valid]
        for code in unknown:
            hint = difflib.get_close_matches(code, valid, n=1)
            out.append(
                RawProblem(
                    (SECTION, key),
                    f"unknown power {code!r} (expected one of: {', '.join(valid)})"
                    + (f"; did you mean {hint[0]!r}?" if hint else ""),
                )
            )
        pair = frozenset(codes)
        if pair in first:
            out.append(
                RawProblem(
                    (SECTION, key),
                    f"{first[pair]} and {key} name one pair (a rivalry is symmetric): "
                    f"write it once, as {canonical_key(key)}",
                )
            )
        else:
            first[pair] = key
    return out
