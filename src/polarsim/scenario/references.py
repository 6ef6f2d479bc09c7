"""Cross-references the schema alone cannot check: codes used in events, relations and
shares must name actors and institutions of the scenario; doctrines must exist.

`reference_problems` lists every broken reference; `check_references` raises them."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from typing import Any

from polarsim.inputs.problems import (
    InputProblemsError,
    RawProblem,
    describe,
    make_problem,
    render_path,
)
from polarsim.scenario.doctrines import POWER_DOCTRINE_NAMES, STATE_DOCTRINE_NAMES
from polarsim.scenario.events import Codes
from polarsim.scenario.relations import relation_problems
from polarsim.scenario.schema import Scenario


def check_references(s: Scenario, file: str) -> None:
    """Raise a InputProblemsError (a PolarsimInputError) listing every broken reference."""
    raw = reference_problems(s)
    if raw:
        raise InputProblemsError(
            [make_problem(file, p.path or render_path(p.keys), p.message, None) for p in raw]
        )


def reference_problems(s: Scenario) -> list[RawProblem]:
    """Every broken cross-reference of a schema-valid scenario, in file order."""
    out: list[RawProblem] = []
    out += _doctrine_problems(s)
    out += _relation_problems(s)
    out += _pole_problems(s)
    out += _sponsor_problems(s)
    out += _share_key_problems(s)
    out += _event_problems(s)
    out += _summit_problems(s)
    out += _source_problems(s)
    return out


def _unknown(code: str, valid: Iterable[str], keys: tuple[Any, ...], what: str) -> list[RawProblem]:
    """[] if `code` is one of `valid`, else the problem, with the closest valid code."""
    valid = list(valid)
    if code in valid:
        return []
    hint = difflib.get_close_matches(code, valid, n=1)
    return [
        RawProblem(
            keys,
            f"unknown {what} {code!r} (expected one of: {', '.join(valid)})"
            + (f"; did you mean {hint[0]!r}?" if hint else ""),
        )
    ]


def _doctrine_problems(s: Scenario) -> list[RawProblem]:
    out: list[RawProblem] = []
    for code, p in s.powers.items():
        out += _unknown(p.doctrine, POWER_DOCTRINE_NAMES, ("powers", code, "doctrine"), "doctrine")
    for code, st in s.states.items():
        out += _unknown(st.doctrine, STATE_DOCTRINE_NAMES, ("states", code, "doctrine"), "doctrine")
    return out


def _relation_problems(s: Scenario) -> list[RawProblem]:
    out = relation_problems(s.relations, s.power_codes, _known_powers())
    bad = {p.keys for p in out}
    for key, value in s.relations.items():
        if ("relations", key) not in bad and not -1 <= value <= 1:
            out.append(
                RawProblem(
                    ("relations", key), f"expected a value in [-1, 1], found {describe(value)}"
                )
            )
    return out


def _pole_problems(s: Scenario) -> list[RawProblem]:
    """Pole members may be powers of the scenario or of the catalogue (a pole may name a
    power a scenario leaves out)."""
    out: list[RawProblem] = []
    powers = s.power_codes
    for pole, members in s.parameters.metrics.poles.items():
        for k, m in enumerate(members):
            if m not in powers and m not in _known_powers():
                out += _unknown(m, powers, ("parameters", "metrics", "poles", pole, k), "power")
    return out


def _sponsor_problems(s: Scenario) -> list[RawProblem]:
    """An institution's sponsors may be powers of the scenario or of the catalogue (the
    model leaves out those a scenario does not list); any other code is a typo."""
    out: list[RawProblem] = []
    powers = s.power_codes
    for inst, spec in s.institutions.items():
        for k, code in enumerate(spec.sponsors):
            if code not in powers and code not in _known_powers():
                valid = [*powers, *(c for c in _known_powers() if c not in powers)]
                out += _unknown(code, valid, ("institutions", inst, "sponsors", k), "power")
    return out


#: A state's maps by power: shares of its ties (the rest goes to the other partners).
STATE_SHARES = (
    "legacy_infra_shares",
    "remittance_shares",
    "initial_trade_shares",
    "initial_security_shares",
)


def _share_key_problems(s: Scenario) -> list[RawProblem]:
    """The powers a state's shares name and the states a power's `initial_ties` name
    must be actors of the scenario or of the catalogue (the model leaves out those a
    scenario does not list, their share going to the other partners); any other code is
    a typo whose share would go there silently."""
    from polarsim.scenario.load import catalogue

    out: list[RawProblem] = []
    powers = [*s.power_codes, *(c for c in _known_powers() if c not in s.powers)]
    states = [*s.state_codes, *(c for c in catalogue()["states"] if c not in s.states)]
    for code, p in s.powers.items():
        for state in p.initial_ties:
            out += _unknown(state, states, ("powers", code, "initial_ties", state), "state")
    for code, st in s.states.items():
        for field in STATE_SHARES:
            for power in getattr(st, field):
                out += _unknown(power, powers, ("states", code, field, power), "power")
    return out


def event_codes(s: Scenario) -> Codes:
    """The codes a scenario's events may name."""
    return Codes(
        powers=s.power_codes,
        states=s.state_codes,
        institutions=list(s.institutions),
        forums=[k for k, v in s.institutions.items() if v.kind == "forum"],
    )


