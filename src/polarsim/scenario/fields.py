"""Documented schema fields: `param()`, a pydantic Field that carries unit, source and
range for the docs, and `complete_with_defaults` for per-kind tables.

Every model parameter is declared with `param()`, so `polarsim schema --markdown` can
list name, unit, range, meaning and source from one place. The groups of mechanism
parameters themselves are in `parameters.py`; the strict base of every schema model is
`polarsim.inputs.strict.StrictModel`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field


def complete_with_defaults(value, defaults: dict):
    """Let a scenario set some entries of a per-kind table and keep the others."""
    if isinstance(value, dict):
        return {**defaults, **value}
    return value


def param(
    default: Any,
    *,
    unit: str,
    source: str,
    description: str,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
) -> Any:
    """A documented model parameter. `source` is data, a reference, or "assumption"."""
    return Field(
        default,
        description=description,
        ge=ge,
        le=le,
        gt=gt,
        lt=lt,
        json_schema_extra={"unit": unit, "source": source},
    )
