"""Cross-references the schema alone cannot check: codes used in events, relations and
shares must name actors and institutions of the scenario; doctrines must exist.

`reference_problems` lists every broken reference; `check_references` raises them."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from typing import Any

from polarsim.inputs.problems import (
    InputProblemsError as ScenarioInputError,
)
from polarsim.inputs.problems import (
    RawProblem,
    describe,
    make_problem,
    render_path,
)
from polarsim.scenario.schema import Scenario


def check_references(s: Scenario, file: str) -> None:
    """Raise a ScenarioInputError (a PolarsimInputError) listing every broken reference."""
    raw = reference_problems(s)
    if raw:
        raise ScenarioInputError(
            [make_problem(file, p.path or render_path(p.keys), p.message, None) for p in raw]
        )


def reference_problems(s: Scenario) -> list[RawProblem]:
    """Every broken cross-reference of a schema-valid scenario, in file order."""
    from polarsim.model.doctrines import POWER_DOCTRINES, STATE_DOCTRINES

    out: list[RawProblem] = []

    def check(code: str, valid: Iterable[str], keys: tuple[Any, ...], what: str) -> None:
        valid = list(valid)
        if code not in valid:
            hint = difflib.get_close_matches(code, valid, n=1)
            out.append(
                RawProblem(
                    keys,
                    f"unknown {what} {code!r} (expected one of: {', '.join(valid)})"
                    + (f"; did you mean {hint[0]!r}?" if hint else ""),
                )
            )

    powers, states = s.power_codes, s.state_codes
    for code, p in s.powers.items():
        check(p.doctrine, POWER_DOCTRINES, ("powers", code, "doctrine"), "doctrine")
    for code, st in s.states.items():
        check(st.doctrine, STATE_DOCTRINES, ("states", code, "doctrine"), "doctrine")
    for key, value in s.relations.items():
        parts = key.split("-")
        if len(parts) != 2 or parts[0] == parts[1]:
            out.append(
                RawProblem(
                    ("relations", key),
                    f"expected 'A-B' with two different power codes, found {key!r}",
                )
            )
        elif not -1 <= value <= 1:
            out.append(
                RawProblem(
                    ("relations", key), f"expected a value in [-1, 1], found {describe(value)}"
                )
            )
    groups = s.parameters.metrics.poles
    for pole, members in groups.items():
        for k, m in enumerate(members):
            if m not in powers and m not in _known_powers():
                check(m, powers, ("parameters", "metrics", "poles", pole, k), "power")
    for i, ev in enumerate(s.events):
        where: tuple[Any, ...] = ("events", i)
        t = ev.type
        if t == "sanctions":
            for j, imp in enumerate(ev.imposers):
                check(imp, powers, (*where, "imposers", j), "power")
            check(ev.target, powers + states, (*where, "target"), "actor")
        elif t in ("war", "retrenchment", "posture"):
            check(ev.power, powers, (*where, "power"), "power")
        elif t == "unrest":
            check(ev.state, states, (*where, "state"), "state")
        elif t == "project":
            check(ev.sponsor, [*powers, "other"], (*where, "sponsor"), "sponsor")
            for j, h in enumerate(ev.hosts):
                check(h, states, (*where, "hosts", j), "state")
            if ev.partner is not None:
                check(ev.partner, [*powers, "other"], (*where, "partner"), "partner")
            for h in ev.flows or {}:
                check(h, ev.hosts, (*where, "flows", h), "host")
        elif t == "membership":
            check(ev.state, states, (*where, "state"), "state")
            check(ev.institution, s.institutions, (*where, "institution"), "institution")
        elif t == "base":
            check(ev.power, powers, (*where, "power"), "power")
            check(ev.state, states, (*where, "state"), "state")
        elif t == "summit_format":
            check(
                ev.name,
                [k for k, v in s.institutions.items() if v.kind == "forum"],
                (*where, "name"),
                "forum (declare new formats under institutions)",
            )
            for j, sp in enumerate(ev.sponsors):
                check(sp, powers, (*where, "sponsors", j), "power")
            for j, m in enumerate(ev.members):
                check(m, states, (*where, "members", j), "state")
    return out


def non_finite_problems(data: Any, keys: tuple[Any, ...] = ()) -> list[RawProblem]:
    """YAML's .nan and .inf pass a float field without bounds; no parameter means them."""
    out: list[RawProblem] = []
    if isinstance(data, float) and not math.isfinite(data):
        out.append(RawProblem(keys, f"expected a finite number, found {describe(data)}"))
    elif isinstance(data, dict):
        for k, v in data.items():
            out.extend(non_finite_problems(v, (*keys, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(non_finite_problems(v, (*keys, i)))
    return out


def _known_powers() -> list[str]:
    from polarsim.codes import POWERS

    return list(POWERS)