def _event_problems(s: Scenario) -> list[RawProblem]:
    """The codes each event names (its type's `references`), checked in file order."""
    out: list[RawProblem] = []
    codes = event_codes(s)
    entering = {
        c: p.enters
        for c, p in s.powers.items()
        if p.enters is not None and p.enters > s.time.start_year
    }
    for i, ev in enumerate(s.events):
        for ref in ev.references(codes):
            out += _unknown(ref.code, ref.valid, ("events", i, *ref.keys), ref.what)
            # Before its entry a power is not in the run (model/entry.py): nothing can
            # happen to it or by it; a posture is the stance it enters with.
            enters = entering.get(ref.code)
            if enters is not None and ev.year < enters and ev.type != "posture":
                out.append(
                    RawProblem(
                        ("events", i, *ref.keys),
                        f"{ref.code} enters in {enters} (powers.{ref.code}.enters): an event "
                        f"naming it must be dated {enters} or later (only a posture may come "
                        "earlier, the stance it enters with)",
                    )
                )
    return out


def _summit_problems(s: Scenario) -> list[RawProblem]:
    """A summit format's sponsors must be its forum's: the model gives the forum bonus to
    the sponsors of `institutions.NAME` (those taking part in the scenario), whatever
    the event names."""
    out: list[RawProblem] = []
    for i, ev in enumerate(s.events):
        forum = s.institutions.get(ev.name) if ev.type == "summit_format" else None
        if forum is None or forum.kind != "forum":
            continue  # not a summit format, or an unknown forum (_event_problems)
        if not set(ev.sponsors) <= set(s.powers):
            continue  # as is an unknown sponsor
        sponsors = [c for c in forum.sponsors if c in s.powers]
        if set(ev.sponsors) != set(sponsors):
            out.append(
                RawProblem(
                    ("events", i, "sponsors"),
                    f"expected the forum's sponsors (institutions.{ev.name}.sponsors: "
                    f"[{', '.join(sponsors)}] in this scenario), found "
                    f"[{', '.join(ev.sponsors)}]: the forum bonus goes to the forum's "
                    f"sponsors; write those here or change institutions.{ev.name}.sponsors",
                )
            )
    return out


def _source_problems(s: Scenario) -> list[RawProblem]:
    """Every key of `sources` must be the dotted path of a value of the scenario."""
    out: list[RawProblem] = []
    dumped = s.model_dump() if s.sources else {}
    for path in s.sources:
        node: Any = dumped
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                out.append(
                    RawProblem(
                        ("sources", path),
                        f"{path!r} does not name a value of the scenario (expected the "
                        "dotted path of one, e.g. parameters.trade.persistence)",
                    )
                )
                break
            node = node[part]
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
