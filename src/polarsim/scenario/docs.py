"""docs/parameters.md, generated from the schema (`polarsim schema --markdown`).

A test fails when the committed file differs from what this produces, so the document
cannot drift from the code."""

from __future__ import annotations

from typing import Any, Literal, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel

from polarsim.scenario.actors import InstitutionSpec, PowerSpec, StateSpec
from polarsim.scenario.events import EVENT_TYPES, Event
from polarsim.scenario.parameters import Parameters
from polarsim.scenario.schema import Outputs, TimeSpan

HEADER = """# Scenario parameters

Generated from the schema by `polarsim schema --markdown`; do not edit by hand.
Every value can be set in a scenario file (YAML, at the path shown) or on the command
line with `--set path=value`. Precedence, lowest first: schema defaults < actor
catalogue (`src/polarsim/scenario/catalogue.yaml`) < `extends` parents < the file <
`--set`. Sources: *data* (bundled files), a reference, *calibrated*, or *assumption*.
"""


def _range(info) -> str:
    lo = hi = None
    lo_open = hi_open = False
    for m in info.metadata:
        if isinstance(m, Ge):
            lo = m.ge
        elif isinstance(m, Gt):
            lo, lo_open = m.gt, True
        elif isinstance(m, Le):
            hi = m.le
        elif isinstance(m, Lt):
            hi, hi_open = m.lt, True
    if lo is None and hi is None:
        return ""
    left = "(" if lo_open else "["
    right = ")" if hi_open else "]"
    return f"{left}{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}{right}"


def _default(info) -> str:
    if info.is_required():
        return "required"
    if info.default_factory is not None:
        value: Any = info.default_factory()
    else:
        value = info.default
    if value is None:
        return "none"
    if isinstance(value, BaseModel):
        return "(group)"
    if isinstance(value, dict):  # every entry: a table of defaults is read for its values
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    text = str(value)
    return text if len(text) < 60 else text[:57] + "..."


def _choices(annotation: Any) -> list[str]:
    """The allowed values of a Literal field (also inside Optional or a list)."""
    if get_origin(annotation) is Literal:
        return [str(a) for a in get_args(annotation)]
    out: list[str] = []
    for arg in get_args(annotation):
        out += [c for c in _choices(arg) if c not in out]
    return out


def _rows(model: type[BaseModel], prefix: str) -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        desc = (info.description or "").replace("|", "/")
        choices = _choices(info.annotation)
        if choices:
            desc = (desc + "; " if desc else "") + "one of " + ", ".join(f"`{c}`" for c in choices)
        rows.append(
            f"| `{prefix}{name}` | {_default(info)} | {extra.get('unit', '')} | "
            f"{_range(info)} | {desc} | {extra.get('source', '')} |"
        )
    return rows


TABLE_HEAD = ["| path | default | unit | range | meaning | source |", "|---|---|---|---|---|---|"]


def parameters_markdown() -> str:
    out = [HEADER, "## Time", "", *TABLE_HEAD, *_rows(TimeSpan, "time.")]
    for name, info in Parameters.model_fields.items():
        group = info.annotation
        out += [
            "",
            f"## parameters.{name}",
            "",
            (group.__doc__ or "").strip(),
            "",
            *TABLE_HEAD,
            *_rows(group, f"parameters.{name}."),
        ]
    out += [
        "",
        "## Powers (`powers.<CODE>.…`)",
        "",
        "Defaults per power come from the catalogue; the ranges below apply to all.",
        "",
        *TABLE_HEAD,
        *_rows(PowerSpec, "powers.<CODE>."),
    ]
    out += [
        "",
        "## States (`states.<CODE>.…`)",
        "",
        *TABLE_HEAD,
        *_rows(StateSpec, "states.<CODE>."),
    ]
    out += [
        "",
        "## Institutions (`institutions.<ID>.…`)",
        "",
        *TABLE_HEAD,
        *_rows(InstitutionSpec, "institutions.<ID>."),
    ]
    out += ["", "## Outputs (`outputs.…`)", "", *TABLE_HEAD, *_rows(Outputs, "outputs.")]
    out += _catalogue_tables()
    out += [
        "",
        "## Events (`events: [...]`)",
        "",
        "Each event has a `type`, a `year` (first year in effect) and optional `note` "
        "and `source`. Types: " + ", ".join(f"`{t}`" for t in EVENT_TYPES) + ".",
        "",
    ]
    union = get_args(get_args(Event)[0])
    for cls in union:
        t = get_args(cls.model_fields["type"].annotation)[0]
        out += [
            f"### `{t}`",
            "",
            (cls.__doc__ or "").strip(),
            "",
            *TABLE_HEAD,
            *[r for r in _rows(cls, "") if not r.startswith("| `type`")],
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _catalogue_tables() -> list[str]:
    from polarsim.scenario.load import catalogue

    cat = catalogue()
    out = [
        "",
        "## Actor catalogue (defaults per actor)",
        "",
        "Values from `src/polarsim/scenario/catalogue.yaml`, where a comment on each "
        "line gives its source; values without one are assumptions.",
        "",
        "| power | doctrine | budget_pct_gdp | exclusivity | loan_share |",
        "|---|---|---|---|---|",
    ]
    for code, p in cat["powers"].items():
        out.append(
            f"| {code} ({p['name']}) | {p['doctrine']} | {p['budget_pct_gdp']} | "
            f"{p['exclusivity']} | {p['loan_share']} |"
        )
    out += [
        "",
        "| state | doctrine | endowments (hc/min/hydro) | transit | threat | "
        "legacy infra USD bn (shares) | remittance shares |",
        "|---|---|---|---|---|---|---|",
    ]
    for code, st in cat["states"].items():
        e = st["endowments"]
        out.append(
            f"| {code} ({st['name']}) | {st['doctrine']} | {e['hydrocarbons']}/{e['minerals']}/"
            f"{e['hydro']} | {st['transit']} | {st['threat']} | {st['legacy_infra_usd_bn']} "
            f"({st['legacy_infra_shares']}) | {st['remittance_shares']} |"
        )
    out += [
        "",
        "Relations (rivalry; negative = aligned; assumption): "
        + ", ".join(f"{k} {v}" for k, v in cat["relations"].items())
        + ".",
    ]
    return out
