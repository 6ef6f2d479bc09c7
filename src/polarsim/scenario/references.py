"""Cross-references the schema alone cannot check: codes used in events, relations and
shares must name actors and institutions of the scenario; doctrines must exist."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from polarsim.errors import PolarsimInputError
from polarsim.scenario.schema import Scenario


def _check(code: str, valid: Iterable[str], file: str, field: str, what: str) -> None:
    valid = list(valid)
    if code not in valid:
        hint = difflib.get_close_matches(code, valid, n=1)
        raise PolarsimInputError(
            f"unknown {what} {code!r}; expected one of {', '.join(valid)}"
            + (f" (did you mean {hint[0]!r}?)" if hint else ""),
            file=file,
            field=field,
        )


def check_references(s: Scenario, file: str) -> None:
    from polarsim.model.doctrines import POWER_DOCTRINES, STATE_DOCTRINES

    powers, states = s.power_codes, s.state_codes
    for code, p in s.powers.items():
        _check(p.doctrine, POWER_DOCTRINES, file, f"powers.{code}.doctrine", "doctrine")
    for code, st in s.states.items():
        _check(st.doctrine, STATE_DOCTRINES, file, f"states.{code}.doctrine", "doctrine")
    for key, value in s.relations.items():
        parts = key.split("-")
        if len(parts) != 2 or parts[0] == parts[1]:
            raise PolarsimInputError(
                f"expected 'A-B' with two different power codes, found {key!r}",
                file=file,
                field=f"relations.{key}",
            )
        if not -1 <= value <= 1:
            raise PolarsimInputError(
                f"expected a value in [-1, 1], found {value}", file=file, field=f"relations.{key}"
            )
    groups = s.parameters.metrics.poles
    for pole, members in groups.items():
        for m in members:
            if m not in powers and m not in _known_powers():
                _check(m, powers, file, f"parameters.metrics.poles.{pole}", "power")
    for i, ev in enumerate(s.events):
        where = f"events[{i}]"
        t = ev.type
        if t == "sanctions":
            for j, imp in enumerate(ev.imposers):
                _check(imp, powers, file, f"{where}.imposers[{j}]", "power")
            _check(ev.target, powers + states, file, f"{where}.target", "actor")
        elif t in ("war", "retrenchment"):
            _check(ev.power, powers, file, f"{where}.power", "power")
        elif t == "unrest":
            _check(ev.state, states, file, f"{where}.state", "state")
        elif t == "project":
            _check(ev.sponsor, [*powers, "other"], file, f"{where}.sponsor", "sponsor")
            for j, h in enumerate(ev.hosts):
                _check(h, states, file, f"{where}.hosts[{j}]", "state")
            if ev.partner is not None:
                _check(ev.partner, [*powers, "other"], file, f"{where}.partner", "partner")
            for h in ev.flows or {}:
                _check(h, ev.hosts, file, f"{where}.flows.{h}", "host")
        elif t == "membership":
            _check(ev.state, states, file, f"{where}.state", "state")
            _check(ev.institution, s.institutions, file, f"{where}.institution", "institution")
        elif t == "base":
            _check(ev.power, powers, file, f"{where}.power", "power")
            _check(ev.state, states, file, f"{where}.state", "state")
        elif t == "summit_format":
            _check(
                ev.name,
                [k for k, v in s.institutions.items() if v.kind == "forum"],
                file,
                f"{where}.name",
                "forum (declare new formats under institutions)",
            )
            for j, sp in enumerate(ev.sponsors):
                _check(sp, powers, file, f"{where}.sponsors[{j}]", "power")
            for j, m in enumerate(ev.members):
                _check(m, states, file, f"{where}.members[{j}]", "state")


def _known_powers() -> list[str]:
    from polarsim.codes import POWERS

    return list(POWERS)
